"""Preconditions for tests, set through the mock's domain layer (the same rules the screens use)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import Flask
from sqlalchemy import select

from mock_csam.domain import rules
from mock_csam.domain.models import COGAP, GAP, INCLUSION_APP, USER, Member, Person
from mock_csam.domain.store import Store


class MockSeeder:
    """Seeds and reads the in-process mock: projects, active GAPs, co-GAPs, users and roles, care providers,
    inclusions, the mock's date, and its state."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    @property
    def store(self) -> Store:
        """The mock's database."""
        return self.app.extensions["csam_store"]

    def reset(self) -> None:
        """Empty the state."""
        self.store.reset()

    def _in_app(self):
        return self.app.app_context()

    def project(self, data: dict[str, Any]) -> dict[str, Any]:
        """Record a project as INAMI does (step 1); returns it in the control API's shape."""
        with self._in_app(), self.store.transaction() as db:
            return rules.project_json(rules.record_project(db, data))

    def registration(self, project: dict[str, Any], gap: dict[str, Any], *, credentials_by_post: bool = False,
                     signed: bool = False) -> dict[str, Any]:
        """A GAP designation as steps 2.6-2.11 would make it; `signed` also receives the signed document."""
        with self._in_app(), self.store.transaction() as db:
            registration = rules.submit_registration(
                db, rules.PROJECT_TYPE, project["inami_number"],
                {k: gap.get(k) for k in ("niss", "last_name", "first_name", "email", "phone", "language")},
                credentials_by_post=credentials_by_post, confirmed=True)
            if signed:
                rules.receive_signed_document(db, registration)
            return rules.registration_json(registration)

    def active_gap(self, project: dict[str, Any], gap: dict[str, Any]) -> dict[str, Any]:
        """An active main access manager for the project (step 2 done and signed)."""
        return self.registration(project, gap, signed=True)

    def member(self, project: dict[str, Any], actor_niss: str, data: dict[str, Any], *, kind: str = USER,
               inclusion_app: bool = True) -> dict[str, Any]:
        """A co-GAP or user added by the given access manager (steps 3.10-3.12 / 4.10-4.14)."""
        with self._in_app(), self.store.transaction() as db:
            actor = self._actor(db, project, actor_niss)
            payload = dict(data, applications=[INCLUSION_APP] if inclusion_app else [])
            cleaned = rules.check_member_data(db, actor, kind, data["niss"], payload)
            return rules.member_json(rules.create_member(db, actor, kind, cleaned, confirmed=True))

    def cogap(self, project: dict[str, Any], gap_niss: str, data: dict[str, Any]) -> dict[str, Any]:
        """A co-GAP designated by the GAP (step 3)."""
        return self.member(project, gap_niss, data, kind=COGAP, inclusion_app=False)

    def roles(self, project: dict[str, Any], actor_niss: str, member_id: int, functions: list[str],
              start: dt.date, end: dt.date | None = None) -> dict[str, Any]:
        """Functions with dates for a member (4.15-4.20)."""
        with self._in_app(), self.store.transaction() as db:
            actor = self._actor(db, project, actor_niss)
            return rules.member_json(rules.set_roles(db, actor, member_id, functions, start, end))

    def user(self, project: dict[str, Any], actor_niss: str, data: dict[str, Any], functions: Sequence[str] = (),
             start: dt.date | None = None, end: dt.date | None = None, *,
             inclusion_app: bool = True) -> dict[str, Any]:
        """A user added by the access manager (4.10-4.14) and, when `functions` are given, their roles from
        `start` to `end` (4.15-4.20); returns the member as the control API shows it."""
        member = self.member(project, actor_niss, data, inclusion_app=inclusion_app)
        if functions:
            if start is None:
                raise ValueError("roles need a start date")
            member = self.roles(project, actor_niss, member["id"], list(functions), start, end)
        return member

    def sign(self, registration: dict[str, Any]) -> dict[str, Any]:
        """The back office receives the signed document of a pending designation (2.12-2.13)."""
        with self._in_app(), self.store.transaction() as db:
            found = rules.registration_by_ref(db, registration["request_number"])
            return rules.registration_json(rules.receive_signed_document(db, found))

    def set_today(self, today: dt.date | None) -> None:
        """Fix the mock's date (role dates, the AR78 cut-over), or None to follow the real date again."""
        self.store.set_today(today)

    def care_provider(self, project: dict[str, Any], person: dict[str, Any], profession: str) -> dict[str, Any]:
        """A care provider working for the project in INAMI's records, with a profession the AR78 covers or
        not (models.AR78_PROFESSIONS / OTHER_PROFESSIONS); their eID PIN is the person's `pin` or 1234."""
        data = {k: person.get(k) for k in ("niss", "first_name", "last_name", "language", "pin")}
        with self._in_app(), self.store.transaction() as db:
            provider = rules.record_care_provider(
                db, dict(data, profession=profession, inami_number=project["inami_number"]))
            return rules.care_provider_json(provider)

    def include(self, project: dict[str, Any], by_niss: str, patient_niss: str, start: dt.date) -> dict[str, Any]:
        """A patient included in the project by a person who may do so on the mock's date (a «Gestionnaire»)."""
        with self._in_app(), self.store.transaction() as db:
            person, access = self._inclusion_access(db, project, by_niss)
            return rules.inclusion_json(rules.include_patient(db, person, access, patient_niss, start))

    def exclude(self, project: dict[str, Any], by_niss: str, patient_niss: str, end: dt.date) -> dict[str, Any]:
        """An included patient excluded from the project by a person who may do so on the mock's date."""
        with self._in_app(), self.store.transaction() as db:
            person, access = self._inclusion_access(db, project, by_niss)
            return rules.inclusion_json(rules.exclude_patient(db, person, access, patient_niss, end))

    def inclusions(self, inami_number: str) -> list[dict[str, Any]]:
        """The project's inclusions (open and ended), as the control API shows them."""
        return self.project_state(inami_number)["inclusions"]

    def state(self) -> dict[str, Any]:
        """The whole state, as GET /_mock/state returns it."""
        with self._in_app(), self.store.transaction() as db:
            return rules.export_state(db)

    def project_state(self, inami_number: str) -> dict[str, Any]:
        """One project of the state, by INAMI number."""
        return next(p for p in self.state()["projects"] if p["inami_number"] == inami_number)

    def members_by_niss(self, inami_number: str) -> dict[str, dict[str, Any]]:
        """The project's CSAM members, keyed by NISS."""
        return {m["niss"]: m for m in self.project_state(inami_number)["members"]}

    @staticmethod
    def _inclusion_access(db, project: dict[str, Any], niss: str) -> tuple[Person, rules.InclusionAccess]:
        person = db.scalar(select(Person).where(Person.niss == niss))
        if person is None:
            raise LookupError(f"nobody has the NISS {niss}")
        return person, rules.inclusion_access(db, person, rules.project_by_inami(db, project["inami_number"]))

    @staticmethod
    def _actor(db, project: dict[str, Any], niss: str) -> Member:
        project_row = rules.project_by_inami(db, project["inami_number"])
        actor = next((m for m in project_row.members if m.person.niss == niss and m.kind in (GAP, COGAP)), None)
        if actor is None:
            raise LookupError(f"{niss} is not an access manager of {project['inami_number']}")
        return actor
