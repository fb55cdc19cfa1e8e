"""What the `csam-harness` commands share at definition time: the `--manual` option (an edition by name or
file, checked before anything runs), the edition in the language asked for, and the site versions of the
embedded mock."""

from __future__ import annotations

from pathlib import Path

import click

# The versions of the embedded mock a command can serve (mock_csam's SITE_VERSION).
SITE_VERSIONS = ("manual-2018", "current")


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
