"""Fixtures of the unit tests: a fresh in-memory store, the mock's Flask app and test client, seeded Fakers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from faker import Faker
from flask import Flask
from flask.testing import FlaskClient

from fixtures import builders
from mock_csam import create_app
from mock_csam.domain import clock
from mock_csam.domain.store import Store

# A Thursday: five working days later is the next Thursday, across one weekend.
FIXED_TODAY = dt.date(2024, 5, 2)


@pytest.fixture(autouse=True)
def faker_locale() -> list[str]:
    """French-speaking Belgian names with nl_BE identifiers and addresses (see fixtures/builders.py).

    Autouse because Faker's plugin reads this fixture only when the test's closure already holds it.
    """
    return ["fr_BE", "nl_BE"]


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty database of the mock, for the domain rules."""
    db = Store(":memory:")
    yield db
    db.dispose()


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Pins the mock's clock to FIXED_TODAY so dates in letters and registrations are known."""
    monkeypatch.setattr(clock, "today", lambda: FIXED_TODAY)
    return FIXED_TODAY


@pytest.fixture
def project_data(faker: Faker) -> dict[str, Any]:
    """A valid project: persons[0] is its responsable, persons[1] its certificate manager."""
    return builders.project(faker)


@pytest.fixture
def app() -> Flask:
    """The mock with its control API, on an in-memory database."""
    return create_app({"TESTING": True, "DATABASE": ":memory:", "CONTROL_API": True, "SECRET_KEY": "tests"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the mock with its control API."""
    return app.test_client()
