"""Logging in to CSAM (eID card or user name and password), the login sessions the browser's cookie names,
and forms sent twice: a submission token remembers the outcome of a draft's first «Enregistrer» or «Confirmer».
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from ...i18n import _l
from .. import clock
from ..errors import FORM, Errors, RuleViolation
from ..models import Account, LoginSession, Person, Submission
from .fields import check_niss, field_text


def authenticate_eid(session: Session, niss: Any, pin: Any) -> Person:
    """The simulated eID card reader: the card's NISS must be known and its PIN right."""
    errors = Errors()
    number = check_niss(errors, "niss", niss)
    if not field_text({"pin": pin}, "pin"):
        errors.add("pin", _l("Le code PIN est obligatoire."))
    errors.raise_if_any()
    person = session.scalar(select(Person).where(Person.niss == number))
    if person is None:
        raise RuleViolation([("niss", _l("Cette carte eID n'est pas reconnue."))])
    # Compared as bytes: compare_digest refuses str with non-ASCII characters, and a typed PIN may have some.
    if not secrets.compare_digest(str(pin).strip().encode(), person.eid_pin.encode()):
        raise RuleViolation([("pin", _l("Code PIN incorrect."))])
    return person


def authenticate_password(session: Session, username: Any, password: Any) -> Person:
    """User name and password login; one message for both wrong cases, as login pages should."""
    user = field_text({"u": username}, "u")
    secret = "" if password is None else str(password)
    errors = Errors()
    if not user:
        errors.add("username", _l("Le nom d'utilisateur est obligatoire."))
    if not secret:
        errors.add("password", _l("Le mot de passe est obligatoire."))
    errors.raise_if_any()
    account = session.scalar(select(Account).where(Account.username == user))
    if account is None or not check_password_hash(account.password_hash, secret):
        raise RuleViolation([(FORM, _l("Nom d'utilisateur ou mot de passe incorrect."))])
    return account.person


def start_login_session(session: Session, person: Person) -> str:
    """A new login for this person; returns the random id the browser keeps (a new one at every login)."""
    sid = secrets.token_urlsafe(32)
    session.add(LoginSession(sid=sid, person=person))
    session.flush()
    return sid


def logged_in_person(session: Session, sid: Any) -> Person | None:
    """The person of a login that has not ended; None for an unknown, ended or forged id."""
    if not isinstance(sid, str) or not sid:
        return None
    login = session.scalar(select(LoginSession).where(LoginSession.sid == sid, LoginSession.ended_at.is_(None)))
    return login.person if login is not None else None


def end_login_session(session: Session, sid: Any) -> None:
    """Logout: the login ends for every copy of its cookie."""
    if isinstance(sid, str) and sid:
        login = session.scalar(select(LoginSession).where(LoginSession.sid == sid))
        if login is not None and login.ended_at is None:
            login.ended_at = clock.now()


def new_submission_token() -> str:
    """The id of one draft's submission, chosen when the draft starts."""
    return secrets.token_hex(16)


def earlier_outcome(session: Session, token: Any, kind: str) -> str | None:
    """What the first submission of this token recorded (a request number, a member id), if it was of `kind`."""
    if not isinstance(token, str) or not token:
        return None
    earlier = session.get(Submission, token[:64])
    return earlier.outcome if earlier is not None and earlier.kind == kind else None


def remember_outcome(session: Session, token: Any, kind: str, outcome: str) -> None:
    """Keep the outcome of this token's submission for the same form sent again."""
    if isinstance(token, str) and token:
        session.add(Submission(token=token[:64], kind=kind, outcome=outcome))
