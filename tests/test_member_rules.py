"""Who may add and delete whom in access management (3.10, 4.10, 4.22): the «may» rules of the domain, and that
the users page and the deletion ask the same rule.

`may_add` and `may_delete` decide; the users page shows the co-GAP form and the deletion checkboxes from them,
and `delete_members` refuses exactly what `may_delete` refuses, saving nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from faker import Faker
from flask import Flask
from flask.testing import FlaskClient

from fixtures import builders
from mock_csam import create_app
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.errors import AccessDenied, RuleViolation
from mock_csam.domain.models import (
    COGAP,
    GAP,
    INCLUSION_APP,
    SZV_CERTIFICATE_MANAGER,
    SZV_RESPONSABLE,
    USER,
    Member,
)
from mock_csam.domain.store import Store


def _member(kind: str, member_id: int) -> Member:
    """A member of this kind, not saved anywhere: the «may» rules read only kinds and ids."""
    return Member(id=member_id, kind=kind)


@pytest.mark.parametrize(
    ("actor", "member", "deletable"),
    [
        pytest.param(GAP, GAP, False, id="gap-never-deletes-the-gap"),
        pytest.param(COGAP, GAP, False, id="cogap-never-deletes-the-gap"),
        pytest.param(GAP, COGAP, True, id="gap-deletes-a-cogap"),
        pytest.param(COGAP, COGAP, False, id="cogap-does-not-delete-a-cogap"),
        pytest.param(GAP, USER, True, id="gap-deletes-a-user"),
        pytest.param(COGAP, USER, True, id="cogap-deletes-a-user"),
    ],
)
def test_may_delete(actor: str, member: str, deletable: bool) -> None:
    assert rules.may_delete(_member(actor, 1), _member(member, 2)) is deletable


def test_the_gap_may_not_delete_itself() -> None:
    gap = _member(GAP, 1)
    assert rules.may_delete(gap, gap) is False


@pytest.mark.parametrize(
    ("actor", "kind", "allowed"),
    [
        pytest.param(GAP, USER, True, id="gap-adds-users"),
        pytest.param(COGAP, USER, True, id="cogap-adds-users"),
        pytest.param(GAP, COGAP, True, id="gap-adds-cogaps"),
        pytest.param(COGAP, COGAP, False, id="cogap-does-not-add-cogaps"),
        pytest.param(GAP, GAP, False, id="nobody-adds-a-gap-here"),
    ],
)
def test_may_add(actor: str, kind: str, allowed: bool) -> None:
    assert rules.may_add(_member(actor, 1), kind) is allowed


def test_check_may_add_refuses_what_may_add_refuses() -> None:
    with pytest.raises(AccessDenied):
        rules.check_may_add(_member(COGAP, 1), COGAP)
    rules.check_may_add(_member(GAP, 1), COGAP)
    rules.check_may_add(_member(COGAP, 1), USER)


# ---------------------------------------------------------------------------------------------------------
# One rule, two callers: the deletion and the users page
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def team(faker: Faker) -> dict[str, Any]:
    """A project with its GAP, two co-GAPs and a user: the people, as INAMI and the access managers typed them
    (the first co-GAP is the project's certificate manager in SZV, so that they log in with an eID card)."""
    persons = [
        builders.person(faker, szv_role=SZV_RESPONSABLE),
        builders.person(faker, szv_role=SZV_CERTIFICATE_MANAGER),
    ]
    return {
        "project": builders.project(faker, persons=persons),
        "cogap": builders.user_data(faker),
        "cogap2": builders.user_data(faker),
        "user": builders.user_data(faker),
    }


def _seed(store: Store, team: dict[str, Any]) -> dict[str, int]:
    """The team recorded through the rules the screens use; returns the member ids by role."""
    project_data, gap_person = team["project"], team["project"]["persons"][0]
    with store.transaction() as db:
        project = rules.record_project(db, project_data)
        registration = rules.submit_registration(
            db, rules.PROJECT_TYPE, project.inami_number, gap_person, credentials_by_post=False, confirmed=True
        )
        rules.receive_signed_document(db, registration)
        gap = next(m for m in project.members if m.kind == GAP)
        ids = {"gap": gap.id}
        for role, kind, data in (
            ("cogap", COGAP, dict(team["cogap"], niss=project_data["persons"][1]["niss"])),
            ("cogap2", COGAP, team["cogap2"]),
            ("user", USER, team["user"]),
        ):
            cleaned = rules.check_member_data(db, gap, kind, data["niss"], dict(data, applications=[INCLUSION_APP]))
            ids[role] = rules.create_member(db, gap, kind, cleaned, confirmed=True).id
        return ids


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        pytest.param("gap", "gap", False, id="gap-deletes-itself"),
        pytest.param("gap", "cogap2", True, id="gap-deletes-a-cogap"),
        pytest.param("gap", "user", True, id="gap-deletes-a-user"),
        pytest.param("cogap", "gap", False, id="cogap-deletes-the-gap"),
        pytest.param("cogap", "cogap2", False, id="cogap-deletes-a-cogap"),
        pytest.param("cogap", "user", True, id="cogap-deletes-a-user"),
    ],
)
def test_delete_members_refuses_exactly_what_may_delete_refuses(
    store: Store, team: dict[str, Any], actor: str, target: str, allowed: bool
) -> None:
    ids = _seed(store, team)
    selected = [ids[target], ids["user"]] if target != "user" else [ids["user"]]
    with store.transaction() as db:
        acting, member = db.get(Member, ids[actor]), db.get(Member, ids[target])
        assert acting is not None and member is not None
        assert rules.may_delete(acting, member) is allowed
        before = serialisers.export_state(db)

    with store.transaction() as db:
        acting = db.get(Member, ids[actor])
        assert acting is not None
        if allowed:
            rules.delete_members(db, acting, selected)
        else:
            with pytest.raises(RuleViolation):
                rules.delete_members(db, acting, selected)

    with store.transaction() as db:
        if allowed:
            assert [db.get(Member, i) for i in selected] == [None] * len(selected)
        else:
            assert serialisers.export_state(db) == before, "a refused deletion deletes nothing, not even the user"


@pytest.fixture
def app() -> Iterator[Flask]:
    """The mock without CSRF (the test client posts forms directly), on an in-memory database."""
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": ":memory:", "SECRET_KEY": "t"})
    yield app
    app.extensions["csam_store"].dispose()


def _login_eid(client: FlaskClient, niss: str) -> None:
    answer = client.post(
        "/csam/login",
        data={"eid-niss": niss, "eid-pin": "1234", "eid-submit": "Se connecter avec la carte eID"},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)


@pytest.mark.parametrize(("actor", "szv_person"), [("gap", 0), ("cogap", 1)])
def test_the_users_page_offers_what_the_rules_allow(
    app: Flask, client: FlaskClient, team: dict[str, Any], actor: str, szv_person: int
) -> None:
    store = app.extensions["csam_store"]
    ids = _seed(store, team)
    with store.transaction() as db:
        acting = db.get(Member, ids[actor])
        assert acting is not None
        pid = acting.project_id
        deletable = {m.id for m in acting.project.members if rules.may_delete(acting, m)}
        may_add_cogaps = rules.may_add(acting, COGAP)
    _login_eid(client, team["project"]["persons"][szv_person]["niss"])

    page = client.get(f"/csam/access/{pid}/inami/utilisateurs")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert {int(i) for i in re.findall(r'<input type="checkbox"[^>]*id="select-([0-9]+)"', html)} == deletable
    assert ('id="add-cogap-title"' in html) is may_add_cogaps
    assert 'id="add-user-title"' in html, "both the GAP and co-GAPs add users"
