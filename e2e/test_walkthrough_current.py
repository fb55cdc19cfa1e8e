"""The walkthrough of today's site: the edition regenerated for it (e2e/manual-current.yaml) recorded through the
command on the `current` mock, checked as the 2018 recording is (video, a screenshot per instruction, guide,
subtitles, NISS covered), and the «Ce qui a changé depuis l'édition précédente» section against a recording of
the 2018 edition. Today's edition is recorded whole, steps 2 to 4 with its video; only step 2 differs between the
two sites, so only step 2 of the 2018 edition is recorded to compare with.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from e2e.assertions import manifest, video_seconds
from e2e.guide import CHANGES_TITLE, NO_PREVIOUS
from e2e.manual import load_edition

# Its walks and commands serve mocks of their own: the same test against any mock.
pytestmark = pytest.mark.own_mock

TODAY = load_edition("current")
PERFORMED = [i.id for i in TODAY.instructions if i.browser and i.kind != "note"]
CHANGED = [i.id for i in TODAY.instructions if i.revision and i.revision.change != "unverified"]
REMOVED = [r.id for r in TODAY.removed]


def walkthrough(*args: str) -> subprocess.CompletedProcess[str]:
    """`csam-harness walkthrough …` in its own process (this one may already drive a browser)."""
    return subprocess.run(
        [sys.executable, "-c", "from e2e.cli import main; main()", "walkthrough", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Step 2 of the 2018 edition on its site (screenshots only), then today's whole edition on today's site with
    its video, compared with the first."""
    root = tmp_path_factory.mktemp("walkthrough-current")
    before = walkthrough("--steps", "2", "--no-video", "--out", str(root / "2018"))
    assert before.returncode == 0, before.stdout + before.stderr
    answer = walkthrough(
        "--manual",
        "current",
        "--site-version",
        "current",
        "--out",
        str(root / "current"),
        "--compare",
        str(root / "2018"),
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "NISS lisibles : 0" in answer.stdout
    return root / "current"


@pytest.mark.manual("2.5.1")
def test_every_instruction_of_todays_edition_is_performed_with_one_screenshot(recorded: Path) -> None:
    captures = manifest(recorded)["instructions"]
    assert [c["id"] for c in captures] == PERFORMED
    assert "2.5.1" in PERFORMED and "2.8" not in PERFORMED
    assert sorted(p.stem for p in (recorded / "screenshots").glob("*.png")) == sorted(PERFORMED)
    assert [c["id"] for c in captures if not c["highlighted"]] == ["2.1", "3.1", "4.1"]
    # The login today's site asks for: the card's NISS (covered) and the PIN typed, then the button.
    login = next(c for c in captures if c["id"] == "2.5.1")
    assert login["markers"] == 3 and login["values_shown"] >= 2


def test_no_valid_niss_is_readable_and_the_typed_one_is_covered(recorded: Path) -> None:
    captures = manifest(recorded)["instructions"]
    assert all(c["niss_readable"] == 0 for c in captures)
    assert {c["id"] for c in captures if c["niss_covered"]} >= {"2.5.1", "2.10", "3.12", "4.15"}


def test_the_video_and_the_subtitles_follow_todays_edition(recorded: Path) -> None:
    data = manifest(recorded)
    assert [c["step"] for c in data["chapters"]] == [2, 3, 4]
    last = data["instructions"][-1]["end"]
    assert last - 1 <= video_seconds(recorded / "walkthrough.webm") <= last + 15
    vtt = (recorded / "walkthrough.vtt").read_text(encoding="utf-8")
    cues = re.findall(r"^([\d.]+)\n\d\d:\d\d:\d\d\.\d\d\d --> \d\d:\d\d:\d\d\.\d\d\d\n(.+)$", vtt, re.M)
    texts = {i.id: i.text for i in TODAY.instructions}
    assert [(ident, text) for ident, text in cues] == [(ident, f"{ident} {texts[ident]}") for ident in PERFORMED]


def test_the_guide_says_exactly_what_changed_with_both_screenshots(recorded: Path) -> None:
    page = (recorded / "guide.html").read_text(encoding="utf-8")
    assert re.findall(r'data-screenshot="screenshots/([\d.]+)\.png"', page) == PERFORMED
    assert re.findall(r'<div class="change" data-id="([\d.]+)"', page) == CHANGED + REMOVED
    assert CHANGED == ["2.5", "2.5.1", "2.6", "2.7"] and REMOVED == ["2.8", "2.9"]
    changes = page[page.index('<section id="changements">') : page.index('<h2 id="etape-2"')]
    # Before and after side by side where both editions have the instruction; the added one has no «before»,
    # the removed ones no «after».
    assert changes.count('data-compare="Avant"') == 5 and changes.count('data-compare="Maintenant"') == 4
    assert changes.count(NO_PREVIOUS) == 1
    assert (
        "Type d&#x27;institution" in changes
        and "Avant :</strong> Sélectionnez le type d&#x27;Identification" in changes
    )


def test_the_docx_has_one_picture_per_instruction_and_lists_the_same_changes(recorded: Path) -> None:
    import docx

    document = docx.Document(str(recorded / "guide.docx"))
    pictures = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert [p for p in pictures if p.startswith("capture ")] == [f"capture {ident}" for ident in PERFORMED]
    assert any(p.text == CHANGES_TITLE for p in document.paragraphs)
    # Three rows per change: «ID — what», the texts before and after, the screenshots before and after.
    rows = [row.cells[0].text for table in document.tables for row in table.rows[1:]]
    assert [text.split(" — ")[0] for text in rows[::3]] == CHANGED + REMOVED
    assert sorted(p for p in pictures if not p.startswith("capture ")) == sorted(
        [f"avant {i}" for i in CHANGED + REMOVED if i != "2.5.1"] + [f"après {i}" for i in CHANGED]
    )


def test_the_screens_compared_with_2018_are_those_the_site_changed_not_the_mocks_notice(recorded: Path) -> None:
    # 2.1–2.3 are the same pages on both sites: only the mock's notice (its site version) differs there, and it is
    # left out. 2.4 (a menu today) and the designation's pages changed.
    changed = json.loads((recorded / "compare.json").read_text(encoding="utf-8"))["changed"]
    assert not {"2.1", "2.2", "2.3"} & set(changed)
    assert {"2.4", "2.5.1", "2.6", "2.7"} <= set(changed)
    regions = {c["id"]: c["notice_regions"] for c in manifest(recorded)["instructions"]}
    # Where the notice shows, it is one band across the window.
    assert all(len(regions[ident]) == 1 for ident in ("2.1", "2.2", "2.3"))
    assert all(r[0] == 0 and r[2] > 1000 and 0 < r[3] - r[1] < 100 for rs in regions.values() for r in rs)
