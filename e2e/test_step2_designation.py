"""Step 2 in the browser: a responsable designates the project's Gestionnaire d'Accès Principal (2.1-2.13)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e import flows
from e2e.assertions import described_by
from e2e.fixture_types import Message, Say, sentence
from e2e.pages.access import AccessManagementHome
from e2e.pages.portal import PortalHome
from e2e.pages.registration import IdentificationPage
from e2e.seeding import MockSeeder
from fixtures import builders

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


# ---------------------------------------------------------------------------------------------------------
# Bad input: a message in the site's language on the same page, what was typed kept, nothing stored
# ---------------------------------------------------------------------------------------------------------

NumberFor = Callable[[Faker, dict[str, Any]], str]


@pytest.mark.manual("2.6", "2.7")
@pytest.mark.parametrize(
    ("identification_type", "number_for", "field", "message"),
    [
        pytest.param(PROJECT, lambda f, p: "", "inami_number", "Le N°INAMI est obligatoire.", id="empty"),
        pytest.param(
            PROJECT,
            lambda f, p: p["inami_number"][:7],
            "inami_number",
            "Le N°INAMI doit compter exactement 8 chiffres.",
            id="seven-digits",
        ),
        pytest.param(
            PROJECT,
            lambda f, p: p["inami_number"] + "1",
            "inami_number",
            "Le N°INAMI doit compter exactement 8 chiffres.",
            id="nine-digits",
        ),
        pytest.param(
            PROJECT,
            lambda f, p: "7100O436",
            "inami_number",
            "Le N°INAMI doit compter exactement 8 chiffres.",
            id="letter-o",
        ),
        pytest.param(
            PROJECT,
            lambda f, p: builders.broken_inami_number(f),
            "inami_number",
            "Ce N°INAMI n'est pas valable : les chiffres de contrôle ne correspondent pas.",
            id="check-digits",
        ),
        pytest.param(
            PROJECT,
            lambda f, p: builders.inami_number(f),
            "inami_number",
            "Aucun projet n'est enregistré sous ce N°INAMI dans l'application SZV de l'INAMI. "
            "Vérifiez le numéro ou contactez l'INAMI.",
            id="unknown-project",
        ),
        pytest.param(
            "Hôpital",
            lambda f, p: p["inami_number"],
            "identification_type",
            lambda say: say("Aucune organisation de type « %(type)s » ne porte ce N°INAMI.", type=say("Hôpital")),
            id="not-a-hospital",
        ),
        pytest.param(
            "— Choisissez —",
            lambda f, p: p["inami_number"],
            "identification_type",
            "Choisissez le type d'identification.",
            id="no-type",
        ),
    ],
)
def test_identification_refused_with_message_and_number_kept(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    seeded_project: dict[str, Any],
    identification_type: str,
    number_for: NumberFor,
    field: str,
    message: Message,
    say: Say,
) -> None:
    number = number_for(faker, seeded_project)
    identification_type, message = say(identification_type), sentence(say, message)
    identification = (
        IdentificationPage(page)
        .open()
        .select_identification_type(identification_type)
        .enter_inami_number(number)
        .click_suivant_and_stay()
    )

    expect(identification.main.get_by_text(message)).to_be_visible()
    expect(getattr(identification, field)).to_have_accessible_description(described_by(message))
    expect(getattr(identification, field)).to_have_attribute("aria-invalid", "true")
    expect(identification.inami_number).to_have_value(number)
    expect(identification.identification_type.get_by_role("option", selected=True)).to_have_text(identification_type)
    assert mock.project_state(seeded_project["inami_number"])["registrations"] == []


@pytest.mark.manual("2.7")
def test_project_that_already_has_a_gap_is_refused(
    page: Page, mock: MockSeeder, gap_project: dict[str, Any], say: Say
) -> None:
    identification = (
        IdentificationPage(page)
        .open()
        .select_identification_type(say(PROJECT))
        .enter_inami_number(gap_project["inami_number"])
        .click_suivant_and_stay()
    )

    message = say(
        "Cette organisation a déjà un Gestionnaire d'Accès Principal. Il peut désigner des "
        "co-gestionnaires d'accès et des utilisateurs dans la Gestion d'accès pour Entreprises et "
        "Organisations."
    )
    expect(identification.inami_number).to_have_accessible_description(described_by(message))
    expect(identification.inami_number).to_have_value(gap_project["inami_number"])
    assert len(mock.project_state(gap_project["inami_number"])["registrations"]) == 1


@pytest.mark.manual("2.7")
def test_project_with_a_pending_request_is_refused(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    pending = mock.registration(seeded_project, responsable)

    identification = (
        IdentificationPage(page)
        .open()
        .select_identification_type(say(PROJECT))
        .enter_inami_number(seeded_project["inami_number"])
        .click_suivant_and_stay()
    )

    expect(identification.inami_number).to_have_accessible_description(
        described_by(
            say(
                "Une demande de désignation est déjà en attente du document signé pour cette organisation "
                "(demande n° %(number)s).",
                number=pending["request_number"],
            )
        )
    )
    expect(identification.inami_number).to_have_value(seeded_project["inami_number"])
    assert len(mock.project_state(seeded_project["inami_number"])["registrations"]) == 1


GapOverride = Callable[[Faker, dict[str, Any]], dict[str, str]]
NOT_RESPONSABLE = (
    "Cette personne n'est pas « responsable » de ce projet dans l'application SZV de l'INAMI. Seul "
    "un responsable du projet peut être désigné comme Gestionnaire d'Accès Principal."
)


@pytest.mark.manual("2.9")
@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        pytest.param(
            lambda f, p: {"niss": builders.broken_niss(f)},
            "niss",
            "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
            id="niss-check-digits",
        ),
        pytest.param(
            lambda f, p: {"niss": p["persons"][0]["niss"][:10]},
            "niss",
            "Le NISS doit compter 11 chiffres.",
            id="niss-ten-digits",
        ),
        pytest.param(lambda f, p: {"niss": p["persons"][1]["niss"]}, "niss", NOT_RESPONSABLE, id="certificate-manager"),
        pytest.param(lambda f, p: {"niss": builders.niss(f)}, "niss", NOT_RESPONSABLE, id="stranger"),
        pytest.param(
            lambda f, p: {"last_name": ""},
            "last_name",
            lambda say: say("Le champ « %(label)s » est obligatoire.", label=say("Nom")),
            id="no-name",
        ),
        pytest.param(
            lambda f, p: {"email": "prenom.nom@"},
            "email",
            "L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.be).",
            id="email",
        ),
        pytest.param(
            lambda f, p: {"phone": "appelez-moi"},
            "phone",
            "Le numéro de téléphone n'est pas valable (exemple : +32 2 123 45 67).",
            id="phone",
        ),
    ],
)
def test_access_manager_data_refused_with_message_and_values_kept(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    seeded_project: dict[str, Any],
    responsable: dict[str, Any],
    override: GapOverride,
    field: str,
    message: Message,
    say: Say,
) -> None:
    typed = dict(responsable, **override(faker, seeded_project))
    message = sentence(say, message)
    organisation = flows.identify_project(IdentificationPage(page).open(), seeded_project["inami_number"])

    data_page = flows.fill_gap(organisation.click_suivant(), typed).click_suivant_and_stay()

    expect(data_page.main.get_by_text(message)).to_be_visible()
    expect(getattr(data_page, field)).to_have_accessible_description(described_by(message))
    expect(getattr(data_page, field)).to_have_attribute("aria-invalid", "true")
    for name in ("niss", "last_name", "first_name", "email", "phone"):
        expect(getattr(data_page, name)).to_have_value(typed[name])
    assert mock.project_state(seeded_project["inami_number"])["registrations"] == []


@pytest.mark.manual("2.11")
def test_request_not_saved_without_oui_je_confirme(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    confirmation = flows.reach_confirmation(page, seeded_project, responsable, via_portal=False)
    confirmation.tick_credentials_by_post()

    confirmation = confirmation.click_enregistrer_and_stay()

    message = say("Cochez la case « oui, je confirme » pour enregistrer la demande.")
    expect(confirmation.main.get_by_text(message)).to_be_visible()
    expect(confirmation.confirm).to_have_accessible_description(described_by(message))
    expect(confirmation.confirm).not_to_be_checked()
    expect(confirmation.credentials_by_post).to_be_checked()
    assert mock.project_state(seeded_project["inami_number"])["registrations"] == []
