"""The catalogue's rules (README, «Rule catalogue») of the designation form (step 2) and of CSAM's login, refused
in the browser where the step suites do not already.

Each refusal is proved as a person meets it: the message on the same page, what was typed still there, and
nothing saved (read through `mock`). Rules that are tables are parametrised matrices. The rules of the user
forms are in e2e/test_rules_users.py, those of who may do what in e2e/test_rules_access.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.assertions import described_by
from e2e.pages.access import AccessManagementHome, UsersPage
from e2e.pages.base import ErrorPage
from e2e.pages.registration import IdentificationPage
from e2e.rules_support import (
    CONTACT_FORMATS,
    NISS_KINDS,
    SCRIPT_PAYLOADS,
    WRONG_CHECK_DIGITS,
    WRONG_CREDENTIALS,
    no_script_ran,
    project_id,
    with_wrong_check_digits,
)
from e2e.seeding import MockSeeder
from fixtures import builders


@pytest.fixture
def project_of(mock: MockSeeder, faker: Faker) -> Callable[[str], tuple[dict[str, Any], dict[str, Any]]]:
    """A recorded project whose responsable has a NISS of the given kind; returns (project, responsable)."""

    def record(kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
        chief = builders.person(faker, niss=NISS_KINDS[kind](faker))
        certificate_manager = builders.person(faker, szv_role=builders.SZV_CERTIFICATE_MANAGER)
        data = builders.project(faker, persons=[chief, certificate_manager])
        mock.project(data)
        return data, chief

    return record


@pytest.mark.manual("2.9")
@pytest.mark.parametrize("kind", NISS_KINDS)
def test_responsable_with_a_niss_of_every_kind_can_be_designated(
    page: Page, project_of: Callable[[str], tuple[dict[str, Any], dict[str, Any]]], kind: str
) -> None:
    project, chief = project_of(kind)

    confirmation = flows.reach_confirmation(page, project, chief, via_portal=False)

    expect(confirmation.heading).to_be_visible()
    expect(confirmation.summary).to_contain_text(chief["niss"])


@pytest.mark.manual("2.9")
@pytest.mark.parametrize("kind", NISS_KINDS)
def test_gap_niss_with_wrong_check_digits_is_refused_for_every_kind(
    page: Page, mock: MockSeeder, project_of: Callable[[str], tuple[dict[str, Any], dict[str, Any]]], kind: str
) -> None:
    project, chief = project_of(kind)
    typed = dict(chief, niss=with_wrong_check_digits(chief["niss"]))
    organisation = flows.identify_project(IdentificationPage(page).open(), project["inami_number"])

    data_page = flows.fill_gap(organisation.click_suivant(), typed).click_suivant_and_stay()

    expect(data_page.main.get_by_text(WRONG_CHECK_DIGITS)).to_be_visible()
    expect(data_page.niss).to_have_accessible_description(described_by(WRONG_CHECK_DIGITS))
    expect(data_page.niss).to_have_value(typed["niss"])
    assert mock.project_state(project["inami_number"])["registrations"] == []


@pytest.mark.manual("2.9")
@pytest.mark.parametrize(("field", "value", "message"), CONTACT_FORMATS)
def test_gap_form_refuses_badly_formed_contact_data(
    page: Page,
    mock: MockSeeder,
    seeded_project: dict[str, Any],
    responsable: dict[str, Any],
    field: str,
    value: str,
    message: str,
) -> None:
    typed = dict(responsable, **{field: value})
    organisation = flows.identify_project(IdentificationPage(page).open(), seeded_project["inami_number"])

    data_page = flows.fill_gap(organisation.click_suivant(), typed).click_suivant_and_stay()

    expect(data_page.main.get_by_text(message)).to_be_visible()
    expect(getattr(data_page, field)).to_have_accessible_description(described_by(message))
    expect(getattr(data_page, field)).to_have_attribute("aria-invalid", "true")
    for name in ("niss", "last_name", "first_name", "email", "phone"):
        expect(getattr(data_page, name)).to_have_value(typed[name])
    assert mock.project_state(seeded_project["inami_number"])["registrations"] == []


@pytest.mark.manual("2.9", "2.10")
@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_script_typed_as_the_gaps_name_is_shown_as_text_and_never_runs(
    page: Page, seeded_project: dict[str, Any], responsable: dict[str, Any], payload: str
) -> None:
    typed = dict(responsable, last_name=payload, phone="appelez-moi")
    organisation = flows.identify_project(IdentificationPage(page).open(), seeded_project["inami_number"])

    data_page = flows.fill_gap(organisation.click_suivant(), typed).click_suivant_and_stay()
    expect(data_page.phone).to_have_attribute("aria-invalid", "true")
    expect(data_page.last_name).to_have_value(payload)
    assert no_script_ran(page)

    confirmation = flows.fill_gap(data_page, dict(typed, phone=responsable["phone"])).click_suivant()
    expect(confirmation.summary.get_by_text(payload, exact=True)).to_be_visible()
    assert no_script_ran(page)


# ---------------------------------------------------------------------------------------------------------
# Login: wrong passwords of real accounts, a GAP still waiting for the signed document
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("3.6", "4.6")
@pytest.mark.parametrize("wrong", ["wrong-password", "password-of-another-account"])
def test_wrong_password_of_an_existing_account_is_refused(
    page: Page, mock: MockSeeder, faker: Faker, gap_project: dict[str, Any], responsable: dict[str, Any], wrong: str
) -> None:
    owner, other = builders.user_data(faker), builders.user_data(faker)
    for user in (owner, other):
        mock.member(gap_project, responsable["niss"], user)
    password = owner["password"] + "9" if wrong == "wrong-password" else other["password"]

    login = AccessManagementHome(page).open().click_se_connecter().attempt_password(owner["username"], password)

    expect(login.password_region.get_by_role("alert")).to_have_text(WRONG_CREDENTIALS)
    expect(login.username).to_have_value(owner["username"])
    expect(login.password).to_have_value("")
    expect(login.header.logged_in_as).to_have_count(0)


@pytest.mark.manual("3.6", "3.7")
def test_gap_waiting_for_the_signed_document_cannot_enter_and_sees_why(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    pending = mock.registration(seeded_project, responsable)

    entities = AccessManagementHome(page).open().click_se_connecter().with_eid(responsable["niss"], flows.DEFAULT_PIN)

    expect(entities.none_managed).to_be_visible()
    expect(entities.pending_designation).to_contain_text(seeded_project["name"])
    expect(entities.pending_designation).to_contain_text(pending["request_number"])
    expect(entities.enterprise(seeded_project["name"])).to_have_count(0)
    response = page.goto(UsersPage.path_for(project_id(mock, seeded_project)))
    expect(ErrorPage(page).wait_until_ready().heading).to_be_visible()
    assert response is not None and response.status == 404
