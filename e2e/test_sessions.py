"""The login handed to a browser (e2e/sessions.py) is the mock's own: the same eID check refuses a wrong PIN and
saves no login, the person it logs in has their own access (a GAP sees the project's users), and a reset ends it
as it ends a form login."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from e2e import flows, sessions
from e2e.pages.access import UsersPage
from e2e.pages.login import CsamLoginPage
from e2e.seeding import MockSeeder
from mock_csam.domain.errors import RuleViolation
from mock_csam.domain.models import LoginSession

# The handed login is the in-process mock's own shortcut: against a served mock the suites log in through the screens.
pytestmark = pytest.mark.in_process("hands a login to the browser through the in-process mock's app")


def logins(mock_app) -> int:
    with mock_app.app_context(), mock_app.extensions["csam_store"].transaction() as db:
        return db.scalar(select(func.count()).select_from(LoginSession))


def test_a_wrong_pin_is_refused_by_the_login_rule_and_no_login_is_saved(
    page: Page, mock_app, base_url: str, seeded_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    with pytest.raises(RuleViolation) as refused:
        sessions.seed_eid_login(mock_app, page.context, base_url, responsable["niss"], "0000")
    assert [field for field, _message in refused.value.errors] == ["pin"]
    assert logins(mock_app) == 0
    assert not [c for c in page.context.cookies(base_url) if c["name"] == "session"]


def test_the_handed_login_opens_the_users_page_of_that_person_and_a_reset_ends_it(
    page: Page, mock: MockSeeder, mock_app, base_url: str, gap_project: dict[str, Any], responsable: dict[str, Any]
) -> None:
    project_id = mock.project_state(gap_project["inami_number"])["id"]
    sessions.seed_eid_login(mock_app, page.context, base_url, responsable["niss"], flows.DEFAULT_PIN)
    assert logins(mock_app) == 1
    page.goto(UsersPage.path_for(project_id))
    users = UsersPage(page).wait_until_ready()
    # The GAP's own project: only a logged-in access manager of it sees its members.
    expect(users.row(responsable["niss"])).to_contain_text(responsable["last_name"])
    mock.reset()
    page.goto(UsersPage.path_for(project_id))
    CsamLoginPage(page).wait_until_ready()
