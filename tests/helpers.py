"""Helpers shared by the unit tests: the three-project world of the access management tests and how it is set up
through the domain rules, logging in through the test client, reading pages, what every control API refusal
owes, and a manual walk's findings made up for update-manual's regeneration."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from e2e.check_manual import InstructionResult, TargetResult, WalkEvent
from e2e.manual import Edition
from e2e.page_words import MATCHES, NOT_CHECKABLE
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.models import INCLUSION_APP, USER, Account, Project

INAMI_A, INAMI_B, INAMI_C = "71000436", "78901184", "75500543"
GAP_A = "85073003328"  # Anne Lambert, GAP of project A
GAP_B = "17073003384"  # Bruno Peeters, GAP of project B
PENDING_GAP = "98472899765"  # Chloé Dubois, designated for project C, signed document not yet received
SZV_ONLY = "90020199704"  # Élodie Van Den Berg, in project A's SZV records, no CSAM account
NEW_1 = "88051212342"  # never seen before
NEW_2 = "75031504534"
NEW_3 = "92073021194"
NEW_4 = "66010103369"
STRONG_PASSWORD = "Geheim2024"


def api_errors(response: Any) -> list[dict[str, str]]:
    """The control API's `{"errors": [{"field", "message"}]}` body, checked for its shape."""
    body = response.get_json()
    assert set(body) == {"errors"}, body
    for error in body["errors"]:
        assert set(error) == {"field", "message"} and isinstance(error["message"], str) and error["message"]
    return body["errors"]


# ---------------------------------------------------------------------------------------------------------
# Set-up through the domain rules
# ---------------------------------------------------------------------------------------------------------


def person_record(
    niss: str, first: str, last: str, role: str = "responsable", pin: str = "1234", **extra: Any
) -> dict[str, Any]:
    """A person of a project's SZV records, as `rules.record_project` takes it (`extra`: e-mail, phone…)."""
    return {
        "niss": niss,
        "first_name": first,
        "last_name": last,
        "language": "fr",
        "sex": "F",
        "szv_role": role,
        "pin": pin,
        "address": {"street": "Rue Haute 12", "postal_code": "1000", "city": "Bruxelles"},
        **extra,
    }


def project_record(
    inami: str, name: str, persons: list[dict[str, Any]], address: dict[str, str] | None = None
) -> dict[str, Any]:
    """A project of the SZV records with these persons, as `rules.record_project` takes it."""
    return {
        "inami_number": inami,
        "name": name,
        "persons": persons,
        "address": address or {"street": "Place Flagey 7", "postal_code": "1050", "city": "Ixelles"},
    }


def gap_data(person: dict[str, Any]) -> dict[str, Any]:
    """What step 2's form asks of this person to designate them GAP."""
    return {k: person[k] for k in ("niss", "last_name", "first_name", "language")} | {
        "email": f"{person['first_name'].lower()}@projet.example",
        "phone": "+32 2 123 45 67",
    }


def seed_world(app: Flask) -> dict[str, Any]:
    """The three projects of `world`, recorded and designated through the rules; returns their ids."""
    anne = person_record(GAP_A, "Anne", "Lambert", pin="4321")
    elodie = person_record(SZV_ONLY, "Élodie", "Van Den Berg", role="gestionnaire de certificat e-Health")
    bruno = person_record(GAP_B, "Bruno", "Peeters")
    chloe = person_record(PENDING_GAP, "Chloé", "Dubois")
    with app.app_context(), transaction(app) as db:
        a = rules.record_project(db, project_record(INAMI_A, "Projet Alpha", [anne, elodie]))
        b = rules.record_project(db, project_record(INAMI_B, "Projet Bêta", [bruno]))
        c = rules.record_project(db, project_record(INAMI_C, "Projet Gamma", [chloe]))
        for project, gap, signed in ((a, anne, True), (b, bruno, True), (c, chloe, False)):
            registration = rules.submit_registration(
                db, rules.PROJECT_TYPE, project.inami_number, gap_data(gap), credentials_by_post=False, confirmed=True
            )
            if signed:
                rules.receive_signed_document(db, registration)
            else:
                pending_number = registration.request_number
        return {"a": a.id, "b": b.id, "c": c.id, "pending_number": pending_number}


def transaction(app: Flask):
    """A transaction on the mock's store (inside an app context)."""
    return app.extensions["csam_store"].transaction()


def seed_member(
    app: Flask,
    pid: int,
    actor_niss: str,
    niss: str,
    first: str,
    last: str,
    kind: str = USER,
    username: str | None = None,
) -> int:
    """A member added through the rules the screens use; returns its id."""
    with app.app_context(), transaction(app) as db:
        project = db.get(Project, pid)
        actor = next(m for m in project.members if m.person.niss == actor_niss)
        data = {
            "first_name": first,
            "last_name": last,
            "email": "x@projet.example",
            "language": "fr",
            "applications": [INCLUSION_APP],
            "username": username or rules.suggest_username(first, last),
            "password": STRONG_PASSWORD,
        }
        cleaned = rules.check_member_data(db, actor, kind, niss, data)
        return rules.create_member(db, actor, kind, cleaned, confirmed=True).id


def state(app: Flask) -> dict[str, Any]:
    """The whole state, to prove that a refused request changed nothing."""
    with app.app_context(), transaction(app) as db:
        return serialisers.export_state(db)


def members(app: Flask, inami: str) -> dict[str, dict[str, Any]]:
    """The project's members by NISS."""
    project = next(p for p in state(app)["projects"] if p["inami_number"] == inami)
    return {m["niss"]: m for m in project["members"]}


def account_count(app: Flask) -> int:
    """How many CSAM accounts exist."""
    with app.app_context(), transaction(app) as db:
        return len(db.query(Account).all())


def login_eid(client: FlaskClient, niss: str, pin: str = "1234", next_: str | None = None):
    """Log in on CSAM's login page with this eID card and PIN (then to `next_`)."""
    return client.post(
        "/csam/login",
        query_string={"next": next_} if next_ else None,
        data={"eid-niss": niss, "eid-pin": pin, "eid-submit": "Se connecter avec la carte eID"},
    )


def login_password(client: FlaskClient, username: str, password: str):
    """Log in on CSAM's login page with a user name and password."""
    return client.post(
        "/csam/login",
        data={
            "pwd-username": username,
            "pwd-password": password,
            "pwd-submit": "Se connecter avec nom d'utilisateur et mot de passe",
        },
    )


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def has(response, words: str) -> bool:
    """The page shows these words (`_()` leaves apostrophes as they are, WTForms and `{{ }}` escape them)."""
    return words in text(response) or str(escape(words)) in text(response)


def input_value(response, input_id: str) -> str:
    """The value attribute of the input with this id ("" when it has none)."""
    tag = re.search(rf'<input[^>]*\bid="{re.escape(input_id)}"[^>]*>', text(response))
    assert tag, f"no input #{input_id}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def error_of(response, field_id: str) -> str:
    """The message shown right after a field."""
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', text(response), re.S)
    assert found, f"no error for #{field_id}"
    return found.group(1)


def logged_in_id(client: FlaskClient) -> Any:
    """The id of the person the client's session is logged in as, or None."""
    with client.session_transaction() as sess:
        return sess.get("person_id")


def found(ident: str, *targets: TargetResult) -> InstructionResult:
    """What the walk found for one instruction: its targets' verdicts, the first drift as its status."""
    status = next((t.status for t in targets if t.status != MATCHES), MATCHES)
    return InstructionResult(ident, int(ident.split(".")[0]), "", status, "", targets=list(targets))


def matching(edition: Edition) -> dict[str, InstructionResult]:
    """Every instruction of the edition as the walk finds it when nothing drifted."""
    results = {}
    for i in edition.instructions:
        if not i.check:
            results[i.id] = InstructionResult(i.id, i.step, i.text, NOT_CHECKABLE, "")
        else:
            results[i.id] = found(i.id, *[TargetResult(t.words, t.verb, MATCHES) for t in i.check])
    return results


def login_before_2_6() -> WalkEvent:
    """What a walk of today's site did on its own before 2.6: the CSAM login with the card reader."""
    return WalkEvent(
        "login",
        "2.6",
        0,
        "/login",
        "Se connecter",
        [("textbox", "Carte", "responsable.niss"), ("textbox", "PIN", "responsable.pin"), ("button", "Entrer", None)],
    )
