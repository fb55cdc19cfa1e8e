"""Browser and mock set-up for every suite: one browser per run, a fresh context per test, state reset per test."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Browser, BrowserContext, BrowserType, Page, expect

from e2e import browsers, flows, sessions
from e2e.live_server import LiveServer
from e2e.pages.access import UsersPage
from e2e.contexts import LOCALES, locale_for, show_site
from e2e.pages.site import Site
from e2e.seeding import MockSeeder
from e2e.settings import harness_settings
from e2e.toolchain import ChromiumNotFound
from fixtures import builders
from mock_csam import create_app

SETTINGS = harness_settings()
pytest_plugins = ["e2e.reporting"]


def described_by(message: str) -> re.Pattern[str]:
    """An accessible description that contains this message (a hint may come before it)."""
    return re.compile(re.escape(message))


LANGUAGES = tuple(LOCALES)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--manual", dest="manual_edition", default=None, metavar="EDITION",
                     help="The manual edition e2e/test_manual_coverage.py checks: a file, or manual-2018 or current "
                          "(default: manual-2018).")
    parser.addoption("--lang", dest="site_lang", choices=LANGUAGES, default="fr",
                     help="The language the browser suites use the site in (default: fr, the manual's).")
    parser.addoption("--browser-ws-endpoint", dest="browser_ws_endpoint", default=None, metavar="WS_URL",
                     help="Get the browser from this Playwright browser server (`playwright run-server`) instead of "
                          "launching Chromium here (default: CSAM_HARNESS_BROWSER_WS; see e2e/browsers.py).")


@pytest.fixture(scope="session")
def lang(pytestconfig: pytest.Config) -> str:
    """The language of this run (--lang): the site's pages, the page objects' words and the test data's names."""
    return pytestconfig.getoption("site_lang", "fr")


# The type of `say`, for the tests' signatures.
Say = Callable[..., str]


@pytest.fixture(scope="session")
def say(mock_app, lang: str) -> Say:
    """A French sentence of the mock as its pages show it in this run's language (its translation catalogue),
    placeholders filled: tests assert the site's messages with it."""
    from flask_babel import force_locale

    from mock_csam.i18n import gettext

    def translate(text: str, **values: Any) -> str:
        with mock_app.test_request_context(), force_locale(lang):
            return gettext(text, **values)

    return translate


@pytest.fixture(scope="session")
def mock_app():
    """The mock, in this process, with a temporary database shared by the server thread and the tests."""
    return create_app({"DATABASE": ":memory:", "CONTROL_API": True, "SECRET_KEY": "e2e-tests"})


@pytest.fixture(scope="session")
def live_server(mock_app) -> Iterator[LiveServer]:
    """The mock served on a free port for the browser."""
    server = LiveServer(mock_app).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_mock() -> Iterator[Callable[..., str]]:
    """A mock of the test's own, served in a thread and stopped after the test, for walks whose renamed labels or
    site version must not reach the other suites' mock: `fresh_mock(site_version, renames, random_seed)` → URL."""
    servers: list[LiveServer] = []

    def serve(site_version: str = "manual-2018", renames: dict[str, str] | None = None,
              random_seed: int | None = None) -> str:
        app = create_app({"DATABASE": ":memory:", "CONTROL_API": True, "SITE_VERSION": site_version,
                          "RENAMED_LABELS": renames or {}, "RANDOM_SEED": random_seed})
        servers.append(LiveServer(app).start())
        return servers[-1].url

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config, live_server: LiveServer) -> str:
    """pytest-playwright's base URL: --base-url when given, else the in-process mock."""
    return pytestconfig.getoption("base_url", None) or SETTINGS.BASE_URL or live_server.url


@pytest.fixture(scope="session")
def browser_ws_endpoint(pytestconfig: pytest.Config) -> str | None:
    """The Playwright browser server to use (--browser-ws-endpoint, CSAM_HARNESS_BROWSER_WS), else None."""
    try:
        return browsers.browser_ws_endpoint(pytestconfig.getoption("browser_ws_endpoint", None), SETTINGS)
    except browsers.BrowserUnavailable as exc:
        pytest.exit(str(exc), returncode=3)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], browser_type: BrowserType,
                             browser_ws_endpoint: str | None) -> dict[str, Any]:
    """pytest-playwright's launch options plus the Chromium this machine has (see playwright.config.py): its
    headless shell when installed and the run is headless; none when a browser server launches it."""
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *SETTINGS.LAUNCH_ARGS]}
    if browser_ws_endpoint:
        return args
    try:
        executable = browsers.local_chromium(SETTINGS, browser_type.executable_path,
                                             headless=args.get("headless", True))
    except ChromiumNotFound as exc:
        pytest.exit(str(exc), returncode=3)
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser(browser_type: BrowserType, browser_type_launch_args: dict[str, Any],
            browser_ws_endpoint: str | None) -> Iterator[Browser]:
    """One browser per pytest process (per xdist worker): launched here, or from the browser server."""
    try:
        opened = browsers.open_browser(browser_type, browser_type_launch_args, endpoint=browser_ws_endpoint,
                                       remote_executable=SETTINGS.REMOTE_CHROMIUM)
    except browsers.BrowserUnavailable as exc:
        pytest.exit(str(exc), returncode=3)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], lang: str) -> dict[str, Any]:
    """Every context the same size, language and time zone."""
    return {**browser_context_args, "viewport": SETTINGS.VIEWPORT,
            "locale": SETTINGS.LOCALE if lang == "fr" else locale_for(lang), "timezone_id": SETTINGS.TIMEZONE}


@pytest.fixture
def context(context: BrowserContext, base_url: str, lang: str) -> BrowserContext:
    """pytest-playwright's fresh context per test, in this run's language."""
    return show_site(context, base_url, Site(lang=lang))


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout() -> None:
    expect.set_options(timeout=SETTINGS.EXPECT_TIMEOUT_MS)


@pytest.fixture
def page(page: Page) -> Page:
    """pytest-playwright's page with the harness's action timeout."""
    page.set_default_timeout(SETTINGS.ACTION_TIMEOUT_MS)
    return page


@pytest.fixture
def mock(mock_app) -> Iterator[MockSeeder]:
    """The mock's domain layer, emptied before each test, to seed preconditions and read the state."""
    seeder = MockSeeder(mock_app)
    seeder.reset()
    yield seeder


@pytest.fixture(autouse=True)
def faker_locale() -> list[str]:
    """French-speaking Belgian names with nl_BE identifiers and addresses (see fixtures/builders.py).

    Autouse because Faker's `faker` fixture only honours `faker_locale` when the test requests it.
    """
    return ["fr_BE", "nl_BE"]


@pytest.fixture
def today() -> dt.date:
    """The mock's today."""
    from mock_csam.domain import clock

    return clock.today()


@pytest.fixture
def project_data(faker: Faker, lang: str) -> dict[str, Any]:
    """A valid project with a responsable (persons[0]) and a certificate manager (persons[1]), people of this
    run's language."""
    return builders.project(faker, language=lang)


@pytest.fixture
def seeded_project(mock: MockSeeder, project_data: dict[str, Any]) -> dict[str, Any]:
    """The project recorded by INAMI (step 1 done)."""
    mock.project(project_data)
    return project_data


@pytest.fixture
def responsable(seeded_project: dict[str, Any]) -> dict[str, Any]:
    """The project's responsable in SZV."""
    return seeded_project["persons"][0]


@pytest.fixture
def gap_project(mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any]) -> dict[str, Any]:
    """A project whose responsable is its active GAP (step 2 done and signed)."""
    mock.active_gap(seeded_project, responsable)
    return seeded_project


@pytest.fixture
def other_page(new_context: Callable[..., BrowserContext], base_url: str, lang: str) -> Page:
    """A page in a second browser (its own cookies), for another person working at the same time."""
    second = show_site(new_context(), base_url, Site(lang=lang)).new_page()
    second.set_default_timeout(SETTINGS.ACTION_TIMEOUT_MS)
    return second


LogInAs = Callable[..., UsersPage]


@pytest.fixture
def log_in_as(page: Page, mock: MockSeeder, mock_app, live_server: LiveServer, base_url: str) -> LogInAs:
    """Straight to a project's «Utilisateurs» (3.9 / 4.9) logged in with the person's eID, for tests about what
    follows: on the in-process mock the login is handed to the browser (e2e/sessions.py: the same eID check,
    without its screens); on a site at --base-url, through CSAM's login screens.

    `log_in_as(project, person)` uses the test's page; `on=other_page` logs in in another browser.
    """

    def log_in(project: dict[str, Any], person: dict[str, Any], *, on: Page | None = None) -> UsersPage:
        target = on or page
        project_id = mock.project_state(project["inami_number"])["id"]
        if base_url != live_server.url:
            return flows.log_in_to_users_page(target, person["niss"], flows.DEFAULT_PIN, project_id)
        sessions.seed_eid_login(mock_app, target.context, base_url, person["niss"], flows.DEFAULT_PIN)
        target.goto(UsersPage.path_for(project_id))
        return UsersPage(target).wait_until_ready()

    return log_in
