"""`csam-harness check-manual` (walk the manual on a site with its words alone and report where they drift) and
`csam-harness update-manual` (walk a site with an edition and write the edition for that site, with the diff to
review beside it)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

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

if TYPE_CHECKING:
    from .manual import Edition
    from .update_manual import Update


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
            _refuse(f"--compare : {error}")
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
    help="The new edition's file (default: edition-<site>-<date>.yaml); what changed, to review, is written "
    "beside it as <name>.diff.",
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
    change with why (see docs/manual-schema.md); beside it, <name>.diff holds only what changed, to review.
    Exit status 2 when the edition or an option is wrong, or the files cannot be written."""
    from mock_csam.cli import parse_renames

    from . import cli as harness
    from .check_manual import Walk
    from .control_api import walk_data
    from .manual import load_edition
    from .update_manual import regenerate, review_path

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
    if str(out) == "-":
        # The edition goes to a file with its review diff beside it; the walk's progress is on stdout.
        _refuse(
            "--out - : update-manual écrit l'édition dans un fichier, avec à côté le diff à relire ; donnez un nom "
            "de fichier (par exemple --out edition.yaml)."
        )
    # Before the walk: a folder that cannot take the files should not cost a whole walk.
    for path, what in ((out, "la nouvelle édition"), (review_path(out), "le fichier de relecture")):
        problem = _cannot_write(path)
        if problem is not None:
            _refuse(f"Impossible d'écrire {what} {path} : {problem}.")
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
    # The walkthrough records the new edition on the site it was made from.
    where = f"--base-url {base_url}" if base_url else f"--site-version {site_version}"
    write_update(console, update, edition, out, site, where)


def _shown(path: Path) -> str:
    """A path as the person would type it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _cannot_write(path: Path) -> str | None:
    """Why a file could not be written at `path` (in French), or None when it looks writable."""
    folder = path.parent
    if not folder.is_dir():
        return f"le dossier {folder} n'existe pas"
    if path.is_dir():
        return f"{path} est un dossier"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"{path} n'est pas accessible en écriture"
    return None


def _refuse(message: str) -> NoReturn:
    """One clear line on stderr and exit status 2, as for a bad option."""
    click.echo(message, err=True)
    sys.exit(2)


def _print_line(console: Console, line: str) -> None:
    """A line naming files, as given: no markup, no highlighting, not wrapped, so that paths can be copied."""
    console.print(line, soft_wrap=True, markup=False, highlight=False)


def write_update(
    console: Console, update: Update, edition: Edition, out: Path, site: str, where: str = "--site-version manual-2018"
) -> None:
    """Write the new edition to `out` and, when anything changed, its review diff beside it (`review_path`);
    print what changed, the file to review, and the command that records the edition (`where`: the walkthrough's
    option naming the site the edition was made from). Exit status 2 (with a
    French message, nothing left half-written) when either file cannot be written."""
    from .update_manual import dump, review_counts, review_diff, review_path, summary_rows

    review = review_path(out)
    text = dump(update, edition)
    diff = review_diff(update, edition, old_name=_shown(edition.path), new_name=_shown(out))
    try:
        if diff:
            review.write_text(diff, encoding="utf-8")
        else:
            # A review file left at this path by an earlier run describes changes this edition does not have (it
            # is the previous one written back): removed, so that no one reviews a diff of something else.
            review.unlink(missing_ok=True)
    except OSError as error:
        doing = "d'écrire le" if diff else "de supprimer l'ancien"
        _refuse(f"Impossible {doing} fichier de relecture {review} : {error.strerror or error}.")
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        if diff:
            review.unlink(missing_ok=True)
        _refuse(f"Impossible d'écrire la nouvelle édition {out} : {error.strerror or error}.")
    if not diff:
        _print_line(console, f"Aucun écart : l'édition est inchangée ({out}) ; rien à relire.")
        return
    table = Table(title=f"Nouvelle édition pour {site}")
    for column in ("ID", "changement", "pourquoi"):
        table.add_column(column)
    for row in summary_rows(update):
        table.add_row(*row)
    console.print(table)
    _print_line(console, f"Nouvelle édition : {out}.")
    counts = review_counts(update)
    _print_line(console, f"À relire : {review}, rien que ce qui a changé ({counts}) ; par exemple `less {review}`.")
    _print_line(console, f"Puis enregistrez-la avec `csam-harness walkthrough --manual {out} {where}`.")
