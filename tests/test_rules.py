"""Domain rules through the store: step 1 records, seed files, GAP registration, the back office, state, letters."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from faker import Faker
from sqlalchemy import func, select

from fixtures import builders
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.errors import FORM, NotFound, RuleViolation
from mock_csam.domain.models import ACTIVE, GAP, PENDING_SIGNATURE, Account, Letter, Member, Person, Project
from mock_csam.domain.rules import registrations
from mock_csam.domain.seed import SeedError, load_seed, read_seed
from mock_csam.domain.store import Store

DEMO_SEED = Path(__file__).resolve().parent.parent / "fixtures" / "demo.yaml"


def _count(store: Store, model) -> int:
    with store.transaction() as db:
        return db.scalar(select(func.count()).select_from(model))


def _record(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    with store.transaction() as db:
        return serialisers.project_json(rules.record_project(db, data))


def _refusal(store: Store, data: Any) -> RuleViolation:
    with store.transaction() as db, pytest.raises(RuleViolation) as caught:
        rules.record_project(db, data)
    return caught.value


def _fields(violation: RuleViolation) -> set[str]:
    return {f for f, _ in violation.errors}


def _gap_data(person: dict[str, Any]) -> dict[str, Any]:
    return {k: person[k] for k in ("niss", "last_name", "first_name", "email", "phone", "language")}


def _submit(
    store: Store, project: dict[str, Any], person: dict[str, Any], *, by_post: bool = False, confirmed: bool = True
) -> dict[str, Any]:
    with store.transaction() as db:
        registration = rules.submit_registration(
            db,
            rules.PROJECT_TYPE,
            project["inami_number"],
            _gap_data(person),
            credentials_by_post=by_post,
            confirmed=confirmed,
        )
        return serialisers.registration_json(registration)


def _receive(store: Store, ref: str | int) -> dict[str, Any]:
    with store.transaction() as db:
        return serialisers.registration_json(rules.receive_signed_document(db, rules.registration_by_ref(db, ref)))


# ---------------------------------------------------------------------------------------------------------
# Step 1: record_project
# ---------------------------------------------------------------------------------------------------------


def test_a_valid_project_is_recorded_with_its_persons_and_roles(store: Store, project_data: dict) -> None:
    recorded = _record(store, project_data)
    assert recorded["inami_number"] == project_data["inami_number"]
    assert recorded["name"] == project_data["name"]
    assert recorded["address"] == project_data["address"]
    assert [(p["niss"], p["szv_role"]) for p in recorded["persons"]] == [
        (p["niss"], p["szv_role"]) for p in project_data["persons"]
    ]
    assert recorded["registrations"] == [] and recorded["members"] == []
    assert _count(store, Person) == 2


def test_identifiers_are_stored_without_separators(store: Store, project_data: dict) -> None:
    niss = project_data["persons"][0]["niss"]
    project_data["inami_number"] = "7100-0436"
    project_data["persons"][0]["niss"] = f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"
    recorded = _record(store, project_data)
    assert recorded["inami_number"] == "71000436"
    assert recorded["persons"][0]["niss"] == niss


def test_the_eid_pin_defaults_to_1234_and_can_be_set(store: Store, project_data: dict) -> None:
    project_data["persons"][1]["pin"] = "987654"
    _record(store, project_data)
    with store.transaction() as db:
        pins = {p.niss: p.eid_pin for p in db.scalars(select(Person))}
    assert pins == {project_data["persons"][0]["niss"]: "1234", project_data["persons"][1]["niss"]: "987654"}


def _set(data: dict, path: str, value: Any) -> None:
    """Set a value at a dotted path like persons.0.niss; the value DELETE removes the key."""
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key = int(last) if last.isdigit() else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("inami_number", DELETE, "inami_number"),
        ("inami_number", "", "inami_number"),
        ("inami_number", "7100043", "inami_number"),
        ("inami_number", "71000437", "inami_number"),
        ("name", "  ", "name"),
        ("name", "x" * 201, "name"),
        ("address", DELETE, "address"),
        ("address.street", "", "address.street"),
        ("address.postal_code", "12", "address.postal_code"),
        ("address.city", "", "address.city"),
        ("persons", [], "persons"),
        ("persons", "Sophie", "persons"),
        ("persons.0", "Sophie", "persons[0]"),
        ("persons.0.niss", DELETE, "persons[0].niss"),
        ("persons.0.niss", "1234567890", "persons[0].niss"),
        ("persons.0.niss", "12345678901", "persons[0].niss"),
        ("persons.1.first_name", "", "persons[1].first_name"),
        ("persons.1.last_name", "", "persons[1].last_name"),
        ("persons.0.language", "xx", "persons[0].language"),
        ("persons.0.sex", "X", "persons[0].sex"),
        ("persons.1.szv_role", "chef", "persons[1].szv_role"),
        ("persons.0.address", DELETE, "persons[0].address"),
        ("persons.0.address.postal_code", "B-1000", "persons[0].address.postal_code"),
        ("persons.0.email", "sophie-at-example", "persons[0].email"),
        ("persons.0.phone", "call me", "persons[0].phone"),
        ("persons.0.pin", "12", "persons[0].pin"),
        ("persons.0.pin", "abcd", "persons[0].pin"),
    ],
)
def test_each_invalid_field_is_named(store: Store, project_data: dict, path: str, value: Any, field: str) -> None:
    _set(project_data, path, value)
    violation = _refusal(store, project_data)
    assert field in _fields(violation), violation.errors
    assert all(str(message) for _, message in violation.errors)


def test_every_problem_is_reported_at_once(store: Store, project_data: dict) -> None:
    project_data["inami_number"] = "71000437"
    project_data["name"] = ""
    project_data["persons"][1]["niss"] = "12345678901"
    assert _fields(_refusal(store, project_data)) == {"inami_number", "name", "persons[1].niss"}


def test_messages_are_french_and_say_what_is_wrong(store: Store, project_data: dict) -> None:
    project_data["persons"][0]["niss"] = "12345678901"
    violation = _refusal(store, project_data)
    assert violation.for_field("persons[0].niss") == [
        "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas."
    ]


def test_a_project_needs_a_responsable(store: Store, project_data: dict) -> None:
    for person in project_data["persons"]:
        person["szv_role"] = builders.SZV_CERTIFICATE_MANAGER
    violation = _refusal(store, project_data)
    assert violation.for_field("persons") == ["Un projet compte au moins un « responsable »."]


def test_a_person_cannot_appear_twice_in_a_project(store: Store, project_data: dict) -> None:
    project_data["persons"][1]["niss"] = project_data["persons"][0]["niss"]
    assert _fields(_refusal(store, project_data)) == {"persons[1].niss"}


def test_a_second_project_with_the_same_inami_number_is_refused(store: Store, project_data: dict, faker: Faker) -> None:
    _record(store, project_data)
    other = builders.project(faker, inami_number=project_data["inami_number"])
    violation = _refusal(store, other)
    assert violation.for_field("inami_number") == ["Un projet porte déjà ce N°INAMI."]
    assert _count(store, Project) == 1


def test_a_non_object_is_refused_as_a_whole(store: Store) -> None:
    assert _fields(_refusal(store, ["not", "a", "project"])) == {FORM}


def test_nothing_is_saved_when_a_project_is_refused(store: Store, project_data: dict) -> None:
    project_data["persons"][1]["sex"] = "?"
    with store.transaction() as db:
        with pytest.raises(RuleViolation):
            rules.record_project(db, project_data)
        assert not db.new, "the rule wrote before it had checked everything"
    assert _count(store, Project) == 0
    assert _count(store, Person) == 0


def test_a_person_of_two_projects_is_one_person(store: Store, project_data: dict, faker: Faker) -> None:
    _record(store, project_data)
    shared = copy.deepcopy(project_data["persons"][0])
    second = builders.project(faker, persons=[shared])
    _record(store, second)
    assert _count(store, Project) == 2
    assert _count(store, Person) == 2


# ---------------------------------------------------------------------------------------------------------
# Seed files
# ---------------------------------------------------------------------------------------------------------


def test_the_demo_seed_loads(store: Store) -> None:
    with store.transaction() as db:
        added, present = load_seed(db, read_seed(DEMO_SEED))
    assert added == ["71000436", "78901184"] and present == []
    with store.transaction() as db:
        state = serialisers.export_state(db)
    names = {p["inami_number"]: p["name"] for p in state["projects"]}
    assert names == {
        "71000436": "Projet de soins intégrés Brusano – Bruxelles",
        "78901184": "Réseau Santé Namur – Projet de soins intégrés",
    }


def test_the_demo_seed_has_a_person_born_after_2000_and_pins() -> None:
    from stdnum.be import ssn

    persons = [p for project in read_seed(DEMO_SEED) for p in project["persons"]]
    assert all(ssn.is_valid(p["niss"]) for p in persons)
    assert any(ssn.get_birth_date(p["niss"]).year >= 2000 for p in persons)
    assert {p["pin"] for p in persons} == {"1234"}


def test_loading_a_seed_twice_keeps_what_is_there(store: Store) -> None:
    projects = read_seed(DEMO_SEED)
    with store.transaction() as db:
        load_seed(db, projects)
    with store.transaction() as db:
        added, present = load_seed(db, projects)
    assert added == [] and present == ["71000436", "78901184"]
    assert _count(store, Project) == 2


def test_a_seed_with_an_invalid_project_is_refused_whole(store: Store, faker: Faker) -> None:
    good = builders.project(faker)
    bad = builders.project(faker)
    bad["persons"][0]["niss"] = "12345678901"
    with (
        pytest.raises(
            SeedError,
            match=r"project #2 \(\d{8}\): persons\[0\]\.niss: Ce NISS n'est pas valable",
        ),
        store.transaction() as db,
    ):
        load_seed(db, [good, bad])
    assert _count(store, Project) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just a string", "expected a list of projects"),
        ("projects: {inami_number: 1}", "expected a list of projects"),
        ("[unclosed", "expected"),
    ],
)
def test_unreadable_seed_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError, match=message):
        read_seed(path)


def test_a_json_seed_file_is_read_too(tmp_path: Path, project_data: dict) -> None:
    import json

    path = tmp_path / "seed.json"
    path.write_text(json.dumps([project_data]), encoding="utf-8")
    assert read_seed(path) == [project_data]


def test_a_missing_seed_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match=r"seed\.yaml"):
        read_seed(tmp_path / "seed.yaml")


# ---------------------------------------------------------------------------------------------------------
# Step 2: registration of the GAP and the back office
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def recorded(store: Store, project_data: dict) -> dict[str, Any]:
    """The project recorded in SZV (step 1 done)."""
    _record(store, project_data)
    return project_data


def test_a_submitted_registration_waits_for_the_signed_document(
    store: Store, recorded: dict, fixed_today: dt.date
) -> None:
    responsable = recorded["persons"][0]
    registration = _submit(store, recorded, responsable)
    assert registration["status"] == PENDING_SIGNATURE
    assert re.fullmatch(r"CSAM-2024-\d{6}", registration["request_number"])
    assert registration["gap_niss"] == responsable["niss"]
    assert registration["signed_document_received_at"] is None
    with store.transaction() as db:
        assert rules.project_by_inami(db, recorded["inami_number"]).members == []


def test_registration_keeps_the_contact_data_typed(store: Store, recorded: dict) -> None:
    responsable = dict(recorded["persons"][0], email="nouvelle.adresse@example.be", phone="+32 470 12 34 56")
    registration = _submit(store, recorded, responsable)
    assert (registration["email"], registration["phone"]) == ("nouvelle.adresse@example.be", "+32 470 12 34 56")


def test_an_unconfirmed_registration_saves_nothing(store: Store, recorded: dict) -> None:
    with pytest.raises(RuleViolation) as caught:
        _submit(store, recorded, recorded["persons"][0], confirmed=False)
    assert _fields(caught.value) == {"confirm"}
    with store.transaction() as db:
        assert serialisers.export_state(db)["projects"][0]["registrations"] == []


def test_only_a_responsable_can_be_designated(store: Store, recorded: dict) -> None:
    with pytest.raises(RuleViolation) as caught:
        _submit(store, recorded, recorded["persons"][1])
    assert _fields(caught.value) == {"niss"}


@pytest.mark.parametrize(
    ("kind", "number", "field"),
    [
        ("", "71000436", "identification_type"),
        ("garage", "71000436", "identification_type"),
        (rules.PROJECT_TYPE, "", "inami_number"),
        (rules.PROJECT_TYPE, "71000437", "inami_number"),
        (rules.PROJECT_TYPE, "78901184", "inami_number"),  # valid but not recorded
    ],
)
def test_the_organisation_must_be_a_recorded_project(store: Store, kind: str, number: str, field: str) -> None:
    with store.transaction() as db:
        load_seed(db, read_seed(DEMO_SEED)[:1])
    with store.transaction() as db, pytest.raises(RuleViolation) as caught:
        rules.find_project_for_registration(db, kind, number)
    assert field in _fields(caught.value)


def test_another_identification_type_for_a_projects_number_is_refused(store: Store, recorded: dict) -> None:
    with store.transaction() as db, pytest.raises(RuleViolation) as caught:
        rules.find_project_for_registration(db, "hopital", recorded["inami_number"])
    assert caught.value.for_field("identification_type") == [
        "Aucune organisation de type « Hôpital » ne porte ce N°INAMI."
    ]


def test_a_second_request_while_one_is_pending_is_refused(store: Store, recorded: dict) -> None:
    first = _submit(store, recorded, recorded["persons"][0])
    with pytest.raises(RuleViolation) as caught:
        _submit(store, recorded, recorded["persons"][0])
    assert first["request_number"] in caught.value.for_field("inami_number")[0]


def test_the_signed_document_makes_the_gap_active(store: Store, recorded: dict) -> None:
    submitted = _submit(store, recorded, recorded["persons"][0])
    received = _receive(store, submitted["request_number"])
    assert received["status"] == ACTIVE
    assert received["signed_document_received_at"] is not None
    with store.transaction() as db:
        project = rules.project_by_inami(db, recorded["inami_number"])
        gap = rules.active_gap(project)
        assert gap is not None and gap.person.niss == recorded["persons"][0]["niss"]
        assert [m.kind for m in project.members] == [GAP]
        assert rules.managed_projects(db, gap.person) == [project]


def test_a_project_with_a_gap_cannot_get_another(store: Store, recorded: dict, faker: Faker) -> None:
    _receive(store, _submit(store, recorded, recorded["persons"][0])["id"])
    with pytest.raises(RuleViolation) as caught:
        _submit(store, recorded, recorded["persons"][0])
    assert "déjà un Gestionnaire d'Accès Principal" in caught.value.for_field("inami_number")[0]


def test_the_signed_document_cannot_be_received_twice(store: Store, recorded: dict) -> None:
    number = _submit(store, recorded, recorded["persons"][0])["request_number"]
    _receive(store, number)
    with pytest.raises(RuleViolation) as caught:
        _receive(store, number)
    assert caught.value.for_field(FORM) == ["Le document signé de cette demande a déjà été reçu."]
    with store.transaction() as db:
        assert len(rules.project_by_inami(db, recorded["inami_number"]).members) == 1


def test_an_unknown_registration_is_not_found(store: Store) -> None:
    with store.transaction() as db:
        for ref in ("CSAM-2024-000000", "42", "../x"):
            with pytest.raises(NotFound):
                rules.registration_by_ref(db, ref)


def test_without_post_no_account_and_no_letter(store: Store, recorded: dict) -> None:
    _receive(store, _submit(store, recorded, recorded["persons"][0])["id"])
    assert _count(store, Account) == 0
    assert _count(store, Letter) == 0


def test_credentials_by_post_create_an_account_and_two_letters(
    store: Store, recorded: dict, fixed_today: dt.date
) -> None:
    gap = recorded["persons"][0]
    submitted = _submit(store, recorded, gap, by_post=True)
    assert submitted["credentials_by_post"] is True
    with store.transaction() as db:
        assert serialisers.letters_for(db, gap["niss"]) == [], "letters leave only once the document is received"
    _receive(store, submitted["request_number"])

    with store.transaction() as db:
        letters = serialisers.letters_for(db, gap["niss"])
        username = db.scalar(select(Account.username))
    assert [letter["kind"] for letter in letters] == ["username", "password"]
    # Thursday 2 May 2024 + 5 working days, across a weekend: Thursday 9 May.
    assert {(letter["sent_on"], letter["delivered_by"]) for letter in letters} == {("2024-05-02", "2024-05-09")}
    assert username in letters[0]["body"]
    password = letters[1]["body"].rsplit(" : ", 1)[1]
    assert password not in letters[0]["body"]
    with store.transaction() as db:
        assert rules.authenticate_password(db, username, password).niss == gap["niss"]


@pytest.mark.parametrize(
    ("today", "delivered"),
    [
        (dt.date(2024, 5, 3), dt.date(2024, 5, 10)),  # Friday → next Friday
        (dt.date(2024, 5, 4), dt.date(2024, 5, 10)),  # Saturday → Friday
        (dt.date(2024, 5, 6), dt.date(2024, 5, 13)),  # Monday → next Monday
    ],
)
def test_letters_are_delivered_within_5_working_days(
    store: Store, recorded: dict, monkeypatch: pytest.MonkeyPatch, today: dt.date, delivered: dt.date
) -> None:
    from mock_csam.domain import clock

    monkeypatch.setattr(clock, "today", lambda: today)
    _receive(store, _submit(store, recorded, recorded["persons"][0], by_post=True)["id"])
    with store.transaction() as db:
        assert {letter["delivered_by"] for letter in serialisers.letters_for(db, recorded["persons"][0]["niss"])} == {
            delivered.isoformat()
        }


# ---------------------------------------------------------------------------------------------------------
# The state and the mailbox as the control API shows them
# ---------------------------------------------------------------------------------------------------------


def test_the_empty_state(store: Store, fixed_today: dt.date) -> None:
    with store.transaction() as db:
        assert serialisers.export_state(db) == {"today": "2024-05-02", "projects": [], "persons": []}


def test_the_state_shows_projects_persons_registrations_and_members(store: Store, recorded: dict) -> None:
    gap = recorded["persons"][0]
    number = _submit(store, recorded, gap, by_post=True)["request_number"]
    _receive(store, number)
    with store.transaction() as db:
        state = serialisers.export_state(db)
    [project] = state["projects"]
    assert project["inami_number"] == recorded["inami_number"]
    assert [r["request_number"] for r in project["registrations"]] == [number]
    assert project["access_managers"] == [{"niss": gap["niss"], "kind": GAP}]
    assert [(m["niss"], m["kind"], m["roles"]) for m in project["members"]] == [(gap["niss"], GAP, [])]
    persons = {p["niss"]: p for p in state["persons"]}
    assert set(persons) == {p["niss"] for p in recorded["persons"]}
    assert persons[gap["niss"]]["username"] is not None
    assert persons[recorded["persons"][1]["niss"]]["username"] is None
    assert persons[gap["niss"]]["address"] == gap["address"]


def test_the_state_is_plain_json(store: Store, recorded: dict) -> None:
    import json

    _receive(store, _submit(store, recorded, recorded["persons"][0], by_post=True)["id"])
    with store.transaction() as db:
        state = serialisers.export_state(db)
    assert json.loads(json.dumps(state)) == state


def test_the_mailbox_of_someone_who_got_no_letter_is_empty(store: Store, recorded: dict) -> None:
    with store.transaction() as db:
        assert serialisers.letters_for(db, recorded["persons"][0]["niss"]) == []
        assert serialisers.letters_for(db, "85073003328") == []


def test_the_mailbox_accepts_a_niss_with_separators(store: Store, recorded: dict) -> None:
    niss = recorded["persons"][0]["niss"]
    _receive(store, _submit(store, recorded, recorded["persons"][0], by_post=True)["id"])
    with store.transaction() as db:
        assert len(serialisers.letters_for(db, f"{niss[:6]}-{niss[6:9]}.{niss[9:]}")) == 2


def test_a_reset_empties_everything(store: Store, recorded: dict) -> None:
    _receive(store, _submit(store, recorded, recorded["persons"][0], by_post=True)["id"])
    store.reset()
    for model in (Project, Person, Account, Letter, Member):
        assert _count(store, model) == 0


def test_the_demo_seed_file_is_yaml_with_people_to_add() -> None:
    """The demo's extra person (for steps 3-4) is not a project member and has a valid NISS."""
    from stdnum.be import ssn

    data = yaml.safe_load(DEMO_SEED.read_text(encoding="utf-8"))
    known = {p["niss"] for project in data["projects"] for p in project["persons"]}
    for person in data["people_to_add"]:
        assert ssn.is_valid(person["niss"]) and person["niss"] not in known
        assert rules.password_is_strong(person["password"])
        assert rules.USERNAME_RE.match(person["username"])


# ---------------------------------------------------------------------------------------------------------
# Request numbers
# ---------------------------------------------------------------------------------------------------------


def test_request_numbers_are_unique_even_when_the_random_draw_repeats(
    store: Store, project_data: dict, faker: Faker, monkeypatch: pytest.MonkeyPatch, fixed_today: dt.date
) -> None:
    other = builders.project(faker)
    _record(store, project_data)
    _record(store, other)
    draws = iter([23456, 23456, 54321])  # the second request draws the first one's number, then another
    monkeypatch.setattr(registrations.secrets, "randbelow", lambda _n: next(draws))

    first = _submit(store, project_data, project_data["persons"][0])
    second = _submit(store, other, other["persons"][0])

    assert first["request_number"] == "CSAM-2024-123456"
    assert second["request_number"] == "CSAM-2024-154321"
