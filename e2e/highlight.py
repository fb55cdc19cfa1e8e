"""The red frames drawn on screenshots: the manual check frames the element a screenshot is about (`framed`);
the walkthrough frames every element an instruction acted on, each with its number (`marked`). Overlays on whole
pixels (so that two runs draw them alike), removed once the screenshot is taken."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from playwright.sync_api import Error, Locator, Page

FRAME = """el => {
  el.scrollIntoView({block: 'nearest'});
  const r = el.getBoundingClientRect(), pad = 2, line = 4;
  const box = document.createElement('div'); box.id = 'csam-outline';
  box.setAttribute('style', 'position:fixed;pointer-events:none;z-index:2147483646;box-sizing:border-box;'
    + `border:${line}px solid #d0021b;`
    + `left:${Math.round(r.left) - pad - line}px;top:${Math.round(r.top) - pad - line}px;`
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


# The walkthrough tags each element it acts on with this attribute, its number as value.
MARK_ATTRIBUTE = "data-csam-mark"
# Frames every tagged element and puts its number in a red disc beside the frame, inside the viewport: at its
# top-left corner, or where the disc hides no text and no other mark (left of the frame, its bottom-left corner,
# its top-right corner, right of it), else at the top-left corner after all. The last element acted on is scrolled
# into view, as a person would see it. Returns the numbers drawn (an element hidden or gone has no frame).
MARKS = """(attribute) => {
  const els = [...document.querySelectorAll(`[${attribute}]`)]
    .sort((a, b) => Number(a.getAttribute(attribute)) - Number(b.getAttribute(attribute)));
  if (els.length) els[els.length - 1].scrollIntoView({block: 'nearest'});
  const layer = document.createElement('div'); layer.id = 'csam-marks';
  layer.setAttribute('style', 'position:fixed;left:0;top:0;width:0;height:0;pointer-events:none;z-index:2147483646');
  const drawn = [], pad = 2, line = 3, disc = 22;
  // Where the page shows text (each line of each visible text node), and where marks already are.
  const taken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width && r.height && r.bottom > 0 && r.top < innerHeight) taken.push(r);
    }
  }
  const clear = (x, y) => x >= 0 && y >= 0 && x + disc <= innerWidth && y + disc <= innerHeight
    && !taken.some((r) => x < r.right && x + disc > r.left && y < r.bottom && y + disc > r.top);
  for (const el of els) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.bottom < 0 || r.top > innerHeight) continue;
    const left = Math.round(r.left) - pad - line, top = Math.round(r.top) - pad - line;
    const width = Math.round(r.width) + 2 * (pad + line), height = Math.round(r.height) + 2 * (pad + line);
    const box = document.createElement('div');
    box.setAttribute('style', 'position:fixed;box-sizing:border-box;'
      + `border:${line}px solid #d0021b;left:${left}px;top:${top}px;width:${width}px;height:${height}px`);
    const corner = [Math.max(0, left - disc + line), Math.max(0, top - disc + line)];
    const middle = Math.round(top + (height - disc) / 2);
    const places = [corner, [left - disc - 1, middle], [left - disc + line, top + height - line],
      [left + width - line, top - disc + line], [left + width + 1, middle]];
    const [x, y] = places.find(([px, py]) => clear(px, py)) || corner;
    const n = el.getAttribute(attribute);
    const badge = document.createElement('div'); badge.textContent = n;
    badge.setAttribute('style', 'position:fixed;box-sizing:border-box;border-radius:50%;background:#d0021b;'
      + `color:#fff;font:bold 13px/${disc}px sans-serif;text-align:center;width:${disc}px;height:${disc}px;`
      + `left:${x}px;top:${y}px`);
    taken.push({left: x, top: y, right: x + disc, bottom: y + disc});
    taken.push({left, top, right: left + width, bottom: top + height});
    layer.append(box, badge);
    drawn.push(Number(n));
  }
  document.body.appendChild(layer);
  return drawn;
}"""
UNMARK = "() => document.getElementById('csam-marks')?.remove()"


@contextmanager
def marked(page: Page) -> Iterator[Sequence[int]]:
    """While the block runs, every element tagged with MARK_ATTRIBUTE is framed with its number; yields the
    numbers drawn."""
    drawn: list[int] = page.evaluate(MARKS, MARK_ATTRIBUTE)
    try:
        yield drawn
    finally:
        page.evaluate(UNMARK)
