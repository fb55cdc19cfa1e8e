"""Every rule of the catalogue (README, «Rule catalogue») refused in the browser where the step suites do not already.

Each refusal is proved as a person meets it: the message on the same page, what was typed still there, and
nothing saved (read through `mock`). Rules that are tables are parametrised matrices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from e2e import flows
from e2e.assertions import described_by
from e2e.pages.access import AccessManagementHome, EntityChoice, MemberApplicationsPage, MemberDataPage, UsersPage
from e2e.pages.base import ErrorPage
from e2e.pages.registration import IdentificationPage
from e2e.seeding import MockSeeder
from fixtures import builders

WRONG_CHECK_DIGITS = "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas."
BAD_EMAIL = "L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.be)."
BAD_PHONE = "Le numéro de téléphone n'est pas valable (exemple : +32 2 123 45 67)."
ALREADY_REGISTERED = "Cette personne est déjà enregistrée pour ce projet."
PASSWORD_RULES = "Au moins 8 caractères, dont au moins une lettre et un chiffre."
WEAK_PASSWORD = f"Le mot de passe ne respecte pas les règles : {PASSWORD_RULES}"
TAKEN_USER_NAME = "Ce nom d'utilisateur est déjà pris : choisissez-en un autre."
WRONG_CREDENTIALS = "Nom d'utilisateur ou mot de passe incorrect."
GAP_NOT_DELETABLE = "Le Gestionnaire d'Accès Principal ne peut pas être supprimé par cet écran."
ONLY_GAP_DELETES_COGAPS = "Seul le Gestionnaire d'Accès Principal peut supprimer un co-gestionnaire d'accès."
COORDINATOR_WARNING = (
    "{n} personnes ont la fonction « Coordinateur » dans ce projet. Pour des raisons de "
    "confidentialité, le nombre de personnes ayant ce rôle doit être limité au strict minimum !"
)
USER_CREATED = "L'utilisateur {name} a été créé."

LogInAs = Callable[..., UsersPage]


def with_wrong_check_digits(niss: str) -> str:
    """The same NISS with check digits one higher: wrong for either century (the checks of a birth in 19xx and
    in 20xx differ by 68 modulo 97, never by 1)."""
    return niss[:9] + f"{(int(niss[9:]) + 1) % 100:02d}"


def project_id(mock: MockSeeder, project: dict[str, Any]) -> int:
    """The mock's id of a project (in the access management's URLs)."""
    return mock.project_state(project["inami_number"])["id"]


def person_records(mock: MockSeeder, niss: str) -> list[dict[str, Any]]:
    """Every person the mock stores under this NISS (one at most)."""
    return [p for p in mock.state()["persons"] if p["niss"] == niss]


def no_script_ran(page: Page) -> bool:
    """Once the page has loaded (so a broken image's onerror would have fired), no payload set window.__pwned."""
    page.wait_for_load_state("load")
    return page.evaluate("window.__pwned") is None


@pytest.fixture
def registered_user(
    mock: MockSeeder, faker: Faker, gap_project: dict[str, Any], responsable: dict[str, Any]
) -> dict[str, Any]:
    """A user of the project with the inclusion application and no role yet (4.10-4.14 done)."""
    data = builders.user_data(faker)
    member = mock.member(gap_project, responsable["niss"], data)
    return dict(data, id=member["id"])


# ---------------------------------------------------------------------------------------------------------
# Identifiers: NISS of every kind, e-mail and phone formats, dates
# ---------------------------------------------------------------------------------------------------------

NissMaker = Callable[[Faker], str]
NISS_KINDS: dict[str, NissMaker] = {
    "born-before-2000": lambda f: builders.niss(f, born_after_2000=False),
    "born-after-2000": lambda f: builders.niss(f, born_after_2000=True),
    "bis-number": builders.bis_number,
}


@pytest.mark.manual("4.10")
@pytest.mark.parametrize("kind", NISS_KINDS)
def test_valid_niss_of_every_kind_opens_the_user_form(
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    kind: str,
) -> None:
    niss = NISS_KINDS[kind](faker)

    data_page = log_in_as(gap_project, responsable).add_user.enter_niss(niss).click_suivant()

    expect(data_page.niss).to_have_value(niss)
    expect(data_page.username).to_be_visible()


@pytest.mark.manual("4.10")
@pytest.mark.parametrize("kind", NISS_KINDS)
def test_niss_with_wrong_check_digits_is_refused_for_every_kind(
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    kind: str,
) -> None:
    typed = with_wrong_check_digits(NISS_KINDS[kind](faker))

    users = log_in_as(gap_project, responsable).add_user.enter_niss(typed).click_suivant_and_stay()

    expect(users.add_user.region.get_by_text(WRONG_CHECK_DIGITS)).to_be_visible()
    expect(users.add_user.niss).to_have_accessible_description(described_by(WRONG_CHECK_DIGITS))
    expect(users.add_user.niss).to_have_value(typed)
    assert list(mock.members_by_niss(gap_project["inami_number"])) == [responsable["niss"]]


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


CONTACT_FORMATS = [
    pytest.param("email", "prenom.nom", BAD_EMAIL, id="email-without-at"),
    pytest.param("email", "prenom nom@exemple.be", BAD_EMAIL, id="email-with-a-space"),
    pytest.param("email", "prenom.nom@exemple", BAD_EMAIL, id="email-without-domain-suffix"),
    pytest.param("email", "@exemple.be", BAD_EMAIL, id="email-without-name"),
    pytest.param("phone", "12 34 56", BAD_PHONE, id="phone-of-six-digits"),
    pytest.param("phone", "+32 2 ABC 45 67", BAD_PHONE, id="phone-with-letters"),
    pytest.param("phone", "-- -- -- --", BAD_PHONE, id="phone-without-digits"),
]


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


@pytest.mark.manual("4.11", "4.13")
@pytest.mark.parametrize(("field", "value", "message"), CONTACT_FORMATS)
def test_user_form_refuses_badly_formed_contact_data(
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    field: str,
    value: str,
    message: str,
) -> None:
    user = dict(builders.user_data(faker), **{field: value})
    data_page = log_in_as(gap_project, responsable).add_user.enter_niss(user["niss"]).click_suivant()
    data_page.fill_identity(user["last_name"], user["first_name"]).fill_contact(user["email"], user["phone"])
    data_page.fill_credentials(user["username"], user["password"]).tick_gestion_projets_soins_integres()

    data_page = data_page.click_enregistrer_and_stay()

    expect(data_page.main.get_by_text(message)).to_be_visible()
    expect(getattr(data_page, field)).to_have_accessible_description(described_by(message))
    expect(getattr(data_page, field)).to_have_attribute("aria-invalid", "true")
    for name in ("last_name", "first_name", "email", "phone", "username"):
        expect(getattr(data_page, name)).to_have_value(user[name])
    expect(data_page.inclusion_application).to_be_checked()
    assert user["niss"] not in mock.members_by_niss(gap_project["inami_number"])
    assert person_records(mock, user["niss"]) == []


DateTexts = Callable[[dt.date], tuple[str, str]]


@pytest.mark.manual("4.18", "4.19")
@pytest.mark.parametrize(
    ("texts_for", "field", "label"),
    [
        pytest.param(
            lambda t: (f"2{t:%Y-%m-%d}", ""), "start_date", "Date de début", id="start-with-a-five-digit-year"
        ),
        pytest.param(
            lambda t: (f"00{t:%y-%m-%d}", ""), "start_date", "Date de début", id="start-with-a-two-digit-year"
        ),
        pytest.param(
            lambda t: (t.isoformat(), f"2{t.year + 1}-{t:%m-%d}"),
            "end_date",
            "Date de fin",
            id="end-with-a-five-digit-year",
        ),
        # Chromium's date control keeps nothing of a day that does not exist: the form then sends an empty field.
        pytest.param(
            lambda t: (t.isoformat(), f"{t.year + 1}-02-31"), "end_date", "Date de fin", id="end-on-31-february"
        ),
    ],
)
def test_role_date_that_is_not_a_date_is_refused(
    mock: MockSeeder,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    registered_user: dict[str, Any],
    log_in_as: LogInAs,
    texts_for: DateTexts,
    field: str,
    label: str,
) -> None:
    start, end = texts_for(today)
    message = f"« {label} » n'est pas une date valable (JJ/MM/AAAA)."
    role_page = flows.open_role_page(log_in_as(gap_project, responsable), flows.full_name(registered_user))

    role_page = role_page.choose_functions("Gestionnaire").type_start_date(start).type_end_date(end).click_ajouter()

    expect(role_page.main.get_by_text(message)).to_be_visible()
    expect(getattr(role_page, field)).to_have_accessible_description(described_by(message))
    expect(getattr(role_page, field)).to_have_attribute("aria-invalid", "true")
    expect(role_page.status).to_have_count(0)
    expect(role_page.function("Gestionnaire")).to_be_checked()
    expect(role_page.start_date).to_have_value(start)
    expect(role_page.end_date).to_have_value(end)
    assert mock.members_by_niss(gap_project["inami_number"])[registered_user["niss"]]["roles"] == []


# ---------------------------------------------------------------------------------------------------------
# Co-GAPs: only the GAP designates them; they manage users
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("3.10", "3.11")
def test_cogap_is_refused_the_cogap_form_even_by_its_address(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    cogap = builders.user_data(faker)
    mock.cogap(gap_project, responsable["niss"], cogap)
    log_in_as(gap_project, cogap)

    response = page.goto(MemberDataPage.path_for(project_id(mock, gap_project), cogap=True))

    denied = ErrorPage(page, ErrorPage.ACCESS_DENIED).wait_until_ready()
    expect(denied.heading).to_be_visible()
    assert response is not None and response.status == 403
    assert {m["niss"]: m["kind"] for m in mock.project_state(gap_project["inami_number"])["members"]} == {
        responsable["niss"]: "gap",
        cogap["niss"]: "cogap",
    }


@pytest.mark.manual("4.12")
def test_cogap_changes_a_users_applications_but_not_the_gaps_even_by_its_address(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    cogap, user = builders.user_data(faker), builders.user_data(faker)
    mock.cogap(gap_project, responsable["niss"], cogap)
    mock.user(gap_project, responsable["niss"], user, inclusion_app=False)
    users = log_in_as(gap_project, cogap)
    expect(users.applications_link(flows.full_name(responsable))).to_have_count(0)

    users = (
        users.click_modifier_applications(flows.full_name(user))
        .tick_gestion_projets_soins_integres()
        .click_enregistrer()
    )
    expect(users.row(user["niss"])).to_contain_text("Gestion pour les Projets de Soins Intégrés")

    before = mock.project_state(gap_project["inami_number"])
    gap_id = {m["niss"]: m["id"] for m in before["members"]}[responsable["niss"]]
    response = page.goto(MemberApplicationsPage.path_for(project_id(mock, gap_project), gap_id))
    expect(ErrorPage(page, ErrorPage.ACCESS_DENIED).heading).to_be_visible()
    assert response is not None and response.status == 403
    assert mock.project_state(gap_project["inami_number"]) == before


@pytest.mark.manual("4.10", "4.11", "4.12", "4.13", "4.14", "4.15", "4.16", "4.17", "4.18", "4.19", "4.20")
def test_cogap_registers_a_user_and_gives_them_a_role(
    mock: MockSeeder,
    faker: Faker,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    cogap, user = builders.user_data(faker), builders.user_data(faker)
    mock.cogap(gap_project, responsable["niss"], cogap)

    users = flows.add_user(log_in_as(gap_project, cogap), user)
    functions = flows.assign_role(users, flows.full_name(user), ["Coordinateur"], today)

    expect(functions.row(user["last_name"])).to_contain_text("Coordinateur")
    member = mock.members_by_niss(gap_project["inami_number"])[user["niss"]]
    assert member["kind"] == "user"
    assert [(r["function"], r["start_date"]) for r in member["roles"]] == [("coordinateur", today.isoformat())]


# ---------------------------------------------------------------------------------------------------------
# Entities: only the projects the person manages
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("3.6", "3.7", "4.6", "4.7")
def test_enterprises_are_only_the_projects_the_person_is_gap_or_cogap_of(
    page: Page, mock: MockSeeder, faker: Faker
) -> None:
    person = builders.person(faker)
    certificate_manager = builders.SZV_CERTIFICATE_MANAGER
    as_gap = mock.project(
        builders.project(faker, persons=[person, builders.person(faker, szv_role=certificate_manager)])
    )
    mock.active_gap(as_gap, person)
    as_user, as_cogap = mock.project(builders.project(faker)), mock.project(builders.project(faker))
    for project in (as_user, as_cogap):
        mock.active_gap(project, project["persons"][0])
    mock.member(as_user, as_user["persons"][0]["niss"], builders.user_data(faker, niss=person["niss"]))
    mock.cogap(as_cogap, as_cogap["persons"][0]["niss"], builders.user_data(faker, niss=person["niss"]))
    only_responsable = mock.project(
        builders.project(faker, persons=[person, builders.person(faker, szv_role=certificate_manager)])
    )

    entities = AccessManagementHome(page).open().click_se_connecter().with_eid(person["niss"], flows.DEFAULT_PIN)

    expect(entities.enterprise(as_gap["name"])).to_be_visible()
    expect(entities.enterprise(as_cogap["name"])).to_be_visible()
    expect(entities.enterprise(as_user["name"])).to_have_count(0)
    expect(entities.enterprise(only_responsable["name"])).to_have_count(0)
    expect(entities.enterprise_links).to_have_count(2)


@pytest.mark.manual("4.6", "4.7")
def test_plain_user_manages_no_enterprise_and_cannot_open_the_project(
    page: Page, mock: MockSeeder, gap_project: dict[str, Any], registered_user: dict[str, Any]
) -> None:
    entities = (
        AccessManagementHome(page).open().click_se_connecter().with_eid(registered_user["niss"], flows.DEFAULT_PIN)
    )
    expect(entities.none_managed).to_be_visible()
    expect(entities.enterprise(gap_project["name"])).to_have_count(0)

    response = page.goto(UsersPage.path_for(project_id(mock, gap_project)))

    expect(ErrorPage(page).wait_until_ready().heading).to_be_visible()
    assert response is not None and response.status == 404
    expect(page.get_by_text(gap_project["name"])).to_have_count(0)


# ---------------------------------------------------------------------------------------------------------
# Users: one per NISS per project, user names, passwords, known NISS
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("3.10", "4.10")
@pytest.mark.parametrize(
    ("region", "registered_as"),
    [
        pytest.param("add_user", "user", id="user-added-again-as-user"),
        pytest.param("add_cogap", "user", id="user-added-again-as-cogap"),
        pytest.param("add_user", "cogap", id="cogap-added-again-as-user"),
    ],
)
def test_same_niss_cannot_be_added_twice_to_a_project(
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    region: str,
    registered_as: str,
) -> None:
    existing = builders.user_data(faker)
    mock.member(gap_project, responsable["niss"], existing, kind=registered_as)
    before = mock.state()

    users = log_in_as(gap_project, responsable)
    users = getattr(users, region).enter_niss(existing["niss"]).click_suivant_and_stay()

    add = getattr(users, region)
    expect(add.region.get_by_text(ALREADY_REGISTERED)).to_be_visible()
    expect(add.niss).to_have_accessible_description(described_by(ALREADY_REGISTERED))
    expect(add.niss).to_have_value(existing["niss"])
    assert mock.state() == before


@pytest.mark.manual("3.10", "4.10", "4.11", "4.13", "4.14")
def test_niss_registered_meanwhile_in_another_browser_is_refused_at_confirmation(
    page: Page,
    other_page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    cogap, newcomer = builders.user_data(faker), builders.user_data(faker)
    mock.cogap(gap_project, responsable["niss"], cogap)
    data_page = log_in_as(gap_project, responsable).add_user.enter_niss(newcomer["niss"]).click_suivant()
    data_page.fill_identity(newcomer["last_name"], newcomer["first_name"]).fill_contact(newcomer["email"])
    confirmation = data_page.fill_credentials(newcomer["username"] + "X", newcomer["password"]).click_enregistrer()

    flows.add_user(log_in_as(gap_project, cogap, on=other_page), newcomer)
    confirmation = confirmation.click_confirmer_and_stay()

    expect(confirmation.alert).to_contain_text(ALREADY_REGISTERED)
    [record] = person_records(mock, newcomer["niss"])
    assert record["username"] == newcomer["username"]
    assert [m["kind"] for m in mock.project_state(gap_project["inami_number"])["members"]].count("user") == 1


@pytest.mark.manual("4.11", "4.13")
@pytest.mark.parametrize(
    "password",
    [
        pytest.param("abcdef1", id="seven-characters"),
        pytest.param("12345678", id="no-letter"),
        pytest.param("abcdefgh", id="no-digit"),
    ],
)
def test_password_rules_are_shown_on_the_form_and_enforced(
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    password: str,
) -> None:
    user = builders.user_data(faker, password=password)
    data_page = log_in_as(gap_project, responsable).add_user.enter_niss(user["niss"]).click_suivant()
    expect(data_page.password).to_have_accessible_description(described_by(PASSWORD_RULES))
    data_page.fill_identity(user["last_name"], user["first_name"]).fill_contact(user["email"], user["phone"])
    data_page.fill_credentials(user["username"], user["password"])

    data_page = data_page.click_enregistrer_and_stay()

    expect(data_page.main.get_by_text(WEAK_PASSWORD)).to_be_visible()
    expect(data_page.password).to_have_accessible_description(described_by(WEAK_PASSWORD))
    expect(data_page.password).to_have_value("")
    for name in ("last_name", "first_name", "email", "username"):
        expect(getattr(data_page, name)).to_have_value(user[name])
    assert person_records(mock, user["niss"]) == []


@pytest.mark.manual("4.11", "4.13", "4.14", "4.6")
def test_shortest_password_the_rules_allow_is_accepted_and_opens_csam(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    user = builders.user_data(faker, password="abcdefg1")

    users = flows.add_user(log_in_as(gap_project, responsable), user)

    expect(users.row(user["niss"])).to_be_visible()
    entities = users.header.log_out().click_se_connecter().with_password(user["username"], user["password"])
    expect(entities.header.logged_in_as).to_contain_text(flows.full_name(user))


@pytest.mark.manual("4.11", "4.13")
@pytest.mark.parametrize("holder", ["user-of-another-project", "gap-who-got-it-by-post"])
def test_user_name_taken_anywhere_in_csam_is_refused(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    holder: str,
) -> None:
    elsewhere = builders.project(faker)
    mock.project(elsewhere)
    if holder == "user-of-another-project":
        mock.active_gap(elsewhere, elsewhere["persons"][0])
        taken = builders.user_data(faker)
        mock.member(elsewhere, elsewhere["persons"][0]["niss"], taken)
        username = taken["username"]
    else:
        number = mock.registration(elsewhere, elsewhere["persons"][0], credentials_by_post=True)["request_number"]
        received = page.request.post(f"/_mock/registrations/{number}/signed-document-received")
        assert received.ok, received.text()
        username = person_records(mock, elsewhere["persons"][0]["niss"])[0]["username"]
    user = builders.user_data(faker, username=username)
    data_page = log_in_as(gap_project, responsable).add_user.enter_niss(user["niss"]).click_suivant()
    data_page.fill_identity(user["last_name"], user["first_name"]).fill_contact(user["email"], user["phone"])
    data_page.fill_credentials(user["username"], user["password"])

    data_page = data_page.click_enregistrer_and_stay()

    expect(data_page.main.get_by_text(TAKEN_USER_NAME)).to_be_visible()
    expect(data_page.username).to_have_accessible_description(described_by(TAKEN_USER_NAME))
    expect(data_page.username).to_have_value(username)
    assert person_records(mock, user["niss"]) == []


@pytest.mark.manual("4.10", "4.11", "4.13", "4.14", "4.6")
def test_known_niss_keeps_its_one_account(
    page: Page,
    other_page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    elsewhere = mock.project(builders.project(faker))
    mock.active_gap(elsewhere, elsewhere["persons"][0])
    known = builders.user_data(faker)
    mock.member(elsewhere, elsewhere["persons"][0]["niss"], known)

    data_page = log_in_as(gap_project, responsable).add_user.enter_niss(known["niss"]).click_suivant()
    expect(data_page.username).to_have_count(0)
    expect(data_page.password).to_have_count(0)
    confirmation = data_page.fill_contact(known["email"]).tick_gestion_projets_soins_integres().click_enregistrer()
    users = confirmation.click_confirmer()

    expect(users.row(known["niss"])).to_be_visible()
    [record] = person_records(mock, known["niss"])
    assert record["username"] == known["username"]
    entities = (
        AccessManagementHome(other_page).open().click_se_connecter().with_password(known["username"], known["password"])
    )
    expect(entities.header.logged_in_as).to_contain_text(flows.full_name(known))


# ---------------------------------------------------------------------------------------------------------
# Roles: the coordinators' warning and its threshold
# ---------------------------------------------------------------------------------------------------------


CONFIGURES_THE_APP = pytest.mark.in_process("sets the in-process app's COORDINATOR_WARNING_THRESHOLD")


@pytest.mark.manual("4.15", "4.17")
@pytest.mark.parametrize(
    ("threshold", "current", "ended", "warned"),
    [
        pytest.param(None, 2, 0, False, id="default-2-with-2"),
        pytest.param(None, 3, 0, True, id="default-2-with-3"),
        pytest.param(None, 2, 1, False, id="ended-role-not-counted"),
        pytest.param(1, 2, 0, True, id="threshold-1-with-2", marks=CONFIGURES_THE_APP),
        pytest.param(4, 3, 0, False, id="threshold-4-with-3", marks=CONFIGURES_THE_APP),
    ],
)
def test_coordinator_warning_follows_the_configured_threshold(
    request: pytest.FixtureRequest,
    mock: MockSeeder,
    monkeypatch: pytest.MonkeyPatch,
    faker: Faker,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    threshold: int | None,
    current: int,
    ended: int,
    warned: bool,
) -> None:
    # The default threshold (2) is what any served mock shows; another one is set in the in-process app.
    if threshold is not None:
        mock_app: Flask = request.getfixturevalue("mock_app")
        monkeypatch.setitem(mock_app.config, "COORDINATOR_WARNING_THRESHOLD", threshold)
    for n in range(current + ended):
        member = mock.member(gap_project, responsable["niss"], builders.user_data(faker))
        end = today - dt.timedelta(days=1) if n >= current else None
        mock.roles(gap_project, responsable["niss"], member["id"], ["coordinateur"], today - dt.timedelta(days=30), end)

    functions = log_in_as(gap_project, responsable).menu.click_fonctions_et_hierarchie()

    expect(functions.coordinator_warning).to_have_count(1 if warned else 0)
    if warned:
        expect(functions.coordinator_warning).to_have_text(COORDINATOR_WARNING.format(n=current))


# ---------------------------------------------------------------------------------------------------------
# Deletion: what the screen does not offer is refused whole; a deleted co-GAP loses access at once
# ---------------------------------------------------------------------------------------------------------


def smuggle_into_deletion(users: UsersPage, member_id: int) -> UsersPage:
    """What a hand-edited page sends: the deletion form with a member the screen offers no checkbox for."""
    users.execute_button.evaluate(
        """(button, id) => {
            const box = document.createElement("input");
            box.type = "hidden"; box.name = "selected"; box.value = String(id);
            button.form.append(box);
        }""",
        member_id,
    )
    return users


@pytest.mark.manual("4.22")
@pytest.mark.parametrize(
    ("actor", "target", "message"),
    [
        pytest.param("gap", "gap", GAP_NOT_DELETABLE, id="gap-deletes-itself"),
        pytest.param("cogap", "gap", GAP_NOT_DELETABLE, id="cogap-deletes-the-gap"),
        pytest.param("cogap", "other_cogap", ONLY_GAP_DELETES_COGAPS, id="cogap-deletes-a-cogap"),
    ],
)
def test_deletion_the_screen_does_not_offer_is_refused_whole(
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    registered_user: dict[str, Any],
    log_in_as: LogInAs,
    actor: str,
    target: str,
    message: str,
) -> None:
    people = {"gap": responsable, "cogap": builders.user_data(faker), "other_cogap": builders.user_data(faker)}
    mock.cogap(gap_project, responsable["niss"], people["cogap"])
    mock.cogap(gap_project, responsable["niss"], people["other_cogap"])
    before = mock.project_state(gap_project["inami_number"])["members"]
    target_id = mock.members_by_niss(gap_project["inami_number"])[people[target]["niss"]]["id"]
    users = log_in_as(gap_project, people[actor])
    expect(users.selection_box(flows.full_name(people[target]))).to_have_count(0)

    users = smuggle_into_deletion(users, target_id).tick_for_deletion(flows.full_name(registered_user))
    users = users.select_action().click_executer()

    expect(users.alert).to_contain_text(message)
    expect(users.row(people[target]["niss"])).to_be_visible()
    expect(users.selection_box(flows.full_name(registered_user))).to_be_checked()
    assert mock.project_state(gap_project["inami_number"])["members"] == before


@pytest.mark.manual("4.22", "4.11", "4.13", "4.7")
def test_deleted_cogap_loses_access_at_once(
    page: Page,
    other_page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
) -> None:
    cogap, newcomer = builders.user_data(faker), builders.user_data(faker)
    mock.cogap(gap_project, responsable["niss"], cogap)
    data_page = log_in_as(gap_project, cogap, on=other_page).add_user.enter_niss(newcomer["niss"]).click_suivant()
    data_page.fill_identity(newcomer["last_name"], newcomer["first_name"]).fill_contact(newcomer["email"])
    data_page.fill_credentials(newcomer["username"], newcomer["password"])

    users = flows.delete_users(log_in_as(gap_project, responsable), flows.full_name(cogap))
    expect(users.status).to_have_text("1 utilisateur(s) supprimé(s).")
    not_found = data_page.click_enregistrer_without_access()

    expect(not_found.heading).to_be_visible()
    entities = EntityChoice(other_page).open()
    expect(entities.none_managed).to_be_visible()
    expect(entities.enterprise(gap_project["name"])).to_have_count(0)
    assert list(mock.members_by_niss(gap_project["inami_number"])) == [responsable["niss"]]


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


# ---------------------------------------------------------------------------------------------------------
# Escaping: what is typed is shown as text and never runs
# ---------------------------------------------------------------------------------------------------------

SCRIPT_PAYLOADS = [
    pytest.param("<script>window.__pwned=1</script>", id="script-element"),
    pytest.param('<img src=x onerror="window.__pwned=1">', id="image-onerror"),
]
ATTRIBUTE_PAYLOAD = '"><img src=x onerror="window.__pwned=1">'


@pytest.mark.manual("4.11", "4.13", "4.14", "4.15", "4.16")
@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS)
def test_script_typed_as_a_users_name_is_shown_as_text_and_never_runs(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    payload: str,
) -> None:
    user = builders.user_data(faker, last_name=payload)
    data_page = log_in_as(gap_project, responsable).add_user.enter_niss(user["niss"]).click_suivant()
    data_page.fill_identity(user["last_name"], user["first_name"]).fill_contact("pas-une-adresse", user["phone"])
    data_page = data_page.fill_credentials(user["username"], user["password"]).click_enregistrer_and_stay()
    expect(data_page.email).to_have_attribute("aria-invalid", "true")
    expect(data_page.last_name).to_have_value(payload)
    assert no_script_ran(page)

    data_page.fill_contact(user["email"], user["phone"]).fill_credentials(user["username"], user["password"])
    confirmation = data_page.tick_gestion_projets_soins_integres().click_enregistrer()
    expect(confirmation.summary.get_by_text(payload, exact=True)).to_be_visible()
    assert no_script_ran(page)

    users = confirmation.click_confirmer()
    expect(users.status).to_contain_text(USER_CREATED.format(name=flows.full_name(user)))
    expect(users.row(user["niss"]).get_by_role("cell", name=payload, exact=True)).to_be_visible()
    assert no_script_ran(page)

    role_page = flows.open_role_page(users, flows.full_name(user))
    expect(role_page.heading).to_be_visible()
    assert no_script_ran(page)
    assert mock.members_by_niss(gap_project["inami_number"])[user["niss"]]["last_name"] == payload


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


FieldTyping = Callable[[Page, LogInAs, dict[str, Any], dict[str, Any], str], Locator]


@pytest.mark.manual("3.6", "4.6", "4.10")
@pytest.mark.parametrize(
    "type_into",
    [
        pytest.param(
            lambda page, log_in_as, project, gap, typed: (
                log_in_as(project, gap).add_user.enter_niss(typed).click_suivant_and_stay().add_user.niss
            ),
            id="user-niss",
        ),
        pytest.param(
            lambda page, log_in_as, project, gap, typed: (
                AccessManagementHome(page).open().click_se_connecter().attempt_eid(typed, "1234").card_niss
            ),
            id="card-niss",
        ),
        pytest.param(
            lambda page, log_in_as, project, gap, typed: (
                AccessManagementHome(page).open().click_se_connecter().attempt_password(typed, "motdepasse1").username
            ),
            id="login-user-name",
        ),
    ],
)
def test_quote_typed_into_a_refused_field_stays_inside_its_value(
    page: Page, gap_project: dict[str, Any], responsable: dict[str, Any], log_in_as: LogInAs, type_into: FieldTyping
) -> None:
    field = type_into(page, log_in_as, gap_project, responsable, ATTRIBUTE_PAYLOAD)

    expect(field).to_have_value(ATTRIBUTE_PAYLOAD)
    assert no_script_ran(page)
