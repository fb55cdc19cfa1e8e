"""Today's site (`current`) walked by the same page objects and flows as the manual's: the designation of step 2
as today's CSAM asks for it (the login first, «Type d'institution», «Numéro d'institution (8 chiffres)»,
«Enregistrer mon institution dans CSAM», the confirmation), instruction IDs of the edition for today's site
(e2e/manual-current.yaml). What differs is data (e2e/pages/site.py), not classes.

This module serves its own mock of version `current`; the other suites' mock stays the manual's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Browser, Page, expect

from e2e import flows
from e2e.live_server import LiveServer
from e2e.pages.login import CsamLoginPage
from e2e.pages.portal import PortalHome
from e2e.pages.registration import ConfirmRequestPage, IdentificationPage
from e2e.pages.site import Site, use_site
from e2e.seeding import MockSeeder
from e2e.settings import harness_settings
from fixtures import builders
from mock_csam import create_app

# It serves a mock of its own (version `current`): the same test against any mock.
pytestmark = pytest.mark.own_mock

SETTINGS = harness_settings()
PENDING = "En attente du document signé"


@pytest.fixture(scope="module")
def current_app():
    """The mock as today's site, with its own database."""
    return create_app(
        {"DATABASE": ":memory:", "CONTROL_API": True, "SITE_VERSION": "current", "SECRET_KEY": "e2e-current"}
    )


@pytest.fixture(scope="module")
def current_server(current_app) -> Iterator[LiveServer]:
    server = LiveServer(current_app).start()
    yield server
    server.stop()


@pytest.fixture
def current(current_app) -> MockSeeder:
    """Today's site's domain layer, emptied before each test."""
    seeder = MockSeeder(current_app)
    seeder.reset()
    return seeder


@pytest.fixture
def today_page(browser: Browser, browser_context_args: dict[str, Any], current_server: LiveServer) -> Iterator[Page]:
    """A page in a fresh context on today's site, whose page objects read today's words."""
    context = browser.new_context(**{**browser_context_args, "base_url": current_server.url})
    use_site(context, Site("current"))
    page = context.new_page()
    page.set_default_timeout(SETTINGS.ACTION_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def project(current: MockSeeder, faker: Faker) -> dict[str, Any]:
    data = builders.project(faker)
    current.project(data)
    return data


@pytest.mark.manual("2.1", "2.2", "2.3", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.10", "2.11")
def test_todays_designation_goes_through_the_login_and_one_confirmation(
    today_page: Page, current: MockSeeder, project: dict[str, Any]
) -> None:
    gap = project["persons"][0]
    request = (
        PortalHome(today_page)
        .open()
        .click_professionnels_de_la_sante()
        .click_comment_acceder_au_portail()
        .click_demande_d_acces()
    )
    expect(request.register_via_csam_link).to_have_count(1)  # the one of care institutions' section

    login = request.click_enregistrez_vous_via_csam()
    assert isinstance(login, CsamLoginPage)
    form = login.with_eid_back_to(gap["niss"], flows.DEFAULT_PIN, IdentificationPage)
    expect(form.identification_type).to_be_visible()
    expect(form.next_button).to_have_text("Enregistrer mon institution dans CSAM")

    confirmation = flows.identify_project(form, project["inami_number"])
    assert isinstance(confirmation, ConfirmRequestPage)
    expect(confirmation.email).to_have_value(gap["email"])  # from INAMI's records: what 2.9 typed in 2018
    expect(confirmation.main).to_contain_text(project["name"])

    finalisation = confirmation.tick_credentials_by_post().tick_oui_je_confirme().click_enregistrer()
    expect(finalisation.status_text(PENDING)).to_be_visible()
    registrations = current.project_state(project["inami_number"])["registrations"]
    assert [(r["gap_niss"], r["status"], r["credentials_by_post"]) for r in registrations] == [
        (gap["niss"], "pending_signature", True)
    ]
    assert finalisation.read_request_number() == registrations[0]["request_number"]


@pytest.mark.manual("2.5.1")
def test_the_shortcut_to_the_form_asks_for_the_login_first_on_todays_site(
    today_page: Page, project: dict[str, Any]
) -> None:
    form = flows.reach_designation_form(today_page, project["persons"][0], via_portal=False)
    expect(form.heading).to_have_text("Désigner un Gestionnaire d'Accès Principal")
    expect(form.header.log_out_button).to_be_visible()
