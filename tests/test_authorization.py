"""Authorization matrix of the CSAM access management, over the Flask test client.

Every rule of the `access` blueprint is read from `app.url_map`, with every method it accepts (HEAD and OPTIONS
aside) and every value of its `<any(...):segment>`, so a route added later joins the matrix by itself; ROUTES
says how to call each endpoint (a valid form body per method, what its POST changes) and
`test_every_access_route_is_in_the_table` fails for an endpoint it does not know.

Each call is then made by someone who must be refused, with the exact answer the mock gives:

* Anne, GAP of project A, on project B (and, where a member id is taken, B's member through B's URL, B's member
  through A's URL, a member id that does not exist): 404, as for a project that does not exist;
* a co-GAP of A on the co-GAP wizard (NISS step, data form, confirmation): 403; deleting the GAP or another
  co-GAP: the users page again with the rule's message;
* persons who manage no project (the pending GAP of project C, a plain user of A with an account) on A: 404;
* anyone not logged in: sent to the login, which comes back to the page afterwards.

Every refused answer leaves `serialisers.export_state` as it was and shows nothing of project B (name, INAMI number,
its persons' NISS and names). Before each call the session holds a complete wizard draft for the project
called, so that a refusal never comes from a missing step; the bodies are the ones the positive control
(Anne on project A: 200 or 302, and a change of state exactly where the route writes) shows to be accepted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import (
    GAP_A,
    GAP_B,
    INAMI_B,
    NEW_1,
    NEW_2,
    NEW_3,
    NEW_4,
    PENDING_GAP,
    STRONG_PASSWORD,
    login_eid,
    seed_member,
    seed_world,
    state,
)
from markupsafe import escape
from werkzeug.test import TestResponse

from mock_csam import create_app
from mock_csam.access.forms import DELETE_ACTION
from mock_csam.access.views import DRAFTS, KINDS, NISS_PREFIX, _draft_key
from mock_csam.domain import rules
from mock_csam.domain.models import COGAP, COORDINATEUR, GESTIONNAIRE, INCLUSION_APP, USER, Person

NEW_MEMBER = "87041210037"  # the person the wizard drafts add: never seen before
MISSING_MEMBER = 999_999
# What the data form sends for NEW_MEMBER (the form's field names, which are also the ones the rules read).
MEMBER_DATA = {
    "last_name": "Claes",
    "first_name": "Nora",
    "email": "nora@projet.example",
    "phone": "+32 4 123 45 67",
    "language": "nl",
    "username": "NoraClaes",
    "password": STRONG_PASSWORD,
    "applications": [INCLUSION_APP],
}
ROLES_DATA = {"functions": [GESTIONNAIRE, COORDINATEUR], "start_date": "2024-05-01", "end_date": ""}
# Who logs in for a case: NISS and PIN of the eID card.
ACTORS = {"anne": (GAP_A, "4321"), "cogap": (NEW_3, "1234"), "pending": (PENDING_GAP, "1234"), "user": (NEW_1, "1234")}


# ---------------------------------------------------------------------------------------------------------
# The routes: read from the URL map, called as the table says
# ---------------------------------------------------------------------------------------------------------

Body = Callable[[str | None, int], dict[str, Any]]


@dataclass(frozen=True)
class Route:
    """How to call one access endpoint: a valid form body per method (from its segment and a member id)."""

    bodies: Mapping[str, Body] = field(default_factory=dict)
    member_in_body: bool = False  # the member ids come in the form rather than in the URL
    writes: frozenset[str] = frozenset()  # methods that change the state when the call is allowed
    login: bool = True  # False: a public page, answered to anyone


ROUTES: dict[str, Route] = {
    "access.home": Route(login=False),  # the front page with «se connecter»
    "access.entities": Route(),
    "access.project": Route(),
    "access.functionalities": Route(),
    "access.users": Route(),
    "access.new_member": Route(
        bodies={"POST": lambda segment, _member: {f"{NISS_PREFIX[KINDS[segment]]}-niss": NEW_MEMBER}}
    ),
    "access.users_action": Route(
        bodies={"POST": lambda _segment, member: {"selected": [str(member)], "action": DELETE_ACTION}},
        member_in_body=True,
        writes=frozenset({"POST"}),
    ),
    "access.member_data": Route(bodies={"POST": lambda _segment, _member: MEMBER_DATA}),
    "access.member_confirmation": Route(
        bodies={"POST": lambda _segment, _member: {"confirm": "Confirmer"}}, writes=frozenset({"POST"})
    ),
    "access.functions": Route(),
    "access.member_roles": Route(bodies={"POST": lambda _segment, _member: ROLES_DATA}, writes=frozenset({"POST"})),
    "access.member_applications": Route(
        bodies={"POST": lambda _segment, _member: {"applications": ["ehealthbox"]}}, writes=frozenset({"POST"})
    ),
}
URL_ARGUMENTS = {"pid", "segment", "member_id"}


@dataclass(frozen=True)
class Call:
    """One (endpoint, method, segment) of the access blueprint, as the URL map declares it."""

    endpoint: str
    method: str
    segment: str | None
    arguments: frozenset[str]

    @property
    def id(self) -> str:
        return "-".join(p for p in (self.endpoint, self.method, self.segment) if p)

    @property
    def takes_project(self) -> bool:
        return "pid" in self.arguments

    @property
    def takes_member(self) -> bool:
        return "member_id" in self.arguments or ROUTES[self.endpoint].member_in_body

    @property
    def adds_cogap(self) -> bool:
        return self.segment is not None and KINDS[self.segment] == COGAP


def _access_calls() -> list[Call]:
    """Every call the access blueprint accepts, one per method and per value of its `segment`."""
    app = create_app({"TESTING": True})
    try:
        calls = []
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("access."):
                continue
            converter = rule._converters.get("segment")
            segments = sorted(converter.items) if converter is not None else [None]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                calls.extend(Call(rule.endpoint, method, s, frozenset(rule.arguments)) for s in segments)
        return calls
    finally:
        app.extensions["csam_store"].dispose()


ACCESS_CALLS = _access_calls()
CALLS = [call for call in ACCESS_CALLS if call.endpoint in ROUTES]


def _call(endpoint: str, method: str) -> Call:
    return next(c for c in CALLS if c.endpoint == endpoint and c.method == method)


def test_every_access_route_is_in_the_table() -> None:
    """A new access route (or method) fails here until ROUTES says how to call it; a removed one too."""
    endpoints = {call.endpoint for call in ACCESS_CALLS}
    problems = [f"{e}: not in ROUTES" for e in sorted(endpoints - ROUTES.keys())]
    problems += [f"{e}: in ROUTES but no longer a route" for e in sorted(ROUTES.keys() - endpoints)]
    for call in CALLS:
        if call.arguments - URL_ARGUMENTS:
            problems.append(f"{call.id}: unknown URL argument(s) {sorted(call.arguments - URL_ARGUMENTS)}")
        if call.method != "GET" and call.method not in ROUTES[call.endpoint].bodies:
            problems.append(f"{call.id}: no form body in ROUTES")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------
# The world: projects A, B, C, their members, and a wizard draft for any project
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """The seeded ids, a cleaned draft of the wizard, and what must never show outside project B."""

    projects: dict[str, int]
    members: dict[str, int]
    cleaned: dict[str, Any]
    secrets_of_b: tuple[str, ...]


def _seed(app: Flask) -> World:
    """A: GAP Anne, co-GAPs Marc and Sofie, user Lotje; B: GAP Bruno, user Dirk; C: GAP Chloé still pending."""
    ids = seed_world(app)
    members = {
        "a-user": seed_member(app, ids["a"], GAP_A, NEW_1, "Lotje", "De Ridder"),
        "a-cogap": seed_member(app, ids["a"], GAP_A, NEW_3, "Marc", "Dupont", kind=COGAP),
        "a-other-cogap": seed_member(app, ids["a"], GAP_A, NEW_4, "Sofie", "Maes", kind=COGAP),
        "b-user": seed_member(app, ids["b"], GAP_B, NEW_2, "Dirk", "Janssens"),
        "missing": MISSING_MEMBER,
    }
    projects = {p["id"]: p for p in state(app)["projects"]}
    members["a-gap"] = next(m["id"] for m in projects[ids["a"]]["members"] if m["niss"] == GAP_A)
    assert all(m["id"] != MISSING_MEMBER for p in projects.values() for m in p["members"])
    b = projects[ids["b"]]
    assert b["inami_number"] == INAMI_B
    secrets_of_b = {b["name"], b["inami_number"]} | {
        person[key] for person in b["members"] + b["persons"] for key in ("niss", "first_name", "last_name")
    }
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        anne = db.query(Person).filter_by(niss=GAP_A).one()
        actor = rules.manager_membership(db, anne, ids["a"])
        cleaned = rules.check_member_data(db, actor, USER, NEW_MEMBER, MEMBER_DATA)
    return World(
        projects={k: ids[k] for k in "abc"}, members=members, cleaned=cleaned, secrets_of_b=tuple(sorted(secrets_of_b))
    )


def _copy_database(source: Flask, target: Flask) -> None:
    """Overwrite the target's in-memory database with the source's (SQLite's online backup)."""
    source_store, target_store = source.extensions["csam_store"], target.extensions["csam_store"]
    with (
        contextlib.closing(source_store.engine.raw_connection()) as src,
        contextlib.closing(target_store.engine.raw_connection()) as dst,
    ):
        src.driver_connection.backup(dst.driver_connection)


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[Flask, Flask, World]]:
    """The mock, without CSRF (the client posts forms directly), on an in-memory database, and a seeded copy.

    Seeding hashes a password per member: it is done once, and each test starts from a copy of the result.
    """
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": ":memory:", "SECRET_KEY": "t"}
    app, pristine = create_app(config), create_app(config)
    world = _seed(pristine)
    yield app, pristine, world
    for each in (app, pristine):
        each.extensions["csam_store"].dispose()


@pytest.fixture
def app(seeded: tuple[Flask, Flask, World]) -> Flask:
    """The mock, its database back to the seeded world."""
    app, pristine, _world = seeded
    _copy_database(pristine, app)
    return app


@pytest.fixture
def world(seeded: tuple[Flask, Flask, World], app: Flask) -> World:
    """The ids of the seeded world (in the database of `app`)."""
    return seeded[2]


def log_in(client: FlaskClient, actor: str | None) -> None:
    """Log in with this actor's eID card (None: stay anonymous)."""
    if actor is not None:
        assert login_eid(client, *ACTORS[actor]).status_code == 302, f"login of {actor} failed"


def plant_drafts(client: FlaskClient, world: World, project: str) -> None:
    """A finished wizard draft (NISS and data) of both kinds for the project, as if the steps had been done."""
    pid = world.projects[project]
    with client.session_transaction() as sess:
        sess[DRAFTS] = {
            _draft_key(pid, kind): {
                "niss": NEW_MEMBER,
                "cleaned": world.cleaned,
                "submission": rules.new_submission_token(),
            }
            for kind in (USER, COGAP)
        }


def send(app: Flask, client: FlaskClient, world: World, call: Call, project: str, member: str) -> TestResponse:
    """Make the call on this project's URL, with this member's id in the URL or the form."""
    member_id = world.members[member]
    values = {"pid": world.projects[project], "segment": call.segment, "member_id": member_id}
    url = app.url_map.bind("localhost").build(
        call.endpoint, {k: v for k, v in values.items() if k in call.arguments}, method=call.method
    )
    body = ROUTES[call.endpoint].bodies.get(call.method)
    return client.open(url, method=call.method, data=body(call.segment, member_id) if body else None)


def assert_nothing_of_b(answer: TestResponse, world: World) -> None:
    """Neither project B's name and INAMI number nor its persons' NISS or names are in the answer."""
    page = answer.get_data(as_text=True)
    shown = [s for s in world.secrets_of_b if s in page or str(escape(s)) in page]
    assert not shown, f"project B's data in the answer: {shown}"


def assert_sent_to_login(answer: TestResponse) -> None:
    """A redirect to the CSAM login that comes back to the page asked for."""
    target = urlsplit(answer.headers["Location"])
    assert target.path == "/csam/login", answer.headers["Location"]
    assert parse_qs(target.query).get("next") == [answer.request.path]


# ---------------------------------------------------------------------------------------------------------
# The refusals
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """Who asks, on which project's URL, about which member; and the mock's answer on a project route."""

    name: str
    actor: str | None
    project: str
    member: str
    status: int
    applies: Callable[[Call], bool] = lambda call: True


CASES = [
    Case("foreign-project", "anne", "b", "b-user", 404),
    Case("foreign-member", "anne", "a", "b-user", 404, applies=lambda call: call.takes_member),
    Case("missing-member", "anne", "a", "missing", 404, applies=lambda call: call.takes_member),
    Case("cogap-of-a", "cogap", "a", "a-user", 403, applies=lambda call: call.adds_cogap),
    Case("pending-gap-of-c", "pending", "a", "a-user", 404),
    Case("plain-user-of-a", "user", "a", "a-user", 404),
    Case("not-logged-in", None, "a", "a-user", 302),
]
REFUSALS = [
    pytest.param(call, case, id=f"{call.id}-{case.name}") for call in CALLS for case in CASES if case.applies(call)
]


def expected_status(call: Call, case: Case) -> int:
    """The case's refusal on a project route; a page without project answers every logged-in person."""
    if case.actor is None:
        return 302 if ROUTES[call.endpoint].login else 200
    return case.status if call.takes_project else 200


@pytest.mark.parametrize(("call", "case"), REFUSALS)
def test_refused(app: Flask, client: FlaskClient, world: World, call: Call, case: Case) -> None:
    log_in(client, case.actor)
    plant_drafts(client, world, case.project)
    before = state(app)
    answer = send(app, client, world, call, case.project, case.member)
    assert answer.status_code == expected_status(call, case)
    if answer.status_code == 302:
        assert_sent_to_login(answer)
    assert_nothing_of_b(answer, world)
    assert state(app) == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("a-gap", "Le Gestionnaire d'Accès Principal ne peut pas être supprimé par cet écran."),
        ("a-other-cogap", "Seul le Gestionnaire d'Accès Principal peut supprimer un co-gestionnaire d'accès."),
    ],
    ids=["access.users_action-POST-cogap-deletes-gap", "access.users_action-POST-cogap-deletes-cogap"],
)
def test_co_gap_deletes_neither_the_gap_nor_a_co_gap(
    app: Flask, client: FlaskClient, world: World, target: str, message: str
) -> None:
    log_in(client, "cogap")
    before = state(app)
    answer = send(app, client, world, _call("access.users_action", "POST"), "a", target)
    assert answer.status_code == 200
    assert str(escape(message)) in answer.get_data(as_text=True)
    assert_nothing_of_b(answer, world)
    assert state(app) == before


# ---------------------------------------------------------------------------------------------------------
# Positive control: the same calls on Anne's own project are answered
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", [pytest.param(call, id=f"{call.id}-own-project") for call in CALLS])
def test_own_project_is_answered(app: Flask, client: FlaskClient, world: World, call: Call) -> None:
    log_in(client, "anne")
    plant_drafts(client, world, "a")
    before = state(app)
    answer = send(app, client, world, call, "a", "a-user")
    assert answer.status_code in (200, 302)
    if answer.status_code == 302:
        assert urlsplit(answer.headers["Location"]).path != "/csam/login"
    assert_nothing_of_b(answer, world)
    assert (state(app) != before) == (call.method in ROUTES[call.endpoint].writes)
