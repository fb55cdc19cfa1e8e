"""The mock's own security: CSRF on every form, session cookie and login ids, headers, hashed passwords, escaping.

A stand-in for a government access-management site must not be the weak link of a test environment: these
tests hold it to what a careful site does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import (
    GAP_A,
    INAMI_A,
    NEW_1,
    NEW_2,
    STRONG_PASSWORD,
    login_eid,
    login_password,
    seed_member,
    seed_world,
    state,
)
from markupsafe import escape

from mock_csam import create_app
from mock_csam.domain import rules
from mock_csam.domain.models import Account

# Every blueprint but the control API (JSON for tools, off by default) serves HTML forms.
NOT_HTML = ("control",)
CSRF_PAGE = "Formulaire expiré"
SESSION_COOKIE = "session"


def _app(tmp_path: Path | None = None, **config: Any) -> Flask:
    database = str(tmp_path / "mock.sqlite3") if tmp_path else ":memory:"
    return create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "security", **config})


@pytest.fixture
def app() -> Iterator[Flask]:
    """The mock as it is served: CSRF on, no control API."""
    app = _app()
    yield app
    app.extensions["csam_store"].dispose()


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """Projects A, B and C of test_login_and_access, and a user of A with an account."""
    world = seed_world(app)
    world["user"] = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    return world


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token a page hands out in its forms."""
    found = re.search(
        r'<input[^>]*name="[\w-]*csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)
    )
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def log_in(client: FlaskClient, niss: str = GAP_A, pin: str = "4321") -> None:
    """The eID login as a browser does it, CSRF token included."""
    token = csrf_token(client, "/csam/login")
    response = client.post(
        "/csam/login",
        data={"csrf_token": token, "eid-niss": niss, "eid-pin": pin, "eid-submit": "Se connecter avec la carte eID"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie(SESSION_COOKIE)
    return cookie.value if cookie else None


def sid_of(app: Flask, client: FlaskClient) -> str | None:
    """The login id the browser's session cookie carries."""
    with client.session_transaction() as sess:
        return sess.get("sid")


def users_url(world: dict[str, Any]) -> str:
    return f"/csam/access/{world['a']}/inami/utilisateurs"


# ---------------------------------------------------------------------------------------------------------
# CSRF
# ---------------------------------------------------------------------------------------------------------


def _post_routes(app: Flask) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint.split(".")[0] not in NOT_HTML
    )


def _post_urls(world: dict[str, Any]) -> dict[str, list[str]]:
    a = f"/csam/access/{world['a']}/inami"
    return {
        "registration.start": ["/csam/registration/"],
        "registration.organisation": ["/csam/registration/organisation"],
        "registration.gap": ["/csam/registration/gestionnaire"],
        "registration.confirmation": ["/csam/registration/confirmation"],
        "auth.login": ["/csam/login"],
        "auth.logout": ["/csam/logout"],
        "access.new_member": [f"{a}/utilisateurs/nouveau", f"{a}/cogestionnaires/nouveau"],
        "access.users_action": [f"{a}/utilisateurs/action"],
        "access.member_data": [f"{a}/utilisateurs/nouveau/donnees", f"{a}/cogestionnaires/nouveau/donnees"],
        "access.member_confirmation": [
            f"{a}/utilisateurs/nouveau/confirmation",
            f"{a}/cogestionnaires/nouveau/confirmation",
        ],
        "access.member_roles": [f"{a}/fonctions/{world['user']}"],
        "access.member_applications": [f"{a}/utilisateurs/{world['user']}/applications"],
        "inclusion.change": [
            f"/mycarenet/inclusion/{world['a']}/inclure",
            f"/mycarenet/inclusion/{world['a']}/exclure",
        ],
    }


def test_every_form_refuses_a_post_without_the_csrf_token(app: Flask, world: dict[str, Any]) -> None:
    urls = _post_urls(world)
    assert sorted(urls) == _post_routes(app), "every form route of the site is in this table"
    client = app.test_client()
    log_in(client)
    # Valid answers: without the CSRF check, several of these would change the state.
    body = {
        "eid-niss": GAP_A,
        "eid-pin": "4321",
        "eid-submit": "x",
        "user-niss": NEW_2,
        "cogap-niss": NEW_2,
        "selected": str(world["user"]),
        "action": "delete",
        "functions": "gestionnaire",
        "start_date": "2024-05-01",
        "confirm": "y",
        "identification_type": rules.PROJECT_TYPE,
        "inami_number": INAMI_A,
        "applications": "ehealthbox",
        "inclure-niss": NEW_2,
        "inclure-start_date": "01/05/2024",
    }
    before = state(app)
    sid = sid_of(app, client)
    for endpoint, paths in urls.items():
        for path in paths:
            for token in (None, "forged-token"):
                data = body if token is None else {**body, "csrf_token": token}
                response = client.post(path, data=data)
                assert response.status_code == 400, (endpoint, path, token)
                assert CSRF_PAGE in response.get_data(as_text=True), (endpoint, path)
    assert state(app) == before, "nothing was saved"
    assert sid_of(app, client) == sid, "no login and no logout happened"
    assert client.get(users_url(world)).status_code == 200, "still logged in: the logout was refused too"


# ---------------------------------------------------------------------------------------------------------
# The session: cookie flags, a new login id at each login, logout ends it everywhere
# ---------------------------------------------------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    token = csrf_token(client, "/csam/login")
    response = client.post(
        "/csam/login", data={"csrf_token": token, "eid-niss": GAP_A, "eid-pin": "4321", "eid-submit": "x"}
    )
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{SESSION_COOKIE}=")]
    assert cookies, "the login sets the session cookie"
    flags = {part.strip().lower() for part in cookies[-1].split(";")[1:]}
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_login_starts_a_new_session(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    # A session that exists before the login (here: one an attacker could have planted, with a login id).
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        planted = rules.start_login_session(db, db.query(Account).filter_by(username="LotjeDeRidder").one().person)
    with client.session_transaction() as sess:
        sess["sid"] = planted
    before = session_cookie(client)

    log_in(client)
    first = sid_of(app, client)
    assert first and first != planted, "the login got a new id"
    assert session_cookie(client) != before
    log_in(client)
    second = sid_of(app, client)
    assert second and second not in (first, planted), "every login gets a new id"

    for old in (planted, first):
        stale = app.test_client()
        with stale.session_transaction() as sess:
            sess["sid"] = old
        assert stale.get(users_url(world)).status_code == 302, "an id replaced at login no longer works"


def test_logout_ends_the_session_even_for_a_copied_cookie(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    log_in(client)
    assert client.get(users_url(world)).status_code == 200
    copied = session_cookie(client)

    token = csrf_token(client, users_url(world))
    assert client.post("/csam/logout", data={"csrf_token": token}).status_code == 302
    assert client.get(users_url(world)).status_code == 302

    other = app.test_client()
    other.set_cookie(SESSION_COOKIE, copied)
    response = other.get(users_url(world))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/csam/login")


def test_an_ended_login_shows_the_login_page_not_the_project(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    log_in(client)
    copied = session_cookie(client)
    client.post("/csam/logout", data={"csrf_token": csrf_token(client, users_url(world))})
    other = app.test_client()
    other.set_cookie(SESSION_COOKIE, copied)
    page = other.get(users_url(world), follow_redirects=True).get_data(as_text=True)
    assert "Projet Alpha" not in page and "Lotje" not in page
    assert "Se déconnecter" not in page, "the page no longer greets the logged-out person"


# ---------------------------------------------------------------------------------------------------------
# Headers, errors
# ---------------------------------------------------------------------------------------------------------


def test_security_headers_on_every_answer(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    log_in(client)
    paths = [
        "/",
        "/fr/professionnels",
        "/csam/registration/",
        "/csam/login",
        "/csam/access/entites",
        users_url(world),
        "/page-qui-n-existe-pas",
        f"/csam/access/{world['b']}/",
        "/static/site.css",
    ]
    for path in paths:
        response = client.get(path)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert response.headers.get("X-Frame-Options") == "DENY", path
        assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), path
    assert client.post("/csam/logout").headers.get("X-Frame-Options") == "DENY", "error answers too"


def test_an_unexpected_error_shows_no_stack_trace(
    app: Flask, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(rules, "managed_projects", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    log_in(client)
    response = client.get("/csam/access/entites")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur du service" in page
    for leak in ("Traceback", "RuntimeError", "secret detail", 'File "', "werkzeug"):
        assert leak not in page


def test_a_forged_session_cookie_is_ignored(app: Flask, world: dict[str, Any]) -> None:
    client = app.test_client()
    client.set_cookie(SESSION_COOKIE, "eyJwZXJzb25faWQiOjF9.forged.signature")
    response = client.get(users_url(world))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/csam/login")


# ---------------------------------------------------------------------------------------------------------
# Passwords, escaping
# ---------------------------------------------------------------------------------------------------------


def test_passwords_are_stored_hashed(tmp_path: Path) -> None:
    app = _app(tmp_path, WTF_CSRF_ENABLED=False)
    world = seed_world(app)
    seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        stored = db.query(Account).filter_by(username="LotjeDeRidder").one().password_hash
    assert stored != STRONG_PASSWORD
    assert stored.split(":")[0] in ("scrypt", "pbkdf2"), "a salted, slow hash"
    app.extensions["csam_store"].dispose()
    assert STRONG_PASSWORD.encode() not in (tmp_path / "mock.sqlite3").read_bytes(), "never in clear on disk"
    client = app.test_client()
    assert login_password(client, "LotjeDeRidder", STRONG_PASSWORD).status_code == 302, "and it still logs in"


PAYLOADS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "</textarea><svg onload=alert(1)>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_echoed_values_are_escaped(payload: str) -> None:
    app = _app(WTF_CSRF_ENABLED=False)
    world = seed_world(app)
    client = app.test_client()
    login_eid(client, GAP_A, "4321")
    base = f"/csam/access/{world['a']}/inami/utilisateurs/nouveau"
    client.post(base, data={"user-niss": NEW_2})
    page = client.post(
        f"{base}/donnees",
        data={
            "last_name": payload,
            "first_name": payload,
            "email": payload,
            "language": "fr",
            "username": payload,
            "password": "x",
        },
    ).get_data(as_text=True)
    assert payload not in page, "typed markup never reaches the page as markup"
    assert str(escape(payload)) in page, "it is shown back as text"
    refused = client.post(
        "/csam/registration/", data={"identification_type": rules.PROJECT_TYPE, "inami_number": payload}
    ).get_data(as_text=True)
    assert payload not in refused and str(escape(payload)) in refused
