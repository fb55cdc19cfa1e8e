"""What check-manual finds: the verdict on each instruction of the manual and on each thing it looked for, and
what the walk did that the instruction did not say (e2e/check_manual.py walks; e2e/manual_report.py writes the
report; e2e/update_manual.py turns these into a new edition)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .page_words import DRIFTS, MATCHES


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
    # Where the mock's notice is on the screenshot: left out of the visual check (e2e/screen_compare.py).
    notice_regions: list[list[int]] = field(default_factory=list)

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
