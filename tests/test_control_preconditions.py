"""The control API's preconditions (a GAP's designation, members, roles, inclusions, one project's state and its
deletion) through Flask's test client: each answer, each refusal naming its field with nothing saved, and the
namespaces that keep tests sharing one served mock apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from fixtures import builders
from mock_csam import create_app
from mock_csam.domain.models import ACTIVE, COGAP, GAP, INCLUSION_APP, PENDING_SIGNATURE, USER
from mock_csam.domain.store import NamespacesUnsupported, Store, Stores
from tests.helpers import api_errors

NS = "X-Mock-Namespace"
START = "2024-01-02"


_errors = api_errors


def _fields(response) -> set[str]:
    return {e["field"] for e in _errors(response)}


def _project(client: FlaskClient, inami: str, **headers: str) -> dict[str, Any]:
    response = client.get(f"/_mock/projects/{inami}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def recorded(client: FlaskClient, project_data: dict[str, Any]) -> dict[str, Any]:
    """The project recorded through the API (step 1 done)."""
    assert client.post("/_mock/szv/projects", json=project_data).status_code == 201
    return project_data


@pytest.fixture
def gap(recorded: dict[str, Any]) -> dict[str, Any]:
    return recorded["persons"][0]


@pytest.fixture
def with_gap(client: FlaskClient, recorded: dict[str, Any], gap: dict[str, Any]) -> dict[str, Any]:
    """The project with its active GAP (step 2 done and signed)."""
    response = client.post(
        f"/_mock/projects/{recorded['inami_number']}/registrations", json={"gap": gap, "signed": True}
    )
    assert response.status_code == 201, response.get_json()
    return recorded


def _add(
    client: FlaskClient,
    project: dict[str, Any],
    actor: str,
    data: dict[str, Any],
    kind: str = USER,
    applications: list[str] | None = None,
):
    apps = [INCLUSION_APP] if applications is None else applications
    body = dict(data, actor_niss=actor, kind=kind, applications=apps)
    return client.post(f"/_mock/projects/{project['inami_number']}/members", json=body)


@pytest.fixture
def manager(client: FlaskClient, faker: Faker, with_gap: dict[str, Any], gap: dict[str, Any]) -> dict[str, Any]:
    """A user holding «Gestionnaire» from START (who may include patients)."""
    data = builders.user_data(faker)
    member = _add(client, with_gap, gap["niss"], data).get_json()
    response = client.put(
        f"/_mock/projects/{with_gap['inami_number']}/members/{member['id']}/roles",
        json={"actor_niss": gap["niss"], "functions": ["gestionnaire"], "start_date": START},
    )
    assert response.status_code == 200, response.get_json()
    return data


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/projects/<inami>/registrations
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("signed", "status", "managers"), [(False, PENDING_SIGNATURE, []), (True, ACTIVE, [GAP])])
def test_a_registration_is_pending_or_signed(
    client: FlaskClient, recorded: dict, gap: dict, signed: bool, status: str, managers: list[str]
) -> None:
    response = client.post(
        f"/_mock/projects/{recorded['inami_number']}/registrations", json={"gap": gap, "signed": signed}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["gap_niss"], body["credentials_by_post"]) == (status, gap["niss"], False)
    assert [m["kind"] for m in _project(client, recorded["inami_number"])["access_managers"]] == managers


def test_credentials_by_post_send_letters_once_signed(client: FlaskClient, recorded: dict, gap: dict) -> None:
    response = client.post(
        f"/_mock/projects/{recorded['inami_number']}/registrations",
        json={"gap": gap, "credentials_by_post": True, "signed": True},
    )
    assert response.get_json()["credentials_by_post"] is True
    letters = client.get(f"/_mock/mailbox/{gap['niss']}").get_json()["letters"]
    assert [letter["kind"] for letter in letters] == ["username", "password"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        pytest.param(
            lambda body, project: body["gap"].update(niss=project["persons"][1]["niss"]),
            {"gap.niss"},
            id="not-a-responsable",
        ),
        pytest.param(
            lambda body, project: body["gap"].update(email="nope", phone=""),
            {"gap.email", "gap.phone"},
            id="bad-contact",
        ),
        pytest.param(lambda body, project: body.update(gap="x"), {"gap"}, id="gap-not-an-object"),
        pytest.param(lambda body, project: body.update(signed="yes"), {"signed"}, id="signed-not-a-boolean"),
        pytest.param(
            lambda body, project: body.update(credentials_by_post=1),
            {"credentials_by_post"},
            id="by-post-not-a-boolean",
        ),
    ],
)
def test_a_refused_registration_names_the_field_and_saves_nothing(
    client: FlaskClient, recorded: dict, gap: dict, change, fields: set[str]
) -> None:
    body = {"gap": dict(gap), "signed": True}
    change(body, recorded)
    response = client.post(f"/_mock/projects/{recorded['inami_number']}/registrations", json=body)
    assert response.status_code == 400
    assert _fields(response) == fields
    project = _project(client, recorded["inami_number"])
    assert (project["registrations"], project["members"]) == ([], [])


def test_a_second_gap_is_refused(client: FlaskClient, with_gap: dict, gap: dict) -> None:
    response = client.post(f"/_mock/projects/{with_gap['inami_number']}/registrations", json={"gap": gap})
    assert response.status_code == 400
    assert _fields(response) == {"inami_number"}
    assert len(_project(client, with_gap["inami_number"])["registrations"]) == 1


def test_a_registration_of_an_unknown_project_answers_404(client: FlaskClient, project_data: dict) -> None:
    response = client.post(
        f"/_mock/projects/{project_data['inami_number']}/registrations", json={"gap": project_data["persons"][0]}
    )
    assert response.status_code == 404
    assert _fields(response) == {"__all__"}


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/projects/<inami>/members, PUT .../members/<id>/roles
# ---------------------------------------------------------------------------------------------------------


def test_the_gap_adds_a_user_and_a_cogap(client: FlaskClient, faker: Faker, with_gap: dict, gap: dict) -> None:
    user, cogap = builders.user_data(faker), builders.user_data(faker)
    added = _add(client, with_gap, gap["niss"], user)
    assert added.status_code == 201
    assert (added.get_json()["kind"], added.get_json()["applications"]) == (USER, [INCLUSION_APP])
    assert _add(client, with_gap, gap["niss"], cogap, kind=COGAP, applications=[]).status_code == 201
    members = {m["niss"]: m for m in _project(client, with_gap["inami_number"])["members"]}
    assert (members[user["niss"]]["kind"], members[cogap["niss"]]["kind"]) == (USER, COGAP)
    assert members[cogap["niss"]]["applications"] == []


def test_a_cogap_adds_users_but_no_cogap(client: FlaskClient, faker: Faker, with_gap: dict, gap: dict) -> None:
    cogap = builders.user_data(faker)
    _add(client, with_gap, gap["niss"], cogap, kind=COGAP)
    assert _add(client, with_gap, cogap["niss"], builders.user_data(faker)).status_code == 201
    before = _project(client, with_gap["inami_number"])
    response = _add(client, with_gap, cogap["niss"], builders.user_data(faker), kind=COGAP)
    assert response.status_code == 400
    assert _fields(response) == {"actor_niss"}
    assert _project(client, with_gap["inami_number"]) == before


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        pytest.param(lambda data: data.update(kind="gap"), {"kind"}, id="kind"),
        pytest.param(lambda data: data.update(applications="all"), {"applications"}, id="applications-not-a-list"),
        pytest.param(lambda data: data.update(applications=["nope"]), {"applications"}, id="unknown-application"),
        pytest.param(
            lambda data: data.update(username="", password="short"), {"username", "password"}, id="credentials"
        ),
        pytest.param(lambda data: data.update(niss="12345678901"), {"niss"}, id="niss"),
    ],
)
def test_a_refused_member_names_the_field_and_saves_nothing(
    client: FlaskClient, faker: Faker, with_gap: dict, gap: dict, change, fields: set[str]
) -> None:
    before = client.get("/_mock/state").get_json()
    body = dict(builders.user_data(faker), actor_niss=gap["niss"], kind=USER, applications=[INCLUSION_APP])
    change(body)
    response = client.post(f"/_mock/projects/{with_gap['inami_number']}/members", json=body)
    assert response.status_code == 400
    assert _fields(response) == fields
    assert client.get("/_mock/state").get_json() == before


def test_the_same_person_twice_is_refused(client: FlaskClient, faker: Faker, with_gap: dict, gap: dict) -> None:
    user = builders.user_data(faker)
    _add(client, with_gap, gap["niss"], user)
    response = _add(client, with_gap, gap["niss"], user)
    assert response.status_code == 400 and _fields(response) == {"niss"}
    assert len(_project(client, with_gap["inami_number"])["members"]) == 2


def test_someone_who_manages_nothing_adds_no_one(client: FlaskClient, faker: Faker, with_gap: dict) -> None:
    before = client.get("/_mock/state").get_json()
    certificate_manager = with_gap["persons"][1]["niss"]
    response = _add(client, with_gap, certificate_manager, builders.user_data(faker))
    assert response.status_code == 400 and _fields(response) == {"actor_niss"}
    unknown = _add(client, with_gap, builders.niss(faker), builders.user_data(faker))
    assert unknown.status_code == 404 and _fields(unknown) == {"__all__"}
    assert client.get("/_mock/state").get_json() == before


def test_roles_are_given_with_their_dates(client: FlaskClient, faker: Faker, with_gap: dict, gap: dict) -> None:
    member = _add(client, with_gap, gap["niss"], builders.user_data(faker)).get_json()
    response = client.put(
        f"/_mock/projects/{with_gap['inami_number']}/members/{member['id']}/roles",
        json={
            "actor_niss": gap["niss"],
            "functions": ["coordinateur", "gestionnaire"],
            "start_date": START,
            "end_date": "2024-12-31",
        },
    )
    assert response.status_code == 200
    assert response.get_json()["roles"] == [
        {"function": "coordinateur", "start_date": START, "end_date": "2024-12-31"},
        {"function": "gestionnaire", "start_date": START, "end_date": "2024-12-31"},
    ]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        pytest.param({"functions": []}, {"functions"}, id="no-function"),
        pytest.param({"functions": "gestionnaire"}, {"functions"}, id="functions-not-a-list"),
        pytest.param({"functions": ["chef"]}, {"functions"}, id="unknown-function"),
        pytest.param({"start_date": ""}, {"start_date"}, id="no-start"),
        pytest.param({"start_date": "31/02/2024"}, {"start_date"}, id="bad-start"),
        pytest.param({"end_date": "2023-12-31"}, {"end_date"}, id="end-before-start"),
    ],
)
def test_refused_roles_name_the_field_and_keep_the_old_ones(
    client: FlaskClient, faker: Faker, with_gap: dict, gap: dict, manager: dict, body: dict, fields: set[str]
) -> None:
    member = next(m for m in _project(client, with_gap["inami_number"])["members"] if m["niss"] == manager["niss"])
    sent = {"actor_niss": gap["niss"], "functions": ["coordinateur"], "start_date": START, **body}
    response = client.put(f"/_mock/projects/{with_gap['inami_number']}/members/{member['id']}/roles", json=sent)
    assert response.status_code == 400
    assert _fields(response) == fields
    again = next(m for m in _project(client, with_gap["inami_number"])["members"] if m["niss"] == manager["niss"])
    assert again["roles"] == member["roles"] == [{"function": "gestionnaire", "start_date": START, "end_date": None}]


def test_roles_of_an_unknown_member_answer_404(client: FlaskClient, with_gap: dict, gap: dict) -> None:
    response = client.put(
        f"/_mock/projects/{with_gap['inami_number']}/members/999/roles",
        json={"actor_niss": gap["niss"], "functions": ["gestionnaire"], "start_date": START},
    )
    assert response.status_code == 404 and _fields(response) == {"__all__"}


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/projects/<inami>/inclusions and /exclusions
# ---------------------------------------------------------------------------------------------------------


def test_a_manager_includes_and_excludes_a_patient(
    client: FlaskClient, faker: Faker, with_gap: dict, manager: dict
) -> None:
    patient = builders.niss(faker)
    path = f"/_mock/projects/{with_gap['inami_number']}"
    included = client.post(
        f"{path}/inclusions", json={"by_niss": manager["niss"], "patient_niss": patient, "start_date": START}
    )
    assert included.status_code == 201
    assert included.get_json() == {
        "patient_niss": patient,
        "start_date": START,
        "end_date": None,
        "included_by": manager["niss"],
        "excluded_by": None,
    }
    excluded = client.post(
        f"{path}/exclusions", json={"by_niss": manager["niss"], "patient_niss": patient, "end_date": "2024-02-01"}
    )
    assert excluded.status_code == 200
    assert excluded.get_json()["end_date"] == "2024-02-01"
    assert _project(client, with_gap["inami_number"])["inclusions"] == [excluded.get_json()]


@pytest.mark.parametrize(
    ("endpoint", "body", "fields"),
    [
        pytest.param("inclusions", {"patient_niss": "12345678901"}, {"patient_niss"}, id="include-bad-niss"),
        pytest.param("inclusions", {"start_date": ""}, {"start_date"}, id="include-no-start"),
        pytest.param("inclusions", {"patient_niss": "INCLUDED"}, {"patient_niss"}, id="include-twice"),
        pytest.param("inclusions", {"by_niss": "GAP"}, {"by_niss"}, id="include-without-role"),
        pytest.param("exclusions", {"patient_niss": "OTHER"}, {"patient_niss"}, id="exclude-not-included"),
        pytest.param(
            "exclusions",
            {"patient_niss": "INCLUDED", "end_date": "2023-01-01"},
            {"end_date"},
            id="exclude-before-start",
        ),
    ],
)
def test_a_refused_inclusion_or_exclusion_names_the_field_and_saves_nothing(
    client: FlaskClient,
    faker: Faker,
    with_gap: dict,
    gap: dict,
    manager: dict,
    endpoint: str,
    body: dict,
    fields: set[str],
) -> None:
    path = f"/_mock/projects/{with_gap['inami_number']}"
    included = builders.niss(faker)
    client.post(f"{path}/inclusions", json={"by_niss": manager["niss"], "patient_niss": included, "start_date": START})
    before = _project(client, with_gap["inami_number"])
    names = {"INCLUDED": included, "OTHER": builders.niss(faker), "GAP": gap["niss"]}
    sent = {
        "by_niss": manager["niss"],
        "patient_niss": builders.niss(faker),
        "start_date": START,
        "end_date": "2024-03-01",
        **body,
    }
    sent = {k: names.get(v, v) for k, v in sent.items()}
    response = client.post(f"{path}/{endpoint}", json=sent)
    assert response.status_code == 400
    assert _fields(response) == fields
    assert _project(client, with_gap["inami_number"]) == before


def test_an_inclusion_by_an_unknown_person_answers_404(client: FlaskClient, faker: Faker, with_gap: dict) -> None:
    response = client.post(
        f"/_mock/projects/{with_gap['inami_number']}/inclusions",
        json={"by_niss": builders.niss(faker), "patient_niss": builders.niss(faker), "start_date": START},
    )
    assert response.status_code == 404 and _fields(response) == {"__all__"}


# ---------------------------------------------------------------------------------------------------------
# GET and DELETE /_mock/projects/<inami>
# ---------------------------------------------------------------------------------------------------------


def test_one_project_is_its_entry_of_the_state(client: FlaskClient, with_gap: dict) -> None:
    [in_state] = client.get("/_mock/state").get_json()["projects"]
    assert _project(client, with_gap["inami_number"]) == in_state


def test_an_unknown_project_answers_404(client: FlaskClient, project_data: dict) -> None:
    for method in ("GET", "DELETE"):
        response = client.open(f"/_mock/projects/{project_data['inami_number']}", method=method)
        assert response.status_code == 404 and _fields(response) == {"__all__"}


def test_deleting_a_project_forgets_it_and_only_its_own_people(
    client: FlaskClient, faker: Faker, with_gap: dict, gap: dict, manager: dict
) -> None:
    certificate_manager = builders.person(faker, szv_role=builders.SZV_CERTIFICATE_MANAGER)
    other = builders.project(faker, persons=[dict(gap), certificate_manager])
    assert client.post("/_mock/szv/projects", json=other).status_code == 201
    client.post(
        f"/_mock/projects/{with_gap['inami_number']}/inclusions",
        json={"by_niss": manager["niss"], "patient_niss": builders.niss(faker), "start_date": START},
    )

    response = client.delete(f"/_mock/projects/{with_gap['inami_number']}")

    assert response.status_code == 200 and response.get_json() == {"deleted": with_gap["inami_number"]}
    state = client.get("/_mock/state").get_json()
    assert [p["inami_number"] for p in state["projects"]] == [other["inami_number"]]
    assert {p["niss"] for p in state["persons"]} == {p["niss"] for p in other["persons"]}
    assert client.get(f"/_mock/projects/{with_gap['inami_number']}").status_code == 404
    assert client.post("/_mock/szv/projects", json=with_gap).status_code == 201, "its number is free again"


# ---------------------------------------------------------------------------------------------------------
# Namespaces
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def shared() -> FlaskClient:
    """A mock that keeps namespaces, as `csam-mock serve --control-api` serves it."""
    app = create_app(
        {"TESTING": True, "DATABASE": ":memory:", "CONTROL_API": True, "NAMESPACES": True, "SECRET_KEY": "tests"}
    )
    return app.test_client()


def test_two_namespaces_record_the_same_people_and_see_only_their_own(shared: FlaskClient, project_data: dict) -> None:
    for name in ("gw0", "gw1"):
        assert shared.post("/_mock/szv/projects", json=project_data, headers={NS: name}).status_code == 201
    assert shared.get("/_mock/state").get_json()["projects"] == [], "the default store saw nothing"
    one = shared.get("/_mock/state", headers={NS: "gw0"}).get_json()
    assert [p["inami_number"] for p in one["projects"]] == [project_data["inami_number"]]


def test_reset_and_clock_of_one_namespace_leave_the_other_alone(shared: FlaskClient, project_data: dict) -> None:
    for name in ("gw0", "gw1"):
        shared.post("/_mock/szv/projects", json=project_data, headers={NS: name})
    assert shared.post("/_mock/clock", json={"today": "2018-03-01"}, headers={NS: "gw0"}).status_code == 200

    assert shared.get("/_mock/clock", headers={NS: "gw1"}).get_json() == {
        "today": dt.date.today().isoformat(),
        "fixed": False,
    }
    assert shared.post("/_mock/reset", headers={NS: "gw0"}).status_code == 200

    assert shared.get("/_mock/state", headers={NS: "gw0"}).get_json()["projects"] == []
    assert len(shared.get("/_mock/state", headers={NS: "gw1"}).get_json()["projects"]) == 1


def test_a_browser_works_in_the_namespace_of_its_cookie(shared: FlaskClient) -> None:
    shared.post("/_mock/clock", json={"today": "2018-03-01"}, headers={NS: "gw0"})
    shared.set_cookie("mock_namespace", "gw0")
    assert shared.get("/_mock/clock").get_json() == {"today": "2018-03-01", "fixed": True}
    assert b"01/03/2018" in shared.get("/").data, "the pages' rules read the namespace's date"
    assert shared.get("/_mock/clock", headers={NS: "gw1"}).get_json()["fixed"] is False, "the header comes first"


@pytest.mark.parametrize("name", ["", "GW0", "a/b", "../x", "x" * 65, "-x"])
def test_an_invalid_namespace_is_refused(shared: FlaskClient, name: str) -> None:
    response = shared.get("/_mock/state", headers={NS: name})
    assert response.status_code == 400 and _fields(response) == {NS}
    shared.set_cookie("mock_namespace", name)
    page = shared.get("/")
    assert page.status_code == 400 and b"Traceback" not in page.data
    assert _fields(shared.get("/_mock/state")) == {"mock_namespace"}


def test_a_mock_without_namespaces_refuses_the_header_and_ignores_the_cookie(
    client: FlaskClient, recorded: dict
) -> None:
    response = client.get("/_mock/state", headers={NS: "gw0"})
    assert response.status_code == 400 and _fields(response) == {NS}
    client.set_cookie("mock_namespace", "gw0")
    assert len(client.get("/_mock/state").get_json()["projects"]) == 1


def test_a_namespace_on_file_lies_beside_the_default_database(tmp_path: Path) -> None:
    default = Store(tmp_path / "mock.sqlite3")
    stores = Stores(default)
    try:
        assert stores.get(None) is default
        one = stores.get("gw0")
        assert one is stores.get("gw0") and Path(one.db) == tmp_path / "mock.ns-gw0.sqlite3"
        assert Path(one.db).exists() and stores.names() == ["gw0"]
    finally:
        stores.dispose()


def test_faults_of_one_namespace_reach_only_its_requests(shared: FlaskClient) -> None:
    switched = shared.put("/_mock/faults", json={"error_page": {"route": "/"}}, headers={NS: "gw0"})
    assert switched.status_code == 200
    assert shared.get("/_mock/faults", headers={NS: "gw1"}).get_json()["faults"] == {}
    assert shared.get("/_mock/faults").get_json()["faults"] == {}, "the default switches are untouched"
    assert shared.get("/").status_code == 200
    shared.set_cookie("mock_namespace", "gw1")
    assert shared.get("/").status_code == 200, "another namespace's pages work"
    shared.set_cookie("mock_namespace", "gw0")
    assert shared.get("/").status_code == 503, "the namespace's own pages meet its fault"
    assert shared.delete("/_mock/faults", headers={NS: "gw0"}).status_code == 200
    assert shared.get("/").status_code == 200


def test_namespaces_are_refused_on_a_database_other_than_sqlite() -> None:
    class NotSqlite:
        is_sqlite = is_memory = False
        url = make_url("postgresql+psycopg://qa@db.example/csam")

    stores = Stores(NotSqlite())  # type: ignore[arg-type]
    assert not stores.supports_namespaces
    with pytest.raises(NamespacesUnsupported):
        stores.path_for("gw0")
