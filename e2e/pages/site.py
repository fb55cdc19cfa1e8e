"""Which site the page objects are on, and the site's words as data: the catalogue e2e/labels.yaml (every screen
word the harness finds an element by, keyed by meaning, one column per language and, where the site versions
word it differently, one value per version), the page that follows an action where the versions order their
pages differently, and the addresses that differ. Page objects read them through `site_of(page)`; a harness says
which site a browser context shows with `use_site(context, Site(...))` (without it: the manual's 2018 site, in
French). `translate()` says one column's words in another (a French edition's words on a Dutch site).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from weakref import WeakKeyDictionary

import yaml
from playwright.sync_api import BrowserContext, Page

SITE_VERSIONS = ("manual-2018", "current")
DEFAULT_VERSION = "manual-2018"
DEFAULT_LANGUAGE = "fr"
CATALOGUE = "labels.yaml"

# An entry's words in one language: the same for every version, or one value per version (None: the version has
# no such element).
Words = str | None | dict[str, str | None]


class CatalogueError(ValueError):
    """e2e/labels.yaml is not a catalogue: the message names the entry and what is wrong."""


class MissingLabel(LookupError):
    """The catalogue has no words for this key in this language (or version)."""


@cache
def catalogue() -> dict[str, dict[str, Words]]:
    """The catalogue, key -> language -> words, read and checked once (it ships with the e2e package)."""
    text = (resources.files(__package__.rpartition(".")[0]) / CATALOGUE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise CatalogueError(f"{CATALOGUE}: expected a mapping of keys to their words")
    for key, entry in data.items():
        if not isinstance(key, str) or not isinstance(entry, dict) or not entry:
            raise CatalogueError(f"{CATALOGUE}: {key!r}: expected a mapping of language codes to words")
        for lang, words in entry.items():
            where = f"{CATALOGUE}: {key}, column {lang!r}"
            if not isinstance(lang, str):
                raise CatalogueError(f"{where}: a language code is text (quote it)")
            if isinstance(words, dict):
                if set(words) != set(SITE_VERSIONS):
                    raise CatalogueError(f"{where}: one value per site version, {', '.join(SITE_VERSIONS)}")
                if not all(value is None or isinstance(value, str) for value in words.values()):
                    raise CatalogueError(f"{where}: each version's words are text, or null")
            elif words is not None and not isinstance(words, str):
                raise CatalogueError(f"{where}: words are text, null, or one value per site version")
    return data


def languages() -> tuple[str, ...]:
    """The catalogue's columns, in the order they first appear."""
    return tuple(dict.fromkeys(lang for entry in catalogue().values() for lang in entry))


def placeholders(words: str) -> frozenset[str]:
    """The `{placeholder}` names in some words."""
    return frozenset(name for _text, name, _spec, _conv in string.Formatter().parse(words) if name)


def _entry_words(key: str, version: str, lang: str) -> str | None:
    """An entry's words in a language on a version (None: the version has no such element)."""
    entry = catalogue().get(key)
    if entry is None:
        raise MissingLabel(f"{CATALOGUE} has no key {key!r} (wanted in language {lang!r})")
    if lang not in entry:
        raise MissingLabel(f"{CATALOGUE}: {key!r} has no words in language {lang!r} (a column to add)")
    words = entry[lang]
    return words.get(version) if isinstance(words, dict) else words


def _template(site: Site, key: str) -> str:
    """A key's words on a site, placeholders unfilled; MissingLabel when that version has no such element."""
    words = _entry_words(key, site.version, site.lang)
    if words is None:
        raise MissingLabel(
            f"{CATALOGUE}: {key!r} has no words in language {site.lang!r} on {site.version} "
            "(that version has no such element: see Site.shows)"
        )
    return words


def _regex(template: str, data: str) -> str:
    """A regular expression of words, each `{placeholder}` standing for `data` (a pattern of the text it holds)."""
    return "".join(
        re.escape(text) + (data.format(name) if name is not None else "")
        for text, name, _spec, _conv in string.Formatter().parse(template)
    )


def label_pattern(site: Site, *keys: str, whole: bool = False) -> re.Pattern[str]:
    """The words of any of these keys as a regular expression, each `{placeholder}` standing for any text: to
    find words with data in them (a date, a count) whatever the data. `whole`: the text starts with them."""
    start = "^" if whole else ""
    return re.compile("|".join(start + _regex(_template(site, key), ".+?") for key in keys))


def keys_of(words: str, site: Site) -> list[tuple[str, dict[str, str]]]:
    """The keys whose words these are on a site, with the data their placeholders hold there: first the keys
    whose words are exactly these, else the keys with placeholders whose words these are once filled in."""
    exact: list[tuple[str, dict[str, str]]] = []
    filled: list[tuple[str, dict[str, str]]] = []
    for key, entry in catalogue().items():
        own = entry.get(site.lang)
        shown = own.get(site.version) if isinstance(own, dict) else own
        if shown is None:
            continue
        if shown == words:
            exact.append((key, {}))
            continue
        if placeholders(shown):
            found = _match(shown, words)
            if found is not None:
                filled.append((key, found))
    return exact or filled


def _match(template: str, words: str) -> dict[str, str] | None:
    """The placeholders' data when `words` are `template` filled in, else None."""
    match = re.fullmatch(_regex(template, "(?P<{}>.+)"), words, re.DOTALL)
    return match.groupdict() if match else None


def translate(words: str, site_from: Site, site_to: Site) -> str:
    """The words `site_from` shows, as `site_to` says them: found by the key whose words they are (with the data
    in them carried over), read in the other column (or version). LookupError when no key has these words, or
    when the keys that have them say it differently on `site_to`."""
    found = keys_of(words, site_from)
    if not found:
        raise MissingLabel(
            f"{CATALOGUE}: no key has the words {words!r} in language {site_from.lang!r} on {site_from.version}"
        )
    said = {site_to.label(key, **values) for key, values in found}
    if len(said) > 1:
        keys = ", ".join(key for key, _values in found)
        raise LookupError(
            f"{CATALOGUE}: {words!r} ({site_from.lang}, {site_from.version}) is the words of {keys}, "
            f"which {site_to.lang} on {site_to.version} says differently: {sorted(said)}"
        )
    return said.pop()


# Where each version goes next (a page-object class name of e2e/pages): today's CSAM asks for the login before
# the designation form, and folds the organisation's check and the GAP's data into the confirmation.
NEXT_PAGE: dict[str, dict[str, str]] = {
    "access_request.register": {"manual-2018": "IdentificationPage", "current": "CsamLoginPage"},
    "designation.open": {"manual-2018": "IdentificationPage", "current": "CsamLoginPage"},
    "designation.submit": {"manual-2018": "OrganisationPage", "current": "ConfirmRequestPage"},
}

# Addresses that differ: the designation form ({lang}: the language the page is asked in).
PATHS: dict[str, dict[str, str]] = {
    "designation": {
        "manual-2018": "/csam/registration/",
        "current": "/app032/camregistration/?processType=EH_ORGANIZATION&locale={lang}",
    },
}


@dataclass(frozen=True)
class Site:
    """A site version and the language its pages are read in (a column of e2e/labels.yaml)."""

    version: str = DEFAULT_VERSION
    lang: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        if self.version not in SITE_VERSIONS:
            raise ValueError(f"unknown site version {self.version!r}: one of {', '.join(SITE_VERSIONS)}")

    def label(self, key: str, **values: Any) -> str:
        """The words this site (its language, then its version) shows for a key of e2e/labels.yaml, each
        `{placeholder}` filled from `values`; MissingLabel naming the key and the language when it has none."""
        words = _template(self, key)
        try:
            return words.format_map(values) if values or placeholders(words) else words
        except KeyError as missing:
            raise MissingLabel(
                f"{CATALOGUE}: {key!r} ({self.lang}) names {{{missing.args[0]}}}: give "
                f"Site.label({key!r}, {missing.args[0]}=...)"
            ) from None

    def shows(self, key: str) -> bool:
        """Whether this site's version has the element a key names (a null in the catalogue: it has not)."""
        return _entry_words(key, self.version, self.lang) is not None

    def next_page(self, key: str) -> str:
        """The page-object class this version shows after an action of NEXT_PAGE."""
        return NEXT_PAGE[key][self.version]

    def path(self, key: str) -> str:
        """This version's address of a page of PATHS (today's CSAM names the language in it)."""
        return PATHS[key][self.version].format(lang=self.lang)


_SITES: WeakKeyDictionary[BrowserContext, Site] = WeakKeyDictionary()


def use_site(context: BrowserContext, site: Site) -> None:
    """Say which site this browser context shows (every page object made on its pages reads it)."""
    _SITES[context] = site


def site_of(page: Page) -> Site:
    """The site a page shows: what `use_site` said for its context, else the manual's 2018 site."""
    return _SITES.get(page.context, Site())
