"""The manual-accuracy check: walk the manual on a running site with the manual's words alone and say, instruction
by instruction, where the manual and the site agree and where they drift.

For each instruction the check follows its `check` items in the edition on the page the walk has reached, reads
the page's accessibility tree and classifies what it finds (e2e/page_words.py): matches, ambiguous (several
elements carry the words: the walk goes on with the one whose section shares the step's words), label changed,
moved (on another page of the path walked), missing, not checkable (notes and the back office). An edition in
another language than the walk's is looked for in the site's words (e2e/translation.py). What only the test
data names (the project's name, a user's row) is looked up by that data. The walk types test data where a form
needs more than the manual names (`Walk.fill_the_rest`) and logs in with the simulated eID card whenever the
site asks for it, which is how a login that moved before a form shows up; what it did beyond the instruction it
checked is kept as a WalkEvent, which update-manual writes down as instructions the edition lacks.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page

from .contexts import locale_for, show_site
from .control_api import data_value
from .highlight import framed
from .manual import Instruction, Target, load_edition
from .page_words import (
    AMBIGUOUS,
    CHANGED,
    DRIFTS,
    MATCHES,
    MISSING,
    NOT_CHECKABLE,
    OUTSIDE,
    ROLES,
    Element,
    Lookup,
    PageSeen,
    contains_words,
    look_up,
    normalise,
    parse_snapshot,
    similarity,
)
from .pages.site import Site
from .seeding import HttpSeeder
from .translation import edition_site, in_language

# ---------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------


@dataclass
class TargetResult:
    """One looked-for thing of an instruction: what the manual says, what the site shows."""

    looked_for: str
    verb: str
    status: str
    found: str | None = None
    count: int = 0
    url: str | None = None
    page: str | None = None
    role: str | None = None
    # The named section (region, navigation, group, form) holding the element acted on, innermost first.
    section: str | None = None


@dataclass
class WalkEvent:
    """Something the walk did that the instruction it was checking did not say: a login with the card reader
    when the site asked for it, or typing into fields the form still needed. `fields`: (role, name, data key) of
    what it used, in order; `expected` when the edition implies it (a `login` item, a form a `fill` instruction
    is about)."""

    kind: str
    instruction: str
    before_target: int
    url: str
    page: str
    fields: list[tuple[str, str, str | None]] = field(default_factory=list)
    expected: bool = False


@dataclass
class InstructionResult:
    """The verdict on one instruction, with the page where it was checked."""

    id: str
    step: int
    text: str
    status: str
    detail: str
    url: str | None = None
    page: str | None = None
    screenshot: str | None = None
    targets: list[TargetResult] = field(default_factory=list)
    # The visual check (`--compare`): the share of the screenshot's pixels that changed since the previous
    # report (None when one of the two has no screenshot), and whether that counts as a change.
    screen_change: float | None = None
    screen_changed: bool = False
    # Why an instruction was checked without targets: "back office", "note" (keys of the report's words), or
    # the error the browser gave where the walk could not go on.
    reason: str | None = None

    @property
    def drifted(self) -> bool:
        """Drifted in words, or on screen since the previous report."""
        return self.status in DRIFTS or self.screen_changed


def verdict(targets: list[TargetResult]) -> str:
    """An instruction's status: the first of its targets that does not match, else «matches»."""
    return next((t.status for t in targets if t.status != MATCHES), MATCHES)


def describe(result: InstructionResult, lang: str = "fr") -> str:
    """One sentence on what was found, in the manual's language (the words are manual_report's)."""
    from .manual_report import detail  # the report imports this module's results: import it when used

    return detail(result, lang)


# What each step's forms are about: the person whose data the walk types.
SUBJECTS = {2: "responsable", 3: "cogap", 4: "user"}
# The fields (catalogue keys, which are also the data's) the walk types the subject's data into when a form
# needs more than the manual names, the longer words first («Nom d'utilisateur» before «Nom»).
FORM_FIELDS = ("email", "phone", "first_name", "username", "password", "last_name", "niss")


# The HTTP status of the document the page shows (Navigation Timing), 0 when the browser does not say.
DOCUMENT_STATUS = "() => performance.getEntriesByType('navigation')[0]?.responseStatus || 0"


class ErrorPageShown(Exception):
    """The site answered an error page (HTTP 400 or more) where an instruction was to be checked."""


# ---------------------------------------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------------------------------------


class Walk:
    """Checks the manual's instructions in order on one site, a fresh browser context per step."""

    def __init__(
        self,
        browser: Browser,
        base_url: str,
        data: dict[str, Any],
        *,
        control: HttpSeeder | None,
        timeout_ms: float = 10_000,
        on_result: Callable[[InstructionResult], None] | None = None,
        manual: Path | str | None = None,
        lang: str = "fr",
    ) -> None:
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.data = data
        self.control = control
        self.timeout_ms = timeout_ms
        self.on_result = on_result or (lambda _result: None)
        self.edition = load_edition(manual)
        # The site is walked in `lang`: an edition in another language is looked for in the site's words.
        self.site = Site(edition_site(self.edition).version, lang)
        self.instructions = in_language(self.edition, lang)
        self.form_fields = [(self.site.label(key), key) for key in FORM_FIELDS]
        self.manual_words = frozenset(normalise(label) for i in self.instructions for label in i.labels)
        # Each step's words, which decide among elements that carry the same words (look_up's `context`).
        self.step_words: dict[int, tuple[str, ...]] = {}
        for i in self.instructions:
            self.step_words[i.step] = self.step_words.get(i.step, ()) + i.labels
        self.events: list[WalkEvent] = []
        self.instruction: Instruction | None = None
        self.target_index = 0
        # The page a `fill` instruction typed into: the form it is about, where typing the rest is expected.
        self.fill_page: str | None = None
        self.page: Page | None = None
        self.path: list[PageSeen] = []
        self.step = 0
        self.instruction_targets: tuple[Target, ...] = ()
        self.shot: bytes | None = None
        self.last_target = False

    # -- the page --------------------------------------------------------------------------------------

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
        chosen = (unknown or empty or [None])[0]
        return Lookup(CHANGED, chosen, chosen.name, seen, 1) if chosen is not None else None

    def screenshot(self, element: Element | None, locator: Locator | None = None) -> bytes:
        """The page, with the element framed when there is one."""
        assert self.page is not None
        box = locator if locator is not None else (self.locate(element) if element else None)
        with framed(self.page, box if box is not None and box.count() else None):
            return self.page.screenshot(full_page=False)

    # -- one target ------------------------------------------------------------------------------------

    def keep_screenshot(
        self, result: TargetResult, element: Element | None = None, locator: Locator | None = None
    ) -> None:
        """The instruction's one screenshot: where its first target that does not match was looked for, else
        where its last target was (taken before acting, and only then: a page per target would double the walk)."""
        if self.shot is None and (result.status != MATCHES or self.last_target):
            self.shot = self.screenshot(element, locator)

    def check_target(self, target: Target) -> TargetResult:
        assert self.page is not None
        if target.verb == "go":
            answer = self.page.goto(self.base_url + (target.label or "/"))
            seen = self.snapshot()
            ok = answer is not None and answer.ok
            result = TargetResult(
                f"«{self.base_url}/»", "go", MATCHES if ok else MISSING, seen.heading, 1, seen.url, seen.heading
            )
            self.keep_screenshot(result)
            return result
        if target.verb == "login":
            return self.check_login(target)
        if target.label is None:
            return self.check_by_data(target)
        seen = self.snapshot()
        companions = [t.label for t in self.instruction_targets if t.label and t.label != target.label]
        context = self.step_words.get(self.step, ())
        found = look_up(
            target.verb,
            target.label,
            seen,
            self.path[:-1],
            self.manual_words,
            within=target.within,
            role=target.role,
            companions=companions,
            context=context,
        )
        if found.status != MATCHES and found.status != AMBIGUOUS and self.is_login_page(seen):
            self.log_in(seen)
            seen = self.snapshot()
            found = look_up(
                target.verb,
                target.label,
                seen,
                self.path[:-1],
                self.manual_words,
                within=target.within,
                role=target.role,
                companions=companions,
                context=context,
            )
        if found.status == MISSING and target.verb == "fill":
            found = self.empty_field(target, seen) or found
        element = found.element
        section = (
            next((n for r, n in reversed(element.containers) if n and r not in OUTSIDE), None)
            if (element is not None)
            else None
        )
        result = TargetResult(
            target.words,
            target.verb,
            found.status,
            found.found,
            found.count,
            (found.page or seen).url,
            (found.page or seen).heading,
            element.role if element is not None else None,
            section,
        )
        if self.instruction is not None and self.instruction.kind == "fill":
            self.fill_page = seen.url  # the form this instruction is about: typing the rest there is expected
        self.keep_screenshot(result, found.element)
        if found.element is not None:
            self.act(target, found.element, result)
        return result

    def check_login(self, target: Target) -> TargetResult:
        """The edition says to log in here with the card reader: the site must show its login."""
        seen = self.snapshot()
        if not self.is_login_page(seen):
            result = TargetResult(target.words, "login", MISSING, None, 0, seen.url, seen.heading)
            self.keep_screenshot(result)
            return result
        result = TargetResult(target.words, "login", MATCHES, seen.heading, 1, seen.url, seen.heading)
        self.keep_screenshot(result)
        self.log_in(seen, expected=True)
        return result

    def check_by_data(self, target: Target) -> TargetResult:
        """A target only the test data names: the project's name, or the row showing a person's name."""
        assert self.page is not None
        seen = self.snapshot()
        if self.is_login_page(seen):
            self.log_in(seen)
            seen = self.snapshot()
        roles = ROLES[target.verb]
        if target.data is not None:
            value = data_value(self.data, target.data)
            matches = [e for e in seen.elements if e.role in roles and normalise(e.name) == normalise(value)]
            locator = self.locate(matches[0]) if matches else None
            count = len(matches)
        else:
            value = data_value(self.data, target.near or "")
            rows = self.page.get_by_role("row")
            for word in value.split():  # tables often show the last and the first name in cells of their own
                rows = rows.filter(has_text=word)
            inside = rows.first.get_by_role(roles[0]) if rows.count() else None
            if inside is not None and target.verb == "click" and not inside.count():
                inside = rows.first.get_by_role(roles[1])
            count = inside.count() if inside is not None else 0
            locator = inside.first if count else None
        status = MATCHES if count == 1 else AMBIGUOUS if count > 1 else MISSING
        result = TargetResult(
            target.words, target.verb, status, value if count else None, count, seen.url, seen.heading
        )
        self.keep_screenshot(result, locator=locator)
        if locator is not None:
            self.act_on(target, locator)
        return result

    def act(self, target: Target, element: Element, result: TargetResult) -> None:
        assert self.page is not None
        if target.verb == "select_option":
            select = (
                self.page.locator("select")
                .filter(has=self.page.get_by_role("option", name=element.name, exact=True))
                .first
            )
            select.select_option(label=element.name)
            return
        locator = self.locate(element)
        if target.verb == "select" and target.option is not None:
            options = [o.strip() for o in locator.locator("option").all_inner_texts()]
            chosen = next((o for o in options if normalise(o) == normalise(target.option)), None)
            if chosen is None:
                close = max(options, key=lambda o: similarity(o, target.option or ""), default=None)
                result.status = CHANGED if result.status == MATCHES else result.status
                result.found = f"{result.found} / option «{close}»"
                chosen = close
            if chosen is not None:
                locator.select_option(label=chosen)
            return
        self.act_on(target, locator)

    def act_on(self, target: Target, locator: Locator) -> None:
        assert self.page is not None
        if target.verb == "fill":
            locator.fill(data_value(self.data, target.value) if target.value else "")
        elif target.verb == "tick":
            locator.check()
        elif target.verb == "download":
            with self.page.expect_download() as download:
                locator.click()
            download.value.cancel()
        elif target.verb == "click":
            if locator.evaluate("el => el.tagName === 'BUTTON' || el.type === 'submit'"):
                self.fill_the_rest(locator)
            locator.click()
            self.page.wait_for_load_state()

    # -- the manual ------------------------------------------------------------------------------------

    def check(self, instruction: Instruction) -> InstructionResult:
        if not instruction.browser or not instruction.check:
            result = InstructionResult(
                instruction.id,
                instruction.step,
                instruction.text,
                NOT_CHECKABLE,
                "",
                reason="back office" if not instruction.browser else "note",
            )
            result.detail = describe(result)
            return result
        if instruction.step != self.step:
            self.start_step(instruction.step)
        targets = []
        self.instruction_targets, self.shot = instruction.check, None
        self.instruction = instruction
        for n, target in enumerate(instruction.check):
            self.last_target = n == len(instruction.check) - 1
            self.target_index = n
            targets.append(self.check_target(target))
        status = verdict(targets)
        decisive = next((i for i, t in enumerate(targets) if t.status != MATCHES), len(targets) - 1)
        result = InstructionResult(
            instruction.id,
            instruction.step,
            instruction.text,
            status,
            "",
            targets[decisive].url,
            targets[decisive].page,
            None,
            targets,
        )
        result.detail = describe(result)
        result.screenshot = base64.b64encode(self.shot).decode() if self.shot else None
        return result

    def start_step(self, step: int) -> None:
        """A new browser for each step; before step 3, the back office receives step 2's signed document."""
        if self.page is not None:
            self.page.context.close()
        if step == 3 and self.control is not None:
            self.control.sign_pending(self.data["project"]["inami_number"])
        context = show_site(
            self.browser.new_context(
                locale=locale_for(self.site.lang), accept_downloads=True, viewport={"width": 1280, "height": 900}
            ),
            self.base_url,
            self.site,
        )
        self.page = context.new_page()
        self.page.set_default_timeout(self.timeout_ms)
        self.path = []
        self.step = step
        self.fill_page = None

    def run(self) -> list[InstructionResult]:
        """Every instruction, in the manual's order; an instruction the site breaks does not stop the walk."""
        if self.control is not None:
            self.control.project(self.data["project"])
        results = []
        for instruction in self.instructions:
            try:
                result = self.check(instruction)
            except Exception as error:  # noqa: BLE001 - the walk goes on: one drift must not hide the next
                message = str(error).splitlines()[0] if str(error) else ""
                result = InstructionResult(
                    instruction.id,
                    instruction.step,
                    instruction.text,
                    MISSING,
                    "",
                    reason=f"{error.__class__.__name__}: {message}",
                )
                result.detail = describe(result)
            results.append(result)
            self.on_result(result)
        if self.page is not None:
            self.page.context.close()
        return results
