"""The `csam-harness` command: tool-chain checks for the harness (which Chromium and ffmpeg it will use)."""

from __future__ import annotations

import sys
from importlib.metadata import version

import click
from playwright.sync_api import sync_playwright

from .settings import harness_settings
from .toolchain import ChromiumNotFound, ensure_ffmpeg, playwright_ffmpeg_path, resolve_chromium


@click.group()
def main() -> None:
    """Harness commands for the CSAM inclusion manual."""


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
        click.echo(f"ffmpeg for video: missing at {playwright_ffmpeg_path()} (run `csam-harness doctor --fix`, "
                   "or install Debian's ffmpeg or the imageio-ffmpeg package)")
    sys.exit(0 if ok else 1)
