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
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page

from .contexts import context_options, show_site, with_timeouts
from .control_api import data_value
from .manual import Instruction, Target, load_edition
from .page_words import (
    AMBIGUOUS,
    CHANGED,
    MATCHES,
    MISSING,
    NOT_CHECKABLE,
    OUTSIDE,
    ROLES,
    Element,
    Lookup,
    PageSeen,
    look_up,
    normalise,
    similarity,
)
from .pages.site import Site
from .screen_compare import notice_regions
from .seeding import HttpSeeder
from .translation import edition_site, in_language
from .walk_page import FORM_FIELDS, PageWork
from .walk_results import InstructionResult as InstructionResult
from .walk_results import TargetResult as TargetResult
from .walk_results import WalkEvent as WalkEvent
from .walk_results import describe
from .walk_results import verdict as verdict

# ---------------------------------------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------------------------------------


class Walk(PageWork):
    """Checks the manual's instructions in order on one site, a fresh browser context per step."""

    def __init__(
        self,
        browser: Browser,
        base_url: str,
        data: dict[str, Any],
        *,
        control: HttpSeeder | None,
        timeout_ms: float | None = None,
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
        self.shot_notice: list[list[int]] = []
        self.last_target = False

    # -- one target ------------------------------------------------------------------------------------

    def keep_screenshot(
        self, result: TargetResult, element: Element | None = None, locator: Locator | None = None
    ) -> None:
        """The instruction's one screenshot: where its first target that does not match was looked for, else
        where its last target was (taken before acting, and only then: a page per target would double the walk)."""
        if self.shot is None and (result.status != MATCHES or self.last_target):
            assert self.page is not None
            self.shot_notice = notice_regions(self.page)
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
        label = target.label
        if label is None:
            return self.check_by_data(target)
        seen = self.snapshot()
        companions = [t.label for t in self.instruction_targets if t.label and t.label != label]
        context = self.step_words.get(self.step, ())

        def find(seen: PageSeen) -> Lookup:
            return look_up(
                target.verb,
                label,
                seen,
                self.path[:-1],
                self.manual_words,
                within=target.within,
                role=target.role,
                companions=companions,
                context=context,
            )

        found = find(seen)
        if found.status != MATCHES and found.status != AMBIGUOUS and self.is_login_page(seen):
            self.log_in(seen)
            seen = self.snapshot()
            found = find(seen)
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
            # ROLES holds ARIA role names: Playwright types them as a Literal of those names.
            inside = rows.first.get_by_role(roles[0]) if rows.count() else None  # type: ignore[arg-type]
            if inside is not None and target.verb == "click" and not inside.count():
                inside = rows.first.get_by_role(roles[1])  # type: ignore[arg-type]
            count = inside.count() if inside is not None else 0
            locator = inside.first if inside is not None and count else None
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
        result.notice_regions = self.shot_notice if self.shot else []
        return result

    def start_step(self, step: int) -> None:
        """A new browser for each step; before step 3, the back office receives step 2's signed document."""
        if self.page is not None:
            self.page.context.close()
        if step == 3 and self.control is not None:
            self.control.sign_pending(self.data["project"]["inami_number"])
        context = show_site(
            self.browser.new_context(**context_options(self.site.lang), accept_downloads=True),
            self.base_url,
            self.site,
        )
        self.page = with_timeouts(context.new_page(), self.timeout_ms)
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
