"""`csam-harness import-manual`: reads a manual's French prose (plain text or Markdown) into a manual edition
(a YAML file in the shape of e2e/manual.yaml) and says what it could not read as instructions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
import yaml
from rich.console import Console
from rich.table import Table

from . import manual_import
from .manual_import import ImportedManual, ManualImportError

# How many words of a note the summary shows: enough to find it in the source.
NOTE_WORDS = 8


def _read_source(source: Path) -> str:
    """The source's text; a click error naming the problem when it is missing, a folder or not UTF-8."""
    if not source.exists():
        raise click.BadParameter(f"{source} does not exist", param_hint="SOURCE")
    if source.is_dir():
        raise click.BadParameter(f"{source} is a folder, not a manual's text file", param_hint="SOURCE")
    try:
        return source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.BadParameter(
            f"{source} is not UTF-8 text (byte {exc.start} cannot be read); convert it first, "
            "e.g. with `iconv -t UTF-8`",
            param_hint="SOURCE",
        ) from None
    except OSError as exc:
        raise click.BadParameter(f"{source} cannot be read: {exc.strerror}", param_hint="SOURCE") from None


def _summary(console: Console, imported: ImportedManual, out: Path) -> None:
    """Instructions per step, and the notes' first words: what was not read as an instruction."""
    per_step = Counter(entry["step"] for entry in imported.instructions)
    table = Table(title=f"Manual edition written to {out}")
    table.add_column("step", justify="right")
    table.add_column("instructions", justify="right")
    table.add_column("title")
    for step in sorted(per_step):
        table.add_row(str(step), str(per_step[step]), imported.edition["steps"].get(step, ""))
    console.print(table)
    console.print(
        f"{len(imported.instructions)} instructions, {len(imported.notes)} notes "
        "(not read as instructions, kept under `notes`):"
    )
    for note in imported.notes:
        words = note["text"].split()
        first = " ".join(words[:NOTE_WORDS]) + (" …" if len(words) > NOTE_WORDS else "")
        console.print(f"  {note['id']}: {first}", markup=False, highlight=False)


@click.command("import-manual")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=True, exists=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The edition to write (default: SOURCE's name with .yaml, in the current folder).",
)
@click.option("--force", is_flag=True, help="Overwrite --out when it exists.")
def import_manual(source: Path, out: Path | None, force: bool) -> None:
    """Read a manual's French text (plain or Markdown) into a manual edition (YAML)."""
    text = _read_source(source)
    out = out if out is not None else Path(source.stem + ".yaml")
    if out.exists() and not force:
        raise click.UsageError(f"{out} exists; pass --force to overwrite it or choose another --out")
    if not out.parent.is_dir():
        raise click.UsageError(f"{out.parent} does not exist; create it or choose another --out")
    try:
        imported = manual_import.import_manual(text)
    except ManualImportError as exc:
        raise click.UsageError(f"{source}: {exc}") from None
    out.write_text(yaml.safe_dump(imported.edition, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
    _summary(Console(), imported, out)
