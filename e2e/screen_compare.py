"""Screenshots compared with earlier ones: the share of pixels that changed between two screenshots, the
walkthrough's captures against a previous walkthrough's, and check-manual's visual check against a previous
report (`--compare`), which flags an instruction whose screen changed even when its words did not.

The mock's own notice (the footer with its site version and simulated date, `data-mock-notice`) is the
simulation's, not the site's: a recording of `current` and one of `manual-2018` differ there on every screen. Each
screenshot keeps the regions the notice covered (`notice_regions`), and comparisons leave them out."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .manual import id_key
from .page_words import MATCHES
from .report_words import SCREEN_CHANGED
from .walk_results import InstructionResult

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The elements that are the simulation's and not the site's, and their regions on a screenshot of the viewport,
# in the screenshot's pixels: [left, top, right, bottom].
NOTICE = "[data-mock-notice]"
NOTICE_REGIONS = """(selector) => {
  const scale = window.devicePixelRatio || 1;
  return [...document.querySelectorAll(selector)]
    .map((e) => e.getBoundingClientRect())
    .filter((r) => r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight)
    .map((r) => [Math.floor(r.left), Math.floor(r.top), Math.ceil(r.right), Math.ceil(r.bottom)])
    .map((box) => box.map((v) => Math.round(v * scale)));
}"""
Region = list[int]


def notice_regions(page: Page) -> list[Region]:
    """Where the mock's notice is on a screenshot of the page's viewport taken now."""
    return page.evaluate(NOTICE_REGIONS, NOTICE)


# Share of a screenshot's pixels that may change before the screen counts as changed. The screenshots are
# check-manual's window (the settings' VIEWPORT, 1280×900 by default); 0.2 % is about 2 300 pixels: several times
# what differs from one run to the next on the same site (a request number, a date: about 0.035 % each), well
# under a sentence that changed (about 0.8 %).
COMPARE_THRESHOLD = 0.002


# ---------------------------------------------------------------------------------------------------------
# Two screenshots, and a walkthrough's against the previous one's
# ---------------------------------------------------------------------------------------------------------


def compare(previous: Path, current: Path, threshold: float = 0.001, only: Iterable[str] | None = None) -> list[str]:
    """The instructions whose screenshot differs from the previous run's by more than `threshold` (the share
    of pixels that changed), or that one run has and the other has not; `only`: the instructions this run
    recorded (the others are not compared)."""
    from PIL import Image

    before = {p.stem: p for p in (previous / "screenshots").glob("*.png")}
    after = {p.stem: p for p in (current / "screenshots").glob("*.png")}
    left_out = _manifest_regions(previous), _manifest_regions(current)
    idents = set(only) if only is not None else set(before) | set(after)
    changed = []
    for ident in sorted(idents, key=id_key):
        if ident not in before or ident not in after:
            changed.append(ident)
            continue
        with Image.open(before[ident]) as a, Image.open(after[ident]) as b:
            if a.size != b.size:
                changed.append(ident)
                continue
            regions = left_out[0].get(ident, []) + left_out[1].get(ident, [])
            if changed_share(a, b, regions) > threshold:
                changed.append(ident)
    return changed


def _manifest_regions(folder: Path) -> dict[str, list[Region]]:
    """Per instruction, the regions a walkthrough's manifest says its screenshot leaves out of comparisons (none
    for a recording made before the manifest said so, or without a manifest)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return {str(c["id"]): _regions(c.get("notice_regions")) for c in manifest["instructions"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _regions(value: Any) -> list[Region]:
    """The well-formed regions of a report's or manifest's list (anything else is left out)."""
    if not isinstance(value, list):
        return []
    return [r for r in value if isinstance(r, list) and len(r) == 4 and all(isinstance(v, int) for v in r)]


# Chromium now and then paints a native control's anti-aliased border one or two levels apart from one run to
# the next; a pixel counts as changed when a colour channel moved by more than this.
NOISE = 2


def changed_share(a: Any, b: Any, regions: Iterable[Region] = ()) -> float:
    """The share of pixels whose colour differs by more than NOISE in some channel (two PIL images), the
    `regions` ([left, top, right, bottom]: the mock's notice on either screenshot) left out."""
    from PIL import ImageChops, ImageDraw

    a, b = a.convert("RGB"), b.convert("RGB")
    for region in regions:
        for image in (a, b):
            ImageDraw.Draw(image).rectangle((region[0], region[1], region[2] - 1, region[3] - 1), fill=(0, 0, 0))
    bands = ImageChops.difference(a, b).split()
    moved = bands[0].point(lambda v: 255 if v > NOISE else 0)
    for band in bands[1:]:
        moved = ImageChops.lighter(moved, band.point(lambda v: 255 if v > NOISE else 0))
    return moved.histogram()[255] / (a.size[0] * a.size[1])


# ---------------------------------------------------------------------------------------------------------
# check-manual's visual check
# ---------------------------------------------------------------------------------------------------------


class PreviousReportError(ValueError):
    """The folder given to --compare is not a previous check-manual report."""


def load_previous(folder: Path) -> dict[str, Any]:
    """A previous report's report.json, checked to be one (PreviousReportError says why not, in French)."""
    if not folder.is_dir():
        raise PreviousReportError(
            f"{folder} n'est pas un dossier : --compare attend le dossier d'un rapport "
            "précédent de check-manual (avec report.json et screenshots/)."
        )
    path = folder / "report.json"
    if not path.is_file():
        raise PreviousReportError(
            f"{folder} n'a pas de report.json : ce n'est pas le dossier d'un rapport de check-manual."
        )
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise PreviousReportError(f"{path} n'est pas du JSON lisible ({error}).") from None
    if not isinstance(report, dict) or not isinstance(report.get("instructions"), list):
        raise PreviousReportError(f"{path} n'est pas un rapport de check-manual : il n'a pas de liste «instructions».")
    return report


def compare_screens(
    results: list[InstructionResult], previous: Path, threshold: float = COMPARE_THRESHOLD
) -> list[str]:
    """Compare each instruction's screenshot with the previous report's (the share of pixels that changed, as
    the walkthrough compares its captures), mark those that changed beyond `threshold` or that only one of the
    two reports has, and give an instruction whose words match the status «screen changed»; returns the
    instructions marked."""
    from PIL import Image

    report = load_previous(previous)
    before = {i.get("id"): i.get("screenshot") for i in report["instructions"] if isinstance(i, dict)}
    left_out = {i.get("id"): _regions(i.get("notice_regions")) for i in report["instructions"] if isinstance(i, dict)}
    marked = []
    for r in results:
        if r.id not in before:
            continue  # an instruction the previous manual did not have: nothing to compare with
        shot = before[r.id]
        old = previous / shot if isinstance(shot, str) and shot else None
        old = old if old is not None and old.is_file() else None
        if old is None and not r.screenshot:
            continue
        if old is None or not r.screenshot:
            r.screen_change = None
        else:
            with Image.open(old) as a, Image.open(io.BytesIO(base64.b64decode(r.screenshot))) as b:
                regions = left_out.get(r.id, []) + r.notice_regions
                r.screen_change = 1.0 if a.size != b.size else changed_share(a, b, regions)
            if r.screen_change <= threshold:
                continue
        r.screen_changed = True
        if r.status == MATCHES:
            r.status = SCREEN_CHANGED
        marked.append(r.id)
    return marked
