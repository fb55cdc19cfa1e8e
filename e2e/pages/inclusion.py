"""MyCareNet's inclusion application, where step 4 leads: the projects, including and excluding patients, the
list view, and the refusal page (4.12, 4.17, 4.18, 4.22, 4.23 and the AR78 note)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Locator, Page

from .base import BasePage
from .login import CsamLoginPage
from .site import label_pattern, site_of


class InclusionPage(BasePage):
    """What the application's pages share: the «Retour à l'application d'inclusion» link and the footer's date
    («date simulée : JJ/MM/AAAA» when the mock's clock is set)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.back_to_application_link = self.main.get_by_role("link", name=self.words("inclusion.back"), exact=True)
        # The footer's date, whether the mock's clock is set or not.
        clock = label_pattern(self.site, "footer.simulated_date", "footer.today", whole=True)
        self.mock_clock = page.get_by_role("contentinfo").get_by_text(clock)

    def click_retour_a_l_application(self) -> InclusionHomePage:
        """Click «Retour à l'application d'inclusion»: the list of the person's projects, as they stand now."""
        self.back_to_application_link.click()
        return InclusionHomePage(self.page).wait_until_ready()


class InclusionLoginPage(CsamLoginPage):
    """CSAM's login when the inclusion application asked for it: after it, CSAM goes back to the application."""

    def with_eid(self, niss: str, pin: str) -> InclusionHomePage:  # type: ignore[override]
        """Log in with the eID card reader; the application lists the person's projects."""
        return self.with_eid_back_to(niss, pin, InclusionHomePage)

    def with_password(self, username: str, password: str) -> InclusionHomePage:  # type: ignore[override]
        """Log in with a user name and a password; the application lists the person's projects."""
        self.fill_password(username, password).password_button.click()
        return InclusionHomePage(self.page).wait_until_ready()


class InclusionHomePage(InclusionPage):
    """«Application d'inclusion – Projets de soins intégrés»: each project the person is linked to, a link named
    by the project's name followed by «Fonctions : …» or «Pas d'accès : <raison>»."""

    path = "/mycarenet/inclusion/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("inclusion.heading"))
        self.projects = self.main.get_by_role("listitem")
        self.no_project = self.main.get_by_text(self.words("inclusion.no_project"), exact=True)
        # A project's status starts with one of these, then the functions or the reasons.
        self.project_status = label_pattern(self.site, "inclusion.granted", "inclusion.refused", whole=True)

    @staticmethod
    def open(page: Page) -> InclusionLoginPage:
        """Go to the inclusion application without being logged in: CSAM asks for the login first."""
        page.goto(InclusionHomePage.path)
        return InclusionLoginPage(page).wait_until_ready()

    def goto(self) -> InclusionHomePage:
        """Go to the inclusion application when already logged in."""
        self.page.goto(self.path)
        return self.wait_until_ready()

    def reload(self) -> InclusionHomePage:
        """Show the list again, e.g. after an access manager changed something."""
        self.page.reload()
        return self.wait_until_ready()

    def project_link(self, name: str) -> Locator:
        """The link named by the project's name."""
        return self.main.get_by_role("link", name=name, exact=True)

    def entry(self, name: str) -> Locator:
        """The project's line: its link, its N°INAMI and its status."""
        # `has` is looked up inside each list item, so it starts from the page, not from <main>.
        return self.projects.filter(has=self.page.get_by_role("link", name=name, exact=True))

    def status_of(self, name: str) -> Locator:
        """The project's status: «Fonctions : Gestionnaire, …» or «Pas d'accès : <raison>»."""
        return self.entry(name).get_by_text(self.project_status)

    def choose_project(self, name: str) -> InclusionProjectPage:
        """Click a project the person may use."""
        self.project_link(name).click()
        return InclusionProjectPage(self.page, name).wait_until_ready()

    def choose_project_refused(self, name: str) -> AccessRefusedPage:
        """Click a project the person is linked to but may not use: the refusal page gives the reasons."""
        self.project_link(name).click()
        return AccessRefusedPage(self.page).wait_until_ready()


class PatientForm:
    """A region of the project page with a patient's NISS, a date and a button: «Inclure un patient» (fields
    «NISS du patient», «Date de début», button «Inclure») or «Exclure un patient» («Date de fin», «Exclure»)."""

    def __init__(self, page: Page, region_key: str, date_key: str, button_key: str) -> None:
        """The region, its date field and its button, by the catalogue keys of their names."""
        words = site_of(page).label
        self.region = page.get_by_role("main").get_by_role("region", name=words(region_key), exact=True)
        self.niss = self.region.get_by_label(words("inclusion.patient_niss"), exact=True)
        self.date = self.region.get_by_label(words(date_key), exact=True)
        self.button = self.region.get_by_role("button", name=words(button_key), exact=True)

    def fill(self, niss: str, day: dt.date | str) -> PatientForm:
        """Type the patient's NISS and the date (a date, or text typed as written)."""
        self.niss.fill(niss)
        self.date.fill(day.strftime("%d/%m/%Y") if isinstance(day, dt.date) else day)
        return self


class InclusionProjectPage(InclusionPage):
    """A project in the application (its name as <h1>): «Vos fonctions : …», then for a «Gestionnaire» the
    regions «Inclure un patient» and «Exclure un patient», for a «Coordinateur» the link «Vue de liste» (4.17)."""

    def __init__(self, page: Page, project_name: str) -> None:
        super().__init__(page)
        self.project_name = project_name
        self.heading = self.h1(project_name)
        self.functions = self.main.get_by_text(label_pattern(self.site, "inclusion.your_functions", whole=True))
        self.include_form = PatientForm(page, "inclusion.include_region", "start_date", "inclusion.include")
        self.exclude_form = PatientForm(page, "inclusion.exclude_region", "end_date", "inclusion.exclude")
        self.list_view_link = self.main.get_by_role("link", name=self.words("inclusion.list_view"), exact=True)

    @staticmethod
    def path_for(project_id: int) -> str:
        """The project's page in the application."""
        return f"/mycarenet/inclusion/{project_id}/"

    def include(self, niss: str, start: dt.date | str) -> InclusionProjectPage:
        """«Inclure un patient»: the patient's NISS and the start date, then «Inclure»; the project page shows
        the outcome (a confirmation, or the message next to the field)."""
        self.include_form.fill(niss, start)
        return self.submit_and_stay(self.include_form.button)

    def exclude(self, niss: str, end: dt.date | str) -> InclusionProjectPage:
        """«Exclure un patient»: the patient's NISS and the end date, then «Exclure»; the project page shows
        the outcome."""
        self.exclude_form.fill(niss, end)
        return self.submit_and_stay(self.exclude_form.button)

    def open_list_view(self) -> ListViewPage:
        """4.17: a «Coordinateur» clicks «Vue de liste»."""
        self.list_view_link.click()
        return ListViewPage(self.page, self.project_name).wait_until_ready()

    def reload_refused(self) -> AccessRefusedPage:
        """Show the page again once the person lost the access (deleted, role ended): the refusal page."""
        self.page.reload()
        return AccessRefusedPage(self.page).wait_until_ready()


class ListViewPage(InclusionPage):
    """«Vue de liste»: the table «Patients inclus» of the project's included patients (NISS, start date, who
    included them), or «Aucun patient n'est inclus dans ce projet.» (4.17)."""

    def __init__(self, page: Page, project_name: str) -> None:
        super().__init__(page)
        self.project_name = project_name
        self.heading = self.h1(self.words("inclusion.list_view"))
        self.table = self.main.get_by_role("table", name=self.words("inclusion.included_patients"), exact=True)
        # Data rows only: the header row holds column headers, not cells.
        self.rows = self.table.get_by_role("row").filter(has=page.get_by_role("cell"))
        self.no_patient = self.main.get_by_text(self.words("inclusion.no_patient"), exact=True)
        self.back_link = self.main.get_by_role("link", name=self.words("back"), exact=True)

    @staticmethod
    def path_for(project_id: int) -> str:
        """The project's list view."""
        return f"/mycarenet/inclusion/{project_id}/vue-de-liste"

    def row(self, niss: str) -> Locator:
        """The row of the patient with this NISS."""
        return self.rows.filter(has_text=niss)

    def click_retour(self) -> InclusionProjectPage:
        """Back to the project's page."""
        self.back_link.click()
        return InclusionProjectPage(self.page, self.project_name).wait_until_ready()


class AccessRefusedPage(InclusionPage):
    """«Accès refusé» (status 403): the reasons in an alert; the project is named only to a person linked to
    it."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("access_denied"))
        self.reasons = self.main.get_by_role("alert")

    def open(self, path: str) -> AccessRefusedPage:
        """Type the address of an application page the person may not use (a project, a list view)."""
        self.page.goto(path)
        return self.wait_until_ready()

    def reason(self, text: str) -> Locator:
        """One reason, by its exact words."""
        return self.reasons.get_by_text(text, exact=True)
