"""The inclusion application, the AR78 and the mock clock, through the rules, the pages and the control API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import (
    GAP_A,
    GAP_B,
    INAMI_A,
    INAMI_B,
    NEW_1,
    NEW_2,
    NEW_3,
    NEW_4,
    PENDING_GAP,
    has,
    login_eid,
    seed_member,
    seed_world,
    state,
    text,
    transaction,
)
from werkzeug.test import TestResponse

from mock_csam import create_app
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.models import COORDINATEUR, GESTIONNAIRE, Member, Person, Project
from mock_csam.domain.store import Store

ON = dt.date(2024, 5, 2)
PATIENT_1, PATIENT_2 = "60010112347", "93051822361"
AR78_DOCTOR, AR78_NURSE = "70061512366", "81121412378"


@pytest.fixture
def app() -> Iterator[Flask]:
    """The mock with its control API, CSRF off (forms are posted directly), living on ON."""
    app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": ":memory:", "SECRET_KEY": "t", "CONTROL_API": True}
    )
    app.extensions["csam_store"].set_today(ON)
    yield app
    app.extensions["csam_store"].dispose()


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """test_login_and_access's projects A (GAP Anne), B (GAP Bruno), C (GAP pending)."""
    return seed_world(app)


def user(
    app: Flask,
    world: dict[str, Any],
    niss: str,
    *,
    project: str = "a",
    inclusion_app: bool = True,
    roles: list[str] | None = None,
    start: dt.date = ON,
    end: dt.date | None = None,
) -> int:
    """A user of the project, with the inclusion application ticked or not and roles from `start`."""
    actor = GAP_A if project == "a" else GAP_B
    member_id = seed_member(app, world[project], actor, niss, "Prénom" + niss[-3:], "Nom" + niss[-3:])
    with app.app_context(), transaction(app) as db:
        member = db.get(Member, member_id)
        member.inclusion_app = inclusion_app
        if roles:
            manager = next(m for m in member.project.members if m.person.niss == actor)
            rules.set_roles(db, manager, member_id, roles, start, end)
    return member_id


def access_of(app: Flask, niss: str, pid: int) -> rules.InclusionAccess:
    with app.app_context(), transaction(app) as db:
        person = db.query(Person).filter_by(niss=niss).one()
        return rules.inclusion_access(db, person, db.get(Project, pid))


def provider(client: FlaskClient, niss: str, profession: str, inami: str = INAMI_A) -> Any:
    return client.post(
        "/_mock/care-providers",
        json={
            "niss": niss,
            "first_name": "Prénom",
            "last_name": "Prestataire",
            "profession": profession,
            "inami_number": inami,
        },
    )


# ---------------------------------------------------------------------------------------------------------
# The clock
# ---------------------------------------------------------------------------------------------------------


def test_the_clock_follows_the_real_date_by_default() -> None:
    client = create_app({"TESTING": True, "CONTROL_API": True}).test_client()
    assert client.get("/_mock/clock").json == {"today": dt.date.today().isoformat(), "fixed": False}


def test_the_clock_is_set_read_shown_and_released(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/_mock/clock", json={"today": "2018-03-01"}).json == {"today": "2018-03-01", "fixed": True}
    assert client.get("/_mock/clock").json == {"today": "2018-03-01", "fixed": True}
    assert client.get("/_mock/state").json["today"] == "2018-03-01"
    assert "date simulée : 01/03/2018" in text(client.get("/"))
    assert client.post("/_mock/clock", json={"today": None}).json["fixed"] is False
    assert "date du jour : " in text(client.get("/"))


@pytest.mark.parametrize(
    "body",
    [
        {"today": "2018-02-30"},
        {"today": "01/03/2018"},
        {"today": 20180301},
        {"today": ""},
        {},
        [],
        {"today": "0001-01-01"},
    ],
)
def test_an_invalid_clock_date_is_refused_and_the_clock_kept(app: Flask, body: Any) -> None:
    client = app.test_client()
    response = client.post("/_mock/clock", json=body)
    assert response.status_code == 400
    assert response.json["errors"][0]["field"] in ("today", "__all__")
    assert client.get("/_mock/clock").json == {"today": ON.isoformat(), "fixed": True}


def test_the_clock_survives_a_restart_and_a_reset_releases_it(tmp_path: Path) -> None:
    db = tmp_path / "mock.sqlite3"
    store = Store(db)
    store.set_today(dt.date(2018, 3, 1))
    store.dispose()
    again = Store(db)
    assert again.clock.today() == dt.date(2018, 3, 1)
    again.reset()
    assert not again.clock.is_fixed
    again.dispose()
    assert not Store(db).clock.is_fixed


def test_the_post_delay_counts_from_the_mock_date(app: Flask, world: dict[str, Any]) -> None:
    with app.app_context(), transaction(app) as db:
        project = db.get(Project, world["c"])
        registration = project.registrations[0]
        registration.credentials_by_post = True
        rules.receive_signed_document(db, registration)
    letters = app.test_client().get(f"/_mock/mailbox/{PENDING_GAP}").json["letters"]
    # ON is a Thursday: five working days later is the next Thursday.
    assert {(letter["sent_on"], letter["delivered_by"]) for letter in letters} == {("2024-05-02", "2024-05-09")}


# ---------------------------------------------------------------------------------------------------------
# Who may use the inclusion application (4.12, 4.17, 4.18, 4.22, 4.23)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "functions", "reason"),
    [
        ({"roles": [GESTIONNAIRE]}, {GESTIONNAIRE}, None),
        ({"roles": [COORDINATEUR]}, {COORDINATEUR}, None),
        ({"roles": [GESTIONNAIRE, COORDINATEUR]}, {GESTIONNAIRE, COORDINATEUR}, None),
        ({"roles": [GESTIONNAIRE], "inclusion_app": False}, set(), "n'a pas été cochée"),
        ({}, set(), "Aucun rôle"),
        ({"roles": [GESTIONNAIRE], "start": ON + dt.timedelta(days=1)}, set(), "ne commence que le 03/05/2024"),
        (
            {"roles": [GESTIONNAIRE], "start": ON - dt.timedelta(days=9), "end": ON - dt.timedelta(days=1)},
            set(),
            "a pris fin le 01/05/2024",
        ),
        ({"roles": [GESTIONNAIRE], "start": ON - dt.timedelta(days=9), "end": ON}, {GESTIONNAIRE}, None),
    ],
    ids=[
        "gestionnaire",
        "coordinateur",
        "both",
        "no-application-tick",
        "no-role",
        "before-start",
        "after-end",
        "last-day",
    ],
)
def test_csam_user_access(
    app: Flask, world: dict[str, Any], setup: dict[str, Any], functions: set[str], reason: str | None
) -> None:
    user(app, world, NEW_1, **setup)
    access = access_of(app, NEW_1, world["a"])
    assert set(access.functions) == functions
    assert access.granted is bool(functions)
    if reason:
        assert any(reason in r for r in access.reasons), access.reasons
    else:
        assert access.reasons == ()


def test_a_deleted_user_loses_access_at_once(app: Flask, world: dict[str, Any]) -> None:
    member_id = user(app, world, NEW_1, roles=[GESTIONNAIRE])
    assert access_of(app, NEW_1, world["a"]).granted
    with app.app_context(), transaction(app) as db:
        gap = next(m for m in db.get(Project, world["a"]).members if m.person.niss == GAP_A)
        rules.delete_members(db, gap, [member_id])
    access = access_of(app, NEW_1, world["a"])
    assert not access.granted and "plus) enregistré" in access.reasons[0]


def test_a_pending_gap_and_a_stranger_are_refused(app: Flask, world: dict[str, Any]) -> None:
    pending = access_of(app, PENDING_GAP, world["c"])
    assert not pending.granted and "attend encore le document signé" in pending.reasons[0] and pending.linked
    stranger = access_of(app, GAP_B, world["a"])
    assert not stranger.granted and not stranger.linked


# ---------------------------------------------------------------------------------------------------------
# AR78
# ---------------------------------------------------------------------------------------------------------


def test_recording_a_care_provider(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    response = provider(client, AR78_DOCTOR, "medecin")
    assert response.status_code == 201
    assert response.json == {
        "id": response.json["id"],
        "niss": AR78_DOCTOR,
        "first_name": "Prénom",
        "last_name": "Prestataire",
        "profession": "medecin",
        "ar78": True,
        "inami_number": INAMI_A,
    }
    project = next(p for p in client.get("/_mock/state").json["projects"] if p["inami_number"] == INAMI_A)
    assert [c["niss"] for c in project["care_providers"]] == [AR78_DOCTOR]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"profession": "sorcier"}, "profession"),
        ({"niss": "12345678901"}, "niss"),
        ({"inami_number": "75500544"}, "inami_number"),
        ({"inami_number": "11111111"}, "inami_number"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_an_invalid_care_provider_is_refused(
    app: Flask, world: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    client = app.test_client()
    before = state(app)
    body = {
        "niss": AR78_DOCTOR,
        "first_name": "A",
        "last_name": "B",
        "profession": "medecin",
        "inami_number": INAMI_A,
        **change,
    }
    response = client.post("/_mock/care-providers", json=body)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json["errors"]}
    assert state(app) == before


def test_a_care_provider_is_recorded_once_per_project(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    assert provider(client, AR78_DOCTOR, "medecin").status_code == 201
    before = state(app)
    again = provider(client, AR78_DOCTOR, "infirmier")
    assert again.status_code == 400 and again.json["errors"][0]["field"] == "niss"
    assert state(app) == before
    assert provider(client, AR78_DOCTOR, "medecin", INAMI_B).status_code == 201, "another project is fine"


@pytest.mark.parametrize(
    ("profession", "today", "functions", "reason"),
    [
        ("medecin", dt.date(2018, 2, 28), set(), "à partir du 01/03/2018"),
        ("medecin", dt.date(2018, 3, 1), {GESTIONNAIRE}, None),
        ("infirmier", dt.date(2024, 5, 2), {GESTIONNAIRE}, None),
        ("administratif", dt.date(2024, 5, 2), set(), "pas couverte par l'AR78"),
        ("assistant_social", dt.date(2018, 3, 1), set(), "pas couverte par l'AR78"),
    ],
)
def test_ar78_providers_reach_their_project_from_march_2018(
    app: Flask, world: dict[str, Any], profession: str, today: dt.date, functions: set[str], reason: str | None
) -> None:
    assert provider(app.test_client(), AR78_NURSE, profession).status_code == 201
    app.extensions["csam_store"].set_today(today)
    access = access_of(app, AR78_NURSE, world["a"])
    assert set(access.functions) == functions
    assert access.via_ar78 is bool(functions)
    if reason:
        assert reason in access.reasons[0]
    assert not access_of(app, AR78_NURSE, world["b"]).granted, "only the project they work for"


def test_an_ar78_provider_may_also_get_a_csam_role(app: Flask, world: dict[str, Any]) -> None:
    provider(app.test_client(), NEW_1, "medecin")
    user(app, world, NEW_1, roles=[COORDINATEUR])
    access = access_of(app, NEW_1, world["a"])
    assert set(access.functions) == {GESTIONNAIRE, COORDINATEUR}
    assert not access.via_ar78


# ---------------------------------------------------------------------------------------------------------
# The pages: include, exclude, list view
# ---------------------------------------------------------------------------------------------------------


def _client(app: Flask, niss: str) -> FlaskClient:
    client = app.test_client()
    assert login_eid(client, niss).status_code == 302
    return client


def _include(client: FlaskClient, pid: int, niss: str, start: str = "2024-05-02"):
    return client.post(f"/mycarenet/inclusion/{pid}/inclure", data={"inclure-niss": niss, "inclure-start_date": start})


def _exclude(client: FlaskClient, pid: int, niss: str, end: str = "2024-05-10"):
    return client.post(f"/mycarenet/inclusion/{pid}/exclure", data={"exclure-niss": niss, "exclure-end_date": end})


def inclusions(app: Flask, inami: str) -> list[dict[str, Any]]:
    return next(p for p in state(app)["projects"] if p["inami_number"] == inami)["inclusions"]


def test_the_inclusion_application_needs_the_csam_login(app: Flask, world: dict[str, Any]) -> None:
    response = app.test_client().get(f"/mycarenet/inclusion/{world['a']}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/csam/login?next=/mycarenet/inclusion/")


def test_home_lists_linked_projects_with_access_or_reason(app: Flask, world: dict[str, Any]) -> None:
    user(app, world, NEW_1, roles=[GESTIONNAIRE])
    user(app, world, NEW_1, project="b")
    page = text(_client(app, NEW_1).get("/mycarenet/inclusion/"))
    assert "Projet Alpha" in page and "Fonctions : Gestionnaire" in page
    assert "Projet Bêta" in page and "Aucun rôle" in page
    assert "Projet Gamma" not in page


def test_a_gestionnaire_includes_and_excludes(app: Flask, world: dict[str, Any]) -> None:
    user(app, world, NEW_1, roles=[GESTIONNAIRE])
    client = _client(app, NEW_1)
    page = client.get(f"/mycarenet/inclusion/{world['a']}/")
    assert has(page, "Inclure un patient") and has(page, "Exclure un patient") and not has(page, "Vue de liste")
    response = _include(client, world["a"], PATIENT_1)
    assert response.status_code == 302
    assert has(client.get(response.headers["Location"]), f"Le patient {PATIENT_1} est inclus à partir du 02/05/2024")
    assert _exclude(client, world["a"], PATIENT_1).status_code == 302
    assert inclusions(app, INAMI_A) == [
        {
            "patient_niss": PATIENT_1,
            "start_date": "2024-05-02",
            "end_date": "2024-05-10",
            "included_by": NEW_1,
            "excluded_by": NEW_1,
        }
    ]


@pytest.mark.parametrize(
    ("act", "field", "message"),
    [
        (lambda c, pid: _include(c, pid, "12345678901"), "inclure-niss", "Ce NISS n'est pas valable"),
        (lambda c, pid: _include(c, pid, PATIENT_1, ""), "inclure-start_date", "« Date de début » est obligatoire"),
        (lambda c, pid: _include(c, pid, PATIENT_1, "2024-02-30"), "inclure-start_date", "n'est pas une date valable"),
        (lambda c, pid: _include(c, pid, PATIENT_2), "inclure-niss", "déjà inclus"),
        (lambda c, pid: _exclude(c, pid, PATIENT_1), "exclure-niss", "n'est pas inclus dans ce projet"),
        (
            lambda c, pid: _exclude(c, pid, PATIENT_2, "2024-04-01"),
            "exclure-end_date",
            "ne peut pas précéder la date de début",
        ),
    ],
    ids=["invalid-niss", "no-start-date", "not-a-date", "already-included", "not-included", "end-before-start"],
)
def test_inclusion_refused_on_the_same_page_with_what_was_typed(
    app: Flask, world: dict[str, Any], act, field: str, message: str
) -> None:
    user(app, world, NEW_1, roles=[GESTIONNAIRE])
    client = _client(app, NEW_1)
    assert _include(client, world["a"], PATIENT_2).status_code == 302
    before = state(app)
    response = act(client, world["a"])
    assert response.status_code == 200
    assert has(response, message)
    assert f'id="{field}-error"' in text(response)
    assert state(app) == before


def test_a_coordinateur_sees_the_list_view_of_its_own_project_only(app: Flask, world: dict[str, Any]) -> None:
    user(app, world, NEW_1, roles=[GESTIONNAIRE])
    user(app, world, NEW_2, roles=[COORDINATEUR])
    user(app, world, NEW_3, project="b", roles=[GESTIONNAIRE])
    _include(_client(app, NEW_1), world["a"], PATIENT_1)
    _include(_client(app, NEW_3), world["b"], PATIENT_2)
    coordinator = _client(app, NEW_2)
    project_page = coordinator.get(f"/mycarenet/inclusion/{world['a']}/")
    assert has(project_page, "Vue de liste") and not has(project_page, "Inclure un patient")
    listing = text(coordinator.get(f"/mycarenet/inclusion/{world['a']}/vue-de-liste"))
    assert PATIENT_1 in listing and PATIENT_2 not in listing
    assert coordinator.get(f"/mycarenet/inclusion/{world['b']}/vue-de-liste").status_code == 403


def ask(client: FlaskClient, url: str) -> TestResponse:
    """Open a page of the application (its project page or list view), or send its inclusion or exclusion form
    with a valid patient and dates, so that only the person's right to it decides."""
    if url.endswith(("/inclure", "/exclure")):
        return client.post(
            url,
            data={
                "inclure-niss": PATIENT_1,
                "inclure-start_date": "2024-05-02",
                "exclure-niss": PATIENT_1,
                "exclure-end_date": "2024-05-10",
            },
        )
    return client.get(url)


@pytest.mark.parametrize(
    ("roles", "path", "message"),
    [
        ([COORDINATEUR], "inclure", "Seul un « Gestionnaire » peut inclure et exclure des patients."),
        ([COORDINATEUR], "exclure", "Seul un « Gestionnaire » peut inclure et exclure des patients."),
        ([GESTIONNAIRE], "vue-de-liste", "Seul un « Coordinateur » peut demander la vue de liste."),
        ([], "inclure", "Aucun rôle"),
        ([], "vue-de-liste", "Aucun rôle"),
    ],
)
def test_each_function_does_only_its_own_part(
    app: Flask, world: dict[str, Any], roles: list[str], path: str, message: str
) -> None:
    user(app, world, NEW_1, roles=roles)
    client = _client(app, NEW_1)
    before = state(app)
    response = ask(client, f"/mycarenet/inclusion/{world['a']}/{path}")
    assert response.status_code == 403
    assert has(response, message)
    assert state(app) == before


@pytest.mark.parametrize("path", ["", "vue-de-liste", "inclure", "exclure"])
def test_another_projects_application_is_refused_without_naming_it(
    app: Flask, world: dict[str, Any], path: str
) -> None:
    user(app, world, NEW_4, roles=[GESTIONNAIRE, COORDINATEUR])
    client = _client(app, NEW_4)
    before = state(app)
    response = ask(client, f"/mycarenet/inclusion/{world['b']}/{path}")
    assert response.status_code == 403
    assert has(response, "Vous n'êtes pas (ou plus) enregistré dans CSAM pour ce projet.")
    assert "Projet Bêta" not in text(response) and INAMI_B not in text(response)
    assert state(app) == before
    assert client.get("/mycarenet/inclusion/999999/").status_code == 404


def test_the_demo_seed_records_its_care_providers_once(tmp_path: Path) -> None:
    from mock_csam.domain.seed import load_care_providers, load_seed, read_care_providers, read_seed

    demo = Path(__file__).resolve().parent.parent / "fixtures" / "demo.yaml"
    store = Store(":memory:")
    with store.transaction() as db:
        load_seed(db, read_seed(demo))
        assert load_care_providers(db, read_care_providers(demo)) == (2, 0)
        assert load_care_providers(db, read_care_providers(demo)) == (0, 2)
        providers = [c for p in serialisers.export_state(db)["projects"] for c in p["care_providers"]]
    assert [(c["profession"], c["ar78"]) for c in providers] == [("infirmier", True), ("administratif", False)]
    store.dispose()


def test_a_seed_with_an_invalid_care_provider_is_refused_whole(tmp_path: Path) -> None:
    from mock_csam.domain.seed import SeedError, load_care_providers

    store = Store(":memory:")
    with (
        pytest.raises(SeedError, match=r"care provider #1: profession: Profession inconnue"),
        store.transaction() as db,
    ):
        load_care_providers(
            db,
            [
                {
                    "niss": AR78_DOCTOR,
                    "first_name": "A",
                    "last_name": "B",
                    "profession": "sorcier",
                    "inami_number": INAMI_A,
                }
            ],
        )
    store.dispose()


def test_an_exclusion_dated_ahead_keeps_the_patient_included_until_its_last_day(
    app: Flask, world: dict[str, Any]
) -> None:
    user(app, world, NEW_1, roles=[GESTIONNAIRE, COORDINATEUR])
    client = _client(app, NEW_1)
    _include(client, world["a"], PATIENT_1)
    assert _exclude(client, world["a"], PATIENT_1, "2024-12-31").status_code == 302
    listing = f"/mycarenet/inclusion/{world['a']}/vue-de-liste"
    row = f"<td>{PATIENT_1}</td>"
    assert row in text(client.get(listing)) and "<td>31/12/2024</td>" in text(client.get(listing))
    assert has(_include(client, world["a"], PATIENT_1, "2024-06-01"), "Ce patient est déjà inclus dans ce projet.")
    assert _exclude(client, world["a"], PATIENT_1, "2024-06-30").status_code == 302, "the end can be brought forward"

    app.extensions["csam_store"].set_today(dt.date(2024, 7, 1))
    assert row not in text(client.get(listing))
    assert _include(client, world["a"], PATIENT_1, "2024-07-01").status_code == 302, "included again afterwards"
    assert [(i["start_date"], i["end_date"]) for i in inclusions(app, INAMI_A)] == [
        ("2024-05-02", "2024-06-30"),
        ("2024-07-01", None),
    ]
