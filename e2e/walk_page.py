"""The check-manual walk's work on one page: reading it (its accessibility tree, refusing an error page),
finding an element again, logging in with the simulated eID card when the site asks for it, and typing the test
data a form needs beyond what the manual names; each thing done beyond the instruction is kept as a WalkEvent.
`Walk` (e2e/check_manual.py) decides what to look for and what it means."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

from .highlight import framed
from .manual import Instruction, Target
from .page_words import CHANGED, OUTSIDE, Element, Lookup, PageSeen, contains_words, normalise, parse_snapshot
from .pages.site import Site
from .walk_results import WalkEvent

# What each step's forms are about: the person whose data the walk types.
SUBJECTS = {2: "responsable", 3: "cogap", 4: "user"}
# The fields (catalogue keys, which are also the data's) the walk types the subject's data into when a form
# needs more than the manual names, the longer words first («Nom d'utilisateur» before «Nom»).
FORM_FIELDS = ("email", "phone", "first_name", "username", "password", "last_name", "niss")


# The HTTP status of the document the page shows (Navigation Timing), 0 when the browser does not say.
DOCUMENT_STATUS = "() => performance.getEntriesByType('navigation')[0]?.responseStatus || 0"


class ErrorPageShown(Exception):
    """The site answered an error page (HTTP 400 or more) where an instruction was to be checked."""


class PageWork:
    """The page-level work of a walk; the walk sets what it reads (see Walk.__init__)."""

    data: dict[str, Any]
    site: Site
    form_fields: list[tuple[str, str]]
    manual_words: frozenset[str]
    events: list[WalkEvent]
    instruction: Instruction | None
    target_index: int
    fill_page: str | None
    page: Page | None
    path: list[PageSeen]
    step: int

    def snapshot(self) -> PageSeen:
        assert self.page is not None
        self.page.wait_for_load_state()
        heading = self.page.get_by_role("heading", level=1)
        title = heading.first.inner_text() if heading.count() else self.page.title()
        status = self.page.evaluate(DOCUMENT_STATUS)
        if status and status >= 400:  # an error page is no page of the manual: the instruction fails, saying why
            said = " ".join(" ".join(self.page.get_by_role("alert").all_inner_texts()).split())
            raise ErrorPageShown(
                f"the site answered HTTP {status} «{' '.join(title.split())}»" + (f": «{said}»" if said else "")
            )
        seen = PageSeen(
            self.page.url, " ".join(title.split()), tuple(parse_snapshot(self.page.locator("body").aria_snapshot()))
        )
        if not self.path or self.path[-1].url != seen.url or self.path[-1].elements != seen.elements:
            self.path.append(seen)
        return seen

    def locate(self, element: Element) -> Locator:
        assert self.page is not None
        return self.page.get_by_role(element.role, name=element.name, exact=True).nth(element.index)  # type: ignore[arg-type]

    def is_login_page(self, seen: PageSeen) -> bool:
        textboxes = [normalise(e.name) for e in seen.elements if e.role == "textbox"]
        return {normalise(self.site.label("login.card_niss")), normalise(self.site.label("login.pin"))} <= set(
            textboxes
        )

    def log_in(self, seen: PageSeen, *, expected: bool = False) -> None:
        """The simulated card reader: the step's access manager inserts their eID and types the PIN. What it used
        is kept as a WalkEvent (update-manual writes it down where the edition does not say it)."""
        assert self.page is not None and self.instruction is not None
        person = self.data["responsable"]
        card, pin, button = (
            next(e for e in seen.elements if e.role == role and normalise(e.name) == normalise(self.site.label(key)))
            for role, key in (("textbox", "login.card_niss"), ("textbox", "login.pin"), ("button", "login.eid_submit"))
        )
        self.events.append(
            WalkEvent(
                "login",
                self.instruction.id,
                self.target_index,
                seen.url,
                seen.heading,
                [
                    (card.role, card.name, "responsable.niss"),
                    (pin.role, pin.name, "responsable.pin"),
                    (button.role, button.name, None),
                ],
                expected=expected,
            )
        )
        self.locate(card).fill(person["niss"])
        self.locate(pin).fill(str(person.get("pin", "1234")))
        self.locate(button).click()
        self.page.wait_for_load_state()

    def fill_the_rest(self, button: Locator) -> None:
        """Type the step's subject's data into the empty text fields of the form a button submits (the manual
        says «complétez les données» without naming them); on a form with a password, a field whose label says
        nothing the walk knows gets the subject's user name."""
        assert self.page is not None
        subject = self.data[SUBJECTS[self.step]]
        # Only a form that asks for a password (the account of someone new) has a user-name field to guess.
        with_password = self.page.locator("input[type=password]").count() > 0
        seen = self.snapshot()
        assert self.instruction is not None
        typed = WalkEvent(
            "fill", self.instruction.id, self.target_index, seen.url, seen.heading, expected=self.fill_page == seen.url
        )
        for element in seen.elements:
            if element.role != "textbox" or element.inside(OUTSIDE):
                continue
            key = next((k for words, k in self.form_fields if contains_words(element.name, words)), None)
            box = self.locate(element)
            kind = box.get_attribute("type")
            # A field the walk cannot name by its words gets the user name: letters and digits, accepted widely.
            key = (
                "password"
                if kind == "password"
                else "email"
                if kind == "email"
                else key or ("username" if with_password else None)
            )
            if (
                key
                and subject.get(key)
                and box.is_visible()
                and box.is_editable()
                and not box.input_value()
                and (box.evaluate("(el, b) => el.form !== null && el.form === b.form", button.element_handle()))
            ):
                box.fill(str(subject[key]))
                typed.fields.append((element.role, element.name, f"{SUBJECTS[self.step]}.{key}"))
        if typed.fields:
            self.events.append(typed)

    def empty_field(self, target: Target, seen: PageSeen) -> Lookup | None:
        """A field to type into when the manual's words are on no field: the form's first empty one the manual
        does not name (a password field for a password), taken as the renamed field."""
        password = bool(target.value and target.value.endswith("password"))
        empty = []
        for element in seen.elements:
            if element.role != "textbox" or element.inside(OUTSIDE) or normalise(element.name) in self.manual_words:
                continue
            box = self.locate(element)
            if not (box.is_visible() and box.is_editable()) or box.input_value():
                continue
            if password == (box.get_attribute("type") == "password"):
                empty.append(element)
        # A field whose words say what else it is (a name, an e-mail) is not the renamed one.
        unknown = [e for e in empty if not any(contains_words(e.name, words) for words, _key in self.form_fields)]
        candidates = unknown or empty
        chosen = candidates[0] if candidates else None
        return Lookup(CHANGED, chosen, chosen.name, seen, 1) if chosen is not None else None

    def screenshot(self, element: Element | None, locator: Locator | None = None) -> bytes:
        """The page, with the element framed when there is one."""
        assert self.page is not None
        box = locator if locator is not None else (self.locate(element) if element else None)
        with framed(self.page, box if box is not None and box.count() else None):
            return self.page.screenshot(full_page=False)
