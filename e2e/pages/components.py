"""Parts shared by several screens: the site header and the «Fonctionnalités» menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Page

from .site import site_of

if TYPE_CHECKING:
    from .access import AccessManagementHome, FunctionsPage, UsersPage


class SiteHeader:
    """The header of every page: who is logged in («Connecté : <Prénom Nom>») and «Se déconnecter»."""

    def __init__(self, page: Page) -> None:
        self.page = page
        words = site_of(page).label
        self.banner = page.get_by_role("banner")
        self.logged_in_as = self.banner.get_by_text(words("header.logged_in_as"))
        self.log_out_button = self.banner.get_by_role("button", name=words("header.log_out"), exact=True)

    def log_out(self) -> AccessManagementHome:
        """Click «Se déconnecter»: CSAM ends the session and shows the access management home."""
        from .access import AccessManagementHome

        self.log_out_button.click()
        return AccessManagementHome(self.page).wait_until_ready()


class FunctionalitiesMenu:
    """The «Fonctionnalités» menu of access management (3.9, 4.9, 4.15, 4.22)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        words = site_of(page).label
        self.nav = page.get_by_role("navigation", name=words("menu"), exact=True)
        self.users_link = self.nav.get_by_role("link", name=words("users"), exact=True)
        self.functions_link = self.nav.get_by_role("link", name=words("functions"), exact=True)

    def click_utilisateurs(self) -> UsersPage:
        """3.9 / 4.9 / 4.22: in «Fonctionnalités», click «Utilisateurs»."""
        from .access import UsersPage

        self.users_link.click()
        return UsersPage(self.page).wait_until_ready()

    def click_fonctions_et_hierarchie(self) -> FunctionsPage:
        """4.15: in «Fonctionnalités», click «Fonctions et hiérarchie de responsabilité»."""
        from .access import FunctionsPage

        self.functions_link.click()
        return FunctionsPage(self.page).wait_until_ready()
