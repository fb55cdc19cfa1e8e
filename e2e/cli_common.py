"""What the `csam-harness` commands share at definition time: the options several of them take (`--manual`, an
edition by name or file checked before anything runs; `--site-version`; `--base-url`; `--rename`; `--headed`;
`--seed`), the edition in the language asked for, and the site versions of the embedded mock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

Decorator = Callable[[Any], Any]

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


def manual_option(name: str, purpose: str) -> Decorator:
    """`--manual EDITION`, given to the command as `name`; `purpose` says what the edition is for."""
    return click.option(
        "--manual",
        name,
        callback=edition_option,
        metavar="EDITION",
        help=f"{MANUAL_HELP} {purpose} (default: manual-2018).",
    )


def site_version_option(
    help: str = "Which version of the embedded mock to walk (without --base-url).",
) -> Decorator:
    """`--site-version`: the version of the embedded mock to serve."""
    return click.option(
        "--site-version", type=click.Choice(SITE_VERSIONS), default="manual-2018", show_default=True, help=help
    )


def base_url_option(verb: str = "Walk") -> Decorator:
    """`--base-url URL`: a site already running, instead of the embedded mock."""
    return click.option(
        "--base-url", help=f"{verb} a site already running at this address instead of the embedded mock."
    )


def rename_option(purpose: str = "") -> Decorator:
    """`--rename OLD=NEW` (repeatable), given as `renames`: a simulated change of the embedded mock's words."""
    return click.option(
        "--rename",
        "renames",
        multiple=True,
        metavar="OLD=NEW",
        help=f"Rename a label in the embedded mock first (repeatable){purpose}.",
    )


def headed_option(help: str = "Show the browser.") -> Decorator:
    """`--headed`: show the browser."""
    return click.option("--headed", is_flag=True, help=help)


def seed_option(help: str = "Faker seed of the test data.") -> Decorator:
    """`--seed N`: the Faker seed of the data the walk types."""
    return click.option("--seed", "seed", default=2018, show_default=True, help=help)
