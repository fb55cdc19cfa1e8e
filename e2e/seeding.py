"""Preconditions for tests, through one interface with two backends: the in-process mock's domain layer
(`MockSeeder`) or any served mock's control API over HTTP (`HttpSeeder`). Both end in the same rules the screens
use (mock_csam/domain/rules/); see docs/control-api.md and docs/served-suites.md."""

from __future__ import annotations

import abc
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from flask import Flask
from sqlalchemy import select

from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.models import COGAP, GAP, INCLUSION_APP, USER, Member, Person
from mock_csam.domain.store import Store

# The header and cookie that name a namespace of a served mock (mock_csam/namespaces.py).
NAMESPACE_HEADER = "X-Mock-Namespace"
NAMESPACE_COOKIE = "mock_namespace"
GAP_FIELDS = ("niss", "last_name", "first_name", "email", "phone", "language")


class SeedingError(Exception):
    """The mock refused a precondition or could not be reached; `errors` are the control API's
    `{"field", "message"}` items, `status` its HTTP status (None when nothing answered)."""

    def __init__(self, message: str, status: int | None = None, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or []


class SignedDocumentNotReceived(SeedingError):
    """The back office refused to receive a signed document (the mock's `signed_document` fault answers 409):
    the registration stays pending, and a walk says so with the mock's own words."""

    def __init__(self, request_number: str, refused: SeedingError) -> None:
        said = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in refused.errors if isinstance(e, dict))
        super().__init__(
            f"the back office did not receive the signed document of request {request_number} "
            f"(HTTP {refused.status}{': ' + said if said else ''}); the GAP stays pending",
            status=refused.status,
            errors=refused.errors,
        )
        self.request_number = request_number


class Seeder(abc.ABC):
    """What the suites ask of the mock: projects, GAPs, co-GAPs, users and roles, care providers, inclusions, the
    mock's date, and its state. Methods built from others are written once here."""

    @abc.abstractmethod
    def reset(self) -> None:
        """Empty the state (a namespace's only, for a namespaced HTTP seeder) and release the clock."""

    @abc.abstractmethod
    def faults_off(self) -> None:
        """Every fault (`/_mock/faults`) off: the site behaves normally again (a namespace's only, likewise)."""

    @abc.abstractmethod
    def project(self, data: dict[str, Any]) -> dict[str, Any]:
        """Record a project as INAMI does (step 1); returns it in the control API's shape."""

    @abc.abstractmethod
    def registration(
        self, project: dict[str, Any], gap: dict[str, Any], *, credentials_by_post: bool = False, signed: bool = False
    ) -> dict[str, Any]:
        """A GAP designation as steps 2.6-2.11 would make it; `signed` also receives the signed document."""

    @abc.abstractmethod
    def member(
        self,
        project: dict[str, Any],
        actor_niss: str,
        data: dict[str, Any],
        *,
        kind: str = USER,
        inclusion_app: bool = True,
    ) -> dict[str, Any]:
        """A co-GAP or user added by the given access manager (steps 3.10-3.12 / 4.10-4.14)."""

    @abc.abstractmethod
    def roles(
        self,
        project: dict[str, Any],
        actor_niss: str,
        member_id: int,
        functions: list[str],
        start: dt.date,
        end: dt.date | None = None,
    ) -> dict[str, Any]:
        """Functions with dates for a member (4.15-4.20)."""

    @abc.abstractmethod
    def sign(self, registration: dict[str, Any]) -> dict[str, Any]:
        """The back office receives the signed document of a pending designation (2.12-2.13)."""

    @abc.abstractmethod
    def set_today(self, today: dt.date | None) -> None:
        """Fix the mock's date (role dates, the AR78 cut-over), or None to follow the real date again."""

    @abc.abstractmethod
    def today(self) -> dt.date:
        """The mock's today."""

    @abc.abstractmethod
    def care_provider(self, project: dict[str, Any], person: dict[str, Any], profession: str) -> dict[str, Any]:
        """A care provider working for the project in INAMI's records, with a profession the AR78 covers or
        not (models.AR78_PROFESSIONS / OTHER_PROFESSIONS); their eID PIN is the person's `pin` or 1234."""

    @abc.abstractmethod
    def include(self, project: dict[str, Any], by_niss: str, patient_niss: str, start: dt.date) -> dict[str, Any]:
        """A patient included in the project by a person who may do so on the mock's date (a «Gestionnaire»)."""

    @abc.abstractmethod
    def exclude(self, project: dict[str, Any], by_niss: str, patient_niss: str, end: dt.date) -> dict[str, Any]:
        """An included patient excluded from the project by a person who may do so on the mock's date."""

    @abc.abstractmethod
    def state(self) -> dict[str, Any]:
        """The whole state, as GET /_mock/state returns it."""

    @abc.abstractmethod
    def project_state(self, inami_number: str) -> dict[str, Any]:
        """One project of the state, by INAMI number."""

    def active_gap(self, project: dict[str, Any], gap: dict[str, Any]) -> dict[str, Any]:
        """An active main access manager for the project (step 2 done and signed)."""
        return self.registration(project, gap, signed=True)

    def cogap(self, project: dict[str, Any], gap_niss: str, data: dict[str, Any]) -> dict[str, Any]:
        """A co-GAP designated by the GAP (step 3)."""
        return self.member(project, gap_niss, data, kind=COGAP, inclusion_app=False)

    def user(
        self,
        project: dict[str, Any],
        actor_niss: str,
        data: dict[str, Any],
        functions: Sequence[str] = (),
        start: dt.date | None = None,
        end: dt.date | None = None,
        *,
        inclusion_app: bool = True,
    ) -> dict[str, Any]:
        """A user added by the access manager (4.10-4.14) and, when `functions` are given, their roles from
        `start` to `end` (4.15-4.20); returns the member as the control API shows it."""
        member = self.member(project, actor_niss, data, inclusion_app=inclusion_app)
        if functions:
            if start is None:
                raise ValueError("roles need a start date")
            member = self.roles(project, actor_niss, member["id"], list(functions), start, end)
        return member

    def inclusions(self, inami_number: str) -> list[dict[str, Any]]:
        """The project's inclusions (open and ended), as the control API shows them."""
        return self.project_state(inami_number)["inclusions"]

    def members_by_niss(self, inami_number: str) -> dict[str, dict[str, Any]]:
        """The project's CSAM members, keyed by NISS."""
        return {m["niss"]: m for m in self.project_state(inami_number)["members"]}


class MockSeeder(Seeder):
    """Seeds and reads the in-process mock through its domain layer (no HTTP: the fast default)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    @property
    def store(self) -> Store:
        """The mock's database."""
        return self.app.extensions["csam_store"]

    def reset(self) -> None:
        self.store.reset()

    def faults_off(self) -> None:
        self.app.extensions["csam_faults"].default.switch_off()

    def _in_app(self):
        return self.app.app_context()

    def project(self, data: dict[str, Any]) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            return serialisers.project_json(rules.record_project(db, data))

    def registration(
        self, project: dict[str, Any], gap: dict[str, Any], *, credentials_by_post: bool = False, signed: bool = False
    ) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            registration = rules.submit_registration(
                db,
                rules.PROJECT_TYPE,
                project["inami_number"],
                {k: gap.get(k) for k in GAP_FIELDS},
                credentials_by_post=credentials_by_post,
                confirmed=True,
            )
            if signed:
                rules.receive_signed_document(db, registration)
            return serialisers.registration_json(registration)

    def member(
        self,
        project: dict[str, Any],
        actor_niss: str,
        data: dict[str, Any],
        *,
        kind: str = USER,
        inclusion_app: bool = True,
    ) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            actor = self._actor(db, project, actor_niss)
            payload = dict(data, applications=[INCLUSION_APP] if inclusion_app else [])
            cleaned = rules.check_member_data(db, actor, kind, data["niss"], payload)
            return serialisers.member_json(rules.create_member(db, actor, kind, cleaned, confirmed=True))

    def roles(
        self,
        project: dict[str, Any],
        actor_niss: str,
        member_id: int,
        functions: list[str],
        start: dt.date,
        end: dt.date | None = None,
    ) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            actor = self._actor(db, project, actor_niss)
            return serialisers.member_json(rules.set_roles(db, actor, member_id, functions, start, end))

    def sign(self, registration: dict[str, Any]) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            found = rules.registration_by_ref(db, registration["request_number"])
            return serialisers.registration_json(rules.receive_signed_document(db, found))

    def set_today(self, today: dt.date | None) -> None:
        self.store.set_today(today)

    def today(self) -> dt.date:
        return self.store.clock.today()

    def care_provider(self, project: dict[str, Any], person: dict[str, Any], profession: str) -> dict[str, Any]:
        data = {k: person.get(k) for k in ("niss", "first_name", "last_name", "language", "pin")}
        with self._in_app(), self.store.transaction() as db:
            provider = rules.record_care_provider(
                db, dict(data, profession=profession, inami_number=project["inami_number"])
            )
            return serialisers.care_provider_json(provider)

    def include(self, project: dict[str, Any], by_niss: str, patient_niss: str, start: dt.date) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            person, access = self._inclusion_access(db, project, by_niss)
            return serialisers.inclusion_json(rules.include_patient(db, person, access, patient_niss, start))

    def exclude(self, project: dict[str, Any], by_niss: str, patient_niss: str, end: dt.date) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            person, access = self._inclusion_access(db, project, by_niss)
            return serialisers.inclusion_json(rules.exclude_patient(db, person, access, patient_niss, end))

    def state(self) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            return serialisers.export_state(db)

    def project_state(self, inami_number: str) -> dict[str, Any]:
        with self._in_app(), self.store.transaction() as db:
            return serialisers.project_json(rules.require_project(db, inami_number))

    @staticmethod
    def _inclusion_access(db, project: dict[str, Any], niss: str) -> tuple[Person, rules.InclusionAccess]:
        person = db.scalar(select(Person).where(Person.niss == niss))
        if person is None:
            raise LookupError(f"nobody has the NISS {niss}")
        return person, rules.inclusion_access(db, person, rules.require_project(db, project["inami_number"]))

    @staticmethod
    def _actor(db, project: dict[str, Any], niss: str) -> Member:
        project_row = rules.require_project(db, project["inami_number"])
        actor = next((m for m in project_row.members if m.person.niss == niss and m.kind in (GAP, COGAP)), None)
        if actor is None:
            raise LookupError(f"{niss} is not an access manager of {project['inami_number']}")
        return actor


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class HttpSeeder(Seeder):
    """Seeds and reads a served mock through its control API (`/_mock/`, urllib), in a namespace of its own when
    given one: its projects, persons, clock and reset are then this seeder's alone."""

    def __init__(self, base_url: str, namespace: str | None = None, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.namespace = namespace
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.namespace:
            headers[NAMESPACE_HEADER] = self.namespace
        request = Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read() or b"null")
        except HTTPError as error:
            raw = error.read()
            try:
                errors = json.loads(raw).get("errors", [])
            except (ValueError, AttributeError):
                errors = []
            said = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors if isinstance(e, dict))
            raise SeedingError(
                f"{method} {path} answered {error.code}: "
                f"{said or raw[:200].decode('utf-8', 'replace') or error.reason}",
                status=error.code,
                errors=errors,
            ) from None
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SeedingError(f"{method} {self.base_url}{path}: the mock did not answer ({reason})") from None

    def _project_path(self, inami_number: str, tail: str = "") -> str:
        return f"/_mock/projects/{quote(str(inami_number), safe='')}{tail}"

    def available(self) -> bool:
        """True when the site has a control API (`GET /_mock/clock` answers)."""
        try:
            self._call("GET", "/_mock/clock")
        except (SeedingError, ValueError):
            return False
        return True

    def reset(self) -> None:
        self._call("POST", "/_mock/reset")

    def project(self, data: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/_mock/szv/projects", data)

    def registration(
        self, project: dict[str, Any], gap: dict[str, Any], *, credentials_by_post: bool = False, signed: bool = False
    ) -> dict[str, Any]:
        return self._call(
            "POST",
            self._project_path(project["inami_number"], "/registrations"),
            {"gap": {k: gap.get(k) for k in GAP_FIELDS}, "credentials_by_post": credentials_by_post, "signed": signed},
        )

    def member(
        self,
        project: dict[str, Any],
        actor_niss: str,
        data: dict[str, Any],
        *,
        kind: str = USER,
        inclusion_app: bool = True,
    ) -> dict[str, Any]:
        body = dict(data, actor_niss=actor_niss, kind=kind, applications=[INCLUSION_APP] if inclusion_app else [])
        return self._call("POST", self._project_path(project["inami_number"], "/members"), body)

    def roles(
        self,
        project: dict[str, Any],
        actor_niss: str,
        member_id: int,
        functions: list[str],
        start: dt.date,
        end: dt.date | None = None,
    ) -> dict[str, Any]:
        return self._call(
            "PUT",
            self._project_path(project["inami_number"], f"/members/{member_id}/roles"),
            {"actor_niss": actor_niss, "functions": list(functions), "start_date": _iso(start), "end_date": _iso(end)},
        )

    def sign(self, registration: dict[str, Any]) -> dict[str, Any]:
        number = quote(str(registration["request_number"]), safe="")
        return self._call("POST", f"/_mock/registrations/{number}/signed-document-received")

    def sign_pending(self, inami_number: str) -> bool:
        """The back office receives the signed document of the project's pending designation, if it has one."""
        project = self.project_state(inami_number)
        pending = [r for r in project["registrations"] if r.get("status") != "active"]
        if not pending:
            return False
        try:
            self.sign(pending[-1])
        except SeedingError as refused:
            if refused.status != 409:
                raise
            raise SignedDocumentNotReceived(pending[-1]["request_number"], refused) from None
        return True

    # The mock's bad days (`/_mock/faults`, docs/faults.md): in a namespaced seeder, the namespace's own switches.

    def faults(self) -> dict[str, Any]:
        """The faults switched on in the mock (`GET /_mock/faults`), with what each one did so far."""
        return self._call("GET", "/_mock/faults")["faults"]

    def switch_faults(self, faults: dict[str, Any]) -> dict[str, Any]:
        """Switch faults on (`PUT /_mock/faults`); returns what is on."""
        return self._call("PUT", "/_mock/faults", faults)["faults"]

    def faults_off(self) -> None:
        """Every fault off: the site behaves normally again."""
        self._call("DELETE", "/_mock/faults")

    def set_today(self, today: dt.date | None) -> None:
        self._call("POST", "/_mock/clock", {"today": _iso(today)})

    def today(self) -> dt.date:
        return dt.date.fromisoformat(self._call("GET", "/_mock/clock")["today"])

    def care_provider(self, project: dict[str, Any], person: dict[str, Any], profession: str) -> dict[str, Any]:
        data = {k: person.get(k) for k in ("niss", "first_name", "last_name", "language", "pin")}
        return self._call(
            "POST", "/_mock/care-providers", dict(data, profession=profession, inami_number=project["inami_number"])
        )

    def include(self, project: dict[str, Any], by_niss: str, patient_niss: str, start: dt.date) -> dict[str, Any]:
        return self._call(
            "POST",
            self._project_path(project["inami_number"], "/inclusions"),
            {"by_niss": by_niss, "patient_niss": patient_niss, "start_date": _iso(start)},
        )

    def exclude(self, project: dict[str, Any], by_niss: str, patient_niss: str, end: dt.date) -> dict[str, Any]:
        return self._call(
            "POST",
            self._project_path(project["inami_number"], "/exclusions"),
            {"by_niss": by_niss, "patient_niss": patient_niss, "end_date": _iso(end)},
        )

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/_mock/state")

    def project_state(self, inami_number: str) -> dict[str, Any]:
        return self._call("GET", self._project_path(inami_number))

    def delete_project(self, inami_number: str) -> None:
        """Forget one project with everything of it (DELETE /_mock/projects/<inami>)."""
        self._call("DELETE", self._project_path(inami_number))
