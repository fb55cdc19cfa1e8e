"""Step 4 in the browser: functions in the inclusion application, with their dates (4.15-4.21, 4.23)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.assertions import described_by
from e2e.fixture_types import Message, Say, sentence
from e2e.pages.access import FunctionsPage
from e2e.seeding import MockSeeder
from fixtures import builders

# The mock's French msgids of what these tests read (through `say`).
MANAGER = "Gestionnaire"
COORDINATOR = "Coordinateur"
NO_FUNCTION = "Aucune fonction"
NO_ROLE_NOTE = (
    "Si aucun rôle n'est attribué, l'utilisateur ne pourra pas utiliser l'application d'inclusion de MyCareNet."
)
NO_ROLE = (
    "Aucun rôle n'est attribué : sans rôle, l'utilisateur ne pourra pas utiliser l'application d'inclusion "
    "de MyCareNet."
)
MANAGER_HINT = (
    "C'est le rôle qui est accordé aux personnes qui peuvent inclure et exclure. Seuls les utilisateurs "
    "auxquels le rôle de « gestionnaire » a été attribué peuvent inclure des personnes."
)
COORDINATOR_HINT = (
    "C'est le rôle attribué aux personnes qui peuvent demander une « vue de liste » de sorte que la "
    "consultation sur les patients inclus est possible. Pour des raisons de confidentialité, le nombre "
    "de personnes ayant ce rôle doit être limité au strict minimum !"
)
MANY_COORDINATORS = (
    "%(n)s personnes ont la fonction « Coordinateur » dans ce projet. Pour des raisons de "
    "confidentialité, le nombre de personnes ayant ce rôle doit être limité au strict minimum !"
)


def fr(day: dt.date) -> str:
    """A date as the site shows it (JJ/MM/AAAA)."""
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def user(
    mock: MockSeeder, faker: Faker, gap_project: dict[str, Any], responsable: dict[str, Any], lang: str
) -> dict[str, Any]:
    """A user of the project with the inclusion application and no role yet (4.10-4.14 done)."""
    data = builders.user_data(faker, language=lang)
    member = mock.member(gap_project, responsable["niss"], data)
    return dict(data, id=member["id"])


def functions_page(page: Page, mock: MockSeeder, project: dict[str, Any], manager: dict[str, Any]) -> FunctionsPage:
    """4.15: log in as the access manager on the users page and open «Fonctions et hiérarchie de responsabilité»."""
    project_id = mock.project_state(project["inami_number"])["id"]
    users = flows.log_in_to_users_page(page, manager["niss"], flows.DEFAULT_PIN, project_id)
    return users.menu.click_fonctions_et_hierarchie()


def roles_of(mock: MockSeeder, project: dict[str, Any], niss: str) -> list[tuple[str, str, str | None]]:
    """The member's roles in the state, as (function, start, end)."""
    member = mock.members_by_niss(project["inami_number"])[niss]
    return sorted((r["function"], r["start_date"], r["end_date"]) for r in member["roles"])


@pytest.mark.manual("4.15", "4.16")
def test_functions_page_lists_each_member_with_a_role_icon(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    functions = functions_page(page, mock, gap_project, responsable)

    expect(functions.heading).to_be_visible()
    expect(functions.row(user["last_name"])).to_contain_text(user["first_name"])
    expect(functions.role_icon(flows.full_name(user))).to_be_visible()
    expect(functions.role_icon(flows.full_name(responsable))).to_be_visible()

    role_page = functions.click_role_icon(flows.full_name(user))

    expect(role_page.heading).to_be_visible()
    expect(role_page.function(say(MANAGER))).not_to_be_checked()
    expect(role_page.function(say(COORDINATOR))).not_to_be_checked()


@pytest.mark.manual("4.17", "4.18", "4.19", "4.20")
def test_role_is_added_with_a_start_date_and_no_end_date(
    page: Page,
    mock: MockSeeder,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    role_page = functions_page(page, mock, gap_project, responsable).click_role_icon(flows.full_name(user))
    expect(role_page.function(say(MANAGER))).to_have_accessible_description(described_by(say(MANAGER_HINT)))
    expect(role_page.function(say(COORDINATOR))).to_have_accessible_description(described_by(say(COORDINATOR_HINT)))
    expect(role_page.end_date).to_be_visible()

    role_page = role_page.choose_functions(say(MANAGER)).enter_start_date(today).click_ajouter()

    expect(role_page.status).to_have_text(role_page.words("roles.added"))
    expect(role_page.current_roles.get_by_role("row").filter(has_text=say(MANAGER))).to_contain_text(fr(today))
    expect(role_page.back_link).to_be_visible()
    functions = role_page.click_retour()
    expect(functions.row(user["last_name"])).to_contain_text(f"{say(MANAGER)} ({say('du %(start)s', start=fr(today))})")
    assert roles_of(mock, gap_project, user["niss"]) == [("gestionnaire", today.isoformat(), None)]


@pytest.mark.manual("4.17", "4.18", "4.19")
def test_same_person_may_hold_both_functions(
    page: Page,
    mock: MockSeeder,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    end = today + dt.timedelta(days=365)
    functions = flows.assign_role(
        functions_page(page, mock, gap_project, responsable),
        flows.full_name(user),
        [say(MANAGER), say(COORDINATOR)],
        today,
        end,
    )

    expect(functions.row(user["last_name"])).to_contain_text(say(MANAGER))
    expect(functions.row(user["last_name"])).to_contain_text(say(COORDINATOR))
    assert roles_of(mock, gap_project, user["niss"]) == [
        ("coordinateur", today.isoformat(), end.isoformat()),
        ("gestionnaire", today.isoformat(), end.isoformat()),
    ]


@pytest.mark.manual("4.21")
def test_changing_a_role_replaces_the_previous_one(
    page: Page,
    mock: MockSeeder,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    mock.roles(gap_project, responsable["niss"], user["id"], ["gestionnaire"], today - dt.timedelta(days=30))
    role_page = functions_page(page, mock, gap_project, responsable).click_role_icon(flows.full_name(user))
    expect(role_page.function(say(MANAGER))).to_be_checked()

    start, end = today + dt.timedelta(days=1), today + dt.timedelta(days=90)
    role_page = role_page.choose_functions(say(COORDINATOR)).enter_start_date(start).enter_end_date(end).click_ajouter()

    expect(role_page.status).to_have_text(role_page.words("roles.added"))
    expect(role_page.current_roles.get_by_role("row").filter(has_text=say(COORDINATOR))).to_contain_text(fr(end))
    expect(role_page.current_roles.get_by_role("row").filter(has_text=say(MANAGER))).to_have_count(0)
    functions = role_page.click_retour()
    expect(functions.row(user["last_name"])).not_to_contain_text(say(MANAGER))
    assert roles_of(mock, gap_project, user["niss"]) == [("coordinateur", start.isoformat(), end.isoformat())]


@pytest.mark.manual("4.23")
def test_user_without_a_role_shows_no_function(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    functions = functions_page(page, mock, gap_project, responsable)

    expect(functions.row(user["last_name"])).to_contain_text(say(NO_FUNCTION))
    expect(functions.main.get_by_text(say(NO_ROLE_NOTE), exact=True)).to_be_visible()
    role_page = functions.click_role_icon(flows.full_name(user))
    expect(role_page.current_roles).to_contain_text(say(NO_ROLE))
    assert roles_of(mock, gap_project, user["niss"]) == []


@pytest.mark.manual("4.17")
def test_many_coordinators_are_warned_about(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    lang: str,
    say: Say,
) -> None:
    for _ in range(3):
        member = mock.member(gap_project, responsable["niss"], builders.user_data(faker, language=lang))
        mock.roles(gap_project, responsable["niss"], member["id"], ["coordinateur"], today)

    functions = functions_page(page, mock, gap_project, responsable)

    expect(functions.status).to_contain_text(say(MANY_COORDINATORS, n=3))


DatesFor = Callable[[dt.date], tuple[dt.date | None, dt.date | None]]


@pytest.mark.manual("4.17", "4.18", "4.19")
@pytest.mark.parametrize(
    ("functions", "dates_for", "field", "message"),
    [
        pytest.param(
            [],
            lambda t: (t, None),
            "functions",
            "Choisissez au moins une fonction : Gestionnaire ou Coordinateur.",
            id="no-function",
        ),
        pytest.param(
            ["Gestionnaire"],
            lambda t: (None, t),
            "start_date",
            lambda say: say("Le champ « %(label)s » est obligatoire.", label=say("Date de début")),
            id="no-start-date",
        ),
        pytest.param(
            ["Coordinateur"],
            lambda t: (t, t - dt.timedelta(days=1)),
            "end_date",
            "La date de fin ne peut pas précéder la date de début.",
            id="end-before-start",
        ),
    ],
)
def test_role_refused_with_message_and_choices_kept(
    page: Page,
    mock: MockSeeder,
    today: dt.date,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    functions: list[str],
    dates_for: DatesFor,
    field: str,
    message: Message,
    say: Say,
) -> None:
    start, end = dates_for(today)
    message = sentence(say, message)
    functions = [say(name) for name in functions]
    role_page = flows.open_role_page(functions_page(page, mock, gap_project, responsable), flows.full_name(user))

    role_page = role_page.choose_functions(*functions).enter_start_date(start).enter_end_date(end).click_ajouter()

    expect(role_page.main.get_by_text(message)).to_be_visible()
    target = role_page.functions if field == "functions" else getattr(role_page, field)
    expect(target).to_have_accessible_description(described_by(message))
    expect(role_page.status).to_have_count(0)
    for name in (say(MANAGER), say(COORDINATOR)):
        expect(role_page.function(name)).to_be_checked(checked=name in functions)
    expect(role_page.start_date).to_have_value(start.strftime("%d/%m/%Y") if start else "")
    expect(role_page.end_date).to_have_value(end.strftime("%d/%m/%Y") if end else "")
    assert roles_of(mock, gap_project, user["niss"]) == []
