"""The pages people read pass axe-core: no «serious» or «critical» violation on the mock's pages, in both site
versions (the manual's 2018 site and today's), forms shown with their error messages, error pages included, and
on the illustrated guide a walkthrough leaves (docs/accessibility.md).

Each test walks the pages that share its seeding and checks every one (e2e/accessibility.py); a failure lists each
failing page by name with the rules broken and the elements at fault. These tests perform no instruction of the
manual: they only look at the pages, hence no `manual` marker. Each site version gets a mock of its own in this
process (as e2e/test_site_current.py does), so they run the same whichever mock the other suites use (in-process
or served).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from faker import Faker
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from e2e import flows, sessions
from e2e.accessibility import Audit
from e2e.contexts import show_site, with_timeouts
from e2e.guide import build, guide_html
from e2e.live_server import LiveServer
from e2e.manual import MANUAL_FILE
from e2e.pages.access import UsersPage
from e2e.pages.inclusion import InclusionHomePage
from e2e.pages.login import CsamLoginPage
from e2e.pages.registration import ConfirmRequestPage, IdentificationPage
from e2e.pages.site import Site
from e2e.sample_recording import sample_recording
from e2e.seeding import MockSeeder
from e2e.walkthrough import Recording
from fixtures import builders
from mock_csam import create_app
from mock_csam.domain.models import COORDINATEUR, GESTIONNAIRE

# The walks serve mocks of their own in this process and hand logins to them (e2e/sessions.py); the guide is a
# file. Against a served mock they would check the same pages again, so that pass skips them.
# It serves mocks of its own and hands logins to them in this process: the same test against any mock.
pytestmark = pytest.mark.own_mock

VERSIONS = ("manual-2018", "current")
WRONG_PIN = "0000"
# The portal's pages, and those only today's site has (the manual's answers 404 there).
PORTAL = {
    "portal home": "/",
    "portal professionals": "/fr/professionnels",
    "portal citizens": "/fr/citoyens",
    "portal institutions": "/fr/institutions",
    "portal access": "/fr/acces",
    "portal access request": "/fr/acces/demande",
    "portal access management": "/fr/acces/gestion",
    "portal access management for companies": "/fr/acces/gestion/entreprises",
}
PORTAL_TODAY = {
    "portal user guide": "/fr/acces/demande/guide-utilisateur",
    "portal eID token": "/fr/acces/eid-token",
    "portal mandates": "/fr/acces/mandats",
}


class SiteUnderTest:
    """A site version's mock in this process: its app (to seed and hand logins) and its address."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.app: Flask = create_app(
            {"DATABASE": ":memory:", "CONTROL_API": True, "SITE_VERSION": version, "SECRET_KEY": f"axe-{version}"}
        )
        self.server = LiveServer(self.app).start()
        self.url = self.server.url
        self.seeder = MockSeeder(self.app)


@pytest.fixture(scope="module", params=VERSIONS)
def site(request: pytest.FixtureRequest) -> Iterator[SiteUnderTest]:
    """The mock of one site version, for the module."""
    served = SiteUnderTest(request.param)
    yield served
    served.server.stop()


@pytest.fixture
def mock(site: SiteUnderTest) -> Iterator[MockSeeder]:
    """The site's domain layer, emptied and with every fault off before each test; the faults off again after."""
    site.seeder.reset()
    site.seeder.faults_off()
    yield site.seeder
    site.seeder.faults_off()


@pytest.fixture
def site_page(browser: Browser, browser_context_args: dict[str, Any], site: SiteUnderTest, lang: str) -> Iterator[Page]:
    """A page in a fresh context on the site, whose page objects read that site version's words."""
    context = browser.new_context(**{**browser_context_args, "base_url": site.url})
    show_site(context, site.url, Site(site.version, lang=lang))
    page = with_timeouts(context.new_page())
    yield page
    context.close()


@pytest.fixture
def audit(site_page: Page) -> Audit:
    """The pages this test checks on the site, by name."""
    return Audit(site_page)


@pytest.fixture
def project(mock: MockSeeder, faker: Faker, lang: str) -> dict[str, Any]:
    """A project recorded by INAMI (step 1 done), its responsable not yet designated."""
    return mock.project(builders.project(faker, language=lang))


def visit(page: Page, path: str) -> None:
    """Open a page and wait for its main heading."""
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def shows_errors(page: Page) -> None:
    """Wait until the page shows its error messages: a field marked invalid or a message about the whole form."""
    expect(page.locator("[aria-invalid=true], [role=alert]").first).to_be_visible()


def log_in(site: SiteUnderTest, page: Page, person: dict[str, Any]) -> None:
    """Hand the person's eID login to the browser (e2e/sessions.py)."""
    sessions.seed_eid_login(site.app, page.context, site.url, person["niss"], flows.DEFAULT_PIN)


def test_portal_login_and_error_pages_pass_axe(
    site: SiteUnderTest, site_page: Page, audit: Audit, project: dict[str, Any]
) -> None:
    pages = {**PORTAL, **(PORTAL_TODAY if site.version == "current" else {})}
    for name, path in pages.items():
        visit(site_page, path)
        audit.check(name)

    login = CsamLoginPage(site_page)
    site_page.goto("/csam/login")
    login.wait_until_ready()
    audit.check("CSAM login")
    login.attempt_eid(project["persons"][0]["niss"], WRONG_PIN)
    shows_errors(site_page)
    audit.check("CSAM login refusing a wrong PIN")
    site_page.goto("/csam/login")
    CsamLoginPage(site_page).wait_until_ready().attempt_password("nobody", "wrong")
    shows_errors(site_page)
    audit.check("CSAM login refusing a wrong password")
    if site.version == "current":
        visit(site_page, "/app032/camregistration/aide")
        audit.check("CSAM registration help")

    visit(site_page, "/langue/de")
    audit.check("language not translated")
    visit(site_page, "/no/such/page")
    audit.check("404 not found")
    answer = site_page.request.put("/_mock/faults", data={"error_page": {"route": "/fr/"}})
    assert answer.ok, answer.text()
    visit(site_page, "/fr/acces")
    audit.check("service unavailable (maintenance)")

    assert not audit.failing, audit.report()


def test_designation_pages_pass_axe(
    site: SiteUnderTest, site_page: Page, audit: Audit, project: dict[str, Any]
) -> None:
    gap = project["persons"][0]
    form = flows.reach_designation_form(site_page, gap, via_portal=False)
    audit.check("designation: identification")
    form.click_suivant_and_stay()
    shows_errors(site_page)
    audit.check("designation: identification with errors")

    reached = flows.identify_project(IdentificationPage(site_page), project["inami_number"])
    if not isinstance(reached, ConfirmRequestPage):
        audit.check("designation: organisation")
        data_page = reached.click_suivant()
        audit.check("designation: access manager's data")
        data_page.click_suivant_and_stay()
        shows_errors(site_page)
        audit.check("designation: access manager's data with errors")
        reached = flows.fill_gap(data_page, gap).click_suivant()
    audit.check("designation: confirmation")
    reached.click_enregistrer_and_stay()
    shows_errors(site_page)
    audit.check("designation: confirmation with errors")
    reached.tick_oui_je_confirme().click_enregistrer()
    audit.check("designation: finalisation")

    assert not audit.failing, audit.report()


def test_access_management_pages_pass_axe(
    site: SiteUnderTest,
    site_page: Page,
    audit: Audit,
    mock: MockSeeder,
    project: dict[str, Any],
    faker: Faker,
    lang: str,
) -> None:
    gap = project["persons"][0]
    mock.active_gap(project, gap)
    user = mock.user(project, gap["niss"], builders.user_data(faker, language=lang), [GESTIONNAIRE], mock.today())
    user_name = flows.full_name(user)
    project_id = mock.project_state(project["inami_number"])["id"]

    visit(site_page, "/csam/access/")
    audit.check("access management home")
    log_in(site, site_page, gap)
    visit(site_page, "/csam/access/entites")
    audit.check("access management: entities")
    visit(site_page, f"/csam/access/{project_id}/")
    audit.check("access management: quality")
    visit(site_page, f"/csam/access/{project_id}/inami/")
    audit.check("access management: functionalities")

    site_page.goto(UsersPage.path_for(project_id))
    users = UsersPage(site_page).wait_until_ready()
    audit.check("users list")
    users.add_user.enter_niss("123").click_suivant_and_stay()
    shows_errors(site_page)
    audit.check("users list refusing a wrong NISS")
    newcomer = builders.user_data(faker, language=lang)
    data_page = users.add_user.enter_niss(newcomer["niss"]).click_suivant()
    audit.check("new user form")
    data_page.click_enregistrer_and_stay()
    shows_errors(site_page)
    audit.check("new user form with errors")
    data_page.fill_identity(newcomer["last_name"], newcomer["first_name"])
    data_page.fill_contact(newcomer["email"], newcomer["phone"], flows.language_label(site_page, lang))
    data_page.fill_credentials(newcomer["username"], newcomer["password"])
    confirmation = data_page.tick_gestion_projets_soins_integres().click_enregistrer()
    audit.check("new user confirmation")
    users = confirmation.click_confirmer()
    expect(users.status).to_be_visible()
    audit.check("users list after a creation")
    users.add_cogap.enter_niss(builders.user_data(faker, language=lang)["niss"]).click_suivant()
    audit.check("new co-manager form")

    site_page.goto(UsersPage.path_for(project_id))
    users = UsersPage(site_page).wait_until_ready()
    users.select_action().click_executer()
    shows_errors(site_page)
    audit.check("users list refusing a deletion without selection")
    users = flows.delete_users(users, flows.full_name(newcomer))
    expect(users.status).to_be_visible()
    audit.check("users list after a deletion")

    applications = users.click_modifier_applications(user_name)
    audit.check("user's applications")
    functions = applications.click_enregistrer().menu.click_fonctions_et_hierarchie()
    audit.check("functions and hierarchy")
    roles = functions.click_role_icon(user_name)
    audit.check("roles of a user")
    roles.type_start_date("31/02/2020").click_ajouter()
    shows_errors(site_page)
    audit.check("roles of a user with errors")
    roles.choose_functions(roles.words("function.coordinator")).enter_start_date(mock.today()).click_ajouter()
    expect(roles.status).to_be_visible()
    audit.check("roles of a user after adding one")

    assert not audit.failing, audit.report()


def test_inclusion_application_pages_pass_axe(
    site: SiteUnderTest,
    site_page: Page,
    audit: Audit,
    mock: MockSeeder,
    project: dict[str, Any],
    faker: Faker,
    lang: str,
) -> None:
    gap = project["persons"][0]
    mock.active_gap(project, gap)
    start = mock.today() - dt.timedelta(days=30)
    coordinator = mock.user(
        project, gap["niss"], builders.user_data(faker, language=lang), [GESTIONNAIRE, COORDINATEUR], start
    )
    no_role = mock.user(project, gap["niss"], builders.user_data(faker, language=lang))

    InclusionHomePage.open(site_page)
    audit.check("inclusion application login")
    log_in(site, site_page, coordinator)
    home = InclusionHomePage(site_page).goto()
    audit.check("inclusion application: projects")
    project_page = home.choose_project(project["name"])
    audit.check("inclusion application: project")
    project_page.include("123", "")
    shows_errors(site_page)
    audit.check("inclusion application: project with errors")
    project_page.include(builders.niss(faker), mock.today())
    expect(project_page.status).to_be_visible()
    audit.check("inclusion application: project after an inclusion")
    project_page.open_list_view()
    audit.check("inclusion application: list view")

    log_in(site, site_page, no_role)
    InclusionHomePage(site_page).goto().choose_project_refused(project["name"])
    audit.check("inclusion application: access refused")

    assert not audit.failing, audit.report()


# ---------------------------------------------------------------------------------------------------------
# The generated guide
# ---------------------------------------------------------------------------------------------------------

RECORDED = ("2.2", "2.3", "2.7", "2.9")


def _recorded(tmp_path: Path) -> Recording:
    """A small recording of the manual with one revised, one unverified and one removed instruction, with the
    screenshots (plain images) and markers a walkthrough leaves: every part of the guide shows."""
    data = yaml.safe_load(MANUAL_FILE.read_text(encoding="utf-8"))
    for entry in data["instructions"]:
        if entry["id"] == "2.7":
            entry["revision"] = {"change": "changed", "why": "Le bouton a changé.", "previous_text": "Suivant."}
        if entry["id"] == "2.3":
            entry["revision"] = {"change": "unverified", "why": "Le lien n'a pas été trouvé."}
    data["removed"] = [{"id": "2.14", "step": 2, "text": "Cliquez sur Terminer.", "why": "Plus de bouton."}]
    edition = tmp_path / "edition.yaml"
    edition.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sample_recording(tmp_path / "out", edition, RECORDED)


def test_generated_guide_passes_axe(page: Page, tmp_path: Path) -> None:
    recording = _recorded(tmp_path)
    page.set_content(guide_html(build(recording, previous=recording.out)))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit = Audit(page)
    audit.check("illustrated guide (HTML)")

    assert not audit.failing, audit.report()
