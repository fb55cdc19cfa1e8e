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
from typing import Any

import click
from playwright.sync_api import Browser, Playwright, sync_playwright
from rich.console import Console
from rich.table import Table

from .guide_words import GUIDE_LANGUAGES
from .report_words import LANGUAGES
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


def _control_api(url: str):
    """The site's control API (the same HTTP seeder the suites use against a served mock), or None when it has
    none."""
    from .seeding import HttpSeeder

    control = HttpSeeder(url)
    return control if control.available() else None


def edition_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Path | None:
    """`--manual`: an edition by name (manual-2018, current, manual-2018-nl) or file, validated now so that a bad
    one is one clear message and exit status 2; None when not given (see `edition_for`)."""
    from .manual import EDITIONS, ManualError, load_edition, resolve_edition

    if value is None:
        return None
    path = resolve_edition(value)
    if value not in EDITIONS and not path.is_file():
        raise click.BadParameter(f"{value}: no such file (or an edition name: {', '.join(EDITIONS)})")
    try:
        load_edition(path)
    except ManualError as error:
        raise click.BadParameter(str(error)) from None
    return path


def edition_for(manual: Path | None, lang: str) -> Path:
    """The edition given, else the 2018 edition in the language asked for (manual-2018, manual-2018-nl)."""
    from .manual import resolve_edition

    return manual or resolve_edition("manual-2018" if lang == "fr" else f"manual-2018-{lang}")


def edition_language(edition: Path) -> str:
    """The language an edition is written in (its `edition.language`, French when it says nothing)."""
    from .manual import load_edition

    return load_edition(edition).info.language


MANUAL_HELP = "The manual edition: a file in the schema of docs/manual-schema.md, or manual-2018 or current."


@main.command("check-manual")
@click.option(
    "--manual",
    "manual",
    callback=edition_option,
    metavar="EDITION",
    help=MANUAL_HELP + " The edition to check (default: manual-2018).",
)
@click.option(
    "--site-version",
    type=click.Choice(("manual-2018", "current")),
    default="manual-2018",
    show_default=True,
    help="Which version of the embedded mock to walk (without --base-url).",
)
@click.option("--base-url", help="Walk a site already running at this address instead of the embedded mock.")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the report (default: check-manual-<site>-<date and time>).",
)
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="Rename a label in the embedded mock first (repeatable), to see what the check flags.",
)
@click.option("--headed", is_flag=True, help="Show the browser.")
@click.option("--seed", "seed", default=2018, show_default=True, help="Faker seed of the test data.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="fr",
    show_default=True,
    help="The language the report speaks (the manual's).",
)
@click.option(
    "--compare",
    "previous",
    type=click.Path(path_type=Path),
    default=None,
    metavar="PREVIOUS_REPORT",
    help="A previous check-manual output folder (report.json and screenshots/): flag the instructions "
    "whose screenshot changed, «écran modifié», even when the words did not.",
)
@click.option(
    "--compare-threshold",
    "threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="With --compare: the share of a screenshot's pixels that may change before the screen counts "
    "as changed [default: 0.002, i.e. 0.2 %].",
)
def check_manual(
    manual: Path,
    site_version: str,
    base_url: str | None,
    out: Path | None,
    renames: tuple[str, ...],
    headed: bool,
    seed: int,
    lang: str,
    previous: Path | None,
    threshold: float | None,
) -> None:
    """Walk the manual on a site with its words alone and report, per instruction, whether it matches, a label
    changed, is ambiguous, missing, moved, or cannot be checked in a browser (and, with --compare, whether its
    screen changed). The walk writes into the site: a test project, its signed document, a GAP designation
    request, a co-GAP and a user (deleted again); it says so before it starts and in the report. Exit status 1
    when anything drifted, 2 when the walk could not start."""
    from mock_csam.cli import parse_renames

    from .check_manual import Walk
    from .control_api import walk_data
    from .manual_report import (
        COMPARE_THRESHOLD,
        PreviousReportError,
        announce_writes,
        compare_screens,
        load_previous,
        print_files,
        print_summary,
        print_writes,
        say,
        site_state,
        verdict_word,
        write_report,
        wrote_into_site,
    )

    console = Console()
    if threshold is not None and previous is None:
        raise click.UsageError("--compare-threshold needs --compare PREVIOUS_REPORT")
    if previous is not None:
        # Before the walk: a wrong folder should not cost a whole walk.
        try:
            load_previous(previous)
        except PreviousReportError as error:
            click.echo(f"--compare : {error}", err=True)
            sys.exit(2)
    pairs = parse_renames(renames)
    settings = harness_settings()
    label = "site" if base_url else site_version
    out = out or Path(f"check-manual-{label}-{dt.datetime.now():%Y%m%d-%H%M%S}")
    manual = edition_for(manual, lang)
    data = walk_data(seed, lang)
    with _walking(console, base_url, site_version, pairs, headed) as (url, browser, control):
        announce_writes(data, control is not None, console, lang)
        with console.status(say("walking", lang)) as status:
            walk = Walk(
                browser,
                url,
                data,
                control=control,
                timeout_ms=settings.ACTION_TIMEOUT_MS,
                on_result=lambda r: status.update(f"{r.id} : {verdict_word(r.status, lang)}"),
                manual=manual,
                lang=lang,
            )
            results = walk.run()
        # Read back what the walk left in the site while the site still runs (the embedded mock stops next).
        wrote = wrote_into_site(
            data, control is not None, site_state(url) if control is not None else None, results, lang
        )
    about = {
        "site": url if base_url else f"mock {site_version}",
        "renamed": ", ".join(f"{k} → {v}" for k, v in pairs.items()) or "—",
        "checked": dt.datetime.now().isoformat(timespec="seconds"),
    }
    if previous is not None:
        limit = COMPARE_THRESHOLD if threshold is None else threshold
        compare_screens(results, previous, limit)
        about |= {"compared_with": str(previous), "compare_threshold": limit}
    print_summary(results, console, lang)
    print_writes(wrote, console, lang)
    paths = write_report(results, out, about, wrote=wrote, previous=previous, lang=lang)
    print_files(paths, console, lang)
    sys.exit(1 if any(r.drifted for r in results) else 0)


@main.command("update-manual")
@click.option(
    "--manual",
    "manual",
    callback=edition_option,
    metavar="EDITION",
    help=MANUAL_HELP + " The edition to start from (default: manual-2018).",
)
@click.option(
    "--site-version",
    type=click.Choice(("manual-2018", "current")),
    default="manual-2018",
    show_default=True,
    help="Which version of the embedded mock to walk (without --base-url).",
)
@click.option("--base-url", help="Walk a site already running at this address instead of the embedded mock.")
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="Rename a label in the embedded mock first (repeatable).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The new edition's file (default: edition-<site>-<date>.yaml).",
)
@click.option("--headed", is_flag=True, help="Show the browser.")
@click.option("--seed", "seed", default=2018, show_default=True, help="Faker seed of the test data.")
def update_manual(
    manual: Path | None,
    site_version: str,
    base_url: str | None,
    renames: tuple[str, ...],
    out: Path | None,
    headed: bool,
    seed: int,
) -> None:
    """Walk a site with an edition of the manual and write the edition for that site: what matches kept word for
    word, changed labels replaced, what moved or went rewritten or removed, what the site now needs added, each
    change with why (see docs/manual-schema.md). Exit status 2 when the edition or an option is wrong."""
    from mock_csam.cli import parse_renames

    from .check_manual import Walk
    from .control_api import walk_data
    from .manual import load_edition
    from .update_manual import dump, regenerate, summary_rows

    console = Console()
    pairs = parse_renames(renames)
    manual = edition_for(manual, "fr")
    if edition_language(manual) != "fr":
        # Its sentences say what changed in French, and the walk would look for the edition's words in French.
        raise click.BadParameter(
            f"{manual}: update-manual regenerates editions in French (this one is in {edition_language(manual)})",
            param_hint="'--manual'",
        )
    edition = load_edition(manual)
    site = base_url or site_version + "".join(f" --rename {k}={v}" for k, v in pairs.items())
    out = out or Path(f"edition-{'site' if base_url else site_version}-{dt.date.today():%Y%m%d}.yaml")
    with _walking(console, base_url, site_version, pairs, headed) as (url, browser, control):
        if control is None:
            console.print(
                "[yellow]Pas d'API de contrôle à cette adresse : le projet de test n'est pas enregistré, et "
                "les étapes 3 et 4 ne peuvent pas être parcourues.[/]"
            )
        with console.status("Le manuel, instruction par instruction…") as status:
            walk = Walk(
                browser,
                url,
                walk_data(seed),
                control=control,
                timeout_ms=harness_settings().ACTION_TIMEOUT_MS,
                on_result=lambda r: status.update(f"{r.id} : {r.status}"),
                manual=manual,
            )
            results = walk.run()
    update = regenerate(edition, results, walk.events, site=site)
    out.write_text(dump(update, edition), encoding="utf-8")
    if not update.changed:
        console.print(f"Aucun écart : l'édition est inchangée ({out}).")
        return
    table = Table(title=f"Nouvelle édition pour {site}")
    for column in ("ID", "changement", "pourquoi"):
        table.add_column(column)
    for row in summary_rows(update):
        table.add_row(*row)
    console.print(table)
    console.print(
        f"Nouvelle édition : {out}. Relisez le diff (`diff -u {edition.path} {out}`), puis enregistrez-la "
        f"avec `csam-harness walkthrough --manual {out}`."
    )


def _steps(value: str) -> tuple[int, ...]:
    try:
        steps = tuple(sorted({int(part) for part in value.split(",") if part.strip()}))
    except ValueError:
        raise click.BadParameter("steps are numbers separated by commas, e.g. 2,3,4") from None
    if not steps or not set(steps) <= {2, 3, 4}:
        raise click.BadParameter("choose among the steps a browser performs: 2, 3 and 4")
    return steps


@main.command()
@click.option("--steps", "steps_text", default="2,3,4", show_default=True, help="The manual's steps to record.")
@click.option(
    "--lang",
    type=click.Choice(GUIDE_LANGUAGES),
    default="fr",
    show_default=True,
    help="The language the site is shown in and the guide written in (the edition: see --manual).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write to (default: walkthrough-<date and time>).",
)
@click.option("--base-url", help="Record a site already running at this address instead of the embedded mock.")
@click.option("--headed", is_flag=True, help="Show the browser while recording.")
@click.option(
    "--slow-mo",
    "slow_mo",
    type=click.IntRange(0, 10_000),
    default=0,
    show_default=True,
    help="Pause after each action, in milliseconds, for watching.",
)
@click.option("--show-niss", is_flag=True, help="Do not cover NISS numbers (they are covered by default).")
@click.option("--no-video", is_flag=True, help="Only the screenshots, the guide and the manifest.")
@click.option(
    "--compare",
    "previous",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A previous walkthrough's folder: list the instructions whose screenshot changed.",
)
@click.option(
    "--only-changed",
    is_flag=True,
    help="With --compare: record the video only for the steps whose screenshots changed.",
)
@click.option("--seed", default=2018, show_default=True, help="Faker seed of the people and the project shown.")
@click.option(
    "--manual",
    "edition",
    callback=edition_option,
    metavar="EDITION",
    help=MANUAL_HELP + " The edition to record (default: manual-2018).",
)
@click.option(
    "--site-version",
    type=click.Choice(("manual-2018", "current")),
    default="manual-2018",
    show_default=True,
    help="Which version of the site to record: the embedded mock served (without "
    "--base-url), and the words the page objects expect.",
)
def walkthrough(
    steps_text: str,
    lang: str,
    out: Path | None,
    base_url: str | None,
    headed: bool,
    slow_mo: int,
    show_niss: bool,
    no_video: bool,
    previous: Path | None,
    only_changed: bool,
    seed: int,
    edition: Path | None,
    site_version: str,
) -> None:
    """Record the manual's steps on the mock: a video with action markers and a title card per step, a
    screenshot per instruction with the elements used numbered, the guide (HTML, PDF, DOCX) with what changed
    since the previous edition, and WebVTT subtitles. Exit status 2 when the edition cannot be read."""
    from .guide import write_outputs
    from .manual import load_manual
    from .pages.site import Site
    from .walkthrough import Walkthrough, compare

    if only_changed and previous is None:
        raise click.UsageError("--only-changed needs --compare PREVIOUS_DIR")
    steps = _steps(steps_text)
    console = Console()
    edition = edition_for(edition, lang)
    if edition_language(edition) != lang:
        raise click.BadParameter(
            f"{edition} is in {edition_language(edition)}: its captions would not be in {lang} "
            f"(the edition in {lang}: manual-2018{'' if lang == 'fr' else '-' + lang})",
            param_hint="'--manual'",
        )
    unperformed = [
        i.id for i in load_manual(edition) if i.step in steps and i.browser and i.kind != "note" and not i.actions
    ]
    if unperformed:
        raise click.BadParameter(
            f"{edition}: no page-object actions perform {', '.join(unperformed)} (field "
            "'actions'), so they cannot be recorded",
            param_hint="'--manual'",
        )
    settings = harness_settings()
    out = out or Path(f"walkthrough-{dt.datetime.now():%Y%m%d-%H%M%S}")
    video = not no_video
    if video and ensure_ffmpeg() is None:
        console.print(
            f"[yellow]No ffmpeg for the video[/] (Playwright looks for it at {playwright_ffmpeg_path()}): "
            "install Debian's ffmpeg (`apt-get install ffmpeg`) or the imageio-ffmpeg package "
            "(`pip install imageio-ffmpeg`), then run `csam-harness doctor --fix`. Writing the screenshots "
            "and the guide without a video."
        )
        video = False
    with _site(base_url, site_version, {}, seeded=True) as url, sync_playwright() as p:
        browser = _launch(p, console, headed=headed, base_url=base_url, slow_mo=slow_mo)
        control = _control_api(url)

        def record(record_steps: tuple[int, ...], with_video: bool, label: str):
            with console.status(label) as status:
                return Walkthrough(
                    browser,
                    url,
                    out,
                    steps=record_steps,
                    control=control,
                    seed=seed,
                    show_niss=show_niss,
                    video=with_video,
                    timeout_ms=settings.ACTION_TIMEOUT_MS,
                    reset_first=base_url is None,
                    on_capture=lambda c: status.update(f"{label} {c.id}"),
                    manual=edition,
                    site=Site(site_version, lang),
                ).run()

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
            changed = compare(previous, out, only=[c.id for c in recording.captures]) if previous is not None else None
        browser.close()
    files = write_outputs(
        recording,
        video_captures=None
        if not only_changed
        else [
            c for c in recording.captures if recording.chapters and c.step in {ch["step"] for ch in recording.chapters}
        ],
        previous=previous,
    )
    if recording.video_problem:
        console.print(f"[yellow]No video:[/] {recording.video_problem}")
    if changed is not None:
        (out / "compare.json").write_text(
            json.dumps({"previous": str(previous), "changed": changed}, indent=2), encoding="utf-8"
        )
        files["compare"] = str(out / "compare.json")
        console.print(f"Changed since {previous}: {', '.join(changed) if changed else 'nothing'}")
    readable = sum(c.niss_readable for c in recording.captures)
    table = Table(title="Walkthrough")
    table.add_column("what")
    table.add_column("where")
    for what, where in files.items():
        table.add_row(what, where)
    console.print(table)
    console.print(
        f"{len(recording.captures)} instructions, NISS covered {sum(c.niss_covered for c in recording.captures)}"
        f" times, readable {readable}"
    )


from .cli_import import import_manual  # noqa: E402

main.add_command(import_manual)
