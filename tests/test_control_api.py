"""The /_mock/ control API through Flask's test client: every endpoint, its 201/400/404 bodies, and when it is off."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mock_csam import create_app
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.models import ACTIVE, GAP, PENDING_SIGNATURE
from tests.helpers import api_errors


def _register(app: Flask, project: dict[str, Any], *, by_post: bool = False) -> dict[str, Any]:
    """A GAP designation as the registration screens make it (steps 2.6-2.11), for the back office to receive."""
    gap = project["persons"][0]
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        registration = rules.submit_registration(
            db,
            rules.PROJECT_TYPE,
            project["inami_number"],
            {k: gap[k] for k in ("niss", "last_name", "first_name", "email", "phone", "language")},
            credentials_by_post=by_post,
            confirmed=True,
        )
        return serialisers.registration_json(registration)


_errors = api_errors


@pytest.fixture
def recorded(client: FlaskClient, project_data: dict[str, Any]) -> dict[str, Any]:
    """The project recorded through the API (step 1 done)."""
    response = client.post("/_mock/szv/projects", json=project_data)
    assert response.status_code == 201, response.get_json()
    return project_data


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/szv/projects
# ---------------------------------------------------------------------------------------------------------


def test_recording_a_project_answers_201_with_the_project(client: FlaskClient, project_data: dict) -> None:
    response = client.post("/_mock/szv/projects", json=project_data)
    assert response.status_code == 201
    body = response.get_json()
    assert isinstance(body["id"], int)
    assert (body["inami_number"], body["name"], body["address"]) == (
        project_data["inami_number"],
        project_data["name"],
        project_data["address"],
    )
    assert [(p["niss"], p["szv_role"], p["first_name"]) for p in body["persons"]] == [
        (p["niss"], p["szv_role"], p["first_name"]) for p in project_data["persons"]
    ]
    assert body["registrations"] == [] and body["access_managers"] == [] and body["members"] == []


def test_an_invalid_project_answers_400_naming_each_field(client: FlaskClient, project_data: dict) -> None:
    project_data["persons"][0]["niss"] = "12345678901"
    project_data["address"]["postal_code"] = "10000"
    response = client.post("/_mock/szv/projects", json=project_data)
    assert response.status_code == 400
    errors = _errors(response)
    assert {e["field"] for e in errors} == {"persons[0].niss", "address.postal_code"}
    assert {
        "field": "persons[0].niss",
        "message": "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
    } in errors
    assert client.get("/_mock/state").get_json()["projects"] == []


def test_a_duplicate_inami_number_answers_400(client: FlaskClient, recorded: dict) -> None:
    response = client.post("/_mock/szv/projects", json=recorded)
    assert response.status_code == 400
    assert _errors(response) == [{"field": "inami_number", "message": "Un projet porte déjà ce N°INAMI."}]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "inami_number=71000436", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{not json", "content_type": "application/json"},
        {},
    ],
)
def test_a_body_that_is_not_json_answers_400(client: FlaskClient, kwargs: dict) -> None:
    response = client.post("/_mock/szv/projects", **kwargs)
    assert response.status_code == 400
    [error] = _errors(response)
    assert error["field"] == "__all__" and "JSON" in error["message"]


def test_json_that_is_not_an_object_answers_400(client: FlaskClient) -> None:
    response = client.post("/_mock/szv/projects", json=["71000436"])
    assert response.status_code == 400
    assert _errors(response) == [{"field": "__all__", "message": "Le projet doit être un objet JSON."}]


def test_the_control_api_needs_no_csrf_token(app: Flask, client: FlaskClient, project_data: dict) -> None:
    assert app.config.get("WTF_CSRF_ENABLED", True), "the HTML forms keep their CSRF protection"
    assert client.post("/_mock/szv/projects", json=project_data).status_code == 201


# ---------------------------------------------------------------------------------------------------------
# GET /_mock/state, POST /_mock/reset
# ---------------------------------------------------------------------------------------------------------


def test_the_state_of_an_empty_mock(client: FlaskClient) -> None:
    response = client.get("/_mock/state")
    assert response.status_code == 200
    assert response.get_json() == {
        "today": dt.date.today().isoformat(),
        "projects": [],
        "persons": [],
        "total": 0,
        "offset": 0,
        "limit": None,
    }


def test_the_state_lists_what_was_recorded(client: FlaskClient, recorded: dict) -> None:
    state = client.get("/_mock/state").get_json()
    assert [p["inami_number"] for p in state["projects"]] == [recorded["inami_number"]]
    assert {p["niss"] for p in state["persons"]} == {p["niss"] for p in recorded["persons"]}


def test_reset_empties_the_state(app: Flask, client: FlaskClient, recorded: dict) -> None:
    _register(app, recorded, by_post=True)
    response = client.post("/_mock/reset")
    assert response.status_code == 200
    assert response.get_json() == {"status": "reset"}
    state = client.get("/_mock/state").get_json()
    assert (state["projects"], state["persons"]) == ([], [])
    assert client.post("/_mock/szv/projects", json=recorded).status_code == 201, "the schema is kept"


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/registrations/<ref>/signed-document-received, GET /_mock/mailbox/<niss>
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["request_number", "id"])
def test_receiving_the_signed_document_activates_the_gap(
    app: Flask, client: FlaskClient, recorded: dict, by: str
) -> None:
    registration = _register(app, recorded)
    assert registration["status"] == PENDING_SIGNATURE
    response = client.post(f"/_mock/registrations/{registration[by]}/signed-document-received")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["request_number"], body["status"], body["gap_niss"]) == (
        registration["request_number"],
        ACTIVE,
        recorded["persons"][0]["niss"],
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", body["signed_document_received_at"])
    [project] = client.get("/_mock/state").get_json()["projects"]
    assert project["access_managers"] == [{"niss": recorded["persons"][0]["niss"], "kind": GAP}]


def test_receiving_the_signed_document_twice_answers_400(app: Flask, client: FlaskClient, recorded: dict) -> None:
    path = f"/_mock/registrations/{_register(app, recorded)['request_number']}/signed-document-received"
    assert client.post(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 400
    assert _errors(response) == [{"field": "__all__", "message": "Le document signé de cette demande a déjà été reçu."}]


@pytest.mark.parametrize("ref", ["CSAM-2024-123456", "999"])
def test_an_unknown_registration_answers_404(client: FlaskClient, ref: str) -> None:
    response = client.post(f"/_mock/registrations/{ref}/signed-document-received")
    assert response.status_code == 404
    assert _errors(response) == [{"field": "__all__", "message": f"Introuvable : {ref}"}]


def test_the_mailbox_holds_the_two_letters_sent_by_post(app: Flask, client: FlaskClient, recorded: dict) -> None:
    niss = recorded["persons"][0]["niss"]
    registration = _register(app, recorded, by_post=True)
    assert client.get(f"/_mock/mailbox/{niss}").get_json() == {"niss": niss, "letters": []}
    client.post(f"/_mock/registrations/{registration['id']}/signed-document-received")
    response = client.get(f"/_mock/mailbox/{niss}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["niss"] == niss
    assert [letter["kind"] for letter in body["letters"]] == ["username", "password"]
    for letter in body["letters"]:
        assert set(letter) == {"kind", "subject", "body", "sent_on", "delivered_by"}
        assert letter["subject"].startswith("CSAM : ")
        sent, delivered = dt.date.fromisoformat(letter["sent_on"]), dt.date.fromisoformat(letter["delivered_by"])
        assert 5 <= (delivered - sent).days <= 9 and delivered.weekday() < 5


def test_the_mailbox_takes_a_niss_with_separators(client: FlaskClient) -> None:
    response = client.get("/_mock/mailbox/85.07.30-033.28")
    assert response.status_code == 200
    assert response.get_json() == {"niss": "85073003328", "letters": []}


def test_the_mailbox_of_an_invalid_niss_answers_400(client: FlaskClient) -> None:
    response = client.get("/_mock/mailbox/12345678901")
    assert response.status_code == 400
    assert [e["field"] for e in _errors(response)] == ["niss"]


# ---------------------------------------------------------------------------------------------------------
# Without --control-api
# ---------------------------------------------------------------------------------------------------------


def _control_requests(app: Flask) -> list[tuple[str, str]]:
    """(method, path) for every route of the control API, with sample values for its variables."""
    requests = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/_mock/"):
            continue
        path = (
            rule.rule.replace("<niss>", "85073003328")
            .replace("<ref>", "1")
            .replace("<inami>", "71000436")
            .replace("<member_id>", "1")
            .replace("<name>", "latency")
        )
        assert "<" not in path, f"add a sample value for {rule.rule}"
        requests += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return requests


def test_the_control_api_has_the_documented_endpoints(app: Flask) -> None:
    assert sorted(_control_requests(app)) == [
        ("DELETE", "/_mock/faults"),
        ("DELETE", "/_mock/faults/latency"),
        ("DELETE", "/_mock/projects/71000436"),
        ("GET", "/_mock/clock"),
        ("GET", "/_mock/faults"),
        ("GET", "/_mock/mailbox/85073003328"),
        ("GET", "/_mock/projects/71000436"),
        ("GET", "/_mock/state"),
        ("POST", "/_mock/care-providers"),
        ("POST", "/_mock/clock"),
        ("POST", "/_mock/faults"),
        ("POST", "/_mock/projects/71000436/exclusions"),
        ("POST", "/_mock/projects/71000436/inclusions"),
        ("POST", "/_mock/projects/71000436/members"),
        ("POST", "/_mock/projects/71000436/registrations"),
        ("POST", "/_mock/registrations/1/signed-document-received"),
        ("POST", "/_mock/reset"),
        ("POST", "/_mock/szv/projects"),
        ("PUT", "/_mock/faults"),
        ("PUT", "/_mock/projects/71000436/members/1/roles"),
    ]


def test_without_the_control_api_every_path_is_404(app: Flask) -> None:
    off = create_app({"TESTING": True, "DATABASE": ":memory:", "SECRET_KEY": "tests"})
    assert off.config["CONTROL_API"] is False, "the control API is off unless asked for"
    client = off.test_client()
    for method, path in _control_requests(app):
        response = client.open(path, method=method, json={})
        assert response.status_code == 404, (method, path)
        assert b"_mock" not in response.data
