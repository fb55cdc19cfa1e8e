"""Property-based fuzzing (Hypothesis) of every form of the mock and of the control API's endpoints.

Each test builds one seeded mock (four projects, their access managers, users and a pending registration) and
lets Hypothesis send one endpoint valid-looking and hostile input: arbitrary Unicode (NUL included; lone
surrogates cannot travel in a request), very long text, whitespace, HTML and script payloads, SQL-ish text,
Unicode digits, numbers out of range, impossible dates, missing, repeated and unexpected fields, lists where one
value is expected, arbitrary JSON and mutated valid projects. Every request checks that:

1. the answer is never a server error (5xx);
2. the state (`serialisers.export_state`) changes only when the answer is the endpoint's success answer: a refusal
   (a page showing errors, a 4xx page, JSON errors, a redirect back to an earlier step) leaves it exactly as it was,
   and a refused login logs no one in;
3. a refused form page shows its errors and shows again what was typed in its text inputs (printable text);
4. no script payload comes back unescaped.

Today's CSAM registration page exists only in site version `current`: its tests build the same world in that
version (`current_world`), and the list of fuzzed endpoints covers both versions.

An example that legitimately changes the state is followed by a re-seeding, so every example starts from the
same world; browsers (a login, earlier wizard steps) are set up once per seeding and copied through their
session cookie.

Server errors: the app registers its own handler for `Exception`, which turns any exception into its 500 page
whatever PROPAGATE_EXCEPTIONS says. Flask's testing default is kept (an exception raised by that handler itself
still surfaces), and the exception the app logs is chained to the test's failure: its traceback is shown, and
Hypothesis tells different server errors apart.

Examples: 200 per test when the CI environment variable is set (derandomized, so a failure replays), 25
otherwise (the "ci" and "dev" Hypothesis profiles). CSRF is off here: its own tests are in
test_login_and_access.py, test_portal_and_registration.py and test_site_current.py.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest
from flask.testing import FlaskClient
from helpers import gap_data, person_record, project_record
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from stdnum.be import ssn
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from fixtures import builders
from mock_csam import CURRENT, MANUAL_2018, SITE_VERSIONS, create_app
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.identifiers import clean_digits
from mock_csam.domain.models import (
    COGAP,
    COORDINATEUR,
    GAP,
    GESTIONNAIRE,
    INCLUSION_APP,
    PROFESSIONS,
    SECURE_APPLICATIONS,
    USER,
)
from mock_csam.faults import NAMES as FAULT_NAMES

# ---------------------------------------------------------------------------------------------------------
# How many examples
# ---------------------------------------------------------------------------------------------------------

_SHARED = {
    "deadline": None,
    # No "explain" phase: it replays failing examples under a tracer (slow) to list lines of templates.
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    # One seeded mock per test function serves every example (see World); requests take their time.
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
settings.register_profile("ci", max_examples=200, derandomize=True, **_SHARED)
settings.register_profile("dev", max_examples=25, **_SHARED)
# Applied test by test, not loaded globally: the other Hypothesis tests keep their own settings.
fuzz = settings(settings.get_profile("ci" if os.environ.get("CI") else "dev"))

# ---------------------------------------------------------------------------------------------------------
# The seeded world
# ---------------------------------------------------------------------------------------------------------

INAMI_A, INAMI_B, INAMI_C, INAMI_D = "71000436", "78901184", "75500543", "72000130"
GAP_A = "85073003328"  # Anne Lambert, GAP of project A (eID PIN 4321)
SZV_ONLY = "90020199704"  # Élodie Van Den Berg, in project A's SZV records, no CSAM account
COGAP_A = "92073021194"  # Marc Dupont, co-GAP of project A
USER_A = "88051212342"  # Lotje De Ridder, user of project A, with the role «gestionnaire»
GAP_B = "17073003384"  # Bruno Peeters, GAP of project B
USER_B = "75031504534"  # Dirk Janssens, user of project B
PENDING_GAP = "98472899765"  # Chloé Dubois, designated for project C, signed document not yet received
RESPONSABLE_D = "79112304630"  # Denise Martin, responsable of project D, which has no GAP yet
NEW = "66010103369"  # never seen before
PATIENT = "50010100156"  # included in project A by Lotje De Ridder
KNOWN_NISS = (GAP_A, SZV_ONLY, COGAP_A, USER_A, GAP_B, USER_B, PENDING_GAP, RESPONSABLE_D, NEW, PATIENT)
INAMIS = (INAMI_A, INAMI_B, INAMI_C, INAMI_D)
STRONG_PASSWORD = "Geheim2024"
# Seeded accounts get a cheap hash: password logins are fuzzed often, and the property is not about hashing.
SEEDED_PASSWORD_HASH = generate_password_hash(STRONG_PASSWORD, method="pbkdf2:sha256:1000")
ANNE, MARC, LOTJE = (GAP_A, "4321"), (COGAP_A, "1234"), (USER_A, "1234")


def _add_member(db, actor, kind: str, niss: str, first: str, last: str):
    """A member created through the rules the confirmation screen uses (its account with the cheap hash)."""
    cleaned = {
        "niss": niss,
        "first_name": first,
        "last_name": last,
        "email": "x@projet.example",
        "phone": "",
        "language": "fr",
        "applications": [INCLUSION_APP],
        "username": rules.suggest_username(first, last),
        "password_hash": SEEDED_PASSWORD_HASH,
    }
    return rules.create_member(db, actor, kind, cleaned, confirmed=True)


def seed(app) -> dict[str, Any]:
    """Projects A and B with their GAP and members, C waiting for its signed document, D without any
    designation; returns the ids and request numbers the fuzzed requests refer to (see Ref)."""
    anne = person_record(GAP_A, "Anne", "Lambert", pin="4321")
    elodie = person_record(SZV_ONLY, "Élodie", "Van Den Berg", role=builders.SZV_CERTIFICATE_MANAGER)
    bruno, chloe = person_record(GAP_B, "Bruno", "Peeters"), person_record(PENDING_GAP, "Chloé", "Dubois")
    denise = person_record(RESPONSABLE_D, "Denise", "Martin")
    store = app.extensions["csam_store"]
    # The date is fixed for the whole test: the state shows the mock's today, and a run crossing midnight would
    # otherwise see every example change the state.
    store.set_today(store.clock.today())
    with app.app_context(), store.transaction() as db:
        a = rules.record_project(db, project_record(INAMI_A, "Projet Alpha", [anne, elodie]))
        b = rules.record_project(db, project_record(INAMI_B, "Projet Bêta", [bruno]))
        c = rules.record_project(db, project_record(INAMI_C, "Projet Gamma", [chloe]))
        d = rules.record_project(db, project_record(INAMI_D, "Projet Delta", [denise]))
        numbers = {}
        for name, project, gap in (("active", a, anne), ("active_b", b, bruno), ("pending", c, chloe)):
            registration = rules.submit_registration(
                db, rules.PROJECT_TYPE, project.inami_number, gap_data(gap), credentials_by_post=False, confirmed=True
            )
            if name != "pending":
                rules.receive_signed_document(db, registration)
            numbers[name] = registration.request_number
            numbers[f"{name}_id"] = registration.id
        gap_a, gap_b = rules.active_gap(a), rules.active_gap(b)
        cogap_a = _add_member(db, gap_a, COGAP, COGAP_A, "Marc", "Dupont")
        user_a = _add_member(db, gap_a, USER, USER_A, "Lotje", "De Ridder")
        user_b = _add_member(db, gap_b, USER, USER_B, "Dirk", "Janssens")
        rules.set_roles(db, gap_a, user_a.id, [GESTIONNAIRE], "2024-05-01", "")
        lotje = user_a.person
        rules.include_patient(db, lotje, rules.inclusion_project(db, lotje, a.id), PATIENT, "2024-06-03")
        return {
            "a": a.id,
            "b": b.id,
            "c": c.id,
            "d": d.id,
            "gap_a": gap_a.id,
            "cogap_a": cogap_a.id,
            "user_a": user_a.id,
            "gap_b": gap_b.id,
            "user_b": user_b.id,
            **numbers,
        }


@dataclass(frozen=True)
class Ref:
    """A record of the seeded world by name (see `seed`); its id is looked up when the request is sent, with
    `around` on both sides (spaces a careless form might add)."""

    name: str
    around: str = ""


@dataclass(eq=False)
class Browser:
    """Where a fuzzed request starts from: who logged in with the eID, the form steps posted before (each must
    succeed), what else the session holds. Set up once per seeding; later requests get a copy of its cookie."""

    login: tuple[str, str] | None = None
    steps: tuple[tuple[str, dict[str, Any]], ...] = ()
    session: dict[str, Any] = field(default_factory=dict)
    # A browser whose request ends its login (logout, a new login) is set up again for every example.
    reusable: bool = True


class World:
    """One mock for one test function: its app, the ids of the seeded records, and the browsers."""

    def __init__(self, site_version: str = MANUAL_2018) -> None:
        self.app = create_app(
            {
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "DATABASE": ":memory:",
                "CONTROL_API": True,
                "SECRET_KEY": "fuzz",
                "SITE_VERSION": site_version,
            }
        )
        self.store = self.app.extensions["csam_store"]
        self.cookie_name = self.app.config["SESSION_COOKIE_NAME"]
        self._cookies: dict[Browser, str | None] = {}
        self.ids = seed(self.app)
        # Every example starts from this state: a refusal leaves it as it is, a change is followed by reseed().
        self.seeded_state = self.state()

    def reseed(self) -> None:
        """Back to the seeded world after an example that changed it; every browser is set up again."""
        self.store.reset()
        self._cookies.clear()
        self.ids = seed(self.app)
        self.seeded_state = self.state()

    def state(self) -> dict[str, Any]:
        """The whole state, as the control API shows it."""
        with self.app.app_context(), self.store.transaction() as db:
            return serialisers.export_state(db)

    def resolve(self, value: Any) -> Any:
        """The value with every Ref replaced by the id it names (as a string, as a form or a URL carries it)."""
        if isinstance(value, Ref):
            return f"{value.around}{self.ids[value.name]}{value.around}"
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        return value

    def url(self, template: str, **parts: Any) -> str:
        """A URL template filled with the world's ids and the given parts (Refs resolved)."""
        return template.format(**{k: str(v) for k, v in self.ids.items()}, **self.resolve(parts))

    def client(self, browser: Browser) -> FlaskClient:
        """A new test client in the browser's situation."""
        client = self.app.test_client()
        if browser.reusable and browser in self._cookies:
            if self._cookies[browser] is not None:
                client.set_cookie(self.cookie_name, self._cookies[browser])
            return client
        if browser.login:
            niss, pin = browser.login
            answer = client.post("/csam/login", data={"eid-niss": niss, "eid-pin": pin, "eid-submit": "eID"})
            assert answer.status_code == 302, f"set-up login of {niss} refused"
        for template, data in browser.steps:
            answer = client.post(self.url(template), data=data)
            assert answer.status_code == 302, f"set-up step {template} refused: {answer.status_code}"
        if browser.session:
            with client.session_transaction() as session:
                session.update(copy.deepcopy(browser.session))
        if browser.reusable:
            cookie = client.get_cookie(self.cookie_name)
            self._cookies[browser] = cookie.value if cookie else None
        return client

    def dispose(self) -> None:
        self.store.dispose()


@pytest.fixture
def world() -> Iterator[World]:
    """A seeded mock (control API on, CSRF off, in-memory database) for all the examples of one test."""
    world = World()
    yield world
    world.dispose()


@pytest.fixture
def current_world() -> Iterator[World]:
    """The same seeded mock in site version `current` (today's CSAM registration page)."""
    world = World(CURRENT)
    yield world
    world.dispose()


# ---------------------------------------------------------------------------------------------------------
# Checking one request
# ---------------------------------------------------------------------------------------------------------

XSS = ('<script>alert("fuzz")</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>")


@contextlib.contextmanager
def logged_exceptions() -> Iterator[list[BaseException]]:
    """The exceptions the mock logs meanwhile (its 500 handler logs the one it caught)."""
    caught: list[BaseException] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info and record.exc_info[1] is not None:
                caught.append(record.exc_info[1])

    handler, logger = Collect(logging.ERROR), logging.getLogger("mock_csam")
    # Kept from pytest's log capture: a failing test would list every shrinking attempt's traceback.
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield caught
    finally:
        logger.propagate = True
        logger.removeHandler(handler)


def input_value(html: str, input_id: str) -> str | None:
    """The value an input shows (None when the page has no such input)."""
    tag = re.search(rf'<input[^>]*\bid="{re.escape(input_id)}"[^>]*>', html)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""


def typed_text(value: Any) -> str | None:
    """What a text input shows again of a sent value: the first one, when it is printable text."""
    first = value[0] if isinstance(value, list) and value else value
    return first if isinstance(first, str) and first.isprintable() else None


def send(
    world: World,
    client: FlaskClient,
    method: str,
    url: str,
    *,
    accepted: Callable[[TestResponse], bool] | None = None,
    shown_again: Iterable[str] = (),
    refusal_shows_errors: bool = True,
    **request: Any,
) -> TestResponse:
    """Send one fuzzed request and check what every endpoint owes: no server error; the state unchanged unless
    the answer is the success answer (`accepted`; None: the endpoint never changes the state); a refused form page
    showing its errors and, in the inputs `shown_again`, the text that was typed; JSON errors in the API's shape."""
    if isinstance(request.get("data"), dict):
        request["data"] = world.resolve(request["data"])
    with logged_exceptions() as caught:
        response = client.open(url, method=method, **request)
    if response.status_code >= 500:
        # Chained to the mock's own exception: its traceback is shown, and Hypothesis tells different bugs apart.
        raise AssertionError(f"{response.status_code} for {method} {url}") from (caught[0] if caught else None)
    html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    for payload in XSS:
        assert payload not in html, f"unescaped {payload!r}"
    unchanged = world.state() == world.seeded_state
    if accepted is not None and accepted(response):
        if not unchanged:
            world.reseed()
        return response
    assert unchanged, f"{method} {url} answered {response.status_code} but changed the state"
    if response.is_json and response.status_code >= 400:
        errors = response.get_json()["errors"]
        assert errors and all(set(e) == {"field", "message"} and e["message"] for e in errors), errors
    if html and response.status_code == 200 and method == "POST":
        if refusal_shows_errors:
            assert 'class="error"' in html or 'class="errors"' in html, "refused without saying why"
        sent = request.get("data") or {}
        for input_id in shown_again:
            typed = typed_text(sent.get(input_id))
            if typed is not None:
                assert input_value(html, input_id) == typed, f"#{input_id} does not show what was typed"
    return response


def send_body(
    world: World, method: str, url: str, body: Any, success: tuple[int, ...], content_type: str = "application/json"
) -> TestResponse:
    """`send` a fuzzed body to a control API endpoint, whose success answers are the statuses `success`."""
    return send(
        world,
        world.app.test_client(),
        method,
        url,
        data=body,
        content_type=content_type,
        accepted=lambda answer: answer.status_code in success,
    )


def redirected_to(pattern: str) -> Callable[[TestResponse], bool]:
    """A success answer that redirects to a URL matching this pattern."""
    return lambda response: response.status_code == 302 and re.search(pattern, response.location) is not None


def flashed(client: FlaskClient, words: str) -> bool:
    """True when the browser's next page will show a message containing these words."""
    with client.session_transaction() as session:
        return any(words in str(message) for _category, message in session.get("_flashes", []))


def logged_in_id(client: FlaskClient) -> Any:
    with client.session_transaction() as session:
        return session.get("person_id")


# ---------------------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------------------

# Any code point a request can carry: surrogates (category Cs) cannot be encoded in UTF-8.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
NASTY = (
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "a\x00b",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\u202e",
    "e\u0301",
    "😀",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-Infinity",
    str(2**63),
    "9" * 30,
    "-" + "9" * 30,
    "0x10",
    "1_000",
    "²²²²²²²²",
    "①②③④⑤⑥⑦⑧⑨⑩⑪",
    "١٢٣٤٥٦٧٨",
    "８５０７３００３３２８",
    "𝟖𝟓𝟎𝟕𝟑𝟎𝟎𝟑𝟑𝟐𝟖",
    "2023-02-30",
    "0000-00-00",
    "99999-01-01",
    "31/02/2024",
    "2024-13-01",
    "29/02/2023",
    "1899-12-31",
    "3000-01-01",
    "' OR '1'='1",
    "1; DROP TABLE person; --",
    '" OR ""="',
    "%s%s%s%n",
    "{{7*7}}",
    "${7*7}",
    "../../../etc/passwd",
    *XSS,
    "9" * (1024 * 1024 + 1),  # more than the mock's MAX_CONTENT_LENGTH
)
# Characters str.isdigit() accepts (int() refuses some of them, superscripts for one), and strings of them.
DIGIT_LIKE = st.characters(categories=("Nd", "No")).filter(str.isdigit)
UNICODE_DIGITS = st.text(DIGIT_LIKE, min_size=6, max_size=13)
LONG = st.builds(
    lambda chunk, n: chunk * n, st.sampled_from(["9", "a", "é", "<b>", " ", "\x00"]), st.integers(101, 20_000)
)
NUMBERS = st.one_of(st.integers(), st.floats()).map(str)
GARBAGE = st.one_of(ANY_TEXT, st.sampled_from(NASTY), UNICODE_DIGITS, NUMBERS, LONG)

_FAKER = builders.belgian_faker()


def faked(build: Callable[[Any], Any]) -> st.SearchStrategy[Any]:
    """Values from a fixtures.builders function, its Faker seeded by Hypothesis so that examples replay."""

    def run(seed_value: int) -> Any:
        _FAKER.seed_instance(seed_value)
        return build(_FAKER)

    return st.integers(0, 2**32 - 1).map(run)


def dotted_niss(niss: str) -> str:
    return f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"


VALID_NISS = st.one_of(faked(builders.niss), faked(builders.bis_number)).filter(ssn.is_valid)
NISS = st.one_of(
    st.sampled_from(KNOWN_NISS),
    st.sampled_from(KNOWN_NISS).map(dotted_niss),
    VALID_NISS,
    faked(builders.broken_niss),
    st.text(DIGIT_LIKE, min_size=11, max_size=11),
    GARBAGE,
)
INAMI = st.one_of(
    st.sampled_from(INAMIS),
    faked(builders.inami_number),
    faked(builders.broken_inami_number),
    st.sampled_from(INAMIS).map(lambda n: f"{n[0]}-{n[1:6]}-{n[6:]}"),
    st.text(DIGIT_LIKE, min_size=8, max_size=8),
    GARBAGE,
)
NAMES = st.one_of(
    st.sampled_from(["Lotje", "De Ridder", "Van Den Berg", "Dupré-Lefèvre", "O'Brien"]),
    st.text(st.characters(categories=("L", "Zs", "Pd")), min_size=1, max_size=40),
    GARBAGE,
)
EMAILS = st.one_of(st.just("lotje@projet.example"), st.emails(), GARBAGE)
PHONES = st.one_of(
    st.sampled_from(["+32 2 123 45 67", "02/123.45.67", "+32 470 12 34 56"]),
    st.from_regex(r"\+?[0-9 ./()-]{8,20}", fullmatch=True),
    GARBAGE,
)
LANGUAGES = st.one_of(st.sampled_from(["fr", "nl", "de", "en", "FR", " nl ", "xx"]), GARBAGE)
USERNAMES = st.one_of(
    st.sampled_from(["LotjeDeRidder", "MarcDupont", "NouvelUtilisateur"]),
    st.from_regex(r"[A-Za-z0-9._-]{4,30}", fullmatch=True),
    GARBAGE,
)
PASSWORDS = st.one_of(st.just(STRONG_PASSWORD), st.from_regex(r"[A-Za-z]{4,10}[0-9]{4}", fullmatch=True), GARBAGE)
APPLICATIONS = st.one_of(st.sampled_from(sorted(SECURE_APPLICATIONS)), GARBAGE)
FUNCTIONS = st.one_of(st.sampled_from([GESTIONNAIRE, COORDINATEUR]), GARBAGE)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(
        ["2024-05-01", "01/06/2024", " 2024-05-01 ", "2024-5-1", "2024-05-01T00:00", "01/05/24", "2024/05/01"]
    ),
    GARBAGE,
)
TICKED = st.one_of(st.sampled_from(["y", "on", "1", "", "false", "0", "no"]), GARBAGE)
SUBMIT = st.one_of(st.just("Envoyer"), GARBAGE)


def mostly(usual: st.SearchStrategy[Any], unusual: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`usual` four times out of five (and when shrinking): the fuzzed fields are reached past the URL's checks."""
    return st.integers(0, 4).flatmap(lambda n: unusual if n == 4 else usual)


# Project A is the logged-in managers' own; the others, and ids no project has, answer 404.
PROJECT_IDS = mostly(st.just(Ref("a")), st.sampled_from([Ref("b"), Ref("c"), Ref("d"), 0, 2**63, 10**30]))
MEMBER_IDS = mostly(
    st.sampled_from([Ref("gap_a"), Ref("cogap_a"), Ref("user_a")]),
    st.one_of(st.sampled_from([Ref("user_b"), Ref("gap_b")]), st.integers(0, 2**70)),
)


def padded(member: Ref | int) -> Ref | str:
    """A member id with spaces around it."""
    return Ref(member.name, " ") if isinstance(member, Ref) else f" {member} "


def one_field(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A field as sent: missing (None), one value, or a list (repeated; empty: missing)."""
    return st.one_of(st.none(), values, st.lists(values, max_size=3))


def form_data(fields: dict[str, st.SearchStrategy[Any]], valid: list[dict[str, Any]]) -> st.SearchStrategy[dict]:
    """What a browser, or someone forging requests, sends: one of the valid forms with a few fields spoiled, or
    every field fuzzed; any field may be missing or repeated, and unexpected fields come along."""
    sent = {name: one_field(values) for name, values in fields.items()}
    spoiled_few = st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True) if fields else st.just([])
    extras = st.dictionaries(
        ANY_TEXT.filter(lambda name: name not in fields),
        one_field(GARBAGE).filter(lambda value: value is not None),
        max_size=2,
    )

    @st.composite
    def forms(draw: st.DrawFn) -> dict[str, Any]:
        if draw(st.booleans()):
            data, spoiled = dict(draw(st.sampled_from(valid))), draw(spoiled_few)
        else:
            data, spoiled = {}, sorted(fields)
        for name in spoiled:
            value = draw(sent[name])
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return {**draw(extras), **data}

    return forms()


# ---------------------------------------------------------------------------------------------------------
# Registration wizard (2.6-2.11)
# ---------------------------------------------------------------------------------------------------------

START, ORGANISATION = "/csam/registration/", "/csam/registration/organisation"
GAP_STEP, CONFIRMATION = "/csam/registration/gestionnaire", "/csam/registration/confirmation"
IDENTIFICATION = {"identification_type": rules.PROJECT_TYPE, "inami_number": INAMI_D}
DENISE = gap_data(person_record(RESPONSABLE_D, "Denise", "Martin"))
REGISTRATION_DRAFTS = {
    "no draft": Browser(),
    "identified": Browser(steps=((START, IDENTIFICATION),)),
    "organisation confirmed": Browser(steps=((START, IDENTIFICATION), (ORGANISATION, {}))),
    "manager given": Browser(steps=((START, IDENTIFICATION), (ORGANISATION, {}), (GAP_STEP, DENISE))),
    # Made before project A got its GAP.
    "stale": Browser(
        session={
            "registration": {
                "identification_type": rules.PROJECT_TYPE,
                "inami_number": INAMI_A,
                "organisation_confirmed": True,
                "gap": gap_data(person_record(GAP_A, "Anne", "Lambert")),
            }
        }
    ),
}
DRAFT_NAMES = st.sampled_from(sorted(REGISTRATION_DRAFTS))
EARLIER_STEP = r"/csam/registration/(organisation|gestionnaire)?$"


@fuzz
@given(
    draft=DRAFT_NAMES,
    data=form_data(
        {
            "identification_type": st.one_of(st.sampled_from(["", *rules.IDENTIFICATION_TYPES]), GARBAGE),
            "inami_number": INAMI,
        },
        [IDENTIFICATION, {"identification_type": rules.PROJECT_TYPE, "inami_number": INAMI_A}],
    ),
)
def test_registration_identification_step_never_fails_and_saves_nothing_when_refused(world, draft, data):
    client = world.client(REGISTRATION_DRAFTS[draft])
    response = send(world, client, "POST", START, data=data, shown_again=["inami_number"])
    assert response.status_code in (200, 302, 413)
    if response.status_code == 302:
        assert response.location.endswith(ORGANISATION)


@fuzz
@given(draft=DRAFT_NAMES, data=form_data({}, [{}]))
def test_registration_organisation_step_never_fails_and_saves_nothing(world, draft, data):
    response = send(world, world.client(REGISTRATION_DRAFTS[draft]), "POST", ORGANISATION, data=data)
    assert response.status_code in (302, 413)


@fuzz
@given(
    draft=DRAFT_NAMES,
    data=form_data(
        {
            "niss": NISS,
            "last_name": NAMES,
            "first_name": NAMES,
            "email": EMAILS,
            "phone": PHONES,
            "language": LANGUAGES,
        },
        [DENISE],
    ),
)
def test_registration_gap_step_never_fails_and_saves_nothing_when_refused(world, draft, data):
    client = world.client(REGISTRATION_DRAFTS[draft])
    response = send(world, client, "POST", GAP_STEP, data=data, shown_again=["last_name", "email"])
    assert response.status_code in (200, 302, 413)
    if response.status_code == 302:
        assert re.search(r"/csam/registration/(confirmation)?$", response.location)


@fuzz
@given(
    draft=DRAFT_NAMES,
    data=form_data(
        {"credentials_by_post": TICKED, "confirm": TICKED},
        [{"confirm": "y"}, {"confirm": "y", "credentials_by_post": "y"}],
    ),
)
def test_registration_confirmation_never_fails_and_registers_nothing_when_refused(world, draft, data):
    client = world.client(REGISTRATION_DRAFTS[draft])
    finalisation = r"/csam/registration/CSAM-\d{4}-\d{6}/finalisation$"
    response = send(world, client, "POST", CONFIRMATION, data=data, accepted=redirected_to(finalisation))
    assert response.status_code in (200, 302, 413)
    if response.status_code == 302:
        assert re.search(f"{finalisation}|{EARLIER_STEP}", response.location)


# ---------------------------------------------------------------------------------------------------------
# Today's CSAM registration page (site version `current`)
# ---------------------------------------------------------------------------------------------------------

CAM_START = "/app032/camregistration/?processType=EH_ORGANIZATION&locale=fr"
CAM_CONFIRMATION = "/app032/camregistration/confirmation?processType=EH_ORGANIZATION&locale=fr"
INSTITUTION_D = {"institution_type": rules.PROJECT_TYPE, "institution_number": INAMI_D}
DENISE_CARD = (RESPONSABLE_D, "1234")
ELODIE_CARD = (SZV_ONLY, "1234")
# Denise may register project D; Anne represents A only (which has its GAP); Élodie is no responsable at all.
REPRESENTATIVES = {
    "Denise (responsable of D)": Browser(login=DENISE_CARD),
    "Anne (GAP of A)": Browser(login=ANNE),
    "Élodie (certificate manager of A)": Browser(login=ELODIE_CARD),
    "not logged in": Browser(),
}


def planted(inami: Any, kind: Any = rules.PROJECT_TYPE) -> dict[str, Any]:
    """A session holding a designation draft this browser never typed."""
    return {"registration": {"identification_type": kind, "inami_number": inami, "submission": "planted"}}


DESIGNATION_DRAFTS = {
    "Denise, institution D chosen": Browser(login=DENISE_CARD, steps=((CAM_START, INSTITUTION_D),)),
    "Denise, no draft": Browser(login=DENISE_CARD),
    "Denise, draft for A (which has its GAP)": Browser(login=DENISE_CARD, session=planted(INAMI_A)),
    "Denise, draft of garbage": Browser(login=DENISE_CARD, session=planted({"x": [1]}, ["hopital"])),
    "Anne, draft for D (not hers)": Browser(login=ANNE, session=planted(INAMI_D)),
    "not logged in, draft for D": Browser(session=planted(INAMI_D)),
}
INSTITUTION_TYPES = st.one_of(st.sampled_from(["", *rules.IDENTIFICATION_TYPES]), GARBAGE)


@fuzz
@given(
    who=mostly(st.just("Denise (responsable of D)"), st.sampled_from(sorted(REPRESENTATIVES))),
    data=form_data(
        {"institution_type": INSTITUTION_TYPES, "institution_number": INAMI, "submit": SUBMIT},
        [
            INSTITUTION_D,
            {"institution_type": rules.PROJECT_TYPE, "institution_number": INAMI_A},
            {"institution_type": "hopital", "institution_number": INAMI_D},
        ],
    ),
)
def test_institution_registration_page_never_fails_and_saves_nothing(current_world, who, data):
    client = current_world.client(REPRESENTATIVES[who])
    response = send(current_world, client, "POST", CAM_START, data=data, shown_again=["institution_number"])
    assert response.status_code in (200, 302, 413)
    if response.status_code == 302:
        assert response.location == CAM_CONFIRMATION or response.location.startswith("/csam/login?next=")


@fuzz
@given(
    draft=mostly(st.just("Denise, institution D chosen"), st.sampled_from(sorted(DESIGNATION_DRAFTS))),
    data=form_data(
        {"email": EMAILS, "phone": PHONES, "credentials_by_post": TICKED, "confirm": TICKED},
        [
            {"email": "denise@projet.example", "phone": "+32 2 123 45 67", "confirm": "y"},
            {"email": "denise@projet.example", "phone": "02/123.45.67", "confirm": "y", "credentials_by_post": "y"},
        ],
    ),
)
def test_designation_confirmation_never_fails_and_registers_nothing_when_refused(current_world, draft, data):
    client = current_world.client(DESIGNATION_DRAFTS[draft])
    finalisation = r"^/csam/registration/CSAM-\d{4}-\d{6}/finalisation$"
    response = send(
        current_world,
        client,
        "POST",
        CAM_CONFIRMATION,
        data=data,
        shown_again=["email", "phone"],
        accepted=redirected_to(finalisation),
    )
    assert response.status_code in (200, 302, 413)
    if response.status_code == 302:
        assert (
            re.search(finalisation, response.location)
            or response.location == CAM_START
            or response.location.startswith("/csam/login?next=")
        ), response.location


# ---------------------------------------------------------------------------------------------------------
# Login and logout (3.6 / 4.6)
# ---------------------------------------------------------------------------------------------------------

EID_LOGIN = {"eid-niss": GAP_A, "eid-pin": "4321", "eid-submit": "Se connecter avec la carte eID"}
PASSWORD_LOGIN = {"pwd-username": "LotjeDeRidder", "pwd-password": STRONG_PASSWORD, "pwd-submit": "Se connecter"}
LOGIN_BROWSERS = {
    "new": Browser(),
    "logged in as Anne": Browser(login=ANNE, reusable=False),
    "forged session": Browser(session={"sid": "forged", "person_id": 1, "person_name": "Anne Lambert"}),
}
NEXT_TARGETS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "/csam/access/",
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            " /csam/access/",
            "/%2F/evil.example",
            "javascript:alert(1)",
        ]
    ),
    ANY_TEXT.map(lambda text: "/" + text),
    ANY_TEXT,
)


def stays_on_site(location: str) -> bool:
    """Where a browser goes with this Location: it drops tabs and newlines, reads backslashes as slashes and
    trims control characters and spaces at both ends (WHATWG URL parsing)."""
    seen = re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip("".join(map(chr, range(0x21))))
    return urlsplit(urljoin("http://localhost/csam/login", seen)).netloc == "localhost"


@fuzz
@given(
    browser=st.sampled_from(sorted(LOGIN_BROWSERS)),
    next_=NEXT_TARGETS,
    data=form_data(
        {
            "eid-niss": NISS,
            "eid-pin": st.one_of(st.sampled_from(["4321", "1234", " 4321 "]), GARBAGE),
            "eid-submit": SUBMIT,
            "pwd-username": USERNAMES,
            "pwd-password": PASSWORDS,
            "pwd-submit": SUBMIT,
        },
        [EID_LOGIN, PASSWORD_LOGIN, {"eid-niss": COGAP_A, "eid-pin": "1234", "eid-submit": "x"}],
    ),
)
def test_login_with_either_form_never_fails_and_logs_no_one_in_when_refused(world, browser, next_, data):
    client = world.client(LOGIN_BROWSERS[browser])
    before = logged_in_id(client)
    # A POST without either button shows the page again, without errors.
    response = send(
        world,
        client,
        "POST",
        "/csam/login",
        data=data,
        query_string={} if next_ is None else {"next": next_},
        shown_again=["eid-niss", "pwd-username"],
        refusal_shows_errors=False,
    )
    assert response.status_code in (200, 302, 413)
    if response.status_code == 302:
        assert logged_in_id(client) is not None
        assert stays_on_site(response.location), response.location
    else:
        assert logged_in_id(client) == before


@fuzz
@given(browser=st.sampled_from(sorted(LOGIN_BROWSERS)), data=form_data({}, [{}]))
def test_logout_never_fails_and_always_logs_out(world, browser, data):
    client = world.client(LOGIN_BROWSERS[browser])
    response = send(world, client, "POST", "/csam/logout", data=data)
    assert response.status_code in (302, 413)
    if response.status_code == 302:
        assert response.location == "/csam/access/"
        assert logged_in_id(client) is None


# ---------------------------------------------------------------------------------------------------------
# Access management: users, co-GAPs, deletion, roles (3.10-3.12 / 4.10-4.22)
# ---------------------------------------------------------------------------------------------------------

MEMBER_STEP = "/csam/access/{pid}/inami/{segment}/nouveau"
USERS = "/csam/access/{pid}/inami/utilisateurs"
USERS_SEGMENT, COGAPS_SEGMENT = "utilisateurs", "cogestionnaires"
OTHER_SEGMENT = {USERS_SEGMENT: COGAPS_SEGMENT, COGAPS_SEGMENT: USERS_SEGMENT}
NEW_MEMBER_DATA = {
    "last_name": "De Ridder",
    "first_name": "Lotje",
    "email": "lotje@projet.example",
    "phone": "+32 9 123 45 67",
    "language": "nl",
    "username": "NouvelUtilisateur",
    "password": STRONG_PASSWORD,
    "applications": [INCLUSION_APP],
}
ACTORS = {"Anne (GAP)": Browser(login=ANNE), "Marc (co-GAP)": Browser(login=MARC)}


@dataclass(frozen=True)
class Wizard:
    """A browser in the add-member wizard for users or for co-GAPs (the URL segment)."""

    browser: Browser
    segment: str = USERS_SEGMENT


def adding(actor: tuple[str, str], segment: str, niss: str, data: dict[str, Any] | None = None) -> Wizard:
    """An access manager in the add-member wizard: NISS step done, and the data step when `data` is given."""
    prefix = "user" if segment == USERS_SEGMENT else "cogap"
    step = MEMBER_STEP.replace("{pid}", "{a}").replace("{segment}", segment)
    steps = [(step, {f"{prefix}-niss": niss})] + ([(step + "/donnees", data)] if data else [])
    return Wizard(Browser(login=actor, steps=tuple(steps)), segment)


MEMBER_DRAFTS = {
    "Anne, no draft": Wizard(ACTORS["Anne (GAP)"]),
    "Anne, user with a first-time NISS": adding(ANNE, USERS_SEGMENT, NEW),
    "Anne, user known with an account": adding(ANNE, USERS_SEGMENT, USER_B),
    "Anne, user known without an account": adding(ANNE, USERS_SEGMENT, SZV_ONLY),
    "Anne, co-GAP with a first-time NISS": adding(ANNE, COGAPS_SEGMENT, NEW),
    "Marc, user with a first-time NISS": adding(MARC, USERS_SEGMENT, NEW),
}
CONFIRMATION_DRAFTS = {
    "Anne, no draft": Wizard(ACTORS["Anne (GAP)"]),
    "Anne, NISS only": adding(ANNE, USERS_SEGMENT, NEW),
    "Anne, user's data given": adding(ANNE, USERS_SEGMENT, NEW, NEW_MEMBER_DATA),
    "Anne, known user's data given": adding(ANNE, USERS_SEGMENT, USER_B, NEW_MEMBER_DATA),
    "Anne, co-GAP's data given": adding(ANNE, COGAPS_SEGMENT, NEW, NEW_MEMBER_DATA),
    "Marc, user's data given": adding(MARC, USERS_SEGMENT, NEW, NEW_MEMBER_DATA),
}
# Now and then the request goes to the other wizard, which has no draft.
OTHER_WIZARD = mostly(st.just(False), st.just(True))


@fuzz
@given(
    actor=st.sampled_from(sorted(ACTORS)),
    pid=PROJECT_IDS,
    segment=st.sampled_from(sorted(OTHER_SEGMENT)),
    data=form_data(
        {"user-niss": NISS, "cogap-niss": NISS, "user-submit": SUBMIT, "cogap-submit": SUBMIT},
        [{"user-niss": NEW}, {"cogap-niss": SZV_ONLY}, {"user-niss": USER_B}],
    ),
)
def test_new_member_niss_step_never_fails_and_saves_nothing_when_refused(world, actor, pid, segment, data):
    prefix = "user" if segment == USERS_SEGMENT else "cogap"
    url = world.url(MEMBER_STEP, pid=pid, segment=segment)
    response = send(world, world.client(ACTORS[actor]), "POST", url, data=data, shown_again=[f"{prefix}-niss"])
    assert response.status_code in (200, 302, 403, 404, 413)
    if response.status_code == 302:
        assert response.location == url + "/donnees"


def wizard_url(world: World, wizard: Wizard, step: str, pid: Any, other_wizard: bool) -> str:
    """The URL of a step of the wizard (or of the other one)."""
    segment = OTHER_SEGMENT[wizard.segment] if other_wizard else wizard.segment
    return world.url(MEMBER_STEP + step, pid=pid, segment=segment)


@fuzz
@given(
    draft=st.sampled_from(sorted(MEMBER_DRAFTS)),
    pid=PROJECT_IDS,
    other_wizard=OTHER_WIZARD,
    data=form_data(
        {
            "niss": NISS,
            "last_name": NAMES,
            "first_name": NAMES,
            "email": EMAILS,
            "phone": PHONES,
            "language": LANGUAGES,
            "username": USERNAMES,
            "password": PASSWORDS,
            "applications": APPLICATIONS,
            "submit": SUBMIT,
        },
        [NEW_MEMBER_DATA, {"email": "dirk@projet.example", "language": "fr"}],
    ),
)
def test_member_data_form_never_fails_and_saves_nothing_when_refused(world, draft, pid, other_wizard, data):
    wizard = MEMBER_DRAFTS[draft]
    url = wizard_url(world, wizard, "/donnees", pid, other_wizard)
    response = send(world, world.client(wizard.browser), "POST", url, data=data, shown_again=["email"])
    assert response.status_code in (200, 302, 403, 404, 413)


@fuzz
@given(
    draft=st.sampled_from(sorted(CONFIRMATION_DRAFTS)),
    pid=PROJECT_IDS,
    other_wizard=OTHER_WIZARD,
    data=form_data({"confirm": TICKED, "cancel": TICKED}, [{"confirm": "Confirmer"}, {"cancel": "Annuler"}]),
)
def test_member_confirmation_never_fails_and_creates_no_one_unless_confirmed(world, draft, pid, other_wizard, data):
    wizard = CONFIRMATION_DRAFTS[draft]
    client = world.client(wizard.browser)
    url = wizard_url(world, wizard, "/confirmation", pid, other_wizard)
    created = "a été créé"
    # Neither button (a forged request): the summary again, nothing done.
    response = send(
        world,
        client,
        "POST",
        url,
        data=data,
        refusal_shows_errors=False,
        accepted=lambda answer: answer.status_code == 302 and flashed(client, created),
    )
    assert response.status_code in (200, 302, 403, 404, 413)


@fuzz
@given(
    actor=st.sampled_from(sorted(ACTORS)),
    pid=PROJECT_IDS,
    data=form_data(
        {
            "selected": st.one_of(MEMBER_IDS, MEMBER_IDS.map(padded), GARBAGE),
            "action": st.one_of(st.sampled_from(["supprimer", "", "Supprimer"]), GARBAGE),
            "submit": SUBMIT,
        },
        [
            {"selected": [Ref("user_a")], "action": "supprimer"},
            {"selected": [Ref("user_a"), Ref("cogap_a")], "action": "supprimer"},
        ],
    ),
)
def test_users_action_never_fails_and_deletes_nothing_when_refused(world, actor, pid, data):
    client = world.client(ACTORS[actor])
    url = world.url(USERS + "/action", pid=pid)
    response = send(
        world,
        client,
        "POST",
        url,
        data=data,
        accepted=lambda answer: answer.status_code == 302 and flashed(client, "supprimé"),
    )
    assert response.status_code in (200, 302, 404, 413)
    if response.status_code == 200:
        # The page shows again which members were ticked.
        selected = world.resolve(data.get("selected", []))
        html = response.get_data(as_text=True)
        for value in selected if isinstance(selected, list) else [selected]:
            checkbox = re.search(rf'<input[^>]*id="select-{re.escape(str(value))}"[^>]*>', html)
            assert checkbox is None or "checked" in checkbox.group(0), f"member {value} no longer ticked"


@fuzz
@given(
    actor=st.sampled_from(sorted(ACTORS)),
    pid=PROJECT_IDS,
    member=MEMBER_IDS,
    data=form_data(
        {"functions": FUNCTIONS, "start_date": DATES, "end_date": DATES, "submit": SUBMIT},
        [
            {"functions": [GESTIONNAIRE], "start_date": "2024-05-01", "end_date": ""},
            {"functions": [GESTIONNAIRE, COORDINATEUR], "start_date": "01/06/2024", "end_date": "2025-12-31"},
        ],
    ),
)
def test_member_roles_form_never_fails_and_changes_nothing_when_refused(world, actor, pid, member, data):
    url = world.url("/csam/access/{pid}/inami/fonctions/{member}", pid=pid, member=member)
    added = "Le rôle a été ajouté"
    response = send(
        world,
        world.client(ACTORS[actor]),
        "POST",
        url,
        data=data,
        shown_again=["start_date"],
        accepted=lambda answer: answer.status_code == 200 and added in answer.get_data(as_text=True),
    )
    assert response.status_code in (200, 404, 413)


@fuzz
@given(
    actor=st.sampled_from(sorted(ACTORS)),
    pid=PROJECT_IDS,
    member=MEMBER_IDS,
    data=form_data(
        {"applications": APPLICATIONS, "submit": SUBMIT},
        [{"applications": [INCLUSION_APP]}, {"applications": ["ehealthbox", INCLUSION_APP]}, {}],
    ),
)
def test_member_applications_form_never_fails_and_changes_nothing_when_refused(world, actor, pid, member, data):
    client = world.client(ACTORS[actor])
    url = world.url("/csam/access/{pid}/inami/utilisateurs/{member}/applications", pid=pid, member=member)
    response = send(
        world,
        client,
        "POST",
        url,
        data=data,
        accepted=lambda answer: answer.status_code == 302 and flashed(client, "ont été enregistrées"),
    )
    assert response.status_code in (200, 302, 403, 404, 413)


# ---------------------------------------------------------------------------------------------------------
# Inclusion application
# ---------------------------------------------------------------------------------------------------------

INCLUDERS = {
    "Lotje (gestionnaire)": Browser(login=LOTJE),
    "Anne (no role)": Browser(login=ANNE),
    "not logged in": Browser(),
}


@fuzz
@given(
    who=mostly(st.just("Lotje (gestionnaire)"), st.sampled_from(sorted(INCLUDERS))),
    pid=PROJECT_IDS,
    action=st.sampled_from(["inclure", "exclure"]),
    data=form_data(
        {
            "inclure-niss": NISS,
            "inclure-start_date": DATES,
            "exclure-niss": NISS,
            "exclure-end_date": DATES,
            "inclure-submit": SUBMIT,
            "exclure-submit": SUBMIT,
        },
        [
            {"inclure-niss": NEW, "inclure-start_date": "01/07/2024"},
            {"exclure-niss": PATIENT, "exclure-end_date": "2025-01-31"},
            {"inclure-niss": PATIENT, "inclure-start_date": "2024-07-01"},
        ],
    ),
)
def test_inclusion_forms_never_fail_and_change_nothing_when_refused(world, who, pid, action, data):
    client = world.client(INCLUDERS[who])
    url = world.url("/mycarenet/inclusion/{pid}/{action}", pid=pid, action=action)
    response = send(
        world,
        client,
        "POST",
        url,
        data=data,
        shown_again=[f"{action}-niss"],
        accepted=lambda answer: answer.status_code == 302 and flashed(client, "Le patient"),
    )
    assert response.status_code in (200, 302, 403, 404, 413)


# ---------------------------------------------------------------------------------------------------------
# Control API
# ---------------------------------------------------------------------------------------------------------

PROJECT_KEYS = (
    "inami_number",
    "name",
    "address",
    "street",
    "postal_code",
    "city",
    "persons",
    "niss",
    "first_name",
    "last_name",
    "language",
    "sex",
    "szv_role",
    "email",
    "phone",
    "pin",
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, st.sampled_from(NASTY[:-1])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(PROJECT_KEYS), ANY_TEXT), inner, max_size=5),
    ),
    max_leaves=15,
)
VALID_PROJECTS = st.one_of(
    faked(builders.project),
    faked(builders.project).map(lambda p: {**p, "inami_number": INAMI_A}),
    faked(builders.project).map(lambda p: {**p, "persons": [{**p["persons"][0], "niss": GAP_A}, *p["persons"][1:]]}),
)
# Valid projects whose INAMI number or responsable's NISS comes from the form fields' strategies.
ODD_IDENTIFIERS = st.builds(
    lambda p, inami, niss, which: (
        {**p, "inami_number": inami}
        if which
        else {**p, "persons": [{**p["persons"][0], "niss": niss}, *p["persons"][1:]]}
    ),
    faked(builders.project),
    INAMI,
    NISS,
    st.booleans(),
)


def json_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every path to a value inside a JSON document, the document itself first."""
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from json_paths(child, (*path, key))


@st.composite
def mutated_projects(draw: st.DrawFn) -> Any:
    """A valid project with one to three changes anywhere inside: a value replaced by any JSON or by garbage
    text, a key or an item dropped, an item (a person) repeated."""
    project = copy.deepcopy(draw(VALID_PROJECTS))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(json_paths(project))))
        if not path:
            project = draw(JSON_VALUES)
            continue
        parent = project
        for key in path[:-1]:
            parent = parent[key]
        change = draw(st.sampled_from(["json", "text", "drop", "repeat"]))
        if change == "drop":
            del parent[path[-1]]
        elif change == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[path[-1]] = draw(JSON_VALUES if change == "json" else GARBAGE)
    return project


SZV_BODIES = st.one_of(
    *(
        values.map(lambda value: json.dumps(value, ensure_ascii=False))
        for values in (JSON_VALUES, VALID_PROJECTS, ODD_IDENTIFIERS, mutated_projects())
    ),
    st.binary(max_size=100),
)


@fuzz
@given(
    body=SZV_BODIES,
    content_type=mostly(
        st.just("application/json"), st.sampled_from(["text/plain", "application/x-www-form-urlencoded"])
    ),
)
def test_szv_project_recording_never_fails_and_records_nothing_when_refused(world, body, content_type):
    response = send_body(world, "POST", "/_mock/szv/projects", body, (201,), content_type=content_type)
    assert response.status_code in (201, 400, 413)


REFS = st.one_of(
    st.sampled_from([Ref("pending"), Ref("active"), Ref("pending_id"), Ref("active_id")]),
    st.integers(-5, 2**70).map(str),
    UNICODE_DIGITS,
    GARBAGE,
)


@fuzz
@given(ref=REFS)
def test_signed_document_reception_never_fails_and_activates_nothing_when_refused(world, ref):
    url = f"/_mock/registrations/{quote(world.resolve(ref), safe='')}/signed-document-received"
    response = send(world, world.app.test_client(), "POST", url, accepted=lambda answer: answer.status_code == 200)
    assert response.status_code in (200, 400, 404, 405)


@fuzz
@given(niss=st.one_of(NISS, UNICODE_DIGITS))
def test_mailbox_never_fails_for_any_niss(world, niss):
    response = send(world, world.app.test_client(), "GET", f"/_mock/mailbox/{quote(niss, safe='')}")
    assert response.status_code in (200, 308, 400, 404, 405)
    if response.status_code == 200:
        body = response.get_json()
        assert set(body) == {"niss", "letters"} and re.fullmatch(r"[0-9]{11}", body["niss"]), body


CLOCK_BODIES = st.one_of(
    st.fixed_dictionaries(
        {"today": st.one_of(st.none(), DATES, st.dates().map(lambda d: d.isoformat()), GARBAGE, JSON_VALUES)}
    ).map(json.dumps),
    JSON_VALUES.map(json.dumps),
    st.binary(max_size=60),
)


@fuzz
@given(body=CLOCK_BODIES, content_type=mostly(st.just("application/json"), st.just("text/plain")))
def test_clock_setting_never_fails_and_keeps_the_date_when_refused(world, body, content_type):
    response = send_body(world, "POST", "/_mock/clock", body, (200,), content_type=content_type)
    assert response.status_code in (200, 400, 413)
    if response.status_code == 200:
        # Accepted: the date the mock lives on is the one sent, or the real date again for null.
        sent = json.loads(body)["today"]
        assert response.get_json()["fixed"] is (sent is not None)
        if sent is not None:
            assert response.get_json()["today"] == sent
        world.reseed()


CARE_PROVIDER = {
    "niss": NEW,
    "first_name": "Nadia",
    "last_name": "Haddad",
    "profession": "infirmier",
    "inami_number": INAMI_A,
}
CARE_PROVIDER_BODIES = st.one_of(
    form_data(
        {
            "niss": NISS,
            "first_name": NAMES,
            "last_name": NAMES,
            "profession": st.one_of(st.sampled_from(PROFESSIONS), GARBAGE),
            "inami_number": INAMI,
            "language": LANGUAGES,
            "pin": st.one_of(st.just("1234"), GARBAGE),
        },
        [CARE_PROVIDER, {**CARE_PROVIDER, "niss": GAP_A, "profession": "administratif"}],
    ),
    JSON_VALUES,
).map(lambda body: json.dumps(body, ensure_ascii=False))


@fuzz
@given(body=CARE_PROVIDER_BODIES)
def test_care_provider_recording_never_fails_and_records_nothing_when_refused(world, body):
    response = send_body(world, "POST", "/_mock/care-providers", body, (201,))
    assert response.status_code in (201, 400, 413)


FAULT_KEYS = ("route", "ms", "status", "fails", "reason", "after_requests", "never_arrives")
FAULT_VALUES = st.one_of(
    JSON_VALUES,
    st.integers(-10, 70_000),
    st.booleans(),
    st.sampled_from(
        ["/", "/csam/*", "/csam/access/*/utilisateurs", "/[", "/_mock", "/_mock/state", "csam", "", "no_reader"]
    ),
)
FAULT_SETTINGS = st.dictionaries(st.one_of(st.sampled_from(FAULT_KEYS), ANY_TEXT), FAULT_VALUES, max_size=3)
FAULT_BODIES = st.one_of(
    st.dictionaries(
        st.one_of(st.sampled_from(FAULT_NAMES), ANY_TEXT),
        st.one_of(FAULT_SETTINGS, st.lists(FAULT_SETTINGS, max_size=2), JSON_VALUES),
        max_size=3,
    ),
    JSON_VALUES,
).map(lambda body: json.dumps(body, ensure_ascii=False)) | st.binary(max_size=60)


@fuzz
@given(body=FAULT_BODIES, content_type=mostly(st.just("application/json"), st.just("text/plain")))
def test_fault_switches_never_fail_and_switch_nothing_when_refused(world, body, content_type):
    switches = world.app.extensions["csam_faults"].default
    switches.switch_off()
    response = send(world, world.app.test_client(), "PUT", "/_mock/faults", data=body, content_type=content_type)
    assert response.status_code in (200, 400, 413)
    if response.status_code != 200:
        assert switches.snapshot() == {}
    switches.switch_off()


# The preconditions' endpoints: project A (Anne's, with Marc as co-GAP and Lotje as «gestionnaire») most of the time.
PROJECT_INAMIS = mostly(st.just(INAMI_A), INAMI)


def JSON_OR(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A field's values, or any JSON at all."""
    return st.one_of(values, JSON_VALUES)


def json_body(fields: dict[str, st.SearchStrategy[Any]], valid: list[dict[str, Any]]) -> st.SearchStrategy[str]:
    """A JSON body: one of the valid ones with a few fields spoiled, every field fuzzed, or any JSON value."""
    spoiled = {name: JSON_OR(values) for name, values in fields.items()}
    return st.one_of(form_data(spoiled, valid), JSON_VALUES).map(lambda body: json.dumps(body, ensure_ascii=False))


def control_url(template: str, inami: str, **parts: Any) -> str:
    return template.format(inami=quote(inami, safe=""), **parts)


GAP_CONTACT = {
    "niss": RESPONSABLE_D,
    "last_name": "Martin",
    "first_name": "Denise",
    "email": "denise@projet.example",
    "phone": "+32 2 123 45 67",
    "language": "fr",
}


@fuzz
@given(
    inami=mostly(st.sampled_from([INAMI_D, INAMI_A, INAMI_C]), INAMI),
    body=json_body(
        {
            "gap": st.one_of(
                st.fixed_dictionaries({k: JSON_OR(st.just(v)) for k, v in GAP_CONTACT.items()}),
                st.fixed_dictionaries(
                    {
                        "niss": NISS,
                        "last_name": NAMES,
                        "first_name": NAMES,
                        "email": EMAILS,
                        "phone": PHONES,
                        "language": LANGUAGES,
                    }
                ),
            ),
            "credentials_by_post": JSON_OR(st.booleans()),
            "signed": JSON_OR(st.booleans()),
        },
        [{"gap": GAP_CONTACT, "signed": True}, {"gap": GAP_CONTACT, "credentials_by_post": True}],
    ),
)
def test_registration_precondition_never_fails_and_registers_nothing_when_refused(world, inami, body):
    response = send_body(world, "POST", control_url("/_mock/projects/{inami}/registrations", inami), body, (201,))
    assert response.status_code in (201, 400, 404, 405, 413)  # 405: an empty number


NEW_USER = {
    "actor_niss": GAP_A,
    "kind": USER,
    "niss": NEW,
    "last_name": "Nouveau",
    "first_name": "Nora",
    "email": "nora@projet.example",
    "language": "fr",
    "username": "NouvelUtilisateur",
    "password": STRONG_PASSWORD,
    "applications": [INCLUSION_APP],
}


@fuzz
@given(
    inami=PROJECT_INAMIS,
    body=json_body(
        {
            "actor_niss": st.sampled_from([GAP_A, COGAP_A, USER_A, GAP_B, NEW]) | NISS,
            "kind": st.sampled_from([USER, COGAP, GAP]) | GARBAGE,
            "niss": NISS,
            "last_name": NAMES,
            "first_name": NAMES,
            "email": EMAILS,
            "phone": PHONES,
            "language": LANGUAGES,
            "username": USERNAMES,
            "password": PASSWORDS,
            "applications": st.lists(APPLICATIONS, max_size=3),
        },
        [NEW_USER, {**NEW_USER, "kind": COGAP}, {**NEW_USER, "actor_niss": COGAP_A, "niss": SZV_ONLY}],
    ),
)
def test_member_precondition_never_fails_and_creates_no_one_when_refused(world, inami, body):
    response = send_body(world, "POST", control_url("/_mock/projects/{inami}/members", inami), body, (201,))
    assert response.status_code in (201, 400, 404, 405, 413)  # 405: an empty number


@fuzz
@given(
    inami=PROJECT_INAMIS,
    member=MEMBER_IDS,
    body=json_body(
        {
            "actor_niss": st.sampled_from([GAP_A, COGAP_A, USER_A]) | NISS,
            "functions": st.lists(FUNCTIONS, max_size=3),
            "start_date": DATES,
            "end_date": DATES,
        },
        [
            {"actor_niss": GAP_A, "functions": [COORDINATEUR], "start_date": "2024-05-01", "end_date": None},
            {
                "actor_niss": COGAP_A,
                "functions": [GESTIONNAIRE, COORDINATEUR],
                "start_date": "01/06/2024",
                "end_date": "2025-12-31",
            },
        ],
    ),
)
def test_roles_precondition_never_fails_and_changes_nothing_when_refused(world, inami, member, body):
    url = control_url(
        "/_mock/projects/{inami}/members/{member}/roles", inami, member=quote(str(world.resolve(member)), safe="")
    )
    response = send_body(world, "PUT", url, body, (200,))
    assert response.status_code in (200, 400, 404, 405, 413)  # 405: an empty number


@fuzz
@given(
    inami=PROJECT_INAMIS,
    action=st.sampled_from(["inclusions", "exclusions"]),
    body=json_body(
        {
            "by_niss": st.sampled_from([USER_A, GAP_A, NEW]) | NISS,
            "patient_niss": NISS,
            "start_date": DATES,
            "end_date": DATES,
        },
        [
            {"by_niss": USER_A, "patient_niss": NEW, "start_date": "2024-07-01"},
            {"by_niss": USER_A, "patient_niss": PATIENT, "end_date": "2025-01-31"},
            {"by_niss": USER_A, "patient_niss": PATIENT, "start_date": "2024-07-01"},
        ],
    ),
)
def test_inclusion_preconditions_never_fail_and_change_nothing_when_refused(world, inami, action, body):
    url = control_url("/_mock/projects/{inami}/{action}", inami, action=action)
    response = send_body(world, "POST", url, body, (200, 201))
    assert response.status_code in (200, 201, 400, 404, 405, 413)  # 405: an empty number


@fuzz
@given(inami=mostly(st.sampled_from(INAMIS), INAMI), method=st.sampled_from(["GET", "DELETE"]))
def test_one_project_never_fails_and_is_deleted_only_when_found(world, inami, method):
    response = send(
        world,
        world.app.test_client(),
        method,
        control_url("/_mock/projects/{inami}", inami),
        accepted=lambda answer: method == "DELETE" and answer.status_code == 200,
    )
    assert response.status_code in (200, 308, 404, 405)
    if response.status_code == 200 and method == "GET":
        assert response.get_json()["inami_number"] == clean_digits(inami)


# Endpoints that take input in either site version, and the test that fuzzes each; reset takes none and always
# empties the state.
FUZZED = {
    "registration.start": test_registration_identification_step_never_fails_and_saves_nothing_when_refused,
    "registration.organisation": test_registration_organisation_step_never_fails_and_saves_nothing,
    "registration.gap": test_registration_gap_step_never_fails_and_saves_nothing_when_refused,
    "registration.confirmation": test_registration_confirmation_never_fails_and_registers_nothing_when_refused,
    "camregistration.start": test_institution_registration_page_never_fails_and_saves_nothing,
    "camregistration.confirmation": test_designation_confirmation_never_fails_and_registers_nothing_when_refused,
    "auth.login": test_login_with_either_form_never_fails_and_logs_no_one_in_when_refused,
    "auth.logout": test_logout_never_fails_and_always_logs_out,
    "access.new_member": test_new_member_niss_step_never_fails_and_saves_nothing_when_refused,
    "access.member_data": test_member_data_form_never_fails_and_saves_nothing_when_refused,
    "access.member_confirmation": test_member_confirmation_never_fails_and_creates_no_one_unless_confirmed,
    "access.users_action": test_users_action_never_fails_and_deletes_nothing_when_refused,
    "access.member_roles": test_member_roles_form_never_fails_and_changes_nothing_when_refused,
    "access.member_applications": test_member_applications_form_never_fails_and_changes_nothing_when_refused,
    "inclusion.change": test_inclusion_forms_never_fail_and_change_nothing_when_refused,
    "control.create_project": test_szv_project_recording_never_fails_and_records_nothing_when_refused,
    "control.signed_document_received": test_signed_document_reception_never_fails_and_activates_nothing_when_refused,
    "control.set_clock": test_clock_setting_never_fails_and_keeps_the_date_when_refused,
    "control.create_care_provider": test_care_provider_recording_never_fails_and_records_nothing_when_refused,
    "control.mailbox": test_mailbox_never_fails_for_any_niss,
    "faults.switch_on": test_fault_switches_never_fail_and_switch_nothing_when_refused,
    "control.create_registration": test_registration_precondition_never_fails_and_registers_nothing_when_refused,
    "control.create_member": test_member_precondition_never_fails_and_creates_no_one_when_refused,
    "control.set_roles": test_roles_precondition_never_fails_and_changes_nothing_when_refused,
    "control.include": test_inclusion_preconditions_never_fail_and_change_nothing_when_refused,
    "control.exclude": test_inclusion_preconditions_never_fail_and_change_nothing_when_refused,
    "control.get_project": test_one_project_never_fails_and_is_deleted_only_when_found,
    "control.delete_project": test_one_project_never_fails_and_is_deleted_only_when_found,
}
WITHOUT_INPUT = {"control.reset"}


def test_every_endpoint_that_takes_input_is_fuzzed():
    taking_input = set()
    for version in SITE_VERSIONS:
        app = create_app({"TESTING": True, "DATABASE": ":memory:", "CONTROL_API": True, "SITE_VERSION": version})
        taking_input |= {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods or (rule.endpoint.startswith("control.") and rule.arguments)
        }
        app.extensions["csam_store"].dispose()
    assert taking_input - WITHOUT_INPUT == set(FUZZED)
