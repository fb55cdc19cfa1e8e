"""The browser the harness drives: a Chromium launched here, or one a Playwright browser server launches for it.

A browser server (`playwright run-server --port 3000`, or Playwright's Docker image) lets a run use a browser on
another machine or container, or many runs share one host's browsers. Point the harness at it with
CSAM_HARNESS_BROWSER_WS (or pytest's --browser-ws-endpoint): `ws://host:3000/`. The server launches the browser
with the options sent in the `x-playwright-launch-options` header: headless, the harness's Chromium arguments and,
when CSAM_HARNESS_REMOTE_CHROMIUM names one, the Chromium binary on the server's machine (a server without its
own Playwright browsers needs it). The site must be reachable from the server's machine: the in-process mock
listens on 127.0.0.1, so a server elsewhere needs --base-url to a site it can reach.

Locally, headless runs prefer Chromium's headless shell when one is installed (Debian's chromium-headless-shell,
the same engine without the browser's UI layer: about a third less CPU per page here, same rendering of these
pages); CSAM_HARNESS_HEADLESS_SHELL=0 turns that off.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserType
from playwright.sync_api import Error as PlaywrightError

from e2e.toolchain import resolve_chromium

# Playwright's launch options (Python names) → the names a browser server reads in its header.
_REMOTE_NAMES = {
    "headless": "headless",
    "args": "args",
    "slow_mo": "slowMo",
    "timeout": "timeout",
    "chromium_sandbox": "chromiumSandbox",
    "executable_path": "executablePath",
}


class BrowserUnavailable(RuntimeError):
    """No browser could be had: the message says what was tried and what to do."""


def headless_shell(settings: Any) -> str | None:
    """The installed Chromium headless shell (HEADLESS_SHELL_CANDIDATES), or None."""
    for candidate in getattr(settings, "HEADLESS_SHELL_CANDIDATES", ()):
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found and Path(found).is_file():
            return found
    return None


def local_chromium(settings: Any, playwright_own: str | None, *, headless: bool) -> str | None:
    """The Chromium to launch here: an explicit CSAM_HARNESS_CHROMIUM wins; for a headless run the headless
    shell when installed (and USE_HEADLESS_SHELL); else as e2e/toolchain.py chooses (None: Playwright's own).
    Raises ChromiumNotFound when there is none."""
    if headless and not settings.CHROMIUM_EXECUTABLE and getattr(settings, "USE_HEADLESS_SHELL", False):
        shell = headless_shell(settings)
        if shell:
            return shell
    return resolve_chromium(settings.CHROMIUM_EXECUTABLE, playwright_own, settings.SYSTEM_CHROMIUM_CANDIDATES)


def browser_ws_endpoint(given: str | None, settings: Any) -> str | None:
    """The browser server to use (given, else BROWSER_WS_ENDPOINT of playwright.config.py), checked: None means
    launch one here."""
    endpoint = (given or getattr(settings, "BROWSER_WS_ENDPOINT", None) or "").strip() or None
    if endpoint is None:
        return None
    parts = urlsplit(endpoint)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise BrowserUnavailable(
            f"browser server endpoint {endpoint!r} is not a WebSocket address: give ws://HOST:PORT/ (what "
            "`playwright run-server --port PORT` listens on) in CSAM_HARNESS_BROWSER_WS or --browser-ws-endpoint"
        )
    try:
        _ = parts.port  # urllib checks the port only when it is read
    except ValueError:
        raise BrowserUnavailable(f"browser server endpoint {endpoint!r} has an invalid port") from None
    return endpoint


def remote_launch_options(launch_args: dict[str, Any], remote_executable: str | None) -> dict[str, Any]:
    """The launch options a browser server is asked to use: the harness's own, less the local Chromium's path
    (meaningless on another machine), plus the server machine's Chromium when one is named."""
    options = {
        _REMOTE_NAMES[name]: value
        for name, value in launch_args.items()
        if name in _REMOTE_NAMES and name != "executable_path" and value is not None
    }
    if remote_executable:
        options["executablePath"] = remote_executable
    return options


def connect(
    browser_type: BrowserType,
    endpoint: str,
    launch_args: dict[str, Any],
    *,
    remote_executable: str | None = None,
    timeout_ms: float = 30_000,
) -> Browser:
    """A browser from the Playwright browser server at `endpoint`, or BrowserUnavailable saying why not."""
    header = json.dumps(remote_launch_options(launch_args, remote_executable))
    try:
        return browser_type.connect(endpoint, timeout=timeout_ms, headers={"x-playwright-launch-options": header})
    except PlaywrightError as error:
        reason = error.message.strip().splitlines()[0] if error.message.strip() else type(error).__name__
        reason = reason.removeprefix("BrowserType.connect: ")
        raise BrowserUnavailable(
            f"could not get a browser from the Playwright browser server at {endpoint}: {reason}. Is "
            "`playwright run-server` running there (same Playwright version as here)? Unset "
            "CSAM_HARNESS_BROWSER_WS / drop --browser-ws-endpoint to launch Chromium on this machine."
        ) from None


def launch(browser_type: BrowserType, launch_args: dict[str, Any]) -> Browser:
    """A Chromium launched on this machine, or BrowserUnavailable saying why it would not start."""
    try:
        return browser_type.launch(**launch_args)
    except PlaywrightError as error:
        first = error.message.strip().splitlines()[0] if error.message.strip() else type(error).__name__
        first = first.removeprefix("BrowserType.launch: ")
        raise BrowserUnavailable(
            f"Chromium would not start ({launch_args.get('executable_path') or 'Playwright’s own'}): {first}"
        ) from None


def open_browser(
    browser_type: BrowserType,
    launch_args: dict[str, Any],
    *,
    endpoint: str | None,
    remote_executable: str | None = None,
) -> Browser:
    """The harness's browser: from the server at `endpoint` when given, else launched here."""
    if endpoint:
        return connect(browser_type, endpoint, launch_args, remote_executable=remote_executable)
    return launch(browser_type, launch_args)
