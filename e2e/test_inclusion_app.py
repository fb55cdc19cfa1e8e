"""What the manual promises in MyCareNet's inclusion application, proved in the browser from both sides: the
application ticked in CSAM (4.12) and what each function may do there (4.17).

Step 4 registers users, ticks the application and gives them functions; these tests log in as the people
concerned and check what the application then grants or refuses, with the reason the person reads. Every test
lives on a date fixed with the mock's clock (e2e/inclusion_support.py). When access starts and ends, and who is
kept out, is in e2e/test_inclusion_app_access.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows, inclusion_support
from e2e.assertions import described_by
from e2e.fixture_types import Message, Say, sentence
from e2e.inclusion_support import (
    COORDINATOR,
    MANAGER,
    NOT_TICKED,
    ON,
    ONLY_COORDINATOR,
    USER_CREATED,
    enter,
    excluded,
    fr,
    granted,
    included,
    no_access,
    patients,
    project_id,
    your_functions,
)
from e2e.pages.inclusion import AccessRefusedPage, ListViewPage
from e2e.seeding import MockSeeder
from fixtures import builders
from mock_csam.domain.models import COORDINATEUR, GESTIONNAIRE

# The suites' shared fixtures, bound here so that pytest finds them for this module's tests.
clock, other_project, user = inclusion_support.clock, inclusion_support.other_project, inclusion_support.user


# ---------------------------------------------------------------------------------------------------------
# 4.12: without the application ticked, a registered user has no access
# ---------------------------------------------------------------------------------------------------------


def register_through_users_screen(
    page: Page,
    mock: MockSeeder,
    project: dict[str, Any],
    gap: dict[str, Any],
    user: dict[str, Any],
    say: Say,
    *,
    ticked: bool,
) -> None:
    """The GAP registers the user on «Utilisateurs» (4.10-4.14), ticking the application or not, and logs out;
    the user then gets the «Gestionnaire» role from today (4.15-4.20, seeded)."""
    users = flows.log_in_to_users_page(page, gap["niss"], flows.DEFAULT_PIN, project_id(mock, project))
    users = flows.add_user(users, user, inclusion_app=ticked)
    expect(users.status).to_have_text(say(USER_CREATED, name=flows.full_name(user)))
    users.header.log_out()
    member = mock.members_by_niss(project["inami_number"])[user["niss"]]
    mock.roles(project, gap["niss"], member["id"], [GESTIONNAIRE], ON)


@pytest.mark.manual("4.12")
def test_user_registered_with_the_application_ticked_reaches_the_project(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    register_through_users_screen(page, mock, gap_project, responsable, user, say, ticked=True)

    home = enter(page, user)

    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    project = home.choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))
    expect(project.include_form.region).to_be_visible()


@pytest.mark.manual("4.12")
def test_user_registered_without_the_application_ticked_is_refused_with_the_reason(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    register_through_users_screen(page, mock, gap_project, responsable, user, say, ticked=False)

    home = enter(page, user)

    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, say(NOT_TICKED)))
    refused = home.choose_project_refused(gap_project["name"])
    expect(refused.reasons).to_have_text(say(NOT_TICKED))
    expect(refused.main).to_contain_text(gap_project["name"])


@pytest.mark.manual("4.12")
def test_gap_ticks_the_application_for_themself_afterwards_and_then_reaches_the_project(
    page: Page, other_page: Page, mock: MockSeeder, gap_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    # The designation (step 2) gives the GAP access management, not the inclusion application.
    home = enter(page, responsable)
    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, say(NOT_TICKED)))

    users = flows.log_in_to_users_page(
        other_page, responsable["niss"], flows.DEFAULT_PIN, project_id(mock, gap_project)
    )
    name = flows.full_name(responsable)
    users = users.click_modifier_applications(name).tick_gestion_projets_soins_integres().click_enregistrer()
    expect(users.status).to_have_text(users.words("member_applications.saved", name=name))
    expect(users.row(responsable["niss"])).to_contain_text(users.words("applications.inclusion"))
    flows.assign_role(users, name, [say(MANAGER)], ON)

    home = home.goto()
    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    expect(home.choose_project(gap_project["name"]).include_form.region).to_be_visible()


# ---------------------------------------------------------------------------------------------------------
# 4.17: «Gestionnaire» includes and excludes, «Coordinateur» asks for the list view, or both
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("4.17")
@pytest.mark.parametrize(
    ("functions", "shown", "forms", "list_view"),
    [
        pytest.param([GESTIONNAIRE], [MANAGER], 1, 0, id="gestionnaire"),
        pytest.param([COORDINATEUR], [COORDINATOR], 0, 1, id="coordinateur"),
        pytest.param([GESTIONNAIRE, COORDINATEUR], [COORDINATOR, MANAGER], 1, 1, id="both"),
    ],
)
def test_each_function_shows_its_own_part_of_the_project(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    functions: list[str],
    shown: list[str],
    forms: int,
    list_view: int,
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user, functions, ON)

    project = enter(page, user).choose_project(gap_project["name"])

    expect(project.functions).to_have_text(your_functions(say, *shown))
    expect(project.include_form.region).to_have_count(forms)
    expect(project.exclude_form.region).to_have_count(forms)
    expect(project.list_view_link).to_have_count(list_view)


@pytest.mark.manual("4.17")
def test_gestionnaire_includes_and_excludes_patients_but_gets_no_list_view(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    newcomer, leaving = patients(faker, 2)
    since = ON - dt.timedelta(days=30)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], since)
    mock.include(gap_project, user["niss"], leaving, since)
    project = enter(page, user).choose_project(gap_project["name"])
    expect(project.include_form.niss).to_be_visible()
    expect(project.include_form.date).to_be_visible()
    expect(project.exclude_form.niss).to_be_visible()
    expect(project.exclude_form.date).to_be_visible()

    project = project.include(newcomer, ON)
    expect(project.status).to_have_text(included(say, newcomer, ON))
    project = project.exclude(leaving, ON)
    expect(project.status).to_have_text(excluded(say, leaving, ON))

    expect(project.list_view_link).to_have_count(0)
    refused = AccessRefusedPage(page).open(ListViewPage.path_for(project_id(mock, gap_project)))
    expect(refused.reasons).to_have_text(say(ONLY_COORDINATOR))
    assert sorted(
        (i["patient_niss"], i["start_date"], i["end_date"], i["excluded_by"])
        for i in mock.inclusions(gap_project["inami_number"])
    ) == sorted(
        [
            (newcomer, ON.isoformat(), None, None),
            (leaving, since.isoformat(), ON.isoformat(), user["niss"]),
        ]
    )


@pytest.mark.manual("4.17")
@pytest.mark.parametrize(
    ("form", "typed", "field", "message"),
    [
        pytest.param(
            "include",
            ("12345678901", fr(ON)),
            "niss",
            "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
            id="invalid-niss",
        ),
        pytest.param(
            "include",
            (None, "30/02/2024"),
            "date",
            lambda say: say("« %(label)s » n'est pas une date valable (JJ/MM/AAAA).", label=say("Date de début")),
            id="not-a-date",
        ),
        pytest.param(
            "include",
            (None, ""),
            "date",
            lambda say: say("Le champ « %(label)s » est obligatoire.", label=say("Date de début")),
            id="no-start-date",
        ),
        pytest.param(
            "include", ("included", fr(ON)), "niss", "Ce patient est déjà inclus dans ce projet.", id="already-included"
        ),
        pytest.param(
            "exclude", (None, fr(ON)), "niss", "Ce patient n'est pas inclus dans ce projet.", id="not-included"
        ),
        pytest.param(
            "exclude",
            ("included", "01/01/2024"),
            "date",
            "La date de fin ne peut pas précéder la date de début.",
            id="end-before-start",
        ),
    ],
)
def test_inclusion_refused_with_message_next_to_the_field_and_nothing_saved(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    form: str,
    typed: tuple[str | None, str],
    field: str,
    message: Message,
    say: Say,
) -> None:
    message = sentence(say, message)
    already, other = patients(faker, 2)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ON - dt.timedelta(days=30))
    mock.include(gap_project, user["niss"], already, ON - dt.timedelta(days=30))
    before = mock.inclusions(gap_project["inami_number"])
    niss = other if typed[0] is None else already if typed[0] == "included" else typed[0]
    project = enter(page, user).choose_project(gap_project["name"])

    project = project.include(niss, typed[1]) if form == "include" else project.exclude(niss, typed[1])

    patient_form = project.include_form if form == "include" else project.exclude_form
    refused = getattr(patient_form, field)
    expect(refused).to_have_attribute("aria-invalid", "true")
    expect(refused).to_have_accessible_description(described_by(message))
    expect(patient_form.niss).to_have_value(niss)
    expect(patient_form.date).to_have_value(typed[1])
    assert mock.inclusions(gap_project["inami_number"]) == before


@pytest.mark.manual("4.17")
def test_coordinateur_lists_the_projects_own_patients_only_and_cannot_include(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    other_project: dict[str, Any],
    user: dict[str, Any],
    lang: str,
) -> None:
    own, elsewhere = patients(faker, 2)
    manager, other_manager = builders.user_data(faker, language=lang), builders.user_data(faker, language=lang)
    mock.user(gap_project, responsable["niss"], manager, [GESTIONNAIRE], ON)
    mock.user(other_project, other_project["persons"][0]["niss"], other_manager, [GESTIONNAIRE], ON)
    mock.user(gap_project, responsable["niss"], user, [COORDINATEUR], ON)
    mock.include(gap_project, manager["niss"], own, ON)
    mock.include(other_project, other_manager["niss"], elsewhere, ON)

    project = enter(page, user).choose_project(gap_project["name"])
    expect(project.include_form.region).to_have_count(0)
    expect(project.exclude_form.region).to_have_count(0)
    listing = project.open_list_view()

    expect(listing.table).to_be_visible()
    expect(listing.rows).to_have_count(1)
    expect(listing.row(own)).to_contain_text(fr(ON))
    expect(listing.row(own)).to_contain_text(flows.full_name(manager))
    expect(listing.row(elsewhere)).to_have_count(0)


@pytest.mark.manual("4.17")
def test_person_with_both_functions_includes_then_sees_the_patient_in_the_list_view(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    (patient,) = patients(faker, 1)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE, COORDINATEUR], ON)
    project = enter(page, user).choose_project(gap_project["name"])
    listing = project.open_list_view()
    expect(listing.no_patient).to_be_visible()

    project = listing.click_retour().include(patient, ON)
    expect(project.status).to_have_text(included(say, patient, ON))
    listing = project.open_list_view()

    expect(listing.rows).to_have_count(1)
    expect(listing.row(patient)).to_contain_text(flows.full_name(user))
