"""CSAM's designation of a Gestionnaire d'Accès Principal: the wizard of step 2 (2.6-2.13)."""

from __future__ import annotations

import re

from playwright.sync_api import Download, Locator, Page

from .base import BasePage

REQUEST_NUMBER = re.compile(r"CSAM-\d{4}-\d+")


class IdentificationPage(BasePage):
    """«Désignation d'un Gestionnaire d'Accès Principal»: identification type and N°INAMI (2.6, 2.7); today
    «Désigner un Gestionnaire d'Accès Principal» with «Type d'institution» and «Numéro d'institution (8 chiffres)»
    (the words of each version: e2e/labels.yaml)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("designation.heading"))
        self.identification_type = self.main.get_by_label(words("designation.type"), exact=True)
        self.inami_number = self.main.get_by_label(words("designation.number"), exact=True)
        self.next_button = self.main.get_by_role("button", name=words("designation.submit"), exact=True)

    @property
    def path(self) -> str:
        """The form's address on this site version."""
        return self.site.path("designation")

    def open(self) -> IdentificationPage:
        """Go straight to the designation form (what 2.1-2.5 lead to)."""
        self.page.goto(self.path)
        return self.wait_until_ready()

    def select_identification_type(self, label: str | None = None) -> IdentificationPage:
        """2.6: select the identification type by its visible name, by default «Projet de soins intégrés»."""
        self.identification_type.select_option(label=label or self.words("designation.project_type"))
        return self

    def enter_inami_number(self, number: str) -> IdentificationPage:
        """2.7: type the project's N°INAMI."""
        self.inami_number.fill(number)
        return self

    def click_suivant(self) -> OrganisationPage | ConfirmRequestPage:
        """2.7: click «Suivant» (today «Enregistrer mon institution dans CSAM») and reach the organisation's
        data (today the confirmation, which shows them)."""
        self.next_button.click()
        return self.next_page("designation.submit")  # type: ignore[return-value]

    def click_suivant_and_stay(self) -> IdentificationPage:
        """Click «Suivant» when the site is expected to show this form again with its messages."""
        return self.submit_and_stay(self.next_button)


class OrganisationPage(BasePage):
    """«Données de l'organisation»: the project as INAMI recorded it, to check (2.8)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words("organisation.heading"))
        self.summary = self.main
        self.previous_link = self.main.get_by_role("link", name=self.words("previous"), exact=True)
        self.next_button = self.main.get_by_role("button", name=self.words("next"), exact=True)

    def click_suivant(self) -> AccessManagerDataPage:
        """2.8: the data are right: click «Suivant»."""
        self.next_button.click()
        return AccessManagerDataPage(self.page).wait_until_ready()

    def click_precedent(self) -> IdentificationPage:
        """Go back to the identification form."""
        self.previous_link.click()
        return IdentificationPage(self.page).wait_until_ready()


class AccessManagerDataPage(BasePage):
    """«Gestionnaire d'Accès Principal»: the GAP's data (2.9)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("gap.heading"))
        self.niss = self.main.get_by_label(words("niss"), exact=True)
        self.last_name = self.main.get_by_label(words("last_name"), exact=True)
        self.first_name = self.main.get_by_label(words("first_name"), exact=True)
        self.email = self.main.get_by_label(words("email"), exact=True)
        self.phone = self.main.get_by_label(words("phone"), exact=True)
        self.language = self.main.get_by_label(words("language"), exact=True)
        self.previous_link = self.main.get_by_role("link", name=words("previous"), exact=True)
        self.next_button = self.main.get_by_role("button", name=words("next"), exact=True)

    def fill_access_manager(
        self, niss: str, last_name: str, first_name: str, email: str, phone: str, language: str | None = None
    ) -> AccessManagerDataPage:
        """2.9: complete the Gestionnaire d'Accès Principal's data (language by its visible name, by default
        «Français»)."""
        self.niss.fill(niss)
        self.last_name.fill(last_name)
        self.first_name.fill(first_name)
        self.email.fill(email)
        self.phone.fill(phone)
        self.language.select_option(label=language or self.words("language.fr"))
        return self

    def click_suivant(self) -> ConfirmRequestPage:
        """2.9: click «Suivant» and reach the confirmation."""
        self.next_button.click()
        return ConfirmRequestPage(self.page).wait_until_ready()

    def click_suivant_and_stay(self) -> AccessManagerDataPage:
        """Click «Suivant» when the site is expected to show this form again with its messages."""
        return self.submit_and_stay(self.next_button)


class ConfirmRequestPage(BasePage):
    """«Confirmez la demande»: credentials by post (2.10), «oui, je confirme» and «Enregistrer» (2.11)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("confirm_request.heading"))
        self.summary = self.main
        self.credentials_by_post = self.main.get_by_label(words("confirm_request.credentials_by_post"), exact=True)
        self.credentials_hint = self.main.get_by_text(words("confirm_request.credentials_hint"), exact=True)
        self.confirm = self.main.get_by_label(words("confirm_checkbox"), exact=True)
        # Today's confirmation asks for the contact data the 2018 wizard took with the GAP's data (2.9).
        self.email = self.main.get_by_label(words("email"), exact=True)
        self.phone = self.main.get_by_label(words("phone"), exact=True)
        self.save_button = self.main.get_by_role("button", name=words("save"), exact=True)

    def tick_credentials_by_post(self) -> ConfirmRequestPage:
        """2.10: ask for a user name and a password by post."""
        self.credentials_by_post.check()
        return self

    def tick_oui_je_confirme(self) -> ConfirmRequestPage:
        """2.11: tick «oui, je confirme» at the bottom of the form."""
        self.confirm.check()
        return self

    def click_enregistrer(self) -> FinalisationPage:
        """2.11: click «Enregistrer»: the request is recorded and the finalisation shows."""
        self.save_button.click()
        return FinalisationPage(self.page).wait_until_ready()

    def click_enregistrer_and_stay(self) -> ConfirmRequestPage:
        """Click «Enregistrer» when the site is expected to show this form again with its message."""
        return self.submit_and_stay(self.save_button)


class FinalisationPage(BasePage):
    """«Finalisez la demande»: request number, status, the document and how to sign it (2.12, 2.13)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        words = self.words
        self.heading = self.h1(words("finalisation.heading"))
        self.request_number = self.main.get_by_text(REQUEST_NUMBER)
        self.download_link = self.main.get_by_role("link", name=words("finalisation.download"), exact=True)
        self.electronic_signature = self.main.get_by_role(
            "region", name=words("finalisation.electronic_signature"), exact=True
        )
        self.manual_signature = self.main.get_by_role("region", name=words("finalisation.manual_signature"), exact=True)

    def status_text(self, status: str) -> Locator:
        """The status as the page words it, e.g. «En attente du document signé» or «Active»."""
        return self.main.get_by_text(status, exact=True)

    def read_request_number(self) -> str:
        """The request number shown («Numéro de la demande : CSAM-…»)."""
        match = REQUEST_NUMBER.search(self.request_number.first.inner_text())
        if match is None:
            raise LookupError("no request number on the finalisation page")
        return match.group(0)

    def click_telecharger_le_document(self) -> Download:
        """2.12 / 2.13: click «Télécharger le document»; returns the download."""
        with self.page.expect_download() as info:
            self.download_link.click()
        return info.value

    def reload(self) -> FinalisationPage:
        """Show the page again, e.g. after the back office received the signed document."""
        self.page.reload()
        return self.wait_until_ready()
