"""The living manual's closure, in a real browser: an edition regenerated from a site passes the manual check on
that same site with no drift (today's site, and the 2018 site with labels renamed), the 2018 edition regenerated
from its own site is unchanged, and the edition shipped for today's site is what update-manual writes today (with
the review diff beside it holding only what changed).

Each walk gets its own mock (served in a thread), as in test_check_manual.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from e2e.check_manual import InstructionResult, Walk
from e2e.control_api import walk_data
from e2e.manual import EDITIONS, MANUAL_FILE, load_edition
from e2e.page_words import MATCHES, NOT_CHECKABLE
from e2e.seeding import HttpSeeder
from e2e.update_manual import dump, regenerate

# Its walks and commands serve mocks of their own: the same test against any mock.
pytestmark = pytest.mark.own_mock

Walked = tuple[list[InstructionResult], Walk]
Run = Callable[..., Walked]


@pytest.fixture
def walk(browser: Browser, fresh_mock: Callable[..., str]) -> Run:
    """Walk an edition on a fresh mock of the given version, with the given labels renamed."""

    def run(manual: Path | str, site_version: str = "manual-2018", renames: dict[str, str] | None = None) -> Walked:
        url = fresh_mock(site_version, renames)
        walker = Walk(browser, url, walk_data(), control=HttpSeeder(url), timeout_ms=5000, manual=manual)
        return walker.run(), walker

    return run


def drifts(results: list[InstructionResult]) -> dict[str, str]:
    return {r.id: f"{r.status}: {r.detail}" for r in results if r.status not in (MATCHES, NOT_CHECKABLE)}


def without_date(text: str) -> dict:
    data = yaml.safe_load(text)
    data.get("edition", {}).pop("generated", None)
    return data


@pytest.mark.manual("2.5", "2.6", "2.7", "2.8", "2.9")
def test_the_edition_regenerated_from_todays_site_is_the_shipped_one_and_passes_its_own_check(
    walk: Run, tmp_path: Path
) -> None:
    out = tmp_path / "current.yaml"
    answer = subprocess.run(  # its own process: this one already drives a browser
        [
            sys.executable,
            "-c",
            "from e2e.cli import main; main()",
            "update-manual",
            "--site-version",
            "current",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert re.search(r"2\.5\.1\s+│\s+ajoutée", answer.stdout) and "supprimée" in answer.stdout
    # Beside it, the review file: only what changed, and the command names it.
    review = out.with_suffix(".diff")
    assert f"À relire : {review}" in answer.stdout
    assert "instructions : 3 modifiées, 1 ajoutée, 2 supprimées" in answer.stdout
    assert f"csam-harness walkthrough --manual {out} --site-version current`" in answer.stdout
    diff = review.read_text(encoding="utf-8")
    assert "+  - fill: Numéro d'institution (8 chiffres)" in diff
    assert "+  text: Indiquez le « Numéro d'institution (8 chiffres) »" in diff and len(diff.splitlines()) < 250
    assert without_date(out.read_text(encoding="utf-8")) == without_date(
        EDITIONS["current"].read_text(encoding="utf-8")
    )
    results, walker = walk(out, "current")
    assert drifts(results) == {}
    assert [e for e in walker.events if not e.expected] == []


def test_the_2018_edition_regenerated_from_its_own_site_is_unchanged(walk: Run) -> None:
    results, walker = walk(MANUAL_FILE, "manual-2018")
    edition = load_edition(MANUAL_FILE)
    update = regenerate(edition, results, walker.events, site="manual-2018")
    assert not update.changed, update.changes
    assert dump(update, edition) == MANUAL_FILE.read_text(encoding="utf-8")


def test_the_shipped_edition_for_todays_site_regenerates_unchanged(walk: Run) -> None:
    results, walker = walk("current", "current")
    edition = load_edition("current")
    update = regenerate(edition, results, walker.events, site="current")
    assert not update.changed, update.changes
    assert dump(update, edition) == EDITIONS["current"].read_text(encoding="utf-8")


RENAMES = {"Type d'identification": "Type de dossier", "Exécuter": "Appliquer"}


def test_an_edition_regenerated_from_a_renamed_site_names_the_new_labels_and_passes_its_own_check(
    walk: Run, tmp_path: Path
) -> None:
    results, walker = walk(MANUAL_FILE, "manual-2018", RENAMES)
    edition = load_edition(MANUAL_FILE)
    update = regenerate(edition, results, walker.events, site="manual-2018 renamed")
    assert set(update.changes) == {"2.6", "4.22"} and not update.removed
    path = tmp_path / "renamed.yaml"
    path.write_text(dump(update, edition), encoding="utf-8")
    new = load_edition(path)
    assert "Type de dossier" in new.instruction("2.6").labels and "Appliquer" in new.instruction("4.22").labels
    again, walker = walk(path, "manual-2018", RENAMES)
    assert drifts(again) == {}
    assert [e for e in walker.events if not e.expected] == []
