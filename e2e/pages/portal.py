"""The eHealth portal's pages on the way to CSAM (2.1-2.5, 3.1-3.5, 4.1-4.5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Page

from .base import BasePage

if TYPE_CHECKING:
    from .access import AccessManagementHome
    from .login import CsamLoginPage
    from .registration import IdentificationPage


class PortalHome(BasePage):
    """«Portail eSanté», the portal's home page."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("portal.home"))
        self.health_professionals_link = self.main.get_by_role(
            "link", name=self.words("portal.health_professionals"), exact=True
        )

    def open(self) -> PortalHome:
        """2.1 / 3.1 / 4.1: go to the eHealth portal."""
        self.page.goto("/")
        return self.wait_until_ready()

    def click_professionnels_de_la_sante(self) -> HealthProfessionals:
        """2.2 / 3.2 / 4.2: click «Professionnels de la santé»."""
        self.health_professionals_link.click()
        return HealthProfessionals(self.page).wait_until_ready()


class HealthProfessionals(BasePage):
    """«Professionnels de la santé»."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("portal.health_professionals"))
        self.how_to_access_link = page.get_by_role("link", name=self.words("portal.how_to_access"), exact=True)

    def click_comment_acceder_au_portail(self) -> HowToAccess:
        """2.3 / 3.3 / 4.3: click «Comment accéder au portail eSanté ?» (bottom right)."""
        self.how_to_access_link.click()
        return HowToAccess(self.page).wait_until_ready()


class HowToAccess(BasePage):
    """«Comment accéder au portail eSanté ?»."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("portal.how_to_access"))
        self.access_request_link = self.main.get_by_role("link", name=self.words("portal.access_request"), exact=True)
        self.user_access_management_link = self.main.get_by_role(
            "link", name=self.words("portal.user_access_management"), exact=True
        )

    def click_demande_d_acces(self) -> AccessRequest:
        """2.4: click «Demande d'accès»."""
        self.access_request_link.click()
        return AccessRequest(self.page).wait_until_ready()

    def click_gestion_des_utilisateurs_et_des_acces(self) -> UserAccessManagement:
        """3.4 / 4.4 (first half): click «Gestion des utilisateurs et des accès»."""
        self.user_access_management_link.click()
        return UserAccessManagement(self.page).wait_until_ready()


class AccessRequest(BasePage):
    """«Demande d'accès»."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("portal.access_request"))
        # Today's page has the link once per kind of organisation: the section of care institutions.
        section = "access_request.section"
        within = (
            self.main.get_by_role("region", name=self.words(section), exact=True)
            if self.site.shows(section)
            else self.main
        )
        self.register_via_csam_link = within.get_by_role("link", name=self.words("access_request.register"), exact=True)

    def click_enregistrez_vous_via_csam(self) -> IdentificationPage | CsamLoginPage:
        """2.5: click «Enregistrez-vous via le site CSAM»: the designation form, or today the CSAM login first."""
        self.register_via_csam_link.click()
        return self.next_page("access_request.register")  # type: ignore[return-value]


class UserAccessManagement(BasePage):
    """«Gestion des utilisateurs et des accès»."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("portal.user_access_management"))
        self.enterprise_access_link = self.main.get_by_role("link", name=self.words("enterprise_access"), exact=True)

    def click_gestion_d_acces_pour_entreprises(self) -> EnterpriseAccessManagement:
        """3.4 / 4.4 (second half): click «Gestion d'accès pour Entreprises et Organisations»."""
        self.enterprise_access_link.click()
        return EnterpriseAccessManagement(self.page).wait_until_ready()


class EnterpriseAccessManagement(BasePage):
    """«Gestion d'accès pour Entreprises et Organisations» on the portal."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("enterprise_access"))
        self.open_application_link = self.main.get_by_role(
            "link", name=self.words("portal.open_application"), exact=True
        )

    def click_acceder_a_l_application(self) -> AccessManagementHome:
        """3.5 / 4.5: click «Accéder à l'application»."""
        from .access import AccessManagementHome

        self.open_application_link.click()
        return AccessManagementHome(self.page).wait_until_ready()
