"""The domain's refusals: rule violations that views show next to their field and the control API returns as
JSON, records that do not exist (or may not be known), and actions the person may not do.

(The store's own errors, a bad database URL or a write in a read transaction, are programming or set-up errors
of the store, not refusals of a rule: they stay in store.py.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# The field name for messages that belong to the whole form rather than one input.
FORM = "__all__"


@dataclass
class RuleViolation(Exception):
    """One or more rules refused an action; nothing was saved."""

    errors: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.errors))

    def as_json(self) -> list[dict[str, str]]:
        """The errors as the control API returns them."""
        return [{"field": f, "message": str(m)} for f, m in self.errors]

    def for_field(self, name: str) -> list[str]:
        """The messages about one field."""
        return [str(m) for f, m in self.errors if f == name]


class NotFound(Exception):
    """The record does not exist, or the person may not know that it does."""


class AccessDenied(Exception):
    """The logged-in person does not manage this project (or may not do this there)."""


class InclusionRefused(Exception):
    """The person may not do this in the project's inclusion application; the reasons say why."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = tuple(str(r) for r in reasons)
        super().__init__("; ".join(self.reasons))


class Errors:
    """Collects violations so that a form reports all its problems at once."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, name: str, message) -> None:
        """Record one message about one field."""
        self.items.append((name, message))

    def has(self, name: str) -> bool:
        """True when the field already has a message (to avoid piling up messages)."""
        return any(f == name for f, _ in self.items)

    def raise_if_any(self) -> None:
        """Raise a RuleViolation when anything was recorded."""
        if self.items:
            raise RuleViolation(list(self.items))
