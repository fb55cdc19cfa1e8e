"""An edition's screen words in another language: each label of its instructions (and of their check items) read
through the label catalogue (e2e/labels.yaml) from the edition's language into the one a site is walked in, for
the same site version. The edition's text stays as it is: the check walks by the words, and the report quotes
the edition."""

from __future__ import annotations

from dataclasses import replace

from .manual import Edition, Instruction
from .pages.site import SITE_VERSIONS, Site, translate


def edition_site(edition: Edition) -> Site:
    """The site version and language an edition's words are of (its `edition:` header; the 2018 site in French
    when it says nothing)."""
    version = edition.info.site
    return Site(version if version in SITE_VERSIONS else "manual-2018", edition.info.language)


def in_language(edition: Edition, lang: str) -> list[Instruction]:
    """The edition's instructions with their screen words as the site says them in `lang` (the same words when the
    edition is in `lang`). Back-office steps and notes keep theirs: no screen shows them. LookupError naming
    the words when the catalogue has no such words."""
    source = edition_site(edition)
    if source.lang == lang:
        return list(edition.instructions)
    target = Site(source.version, lang)

    def say(words: str | None) -> str | None:
        return None if words is None else translate(words, source, target)

    translated = []
    for instruction in edition.instructions:
        if not instruction.browser:
            translated.append(instruction)
            continue
        check = tuple(
            replace(t, label=say(t.label) if t.verb != "go" else t.label, within=say(t.within), option=say(t.option))
            for t in instruction.check
        )
        translated.append(replace(instruction, labels=tuple(say(w) or w for w in instruction.labels), check=check))
    return translated
