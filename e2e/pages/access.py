"""CSAM's access management for enterprises and organisations (3.5-3.12, 4.5-4.23)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Locator, Page, expect

from .base import BasePage, ErrorPage, required
from .components import FunctionalitiesMenu
from .login import CsamLoginPage
from .site import label_pattern, site_of

# The functions of 4.17, as catalogue keys: a role is these, ticked or not.
FUNCTION_KEYS = ("function.manager", "function.coordinator")


class AccessManagementHome(BasePage):
    """«Gestion d'accès pour Entreprises et Organisations» in CSAM, with its «se connecter» link."""

    path = "/csam/access/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("enterprise_access"))
        self.log_in_link = self.main.get_by_role("link", name=self.words("access_home.log_in"), exact=True)

    def open(self) -> AccessManagementHome:
        """Go straight to CSAM's access management (where 3.1-3.5 / 4.1-4.5 lead)."""
        self.page.goto(self.path)
        return self.wait_until_ready()

    def click_se_connecter(self) -> CsamLoginPage:
        """3.6 / 4.6: click «se connecter»."""
        self.log_in_link.click()
        return CsamLoginPage(self.page).wait_until_ready()


class EntityChoice(BasePage):
    """«Choisissez l'entreprise»: the projects the logged-in person manages (3.7, 4.7)."""

    path = "/csam/access/entites"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("entities.heading"))
        self.enterprise_links = self.main.get_by_role("link")
        self.none_managed = self.main.get_by_text(self.words("entities.none_managed"), exact=True)
        # Whatever the project and the request number the message names.
        self.pending_designation = self.main.get_by_text(label_pattern(self.site, "entities.pending"))

    def open(self) -> EntityChoice:
        """Go straight to the list of enterprises of the logged-in person (where 3.6 / 4.6 lead)."""
        self.page.goto(self.path)
        return self.wait_until_ready()

    def enterprise(self, name: str) -> Locator:
        """The link named by the project's name."""
        return self.main.get_by_role("link", name=name, exact=True)

    def choose_enterprise(self, name: str) -> QualityChoice:
        """3.7 / 4.7: click the enterprise's name."""
        self.enterprise(name).click()
        return QualityChoice(self.page, name).wait_until_ready()


class QualityChoice(BasePage):
    """The project's page «Choisissez la qualité» (3.8, 4.8)."""

    def __init__(self, page: Page, project_name: str) -> None:
        super().__init__(page)
        self.project_name = project_name
        self.heading = self.h1(project_name)
        self.inami_quality_link = self.main.get_by_role("link", name=self.words("quality.inami"), exact=True)

    def click_organisation_reconnue_par_l_inami(self) -> FunctionalitiesHome:
        """3.8 / 4.8: click the quality «Organisation reconnue par l'INAMI»."""
        self.inami_quality_link.click()
        return FunctionalitiesHome(self.page, self.project_name).wait_until_ready()


class FunctionalitiesHome(BasePage):
    """The project in the quality «Organisation reconnue par l'INAMI», with the «Fonctionnalités» menu."""

    def __init__(self, page: Page, project_name: str) -> None:
        super().__init__(page)
        self.heading = self.h1(project_name)
        self.menu = FunctionalitiesMenu(page)

    def wait_until_ready(self) -> FunctionalitiesHome:
        """Wait for the project's heading and its «Fonctionnalités» menu (the quality page has the same heading)."""
        super().wait_until_ready()
        expect(self.menu.nav).to_be_visible()
        return self

    def click_utilisateurs(self) -> UsersPage:
        """3.9 / 4.9: in «Fonctionnalités», click «Utilisateurs»."""
        return self.menu.click_utilisateurs()

    def click_fonctions_et_hierarchie(self) -> FunctionsPage:
        """4.15: in «Fonctionnalités», click «Fonctions et hiérarchie de responsabilité»."""
        return self.menu.click_fonctions_et_hierarchie()


class AddMemberRegion:
    """A region of the users page that starts an addition with a NISS (3.10, 4.10)."""

    def __init__(self, page: Page, region_key: str, cogap: bool) -> None:
        """The region by the catalogue key of its name."""
        self.page = page
        self.cogap = cogap
        words = site_of(page).label
        self.region = page.get_by_role("region", name=words(region_key), exact=True)
        self.niss = self.region.get_by_label(words("niss"), exact=True)
        self.next_button = self.region.get_by_role("button", name=words("next"), exact=True)

    def enter_niss(self, niss: str) -> AddMemberRegion:
        """Type the NISS (on the back of the identity card)."""
        self.niss.fill(niss)
        return self

    def click_suivant(self) -> MemberDataPage:
        """Click «Suivant» and reach the data form."""
        self.next_button.click()
        return MemberDataPage(self.page, cogap=self.cogap).wait_until_ready()

    def click_suivant_and_stay(self) -> UsersPage:
        """Click «Suivant» when the site is expected to show the users page again with a message here."""
        return UsersPage(self.page).submit_and_stay(self.next_button)


class UsersPage(BasePage):
    """«Utilisateurs»: the project's members, deletion (4.22) and the two «Ajout …» regions (3.10, 4.10)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("users"))
        self.menu = FunctionalitiesMenu(page)
        self.table = self.main.get_by_role("table", name=words("users.table"), exact=True)
        self.action = self.main.get_by_label(words("users.action"), exact=True)
        self.execute_button = self.main.get_by_role("button", name=words("users.execute"), exact=True)
        self.add_user = AddMemberRegion(page, "users.add_user", cogap=False)
        self.add_cogap = AddMemberRegion(page, "users.add_cogap", cogap=True)

    @staticmethod
    def path_for(project_id: int) -> str:
        """The users page of a project (CSAM numbers the projects it lists in «Choisissez l'entreprise»)."""
        return f"/csam/access/{project_id}/inami/utilisateurs"

    def row(self, text: str) -> Locator:
        """The table row that shows this text (a NISS or a name)."""
        return self.table.get_by_role("row").filter(has_text=text)

    def selection_box(self, full_name: str) -> Locator:
        """The checkbox «Sélectionner <Prénom Nom>» of a deletable row."""
        return self.table.get_by_role("checkbox", name=self.words("users.select_row", name=full_name), exact=True)

    def tick_for_deletion(self, *full_names: str) -> UsersPage:
        """4.22: tick the box before each user to delete."""
        for name in full_names:
            self.selection_box(name).check()
        return self

    def select_action(self, action: str | None = None) -> UsersPage:
        """4.22: choose an action by its visible name, by default «Supprimer utilisateur(s)»."""
        self.action.select_option(label=action or self.words("users.delete"))
        return self

    def click_executer(self) -> UsersPage:
        """4.22: click «Exécuter»; the users page shows again with the outcome."""
        return self.submit_and_stay(self.execute_button)

    def applications_link(self, full_name: str) -> Locator:
        """The «Modifier» link of a row whose secure applications this manager may change."""
        return self.table.get_by_role("link", name=self.words("users.edit_applications", name=full_name), exact=True)

    def applications_saved(self, full_name: str) -> Locator:
        """The message that someone's secure applications were saved (after «Enregistrer» on their page)."""
        return self.status.get_by_text(self.words("member_applications.saved", name=full_name), exact=True)

    def click_modifier_applications(self, full_name: str) -> MemberApplicationsPage:
        """Open the secure applications of someone already registered (4.12 afterwards)."""
        self.applications_link(full_name).click()
        return MemberApplicationsPage(self.page, full_name).wait_until_ready()


class MemberApplicationsPage(BasePage):
    """«Applications sécurisées de <Prénom Nom>»: the 4.12 ticks of someone already registered."""

    def __init__(self, page: Page, full_name: str) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("member_applications.heading", name=full_name))
        self.applications = self.main.get_by_role("group", name=words("secure_applications"), exact=True)
        self.inclusion_application = self.applications.get_by_role(
            "checkbox", name=words("applications.inclusion"), exact=True
        )
        self.save_button = self.main.get_by_role("button", name=words("save"), exact=True)

    @staticmethod
    def path_for(project_id: int, member_id: int) -> str:
        """The secure applications page of a project's member."""
        return f"/csam/access/{project_id}/inami/utilisateurs/{member_id}/applications"

    def tick_gestion_projets_soins_integres(self) -> MemberApplicationsPage:
        """4.12: tick «Gestion pour les Projets de Soins Intégrés»."""
        self.inclusion_application.check()
        return self

    def untick_gestion_projets_soins_integres(self) -> MemberApplicationsPage:
        """Take the inclusion application away again."""
        self.inclusion_application.uncheck()
        return self

    def click_enregistrer(self) -> UsersPage:
        """«Enregistrer»: back to the users page, which says it was saved."""
        self.save_button.click()
        return UsersPage(self.page).wait_until_ready()


class MemberDataPage(BasePage):
    """«Données de l'utilisateur» / «Données du co-gestionnaire principal d'accès» (3.11, 4.11-4.13)."""

    def __init__(self, page: Page, *, cogap: bool = False) -> None:
        super().__init__(page)
        self.cogap = cogap
        words = self.words
        self.heading = self.h1(words("member_data.cogap_heading" if cogap else "member_data.heading"))
        self.niss = self.main.get_by_label(words("niss"), exact=True)
        self.last_name = self.main.get_by_label(words("last_name"), exact=True)
        self.first_name = self.main.get_by_label(words("first_name"), exact=True)
        self.email = self.main.get_by_label(words("email"), exact=True)
        self.phone = self.main.get_by_label(words("phone"), exact=True)
        self.language = self.main.get_by_label(words("language"), exact=True)
        self.username = self.main.get_by_label(words("username"), exact=True)
        self.password = self.main.get_by_label(words("password"), exact=True)
        self.applications = self.main.get_by_role("group", name=words("secure_applications"), exact=True)
        self.inclusion_application = self.applications.get_by_role(
            "checkbox", name=words("applications.inclusion"), exact=True
        )
        self.save_button = self.main.get_by_role("button", name=words("save"), exact=True)

    @staticmethod
    def path_for(project_id: int, *, cogap: bool = False) -> str:
        """The data form of a project's new user (4.11) or new co-GAP (3.11)."""
        segment = "cogestionnaires" if cogap else "utilisateurs"
        return f"/csam/access/{project_id}/inami/{segment}/nouveau/donnees"

    def fill_identity(self, last_name: str, first_name: str) -> MemberDataPage:
        """Type the name of a person CSAM does not know yet."""
        self.last_name.fill(last_name)
        self.first_name.fill(first_name)
        return self

    def fill_contact(self, email: str, phone: str = "", language: str | None = None) -> MemberDataPage:
        """3.11 / 4.11: the e-mail, phone and language (by its visible name, by default «Français»)."""
        self.email.fill(email)
        self.phone.fill(phone)
        self.language.select_option(label=language or self.words("language.fr"))
        return self

    def fill_credentials(self, username: str, password: str) -> MemberDataPage:
        """4.11: the user name and password asked the first time a NISS is entered."""
        self.username.fill(username)
        self.password.fill(password)
        return self

    def tick_application(self, name: str) -> MemberDataPage:
        """Tick a secure application by its visible name."""
        self.applications.get_by_role("checkbox", name=name, exact=True).check()
        return self

    def tick_gestion_projets_soins_integres(self) -> MemberDataPage:
        """4.12: tick «Gestion pour les Projets de Soins Intégrés» (without it the user has no access)."""
        self.inclusion_application.check()
        return self

    def click_enregistrer(self) -> ConfirmCreationPage:
        """3.11 / 4.13: click «Enregistrer» and reach the confirmation."""
        self.save_button.click()
        return ConfirmCreationPage(self.page, cogap=self.cogap).wait_until_ready()

    def click_enregistrer_and_stay(self) -> MemberDataPage:
        """Click «Enregistrer» when the site is expected to show this form again with its messages."""
        return self.submit_and_stay(self.save_button)

    def click_enregistrer_without_access(self) -> ErrorPage:
        """Click «Enregistrer» after losing access to the project: CSAM answers with its not-found page."""
        self.save_button.click()
        return ErrorPage(self.page, ErrorPage.NOT_FOUND).wait_until_ready()


class ConfirmCreationPage(BasePage):
    """«Confirmez la création de l'utilisateur» / «… du co-gestionnaire principal d'accès» (3.12, 4.14)."""

    def __init__(self, page: Page, *, cogap: bool = False) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("confirm_creation.cogap_heading" if cogap else "confirm_creation.heading"))
        self.summary = self.main
        self.note = self.main.get_by_text(words("confirm_creation.unconfirmed_note"), exact=True)
        self.confirm_button = self.main.get_by_role("button", name=words("confirm"), exact=True)
        self.cancel_button = self.main.get_by_role("button", name=words("cancel"), exact=True)

    def click_confirmer(self) -> UsersPage:
        """3.12 / 4.14: confirm the creation; the users page shows the new member."""
        self.confirm_button.click()
        return UsersPage(self.page).wait_until_ready()

    def click_confirmer_and_stay(self) -> ConfirmCreationPage:
        """Click «Confirmer» when the site is expected to refuse and show this page again with its message."""
        return self.submit_and_stay(self.confirm_button)

    def click_annuler(self) -> UsersPage:
        """Leave without confirming: nothing is saved (4.14's remark)."""
        self.cancel_button.click()
        return UsersPage(self.page).wait_until_ready()


class FunctionsPage(BasePage):
    """«Fonctions et hiérarchie de responsabilité»: members and their functions (4.15, 4.16, 4.23)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("functions"))
        self.menu = FunctionalitiesMenu(page)
        self.table = self.main.get_by_role("table")
        # Whatever the number of coordinators it names.
        self.coordinator_warning = self.main.get_by_role("status").filter(
            has_text=label_pattern(self.site, "functions.coordinator_warning")
        )

    def row(self, text: str) -> Locator:
        """The row of the member shown with this text (name or NISS)."""
        return self.table.get_by_role("row").filter(has_text=text)

    def role_icon(self, full_name: str) -> Locator:
        """The icon link «Attribuer ou modifier un rôle : <Prénom Nom>» next to the member's name."""
        return self.main.get_by_role("link", name=self.words("functions.role_icon", name=full_name), exact=True)

    def click_role_icon(self, full_name: str) -> RolePage:
        """4.16: click the icon next to the user's name to assign or change a role."""
        self.role_icon(full_name).click()
        return RolePage(self.page, full_name).wait_until_ready()


class RolePage(BasePage):
    """«Fonctions de <Prénom Nom>»: current roles, function choice, dates, «Ajouter» and «Retour» (4.17-4.21)."""

    def __init__(self, page: Page, full_name: str) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("roles.heading", name=full_name))
        self.current_roles = self.main.get_by_role("table")
        self.functions = self.main.get_by_role("group", name=words("function"), exact=True)
        # The form stars both dates as required, the optional end date too.
        self.start_date = self.main.get_by_label(required(words("start_date")), exact=True)
        self.end_date = self.main.get_by_label(required(words("end_date")), exact=True)
        self.add_button = self.main.get_by_role("button", name=words("add"), exact=True)
        self.back_link = self.main.get_by_role("link", name=words("back"), exact=True)
        # What 4.19 shows once the role is added.
        self.role_added = self.status.get_by_text(words("roles.added"), exact=True)

    def function(self, name: str) -> Locator:
        """The checkbox of a function, «Gestionnaire» or «Coordinateur»."""
        return self.functions.get_by_role("checkbox", name=name)

    def choose_functions(self, *names: str) -> RolePage:
        """4.17: tick the chosen functions («Gestionnaire», «Coordinateur», by their visible names) and untick
        the others."""
        for key in FUNCTION_KEYS:
            name = self.words(key)
            self.function(name).set_checked(name in names)
        return self

    def enter_start_date(self, day: dt.date | None) -> RolePage:
        """4.18: the start date (left empty when None)."""
        self.start_date.fill(day.strftime("%d/%m/%Y") if day else "")
        return self

    def enter_end_date(self, day: dt.date | None) -> RolePage:
        """4.18: the end date, optional despite its asterisk."""
        self.end_date.fill(day.strftime("%d/%m/%Y") if day else "")
        return self

    def type_start_date(self, text: str) -> RolePage:
        """4.18: type the start date as written, even a date that does not exist (e.g. 2026-02-30)."""
        self.start_date.fill(text)
        return self

    def type_end_date(self, text: str) -> RolePage:
        """4.18: type the end date as written, even a date that does not exist (e.g. 2027-02-31)."""
        self.end_date.fill(text)
        return self

    def click_ajouter(self) -> RolePage:
        """4.19: click «Ajouter»; the same page shows the outcome."""
        return self.submit_and_stay(self.add_button)

    def click_retour(self) -> FunctionsPage:
        """4.20: click «Retour» back to the functions page."""
        self.back_link.click()
        return FunctionsPage(self.page).wait_until_ready()
