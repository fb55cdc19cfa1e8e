"""`/_mock/faults` through Flask's test client: each fault switched on does what QA asked, switched off the site is
normal again with nothing stored lost; refusals are 400s naming the field and change nothing; /_mock/ is exempt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import (
    GAP_A,
    INAMI_A,
    INAMI_C,
    NEW_1,
    STRONG_PASSWORD,
    has,
    logged_in_id,
    login_eid,
    login_password,
    seed_member,
    seed_world,
    state,
)

from mock_csam import create_app

REGISTRATION = "/csam/registration/"
UNAVAILABLE = "Service indisponible"
NO_READER = (
    "Aucun lecteur de cartes n'a été détecté. Vérifiez que votre lecteur de cartes eID est bien branché et "
    "que le logiciel eID est installé, puis réessayez."
)
EXPIRED = "Votre session a expiré. Connectez-vous à nouveau pour continuer."


@pytest.fixture
def app() -> Iterator[Flask]:
    """The mock with its control API, without CSRF (the test client posts forms directly)."""
    app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": ":memory:", "SECRET_KEY": "t", "CONTROL_API": True}
    )
    yield app
    app.extensions["csam_store"].dispose()


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """Projects A and B with their active GAP, project C whose GAP waits for the signed document (see
    test_login_and_access.seed_world)."""
    return seed_world(app)


def switch(client: FlaskClient, body: Any, method: str = "PUT") -> dict[str, Any]:
    """Switch faults on; the answer lists what is on."""
    answer = client.open("/_mock/faults", method=method, json=body)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["faults"]


def faults_on(client: FlaskClient) -> dict[str, Any]:
    return client.get("/_mock/faults").get_json()["faults"]


def users_url(world: dict[str, Any]) -> str:
    return f"/csam/access/{world['a']}/inami/utilisateurs"


def registration_of(app: Flask, inami: str) -> dict[str, Any]:
    project = next(p for p in state(app)["projects"] if p["inami_number"] == inami)
    return project["registrations"][-1]


# ---------------------------------------------------------------------------------------------------------
# The switches
# ---------------------------------------------------------------------------------------------------------


def test_nothing_is_on_at_first(client: FlaskClient) -> None:
    assert client.get("/_mock/faults").get_json() == {"faults": {}}


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_every_fault_can_be_switched_on_and_is_listed(client: FlaskClient, method: str) -> None:
    on = switch(
        client,
        {
            "latency": [{"route": "/csam/*", "ms": 5}, {"route": "/", "ms": 0}],
            "error_page": {"route": REGISTRATION},
            "eid_reader": {"fails": True, "reason": "card_unreadable"},
            "session_expiry": {"after_requests": 3},
            "signed_document": {"never_arrives": True},
        },
        method,
    )

    assert (
        on
        == faults_on(client)
        == {
            "latency": [{"route": "/csam/*", "ms": 5, "delayed": 0}, {"route": "/", "ms": 0, "delayed": 0}],
            "error_page": [{"route": REGISTRATION, "status": 503, "served": 0}],
            "eid_reader": {"fails": True, "reason": "card_unreadable", "refused": 0},
            "session_expiry": {"after_requests": 3, "expired": 0},
            "signed_document": {"never_arrives": True, "refused": 0},
        }
    )


def test_a_fault_switched_again_replaces_its_setting_and_leaves_the_others(client: FlaskClient) -> None:
    switch(client, {"latency": {"route": "/", "ms": 5}, "eid_reader": {"fails": True}})
    on = switch(client, {"latency": {"route": "/csam", "ms": 7}})
    assert on["latency"] == [{"route": "/csam", "ms": 7, "delayed": 0}]
    assert on["eid_reader"]["fails"] is True


def test_false_switches_a_fault_off(client: FlaskClient) -> None:
    switch(client, {"eid_reader": {"fails": True}, "signed_document": {"never_arrives": True}})
    assert switch(client, {"eid_reader": {"fails": False}, "signed_document": {"never_arrives": False}}) == {}


def test_delete_switches_one_fault_or_all_off(client: FlaskClient) -> None:
    switch(client, {"eid_reader": {"fails": True}, "session_expiry": {"after_requests": 1}})
    assert client.delete("/_mock/faults/eid_reader").get_json() == {
        "faults": {"session_expiry": {"after_requests": 1, "expired": 0}}
    }
    assert client.delete("/_mock/faults/eid_reader").status_code == 200  # already off: still fine
    assert client.delete("/_mock/faults").get_json() == {"faults": {}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slowness": {"ms": 5}}, "slowness"),
        ({"latency": {"route": "/", "ms": 5, "jitter": 3}}, "latency.jitter"),
        ({"latency": {"route": "/", "ms": -1}}, "latency.ms"),
        ({"latency": {"route": "/", "ms": 60_001}}, "latency.ms"),
        ({"latency": {"route": "/", "ms": "500"}}, "latency.ms"),
        ({"latency": {"route": "/", "ms": True}}, "latency.ms"),
        ({"latency": {"route": "/", "ms": 1.5}}, "latency.ms"),
        ({"latency": {"ms": 5}}, "latency.route"),
        ({"latency": {"route": "/"}}, "latency.ms"),
        ({"latency": {"route": "csam/registration", "ms": 5}}, "latency.route"),
        ({"latency": {"route": "/_mock/state", "ms": 5}}, "latency.route"),
        ({"latency": [{"route": "/", "ms": 5}, {"route": "/x", "ms": "slow"}]}, "latency[1].ms"),
        ({"latency": []}, "latency"),
        ({"latency": "slow"}, "latency"),
        ({"error_page": {"route": REGISTRATION, "status": 404}}, "error_page.status"),
        ({"error_page": {"route": REGISTRATION, "status": "503"}}, "error_page.status"),
        ({"error_page": {"route": "/_mock", "status": 503}}, "error_page.route"),
        ({"error_page": {"status": 503}}, "error_page.route"),
        ({"eid_reader": {"fails": "yes"}}, "eid_reader.fails"),
        ({"eid_reader": {}}, "eid_reader.fails"),
        ({"eid_reader": {"fails": True, "reason": "broken"}}, "eid_reader.reason"),
        ({"eid_reader": True}, "eid_reader"),
        ({"session_expiry": {"after_requests": -1}}, "session_expiry.after_requests"),
        ({"session_expiry": {"after_requests": "3"}}, "session_expiry.after_requests"),
        ({"session_expiry": {"after": 3}}, "session_expiry.after"),
        ({"signed_document": {"never_arrives": 1}}, "signed_document.never_arrives"),
        ({"signed_document": {"never_arrives": True, "delay": 3}}, "signed_document.delay"),
        ({}, "__all__"),
        ([{"latency": {"route": "/", "ms": 5}}], "__all__"),
    ],
)
def test_bad_switches_are_refused_naming_the_field_and_change_nothing(
    client: FlaskClient, body: Any, field: str
) -> None:
    before = switch(client, {"eid_reader": {"fails": True}})
    # A valid fault beside the bad one is not switched on either: all of the body, or nothing.
    if isinstance(body, dict) and body and "session_expiry" not in body:
        body = dict(body, session_expiry={"after_requests": 2})

    answer = client.put("/_mock/faults", json=body)

    assert answer.status_code == 400
    errors = answer.get_json()["errors"]
    assert field in [e["field"] for e in errors], errors
    assert all(e["message"] for e in errors)
    assert faults_on(client) == before


def test_a_body_that_is_not_json_is_refused(client: FlaskClient) -> None:
    answer = client.put("/_mock/faults", data="latency=5", content_type="text/plain")
    assert answer.status_code == 400
    assert [e["field"] for e in answer.get_json()["errors"]] == ["__all__"]
    assert faults_on(client) == {}


def test_switching_off_an_unknown_fault_is_refused_naming_it(client: FlaskClient) -> None:
    switch(client, {"eid_reader": {"fails": True}})
    answer = client.delete("/_mock/faults/slowness")
    assert answer.status_code == 400
    assert [e["field"] for e in answer.get_json()["errors"]] == ["slowness"]
    assert "eid_reader" in faults_on(client)


def test_faults_never_touch_the_control_api(client: FlaskClient, world) -> None:
    switch(
        client,
        {
            "latency": {"route": "/*", "ms": 1},
            "error_page": {"route": "/*", "status": 500},
            "session_expiry": {"after_requests": 0},
        },
    )

    assert client.get("/_mock/state").status_code == 200
    assert client.get("/_mock/clock").status_code == 200
    on = faults_on(client)
    assert on["latency"][0]["delayed"] == 0 and on["error_page"][0]["served"] == 0
    assert client.delete("/_mock/faults").status_code == 200
    assert client.get(REGISTRATION).status_code == 200


def test_the_control_api_has_no_faults_when_it_is_off() -> None:
    app = create_app({"TESTING": True, "DATABASE": ":memory:", "SECRET_KEY": "t"})
    assert app.test_client().get("/_mock/faults").status_code == 404


# ---------------------------------------------------------------------------------------------------------
# latency
# ---------------------------------------------------------------------------------------------------------


def test_latency_delays_the_matching_pages_only_and_counts_them(app: Flask, client: FlaskClient, world) -> None:
    before = state(app)
    switch(client, {"latency": [{"route": "/csam/registration", "ms": 1}, {"route": "/csam/*/entites", "ms": 2}]})

    assert client.get(REGISTRATION).status_code == 200
    assert client.get("/csam/registration/organisation").status_code in (200, 302)
    assert client.get("/").status_code == 200

    assert [s["delayed"] for s in faults_on(client)["latency"]] == [2, 0]
    client.delete("/_mock/faults/latency")
    assert client.get(REGISTRATION).status_code == 200
    assert faults_on(client) == {}
    assert state(app) == before


# ---------------------------------------------------------------------------------------------------------
# error_page
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_error_page_answers_a_maintenance_page_with_its_status(client: FlaskClient, status: int) -> None:
    switch(client, {"error_page": {"route": REGISTRATION, "status": status}})

    page = client.get(REGISTRATION)

    assert page.status_code == status
    assert has(page, f"<h1>{UNAVAILABLE}</h1>") and has(page, f"Code d'erreur : {status}")
    assert 'role="alert"' in page.get_data(as_text=True)
    assert client.get("/").status_code == 200
    assert faults_on(client)["error_page"][0]["served"] == 1


def test_error_page_speaks_the_pages_language(client: FlaskClient) -> None:
    switch(client, {"error_page": {"route": REGISTRATION}})
    page = client.get(REGISTRATION, query_string={"lang": "nl"})
    assert page.status_code == 503
    assert has(page, "<h1>Dienst niet beschikbaar</h1>") and has(page, "Foutcode: 503")
    assert UNAVAILABLE not in page.get_data(as_text=True)


def test_error_page_on_a_form_saves_nothing_and_off_the_form_works(app: Flask, client: FlaskClient, world) -> None:
    before = state(app)
    switch(client, {"error_page": {"route": "/csam/login"}})

    assert login_eid(client, GAP_A, "4321").status_code == 503
    assert logged_in_id(client) is None
    assert state(app) == before

    client.delete("/_mock/faults/error_page")
    assert login_eid(client, GAP_A, "4321").status_code == 302
    assert has(client.get("/csam/access/entites"), "Anne Lambert")


# ---------------------------------------------------------------------------------------------------------
# eid_reader
# ---------------------------------------------------------------------------------------------------------


def test_failing_card_reader_logs_nobody_in_and_says_why(app: Flask, client: FlaskClient, world) -> None:
    switch(client, {"eid_reader": {"fails": True}})

    page = login_eid(client, GAP_A, "4321")

    assert page.status_code == 200
    assert has(page, NO_READER) and 'role="alert"' in page.get_data(as_text=True)
    assert logged_in_id(client) is None
    assert faults_on(client)["eid_reader"]["refused"] == 1


def test_unreadable_card_says_so(client: FlaskClient, world) -> None:
    switch(client, {"eid_reader": {"fails": True, "reason": "card_unreadable"}})
    page = login_eid(client, GAP_A, "4321")
    assert has(page, "Votre carte eID n'a pas pu être lue.")
    assert logged_in_id(client) is None


def test_failing_card_reader_leaves_the_password_login_working(app: Flask, client: FlaskClient, world) -> None:
    seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    switch(client, {"eid_reader": {"fails": True}})
    assert login_password(client, "LotjeDeRidder", STRONG_PASSWORD).status_code == 302
    assert logged_in_id(client) is not None


def test_card_reader_works_again_once_switched_off(app: Flask, client: FlaskClient, world) -> None:
    before = state(app)
    switch(client, {"eid_reader": {"fails": True}})
    login_eid(client, GAP_A, "4321")

    client.delete("/_mock/faults/eid_reader")

    assert login_eid(client, GAP_A, "4321").status_code == 302
    assert has(client.get("/csam/access/entites"), "Anne Lambert")
    assert state(app)["projects"] == before["projects"]


# ---------------------------------------------------------------------------------------------------------
# session_expiry
# ---------------------------------------------------------------------------------------------------------


def test_session_expires_after_n_requests_to_the_login_with_a_message(app: Flask, client: FlaskClient, world) -> None:
    seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    switch(client, {"session_expiry": {"after_requests": 2}})
    login_eid(client, GAP_A, "4321")
    users = users_url(world)
    assert client.get(users).status_code == 200
    assert client.get(users).status_code == 200

    expired = client.get(users)

    assert expired.status_code == 302
    assert expired.headers["Location"].startswith("/csam/login?next=")
    login = client.get(expired.headers["Location"])
    assert has(login, EXPIRED) and has(login, "<h1>Se connecter à CSAM</h1>")
    assert logged_in_id(client) is None
    assert faults_on(client)["session_expiry"]["expired"] == 1
    # Logging in again goes back to the page, and the work done before is there.
    again = login_eid(client, GAP_A, "4321", next_=users)
    assert again.headers["Location"] == users
    assert has(client.get(users), "Lotje De Ridder")


def test_an_expired_session_cannot_be_used_again(client: FlaskClient, world) -> None:
    switch(client, {"session_expiry": {"after_requests": 0}})
    login_eid(client, GAP_A, "4321")
    with client.session_transaction() as sess:
        copied = dict(sess)

    assert client.get(users_url(world)).status_code == 302
    with client.session_transaction() as sess:
        sess.update(copied)
    client.delete("/_mock/faults")
    assert client.get(users_url(world)).headers["Location"].startswith("/csam/login")


def test_sessions_last_again_once_switched_off(app: Flask, client: FlaskClient, world) -> None:
    before = state(app)
    switch(client, {"session_expiry": {"after_requests": 1}})
    login_eid(client, GAP_A, "4321")

    client.delete("/_mock/faults/session_expiry")

    for _ in range(3):
        assert client.get(users_url(world)).status_code == 200
    assert [p["members"] for p in state(app)["projects"]] == [p["members"] for p in before["projects"]]


# ---------------------------------------------------------------------------------------------------------
# signed_document
# ---------------------------------------------------------------------------------------------------------


def test_signed_document_never_arrives_the_request_stays_pending(app: Flask, client: FlaskClient, world) -> None:
    before = state(app)
    switch(client, {"signed_document": {"never_arrives": True}})

    answer = client.post(f"/_mock/registrations/{world['pending_number']}/signed-document-received")

    assert answer.status_code == 409
    assert [e["field"] for e in answer.get_json()["errors"]] == ["signed_document"]
    assert registration_of(app, INAMI_C)["status"] == "pending_signature"
    assert state(app) == before
    assert faults_on(client)["signed_document"]["refused"] == 1


def test_signed_document_arrives_once_switched_off(app: Flask, client: FlaskClient, world) -> None:
    switch(client, {"signed_document": {"never_arrives": True}})
    client.post(f"/_mock/registrations/{world['pending_number']}/signed-document-received")

    client.delete("/_mock/faults/signed_document")
    answer = client.post(f"/_mock/registrations/{world['pending_number']}/signed-document-received")

    assert answer.status_code == 200
    assert registration_of(app, INAMI_C)["status"] == "active"


def test_all_faults_on_then_off_lose_nothing(app: Flask, client: FlaskClient, world) -> None:
    seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    before = state(app)
    switch(
        client,
        {
            "latency": {"route": "/", "ms": 0},
            "error_page": {"route": "/csam/access"},
            "eid_reader": {"fails": True},
            "session_expiry": {"after_requests": 0},
            "signed_document": {"never_arrives": True},
        },
    )
    login_eid(client, GAP_A, "4321")
    client.get(users_url(world))
    client.post(f"/_mock/registrations/{world['pending_number']}/signed-document-received")

    client.delete("/_mock/faults")

    assert state(app) == before
    assert login_eid(client, GAP_A, "4321").status_code == 302
    assert has(client.get(users_url(world)), "Lotje De Ridder")
    assert next(p for p in state(app)["projects"] if p["inami_number"] == INAMI_A)["members"]
