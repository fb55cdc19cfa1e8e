"""`csam-harness walkthrough`: record the manual's steps on a site as a video, a screenshot per instruction and
the guide (HTML, PDF, DOCX), optionally compared with a previous walkthrough."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from playwright.sync_api import sync_playwright
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .cli_common import (
    base_url_option,
    edition_for,
    edition_language,
    headed_option,
    manual_option,
    seed_option,
    site_version_option,
)
from .guide_words import GUIDE_LANGUAGES, guide_words

if TYPE_CHECKING:
    from .walkthrough import Recording, WalkthroughStopped


def _steps(value: str) -> tuple[int, ...]:
    try:
        steps = tuple(sorted({int(part) for part in value.split(",") if part.strip()}))
    except ValueError:
        raise click.BadParameter("steps are numbers separated by commas, e.g. 2,3,4") from None
    if not steps or not set(steps) <= {2, 3, 4}:
        raise click.BadParameter("choose among the steps a browser performs: 2, 3 and 4")
    return steps


@click.command()
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
@base_url_option("Record")
@headed_option("Show the browser while recording.")
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
@seed_option("Faker seed of the people and the project shown.")
@manual_option("edition", "The edition to record")
@site_version_option(
    "Which version of the site to record: the embedded mock served (without --base-url), and the words the page "
    "objects expect."
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
    # The embedded mock, the browser and ffmpeg are looked up in e2e.cli when the command runs, so that one
    # place serves them to every command (and a test can replace them there).
    from . import cli as harness
    from .guide import write_outputs
    from .manual import load_manual
    from .pages.site import Site
    from .walkthrough import Walkthrough, WalkthroughStopped

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
    out = out or Path(f"walkthrough-{dt.datetime.now():%Y%m%d-%H%M%S}")
    video = not no_video
    words = guide_words(lang)
    if video and harness.ensure_ffmpeg() is None:
        console.print(escape(words["no ffmpeg"].format(path=harness.playwright_ffmpeg_path())), style="yellow")
        video = False
    with harness._site(base_url, site_version, {}, seeded=True) as url, sync_playwright() as p:
        browser = harness._launch(p, console, headed=headed, base_url=base_url, slow_mo=slow_mo)
        control = harness._control_api(url)
        if control is None:
            console.print(escape(words["no control api"].format(url=url)), style="red")
            raise SystemExit(2)

        def record(record_steps: tuple[int, ...], with_video: bool, label: str) -> Recording:
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
                    reset_first=base_url is None,
                    on_capture=lambda c: status.update(f"{label} {c.id}"),
                    manual=edition,
                    site=Site(site_version, lang),
                ).run()

        try:
            recording, changed = _record(record, steps, video, only_changed, previous, out, words)
        except WalkthroughStopped as stopped:
            _say_stopped(console, stopped, words)
            raise SystemExit(1) from None
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
        console.print(f"[yellow]{escape(words['no video'])}[/] {escape(recording.video_problem)}")
    if changed is not None:
        (out / "compare.json").write_text(
            json.dumps({"previous": str(previous), "changed": changed}, indent=2), encoding="utf-8"
        )
        files["compare"] = str(out / "compare.json")
        ids = ", ".join(changed) if changed else words["nothing"]
        console.print(escape(words["changed since"].format(previous=previous, ids=ids)))
    readable = sum(c.niss_readable for c in recording.captures)
    table = Table(title=words["outputs"])
    table.add_column(words["what"])
    table.add_column(words["where"])
    for what, where in files.items():
        table.add_row(words.get(f"file {what}", what), escape(where))
    console.print(table)
    covered = sum(c.niss_covered for c in recording.captures)
    console.print(words["summary"].format(n=len(recording.captures), covered=covered, readable=readable))


def _record(
    record: Callable[[tuple[int, ...], bool, str], Recording],
    steps: tuple[int, ...],
    video: bool,
    only_changed: bool,
    previous: Path | None,
    out: Path,
    words: dict[str, str],
) -> tuple[Recording, list[str] | None]:
    """The recording, filmed whole or only where the screenshots changed since `previous` (--only-changed), and
    the instructions whose screenshots changed (None without --compare)."""
    from .walkthrough import compare

    changed: list[str] | None = None
    if only_changed and previous is not None:  # --only-changed comes with --compare (checked above)
        recording = record(steps, False, words["captures only"])
        changed = compare(previous, out, only=[c.id for c in recording.captures])
        again = tuple(sorted({int(ident.split(".")[0]) for ident in changed} & set(steps)))
        if again and video:
            filmed = record(again, True, words["filming steps"].format(steps=", ".join(map(str, again))))
            recording.video, recording.video_problem = filmed.video, filmed.video_problem
            recording.chapters = filmed.chapters
            timed = {c.id: c for c in filmed.captures}
            recording.captures = [timed.get(c.id, c) for c in recording.captures]
    else:
        recording = record(steps, video, words["recording"])
        if previous is not None:
            changed = compare(previous, out, only=[c.id for c in recording.captures])
    return recording, changed


def _say_stopped(console: Console, stopped: WalkthroughStopped, words: dict[str, str]) -> None:
    """Where the recording stopped, Playwright's words, and what the page showed (its heading, its errors)."""
    instruction, page = stopped.instruction, stopped.page
    said = words["stopped"].format(id=instruction.id, text=instruction.text, error=stopped.reason)
    console.print(escape(said), style="red")
    heading = f"«{page.headings[0]}»" if page.headings else f"«{page.title}»"
    console.print(escape(words["page shows"].format(url=page.url, heading=heading)))
    for shown in page.errors:
        console.print(escape(words["page error"].format(error=shown)))
