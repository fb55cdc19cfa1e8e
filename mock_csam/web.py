"""What every blueprint's views share: the store, the logged-in person, form errors from rule violations."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from . import CURRENT
from .domain import rules
from .domain.errors import FORM, RuleViolation
from .domain.models import Person
from .domain.store import Store
from .i18n import language_links


def is_current_site() -> bool:
    """True when the app shows today's site (`current`) rather than the manual's (`manual-2018`)."""
    return current_app.config["SITE_VERSION"] == CURRENT


def store() -> Store:
    """The app's database: the request's namespace's (namespaces.py), or the default one."""
    return current_app.extensions["csam_stores"].get(g.get("mock_namespace"))


# The methods whose views only read (checked view by view: no GET view of mock_csam saves anything; one that
# comes to must use write_transaction(), or its read transaction refuses the save).
READ_METHODS = frozenset({"GET", "HEAD"})


@contextlib.contextmanager
def transaction() -> Iterator[Session]:
    """One transaction for the request's unit of work: all of it is saved, or none.

    A GET or HEAD reads without waiting for writers; any other method writes, one writer at a time.
    """
    opened = store().read_transaction() if request.method in READ_METHODS else store().write_transaction()
    with opened as db:
        yield db


@contextlib.contextmanager
def write_transaction() -> Iterator[Session]:
    """A write transaction whatever the request's method: for a view that saves something on a GET."""
    with store().write_transaction() as db:
        yield db


# What survives a login or logout: the language, and the registration requests made in this browser (their
# finalisation page is the browser's own, logged in or not).
KEPT_ACROSS_LOGIN = ("lang", "registrations")


def _restart_session() -> None:
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)


def log_in(db: Session, person: Person) -> None:
    """Start a fresh session for this person under a new login id: nothing of an earlier login or draft
    survives, and an id someone planted before the login is worthless after it."""
    old = session.get("sid")
    _restart_session()
    rules.end_login_session(db, old)
    session["sid"] = rules.start_login_session(db, person)
    session["person_id"] = person.id
    session["person_name"] = person.full_name


def log_out(db: Session) -> None:
    """End the login on the server (a copy of the cookie no longer works) and forget it in this browser."""
    rules.end_login_session(db, session.get("sid"))
    _restart_session()


def current_person(db: Session) -> Person | None:
    """The logged-in person: a login that has not ended (logout, reset) and matches this browser's cookie."""
    if "sid" not in session and "person_id" not in session:
        return None
    person = rules.logged_in_person(db, session.get("sid"))
    if person is None or person.id != session.get("person_id"):
        _restart_session()
        return None
    return person


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anyone not logged in (or whose login ended) to the CSAM login, coming back here afterwards."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with transaction() as db:
            logged_in = current_person(db) is not None
        if not logged_in:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def show_errors(form: FlaskForm, violation: RuleViolation, field_map: dict[str, str] | None = None) -> None:
    """Attach each rule message to its form field (or to the whole form) so the page shows it in place."""
    field_map = field_map or {}
    form_errors = getattr(form, "page_errors", None)
    if form_errors is None:
        form_errors = form.page_errors = []
    for name, message in violation.errors:
        field = getattr(form, field_map.get(name, name), None)
        if name != FORM and field is not None and hasattr(field, "errors"):
            if isinstance(field.errors, tuple):
                field.errors = list(field.errors)
            field.errors.append(str(message))
        else:
            form_errors.append(str(message))


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go back to after login; anything else falls back to the default.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so "/\t/evil.example" means
    "//evil.example" to them: a path with a control character, a space or a backslash is refused outright.
    """
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in target)
    ):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def inject_layout() -> dict[str, Any]:
    """What the base layout shows on every page."""
    return {
        "logged_in_name": session.get("person_name"),
        "site_version": current_app.config["SITE_VERSION"],
        "mock_clock": store().clock,
        # Flask-Babel does not put get_locale among the templates' globals, and <html lang> needs it.
        "get_locale": get_locale,
        "language_links": language_links,
    }
