"""The `csam-harness` command: tool-chain checks (which Chromium and ffmpeg the harness uses) and the
manual-accuracy check (`check-manual`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import click
from playwright.sync_api import Browser, Playwright, sync_playwright
from rich.console import Console
from rich.table import Table

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

    server = LiveServer(create_app({"DATABASE": ":memory:", "CONTROL_API": True, "SITE_VERSION": site_version,
                                    "RENAMED_LABELS": renames, "RANDOM_SEED": 2018 if seeded else None})).start()
    try:
        yield server.url
    finally:
        server.stop()


def _launch(p: Playwright, console: Console, *, headed: bool, base_url: str | None, slow_mo: float = 0) -> Browser:
    """The harness's Chromium (see playwright.config.py), or exit 2 saying why there is none. Playwright's own
    slow_mo pauses after each action when watching."""
    settings = harness_settings()
    try:
        executable = resolve_chromium(settings.CHROMIUM_EXECUTABLE, p.chromium.executable_path,
                                      settings.SYSTEM_CHROMIUM_CANDIDATES)
    except ChromiumNotFound as exc:
        console.print(f"[red]No Chromium:[/] {exc}")
        sys.exit(2)
    # The harness keeps the embedded mock's browser off the network; a given site must stay reachable.
    return p.chromium.launch(executable_path=executable, headless=not headed, slow_mo=slow_mo,
                             args=[] if base_url else list(settings.LAUNCH_ARGS))


def _control_api(url: str):
    """The site's control API, or None when it has none."""
    from .check_manual import ControlApi

    control = ControlApi(url)
    return control if control.available() else None


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

    from .check_manual import Walk, walk_data
    from .manual_report import print_summary, write_report

    console = Console()
    pairs = parse_renames(renames)
    settings = harness_settings()
    label = "site" if base_url else site_version
    out = out or Path(f"check-manual-{label}-{dt.datetime.now():%Y%m%d-%H%M%S}")
    with _site(base_url, site_version, pairs) as url, sync_playwright() as p:
        browser = _launch(p, console, headed=headed, base_url=base_url)
        control = _control_api(url)
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


def _steps(value: str) -> tuple[int, ...]:
    try:
        steps = tuple(sorted({int(part) for part in value.split(",") if part.strip()}))
    except ValueError:
        raise click.BadParameter("steps are numbers separated by commas, e.g. 2,3,4") from None
    if not steps or not set(steps) <= {2, 3, 4}:
        raise click.BadParameter("choose among the steps a browser performs: 2, 3 and 4")
    return steps


def _edition_problem(path: Path) -> str | None:
    """What is wrong with an edition file, in one sentence naming the entry and the field; None when the
    walkthrough and the guide can read all of it."""
    import yaml

    from .manual import ManualError, load_edition_info, load_manual, load_notes, load_removed, load_steps

    try:
        for load in (load_manual, load_steps, load_notes, load_removed, load_edition_info):
            load(path)
    except ManualError as error:
        return str(error)
    except yaml.YAMLError as error:
        return "not valid YAML: " + " ".join(str(error).split())
    except OSError as error:
        return error.strerror or str(error)
    return None


@main.command()
@click.option("--steps", "steps_text", default="2,3,4", show_default=True, help="The manual's steps to record.")
@click.option("--lang", type=click.Choice(("fr",)), default="fr", show_default=True,
              help="The manual's language (the mock and the manual exist in French).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write to (default: walkthrough-<date and time>).")
@click.option("--base-url", help="Record a site already running at this address instead of the embedded mock.")
@click.option("--headed", is_flag=True, help="Show the browser while recording.")
@click.option("--slow-mo", "slow_mo", type=click.IntRange(0, 10_000), default=0, show_default=True,
              help="Pause after each action, in milliseconds, for watching.")
@click.option("--show-niss", is_flag=True, help="Do not cover NISS numbers (they are covered by default).")
@click.option("--no-video", is_flag=True, help="Only the screenshots, the guide and the manifest.")
@click.option("--compare", "previous", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A previous walkthrough's folder: list the instructions whose screenshot changed.")
@click.option("--only-changed", is_flag=True,
              help="With --compare: record the video only for the steps whose screenshots changed.")
@click.option("--seed", default=2018, show_default=True, help="Faker seed of the people and the project shown.")
@click.option("--manual", "edition", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The edition of the manual to record (default: the packaged e2e/manual.yaml).")
@click.option("--site-version", type=click.Choice(("manual-2018", "current")), default="manual-2018",
              show_default=True, help="Which version of the embedded mock to record (without --base-url).")
def walkthrough(steps_text: str, lang: str, out: Path | None, base_url: str | None, headed: bool, slow_mo: int,
                show_niss: bool, no_video: bool, previous: Path | None, only_changed: bool, seed: int,
                edition: Path | None, site_version: str) -> None:
    """Record the manual's steps on the mock: a video with action markers and a title card per step, a
    screenshot per instruction with the elements used numbered, the guide (HTML, PDF, DOCX) with what changed
    since the previous edition, and WebVTT subtitles. Exit status 2 when the edition cannot be read."""
    from .guide import write_outputs
    from .manual import MANUAL_FILE
    from .walkthrough import Walkthrough, compare

    if only_changed and previous is None:
        raise click.UsageError("--only-changed needs --compare PREVIOUS_DIR")
    steps = _steps(steps_text)
    console = Console()
    edition = edition or MANUAL_FILE
    problem = _edition_problem(edition)
    if problem:
        console.print(f"[red]The edition {edition} cannot be recorded:[/] {problem}", highlight=False)
        sys.exit(2)
    settings = harness_settings()
    out = out or Path(f"walkthrough-{dt.datetime.now():%Y%m%d-%H%M%S}")
    video = not no_video
    if video and ensure_ffmpeg() is None:
        console.print(f"[yellow]No ffmpeg for the video[/] (Playwright looks for it at {playwright_ffmpeg_path()}): "
                      "install Debian's ffmpeg (`apt-get install ffmpeg`) or the imageio-ffmpeg package "
                      "(`pip install imageio-ffmpeg`), then run `csam-harness doctor --fix`. Writing the screenshots "
                      "and the guide without a video.")
        video = False
    with _site(base_url, site_version, {}, seeded=True) as url, sync_playwright() as p:
        browser = _launch(p, console, headed=headed, base_url=base_url, slow_mo=slow_mo)
        control = _control_api(url)

        def record(record_steps: tuple[int, ...], with_video: bool, label: str):
            with console.status(label) as status:
                return Walkthrough(browser, url, out, steps=record_steps, control=control, seed=seed,
                                   show_niss=show_niss, video=with_video,
                                   timeout_ms=settings.ACTION_TIMEOUT_MS, reset_first=base_url is None,
                                   on_capture=lambda c: status.update(f"{label} {c.id}"), manual=edition).run()

        if only_changed:
            recording = record(steps, False, "Captures…")
            changed = compare(previous, out, only=[c.id for c in recording.captures])
            again = tuple(sorted({int(ident.split(".")[0]) for ident in changed} & set(steps)))
            if again and video:
                filmed = record(again, True, f"Vidéo des étapes {', '.join(map(str, again))}…")
                recording.video, recording.video_problem = filmed.video, filmed.video_problem
                recording.chapters = filmed.chapters
                timed = {c.id: c for c in filmed.captures}
                recording.captures = [timed.get(c.id, c) for c in recording.captures]
        else:
            recording = record(steps, video, "Enregistrement…")
            changed = (compare(previous, out, only=[c.id for c in recording.captures]) if previous is not None
                       else None)
        browser.close()
    files = write_outputs(recording, video_captures=None if not only_changed else [
        c for c in recording.captures if recording.chapters and c.step in {ch["step"] for ch in recording.chapters}],
        previous=previous)
    if recording.video_problem:
        console.print(f"[yellow]No video:[/] {recording.video_problem}")
    if changed is not None:
        (out / "compare.json").write_text(json.dumps({"previous": str(previous), "changed": changed}, indent=2),
                                          encoding="utf-8")
        files["compare"] = str(out / "compare.json")
        console.print(f"Changed since {previous}: {', '.join(changed) if changed else 'nothing'}")
    readable = sum(c.niss_readable for c in recording.captures)
    table = Table(title="Walkthrough")
    table.add_column("what")
    table.add_column("where")
    for what, where in files.items():
        table.add_row(what, where)
    console.print(table)
    console.print(f"{len(recording.captures)} instructions, NISS covered {sum(c.niss_covered for c in recording.captures)}"
                  f" times, readable {readable}")
