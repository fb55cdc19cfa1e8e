"""The designation draft both site versions keep in the session, and the requests this browser has made.

The 2018 wizard (`registration`) and today's CSAM page (`camregistration`) keep what was answered under the same
session key until «Enregistrer»; the request numbers made in this browser open its finalisation page and
document. A draft never holds secrets, only what was typed, and every step checks it again through the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, session, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from ..domain.errors import RuleViolation
from ..domain.models import Registration
from ..web import show_errors, transaction

DRAFT = "registration"
OWNED = "registrations"
# The browser keeps the numbers of the requests it made; old ones drop off so the session cookie stays small.
MAX_OWNED = 20


class StepMissing(Exception):
    """An earlier step is missing or no longer passes its rules: the browser goes back there."""

    def __init__(self, endpoint: str, messages: list[str], category: str = "error", **values: Any) -> None:
        super().__init__(endpoint)
        self.endpoint, self.messages, self.category, self.values = endpoint, messages, category, values


def back_to_step(exc: StepMissing):
    """Redirect to the step to do again, saying why (each blueprint registers this for StepMissing)."""
    for message in exc.messages:
        flash(message, exc.category)
    return redirect(url_for(exc.endpoint, **exc.values))


def load_draft() -> dict[str, Any]:
    """The answers given so far in this browser (a copy: changes are saved with save_draft)."""
    draft = session.get(DRAFT)
    return dict(draft) if isinstance(draft, dict) else {}


def save_draft(draft: dict[str, Any]) -> None:
    """Keep the answers for the next step."""
    session[DRAFT] = draft


def finish_draft(request_number: str) -> None:
    """The request is recorded: the draft is gone, and this browser may open the request's pages."""
    session.pop(DRAFT, None)
    owned = [n for n in session.get(OWNED, []) if isinstance(n, str)]
    session[OWNED] = ([*owned, request_number])[-MAX_OWNED:]


def record_request(form: FlaskForm, submit: Callable[[Session], Registration]) -> Response | None:
    """«Enregistrer» (2.11) on either site version: run the rule that records the request in its own transaction
    (a refusal rolls back everything the attempt touched). Recorded: the draft is finished and the browser goes
    to the finalisation page. Refused: the messages are on the form and None is returned, for the page to be
    shown again."""
    try:
        with transaction() as db:
            number = submit(db).request_number
    except RuleViolation as exc:
        show_errors(form, exc)
        return None
    finish_draft(number)
    return redirect(url_for("registration.finalisation", request_number=number))
