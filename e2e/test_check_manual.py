"""The manual-accuracy check in a real browser: no false alarm on the manual's site, exactly the capture's drifts on
today's site, and exactly the instructions that name a label when the mock renames it; then the command's outputs,
and its visual check: a sentence that is none of the manual's labels changes one page's screen, not its words.

Each walk gets its own mock (served in a thread) so that renamed labels and site versions never leak into the
other suites' mock.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser

from e2e.check_manual import InstructionResult, Walk
from e2e.control_api import walk_data
from e2e.manual import load_manual
from e2e.page_words import AMBIGUOUS, CHANGED, MATCHES, MISSING, MOVED, NOT_CHECKABLE
from e2e.seeding import HttpSeeder

# Its walks and commands serve mocks of their own: the same test against any mock.
pytestmark = pytest.mark.own_mock

Run = Callable[..., dict[str, InstructionResult]]


@pytest.fixture
def walk(browser: Browser, fresh_mock: Callable[..., str]) -> Run:
    """Walk the manual on a fresh mock of the given version, with the given labels renamed."""

    def run(site_version: str = "manual-2018", renames: dict[str, str] | None = None) -> dict[str, InstructionResult]:
        url = fresh_mock(site_version, renames)
        results = Walk(browser, url, walk_data(), control=HttpSeeder(url), timeout_ms=5000).run()
        return {r.id: r for r in results}

    return run


def drifts(results: dict[str, InstructionResult]) -> dict[str, str]:
    return {ident: r.status for ident, r in results.items() if r.status not in (MATCHES, NOT_CHECKABLE)}


def test_every_checkable_instruction_matches_the_manuals_own_site(walk: Run) -> None:
    results = walk("manual-2018")
    assert drifts(results) == {}
    not_checkable = {ident for ident, r in results.items() if r.status == NOT_CHECKABLE}
    assert (
        not_checkable == {i.id for i in load_manual() if not i.browser or not i.check} == {"1.1", "1.2", "1.3", "4.23"}
    )
    assert all(r.screenshot for r in results.values() if r.status == MATCHES)


def test_todays_site_drifts_where_the_capture_says_and_nowhere_else(walk: Run) -> None:
    results = walk("current")
    assert drifts(results) == {"2.5": AMBIGUOUS, "2.6": CHANGED, "2.7": CHANGED, "2.8": MISSING, "2.9": MOVED}
    assert results["2.5"].targets[0].count == 3
    assert [(t.looked_for, t.found) for t in results["2.6"].targets] == [
        ("«Type d'identification»", "Type d'institution")
    ]
    assert [(t.looked_for, t.found) for t in results["2.7"].targets] == [
        ("«N°INAMI»", "Numéro d'institution (8 chiffres)"),
        ("«Suivant»", "Enregistrer mon institution dans CSAM"),
    ]
    moved = results["2.9"].targets[0]
    assert (moved.looked_for, moved.found, moved.page) == ("«NISS»", "NISS de la carte insérée", "Se connecter à CSAM")


def naming(label: str) -> set[str]:
    """The instructions whose check looks for this label (as the element, its menu or region, or its option)."""
    return {i.id for i in load_manual() for t in i.check if label in (t.label, t.within, t.option)}


@pytest.mark.parametrize(
    ("old", "new"), [("Suivant", "Continuer"), ("Utilisateurs", "Membres"), ("Exécuter", "Lancer")]
)
def test_a_renamed_label_flags_exactly_the_instructions_that_name_it(walk: Run, old: str, new: str) -> None:
    results = walk("manual-2018", {old: new})
    assert set(drifts(results)) == naming(old)
    assert all(
        r.status == CHANGED and f"«{old}» → «{new}»" in r.detail for r in results.values() if r.id in naming(old)
    )


def check_manual(*args: str) -> subprocess.CompletedProcess[str]:
    """`csam-harness check-manual …` in its own process (this one already drives a browser)."""
    return subprocess.run(
        [sys.executable, "-c", "from e2e.cli import main; main()", "check-manual", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_the_command_writes_its_report_and_fails_on_drift(tmp_path: Path) -> None:
    out = tmp_path / "report"
    answer = check_manual("--site-version", "current", "--out", str(out))
    assert answer.returncode == 1, answer.stdout + answer.stderr
    assert re.search(r"2\.6\s.*libellé modifié", answer.stdout)
    assert re.search(r"2\.9\s.*déplacé", answer.stdout) and "manquant — «Suivant» : introuvable" in answer.stdout
    assert "N°INAMI" in answer.stdout and "POST /_mock/szv/projects" in answer.stdout
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["drifted"] == ["2.5", "2.6", "2.7", "2.8", "2.9"]
    by_id = {i["id"]: i for i in report["instructions"]}
    assert by_id["2.7"]["proposed_text"] == (
        "Indiquez le « Numéro d'institution (8 chiffres) » (n° du projet) et "
        "cliquez sur « Enregistrer mon institution dans CSAM »."
    )
    screenshots = sorted(p.name for p in (out / "screenshots").iterdir())
    assert screenshots == sorted(f"{i['id']}.png" for i in report["instructions"] if i["screenshot"])
    assert all((out / i["screenshot"]).read_bytes().startswith(b"\x89PNG") for i in by_id.values() if i["screenshot"])
    diff = (out / "proposed-manual.diff").read_text(encoding="utf-8")
    assert "-2.7 Indiquez le N°INAMI" in diff and "+2.7 Indiquez le « Numéro d'institution (8 chiffres) »" in diff
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == len(screenshots)
    assert not re.search(r'(src|href)="(?!data:)|<link|<script', html), "the report loads nothing from elsewhere"


def test_the_command_passes_on_the_manuals_site(tmp_path: Path) -> None:
    answer = check_manual("--out", str(tmp_path / "r"))
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))["drifted"] == []


# A sentence of the page «Demande d'accès» (2.5) that the manual never names: renaming it changes that page's
# screen and none of the manual's words.
SENTENCE = (
    "Les prestataires de soins ne peuvent se connecter aux services sécurisés que si leur organisation a "
    "demandé l'accès à ces services et a désigné un Gestionnaire d'Accès Principal."
)
PAGE = "/fr/acces/demande"


def test_compare_flags_exactly_the_screens_that_changed_while_the_words_still_match(tmp_path: Path) -> None:
    first = check_manual("--out", str(tmp_path / "first"))
    assert first.returncode == 0, first.stdout + first.stderr
    before = json.loads((tmp_path / "first" / "report.json").read_text(encoding="utf-8"))
    on_page = {i["id"] for i in before["instructions"] if i["screenshot"] and urlparse(i["url"]).path == PAGE}
    assert on_page == {"2.5"}
    second = check_manual(
        "--out",
        str(tmp_path / "second"),
        "--compare",
        str(tmp_path / "first"),
        "--rename",
        f"{SENTENCE}=Seules les organisations qui ont désigné un Gestionnaire d'Accès "
        "Principal ouvrent les services sécurisés à leurs prestataires de soins.",
    )
    assert second.returncode == 1, second.stdout + second.stderr
    after = json.loads((tmp_path / "second" / "report.json").read_text(encoding="utf-8"))
    assert {i["id"] for i in after["instructions"] if i["verdict"] == "écran modifié"} == on_page
    assert after["drifted"] == sorted(on_page) and after["counts"]["screen changed"] == len(on_page)
    # The words did not drift: every target of every instruction a browser checks is «conforme».
    assert {t["status"] for i in after["instructions"] for t in i["targets"]} == {MATCHES}
    assert {i["verdict"] for i in after["instructions"] if i["id"] not in on_page} == {"conforme", "non vérifiable"}
    assert re.search(r"2\.5\s.*écran modifié", second.stdout)
