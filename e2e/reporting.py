"""A pytest plugin that makes a failing browser test say where the manual broke: the manual instructions the test
performs (its `manual` marker) and what each of its pages said when it failed (the title, the main heading, any
error text, and the HTTP status of the page's document when it is an error, 400 or more).

That is what QA needs on a bad day (a maintenance page, a card reader that fails, a session that expired): the
instruction that could not be done, in the site's own words, without opening a trace. The text goes into the
failure report as a section of its own («manual instructions and what the page said»: the terminal, pytest-html
and JUnit show it), and the failure's one-line message (`-ra`'s short summary) starts with the instructions and
the page's heading. Loaded from e2e/conftest.py (`pytest_plugins`).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Error, Page

SECTION = "manual instructions and what the page said"
# The status of the document the page shows (Navigation Timing level 3), and what the page says, in one call.
_READ_PAGE = """() => {
  const text = (el) => (el.innerText || el.textContent || "").replace(/\\s+/g, " ").trim();
  const seen = new Set();
  const errors = [];
  const add = (words) => { if (words && !seen.has(words)) { seen.add(words); errors.push(words); } };
  document.querySelectorAll('[role="alert"]').forEach((el) => add(text(el)));
  document.querySelectorAll('[aria-invalid="true"][aria-describedby]').forEach((el) =>
    el.getAttribute("aria-describedby").split(/\\s+/).forEach((id) => {
      const described = document.getElementById(id);
      if (described && !described.classList.contains("hint")) add(text(described));
    }));
  const navigation = performance.getEntriesByType("navigation")[0];
  return {
    headings: Array.from(document.querySelectorAll("h1")).map(text).filter(Boolean),
    errors: errors.filter(Boolean),
    status: navigation && navigation.responseStatus ? navigation.responseStatus : null,
  };
}"""


@dataclass
class PageSaid:
    """What one page showed when the test failed."""

    url: str
    title: str = ""
    headings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    status: int | None = None
    unreadable: str | None = None

    @property
    def error_status(self) -> int | None:
        """The document's HTTP status when it is an error (400 or more)."""
        return self.status if self.status is not None and self.status >= 400 else None

    def lines(self) -> list[str]:
        """The page, as the report shows it."""
        head = f"page {self.url}" + (f" answered HTTP {self.error_status}" if self.error_status else "")
        if self.unreadable:
            return [head, f"  (could not be read: {self.unreadable})"]
        lines = [head, f"  title: «{self.title}»"]
        lines += [f"  heading: «{h}»" for h in self.headings] or ["  heading: (none)"]
        lines += [f"  error: «{e}»" for e in self.errors]
        return lines

    def short(self) -> str:
        """A few words for the one-line message: the status and the heading."""
        words = f"«{self.headings[0]}»" if self.headings else f"«{self.title}»"
        return f"HTTP {self.error_status} {words}" if self.error_status else words


def manual_ids(item: pytest.Item) -> list[str]:
    """The manual instructions a test performs: the arguments of its `manual` markers (the marker nearest the
    function first, as pytest gives them), once each."""
    ids: list[str] = []
    for marker in item.iter_markers("manual"):
        ids += [str(a) for a in marker.args if str(a) not in ids]
    return ids


def pages_of(item: pytest.Item) -> Iterator[Page]:
    """The open pages the test used: its Page fixtures, then the other pages of its browser contexts."""
    seen: set[int] = set()
    funcargs = getattr(item, "funcargs", {}) or {}
    candidates: list[Page] = [v for v in funcargs.values() if isinstance(v, Page)]
    for value in funcargs.values():
        if isinstance(value, BrowserContext):
            try:
                candidates += value.pages
            except Error:
                continue
    for page in candidates:
        if id(page) not in seen and not page.is_closed():
            seen.add(id(page))
            yield page


def read_page(page: Page) -> PageSaid:
    """What the page says now; a page that cannot be read (closed, crashed) says why."""
    said = PageSaid(page.url)
    try:
        said.title = page.title()
        found: dict[str, Any] = page.evaluate(_READ_PAGE)
    except Error as exc:
        said.unreadable = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        return said
    said.headings, said.errors, said.status = found["headings"], found["errors"], found["status"]
    return said


def describe_failure(item: pytest.Item) -> tuple[str, str] | None:
    """The section's text and the one-line prefix, or None for a test without a marker or a page."""
    ids = manual_ids(item)
    pages = [read_page(p) for p in pages_of(item)]
    if not ids and not pages:
        return None
    lines = [f"manual instruction(s): {', '.join(ids)}" if ids else "manual instruction(s): (no manual marker)"]
    for said in pages:
        lines += said.lines()
    prefix = f"manual {', '.join(ids)}" if ids else ""
    if pages:
        prefix = f"{prefix}: {pages[0].short()}" if prefix else pages[0].short()
    return "\n".join(lines), prefix


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Add the instructions and what the page said to a failed test's report (setup or call)."""
    report: pytest.TestReport = yield
    if not report.failed or report.when == "teardown":
        return report
    described = describe_failure(item)
    if described is None:
        return report
    text, prefix = described
    report.sections.append((SECTION, text))
    for name, value in (("manual_instructions", ", ".join(manual_ids(item))), ("page_said", text)):
        report.user_properties.append((name, value))
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None and prefix:
        crash.message = f"[{prefix}] {crash.message}"
    return report
