"""Preconditions for tests, set through the mock's domain layer (the same rules the screens use)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask

from mock_csam.domain import rules
from mock_csam.domain.models import COGAP, GAP, INCLUSION_APP, USER, Member
from mock_csam.domain.store import Store


class MockSeeder:
    """Seeds and reads the in-process mock: projects, active GAPs, co-GAPs, users and roles, and its state."""

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
    def _actor(db, project: dict[str, Any], niss: str) -> Member:
        project_row = rules.project_by_inami(db, project["inami_number"])
        actor = next((m for m in project_row.members if m.person.niss == niss and m.kind in (GAP, COGAP)), None)
        if actor is None:
            raise LookupError(f"{niss} is not an access manager of {project['inami_number']}")
        return actor
