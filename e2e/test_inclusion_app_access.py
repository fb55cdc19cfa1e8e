"""When MyCareNet's inclusion application lets a person in, proved in the browser: a role counts from its start
date to its end date (4.18), deletion ends the access and a role given later opens it (4.22, 4.23), the AR78
care providers need no CSAM registration from March 2018 (the AR78 note), and the people the application must
keep out. Every test lives on a date fixed with the mock's clock (e2e/inclusion_support.py), so role dates and
the AR78 cut-over give the same result on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows, inclusion_support
from e2e.fixture_types import Message, Say, sentence
from e2e.inclusion_support import (
    AR78_ACCESS,
    AR78_FROM,
    AR78_NOT_YET,
    AR78_PROVIDER,
    COORDINATOR,
    DELETED,
    ENDED,
    MANAGER,
    NO_ROLE,
    NOT_AR78,
    NOT_REGISTERED,
    NOT_STARTED,
    NOT_TICKED,
    ON,
    PENDING_SIGNATURE,
    enter,
    fr,
    granted,
    included,
    no_access,
    patients,
    project_id,
    simulated,
    your_functions,
)
from e2e.pages.inclusion import AccessRefusedPage, InclusionProjectPage, ListViewPage
from e2e.seeding import MockSeeder
from fixtures import builders
from mock_csam.domain.models import COORDINATEUR, GESTIONNAIRE, Setting
from mock_csam.domain.store import TODAY

# The suites' shared fixtures, bound here so that pytest finds them for this module's tests.
clock, other_project, user = inclusion_support.clock, inclusion_support.other_project, inclusion_support.user


# ---------------------------------------------------------------------------------------------------------
# 4.18: a role counts from its start date to its end date, both included
# ---------------------------------------------------------------------------------------------------------

ROLE_START, ROLE_END = dt.date(2024, 5, 10), dt.date(2024, 5, 20)


@pytest.mark.manual("4.18")
@pytest.mark.parametrize(
    ("today", "reason"),
    [
        pytest.param(
            ROLE_START - dt.timedelta(days=1),
            lambda say: say(NOT_STARTED, function=say(MANAGER), date=fr(ROLE_START)),
            id="day-before-start",
        ),
        pytest.param(
            ROLE_END + dt.timedelta(days=1),
            lambda say: say(ENDED, function=say(MANAGER), date=fr(ROLE_END)),
            id="day-after-end",
        ),
    ],
)
def test_role_outside_its_dates_is_refused_with_the_reason(
    page: Page,
    mock: MockSeeder,
    clock: Callable[[dt.date], None],
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    today: dt.date,
    reason: Message,
    say: Say,
) -> None:
    reason = sentence(say, reason)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ROLE_START, ROLE_END)
    clock(today)

    home = enter(page, user)

    expect(home.mock_clock).to_have_text(simulated(say, today))
    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, reason))
    refused = home.choose_project_refused(gap_project["name"])
    expect(refused.reasons).to_have_text(reason)


@pytest.mark.manual("4.18")
@pytest.mark.parametrize("today", [pytest.param(ROLE_START, id="start-date"), pytest.param(ROLE_END, id="last-day")])
def test_role_is_granted_from_its_start_date_to_its_last_day(
    page: Page,
    mock: MockSeeder,
    clock: Callable[[dt.date], None],
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    today: dt.date,
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ROLE_START, ROLE_END)
    clock(today)

    home = enter(page, user)

    expect(home.mock_clock).to_have_text(simulated(say, today))
    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    project = home.choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))


# ---------------------------------------------------------------------------------------------------------
# 4.22 and 4.23: deletion ends the access; without a role there is none, with one there is
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("4.22")
def test_user_deleted_on_the_users_screen_loses_the_application_at_once(
    page: Page,
    other_page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ON)
    project = enter(page, user).choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))

    users = flows.log_in_to_users_page(
        other_page, responsable["niss"], flows.DEFAULT_PIN, project_id(mock, gap_project)
    )
    users = users.tick_for_deletion(flows.full_name(user)).select_action().click_executer()
    expect(users.status).to_have_text(say(DELETED, n=1))

    refused = project.reload_refused()
    expect(refused.reasons).to_have_text(say(NOT_REGISTERED))
    expect(refused.main).not_to_contain_text(gap_project["name"])
    home = refused.click_retour_a_l_application()
    expect(home.no_project).to_be_visible()


@pytest.mark.manual("4.23")
def test_user_without_a_role_is_refused_until_the_manager_gives_one(
    page: Page,
    other_page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user)
    home = enter(page, user)
    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, say(NO_ROLE)))
    refused = home.choose_project_refused(gap_project["name"])
    expect(refused.reasons).to_have_text(say(NO_ROLE))

    users = flows.log_in_to_users_page(
        other_page, responsable["niss"], flows.DEFAULT_PIN, project_id(mock, gap_project)
    )
    functions = flows.assign_role(users, flows.full_name(user), [say(MANAGER)], ON)
    expect(functions.row(user["last_name"])).to_contain_text(say(MANAGER))

    home = refused.click_retour_a_l_application()
    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    project = home.choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))


# ---------------------------------------------------------------------------------------------------------
# The AR78 note: from March 2018 its care providers need no CSAM registration; others still do
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("AR78")
@pytest.mark.parametrize(
    ("profession", "today", "reason"),
    [
        pytest.param(
            "infirmier",
            AR78_FROM - dt.timedelta(days=1),
            lambda say: say(AR78_NOT_YET, date=fr(AR78_FROM)),
            id="ar78-before-march-2018",
        ),
        pytest.param("administratif", AR78_FROM, NOT_AR78, id="administratif-from-march-2018"),
        pytest.param("assistant_social", AR78_FROM, NOT_AR78, id="outside-ar78-from-march-2018"),
    ],
)
def test_care_provider_not_in_csam_is_refused_with_the_reason(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    clock: Callable[[dt.date], None],
    seeded_project: dict[str, Any],
    profession: str,
    today: dt.date,
    reason: Message,
    lang: str,
    say: Say,
) -> None:
    reason = sentence(say, reason)
    provider = builders.person(faker, language=lang)
    mock.care_provider(seeded_project, provider, profession)
    clock(today)

    home = enter(page, provider)

    expect(home.mock_clock).to_have_text(simulated(say, today))
    expect(home.status_of(seeded_project["name"])).to_have_text(no_access(say, reason))
    refused = home.choose_project_refused(seeded_project["name"])
    expect(refused.reasons).to_have_text(reason)


@pytest.mark.manual("AR78")
@pytest.mark.parametrize("profession", ["infirmier", "medecin"])
def test_ar78_provider_reaches_its_own_project_from_1_march_2018_and_includes(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    clock: Callable[[dt.date], None],
    seeded_project: dict[str, Any],
    other_project: dict[str, Any],
    profession: str,
    lang: str,
    say: Say,
) -> None:
    provider = builders.person(faker, language=lang)
    (patient,) = patients(faker, 1)
    mock.care_provider(seeded_project, provider, profession)
    clock(AR78_FROM)

    home = enter(page, provider)
    expect(home.mock_clock).to_have_text(simulated(say, AR78_FROM))
    expect(home.status_of(seeded_project["name"])).to_have_text(f"{granted(say, MANAGER)} ({say(AR78_PROVIDER)})")
    expect(home.projects).to_have_count(1)
    project = home.choose_project(seeded_project["name"])
    expect(project.functions).to_have_text(f"{your_functions(say, MANAGER)} — {say(AR78_ACCESS)}")
    expect(project.list_view_link).to_have_count(0)

    project = project.include(patient, AR78_FROM)

    expect(project.status).to_have_text(included(say, patient, AR78_FROM))
    assert [(i["patient_niss"], i["included_by"]) for i in mock.inclusions(seeded_project["inami_number"])] == [
        (patient, provider["niss"])
    ]
    refused = AccessRefusedPage(page).open(InclusionProjectPage.path_for(project_id(mock, other_project)))
    expect(refused.reasons).to_have_text(say(NOT_REGISTERED))
    expect(refused.main).not_to_contain_text(other_project["name"])


# ---------------------------------------------------------------------------------------------------------
# People the application must keep out: a GAP still waiting for the signed document, another project's user
# ---------------------------------------------------------------------------------------------------------


def test_gap_waiting_for_the_signed_document_is_refused_until_it_arrives(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    registration = mock.registration(seeded_project, responsable)
    home = enter(page, responsable)
    expect(home.status_of(seeded_project["name"])).to_have_text(no_access(say, say(PENDING_SIGNATURE)))
    refused = home.choose_project_refused(seeded_project["name"])
    expect(refused.reasons).to_have_text(say(PENDING_SIGNATURE))
    expect(refused.main).to_contain_text(seeded_project["name"])

    mock.sign(registration)

    # Once active, the GAP is refused for what CSAM still lacks (the application ticked), not for the document.
    home = refused.click_retour_a_l_application()
    expect(home.status_of(seeded_project["name"])).to_have_text(no_access(say, say(NOT_TICKED)))


def test_user_of_another_project_is_refused_without_seeing_its_name(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    other_project: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    mock.user(other_project, other_project["persons"][0]["niss"], user, [GESTIONNAIRE, COORDINATEUR], ON)
    home = enter(page, user)
    expect(home.projects).to_have_count(1)
    own = home.choose_project(other_project["name"])
    expect(own.functions).to_have_text(your_functions(say, COORDINATOR, MANAGER))

    for path in (InclusionProjectPage.path_for, ListViewPage.path_for):
        refused = AccessRefusedPage(page).open(path(project_id(mock, gap_project)))
        expect(refused.reasons).to_have_text(say(NOT_REGISTERED))
        expect(refused.main).not_to_contain_text(gap_project["name"])
        expect(refused.main).not_to_contain_text(gap_project["inami_number"])


# ---------------------------------------------------------------------------------------------------------
# The harness: every test starts on the real date
# ---------------------------------------------------------------------------------------------------------


def test_resetting_the_mock_releases_its_clock(mock: MockSeeder) -> None:
    mock.set_today(AR78_FROM)
    assert mock.state()["today"] == AR78_FROM.isoformat()

    mock.reset()

    assert mock.today() == dt.date.today()
    assert mock.state()["today"] == dt.date.today().isoformat()


@pytest.mark.in_process("reads the store's saved settings, which no HTTP call shows")
def test_resetting_the_mock_forgets_the_saved_date(mock: MockSeeder) -> None:
    mock.set_today(AR78_FROM)

    mock.reset()

    assert not mock.store.clock.is_fixed
    with mock.store.transaction() as db:
        assert db.get(Setting, TODAY) is None, "a restarted store would fix the date again"
