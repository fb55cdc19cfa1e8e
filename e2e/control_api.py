"""The Faker data the manual check and the walkthrough walk with, and what they seed through a site's control API
(with e2e/seeding.py's HttpSeeder, the same one the suites use against a served mock)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fixtures import builders


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
    return {
        "project": project,
        "responsable": responsable,
        "cogap": cogap,
        "user": user,
        "today": dt.date.today().strftime("%d/%m/%Y"),
    }


def data_value(data: dict[str, Any], key: str) -> str:
    """A dotted key of the test data, e.g. `project.inami_number`."""
    value: Any = data
    for part in key.split("."):
        value = value[part]
    return str(value)
