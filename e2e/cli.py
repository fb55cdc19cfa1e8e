"""The `csam-harness` command: tool-chain checks (which Chromium and ffmpeg the harness uses) and the
manual-accuracy check (`check-manual`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import click
from playwright.sync_api import sync_playwright
from rich.console import Console

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


@contextlib.contextmanager
def _site(base_url: str | None, site_version: str, renames: dict[str, str]) -> Iterator[str]:
    """The base URL to check: the one given, or the mock served in this process for the walk."""
    if base_url:
        if renames:
            raise click.UsageError("--rename changes the embedded mock; a site at --base-url has its own labels")
        yield base_url.rstrip("/")
        return
    from mock_csam import create_app

    from .live_server import LiveServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the walk's requests are the report, not a log

    server = LiveServer(create_app({"DATABASE": ":memory:", "CONTROL_API": True, "SITE_VERSION": site_version,
                                    "RENAMED_LABELS": renames})).start()
    try:
        yield server.url
    finally:
        server.stop()


@main.command("check-manual")
@click.option("--site-version", type=click.Choice(("manual-2018", "current")), default="manual-2018",
              show_default=True, help="Which version of the embedded mock to walk (without --base-url).")
@click.option("--base-url", help="Walk a site already running at this address instead of the embedded mock.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the report (default: check-manual-<site>-<date and time>).")
@click.option("--rename", "renames", multiple=True, metavar="OLD=NEW",
              help="Rename a label in the embedded mock first (repeatable), to see what the check flags.")
@click.option("--headed", is_flag=True, help="Show the browser.")
@click.option("--seed", "seed", default=2018, show_default=True, help="Faker seed of the test data.")
def check_manual(site_version: str, base_url: str | None, out: Path | None, renames: tuple[str, ...],
                 headed: bool, seed: int) -> None:
    """Walk the manual on a site with its words alone and report, per instruction, whether it matches, a label
    changed, is ambiguous, missing, moved, or cannot be checked in a browser. Exit status 1 when anything
    drifted, 2 when the walk could not start."""
    from mock_csam.cli import parse_renames

    from .check_manual import ControlApi, Walk, walk_data
    from .manual_report import print_summary, write_report

    console = Console()
    pairs = parse_renames(renames)
    settings = harness_settings()
    label = "site" if base_url else site_version
    out = out or Path(f"check-manual-{label}-{dt.datetime.now():%Y%m%d-%H%M%S}")
    with _site(base_url, site_version, pairs) as url, sync_playwright() as p:
        try:
            executable = resolve_chromium(settings.CHROMIUM_EXECUTABLE, p.chromium.executable_path,
                                          settings.SYSTEM_CHROMIUM_CANDIDATES)
        except ChromiumNotFound as exc:
            console.print(f"[red]No Chromium:[/] {exc}")
            sys.exit(2)
        # The harness keeps the embedded mock's browser off the network; a given site must stay reachable.
        browser = p.chromium.launch(executable_path=executable, headless=not headed,
                                    args=[] if base_url else list(settings.LAUNCH_ARGS))
        control = ControlApi(url)
        control = control if control.available() else None
        if control is None:
            console.print("[yellow]No control API at this address: the test project is not recorded, and the "
                          "back office cannot receive the signed document (steps 3 and 4 need it).[/]")
        with console.status("Le manuel, instruction par instruction…") as status:
            walk = Walk(browser, url, walk_data(seed), control=control,
                        timeout_ms=settings.ACTION_TIMEOUT_MS,
                        on_result=lambda r: status.update(f"{r.id} : {r.status}"))
            results = walk.run()
        browser.close()
    print_summary(results, console)
    paths = write_report(results, out, {"site": url if base_url else f"mock {site_version}",
                                        "renamed": ", ".join(f"{k} → {v}" for k, v in pairs.items()) or "—",
                                        "checked": dt.datetime.now().isoformat(timespec="seconds")})
    for what, path in paths.items():
        console.print(f"{what}: {path}")
    sys.exit(1 if any(r.drifted for r in results) else 0)
