"""axe-core (through axe-playwright-python) on the pages a walk shows: the violations that stop people from using a
page (impact «serious» or «critical»), kept per page and told so that a failure says which page, which rule, why
and which elements (docs/accessibility.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# The impacts that fail the check; «minor» and «moderate» ones are worth fixing but do not block anyone.
BLOCKING = ("serious", "critical")

_AXE = Axe()


def blocking_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds on the page as it is now, keeping only the violations of a blocking impact."""
    found = _AXE.run(page).response["violations"]
    return [violation for violation in found if violation.get("impact") in BLOCKING]


def describe(violation: dict[str, Any]) -> str:
    """One violation as a failure shows it: the rule, its impact, what it asks for, and the elements at fault."""
    lines = [f"  {violation['id']} ({violation['impact']}): {violation['help']} — {violation.get('helpUrl', '')}"]
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node["target"])
        summary = " ".join((node.get("failureSummary") or "").split())
        lines.append(f"    at {target}: {summary}" if summary else f"    at {target}")
    return "\n".join(lines)


@dataclass
class Audit:
    """The pages a walk checked, by name, with the blocking violations each showed."""

    page: Page
    found: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    urls: dict[str, str] = field(default_factory=dict, repr=False)

    def check(self, name: str) -> None:
        """Run axe-core on the page the browser shows now and keep what blocks, under `name`."""
        if name in self.found:
            raise ValueError(f"page {name!r} checked twice: name each page once")
        self.urls[name] = self.page.url
        self.found[name] = blocking_violations(self.page)

    @property
    def failing(self) -> list[str]:
        """The names of the pages with a blocking violation, in the order they were checked."""
        return [name for name, violations in self.found.items() if violations]

    def report(self) -> str:
        """Every failing page with its violations, for the assertion's message."""
        parts = [f"{len(self.failing)} of {len(self.found)} pages have serious or critical accessibility violations:"]
        for name in self.failing:
            parts.append(f"- page {name} ({self.urls[name]}):")
            parts += [describe(violation) for violation in self.found[name]]
        return "\n".join(parts)
