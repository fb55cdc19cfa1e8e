"""The harness in Dutch, in a real browser: the manual check walks the Dutch edition on the faithful mock without
drift and flags exactly the instructions that name a Dutch label the mock renamed (a French rename changes
nothing in Dutch), and the walkthrough records step 2 in Dutch: guide, subtitles and captions without French.

Each walk gets its own mock (served in a thread), as in test_check_manual.py.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser

from e2e.check_manual import InstructionResult, Walk
from e2e.control_api import walk_data
from e2e.guide_words import GUIDE_WORDS
from e2e.manual import load_edition
from e2e.page_words import MATCHES, NOT_CHECKABLE
from e2e.seeding import HttpSeeder

# Its walks and commands serve mocks of their own: the same test against any mock.
pytestmark = pytest.mark.own_mock

DUTCH = load_edition("manual-2018-nl")
CATALOGUE = Path(__file__).resolve().parent.parent / "mock_csam" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"

Run = Callable[..., dict[str, InstructionResult]]


@pytest.fixture
def walk_in_dutch(browser: Browser, fresh_mock: Callable[..., str]) -> Run:
    """Walk the Dutch edition, in Dutch, on a fresh mock with the given labels renamed."""

    def run(renames: dict[str, str] | None = None) -> dict[str, InstructionResult]:
        url = fresh_mock(renames=renames)
        results = Walk(
            browser,
            url,
            walk_data(language="nl"),
            control=HttpSeeder(url),
            timeout_ms=5000,
            manual="manual-2018-nl",
            lang="nl",
        ).run()
        return {r.id: r for r in results}

    return run


def drifts(results: dict[str, InstructionResult]) -> dict[str, str]:
    return {ident: r.status for ident, r in results.items() if r.status not in (MATCHES, NOT_CHECKABLE)}


def test_the_dutch_edition_matches_the_dutch_site(walk_in_dutch: Run) -> None:
    assert drifts(walk_in_dutch()) == {}


def test_a_renamed_dutch_label_is_flagged_where_the_manual_names_it_and_a_french_rename_is_not(
    walk_in_dutch: Run,
) -> None:
    results = walk_in_dutch({"Volgende": "Verder", "Exécuter": "Lancer"})
    naming = {i.id for i in DUTCH.instructions for t in i.check if "Volgende" in (t.label, t.within, t.option)}
    assert naming == {"2.7", "2.8", "2.9", "3.10", "4.10"}
    assert drifts(results) == dict.fromkeys(naming, "label changed")
    assert all(t.found == "Verder" for ident in naming for t in results[ident].targets if t.status != MATCHES)


def french_sentences() -> set[str]:
    """The mock's French messages whose Dutch differs (a Dutch page showing one shows French)."""
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po, locale="nl")
    return {
        m.id
        for m in catalogue
        if isinstance(m.id, str) and len(m.id) > 12 and m.string and m.string != m.id and "%(" not in m.id
    }


def test_the_walkthrough_records_step_2_in_dutch(tmp_path: Path) -> None:
    out = tmp_path / "nl"
    answer = subprocess.run(
        [
            sys.executable,
            "-c",
            "from e2e.cli import main; main()",
            "walkthrough",
            "--lang",
            "nl",
            "--steps",
            "2",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "INSZ leesbaar: 0" in answer.stdout
    # The terminal speaks Dutch too: the outputs' table, not the French one.
    assert "Opname van de handleiding" in answer.stdout and "Enregistrement" not in answer.stdout
    page = html.unescape((out / "guide.html").read_text(encoding="utf-8"))
    words = GUIDE_WORDS["nl"]
    assert '<html lang="nl">' in page and DUTCH.steps[2] in page and words["marks lead"] in page
    texts = {i.id: i.text for i in DUTCH.instructions}
    captions = re.findall(r'<figure id="i-([\d.]+)".*?<figcaption>(.*?)</figcaption>', page, re.S)
    assert captions and all(texts[ident] in caption for ident, caption in captions)
    vtt = (out / "walkthrough.vtt").read_text(encoding="utf-8")
    cues = re.findall(r"^([\d.]+)\n[\d:.]+ --> [\d:.]+\n(.+)$", vtt, re.M)
    assert cues and all(text == f"{ident} {texts[ident]}" for ident, text in cues)
    french = [sentence for sentence in french_sentences() if sentence in page or sentence in vtt]
    assert not french, french
    assert not [
        word for key, word in GUIDE_WORDS["fr"].items() if word != words[key] and len(word) > 8 and word in page
    ]
