"""`csam-harness check-manual` (walk the manual on a site with its words alone and report where they drift) and
`csam-harness update-manual` (walk a site with an edition and write the edition for that site)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from .cli_common import (
    base_url_option,
    edition_for,
    edition_language,
    headed_option,
    manual_option,
    rename_option,
    seed_option,
    site_version_option,
)
from .report_words import LANGUAGES


@click.command("check-manual")
@manual_option("manual", "The edition to check")
@site_version_option()
@base_url_option()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the report (default: check-manual-<site>-<date and time>).",
)
@rename_option(", to see what the check flags")
@headed_option()
@seed_option()
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

    from . import cli as harness
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
    label = "site" if base_url else site_version
    out = out or Path(f"check-manual-{label}-{dt.datetime.now():%Y%m%d-%H%M%S}")
    manual = edition_for(manual, lang)
    data = walk_data(seed, lang)
    with harness._walking(console, base_url, site_version, pairs, headed) as (url, browser, control):
        announce_writes(data, control is not None, console, lang)
        with console.status(say("walking", lang)) as status:
            walk = Walk(
                browser,
                url,
                data,
                control=control,
                on_result=lambda r: status.update(f"{r.id} : {verdict_word(r.status, lang)}"),
                manual=manual,
                lang=lang,
            )
            results = walk.run()
        # Read back what the walk left in the site while the site still runs (the embedded mock stops next).
        wrote = wrote_into_site(
            data, control is not None, site_state(url) if control is not None else None, results, lang
        )
    about: dict[str, Any] = {
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


@click.command("update-manual")
@manual_option("manual", "The edition to start from")
@site_version_option()
@base_url_option()
@rename_option()
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The new edition's file (default: edition-<site>-<date>.yaml).",
)
@headed_option()
@seed_option()
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

    from . import cli as harness
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
    with harness._walking(console, base_url, site_version, pairs, headed) as (url, browser, control):
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
