"""A CSAM login handed to a browser without its screens, for tests about what comes after the login.

The in-process mock checks the eID card as its login form would (the same rule: the card's NISS known, its PIN
right), starts the login on the server as the form does, and the browser gets the signed session cookie the form's
answer would have set. What the browser then sees is the mock's own: a login ended by a reset or a logout no
longer works, and a refused card raises the rule's refusal here. The eID screens themselves are tested by
e2e/test_login.py and the step 3/4 suites that walk them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from playwright.sync_api import BrowserContext

from mock_csam.domain import rules
from mock_csam.web import KEPT_ACROSS_LOGIN


def seed_eid_login(app: Flask, context: BrowserContext, base_url: str, niss: str, pin: str) -> None:
    """Log `niss` in with their eID card in this browser context, as CSAM's login form would."""
    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    interface = app.session_interface
    if not isinstance(interface, SecureCookieSessionInterface):
        raise RuntimeError("the mock keeps its sessions otherwise than in signed cookies: none can be handed over")
    serializer = interface.get_signing_serializer(app)
    if serializer is None:
        raise RuntimeError("the mock has no SECRET_KEY: it cannot sign a session")
    earlier: dict[str, Any] = {}
    for cookie in context.cookies(base_url):
        if cookie["name"] == cookie_name:
            earlier = serializer.loads(cookie["value"])
    store = app.extensions["csam_store"]
    with app.app_context(), store.transaction() as db:
        person = rules.authenticate_eid(db, niss, pin)
        rules.end_login_session(db, earlier.get("sid"))
        session = {key: earlier[key] for key in KEPT_ACROSS_LOGIN if key in earlier}
        session.update(sid=rules.start_login_session(db, person), person_id=person.id, person_name=person.full_name)
    context.add_cookies(
        [
            {
                "name": cookie_name,
                "value": serializer.dumps(session),
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
