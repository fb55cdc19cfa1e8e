"""The manual's words on a page: a page read as its accessibility tree (role and accessible name of every element,
from Playwright's ARIA snapshot), and the classification of one of the manual's words there (matches, label
changed, ambiguous, moved, missing), pure so that it is tested without a browser. See e2e/check_manual.py."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MATCHES, CHANGED, AMBIGUOUS, MOVED, MISSING, NOT_CHECKABLE = (
    "matches",
    "label changed",
    "ambiguous",
    "moved",
    "missing",
    "not checkable",
)
STATUSES = (MATCHES, CHANGED, AMBIGUOUS, MOVED, MISSING, NOT_CHECKABLE)
DRIFTS = (CHANGED, AMBIGUOUS, MOVED, MISSING)

# The kinds of element each verb acts on (ARIA roles).
ROLES: dict[str, tuple[str, ...]] = {
    "click": ("link", "button", "menuitem", "tab"),
    "download": ("link", "button"),
    "fill": ("textbox", "searchbox", "spinbutton"),
    "select": ("combobox", "listbox"),
    "select_option": ("option",),
    "tick": ("checkbox", "radio", "switch"),
    "see": (
        "region",
        "navigation",
        "group",
        "heading",
        "form",
        "checkbox",
        "radio",
        "textbox",
        "combobox",
        "link",
        "button",
        "tab",
    ),
}
# Containers an element can be `within`, and the landmarks whose elements are never a closest match (the site's
# header and footer, and navigation the manual does not name, such as breadcrumbs).
CONTAINERS = frozenset(
    {
        "main",
        "banner",
        "contentinfo",
        "navigation",
        "region",
        "complementary",
        "form",
        "group",
        "dialog",
        "row",
        "listbox",
        "combobox",
    }
)
OUTSIDE = frozenset({"banner", "contentinfo"})
# How close a name must be to the manual's words to count as the same element renamed (difflib ratio).
CLOSE_ENOUGH = 0.6

_LINE = re.compile(r'^(?P<indent>\s*)- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?')


def normalise(text: str) -> str:
    """Words as compared: NFC, one kind of apostrophe and space, no trailing asterisk or colon, no case."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u00a0", " ")
    text = " ".join(text.split()).rstrip(" *:").strip()
    return text.casefold()


def contains_words(name: str, words: str) -> bool:
    """True when `words` appear in `name` as whole words."""
    return re.search(rf"(?<!\w){re.escape(normalise(words))}(?!\w)", normalise(name)) is not None


def similarity(a: str, b: str) -> float:
    """How alike two labels are, 0 to 1."""
    return difflib.SequenceMatcher(None, normalise(a), normalise(b)).ratio()


@dataclass(frozen=True)
class Element:
    """An element of a page's accessibility tree: its role, accessible name, the named containers around it
    (role, name) from the outside in, and its index among the page's elements of the same role and name."""

    role: str
    name: str
    containers: tuple[tuple[str, str], ...] = ()
    index: int = 0

    def inside(self, roles: Iterable[str]) -> bool:
        return any(role in roles for role, _name in self.containers)

    def within(self, label: str) -> bool:
        return any(name and normalise(name) == normalise(label) for _role, name in self.containers)


def parse_snapshot(snapshot: str) -> list[Element]:
    """The elements of Playwright's ARIA snapshot (`locator.aria_snapshot()`), in document order."""
    elements: list[Element] = []
    stack: list[tuple[int, str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for line in snapshot.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        indent, role = len(match["indent"]), match["role"]
        name = json.loads(f'"{match["name"]}"') if match["name"] is not None else ""
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key = (role, name)
        elements.append(Element(role, name, tuple((r, n) for _i, r, n in stack if r in CONTAINERS), seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
        stack.append((indent, role, name))
    return elements


@dataclass(frozen=True)
class PageSeen:
    """A page the walk reached: its address, main heading and elements."""

    url: str
    heading: str
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Lookup:
    """What the search for one target found: a status, the element to act on (if any) and what to report."""

    status: str
    element: Element | None = None
    found: str | None = None
    page: PageSeen | None = None
    count: int = 0


PLACEHOLDER = re.compile(r"^\W|choisissez|sélectionnez")


def words_of(text: str) -> set[str]:
    """The significant words of a text (longer than three letters), compared as `normalise` does."""
    return {word for word in re.findall(r"\w+", normalise(text)) if len(word) > 3}


def affinity(element: Element, context: set[str]) -> int:
    """How many of the context's words the names of an element's containers share."""
    return (
        len(set().union(*(words_of(name) for _role, name in element.containers)) & context)
        if (element.containers)
        else 0
    )


def look_up(
    verb: str,
    label: str,
    page: PageSeen,
    path: Iterable[PageSeen],
    manual_words: frozenset[str],
    *,
    within: str | None = None,
    role: str | None = None,
    companions: Iterable[str] = (),
    context: Iterable[str] = (),
) -> Lookup:
    """Classify one of the manual's words on a page (see the module's docstring); pure, so it is tested alone.
    `role` narrows what may have been renamed (a button the manual means); the words themselves match any
    element the verb acts on. `companions` are the instruction's other words: a renamed menu or region is the
    one that holds them. `context`: words of the manual's step, which decide among ambiguous elements (the one
    in the section whose title shares most of them; else the first)."""
    roles = ROLES[verb]
    candidates = [e for e in page.elements if e.role in roles]
    if within is not None and any(e.within(within) for e in candidates):
        candidates = [e for e in candidates if e.within(within)]
    exact = [e for e in candidates if normalise(e.name) == normalise(label)]
    # A heading inside a region of the same name is that region's title, not a second element.
    exact = [e for e in exact if not any(normalise(n) == normalise(label) and r in roles for r, n in e.containers)]
    if len(exact) == 1:
        return Lookup(MATCHES, exact[0], exact[0].name, page, 1)
    if exact:
        wanted_words = set().union(*(words_of(c) for c in context)) - words_of(label) if context else set()
        chosen = max(exact, key=lambda e: affinity(e, wanted_words))
        return Lookup(AMBIGUOUS, chosen, chosen.name, page, len(exact))
    others = [
        e
        for e in candidates
        if e.name
        and (role is None or e.role == role)
        and not (e.role == "option" and PLACEHOLDER.search(normalise(e.name)))
        and not e.inside(OUTSIDE)
        and normalise(e.name) not in manual_words
        and not any(r == "navigation" and normalise(n) not in manual_words for r, n in e.containers)
    ]
    if len(others) == 1:
        return Lookup(CHANGED, others[0], others[0].name, page, 1)
    wanted = {normalise(c) for c in companions}
    holders = [
        e
        for e in others
        if any((e.role, e.name) in x.containers and normalise(x.name) in wanted for x in page.elements)
    ]
    if len(holders) == 1:
        return Lookup(CHANGED, holders[0], holders[0].name, page, 1)
    if others:
        best = max(others, key=lambda e: similarity(e.name, label))
        if similarity(best.name, label) >= CLOSE_ENOUGH:
            return Lookup(CHANGED, best, best.name, page, 1)
        if role == "button":
            # None alike: the form's first button, the one Enter presses, is what the manual's button became.
            return Lookup(CHANGED, others[0], others[0].name, page, 1)
    for earlier in path:
        if earlier.url == page.url:
            continue
        for e in earlier.elements:
            if e.role in roles and (normalise(e.name) == normalise(label) or contains_words(e.name, label)):
                return Lookup(MOVED, None, e.name, earlier, 1)
    return Lookup(MISSING, None, None, page, 0)
