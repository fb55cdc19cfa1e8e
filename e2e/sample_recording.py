"""A walkthrough's recording made without a browser, for the tests of what is written from one (the guides in
HTML, PDF and Word, the subtitles, the manifest, the guide's accessibility): the captures a walkthrough leaves for
some instructions of an edition, with small plain screenshots, and 2.7 framed with two numbered markers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from .manual import load_manual
from .walkthrough import Capture, Recording

# What the walkthrough notes of 2.7's two markers: the field typed into and the button clicked.
MARKS_2_7 = [{"n": 1, "verb": "fill", "name": "N°INAMI"}, {"n": 2, "verb": "click", "name": "Suivant"}]


def plain_screenshot(out: Path, ident: str, index: int) -> None:
    """A small light-grey screenshot of the instruction."""
    (out / "screenshots").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 40), (230, 235, 240)).save(out / "screenshots" / f"{ident}.png")


def sample_recording(
    out: Path,
    edition: Path,
    recorded: Sequence[str],
    screenshot: Callable[[Path, str, int], None] = plain_screenshot,
) -> Recording:
    """The recording of these instructions of the edition into `out`: `screenshot(out, id, index)` draws each
    instruction's screenshot into out/screenshots/<id>.png."""
    texts = {instruction.id: instruction for instruction in load_manual(edition)}
    recording = Recording(out, edition)
    for index, ident in enumerate(recorded):
        screenshot(out, ident, index)
        recording.captures.append(
            Capture(
                ident,
                texts[ident].step,
                texts[ident].text,
                [],
                f"screenshots/{ident}.png",
                marks=MARKS_2_7 if ident == "2.7" else [],
                markers=2 if ident == "2.7" else 0,
            )
        )
    return recording
