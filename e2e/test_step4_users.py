"""Step 4 in the browser: access managers register users for the inclusion application (4.1-4.14, one path to 4.20)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.fixture_types import LogInAs, Message, Say, sentence
from e2e.pages.access import MemberDataPage, UsersPage
from e2e.pages.inclusion import InclusionHomePage
from e2e.pages.site import Site
from e2e.seeding import MockSeeder
from fixtures import builders

INCLUSION_APP = "projets_soins_integres"
# The mock's French msgids of what these tests read (through `say`).
USER_TYPE = "Utilisateur"
COGAP_TYPE = "Co-gestionnaire principal d'accès"
MANAGER = "Gestionnaire"
CANCELLED = "La création a été annulée : rien n'a été enregistré."


@pytest.fixture
def inclusion_application(lang: str) -> str:
    """The inclusion application's name as the run's site shows it."""
    return Site(lang=lang).label("applications.inclusion")


def data_form_for(log_in_as: LogInAs, project: dict[str, Any], manager: dict[str, Any], niss: str) -> MemberDataPage:
    """4.10: the data form of a new user, reached by typing the NISS."""
    return log_in_as(project, manager).add_user.enter_niss(niss).click_suivant()


@pytest.mark.manual("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9")
def test_cogap_reaches_the_users_page_from_the_portal(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    lang: str,
    say: Say,
) -> None:
    cogap = builders.user_data(faker, language=lang)
    mock.cogap(gap_project, responsable["niss"], cogap)
    unrelated = mock.project(builders.project(faker, language=lang))
    mock.active_gap(unrelated, unrelated["persons"][0])

    entities = flows.reach_access_management(page).click_se_connecter().with_eid(cogap["niss"], flows.DEFAULT_PIN)
    expect(entities.enterprise(gap_project["name"])).to_be_visible()
    expect(entities.enterprise_links).to_have_count(1)
    functionalities = entities.choose_enterprise(gap_project["name"]).click_organisation_reconnue_par_l_inami()
    users = functionalities.click_utilisateurs()

    expect(users.heading).to_be_visible()
    expect(users.add_user.region).to_be_visible()
    expect(users.row(cogap["niss"])).to_contain_text(say(COGAP_TYPE))


@pytest.mark.manual(
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "4.6",
    "4.7",
    "4.8",
    "4.9",
    "4.10",
    "4.11",
    "4.12",
    "4.13",
    "4.14",
    "4.15",
    "4.16",
    "4.17",
    "4.18",
    "4.19",
    "4.20",
)
def test_gap_registers_a_user_with_a_role_following_the_whole_manual_path(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    lang: str,
    say: Say,
) -> None:
    user = builders.user_data(faker, language=lang)

    users = flows.open_access_management(page, responsable["niss"], flows.DEFAULT_PIN, gap_project["name"])
    users = flows.add_user(users, user)
    functions = flows.assign_role(users, flows.full_name(user), [say(MANAGER)], today)

    expect(functions.row(user["last_name"])).to_contain_text(say(MANAGER))
    member = mock.members_by_niss(gap_project["inami_number"])[user["niss"]]
    assert member["applications"] == [INCLUSION_APP]
    assert [(r["function"], r["start_date"], r["end_date"]) for r in member["roles"]] == [
        ("gestionnaire", today.isoformat(), None)
    ]

    # What it was for: the new user, with their own eID card, works in the inclusion application.
    functions.header.log_out()
    home = InclusionHomePage.open(page).with_eid(user["niss"], flows.DEFAULT_PIN)
    expect(home.status_of(gap_project["name"])).to_have_text(f"{say('Fonctions :')} {say(MANAGER)}")
    project = home.choose_project(gap_project["name"])
    patient = builders.niss(faker)
    project = project.include(patient, today)
    expect(project.status).to_have_text(
        say("Le patient %(niss)s est inclus à partir du %(date)s.", niss=patient, date=today.strftime("%d/%m/%Y"))
    )
    assert [i["patient_niss"] for i in mock.project_state(gap_project["inami_number"])["inclusions"]] == [patient]


@pytest.mark.manual("4.10", "4.11", "4.12", "4.13", "4.14")
def test_user_is_created_with_the_inclusion_application(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
    say: Say,
    inclusion_application: str,
) -> None:
    user = builders.user_data(faker, language=lang)
    users = log_in_as(gap_project, responsable)

    data_page = users.add_user.enter_niss(user["niss"]).click_suivant()
    expect(data_page.niss).to_have_value(user["niss"])
    expect(data_page.niss).not_to_be_editable()
    data_page.fill_identity(user["last_name"], user["first_name"]).fill_contact(user["email"], user["phone"])
    data_page.fill_credentials(user["username"], user["password"]).tick_gestion_projets_soins_integres()
    expect(data_page.inclusion_application).to_be_checked()
    confirmation = data_page.click_enregistrer()
    expect(confirmation.summary).to_contain_text(inclusion_application)
    expect(confirmation.note).to_be_visible()
    assert user["niss"] not in mock.members_by_niss(gap_project["inami_number"])

    users = confirmation.click_confirmer()

    expect(users.status).to_contain_text(say("L'utilisateur %(name)s a été créé.", name=flows.full_name(user)))
    expect(users.row(user["niss"])).to_contain_text(say(USER_TYPE))
    expect(users.row(user["niss"])).to_contain_text(inclusion_application)
    member = mock.members_by_niss(gap_project["inami_number"])[user["niss"]]
    assert (member["kind"], member["applications"]) == ("user", [INCLUSION_APP])
    person = next(p for p in mock.state()["persons"] if p["niss"] == user["niss"])
    assert person["username"] == user["username"]


@pytest.mark.manual("4.11")
def test_first_time_niss_asks_for_a_user_name_and_a_password(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    data_page = data_form_for(log_in_as, gap_project, responsable, builders.niss(faker))

    expect(data_page.username).to_be_visible()
    expect(data_page.username).to_have_accessible_description(re.compile("LotjeDeRidder"))
    expect(data_page.password).to_be_visible()
    expect(data_page.last_name).to_be_editable()
    expect(data_page.first_name).to_be_editable()


@pytest.mark.manual("4.10", "4.11")
def test_known_niss_brings_its_name_and_asks_no_new_credentials(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
    inclusion_application: str,
) -> None:
    elsewhere = mock.project(builders.project(faker, language=lang))
    mock.active_gap(elsewhere, elsewhere["persons"][0])
    known = builders.user_data(faker, language=lang)
    mock.member(elsewhere, elsewhere["persons"][0]["niss"], known)

    data_page = data_form_for(log_in_as, gap_project, responsable, known["niss"])

    expect(data_page.last_name).to_have_value(known["last_name"])
    expect(data_page.first_name).to_have_value(known["first_name"])
    expect(data_page.last_name).not_to_be_editable()
    expect(data_page.username).to_have_count(0)
    expect(data_page.password).to_have_count(0)
    data_page.fill_contact(known["email"]).tick_gestion_projets_soins_integres()
    users = data_page.click_enregistrer().click_confirmer()
    expect(users.row(known["niss"])).to_contain_text(inclusion_application)
    assert mock.members_by_niss(gap_project["inami_number"])[known["niss"]]["applications"] == [INCLUSION_APP]


@pytest.mark.manual("4.12")
def test_user_registered_without_the_inclusion_application_has_no_access_to_it(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
    inclusion_application: str,
) -> None:
    user = builders.user_data(faker, language=lang)
    users = log_in_as(gap_project, responsable)

    users = flows.add_user(users, user, inclusion_app=False)

    expect(users.row(user["niss"])).to_be_visible()
    expect(users.row(user["niss"])).not_to_contain_text(inclusion_application)
    assert mock.members_by_niss(gap_project["inami_number"])[user["niss"]]["applications"] == []


@pytest.mark.manual("4.14")
@pytest.mark.parametrize("leave", ["annuler", "navigate-away"])
def test_user_left_unconfirmed_is_not_saved(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    leave: str,
    log_in_as: LogInAs,
    lang: str,
    say: Say,
) -> None:
    user = builders.user_data(faker, language=lang)
    users = log_in_as(gap_project, responsable)
    users_path = urlsplit(page.url).path
    data_page = users.add_user.enter_niss(user["niss"]).click_suivant()
    data_page.fill_identity(user["last_name"], user["first_name"]).fill_contact(user["email"], user["phone"])
    confirmation = data_page.fill_credentials(user["username"], user["password"]).click_enregistrer()
    expect(confirmation.note).to_be_visible()

    if leave == "annuler":
        users = confirmation.click_annuler()
        expect(users.status).to_contain_text(say(CANCELLED))
    else:
        page.goto(users_path)
        users = UsersPage(page).wait_until_ready()

    expect(users.heading).to_be_visible()
    expect(users.row(user["niss"])).to_have_count(0)
    assert user["niss"] not in mock.members_by_niss(gap_project["inami_number"])
    assert user["niss"] not in {p["niss"] for p in mock.state()["persons"]}


NissFor = Callable[[Faker, dict[str, Any]], str]


@pytest.mark.manual("4.10")
@pytest.mark.parametrize(
    ("niss_for", "message"),
    [
        pytest.param(
            lambda f, gap: builders.broken_niss(f),
            "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
            id="check-digits",
        ),
        pytest.param(lambda f, gap: "85.07.30-033.2A", "Le NISS doit compter 11 chiffres.", id="letter"),
        pytest.param(
            lambda f, gap: gap["niss"], "Cette personne est déjà enregistrée pour ce projet.", id="already-registered"
        ),
    ],
)
def test_user_niss_refused_with_message_in_its_region(
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

    users = users.add_user.enter_niss(typed).click_suivant_and_stay()

    message = say(message)
    expect(users.add_user.region.get_by_text(message)).to_be_visible()
    expect(users.add_user.niss).to_have_accessible_description(re.compile(re.escape(message)))
    expect(users.add_user.niss).to_have_value(typed)
    assert list(mock.members_by_niss(gap_project["inami_number"])) == [responsable["niss"]]


UserOverride = Callable[[dict[str, Any]], dict[str, str]]


@pytest.mark.manual("4.11", "4.13")
@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        pytest.param(
            lambda taken: {"username": ""},
            "username",
            "Le nom d'utilisateur est obligatoire la première fois qu'un NISS est introduit.",
            id="no-username",
        ),
        pytest.param(
            lambda taken: {"username": "Lotje De Ridder"},
            "username",
            "Le nom d'utilisateur compte de 4 à 30 lettres, chiffres, points, tirets ou soulignés, sans espace "
            "(exemple : LotjeDeRidder).",
            id="username-with-spaces",
        ),
        pytest.param(
            lambda taken: {"username": taken["username"]},
            "username",
            "Ce nom d'utilisateur est déjà pris : choisissez-en un autre.",
            id="username-taken",
        ),
        pytest.param(
            lambda taken: {"password": ""},
            "password",
            "Le mot de passe est obligatoire la première fois qu'un NISS est introduit.",
            id="no-password",
        ),
        pytest.param(
            lambda taken: {"password": "motdepasse"},
            "password",
            lambda say: say(
                "Le mot de passe ne respecte pas les règles : %(rules)s",
                rules=say("Au moins 8 caractères, dont au moins une lettre et un chiffre."),
            ),
            id="weak-password",
        ),
        pytest.param(
            lambda taken: {"email": "lotje@"},
            "email",
            "L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.be).",
            id="email",
        ),
        pytest.param(
            lambda taken: {"first_name": ""},
            "first_name",
            lambda say: say("Le champ « %(label)s » est obligatoire.", label=say("Prénom")),
            id="no-first-name",
        ),
    ],
)
def test_user_data_refused_with_message_and_values_kept(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    override: UserOverride,
    field: str,
    message: Message,
    log_in_as: LogInAs,
    lang: str,
    say: Say,
) -> None:
    taken = builders.user_data(faker, language=lang)
    mock.member(gap_project, responsable["niss"], taken)
    user = dict(builders.user_data(faker, language=lang), **override(taken))
    data_page = data_form_for(log_in_as, gap_project, responsable, user["niss"])
    data_page.fill_identity(user["last_name"], user["first_name"]).fill_contact(user["email"], user["phone"])
    data_page.fill_credentials(user["username"], user["password"]).tick_gestion_projets_soins_integres()

    data_page = data_page.click_enregistrer_and_stay()

    message = sentence(say, message)
    expect(data_page.main.get_by_text(message)).to_be_visible()
    expect(getattr(data_page, field)).to_have_accessible_description(re.compile(re.escape(message)))
    expect(getattr(data_page, field)).to_have_attribute("aria-invalid", "true")
    for name in ("last_name", "first_name", "email", "phone", "username"):
        expect(getattr(data_page, name)).to_have_value(user[name])
    expect(data_page.password).to_have_value("")
    expect(data_page.inclusion_application).to_be_checked()
    assert user["niss"] not in mock.members_by_niss(gap_project["inami_number"])
