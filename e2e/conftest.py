"""Browser and mock set-up for every suite: one browser per run, a fresh context per test, state reset per test.

Where the mock is: in this process by default (seeded through its domain layer); with `--base-url` (or
CSAM_HARNESS_BASE_URL) a served mock at that address, seeded over HTTP; with `--served-mock` a `csam-mock serve`
started for the session in a process of its own (one for all xdist workers), seeded over HTTP. Over HTTP each
worker works in a namespace of its own (docs/served-suites.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from faker import Faker
from playwright.sync_api import Browser, BrowserContext, BrowserType, Page, expect

from e2e import browsers, flows, sessions
from e2e.contexts import LANGUAGES, context_options, show_site, with_timeouts
from e2e.fixture_types import LogInAs, Say
from e2e.live_server import LiveServer
from e2e.pages.access import UsersPage
from e2e.pages.site import Site
from e2e.seeding import NAMESPACE_COOKIE, HttpSeeder, MockSeeder, Seeder
from e2e.served_mock import ServedMock, ServedMockError
from e2e.settings import harness_settings
from e2e.toolchain import ChromiumNotFound
from fixtures import builders
from mock_csam import create_app

SETTINGS = harness_settings()
pytest_plugins = ["e2e.reporting"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--manual",
        dest="manual_edition",
        default=None,
        metavar="EDITION",
        help="The manual edition e2e/test_manual_coverage.py checks: a file, or manual-2018 or current "
        "(default: manual-2018).",
    )
    parser.addoption(
        "--lang",
        dest="site_lang",
        choices=LANGUAGES,
        default="fr",
        help="The language the browser suites use the site in (default: fr, the manual's).",
    )
    parser.addoption(
        "--browser-ws-endpoint",
        dest="browser_ws_endpoint",
        default=None,
        metavar="WS_URL",
        help="Get the browser from this Playwright browser server (`playwright run-server`) instead of "
        "launching Chromium here (default: CSAM_HARNESS_BROWSER_WS; see e2e/browsers.py).",
    )
    parser.addoption(
        "--served-mock",
        dest="served_mock",
        action="store_true",
        default=False,
        help="Run the suites against a `csam-mock serve --control-api` started for the session in a "
        "process of its own (one for all xdist workers), seeded over HTTP.",
    )


IN_PROCESS = "in_process"
OWN_MOCK = "own_mock"
RUN_ID = "csam_run_id"
SERVED_URL = "csam_served_url"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{IN_PROCESS}(reason): needs the in-process mock's internals (its app or store); skipped when the "
        "suites run against a served mock",
    )
    config.addinivalue_line(
        "markers",
        f"{OWN_MOCK}: serves a mock of its own, or runs a harness command that does (so does every test using "
        "`fresh_mock`): the same test whichever mock the suites use, so left out (deselected) when they run against "
        "a served mock",
    )
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:  # an xdist worker: the controller started the mock and named the run
        config.stash[_run_id] = workerinput[RUN_ID]
        config.stash[_served_url] = workerinput.get(SERVED_URL)
        return
    config.stash[_run_id] = uuid.uuid4().hex[:8]
    config.stash[_served_url] = None
    if config.getoption("served_mock", False):
        if config.getoption("base_url", None):
            pytest.exit("--served-mock starts a mock of its own: leave out --base-url", returncode=2)
        try:
            served = ServedMock().start()
        except ServedMockError as exc:
            pytest.exit(f"--served-mock: {exc}", returncode=3)
        config.stash[_served] = served
        config.stash[_served_url] = served.url


def pytest_unconfigure(config: pytest.Config) -> None:
    served = config.stash.get(_served, None)
    if served is not None:
        served.stop()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist: every worker shares the controller's run id and served mock."""
    node.workerinput[RUN_ID] = node.config.stash[_run_id]
    node.workerinput[SERVED_URL] = node.config.stash[_served_url]


_run_id = pytest.StashKey[str]()
_served_url = pytest.StashKey["str | None"]()
_served = pytest.StashKey[ServedMock]()


def served_url(config: pytest.Config) -> str | None:
    """The served mock the suites seed over HTTP (--served-mock, --base-url or CSAM_HARNESS_BASE_URL), or None for
    the in-process mock."""
    return config.stash.get(_served_url, None) or config.getoption("base_url", None) or SETTINGS.BASE_URL or None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    url = served_url(config)
    if url is None:
        return
    # What does not use the served mock was run as it is by the in-process run: not run twice.
    own: list[pytest.Item] = []
    kept: list[pytest.Item] = []
    for item in items:
        serves_its_own = item.get_closest_marker(OWN_MOCK) or "fresh_mock" in getattr(item, "fixturenames", ())
        (own if serves_its_own else kept).append(item)
    if own:
        config.hook.pytest_deselected(items=own)
        items[:] = kept
    for item in items:
        marker = item.get_closest_marker(IN_PROCESS)
        if marker is not None:
            why = marker.args[0] if marker.args else "needs the in-process mock"
            item.add_marker(pytest.mark.skip(reason=f"in-process only, the mock is served at {url}: {why}"))


@pytest.fixture(scope="session")
def namespace(pytestconfig: pytest.Config, worker_id: str) -> str | None:
    """This worker's namespace on a served mock (its own projects, persons, clock and reset), None in-process."""
    if served_url(pytestconfig) is None:
        return None
    return f"{pytestconfig.stash[_run_id]}-{worker_id}"


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """The xdist worker (gw0, gw1, ...), or "main" without xdist."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


@pytest.fixture(scope="session")
def lang(pytestconfig: pytest.Config) -> str:
    """The language of this run (--lang): the site's pages, the page objects' words and the test data's names."""
    return pytestconfig.getoption("site_lang", "fr")


@pytest.fixture(scope="session")
def say(request: pytest.FixtureRequest, pytestconfig: pytest.Config, lang: str) -> Say:
    """A French sentence of the mock as its pages show it in this run's language (its translation catalogue),
    placeholders filled: tests assert the site's messages with it. Against a served mock, an app object of this
    process (never served) reads the same catalogue."""
    from flask_babel import force_locale

    from mock_csam.i18n import gettext

    app = (
        request.getfixturevalue("mock_app")
        if served_url(pytestconfig) is None
        else create_app({"DATABASE": ":memory:", "SECRET_KEY": "e2e-catalogue"})
    )

    def translate(text: str, **values: Any) -> str:
        with app.test_request_context(), force_locale(lang):
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

    def serve(
        site_version: str = "manual-2018", renames: dict[str, str] | None = None, random_seed: int | None = None
    ) -> str:
        app = create_app(
            {
                "DATABASE": ":memory:",
                "CONTROL_API": True,
                "SITE_VERSION": site_version,
                "RENAMED_LABELS": renames or {},
                "RANDOM_SEED": random_seed,
            }
        )
        servers.append(LiveServer(app).start())
        return servers[-1].url

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest, pytestconfig: pytest.Config) -> str:
    """pytest-playwright's base URL: the served mock (--served-mock, --base-url), else the in-process mock, which
    is started only then."""
    return served_url(pytestconfig) or request.getfixturevalue("live_server").url


@pytest.fixture(scope="session")
def browser_ws_endpoint(pytestconfig: pytest.Config) -> str | None:
    """The Playwright browser server to use (--browser-ws-endpoint, CSAM_HARNESS_BROWSER_WS), else None."""
    try:
        return browsers.browser_ws_endpoint(pytestconfig.getoption("browser_ws_endpoint", None), SETTINGS)
    except browsers.BrowserUnavailable as exc:
        pytest.exit(str(exc), returncode=3)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType, browser_ws_endpoint: str | None
) -> dict[str, Any]:
    """pytest-playwright's launch options plus the Chromium this machine has (see playwright.config.py): its
    headless shell when installed and the run is headless; none when a browser server launches it."""
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *SETTINGS.LAUNCH_ARGS]}
    if browser_ws_endpoint:
        return args
    try:
        executable = browsers.local_chromium(
            SETTINGS, browser_type.executable_path, headless=args.get("headless", True)
        )
    except ChromiumNotFound as exc:
        pytest.exit(str(exc), returncode=3)
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any], browser_ws_endpoint: str | None
) -> Iterator[Browser]:
    """One browser per pytest process (per xdist worker): launched here, or from the browser server."""
    try:
        opened = browsers.open_browser(
            browser_type,
            browser_type_launch_args,
            endpoint=browser_ws_endpoint,
            remote_executable=SETTINGS.REMOTE_CHROMIUM,
        )
    except browsers.BrowserUnavailable as exc:
        pytest.exit(str(exc), returncode=3)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def browser_context_args(
    browser_context_args: dict[str, Any], lang: str, base_url: str, namespace: str | None
) -> dict[str, Any]:
    """Every context the same size, language and time zone; on a served mock, every context (the test's and any
    second browser) carries the worker's namespace, so that the pages read and write the namespace's data."""
    args = {**browser_context_args, **context_options(lang)}
    if namespace is not None:
        args["storage_state"] = {"cookies": [namespace_cookie(base_url, namespace)], "origins": []}
    return args


def namespace_cookie(base_url: str, namespace: str) -> dict[str, Any]:
    """The cookie by which a browser's pages work in a namespace of the served mock at base_url."""
    return {
        "name": NAMESPACE_COOKIE,
        "value": namespace,
        "domain": urlsplit(base_url).hostname or "localhost",
        "path": "/",
        "expires": -1,
        "httpOnly": False,
        "secure": False,
        "sameSite": "Lax",
    }


@pytest.fixture
def context(context: BrowserContext, base_url: str, lang: str) -> BrowserContext:
    """pytest-playwright's fresh context per test, in this run's language."""
    return show_site(context, base_url, Site(lang=lang))


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout() -> None:
    expect.set_options(timeout=SETTINGS.EXPECT_TIMEOUT_MS)


@pytest.fixture
def page(page: Page) -> Page:
    """pytest-playwright's page with the harness's action and navigation timeouts."""
    return with_timeouts(page)


@pytest.fixture
def mock(request: pytest.FixtureRequest, pytestconfig: pytest.Config, namespace: str | None) -> Seeder:
    """The mock's seeder, emptied before each test, to seed preconditions and read the state: the in-process
    mock's domain layer, or the served mock's control API in this worker's namespace."""
    url = served_url(pytestconfig)
    seeder: Seeder = MockSeeder(request.getfixturevalue("mock_app")) if url is None else HttpSeeder(url, namespace)
    seeder.reset()
    return seeder


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
def seeded_project(mock: Seeder, project_data: dict[str, Any]) -> dict[str, Any]:
    """The project recorded by INAMI (step 1 done)."""
    mock.project(project_data)
    return project_data


@pytest.fixture
def responsable(seeded_project: dict[str, Any]) -> dict[str, Any]:
    """The project's responsable in SZV."""
    return seeded_project["persons"][0]


@pytest.fixture
def gap_project(mock: Seeder, seeded_project: dict[str, Any], responsable: dict[str, Any]) -> dict[str, Any]:
    """A project whose responsable is its active GAP (step 2 done and signed)."""
    mock.active_gap(seeded_project, responsable)
    return seeded_project


@pytest.fixture
def other_page(new_context: Callable[..., BrowserContext], base_url: str, lang: str) -> Page:
    """A page in a second browser (its own cookies), for another person working at the same time."""
    return with_timeouts(show_site(new_context(), base_url, Site(lang=lang)).new_page())


@pytest.fixture
def log_in_as(page: Page, mock: Seeder, request: pytest.FixtureRequest, base_url: str) -> LogInAs:
    """Straight to a project's «Utilisateurs» (3.9 / 4.9) logged in with the person's eID, for tests about what
    follows: on the in-process mock the login is handed to the browser (e2e/sessions.py: the same eID check,
    without its screens); on a served mock, through CSAM's login screens.

    `log_in_as(project, person)` uses the test's page; `on=other_page` logs in in another browser.
    """

    def log_in(project: dict[str, Any], person: dict[str, Any], *, on: Page | None = None) -> UsersPage:
        target = on or page
        project_id = mock.project_state(project["inami_number"])["id"]
        if served_url(request.config) is not None:
            return flows.log_in_to_users_page(target, person["niss"], flows.DEFAULT_PIN, project_id)
        app = request.getfixturevalue("mock_app")
        sessions.seed_eid_login(app, target.context, base_url, person["niss"], flows.DEFAULT_PIN)
        target.goto(UsersPage.path_for(project_id))
        return UsersPage(target).wait_until_ready()

    return log_in
