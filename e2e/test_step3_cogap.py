"""Step 3 in the browser: the GAP reaches the users page and designates co-GAPs (3.1-3.12)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.fixture_types import LogInAs, Say
from e2e.pages.access import UsersPage
from e2e.pages.site import Site
from e2e.seeding import MockSeeder
from fixtures import builders

# The mock's French msgids of what these tests read (through `say`): the users table's member types, the
# status after «Annuler».
COGAP_TYPE = "Co-gestionnaire principal d'accès"
GAP_TYPE = "Gestionnaire d'Accès Principal"
CANCELLED = "La création a été annulée : rien n'a été enregistré."


@pytest.mark.manual("3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7")
def test_gap_reaches_csam_from_the_portal_and_sees_only_the_projects_it_manages(
    page: Page, mock: MockSeeder, faker: Faker, gap_project: dict[str, Any], responsable: dict[str, Any], lang: str
) -> None:
    other = mock.project(builders.project(faker, language=lang))
    mock.active_gap(other, other["persons"][0])

    home = flows.reach_access_management(page)
    expect(home.heading).to_be_visible()
    expect(page).to_have_url(re.compile(r"/csam/access/$"))
    login = home.click_se_connecter()
    expect(login.eid).to_be_visible()
    entities = login.with_eid(responsable["niss"], flows.DEFAULT_PIN)

    expect(entities.enterprise(gap_project["name"])).to_be_visible()
    expect(entities.enterprise(other["name"])).to_have_count(0)
    expect(entities.enterprise_links).to_have_count(1)
    expect(entities.header.logged_in_as).to_contain_text(flows.full_name(responsable))


@pytest.mark.manual("3.6", "3.7", "3.8", "3.9")
def test_quality_and_menu_lead_to_the_users_of_the_project(
    page: Page, gap_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    entities = (
        flows.reach_access_management(page, via_portal=False)
        .click_se_connecter()
        .with_eid(responsable["niss"], flows.DEFAULT_PIN)
    )
    quality = entities.choose_enterprise(gap_project["name"])
    expect(quality.heading).to_be_visible()
    expect(quality.inami_quality_link).to_be_visible()

    functionalities = quality.click_organisation_reconnue_par_l_inami()
    expect(functionalities.menu.nav).to_be_visible()
    expect(functionalities.menu.users_link).to_be_visible()
    expect(functionalities.menu.functions_link).to_be_visible()
    users = functionalities.click_utilisateurs()

    expect(users.heading).to_be_visible()
    expect(users.row(responsable["niss"])).to_contain_text(say(GAP_TYPE))
    expect(users.add_cogap.region).to_be_visible()
    expect(users.add_user.region).to_be_visible()


@pytest.mark.manual("3.10", "3.11", "3.12")
def test_cogap_is_created_once_confirmed(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
    say: Say,
) -> None:
    cogap = builders.user_data(faker, language=lang)
    users = log_in_as(gap_project, responsable)

    data_page = users.add_cogap.enter_niss(cogap["niss"]).click_suivant()
    expect(data_page.heading).to_be_visible()
    expect(data_page.niss).to_have_value(cogap["niss"])
    expect(data_page.username).to_be_visible()
    data_page.fill_identity(cogap["last_name"], cogap["first_name"]).fill_contact(cogap["email"], cogap["phone"])
    confirmation = data_page.fill_credentials(cogap["username"], cogap["password"]).click_enregistrer()
    expect(confirmation.heading).to_be_visible()
    expect(confirmation.summary).to_contain_text(cogap["niss"])
    assert cogap["niss"] not in mock.members_by_niss(gap_project["inami_number"])

    users = confirmation.click_confirmer()

    expect(users.status).to_contain_text(
        say("Le co-gestionnaire principal d'accès %(name)s a été créé.", name=flows.full_name(cogap))
    )
    expect(users.row(cogap["niss"])).to_contain_text(say(COGAP_TYPE))
    member = mock.members_by_niss(gap_project["inami_number"])[cogap["niss"]]
    assert (member["kind"], member["first_name"], member["last_name"]) == (
        "cogap",
        cogap["first_name"],
        cogap["last_name"],
    )


@pytest.mark.manual("3.10", "3.11", "3.12", "3.6", "3.7")
def test_cogap_designated_by_the_gap_logs_in_and_manages_the_project(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
) -> None:
    cogap = builders.user_data(faker, language=lang)
    flows.add_cogap(log_in_as(gap_project, responsable), cogap)

    home = UsersPage(page).header.log_out()
    entities = home.click_se_connecter().with_eid(cogap["niss"], flows.DEFAULT_PIN)

    expect(entities.header.logged_in_as).to_contain_text(flows.full_name(cogap))
    quality = entities.choose_enterprise(gap_project["name"])
    users = quality.click_organisation_reconnue_par_l_inami().click_utilisateurs()
    expect(users.add_user.region).to_be_visible()
    assert mock.members_by_niss(gap_project["inami_number"])[cogap["niss"]]["kind"] == "cogap"


@pytest.mark.manual("3.12")
def test_cancelled_cogap_is_not_saved(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
    say: Say,
) -> None:
    cogap = builders.user_data(faker, language=lang)
    users = log_in_as(gap_project, responsable)
    data_page = users.add_cogap.enter_niss(cogap["niss"]).click_suivant()
    data_page.fill_identity(cogap["last_name"], cogap["first_name"]).fill_contact(cogap["email"], cogap["phone"])
    confirmation = data_page.fill_credentials(cogap["username"], cogap["password"]).click_enregistrer()

    users = confirmation.click_annuler()

    expect(users.status).to_contain_text(say(CANCELLED))
    expect(users.row(cogap["niss"])).to_have_count(0)
    assert cogap["niss"] not in mock.members_by_niss(gap_project["inami_number"])


@pytest.mark.manual("3.7", "3.10")
def test_cogap_manages_users_but_cannot_designate_cogaps(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
) -> None:
    cogap = builders.user_data(faker, language=lang)
    mock.cogap(gap_project, responsable["niss"], cogap)

    users = log_in_as(gap_project, cogap)

    expect(users.header.logged_in_as).to_contain_text(flows.full_name(cogap))
    expect(users.add_user.region).to_be_visible()
    expect(users.add_cogap.region).to_have_count(0)


@pytest.mark.manual("3.7")
def test_another_projects_pages_are_not_found(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
) -> None:
    other = mock.project(builders.project(faker, language=lang))
    mock.active_gap(other, other["persons"][0])
    log_in_as(gap_project, responsable)

    response = page.goto(f"/csam/access/{other['id']}/inami/utilisateurs")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1, name=Site(lang=lang).label("error.not_found"))).to_be_visible()
    expect(page.get_by_text(other["name"])).to_have_count(0)


NissFor = Callable[[Faker, dict[str, Any]], str]


@pytest.mark.manual("3.10")
@pytest.mark.parametrize(
    ("niss_for", "message"),
    [
        pytest.param(
            lambda f, gap: builders.broken_niss(f),
            "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
            id="check-digits",
        ),
        pytest.param(lambda f, gap: gap["niss"][:10], "Le NISS doit compter 11 chiffres.", id="ten-digits"),
        pytest.param(lambda f, gap: "", "Le NISS est obligatoire.", id="empty"),
        pytest.param(
            lambda f, gap: gap["niss"], "Cette personne est déjà enregistrée pour ce projet.", id="already-registered"
        ),
    ],
)
def test_cogap_niss_refused_with_message_in_its_region(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    niss_for: NissFor,
    message: str,
    log_in_as: LogInAs,
    say: Say,
) -> None:
    typed = niss_for(faker, responsable)
    users = log_in_as(gap_project, responsable)

    users = users.add_cogap.enter_niss(typed).click_suivant_and_stay()

    message = say(message)
    expect(users.add_cogap.region.get_by_text(message)).to_be_visible()
    expect(users.add_cogap.niss).to_have_accessible_description(re.compile(re.escape(message)))
    expect(users.add_cogap.niss).to_have_value(typed)
    expect(users.add_user.region.get_by_text(message)).to_have_count(0)
    assert list(mock.members_by_niss(gap_project["inami_number"])) == [responsable["niss"]]
