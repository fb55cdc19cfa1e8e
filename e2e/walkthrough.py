"""Walkthroughs for trainers: the manual's steps performed by the harness's own page objects, recorded as a video
with action markers and a title card per step, and a screenshot per instruction with every element the page
objects acted on framed and numbered. The scripts run in the page are in e2e/walkthrough_scripts.py; the
comparison of screenshots with a previous walkthrough's is e2e/screen_compare.py (importable from here too); the
guides, subtitles and manifest are written by `e2e.guide`.

What drives it is the manual as data: each instruction's `actions` in an edition of the manual
(`e2e/manual.yaml` by default; page-object methods) are called in order on the page object the previous one
returned, with the walkthrough's Faker data as arguments. The elements marked are the ones the page objects
really used: while an instruction runs, every Playwright action (click, fill, check, select) tags its element
with its number, and the screenshot is taken just before the first click on a button or link (what submits or
leaves the page, itself marked), or after the last action when there is none; so a form shows what was typed.

Only fake data is shown, and NISS numbers (national register and BIS numbers with valid check digits, in text
or in fields) are covered by solid boxes unless `show_niss`; each capture records how many it covered and how
many valid ones were still readable (always 0). Captures repeat: seeded Faker and request numbers, the mock's
and the browser's clock fixed, a fixed viewport, animations off.
"""

from __future__ import annotations

import datetime as dt
import inspect
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Error, Locator, Page

from .actions import action_classes, resolve_action
from .contexts import context_options, show_site, with_timeouts
from .control_api import walk_data
from .flows import DEFAULT_PIN, LANGUAGE_KEYS
from .guide_words import guide_words
from .highlight import MARK_ATTRIBUTE, marked
from .manual import MANUAL_FILE, Instruction, load_manual, load_steps
from .pages.components import SiteHeader
from .pages.registration import IdentificationPage
from .pages.site import Site
from .reporting import PageSaid, read_page
from .screen_compare import NOISE as NOISE
from .screen_compare import changed_share as changed_share
from .screen_compare import compare as compare
from .screen_compare import notice_regions
from .seeding import HttpSeeder
from .settings import harness_settings
from .walkthrough_scripts import MARK, MASK_INIT, MASK_SCRIPT, TYPED, UNTAG

# The date the mock and the browser live on during a recording (a Monday).
RECORDED_ON = dt.date(2026, 3, 2)
# The recording's window: its video frame and the guide's screenshots (the settings' RECORDING_VIEWPORT).
VIEWPORT = harness_settings().RECORDING_VIEWPORT
CARD_MS = 1500  # how long a step's title card stays in the video
MARKER_MS = 600  # how long an action's marker stays
STEPS = (2, 3, 4)

# The Playwright actions that mark their element; the guide says what each did in its language (guide_words).
ACTIONS = ("fill", "select_option", "check", "set_checked", "uncheck", "click")


@dataclass
class Capture:
    """One instruction performed: its screenshot, when it ran in the video, what the masking did."""

    id: str
    step: int
    text: str
    actions: list[str]
    screenshot: str
    start: float = 0.0
    end: float = 0.0
    highlighted: bool = False
    niss_covered: int = 0
    niss_readable: int = 0
    # The numbered markers: what was done to which element, in order ({"n", "verb", "name"}), how many of them
    # the screenshot shows, and how many typed or chosen fields show a value in it.
    marks: list[dict[str, Any]] = field(default_factory=list)
    markers: int = 0
    values_shown: int = 0
    # Where the mock's notice is on the screenshot: left out when recordings are compared (e2e/screen_compare.py).
    notice_regions: list[list[int]] = field(default_factory=list)


class WalkthroughStopped(Exception):
    """The site did not let an instruction be performed: which one, Playwright's words, and what the page showed."""

    def __init__(self, instruction: Instruction, error: Error, page: PageSaid) -> None:
        # Playwright's first line says what failed («Locator.click: Timeout 10000ms exceeded.»); the call log follows.
        self.reason = error.message.splitlines()[0] if error.message else str(error)
        super().__init__(f"{instruction.id}: {self.reason}")
        self.instruction, self.page = instruction, page


@dataclass
class Recording:
    """Everything a walkthrough run produced, and where."""

    out: Path
    manual: Path = MANUAL_FILE
    lang: str = "fr"
    captures: list[Capture] = field(default_factory=list)
    chapters: list[dict[str, Any]] = field(default_factory=list)
    video: Path | None = None
    video_problem: str | None = None
    files: dict[str, str] = field(default_factory=dict)


def _arguments(data: dict[str, Any], step: int, site: Site) -> dict[str, Callable[[], tuple[Any, ...]]]:
    """The data each page-object action is called with, in the site's words."""
    project, gap = data["project"], data["responsable"]
    member = data["cogap"] if step == 3 else data["user"]
    today = data["today_date"]
    return {
        "IdentificationPage.select_identification_type": lambda: (site.label("designation.project_type"),),
        "IdentificationPage.enter_inami_number": lambda: (project["inami_number"],),
        "AccessManagerDataPage.fill_access_manager": lambda: (
            gap["niss"],
            gap["last_name"],
            gap["first_name"],
            gap["email"],
            gap["phone"],
        ),
        "CsamLoginPage.with_eid": lambda: (gap["niss"], str(gap.get("pin", DEFAULT_PIN))),
        # Today's site asks for the login before the designation form, and comes back to it.
        "CsamLoginPage.with_eid_back_to": lambda: (gap["niss"], str(gap.get("pin", DEFAULT_PIN)), IdentificationPage),
        "EntityChoice.choose_enterprise": lambda: (project["name"],),
        "AddMemberRegion.enter_niss": lambda: (member["niss"],),
        "MemberDataPage.fill_identity": lambda: (member["last_name"], member["first_name"]),
        "MemberDataPage.fill_contact": lambda: (
            member["email"],
            member["phone"],
            site.label(LANGUAGE_KEYS[member.get("language", "fr")]),
        ),
        "MemberDataPage.fill_credentials": lambda: (member["username"], member["password"]),
        "FunctionsPage.click_role_icon": lambda: (member["full_name"],),
        "RolePage.choose_functions": lambda: (site.label("function.manager"),),
        "RolePage.enter_start_date": lambda: (today,),
        "RolePage.enter_end_date": lambda: (None,),
        "UsersPage.tick_for_deletion": lambda: (member["full_name"],),
    }


# Where an action's object is, when the current page object is not one: its attribute of that name.
VIA = {("AddMemberRegion", 3): "add_cogap", ("AddMemberRegion", 4): "add_user"}
# 4.21 changes the role given in 4.17-4.20: both functions this time (their catalogue keys).
CHANGED_ROLE = {"4.21": {"RolePage.choose_functions": ("function.manager", "function.coordinator")}}


class Walkthrough:
    """Performs the chosen steps in one browser page and records them."""

    def __init__(
        self,
        browser: Browser,
        base_url: str,
        out: Path,
        *,
        steps: tuple[int, ...] = STEPS,
        control: HttpSeeder | None,
        seed: int = 2018,
        show_niss: bool = False,
        video: bool = True,
        on_capture: Callable[[Capture], None] | None = None,
        timeout_ms: float | None = None,
        reset_first: bool = False,
        manual: Path = MANUAL_FILE,
        site: Site | None = None,
    ) -> None:
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.out = out
        self.steps = steps
        self.control = control
        self.show_niss = show_niss
        self.want_video = video
        self.on_capture = on_capture or (lambda _capture: None)
        self.timeout_ms = timeout_ms
        self.viewport = harness_settings().RECORDING_VIEWPORT
        self.reset_first = reset_first
        self.manual = manual
        self.site = site or Site()
        self.data = walk_data(seed, self.site.lang)
        self.data["today_date"] = RECORDED_ON
        self.recording = Recording(out, manual, self.site.lang)
        self.page: Page
        self.current: Any = None
        self._instruction: Instruction | None = None
        self._shot_taken = False
        self._t0 = 0.0

    # -- captures --------------------------------------------------------------------------------------

    def _mask(self) -> dict[str, int]:
        return self.page.evaluate(MASK_SCRIPT, self.show_niss)

    def _screenshot(self) -> None:
        """The instruction's screenshot: the page alone (the guide prints the instruction's text, so no caption
        hides any of it), every element acted on framed with its number, NISS covered."""
        instruction = self._instruction
        assert instruction is not None
        self._shot_taken = True
        # No focus ring or hover left by the actions: two runs must draw the page alike.
        self.page.evaluate("() => document.activeElement?.blur()")
        self.page.mouse.move(0, 0)
        counts = self._mask()
        capture = self.recording.captures[-1]
        capture.values_shown = self.page.evaluate(TYPED, MARK_ATTRIBUTE)
        capture.notice_regions = notice_regions(self.page)
        path = self.out / "screenshots" / f"{instruction.id}.png"
        masks = [] if self.show_niss else [self.page.locator("[data-csam-niss]")]
        with marked(self.page) as drawn:
            self.page.screenshot(path=path, animations="disabled", caret="hide", mask=masks, mask_color="#000000")
        self.page.evaluate(UNTAG, MARK_ATTRIBUTE)
        capture.markers, capture.highlighted = len(drawn), bool(drawn)
        capture.niss_covered, capture.niss_readable = counts["covered"], counts["readable"]

    def _mark(self, locator: Locator, action: str) -> bool:
        """Tags the element an action is about to act on with its number and notes it in the capture; True when
        the action submits or leaves the page (a click on a button or a link)."""
        capture = self.recording.captures[-1]
        try:
            seen = locator.first.evaluate(MARK, [MARK_ATTRIBUTE, len(capture.marks) + 1])
        except Error:  # not there (yet): the action itself waits for it or fails with Playwright's message
            return False
        if seen["fresh"]:
            verb = "check" if action == "set_checked" else action
            if action == "click":  # clicking a box ticks it, clicking a radio button chooses
                verb = {"checkbox": "check", "radio": "select_option"}.get(seen["type"], verb)
            capture.marks.append({"n": seen["n"], "verb": verb, "name": seen["name"]})
        return action == "click" and seen["submits"]

    @contextmanager
    def _watching_locators(self) -> Iterator[None]:
        """While an instruction runs, each Playwright action on a locator marks its element, and the first click
        that submits or leaves the page takes the screenshot first."""
        originals = {name: getattr(Locator, name) for name in ACTIONS}
        walkthrough = self

        def wrap(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
            def acting(locator: Locator, *args: Any, **kwargs: Any) -> Any:
                if walkthrough._instruction is not None and not walkthrough._shot_taken:
                    # set_checked(False) unticks: the trainer reads «Décocher».
                    unticks = name == "set_checked" and not (args[0] if args else kwargs.get("checked"))
                    if walkthrough._mark(locator, "uncheck" if unticks else name):
                        walkthrough._screenshot()
                return original(locator, *args, **kwargs)

            return acting

        for name, original in originals.items():
            setattr(Locator, name, wrap(name, original))
        try:
            yield
        finally:
            for name, original in originals.items():
                setattr(Locator, name, original)

    # -- performing the manual -------------------------------------------------------------------------

    def _receiver(self, class_name: str, cls: type, step: int) -> Any:
        if isinstance(self.current, cls):
            return self.current
        via = VIA.get((class_name, step))
        if via is not None and self.current is not None and isinstance(getattr(self.current, via, None), cls):
            return getattr(self.current, via)
        for value in (vars(self.current) if self.current is not None else {}).values():
            if isinstance(value, cls):
                return value
        return cls(self.page)

    def _perform(self, action: str, instruction: Instruction) -> None:
        class_name = action.split(".")[0]
        if class_name == "MockSeeder":
            if action == "MockSeeder.sign" and self.control is not None:
                self.control.sign_pending(self.data["project"]["inami_number"])
            return
        function = resolve_action(action)
        changed = CHANGED_ROLE.get(instruction.id, {}).get(action)
        arguments = (
            tuple(self.site.label(key) for key in changed)
            if changed
            else _arguments(self.data, instruction.step, self.site).get(action, tuple)()
        )
        owner = action_classes()[class_name]
        if isinstance(inspect.getattr_static(owner, function.__name__), staticmethod):
            result = function(self.page, *arguments)
        else:
            result = function(self._receiver(class_name, owner, instruction.step), *arguments)
        if result is not None and hasattr(result, "page") and not isinstance(result, Page):
            self.current = result

    def _start_step(self, step: int, title: str) -> None:
        if self.current is not None:
            # Each step starts from the portal, logged out: whoever the step before logged in leaves first (step
            # 2 logs in too on today's site).
            header = SiteHeader(self.page)
            if header.log_out_button.count():
                self.current = header.log_out()
        self.recording.chapters.append({"step": step, "title": title, "at": round(self._now(), 3)})
        if self.recording.video is not None:
            self.page.screencast.show_chapter(
                title, description=guide_words(self.site.lang)["chapter"], duration=CARD_MS
            )
            self.page.wait_for_timeout(CARD_MS)  # the card is the video's content: it must stay on screen

    def _now(self) -> float:
        return time.monotonic() - self._t0 if self._t0 else 0.0

    def _instructions(self) -> list[Instruction]:
        return [i for i in load_manual(self.manual) if i.step in self.steps and i.browser and i.kind != "note"]

    def new_page(self) -> Page:
        """The recording's page, in a context of its own: the settings' recording window, locale, time zone and
        timeouts, no motion, NISS covered as pages load (unless show_niss)."""
        context = self.browser.new_context(
            **context_options(self.site.lang, viewport=self.viewport),
            base_url=self.base_url,
            device_scale_factor=1,
            reduced_motion="reduce",
            accept_downloads=True,
        )
        show_site(context, self.base_url, self.site)
        context.add_init_script(script="" if self.show_niss else MASK_INIT)
        return with_timeouts(context, self.timeout_ms).new_page()

    def run(self) -> Recording:
        (self.out / "screenshots").mkdir(parents=True, exist_ok=True)
        if self.control is not None:
            if self.reset_first:  # the embedded mock: every recording starts from the same empty state
                self.control.reset()
            self.control.set_today(RECORDED_ON)
            self.control.project(self.data["project"])
            if 2 not in self.steps and any(step > 2 for step in self.steps):
                # Steps 3 and 4 start from what step 2 sets up: when it is not recorded, the back office seeds it
                # (the responsable designated as GAP, the signed document received).
                self.control.registration(self.data["project"], self.data["responsable"], signed=True)
        self.page = self.new_page()
        context = self.page.context
        self.page.clock.set_fixed_time(dt.datetime.combine(RECORDED_ON, dt.time(9, 0)))
        titles = load_steps(self.manual)
        try:
            self._start_video()
            with self._watching_locators():
                for instruction in self._instructions():
                    try:
                        if not self.recording.chapters or self.recording.chapters[-1]["step"] != instruction.step:
                            self._start_step(instruction.step, titles[instruction.step])
                        self._run_instruction(instruction)
                    except Error as error:  # the site did not do what the instruction needs
                        raise WalkthroughStopped(instruction, error, read_page(self.page)) from None
            self._stop_video()
        finally:
            context.close()
            if self.control is not None:
                self.control.set_today(None)
        return self.recording

    def _run_instruction(self, instruction: Instruction) -> None:
        capture = Capture(
            instruction.id,
            instruction.step,
            instruction.text,
            list(instruction.actions),
            f"screenshots/{instruction.id}.png",
            start=round(self._now(), 3),
        )
        self.recording.captures.append(capture)
        self._instruction, self._shot_taken = instruction, False
        for action in instruction.actions:
            self._perform(action, instruction)
        if not self._shot_taken:  # nothing submitted: the page as the actions left it (a form filled, a box
            self._screenshot()  # ticked), or the page reached when no element was acted on
        self._instruction = None
        capture.end = round(self._now(), 3)
        self.on_capture(capture)

    # -- video -----------------------------------------------------------------------------------------

    def _start_video(self) -> None:
        if not self.want_video:
            return
        path = self.out / "walkthrough.webm"
        try:
            self.page.screencast.start(path=path, size=self.viewport)
            self.page.screencast.show_actions(cursor="pointer", duration=MARKER_MS, position="top-right")
        except Error as error:
            self.recording.video_problem = str(error).splitlines()[0]
            return
        self.recording.video = path
        self._t0 = time.monotonic()

    def _stop_video(self) -> None:
        if self.recording.video is not None:
            self.page.screencast.stop()
