"""The catalogue's rules (README, «Rule catalogue») of who may do what in access management (steps 3 and 4):
co-GAPs, the projects a person manages, roles and their dates, the coordinators' warning, and deletion, refused
in the browser where the step suites do not already.

Each refusal is proved as a person meets it: the message or page the person sees, and nothing saved (read
through `mock`). Rules that are tables are parametrised matrices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from flask import Flask
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.assertions import described_by
from e2e.fixture_types import LogInAs
from e2e.pages.access import AccessManagementHome, EntityChoice, MemberApplicationsPage, MemberDataPage, UsersPage
from e2e.pages.base import ErrorPage
from e2e.rules_support import COORDINATOR_WARNING, GAP_NOT_DELETABLE, ONLY_GAP_DELETES_COGAPS, project_id
from e2e.seeding import MockSeeder
from fixtures import builders


@pytest.fixture
def registered_user(
    mock: MockSeeder, faker: Faker, gap_project: dict[str, Any], responsable: dict[str, Any]
) -> dict[str, Any]:
    """A user of the project with the inclusion application and no role yet (4.10-4.14 done)."""
    data = builders.user_data(faker)
    member = mock.member(gap_project, responsable["niss"], data)
    return dict(data, id=member["id"])


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
