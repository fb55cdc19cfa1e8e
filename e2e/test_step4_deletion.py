"""Step 4 in the browser: deleting users from the «Utilisateurs» page, several at once (4.22)."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.fixture_types import LogInAs, Say
from e2e.seeding import MockSeeder
from fixtures import builders

# The status after «Exécuter» (the mock's French msgid).
DELETED = "%(n)s utilisateur(s) supprimé(s)."


@pytest.fixture
def three_users(
    mock: MockSeeder, faker: Faker, gap_project: dict[str, Any], responsable: dict[str, Any], lang: str
) -> list[dict[str, Any]]:
    """Three users registered by the GAP."""
    users = [builders.user_data(faker, language=lang) for _ in range(3)]
    for user in users:
        mock.member(gap_project, responsable["niss"], user)
    return users


@pytest.mark.manual("4.22")
def test_several_users_are_deleted_at_once(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    three_users: list[dict[str, Any]],
    log_in_as: LogInAs,
    say: Say,
) -> None:
    first, second, kept = three_users
    users = log_in_as(gap_project, responsable)
    expect(users.selection_box(flows.full_name(first))).to_be_visible()

    users = flows.delete_users(users, flows.full_name(first), flows.full_name(second))

    expect(users.status).to_have_text(say(DELETED, n=2))
    expect(users.row(first["niss"])).to_have_count(0)
    expect(users.row(second["niss"])).to_have_count(0)
    expect(users.row(kept["niss"])).to_be_visible()
    assert sorted(mock.members_by_niss(gap_project["inami_number"])) == sorted([responsable["niss"], kept["niss"]])


@pytest.mark.manual("4.22")
def test_main_access_manager_cannot_be_selected_for_deletion(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    three_users: list[dict[str, Any]],
    log_in_as: LogInAs,
) -> None:
    users = log_in_as(gap_project, responsable)

    expect(users.row(responsable["niss"])).to_be_visible()
    expect(users.selection_box(flows.full_name(responsable))).to_have_count(0)
    expect(users.table.get_by_role("checkbox")).to_have_count(3)


@pytest.mark.manual("4.22")
def test_cogap_can_delete_users_but_not_cogaps(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    three_users: list[dict[str, Any]],
    log_in_as: LogInAs,
    lang: str,
    say: Say,
) -> None:
    cogap, other_cogap = builders.user_data(faker, language=lang), builders.user_data(faker, language=lang)
    mock.cogap(gap_project, responsable["niss"], cogap)
    mock.cogap(gap_project, responsable["niss"], other_cogap)

    users = log_in_as(gap_project, cogap)
    expect(users.selection_box(flows.full_name(other_cogap))).to_have_count(0)
    users = flows.delete_users(users, flows.full_name(three_users[0]))

    expect(users.status).to_have_text(say(DELETED, n=1))
    assert other_cogap["niss"] in mock.members_by_niss(gap_project["inami_number"])
    assert three_users[0]["niss"] not in mock.members_by_niss(gap_project["inami_number"])


@pytest.mark.manual("4.22")
def test_gap_can_delete_a_cogap(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
    say: Say,
) -> None:
    cogap = builders.user_data(faker, language=lang)
    mock.cogap(gap_project, responsable["niss"], cogap)

    users = flows.delete_users(log_in_as(gap_project, responsable), flows.full_name(cogap))

    expect(users.status).to_have_text(say(DELETED, n=1))
    expect(users.row(cogap["niss"])).to_have_count(0)
    assert list(mock.members_by_niss(gap_project["inami_number"])) == [responsable["niss"]]


@pytest.mark.manual("4.22")
def test_execute_without_a_ticked_user_explains_why(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    three_users: list[dict[str, Any]],
    log_in_as: LogInAs,
    say: Say,
) -> None:
    users = log_in_as(gap_project, responsable).select_action().click_executer()

    expect(users.alert).to_contain_text(say("Cochez au moins un utilisateur à supprimer."))
    expect(users.table.get_by_role("row")).to_have_count(1 + 4)
    assert len(mock.members_by_niss(gap_project["inami_number"])) == 4


@pytest.mark.manual("4.22")
def test_execute_without_an_action_asks_for_one_and_keeps_the_ticks(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    three_users: list[dict[str, Any]],
    log_in_as: LogInAs,
    say: Say,
) -> None:
    name = flows.full_name(three_users[0])
    users = log_in_as(gap_project, responsable).tick_for_deletion(name).click_executer()

    message = say("Choisissez une action.")
    expect(users.main.get_by_text(message)).to_be_visible()
    expect(users.action).to_have_accessible_description(message)
    expect(users.selection_box(name)).to_be_checked()
    assert three_users[0]["niss"] in mock.members_by_niss(gap_project["inami_number"])
