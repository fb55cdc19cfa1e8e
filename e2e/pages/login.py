"""CSAM's login: the simulated eID card reader and user name + password (3.6, 4.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from playwright.sync_api import Page

from .base import BasePage

if TYPE_CHECKING:
    from .access import EntityChoice

P = TypeVar("P", bound=BasePage)


class CsamLoginPage(BasePage):
    """«Se connecter à CSAM», with a region per means of identification."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("login.heading"))
        self.eid = self.main.get_by_role("region", name=words("login.eid"), exact=True)
        self.card_niss = self.eid.get_by_label(words("login.card_niss"), exact=True)
        self.pin = self.eid.get_by_label(words("login.pin"), exact=True)
        self.eid_button = self.eid.get_by_role("button", name=words("login.eid_submit"), exact=True)
        self.password_region = self.main.get_by_role("region", name=words("login.password"), exact=True)
        self.username = self.password_region.get_by_label(words("username"), exact=True)
        self.password = self.password_region.get_by_label(words("password"), exact=True)
        self.password_button = self.password_region.get_by_role(
            "button", name=words("login.password_submit"), exact=True
        )

    def fill_eid(self, niss: str, pin: str) -> CsamLoginPage:
        """Insert the card with this NISS (the simulated reader) and type the PIN."""
        self.card_niss.fill(niss)
        self.pin.fill(pin)
        return self

    def fill_password(self, username: str, password: str) -> CsamLoginPage:
        """Type a user name and a password."""
        self.username.fill(username)
        self.password.fill(password)
        return self

    def with_eid(self, niss: str, pin: str) -> EntityChoice:
        """3.6-3.7 / 4.6-4.7: log in with the eID card reader; CSAM then lists the enterprises."""
        from .access import EntityChoice

        self.fill_eid(niss, pin).eid_button.click()
        return EntityChoice(self.page).wait_until_ready()

    def with_password(self, username: str, password: str) -> EntityChoice:
        """Log in with the user name and password received by post (2.10); CSAM then lists the enterprises."""
        from .access import EntityChoice

        self.fill_password(username, password).password_button.click()
        return EntityChoice(self.page).wait_until_ready()

    def with_eid_back_to(self, niss: str, pin: str, page_class: type[P], *args: Any) -> P:
        """Log in with the eID card reader from a page that asked for it; CSAM goes back to that page."""
        self.fill_eid(niss, pin).eid_button.click()
        return page_class(self.page, *args).wait_until_ready()

    def attempt_eid(self, niss: str, pin: str) -> CsamLoginPage:
        """Try the eID login when the site is expected to refuse it and show this page again."""
        return self.fill_eid(niss, pin).submit_and_stay(self.eid_button)

    def attempt_password(self, username: str, password: str) -> CsamLoginPage:
        """Try the password login when the site is expected to refuse it and show this page again."""
        return self.fill_password(username, password).submit_and_stay(self.password_button)
