"""CSAM's login in the browser (3.6, 4.6): refusals keep the person on the page, logging out ends the session."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from e2e import flows
from e2e.fixture_types import Say
from e2e.pages.access import AccessManagementHome
from e2e.pages.login import CsamLoginPage
from fixtures import builders

CardFor = Callable[[Faker, dict[str, Any]], tuple[str, str]]


@pytest.fixture
def login_page(page: Page) -> CsamLoginPage:
    """3.5-3.6: CSAM's access management, then «se connecter»."""
    return AccessManagementHome(page).open().click_se_connecter()


@pytest.mark.manual("3.6", "4.6")
@pytest.mark.parametrize(
    ("card_for", "field", "message"),
    [
        pytest.param(
            lambda f, gap: (builders.niss(f), "1234"),
            "card_niss",
            "Cette carte eID n'est pas reconnue.",
            id="unknown-card",
        ),
        pytest.param(lambda f, gap: (gap["niss"], "9999"), "pin", "Code PIN incorrect.", id="wrong-pin"),
        pytest.param(
            lambda f, gap: (builders.broken_niss(f), "1234"),
            "card_niss",
            "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
            id="broken-niss",
        ),
        pytest.param(lambda f, gap: (gap["niss"], ""), "pin", "Le code PIN est obligatoire.", id="no-pin"),
    ],
)
def test_eid_login_refused_with_message_and_card_kept(
    login_page: CsamLoginPage,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    card_for: CardFor,
    field: str,
    message: str,
    say: Say,
) -> None:
    niss, pin = card_for(faker, responsable)

    login = login_page.attempt_eid(niss, pin)

    message = say(message)
    expect(login.eid.get_by_text(message)).to_be_visible()
    expect(getattr(login, field)).to_have_accessible_description(re.compile(re.escape(message)))
    expect(login.card_niss).to_have_value(niss)
    expect(login.pin).to_have_value("")
    expect(login.header.logged_in_as).to_have_count(0)


@pytest.mark.manual("3.6", "4.6")
def test_wrong_password_refused_with_user_name_kept(
    login_page: CsamLoginPage, gap_project: dict[str, Any], say: Say
) -> None:
    login = login_page.attempt_password("LotjeDeRidder", "pas-le-bon-1")

    expect(login.password_region.get_by_role("alert")).to_have_text(say("Nom d'utilisateur ou mot de passe incorrect."))
    expect(login.username).to_have_value("LotjeDeRidder")
    expect(login.password).to_have_value("")
    expect(login.header.logged_in_as).to_have_count(0)


@pytest.mark.manual("3.6", "4.6")
def test_logging_out_ends_the_session(
    page: Page, gap_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    users = flows.open_access_management(
        page, responsable["niss"], flows.DEFAULT_PIN, gap_project["name"], via_portal=False
    )
    expect(users.header.logged_in_as).to_contain_text(flows.full_name(responsable))
    users_path = urlsplit(page.url).path

    home = users.header.log_out()

    expect(home.status).to_have_text(say("Vous êtes déconnecté."))
    expect(home.header.logged_in_as).to_have_count(0)
    page.goto(users_path)
    expect(CsamLoginPage(page).heading).to_be_visible()
