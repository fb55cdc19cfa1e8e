"""Step 2 in the browser: a responsable designates the project's Gestionnaire d'Accès Principal (2.1-2.13); what
the designation refuses is in e2e/test_step2_refusals.py."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e import flows
from e2e.fixture_types import Say
from e2e.pages.access import AccessManagementHome
from e2e.pages.portal import PortalHome
from e2e.pages.registration import IdentificationPage
from e2e.seeding import MockSeeder

# The mock's French msgids of what these tests read (through `say`), and the address the signed PDF goes to.
PENDING = "En attente du document signé"
ACTIVE = "Active"
SIGNED_DOCUMENT_EMAIL = "enregistrement@csam.ehealth.example"
POSTAL_ADDRESS = "eHealth – CSAM, Quai de Willebroeck 38, 1000 Bruxelles"
PROJECT = "Projet de soins intégrés"
IDENTIFICATION_TYPES = ["— Choisissez —", "Hôpital", "Institution de soins", "Maison médicale", PROJECT]


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`."""
    return sum((start + dt.timedelta(days=n)).weekday() < 5 for n in range(1, (end - start).days + 1))


def credential_in(letter: dict[str, Any]) -> str:
    """The user name or password a letter of credentials ends with."""
    found = re.search(r":\s*(\S+)\s*$", letter["body"])
    assert found, f"no credential at the end of the letter: {letter['body']!r}"
    return found.group(1)


def receive_signed_document(page: Page, request_number: str) -> None:
    """The eHealth back office receives the signed document (the mock's control API)."""
    response = page.request.post(f"/_mock/registrations/{request_number}/signed-document-received")
    assert response.ok, response.text()


# ---------------------------------------------------------------------------------------------------------
# The way to the form and the wizard's steps
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("2.1", "2.2", "2.3", "2.4", "2.5")
def test_portal_links_lead_to_the_csam_designation_form(page: Page) -> None:
    home = PortalHome(page).open()
    expect(home.health_professionals_link).to_be_visible()

    professionals = home.click_professionnels_de_la_sante()
    expect(professionals.heading).to_be_visible()
    expect(professionals.how_to_access_link).to_be_visible()

    how_to = professionals.click_comment_acceder_au_portail()
    expect(how_to.heading).to_be_visible()
    expect(how_to.access_request_link).to_be_visible()

    request = how_to.click_demande_d_acces()
    expect(request.heading).to_be_visible()
    expect(request.register_via_csam_link).to_be_visible()

    identification = request.click_enregistrez_vous_via_csam()
    assert isinstance(identification, IdentificationPage), "the 2018 site opens the designation form without a login"
    expect(page).to_have_url(re.compile(r"/csam/registration/$"))
    expect(identification.heading).to_be_visible()
    expect(identification.inami_number).to_be_empty()


@pytest.mark.manual("2.6")
def test_identification_types_offer_projet_de_soins_integres(page: Page, say: Say) -> None:
    identification = IdentificationPage(page).open()

    expect(identification.identification_type.get_by_role("option")).to_have_text(
        [say(kind) for kind in IDENTIFICATION_TYPES]
    )
    identification.select_identification_type(say(PROJECT))
    expect(identification.identification_type.get_by_role("option", selected=True)).to_have_text(say(PROJECT))


@pytest.mark.manual("2.6", "2.7", "2.8")
def test_project_number_shows_the_organisation_inami_recorded(page: Page, seeded_project: dict[str, Any]) -> None:
    organisation = flows.identify_project(IdentificationPage(page).open(), seeded_project["inami_number"])

    expect(organisation.heading).to_be_visible()
    address = seeded_project["address"]
    for value in (
        seeded_project["name"],
        seeded_project["inami_number"],
        address["street"],
        address["postal_code"],
        address["city"],
    ):
        expect(organisation.summary).to_contain_text(value)
    expect(organisation.next_button).to_be_visible()


@pytest.mark.manual("2.8", "2.9")
def test_access_manager_data_lead_to_the_request_summary(
    page: Page, seeded_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    organisation = flows.identify_project(IdentificationPage(page).open(), seeded_project["inami_number"])
    data_page = organisation.click_suivant()
    expect(data_page.heading).to_be_visible()
    expect(data_page.niss).to_be_empty()

    confirmation = flows.fill_gap(data_page, responsable).click_suivant()

    expect(confirmation.heading).to_be_visible()
    for value in (
        seeded_project["name"],
        seeded_project["inami_number"],
        responsable["niss"],
        responsable["last_name"],
        responsable["first_name"],
        responsable["email"],
    ):
        expect(confirmation.summary).to_contain_text(value)
    expect(confirmation.confirm).not_to_be_checked()


@pytest.mark.manual("2.10")
def test_confirmation_offers_credentials_by_post_for_eid_trouble(
    page: Page, seeded_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    confirmation = flows.reach_confirmation(page, seeded_project, responsable, via_portal=False)

    expect(confirmation.credentials_by_post).to_be_visible()
    expect(confirmation.credentials_by_post).not_to_be_checked()
    expect(confirmation.credentials_hint).to_be_visible()


@pytest.mark.manual("2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.11")
def test_confirmed_request_is_recorded_and_waits_for_the_signed_document(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    finalisation = flows.designate_gap(page, seeded_project, responsable)

    expect(finalisation.heading).to_be_visible()
    expect(finalisation.request_number).to_be_visible()
    expect(finalisation.status_text(say(PENDING))).to_be_visible()
    number = finalisation.read_request_number()
    project = mock.project_state(seeded_project["inami_number"])
    assert [
        (r["request_number"], r["gap_niss"], r["status"], r["credentials_by_post"]) for r in project["registrations"]
    ] == [(number, responsable["niss"], "pending_signature", False)]
    assert project["access_managers"] == []


# ---------------------------------------------------------------------------------------------------------
# Finalisation: the document, the two ways to sign it, and what happens on receipt
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("2.12")
def test_downloaded_document_is_a_pdf_naming_project_gap_and_request(
    page: Page, seeded_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    finalisation = flows.designate_gap(page, seeded_project, responsable, via_portal=False)
    number = finalisation.read_request_number()

    download = finalisation.click_telecharger_le_document()

    assert download.suggested_filename.endswith(".pdf")
    assert number in download.suggested_filename
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    for value in (
        seeded_project["name"],
        seeded_project["inami_number"],
        responsable["niss"],
        responsable["last_name"],
        number,
    ):
        assert value in text, f"{value!r} missing from the PDF"


@pytest.mark.manual("2.12")
def test_electronic_signature_instructions_give_the_address_to_mail_the_signed_pdf(
    page: Page, seeded_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    finalisation = flows.designate_gap(page, seeded_project, responsable, via_portal=False)

    expect(finalisation.electronic_signature).to_be_visible()
    expect(finalisation.electronic_signature).to_contain_text("eID")
    expect(finalisation.electronic_signature).to_contain_text(SIGNED_DOCUMENT_EMAIL)
    expect(finalisation.download_link).to_be_visible()


@pytest.mark.manual("2.12", "2.13")
def test_gap_sees_the_project_once_the_signed_document_is_received(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    finalisation = flows.designate_gap(page, seeded_project, responsable, via_portal=False)
    number = finalisation.read_request_number()

    receive_signed_document(page, number)

    expect(finalisation.reload().status_text(say(ACTIVE))).to_be_visible()
    entities = AccessManagementHome(page).open().click_se_connecter().with_eid(responsable["niss"], flows.DEFAULT_PIN)
    expect(entities.enterprise(seeded_project["name"])).to_be_visible()
    expect(entities.pending_designation).to_have_count(0)
    project = mock.project_state(seeded_project["inami_number"])
    assert project["registrations"][0]["status"] == "active"
    assert project["access_managers"] == [{"niss": responsable["niss"], "kind": "gap"}]


@pytest.mark.manual("2.13")
def test_manual_signature_is_sent_by_post_and_registered_only_on_receipt(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    finalisation = flows.designate_gap(page, seeded_project, responsable, via_portal=False)
    number = finalisation.read_request_number()
    expect(finalisation.manual_signature).to_contain_text(say(POSTAL_ADDRESS))
    download = finalisation.click_telecharger_le_document()
    assert Path(download.path()).read_bytes()[:4] == b"%PDF"

    entities = AccessManagementHome(page).open().click_se_connecter().with_eid(responsable["niss"], flows.DEFAULT_PIN)

    expect(entities.none_managed).to_be_visible()
    expect(entities.pending_designation).to_contain_text(seeded_project["name"])
    expect(entities.pending_designation).to_contain_text(number)
    expect(entities.enterprise(seeded_project["name"])).to_have_count(0)
    assert mock.project_state(seeded_project["inami_number"])["access_managers"] == []


@pytest.mark.manual("2.10", "2.11")
def test_credentials_by_post_arrive_as_two_letters_and_open_csam(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    finalisation = flows.designate_gap(page, seeded_project, responsable, by_post=True, via_portal=False)
    number = finalisation.read_request_number()
    assert mock.project_state(seeded_project["inami_number"])["registrations"][0]["credentials_by_post"] is True

    receive_signed_document(page, number)
    mailbox = page.request.get(f"/_mock/mailbox/{responsable['niss']}").json()

    letters = {letter["kind"]: letter for letter in mailbox["letters"]}
    assert sorted(letters) == ["password", "username"]
    for letter in letters.values():
        assert (
            working_days(dt.date.fromisoformat(letter["sent_on"]), dt.date.fromisoformat(letter["delivered_by"])) <= 5
        )
    username, password = credential_in(letters["username"]), credential_in(letters["password"])
    entities = AccessManagementHome(page).open().click_se_connecter().with_password(username, password)
    expect(entities.enterprise(seeded_project["name"])).to_be_visible()
    expect(entities.header.logged_in_as).to_contain_text(flows.full_name(responsable))
