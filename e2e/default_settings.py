"""The harness's packaged default settings: what it uses when no playwright.config.py overrides them (an installed
harness run outside a checkout). A plain settings module: upper-case names only, read by e2e/settings.py, which
also applies the environment overrides (CSAM_HARNESS_*) named next to each setting."""

# Chromium to drive (CSAM_HARNESS_CHROMIUM). An explicit path wins; else Playwright's own Chromium if `playwright
# install chromium` worked; else the first system Chromium found among SYSTEM_CHROMIUM_CANDIDATES.
CHROMIUM_EXECUTABLE = None
SYSTEM_CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)

# Chromium keeps calling Google hosts; on a closed network that is only noise and delay.
LAUNCH_ARGS = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",)

# A site under test other than the in-process mock (CSAM_HARNESS_BASE_URL; the harness then drives that site;
# seeding needs its control API). Same as pytest's --base-url.
BASE_URL = None

# Web-first waits, in milliseconds: how long `expect` waits (CSAM_HARNESS_EXPECT_TIMEOUT_MS), an action such as
# a click or a fill (CSAM_HARNESS_ACTION_TIMEOUT_MS), and a navigation (CSAM_HARNESS_NAVIGATION_TIMEOUT_MS),
# before failing; the tests, check-manual and the walkthrough alike.
EXPECT_TIMEOUT_MS = 5000
ACTION_TIMEOUT_MS = 10000
NAVIGATION_TIMEOUT_MS = 10000

# Every context looks the same, so screenshots and videos are comparable from run to run: the tests' and
# check-manual's window, and the walkthrough's (its video frame and the guide's screenshots: a page less tall, so
# that a screenshot and its instruction fit on one printed page).
VIEWPORT = {"width": 1280, "height": 900}
RECORDING_VIEWPORT = {"width": 1280, "height": 800}
# The browser's locale for each language the harness uses the site in (Belgian French and Dutch).
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}
TIMEZONE = "Europe/Brussels"

# Chromium's headless shell (the engine without the browser's UI layer: lighter per page, the same rendering of
# the mock's pages), used instead of the Chromium above for headless runs when one is installed and no explicit
# CSAM_HARNESS_CHROMIUM is given. CSAM_HARNESS_HEADLESS_SHELL=0 turns it off.
USE_HEADLESS_SHELL = True
HEADLESS_SHELL_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "chromium-headless-shell",
)

# A Playwright browser server to get the browser from instead of launching Chromium here (CSAM_HARNESS_BROWSER_WS;
# `playwright run-server --port 3000` → ws://HOST:3000/); pytest's --browser-ws-endpoint overrides it. See
# e2e/browsers.py.
BROWSER_WS_ENDPOINT = None
# The Chromium binary on the browser server's machine, when that server has no Playwright browsers of its own
# (CSAM_HARNESS_REMOTE_CHROMIUM).
REMOTE_CHROMIUM = None
