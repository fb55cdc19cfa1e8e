"""The red frame the manual check and the walkthrough draw around the element a screenshot is about: an overlay
on whole pixels (so that two runs draw it alike), removed once the screenshot is taken."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Error, Locator, Page

FRAME = """el => {
  el.scrollIntoView({block: 'nearest'});
  const r = el.getBoundingClientRect(), pad = 2, line = 4;
  const box = document.createElement('div'); box.id = 'csam-outline';
  box.setAttribute('style', 'position:fixed;pointer-events:none;z-index:2147483646;box-sizing:border-box;'
    + `border:${line}px solid #d0021b;left:${Math.round(r.left) - pad - line}px;top:${Math.round(r.top) - pad - line}px;`
    + `width:${Math.round(r.width) + 2 * (pad + line)}px;height:${Math.round(r.height) + 2 * (pad + line)}px`);
  document.body.appendChild(box);
}"""
UNFRAME = "() => document.getElementById('csam-outline')?.remove()"


@contextmanager
def framed(page: Page, locator: Locator | None) -> Iterator[bool]:
    """While the block runs, the element (the locator's first) is framed; yields whether it could be."""
    done = False
    if locator is not None:
        try:
            locator.first.evaluate(FRAME)
            done = True
        except Error:  # gone or never there: the screenshot shows the page as it is
            pass
    try:
        yield done
    finally:
        if done:
            page.evaluate(UNFRAME)
