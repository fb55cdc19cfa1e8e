"""The `csam-harness` command: its group, the tool-chain check (`doctor`: which Chromium and ffmpeg the harness
uses), and what its commands share when they run: the site to walk (given, or the embedded mock served in this
process), the harness's browser and the site's control API. The commands themselves: e2e/cli_check_manual.py
(check-manual, update-manual), e2e/cli_walkthrough.py (walkthrough), e2e/cli_import.py (import-manual)."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

import click
from playwright.sync_api import Browser, Playwright, sync_playwright
from rich.console import Console

from .cli_check_manual import check_manual, update_manual
from .cli_import import import_manual
from .cli_walkthrough import walkthrough
from .settings import SettingsError, harness_settings
from .toolchain import ChromiumNotFound, ensure_ffmpeg, playwright_ffmpeg_path, resolve_chromium

if TYPE_CHECKING:
    from .seeding import HttpSeeder


class SettingsProblem(click.ClickException):
    """The harness's settings cannot be read: said in one line, exit status 2 (as for a bad option)."""

    exit_code = 2


@click.group()
def main() -> None:
    """Harness commands for the CSAM inclusion manual."""
    try:
        harness_settings()
    except SettingsError as error:
        raise SettingsProblem(str(error)) from None


@main.command()
@click.option("--fix", is_flag=True, help="Link an ffmpeg where Playwright looks for it when none is there.")
def doctor(fix: bool) -> None:
    """Say which Chromium and ffmpeg the harness will use, and what is missing."""
    settings = harness_settings()
    click.echo(f"Playwright {version('playwright')}")
    with sync_playwright() as p:
        own = p.chromium.executable_path
    ok = True
    try:
        chosen = resolve_chromium(settings.CHROMIUM_EXECUTABLE, own, settings.SYSTEM_CHROMIUM_CANDIDATES)
        click.echo(f"Chromium: {chosen or own} ({'system or configured' if chosen else 'Playwright’s own'})")
    except ChromiumNotFound as exc:
        ok = False
        click.echo(f"Chromium: missing. {exc}")
    ffmpeg = ensure_ffmpeg() if fix else (playwright_ffmpeg_path() if playwright_ffmpeg_path().exists() else None)
    if ffmpeg:
        click.echo(f"ffmpeg for video: {ffmpeg}")
    else:
        click.echo(
            f"ffmpeg for video: missing at {playwright_ffmpeg_path()} (run `csam-harness doctor --fix`, "
            "or install Debian's ffmpeg or the imageio-ffmpeg package)"
        )
    sys.exit(0 if ok else 1)


@contextlib.contextmanager
def _site(base_url: str | None, site_version: str, renames: dict[str, str], *, seeded: bool = False) -> Iterator[str]:
    """The base URL to check: the one given, or the mock served in this process for the walk."""
    if base_url:
        if renames:
            raise click.UsageError("--rename changes the embedded mock; a site at --base-url has its own labels")
        yield base_url.rstrip("/")
        return
    from mock_csam import create_app

    from .live_server import LiveServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the walk's requests are the report, not a log

    server = LiveServer(
        create_app(
            {
                "DATABASE": ":memory:",
                "CONTROL_API": True,
                "SITE_VERSION": site_version,
                "RENAMED_LABELS": renames,
                "RANDOM_SEED": 2018 if seeded else None,
            }
        )
    ).start()
    try:
        yield server.url
    finally:
        server.stop()


def _launch(p: Playwright, console: Console, *, headed: bool, base_url: str | None, slow_mo: float = 0) -> Browser:
    """The harness's Chromium (see playwright.config.py), or exit 2 saying why there is none. Playwright's own
    slow_mo pauses after each action when watching."""
    from .browsers import BrowserUnavailable, browser_ws_endpoint, local_chromium, open_browser

    settings = harness_settings()
    try:
        endpoint = browser_ws_endpoint(None, settings)
        executable = None if endpoint else local_chromium(settings, p.chromium.executable_path, headless=not headed)
    except (ChromiumNotFound, BrowserUnavailable) as exc:
        console.print(f"[red]No Chromium:[/] {exc}")
        sys.exit(2)
    # The harness keeps the embedded mock's browser off the network; a given site must stay reachable.
    try:
        return open_browser(
            p.chromium,
            {
                "executable_path": executable,
                "headless": not headed,
                "slow_mo": slow_mo,
                "args": [] if base_url else list(settings.LAUNCH_ARGS),
            },
            endpoint=endpoint,
            remote_executable=settings.REMOTE_CHROMIUM,
        )
    except BrowserUnavailable as exc:
        console.print(f"[red]No browser:[/] {exc}")
        sys.exit(2)


@contextlib.contextmanager
def _walking(
    console: Console, base_url: str | None, site_version: str, renames: dict[str, str], headed: bool
) -> Iterator[tuple[str, Browser, Any]]:
    """The site to walk (given, or the embedded mock), the harness's Chromium, and the site's control API (None
    when it has none), for as long as the walk lasts."""
    with _site(base_url, site_version, renames) as url, sync_playwright() as p:
        browser = _launch(p, console, headed=headed, base_url=base_url)
        try:
            yield url, browser, _control_api(url)
        finally:
            browser.close()


def _control_api(url: str) -> HttpSeeder | None:
    """The site's control API (the same HTTP seeder the suites use against a served mock), or None when it has
    none."""
    from .seeding import HttpSeeder

    control = HttpSeeder(url)
    return control if control.available() else None


for command in (check_manual, update_manual, walkthrough, import_manual):
    main.add_command(command)
