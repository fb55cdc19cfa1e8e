"""No data lost: several browsers at once, double clicks, and the served mock's file database.

These tests talk HTTP to a real threaded server (the one the harness uses), so requests truly overlap.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from flask import Flask
from helpers import GAP_A, GAP_B, INAMI_A, INAMI_B, seed_member, seed_world, state

from e2e.live_server import LiveServer
from fixtures import builders
from mock_csam import create_app
from mock_csam.domain import rules
from mock_csam.domain.models import COGAP, INCLUSION_APP

PASSWORD = "Parallele2024"
USERS_PER_BROWSER = 4


class Browser:
    """An HTTP client with its own cookies that fills forms as a browser does (CSRF token included)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.last_page = ""
        self.last_url = ""

    def get(self, path: str) -> str:
        """Open a page (following redirects); returns its HTML."""
        return self._open(urllib.request.Request(self.base_url + path))

    def submit(self, path: str, fields: dict[str, Any], token_from: str | None = None) -> str:
        """Post a form with the CSRF token of the page `token_from` (default: the last page seen)."""
        page = self.get(token_from) if token_from else self.last_page
        found = re.search(r'<input[^>]*name="[\w-]*csrf_token"[^>]*value="([^"]+)"', page)
        assert found, f"no form on {self.last_url}"
        body = urllib.parse.urlencode({"csrf_token": found.group(1), **fields}, doseq=True).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body, method="POST"))

    def _open(self, request: urllib.request.Request) -> str:
        try:
            with self.opener.open(request, timeout=60) as response:
                self.last_url = response.url
                self.last_page = response.read().decode()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{request.full_url} answered {error.code}: {error.read().decode()[:500]}") from None
        return self.last_page

    def log_in(self, niss: str, pin: str) -> None:
        self.submit("/csam/login", {"eid-niss": niss, "eid-pin": pin, "eid-submit": "x"}, token_from="/csam/login")
        assert "/csam/access/entites" in self.last_url, self.last_page[:500]

    def add_user(self, pid: int, user: dict[str, Any]) -> None:
        """4.10-4.14: the NISS, the data with the inclusion application, «Confirmer»."""
        base = f"/csam/access/{pid}/inami/utilisateurs"
        self.submit(f"{base}/nouveau", {"user-niss": user["niss"]}, token_from=base)
        assert self.last_url.endswith("/nouveau/donnees"), self.last_page[:800]
        self.submit(
            f"{base}/nouveau/donnees",
            {
                "last_name": user["last_name"],
                "first_name": user["first_name"],
                "email": user["email"],
                "language": "fr",
                "username": user["username"],
                "password": PASSWORD,
                "applications": INCLUSION_APP,
            },
        )
        assert self.last_url.endswith("/nouveau/confirmation"), self.last_page[:800]

    def confirm(self, pid: int) -> None:
        self.submit(f"/csam/access/{pid}/inami/utilisateurs/nouveau/confirmation", {"confirm": "Confirmer"})


def served(database: str) -> Iterator[tuple[Flask, str]]:
    app = create_app({"DATABASE": database, "SECRET_KEY": "data-safety"})
    server = LiveServer(app).start()
    try:
        yield app, server.url
    finally:
        server.stop()
        app.extensions["csam_store"].dispose()


@pytest.fixture(params=["file", "memory"])
def mock(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """The mock served over HTTP on a file database (as `csam-mock serve`) or in memory (as the harness)."""
    yield from served(str(tmp_path / "mock.sqlite3") if request.param == "file" else ":memory:")


def run_together(*tasks: Callable[[], Any]) -> list[Any]:
    """Start the tasks at the same moment in their own threads; re-raise the first failure."""
    barrier = threading.Barrier(len(tasks))

    def started(task: Callable[[], Any]) -> Any:
        barrier.wait()
        return task()

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return [f.result() for f in [pool.submit(started, t) for t in tasks]]


def member_nisses(app: Flask, inami: str) -> list[str]:
    project = next(p for p in state(app)["projects"] if p["inami_number"] == inami)
    return sorted(m["niss"] for m in project["members"])


def test_parallel_browsers_registering_users_lose_nothing(mock: tuple[Flask, str], faker: Faker) -> None:
    app, url = mock
    world = seed_world(app)
    cogap = builders.user_data(faker)
    seed_member(
        app,
        world["a"],
        GAP_A,
        cogap["niss"],
        cogap["first_name"],
        cogap["last_name"],
        kind=COGAP,
        username=cogap["username"],
    )
    managers = [(GAP_A, "4321", world["a"]), (cogap["niss"], "1234", world["a"]), (GAP_B, "1234", world["b"])]
    planned = {pid: [] for _niss, _pin, pid in managers}

    def browser_of(niss: str, pin: str, pid: int) -> Callable[[], None]:
        users = [builders.user_data(faker) for _ in range(USERS_PER_BROWSER)]
        planned[pid].extend(users)

        def work() -> None:
            browser = Browser(url)
            browser.log_in(niss, pin)
            for user in users:
                browser.add_user(pid, user)
                browser.confirm(pid)
                assert "a été créé" in browser.last_page, browser.last_page[:800]

        return work

    before_a, before_b = member_nisses(app, INAMI_A), member_nisses(app, INAMI_B)
    run_together(*(browser_of(*manager) for manager in managers))

    assert member_nisses(app, INAMI_A) == sorted(before_a + [u["niss"] for u in planned[world["a"]]])
    assert member_nisses(app, INAMI_B) == sorted(before_b + [u["niss"] for u in planned[world["b"]]])
    usernames = [p["username"] for p in state(app)["persons"] if p["username"]]
    assert len(usernames) == len(set(usernames))


def test_two_browsers_taking_the_same_user_name_at_once_get_one_account(mock: tuple[Flask, str], faker: Faker) -> None:
    app, url = mock
    world = seed_world(app)
    first, second = builders.user_data(faker), builders.user_data(faker)
    second["username"] = first["username"]
    browsers = [Browser(url), Browser(url)]
    for browser, pid, (niss, pin), user in zip(
        browsers, (world["a"], world["b"]), ((GAP_A, "4321"), (GAP_B, "1234")), (first, second), strict=False
    ):
        browser.log_in(niss, pin)
        browser.add_user(pid, user)

    run_together(lambda: browsers[0].confirm(world["a"]), lambda: browsers[1].confirm(world["b"]))

    created = [b for b in browsers if "a été créé" in b.last_page]
    refused = [b for b in browsers if "Ce nom d&#39;utilisateur est déjà pris" in b.last_page]
    assert len(created) == 1 and len(refused) == 1, "one wins, the other is told why on its page"
    owners = [p for p in state(app)["persons"] if p["username"] == first["username"]]
    assert len(owners) == 1
    assert first["niss"] not in member_nisses(app, INAMI_A) or second["niss"] not in member_nisses(app, INAMI_B)


def test_double_click_on_enregistrer_creates_one_request(mock: tuple[Flask, str], faker: Faker) -> None:
    app, url = mock
    project = builders.project(faker)
    gap = project["persons"][0]
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        rules.record_project(db, project)
    browser = Browser(url)
    browser.submit(
        "/csam/registration/",
        {"identification_type": rules.PROJECT_TYPE, "inami_number": project["inami_number"]},
        token_from="/csam/registration/",
    )
    browser.submit("/csam/registration/organisation", {"submit": "Suivant"})
    browser.submit(
        "/csam/registration/gestionnaire",
        {
            "niss": gap["niss"],
            "last_name": gap["last_name"],
            "first_name": gap["first_name"],
            "email": "gap@projet.example",
            "phone": "+32 2 123 45 67",
            "language": "fr",
        },
    )
    assert browser.last_url.endswith("/csam/registration/confirmation"), browser.last_page[:800]
    confirmation = browser.last_page
    clicks = [Browser(url), Browser(url)]
    for click in clicks:
        # Both clicks leave from the same page with the same cookie, as a double click does.
        for cookie in browser.cookies:
            click.cookies.set_cookie(cookie)
        click.last_page = confirmation

    run_together(*(lambda c=c: c.submit("/csam/registration/confirmation", {"confirm": "y"}) for c in clicks))

    registrations = next(p for p in state(app)["projects"] if p["inami_number"] == project["inami_number"])[
        "registrations"
    ]
    assert len(registrations) == 1
    number = registrations[0]["request_number"]
    for click in clicks:
        assert click.last_url.endswith(f"/csam/registration/{number}/finalisation"), click.last_page[:800]


def test_double_click_on_confirmer_creates_one_user(mock: tuple[Flask, str], faker: Faker) -> None:
    app, url = mock
    world = seed_world(app)
    user = builders.user_data(faker)
    browser = Browser(url)
    browser.log_in(GAP_A, "4321")
    browser.add_user(world["a"], user)
    clicks = [Browser(url), Browser(url)]
    for click in clicks:
        for cookie in browser.cookies:
            click.cookies.set_cookie(cookie)
        click.last_page = browser.last_page
    before = member_nisses(app, INAMI_A)

    run_together(*(lambda c=c: c.confirm(world["a"]) for c in clicks))

    assert member_nisses(app, INAMI_A) == sorted([*before, user["niss"]])
    for click in clicks:
        assert click.last_url.endswith(f"/csam/access/{world['a']}/inami/utilisateurs"), click.last_page[:800]
        assert "a été créé" in click.last_page, "the second click sees the same success, not an error"
