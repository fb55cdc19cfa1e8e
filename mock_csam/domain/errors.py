"""Rule violations that views show next to their field and the control API returns as JSON."""

from __future__ import annotations

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
