"""The catalogue's rules (README, «Rule catalogue») of adding users and co-GAPs (steps 3 and 4): identifiers,
contact data, one member per NISS per project, user names, passwords, and what is typed never running, refused in
the browser where the step suites do not already.

Each refusal is proved as a person meets it: the message on the same page, what was typed still there, and
nothing saved (read through `mock`). Rules that are tables are parametrised matrices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Locator, Page, expect

from e2e import flows
from e2e.assertions import described_by
from e2e.fixture_types import LogInAs
from e2e.pages.access import AccessManagementHome
from e2e.rules_support import (
    ALREADY_REGISTERED,
    ATTRIBUTE_PAYLOAD,
    CONTACT_FORMATS,
    NISS_KINDS,
    PASSWORD_RULES,
    SCRIPT_PAYLOADS,
    TAKEN_USER_NAME,
    USER_CREATED,
    WEAK_PASSWORD,
    WRONG_CHECK_DIGITS,
    no_script_ran,
    person_records,
    with_wrong_check_digits,
)
from e2e.seeding import MockSeeder
from fixtures import builders


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
