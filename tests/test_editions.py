"""Manual editions as data without a browser: every bad edition file is one clear message naming the entry and
the field (and exit status 2 on the commands), the shipped editions load, and update-manual's regeneration
applies each kind of finding to the edition as docs/manual-schema.md says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from e2e.check_manual import TargetResult
from e2e.cli import main as harness
from e2e.manual import EDITIONS, MANUAL_FILE, ManualError, load_edition, load_manual
from e2e.page_words import AMBIGUOUS, CHANGED, MATCHES, MISSING, MOVED
from e2e.update_manual import dump, regenerate, replace_label
from tests.helpers import found, login_before_2_6, matching


def edition_file(tmp_path: Path, change) -> Path:
    """The 2018 edition with one change made to its data, written to a file."""
    data = yaml.safe_load(MANUAL_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "edition.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def entry(data, ident):
    return next(e for e in data["instructions"] if e["id"] == ident)


BAD_EDITIONS = {
    "unknown kind": (
        lambda d: entry(d, "2.6").update(kind="clik"),
        "instructions[8] (2.6), field 'kind': 'clik' is not one of navigate, click",
    ),
    "duplicate id": (lambda d: entry(d, "2.7").update(id="2.6"), "the id 2.6 appears twice"),
    "empty labels": (
        lambda d: entry(d, "2.10").update(labels=[], check=[]),
        "instructions[12] (2.10), field 'labels': empty",
    ),
    "empty label": (lambda d: entry(d, "2.2").update(labels=[""]), "(2.2), field 'labels.0': empty"),
    "missing field": (lambda d: entry(d, "3.3").pop("text"), "(3.3), field 'text': missing"),
    "unknown field": (lambda d: entry(d, "3.3").update(txet="…"), "(3.3), field 'txet': unknown field"),
    "id not step.number": (lambda d: entry(d, "3.3").update(id="3-3"), "(3-3), field 'id': '3-3' is not"),
    "step not its id": (lambda d: entry(d, "3.3").update(step=4), "(3.3), field 'step': 4 does not match"),
    "check label not named": (
        lambda d: entry(d, "4.19").update(check=[{"click": "Lancer"}]),
        "(4.19), field 'check[0]': 'Lancer' is not among the instruction's labels",
    ),
    "unknown revision": (
        lambda d: entry(d, "2.6").update(revision={"change": "renamed", "why": "…"}),
        "(2.6), field 'revision.change': 'renamed' is not one of",
    ),
    "removed without why": (
        lambda d: d.update(removed=[{"id": "2.8", "step": 2, "text": "…"}]),
        "removed[0] (2.8), field 'why': missing",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_EDITIONS))
def test_a_bad_edition_is_one_message_naming_the_entry_and_the_field(tmp_path: Path, case: str) -> None:
    change, message = BAD_EDITIONS[case]
    path = edition_file(tmp_path, change)
    with pytest.raises(ManualError) as refused:
        load_manual(path)
    assert message in str(refused.value)
    assert str(path) in str(refused.value)


def test_a_yaml_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("steps: {2: x}\ninstructions:\n  - id: '2.1\n    step: 2\n", encoding="utf-8")
    with pytest.raises(ManualError, match=r"not valid YAML at line \d+"):
        load_manual(path)


@pytest.mark.parametrize("command", ["check-manual", "update-manual", "walkthrough"])
@pytest.mark.parametrize("case", ["unknown kind", "duplicate id"])
def test_the_commands_refuse_a_bad_edition_with_exit_status_2_and_no_traceback(
    tmp_path: Path, command: str, case: str
) -> None:
    path = edition_file(tmp_path, BAD_EDITIONS[case][0])
    answer = CliRunner().invoke(harness, [command, "--manual", str(path)])
    assert answer.exit_code == 2
    assert BAD_EDITIONS[case][1] in " ".join(answer.output.split())
    assert "Traceback" not in answer.output


def test_an_edition_that_does_not_exist_is_named(tmp_path: Path) -> None:
    answer = CliRunner().invoke(harness, ["update-manual", "--manual", str(tmp_path / "none.yaml")])
    assert answer.exit_code == 2
    assert "no such file" in answer.output


def test_the_shipped_editions_load_and_todays_says_what_changed() -> None:
    for name in EDITIONS:
        load_edition(name)
    current = load_edition("current")
    changes = {i.id: i.revision.change for i in current.instructions if i.revision}
    assert {k: v for k, v in changes.items() if v != "unverified"} == {
        "2.5": "disambiguated",
        "2.5.1": "added",
        "2.6": "changed",
        "2.7": "changed",
    }
    assert [r.id for r in current.removed] == ["2.8", "2.9"]
    assert current.info.based_on == "manual-2018"


# ---------------------------------------------------------------------------------------------------------
# Regeneration from a walk's findings
# ---------------------------------------------------------------------------------------------------------


def test_nothing_drifted_writes_the_edition_back_byte_for_byte() -> None:
    edition = load_edition()
    update = regenerate(edition, list(matching(edition).values()), [], site="manual-2018")
    assert not update.changed
    assert dump(update, edition) == MANUAL_FILE.read_text(encoding="utf-8")


def test_each_finding_becomes_the_change_the_schema_describes() -> None:
    edition = load_edition()
    results = matching(edition)
    results["2.6"] = found("2.6", TargetResult("«Type d'identification»", "select", CHANGED, "Type d'institution"))
    results["2.5"] = found(
        "2.5",
        TargetResult(
            "«Enregistrez-vous via le site CSAM»",
            "click",
            AMBIGUOUS,
            "Enregistrez-vous via le site CSAM",
            3,
            section="Section B",
        ),
    )
    results["2.8"] = found("2.8", TargetResult("«Suivant»", "click", MISSING, page="Confirmez la demande"))
    results["2.9"] = found(
        "2.9",
        TargetResult("«NISS»", "fill", MOVED, "NISS de la carte", page="Login"),
        TargetResult("«Suivant»", "click", MATCHES),
    )
    update = regenerate(edition, list(results.values()), [login_before_2_6()], site="test")
    data = update.data
    by_id = {e["id"]: e for e in data["instructions"]}
    assert by_id["2.6"]["text"] == "Sélectionnez le « Type d'institution » => « Projet de soins intégrés »."
    assert by_id["2.6"]["labels"] == ["Type d'institution", "Projet de soins intégrés"]
    assert by_id["2.6"]["check"] == [{"select": "Type d'institution", "option": "Projet de soins intégrés"}]
    assert by_id["2.6"]["revision"]["change"] == "changed"
    assert by_id["2.6"]["revision"]["previous_text"] == edition.instruction("2.6").text
    assert by_id["2.5"]["check"] == [{"click": "Enregistrez-vous via le site CSAM", "within": "Section B"}]
    assert by_id["2.5"]["text"].startswith("Dans « Section B », cliquez sur")
    assert by_id["2.5"]["revision"]["change"] == "disambiguated"
    # The login the site asked for comes before 2.6, after the instruction before it.
    ids = [e["id"] for e in data["instructions"]]
    assert ids[ids.index("2.6") - 1] == "2.5.1"
    assert by_id["2.5.1"]["check"] == [
        {"fill": "Carte", "value": "responsable.niss"},
        {"fill": "PIN", "value": "responsable.pin"},
        {"click": "Entrer", "role": "button"},
    ]
    assert by_id["2.5.1"]["revision"]["change"] == "added"
    # What moved leaves the instruction; an instruction with something left keeps it.
    assert by_id["2.9"]["check"] == [{"click": "Suivant", "role": "button"}]
    assert by_id["2.9"]["labels"] == ["Suivant"]
    assert by_id["2.9"]["revision"]["change"] == "moved"
    assert "2.8" not in by_id and [r["id"] for r in data["removed"]] == ["2.8"]
    assert "Confirmez la demande" in data["removed"][0]["why"]
    # What a walk cannot see is marked, and everything that matched is as it was.
    assert by_id["1.1"]["revision"]["change"] == "unverified"
    assert data["notes"][0]["revision"]["change"] == "unverified"
    raw = {e["id"]: e for e in yaml.safe_load(MANUAL_FILE.read_text(encoding="utf-8"))["instructions"]}
    assert by_id["3.4"] == raw["3.4"]
    assert set(update.changes) == {"2.5", "2.5.1", "2.6", "2.9"} and set(update.removed) == {"2.8"}


def test_the_regenerated_edition_is_itself_a_valid_edition(tmp_path: Path) -> None:
    edition = load_edition()
    results = matching(edition)
    results["4.19"] = found("4.19", TargetResult("«Ajouter»", "click", CHANGED, "Attribuer"))
    update = regenerate(edition, list(results.values()), [], site="test")
    path = tmp_path / "new.yaml"
    path.write_text(dump(update, edition), encoding="utf-8")
    new = load_edition(path)
    assert new.instruction("4.19").labels == ("Attribuer",)
    assert new.instruction("4.19").text == "Cliquez sur « Attribuer »."
    assert "CsamLoginPage.with_eid_back_to" in new.beyond_the_manual


@pytest.mark.parametrize(
    ("text", "old", "new", "expected"),
    [
        ("Cliquez sur Suivant.", "Suivant", "Continuer", "Cliquez sur « Continuer »."),
        ("Cochez « oui, je confirme ».", "oui, je confirme", "J'accepte", "Cochez « J'accepte »."),
        ("Cliquez sur suivant puis Suivant.", "Suivant", "Continuer", "Cliquez sur « Continuer » puis Suivant."),
        ("Cliquez ici.", "Suivant", "Continuer", "Cliquez ici. [« Suivant » s'appelle maintenant « Continuer »]"),
        ("Indiquez le N°INAMI.", "N°INAMI", r"N°\1", r"Indiquez le « N°\1 »."),
    ],
)
def test_a_label_is_replaced_once_quoted_or_said_beside_the_text(text: str, old: str, new: str, expected: str) -> None:
    assert replace_label(text, old, new) == expected


ACCESS_REQUEST = """\
- main:
  - heading "Demande d'accès" [level=1]
  - region "Demander l'accès pour votre hôpital":
    - link "Enregistrez-vous via le site CSAM"
  - region "Demander l'accès pour votre entreprise":
    - link "Enregistrez-vous via le site CSAM"
  - region "Demander l'accès en tant qu'institution de soins":
    - link "Enregistrez-vous via le site CSAM"
"""


def test_among_ambiguous_elements_the_walk_takes_the_one_whose_section_shares_the_steps_words() -> None:
    from e2e.page_words import PageSeen, look_up, parse_snapshot

    page = PageSeen("/demande", "Demande d'accès", tuple(parse_snapshot(ACCESS_REQUEST)))
    words = frozenset({"enregistrez-vous via le site csam"})
    plain = look_up("click", "Enregistrez-vous via le site CSAM", page, [], words)
    assert (plain.status, plain.count, plain.element.index) == (AMBIGUOUS, 3, 0)
    chosen = look_up(
        "click",
        "Enregistrez-vous via le site CSAM",
        page,
        [],
        words,
        context=["Demande d'accès", "Type d'identification", "Projet de soins intégrés"],
    )
    assert (chosen.status, chosen.count, chosen.element.index) == (AMBIGUOUS, 3, 2)
    assert chosen.element.containers[-1] == ("region", "Demander l'accès en tant qu'institution de soins")
