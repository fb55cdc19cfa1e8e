"""`import-manual`: the 2018 manual's text read into an edition that agrees with e2e/manual.yaml, a small
Markdown manual read entry by entry, and the command's output and refusals."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from e2e.cli import main
from e2e.manual import MANUAL_FILE, load_manual, load_notes, load_steps
from e2e.manual_import import ImportedManual, ManualImportError, import_file, import_manual

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "manual-2018.fr.txt"
# Instructions 2.1–4.23 are the ones a browser follows; at least this share must agree with manual.yaml.
REQUIRED_SHARE = 0.90

MARKDOWN = """\
# Manuel d'essai

Ce manuel explique comment activer votre entité.

## ÉTAPE 2 : Activation de votre entité

1. Accédez au portail eHealth : www.ehealth.fgov.be
2. Cliquez sur « Demande d'accès ».
3. Sélectionnez le type d'identification => « Projet de soins intégrés ».

> *Remarque :* la demande est traitée en cinq jours ouvrables.

4. Indiquez le N°INAMI et cliquez sur **Suivant**.
5. Cochez la case "oui, je confirme".

https://www.ehealth.fgov.be/

12
"""


def _norm(words: str) -> str:
    """Words compared without case, quote style, apostrophe style or spacing."""
    words = words.replace("\u2019", "'").replace("\u2018", "'")
    words = re.sub(r"[«»\"“”]", " ", words)
    return " ".join(words.lower().split())


def _overlap(one: str, other: str) -> float:
    """How much of the shorter text's words the other holds: low when two entries are different sentences."""
    words, others = set(_norm(one).split()), set(_norm(other).split())
    return len(words & others) / max(1, min(len(words), len(others)))


def _labels(entry: dict) -> list[str]:
    """An entry's labels, normalised and sorted: the manual lists a region's title first or last."""
    return sorted(_norm(label) for label in entry["labels"])


@pytest.fixture(scope="module")
def imported() -> ImportedManual:
    """The seed manual, imported once."""
    return import_file(SEED)


def _write(imported: ImportedManual, path: Path) -> Path:
    """The edition written as the command writes it."""
    path.write_text(yaml.safe_dump(imported.edition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_seed_agrees_with_the_manual_for_at_least_90_percent(
    imported: ImportedManual, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = yaml.safe_load(MANUAL_FILE.read_text(encoding="utf-8"))["instructions"]
    expected = [entry for entry in reference if entry["step"] in (2, 3, 4)]
    got = {entry["id"]: entry for entry in imported.instructions}
    misses: list[str] = []
    for entry in expected:
        mine = got.get(entry["id"])
        if mine is None:
            misses.append(f"{entry['id']}: not imported")
        elif mine["kind"] != entry["kind"] or _labels(mine) != _labels(entry):
            misses.append(
                f"{entry['id']}: imported {mine['kind']} {mine['labels']}, "
                f"manual.yaml {entry['kind']} {entry['labels']} — «{mine['text'][:70]}»"
            )
        elif _overlap(mine["text"], entry["text"]) < 0.6:
            # Same ID, kind and labels, but another sentence of the manual: not a match.
            misses.append(
                f"{entry['id']}: the same kind and labels, from another sentence: "
                f"«{mine['text'][:60]}» vs «{entry['text'][:60]}»"
            )
    matched = len(expected) - len(misses)
    with capsys.disabled():  # the figure belongs in the run's log, passed or failed
        print(
            f"\nimport-manual agrees with manual.yaml for {matched}/{len(expected)} instructions "
            f"({matched / len(expected):.1%}) of 2.1–4.23"
        )
        for miss in misses:
            print(f"  miss {miss}")
    assert len(expected) == 48
    assert matched / len(expected) >= REQUIRED_SHARE, f"{matched}/{len(expected)} match; misses:\n" + "\n".join(misses)


def test_seed_steps_and_browser_flags(imported: ImportedManual) -> None:
    reference = load_steps(MANUAL_FILE)
    assert imported.edition["steps"] == reference
    step_one = [entry for entry in imported.instructions if entry["step"] == 1]
    assert step_one and all(entry["kind"] == "back-office" and entry["browser"] is False for entry in step_one)
    assert all(entry["browser"] is True for entry in imported.instructions if entry["step"] > 1)
    assert all(entry["actions"] == [] for entry in imported.instructions)


def test_seed_keeps_remarks_and_warnings_as_notes_and_drops_furniture(imported: ImportedManual) -> None:
    texts = [note["text"] for note in imported.notes]
    assert any(text.startswith("Attention: les prestataires de soins de l'AR78") for text in texts)
    assert any("Si aucune confirmation n'est donnée" in text for text in texts)
    everything = " ".join(texts + [entry["text"] for entry in imported.instructions])
    assert "http://www.ehealth.fgov.be/" not in everything
    assert not any(text.strip().isdigit() for text in texts)
    assert all(re.fullmatch(r"\d+-(remarque|attention|texte)-\d+", note["id"]) for note in imported.notes)
    assert "“" not in everything and "”" not in everything and "’" not in everything


def test_seed_edition_loads_with_the_manual_loaders(imported: ImportedManual, tmp_path: Path) -> None:
    path = _write(imported, tmp_path / "edition.yaml")
    instructions = load_manual(path)
    assert [i.id for i in instructions] == [entry["id"] for entry in imported.instructions]
    assert load_steps(path) == imported.edition["steps"]
    assert [note.id for note in load_notes(path)] == [note["id"] for note in imported.notes]
    by_id = {i.id: i for i in instructions}
    assert [(t.verb, t.label, t.option) for t in by_id["2.6"].check] == [
        ("select", "Type d'Identification", "Projet de soins intégrés")
    ]
    assert [t.verb for t in by_id["2.1"].check] == ["go"]


def test_markdown_manual_imports_entry_by_entry() -> None:
    result = import_manual(MARKDOWN)
    entries = [
        {key: entry.get(key) for key in ("id", "step", "kind", "labels", "check")} for entry in result.instructions
    ]
    assert entries == [
        {"id": "2.1", "step": 2, "kind": "navigate", "labels": [], "check": [{"go": "/"}]},
        {
            "id": "2.2",
            "step": 2,
            "kind": "click",
            "labels": ["Demande d'accès"],
            "check": [{"click": "Demande d'accès"}],
        },
        {
            "id": "2.3",
            "step": 2,
            "kind": "choose",
            "labels": ["Type d'identification", "Projet de soins intégrés"],
            "check": [{"select": "Type d'identification", "option": "Projet de soins intégrés"}],
        },
        {
            "id": "2.4",
            "step": 2,
            "kind": "fill",
            "labels": ["N°INAMI", "Suivant"],
            "check": [{"fill": "N°INAMI"}, {"click": "Suivant"}],
        },
        {
            "id": "2.5",
            "step": 2,
            "kind": "tick",
            "labels": ["oui, je confirme"],
            "check": [{"tick": "oui, je confirme"}],
        },
    ]
    assert result.instructions[1]["text"] == "Cliquez sur « Demande d'accès »."
    assert result.instructions[4]["text"] == "Cochez la case « oui, je confirme »."
    assert result.edition["steps"] == {2: "ÉTAPE 2 : Activation de votre entité"}
    assert result.notes == [
        {"id": "0-texte-1", "step": 0, "text": "Manuel d'essai"},
        {"id": "0-texte-2", "step": 0, "text": "Ce manuel explique comment activer votre entité."},
        {"id": "2-remarque-1", "step": 2, "text": "Remarque : la demande est traitée en cinq jours ouvrables."},
    ]


def test_text_without_instructions_is_refused() -> None:
    with pytest.raises(ManualImportError, match="no instruction found"):
        import_manual("Ce document présente le projet.\n\n*Remarque : rien à faire ici.\n")


def _invoke(*args: str) -> tuple[int, str]:
    """`csam-harness import-manual ARGS`: exit status and everything it printed."""
    result = CliRunner().invoke(main, ["import-manual", *args])
    return result.exit_code, result.output


def test_cli_writes_the_edition_and_lists_the_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = _invoke(str(SEED))
    assert code == 0, output
    written = tmp_path / "manual-2018.fr.yaml"
    assert len(load_manual(written)) == 51
    assert "51 instructions" in output and "not read as instructions" in output
    assert "4-attention-1: Attention: les prestataires" in output


def test_cli_overwrites_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "edition.yaml"
    out.write_text("keep me", encoding="utf-8")
    code, output = _invoke(str(SEED), "--out", str(out))
    assert code == 2 and "exists; pass --force" in output and "Traceback" not in output
    assert out.read_text(encoding="utf-8") == "keep me"
    code, output = _invoke(str(SEED), "--out", str(out), "--force")
    assert code == 0, output
    assert load_steps(out) == load_steps(MANUAL_FILE)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "absent.txt", "does not exist"),
        (lambda tmp: tmp, "is a folder"),
        (
            lambda tmp: (tmp / "latin1.txt", (tmp / "latin1.txt").write_bytes("Cliquez sur Accéder".encode("latin-1")))[
                0
            ],
            "is not UTF-8",
        ),
        (
            lambda tmp: (
                tmp / "prose.md",
                (tmp / "prose.md").write_text("Un texte sans consigne.\n", encoding="utf-8"),
            )[0],
            "no instruction found",
        ),
    ],
    ids=["missing", "folder", "not-utf8", "no-instruction"],
)
def test_cli_refuses_bad_sources_with_status_2(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    source = make(tmp_path)
    code, output = _invoke(str(source), "--out", str(tmp_path / "out.yaml"))
    assert code == 2
    assert message in output
    assert "Traceback" not in output
    assert not (tmp_path / "out.yaml").exists()
