"""The mock's control API seen from the harness (`/_mock/`: recording a project, the back office receiving a signed
document, the clock), and the Faker data the manual check and the walkthrough walk with."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from fixtures import builders


class SignedDocumentNotReceived(Exception):
    """The back office refused to receive a signed document (the mock's `signed_document` fault answers 409):
    the registration stays pending, and the walk says so with the mock's own words."""

    def __init__(self, request_number: str, refused: HTTPError) -> None:
        try:
            errors = json.loads(refused.read() or b"{}").get("errors") or []
        except (ValueError, AttributeError, OSError):
            errors = []
        said = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors if isinstance(e, dict))
        super().__init__(f"the back office did not receive the signed document of request {request_number} "
                         f"(HTTP {refused.code}{': ' + said if said else ''}); the GAP stays pending")
        self.request_number, self.status = request_number, refused.code


class ControlApi:
    """The mock's control API at a base URL, when the site has one (`/_mock/`)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = Request(self.base_url + path, data=data, method=method,
                          headers={"Content-Type": "application/json"})
        with urlopen(request, timeout=10) as answer:  # noqa: S310 (a URL the user gave)
            return json.loads(answer.read() or b"null")

    def available(self) -> bool:
        try:
            self._call("GET", "/_mock/clock")
        except (URLError, OSError, ValueError):
            return False
        return True

    def reset(self) -> None:
        """Empty the mock's state."""
        self._call("POST", "/_mock/reset")

    def set_today(self, today: dt.date | None) -> None:
        """Fix the mock's date (None: the real date again)."""
        self._call("POST", "/_mock/clock", {"today": today.isoformat() if today else None})

    def record_project(self, project: dict[str, Any]) -> None:
        self._call("POST", "/_mock/szv/projects", project)

    def state(self) -> dict[str, Any]:
        """The mock's whole state (`GET /_mock/state`)."""
        return self._call("GET", "/_mock/state")

    def faults(self) -> dict[str, Any]:
        """The faults switched on in the mock (`GET /_mock/faults`), with what each one did so far."""
        return self._call("GET", "/_mock/faults")["faults"]

    def switch_faults(self, faults: dict[str, Any]) -> dict[str, Any]:
        """Switch faults on (`PUT /_mock/faults`, see docs/faults.md); returns what is on."""
        return self._call("PUT", "/_mock/faults", faults)["faults"]

    def faults_off(self) -> None:
        """Every fault off: the site behaves normally again."""
        self._call("DELETE", "/_mock/faults")

    def receive_signed_document(self, inami_number: str) -> bool:
        """The back office receives the signed document of the project's pending registration (2.12-2.13)."""
        state = self._call("GET", "/_mock/state")
        project = next((p for p in state["projects"] if p["inami_number"] == inami_number), None)
        pending = [r for r in (project or {}).get("registrations", []) if r.get("status") != "active"]
        if not pending:
            return False
        number = pending[-1]["request_number"]
        try:
            self._call("POST", f"/_mock/registrations/{quote(number)}/signed-document-received")
        except HTTPError as refused:
            raise SignedDocumentNotReceived(number, refused) from None
        return True


def walk_data(seed: int = 2018, language: str = "fr") -> dict[str, Any]:
    """A project with its responsable, a co-GAP and a user (Faker, seeded: the same every run), people of the
    language walked (fr or nl)."""
    faker = builders.belgian_faker(seed)
    project = builders.project(faker, language=language)
    responsable = project["persons"][0]
    cogap, user = builders.user_data(faker, language=language), builders.user_data(faker, language=language)
    for person in (responsable, cogap, user):
        person["full_name"] = f"{person['first_name']} {person['last_name']}"
    responsable.setdefault("pin", "1234")
    return {"project": project, "responsable": responsable, "cogap": cogap, "user": user,
            "today": dt.date.today().strftime("%d/%m/%Y")}


def data_value(data: dict[str, Any], key: str) -> str:
    """A dotted key of the test data, e.g. `project.inami_number`."""
    value: Any = data
    for part in key.split("."):
        value = value[part]
    return str(value)
