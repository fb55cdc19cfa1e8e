"""Harness settings read by e2e/conftest.py and the harness commands; each can be overridden by environment."""

import os

# Chromium to drive. An explicit path wins; else Playwright's own Chromium if `playwright install chromium`
# worked; else the first system Chromium found among SYSTEM_CHROMIUM_CANDIDATES.
CHROMIUM_EXECUTABLE = os.environ.get("CSAM_HARNESS_CHROMIUM") or None
SYSTEM_CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)

# Chromium keeps calling Google hosts; on a closed network that is only noise and delay.
LAUNCH_ARGS = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",)

# A site under test other than the in-process mock (the harness then drives that site; seeding needs its
# control API). Same as pytest's --base-url.
BASE_URL = os.environ.get("CSAM_HARNESS_BASE_URL") or None

# Web-first waits: how long `expect` and actions wait before failing (ms).
EXPECT_TIMEOUT_MS = int(os.environ.get("CSAM_HARNESS_EXPECT_TIMEOUT_MS", "5000"))
ACTION_TIMEOUT_MS = int(os.environ.get("CSAM_HARNESS_ACTION_TIMEOUT_MS", "10000"))

# Every context looks the same, so screenshots and videos are comparable from run to run.
VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "fr-BE"
TIMEZONE = "Europe/Brussels"

# Chromium's headless shell (the engine without the browser's UI layer: lighter per page, the same rendering of
# the mock's pages), used instead of the Chromium above for headless runs when one is installed and no explicit
# CSAM_HARNESS_CHROMIUM is given. CSAM_HARNESS_HEADLESS_SHELL=0 turns it off.
USE_HEADLESS_SHELL = os.environ.get("CSAM_HARNESS_HEADLESS_SHELL", "1") not in ("0", "false", "no", "")
HEADLESS_SHELL_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "chromium-headless-shell",
)

# A Playwright browser server to get the browser from instead of launching Chromium here (`playwright run-server
# --port 3000` → ws://HOST:3000/); pytest's --browser-ws-endpoint overrides it. See e2e/browsers.py.
BROWSER_WS_ENDPOINT = os.environ.get("CSAM_HARNESS_BROWSER_WS") or None
# The Chromium binary on the browser server's machine, when that server has no Playwright browsers of its own.
REMOTE_CHROMIUM = os.environ.get("CSAM_HARNESS_REMOTE_CHROMIUM") or None
