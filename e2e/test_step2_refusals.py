"""Step 2 in the browser: what the designation refuses (2.6-2.11), each with a message in the site's language on
the same page, what was typed kept, and nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.assertions import described_by
from e2e.fixture_types import Message, Say, sentence
from e2e.pages.registration import IdentificationPage
from e2e.seeding import MockSeeder
from fixtures import builders

# The mock's French msgid of the identification type the tests choose (through `say`).
PROJECT = "Projet de soins intégrés"


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
