"""Faults on demand: the bad days QA rehearses (a slow page, a maintenance page, a failing eID card reader, a session
that expires, a signed document that never arrives), switched on and off through `/_mock/faults`.

The switches live in the app (`app.extensions["csam_faults"]`, a `Switchboard`: the default switches, and on a
served mock one set per namespace, so that a test's bad day never reaches another test sharing the mock), never in
the database: switching a fault off
restores normal behaviour and leaves every stored record as it was. Faults never apply to `/_mock/` itself, so
QA can always switch them off again; the one exception is the call that delivers a signed document, which is
what the `signed_document` fault is about. One lock guards the switches: the mock serves requests in threads.

Each fault counts what it did (requests delayed, error pages served, logins refused, sessions expired, deliveries
refused), so tests can see that it really applied without timing anything.
"""

from __future__ import annotations

import copy
import fnmatch
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g

from .domain.errors import FORM, RuleViolation
from .i18n import _

LATENCY, ERROR_PAGE, EID_READER, SESSION_EXPIRY, SIGNED_DOCUMENT = (
    "latency",
    "error_page",
    "eid_reader",
    "session_expiry",
    "signed_document",
)
NAMES = (LATENCY, ERROR_PAGE, EID_READER, SESSION_EXPIRY, SIGNED_DOCUMENT)
MAX_LATENCY_MS = 60_000
ERROR_STATUSES = (500, 502, 503, 504)
DEFAULT_ERROR_STATUS = 503
# What the card reader says: none found on the computer, or a card it cannot read.
NO_READER, CARD_UNREADABLE = "no_reader", "card_unreadable"
READER_FAILURES = (NO_READER, CARD_UNREADABLE)
MAX_AFTER_REQUESTS = 100_000
# The addresses no fault touches, so the switches can always be reached.
CONTROL_PREFIX = "/_mock"


def is_control_path(path: str) -> bool:
    """True for the control API's addresses (`/_mock` and below)."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def route_matches(route: str, path: str) -> bool:
    """A route is a glob when it has `*`, `?` or `[`, else a path prefix («/csam/registration» matches
    «/csam/registration/organisation»)."""
    if any(ch in route for ch in "*?["):
        return fnmatch.fnmatchcase(path, route)
    return path.startswith(route)


# ---------------------------------------------------------------------------------------------------------
# Validation: every problem named by its field, nothing switched when anything is wrong
# ---------------------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []

    def add(self, name: str, message: Any) -> None:
        self.items.append((name, message))


def _unknown_keys(problems: _Problems, where: str, given: dict[str, Any], known: tuple[str, ...]) -> None:
    for key in given:
        if key not in known:
            problems.add(
                f"{where}.{key}", _("Paramètre inconnu. Paramètres acceptés : %(known)s.", known=", ".join(known))
            )


def _integer(problems: _Problems, name: str, value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(name, _("Valeur attendue : un nombre entier de %(low)s à %(high)s.", low=low, high=high))
        return None
    return value


def _boolean(problems: _Problems, name: str, value: Any) -> bool | None:
    if not isinstance(value, bool):
        problems.add(name, _("Valeur attendue : true ou false."))
        return None
    return value


def _choice(problems: _Problems, name: str, value: Any, choices: tuple[Any, ...]) -> Any:
    if isinstance(value, bool) or value not in choices:
        problems.add(name, _("Valeur attendue : l'une de %(choices)s.", choices=", ".join(map(str, choices))))
        return None
    return value


def _route(problems: _Problems, name: str, value: Any) -> str | None:
    if (
        not isinstance(value, str)
        or not value.startswith("/")
        or len(value) > 500
        or any(ord(ch) < 0x20 for ch in value)
    ):
        problems.add(
            name,
            _(
                "Valeur attendue : un chemin du site commençant par « / » (un préfixe ou un motif "
                "avec *), par exemple /csam/registration."
            ),
        )
        return None
    if is_control_path(value):
        problems.add(name, _("Les pannes ne s'appliquent jamais à /_mock/ : choisissez une page du site."))
        return None
    return value


def _required(problems: _Problems, name: str, body: dict[str, Any], key: str) -> bool:
    if key not in body:
        problems.add(f"{name}.{key}", _("Ce paramètre est obligatoire."))
        return False
    return True


def _routed(
    problems: _Problems, name: str, value: Any, check: Callable[[_Problems, str, dict[str, Any]], dict[str, Any] | None]
) -> list[dict[str, Any]]:
    """A routed fault takes one setting or a list of them (several routes)."""
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not value:
        problems.add(name, _("Valeur attendue : un objet ou une liste d'objets non vide."))
    settings = []
    for n, item in enumerate(items):
        where = f"{name}[{n}]" if isinstance(value, list) else name
        if not isinstance(item, dict):
            problems.add(where, _("Valeur attendue : un objet ou une liste d'objets non vide."))
            continue
        checked = check(problems, where, item)
        if checked is not None:
            settings.append(checked)
    return settings


def _latency(problems: _Problems, where: str, body: dict[str, Any]) -> dict[str, Any] | None:
    _unknown_keys(problems, where, body, ("route", "ms"))
    route = _route(problems, f"{where}.route", body["route"]) if _required(problems, where, body, "route") else None
    ms = (
        _integer(problems, f"{where}.ms", body["ms"], 0, MAX_LATENCY_MS)
        if _required(problems, where, body, "ms")
        else None
    )
    return None if route is None or ms is None else {"route": route, "ms": ms, "delayed": 0}


def _error_page(problems: _Problems, where: str, body: dict[str, Any]) -> dict[str, Any] | None:
    _unknown_keys(problems, where, body, ("route", "status"))
    route = _route(problems, f"{where}.route", body["route"]) if _required(problems, where, body, "route") else None
    status = _choice(problems, f"{where}.status", body.get("status", DEFAULT_ERROR_STATUS), ERROR_STATUSES)
    return None if route is None or status is None else {"route": route, "status": status, "served": 0}


def _switch(
    problems: _Problems, where: str, body: Any, flag: str, extra: dict[str, tuple[Any, ...]] | None = None
) -> dict[str, Any] | None:
    """A fault that is on or off (`flag`), with optional choices (`extra`: key → allowed values, first the
    default)."""
    if not isinstance(body, dict):
        problems.add(where, _("Valeur attendue : un objet."))
        return None
    extra = extra or {}
    _unknown_keys(problems, where, body, (flag, *extra))
    on = _boolean(problems, f"{where}.{flag}", body[flag]) if _required(problems, where, body, flag) else None
    setting: dict[str, Any] = {flag: on}
    for key, choices in extra.items():
        setting[key] = _choice(problems, f"{where}.{key}", body.get(key, choices[0]), choices)
    return None if on is None or None in setting.values() else setting


def _eid_reader(problems: _Problems, body: Any) -> dict[str, Any] | None:
    setting = _switch(problems, EID_READER, body, "fails", {"reason": READER_FAILURES})
    return None if setting is None else dict(setting, refused=0)


def _session_expiry(problems: _Problems, body: Any) -> dict[str, Any] | None:
    if not isinstance(body, dict):
        problems.add(SESSION_EXPIRY, _("Valeur attendue : un objet."))
        return None
    _unknown_keys(problems, SESSION_EXPIRY, body, ("after_requests",))
    if not _required(problems, SESSION_EXPIRY, body, "after_requests"):
        return None
    after = _integer(problems, f"{SESSION_EXPIRY}.after_requests", body["after_requests"], 0, MAX_AFTER_REQUESTS)
    return None if after is None else {"after_requests": after, "expired": 0}


def _signed_document(problems: _Problems, body: Any) -> dict[str, Any] | None:
    setting = _switch(problems, SIGNED_DOCUMENT, body, "never_arrives")
    return None if setting is None else dict(setting, refused=0)


def check_switches(body: Any) -> dict[str, Any]:
    """The faults a `PUT`/`POST /_mock/faults` body switches, checked; a RuleViolation names every wrong field
    (the fault's name for an unknown fault, `fault.key` for a key or a value)."""
    problems = _Problems()
    if not isinstance(body, dict) or not body:
        problems.add(
            FORM,
            _(
                "Le corps doit être un objet JSON qui nomme au moins une panne parmi : %(names)s.",
                names=", ".join(NAMES),
            ),
        )
        raise RuleViolation(problems.items)
    checked: dict[str, Any] = {}
    for name, value in body.items():
        if name == LATENCY:
            checked[name] = _routed(problems, name, value, _latency)
        elif name == ERROR_PAGE:
            checked[name] = _routed(problems, name, value, _error_page)
        elif name == EID_READER:
            checked[name] = _eid_reader(problems, value)
        elif name == SESSION_EXPIRY:
            checked[name] = _session_expiry(problems, value)
        elif name == SIGNED_DOCUMENT:
            checked[name] = _signed_document(problems, value)
        else:
            problems.add(name, unknown_fault_message())
    if problems.items:
        raise RuleViolation(problems.items)
    return checked


def unknown_fault_message() -> str:
    """What the API says about a name that is not a fault."""
    return _("Panne inconnue. Pannes connues : %(names)s.", names=", ".join(NAMES))


# ---------------------------------------------------------------------------------------------------------
# The switches
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Faults:
    """The faults switched on in one app, and what each one did; every method is safe across threads."""

    _on: dict[str, Any] = field(default_factory=dict)
    # Requests seen per login session (its id), for `session_expiry`.
    _requests: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> dict[str, Any]:
        """What is on, with the counters, as `GET /_mock/faults` shows it."""
        with self._lock:
            return copy.deepcopy(self._on)

    def switch_on(self, checked: dict[str, Any]) -> None:
        """Apply checked switches (see check_switches): each named fault replaces its earlier setting;
        `{"fails": false}` / `{"never_arrives": false}` switch theirs off."""
        with self._lock:
            for name, setting in checked.items():
                if (name == EID_READER and not setting["fails"]) or (
                    name == SIGNED_DOCUMENT and not setting["never_arrives"]
                ):
                    self._on.pop(name, None)
                    continue
                self._on[name] = setting
                if name == SESSION_EXPIRY:
                    self._requests.clear()

    def switch_off(self, name: str | None = None) -> None:
        """One fault off, or every fault (None)."""
        with self._lock:
            if name is None:
                self._on.clear()
            else:
                self._on.pop(name, None)
            if name in (None, SESSION_EXPIRY):
                self._requests.clear()

    def latency_ms(self, path: str) -> int:
        """The delay to add before answering this path (every matching setting adds its own), counted."""
        if is_control_path(path):
            return 0
        total = 0
        with self._lock:
            for setting in self._on.get(LATENCY, ()):
                if route_matches(setting["route"], path):
                    setting["delayed"] += 1
                    total += setting["ms"]
        return total

    def error_status(self, path: str) -> int | None:
        """The status of the error page this path answers with, if any (counted), else None."""
        if is_control_path(path):
            return None
        with self._lock:
            for setting in self._on.get(ERROR_PAGE, ()):
                if route_matches(setting["route"], path):
                    setting["served"] += 1
                    return setting["status"]
        return None

    def reader_failure(self) -> str | None:
        """Why the eID card reader fails (NO_READER / CARD_UNREADABLE) when it does (counted), else None."""
        with self._lock:
            setting = self._on.get(EID_READER)
            if setting is None:
                return None
            setting["refused"] += 1
            return setting["reason"]

    def session_expires(self, login_id: str) -> bool:
        """Count a request of this login session; True when it is one more than `after_requests` allow."""
        with self._lock:
            setting = self._on.get(SESSION_EXPIRY)
            if setting is None:
                return False
            seen = self._requests.get(login_id, 0) + 1
            if seen <= setting["after_requests"]:
                self._requests[login_id] = seen
                return False
            self._requests.pop(login_id, None)
            setting["expired"] += 1
            return True

    def refuses_signed_document(self) -> bool:
        """True when the back office never receives signed documents (counted)."""
        with self._lock:
            setting = self._on.get(SIGNED_DOCUMENT)
            if setting is None:
                return False
            setting["refused"] += 1
            return True


# ---------------------------------------------------------------------------------------------------------
# The card reader, as the login view sees it
# ---------------------------------------------------------------------------------------------------------


class Switchboard:
    """The app's fault switches: the default ones, and one set per namespace (mock_csam/namespaces.py), made on
    first use, as the namespaces' stores are."""

    def __init__(self) -> None:
        self.default = Faults()
        self._namespaces: dict[str, Faults] = {}
        self._lock = threading.Lock()

    def get(self, namespace: str | None) -> Faults:
        """The namespace's switches; the default ones for None."""
        if namespace is None:
            return self.default
        with self._lock:
            return self._namespaces.setdefault(namespace, Faults())


def current() -> Faults | None:
    """The switches of this request's namespace (None in an app without them)."""
    board = current_app.extensions.get("csam_faults")
    return board.get(g.get("mock_namespace")) if board is not None else None


def reader_failure() -> str | None:
    """Why the simulated eID card reader fails now (None when it works): the login view asks this."""
    switches = current()
    return switches.reader_failure() if switches is not None else None


def reader_message(reason: str) -> str:
    """What the real sites say when the eID card reader fails."""
    if reason == CARD_UNREADABLE:
        return _(
            "Votre carte eID n'a pas pu être lue. Vérifiez qu'elle est bien insérée dans le lecteur de cartes, "
            "puis réessayez."
        )
    return _(
        "Aucun lecteur de cartes n'a été détecté. Vérifiez que votre lecteur de cartes eID est bien branché et "
        "que le logiciel eID est installé, puis réessayez."
    )
