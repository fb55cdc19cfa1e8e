"""Where the harness's browser comes from (e2e/browsers.py): a Playwright browser server started here for real
(`playwright run-server`, the node driver the playwright package ships), bad endpoints refused with one clear
message by pytest and by the harness's commands, and the headless shell chosen only where it may be."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright._impl._driver import compute_driver_executable
from playwright.sync_api import BrowserType, expect

from e2e import browsers
from e2e.settings import harness_settings
from e2e.toolchain import ChromiumNotFound, resolve_chromium

SETTINGS = harness_settings()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def browser_server() -> Iterator[str]:
    """`playwright run-server` on a free port of this machine; yields its ws:// endpoint. --unsafe lets clients
    name the Chromium binary (Playwright's own browsers are not downloaded here)."""
    node, cli = compute_driver_executable()
    server = subprocess.Popen(
        [node, cli, "run-server", "--host", "127.0.0.1", "--port", "0", "--unsafe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None, "stdout=PIPE gives the server's output"
    try:
        line = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/" once it listens
        found = re.search(r"ws://\S+", line)
        assert found, f"run-server said {line!r}"
        yield found.group(0)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # its graceful shutdown can hang on a busy machine: it served its turn
            server.kill()
            server.wait(timeout=10)
        server.stdout.close()


def system_chromium() -> str:
    try:
        found = resolve_chromium(SETTINGS.CHROMIUM_EXECUTABLE, None, SETTINGS.SYSTEM_CHROMIUM_CANDIDATES)
    except ChromiumNotFound as exc:
        pytest.skip(f"no system Chromium for the browser server to launch: {exc}")
    assert found is not None, "without Playwright's own Chromium, a path or ChromiumNotFound"
    return found


def test_a_browser_server_launches_the_browser_that_walks_the_mock(
    browser_server: str, browser_type: BrowserType, live_server
) -> None:
    executable = system_chromium()
    remote = browsers.open_browser(
        browser_type,
        {"headless": True, "args": list(SETTINGS.LAUNCH_ARGS)},
        endpoint=browser_server,
        remote_executable=executable,
    )
    try:
        page = remote.new_page()
        page.goto(live_server.url + "/csam/login")
        expect(page.get_by_role("button").first).to_be_visible()
        assert remote.is_connected()
    finally:
        remote.close()


def test_the_server_is_sent_the_harness_launch_options_not_this_machines_chromium_path() -> None:
    options = browsers.remote_launch_options(
        {"headless": True, "args": ["--a"], "executable_path": "/here/chromium", "slow_mo": 0}, "/there/chromium"
    )
    assert options == {"headless": True, "args": ["--a"], "slowMo": 0, "executablePath": "/there/chromium"}
    assert "executablePath" not in browsers.remote_launch_options({"executable_path": "/here/chromium"}, None)


@pytest.mark.parametrize("endpoint", ["localhost:3000", "http://127.0.0.1:3000/", "ws://", "ws://127.0.0.1:99999/"])
def test_an_endpoint_that_is_no_websocket_address_is_refused_before_connecting(endpoint: str) -> None:
    with pytest.raises(browsers.BrowserUnavailable, match=r"ws://HOST:PORT|invalid port"):
        browsers.browser_ws_endpoint(endpoint, SETTINGS)


def test_no_endpoint_means_launching_here() -> None:
    assert browsers.browser_ws_endpoint(None, SimpleNamespace(BROWSER_WS_ENDPOINT=None)) is None
    assert browsers.browser_ws_endpoint("  ", SimpleNamespace(BROWSER_WS_ENDPOINT=None)) is None
    assert browsers.browser_ws_endpoint(None, SimpleNamespace(BROWSER_WS_ENDPOINT="ws://h:1/")) == "ws://h:1/"


def test_a_server_that_does_not_answer_is_one_clear_error(browser_type: BrowserType, unused_port: int) -> None:
    with pytest.raises(browsers.BrowserUnavailable) as refused:
        browsers.open_browser(browser_type, {"headless": True}, endpoint=f"ws://127.0.0.1:{unused_port}/")
    said = str(refused.value)
    assert f"ws://127.0.0.1:{unused_port}/" in said and "ECONNREFUSED" in said and "run-server" in said


@pytest.fixture
def unused_port() -> int:
    """A port nothing listens on (bound then closed; only connected to, never served)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "300", **env}
    )


def test_pytest_with_a_bad_endpoint_stops_with_the_reason_and_no_traceback(tmp_path: Path) -> None:
    answer = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "e2e/test_login.py",
            "--browser-ws-endpoint",
            "http://127.0.0.1:1/",
            "--basetemp",
            str(tmp_path / "t"),
            "--output",
            str(tmp_path / "out"),
        ]
    )
    said = answer.stdout + answer.stderr
    assert answer.returncode == 3, said
    assert "is not a WebSocket address" in said and "Traceback" not in said


def test_the_walkthrough_command_with_an_unreachable_server_exits_2_saying_why(
    tmp_path: Path, unused_port: int
) -> None:
    answer = run(
        [
            sys.executable,
            "-c",
            "from e2e.cli import main; main()",
            "walkthrough",
            "--steps",
            "2",
            "--no-video",
            "--out",
            str(tmp_path / "out"),
        ],
        CSAM_HARNESS_BROWSER_WS=f"ws://127.0.0.1:{unused_port}/",
    )
    said = " ".join((answer.stdout + answer.stderr).split())
    assert answer.returncode == 2, said
    assert "No browser:" in said and "ECONNREFUSED" in said and "Traceback" not in said


def test_the_headless_shell_is_used_only_headless_and_never_over_an_explicit_chromium(tmp_path: Path) -> None:
    shell = tmp_path / "chromium-headless-shell"
    full = tmp_path / "chromium"
    for binary in (shell, full):
        binary.write_text("#!/bin/sh\n")
        binary.chmod(0o755)
    settings = SimpleNamespace(
        CHROMIUM_EXECUTABLE=None,
        SYSTEM_CHROMIUM_CANDIDATES=(str(full),),
        USE_HEADLESS_SHELL=True,
        HEADLESS_SHELL_CANDIDATES=(str(shell),),
    )
    assert browsers.local_chromium(settings, None, headless=True) == str(shell)
    assert browsers.local_chromium(settings, None, headless=False) == str(full)
    settings.USE_HEADLESS_SHELL = False
    assert browsers.local_chromium(settings, None, headless=True) == str(full)
    settings.USE_HEADLESS_SHELL, settings.CHROMIUM_EXECUTABLE = True, str(full)
    assert browsers.local_chromium(settings, None, headless=True) == str(full)
