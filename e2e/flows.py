"""The manual's steps as sequences of page objects: each flow performs instructions and returns the page it ends on.

Flows do not assert: the suites check what the user sees and what the site stored. The words they choose (a
language, the identification type) are read from the catalogue (e2e/labels.yaml) for the site the page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from playwright.sync_api import Page

from e2e.pages.access import AccessManagementHome, FunctionsPage, RolePage, UsersPage
from e2e.pages.base import BasePage
from e2e.pages.login import CsamLoginPage
from e2e.pages.portal import PortalHome
from e2e.pages.registration import AccessManagerDataPage, ConfirmRequestPage, FinalisationPage, IdentificationPage
from e2e.pages.site import site_of

# The choices of «Langue» by the code CSAM records a person's language with: their catalogue keys.
LANGUAGE_KEYS = {"fr": "language.fr", "nl": "language.nl", "de": "language.de", "en": "language.en"}
DEFAULT_PIN = "1234"


def full_name(person: Mapping[str, Any]) -> str:
    """«Prénom Nom», as CSAM names people."""
    return f"{person['first_name']} {person['last_name']}"


def language_label(page: Page, code: str) -> str:
    """The «Langue» choice of a language code, as the site the page shows words it."""
    return site_of(page).label(LANGUAGE_KEYS[code])


def reach_designation_form(
    page: Page, person: Mapping[str, Any] | None = None, *, via_portal: bool = True
) -> IdentificationPage:
    """2.1-2.5 (or straight there): from the portal's home to CSAM's designation form; where the site asks for
    the CSAM login first (today's site), `person` logs in with their eID card."""
    reached: BasePage
    if via_portal:
        reached = (
            PortalHome(page)
            .open()
            .click_professionnels_de_la_sante()
            .click_comment_acceder_au_portail()
            .click_demande_d_acces()
            .click_enregistrez_vous_via_csam()
        )
    else:
        form = IdentificationPage(page)
        page.goto(form.path)
        reached = form.next_page("designation.open")
    if isinstance(reached, CsamLoginPage):
        if person is None:
            raise ValueError("this site asks for the CSAM login before the designation form: name the person")
        return reached.with_eid_back_to(person["niss"], str(person.get("pin", DEFAULT_PIN)), IdentificationPage)
    if not isinstance(reached, IdentificationPage):
        raise LookupError(f"the site shows {type(reached).__name__} where the designation form was expected")
    return reached


def identify_project(identification: IdentificationPage, inami_number: str, identification_type: str | None = None):
    """2.6-2.7: the identification type (by default «Projet de soins intégrés», as the site words it) and the
    N°INAMI, then «Suivant»; returns the organisation page."""
    return (
        identification.select_identification_type(identification_type).enter_inami_number(inami_number).click_suivant()
    )


def fill_gap(data_page: AccessManagerDataPage, gap: Mapping[str, Any]) -> AccessManagerDataPage:
    """2.9: the Gestionnaire d'Accès Principal's data, as the person's record has them."""
    return data_page.fill_access_manager(
        gap["niss"],
        gap["last_name"],
        gap["first_name"],
        gap["email"],
        gap["phone"],
        language_label(data_page.page, gap.get("language", "fr")),
    )


def reach_confirmation(
    page: Page, project: Mapping[str, Any], gap: Mapping[str, Any], *, via_portal: bool = True
) -> ConfirmRequestPage:
    """2.1-2.9 (or 2.6-2.9 when not via the portal): up to «Confirmez la demande» (today's site shows it right
    after the identification, with the GAP's data taken from the login)."""
    identification = reach_designation_form(page, gap, via_portal=via_portal)
    reached = identify_project(identification, project["inami_number"])
    if isinstance(reached, ConfirmRequestPage):
        return reached
    return fill_gap(reached.click_suivant(), gap).click_suivant()


def designate_gap(
    page: Page, project: Mapping[str, Any], gap: Mapping[str, Any], *, by_post: bool = False, via_portal: bool = True
) -> FinalisationPage:
    """2.1-2.11: designate the project's main access manager; `by_post` also asks for credentials (2.10)."""
    confirmation = reach_confirmation(page, project, gap, via_portal=via_portal)
    if by_post:
        confirmation.tick_credentials_by_post()
    return confirmation.tick_oui_je_confirme().click_enregistrer()


def reach_access_management(page: Page, *, via_portal: bool = True) -> AccessManagementHome:
    """3.1-3.5 / 4.1-4.5: from the portal to CSAM's access management (or straight there)."""
    if not via_portal:
        return AccessManagementHome(page).open()
    return (
        PortalHome(page)
        .open()
        .click_professionnels_de_la_sante()
        .click_comment_acceder_au_portail()
        .click_gestion_des_utilisateurs_et_des_acces()
        .click_gestion_d_acces_pour_entreprises()
        .click_acceder_a_l_application()
    )


def open_access_management(page: Page, niss: str, pin: str, project_name: str, *, via_portal: bool = True) -> UsersPage:
    """3.1-3.9 / 4.1-4.9: log in with the eID, choose the project and the quality, open «Utilisateurs»."""
    return (
        reach_access_management(page, via_portal=via_portal)
        .click_se_connecter()
        .with_eid(niss, pin)
        .choose_enterprise(project_name)
        .click_organisation_reconnue_par_l_inami()
        .click_utilisateurs()
    )


def log_in_to_users_page(page: Page, niss: str, pin: str, project_id: int) -> UsersPage:
    """A shortcut to 3.9 / 4.9 for tests about what comes after: open the project's users page (CSAM asks for
    the login first, then comes back)."""
    page.goto(UsersPage.path_for(project_id))
    return CsamLoginPage(page).wait_until_ready().with_eid_back_to(niss, pin, UsersPage)


def add_cogap(users: UsersPage, person: Mapping[str, Any], *, known: bool = False) -> UsersPage:
    """3.10-3.12: designate a co-GAP; `known` when CSAM already has their name and account."""
    data_page = users.add_cogap.enter_niss(person["niss"]).click_suivant()
    _fill_member(data_page, person, known=known)
    return data_page.click_enregistrer().click_confirmer()


def add_user(
    users: UsersPage, person: Mapping[str, Any], *, inclusion_app: bool = True, known: bool = False
) -> UsersPage:
    """4.10-4.14: register a user, ticking «Gestion pour les Projets de Soins Intégrés» unless told not to."""
    data_page = users.add_user.enter_niss(person["niss"]).click_suivant()
    _fill_member(data_page, person, known=known)
    if inclusion_app:
        data_page.tick_gestion_projets_soins_integres()
    return data_page.click_enregistrer().click_confirmer()


def _fill_member(data_page, person: Mapping[str, Any], *, known: bool) -> None:
    if not known:
        data_page.fill_identity(person["last_name"], person["first_name"])
    data_page.fill_contact(
        person["email"], person.get("phone", ""), language_label(data_page.page, person.get("language", "fr"))
    )
    if not known:
        data_page.fill_credentials(person["username"], person["password"])


def assign_role(
    users_or_functions: UsersPage | FunctionsPage,
    member_name: str,
    functions: Iterable[str],
    start: dt.date | None,
    end: dt.date | None = None,
) -> FunctionsPage:
    """4.15-4.20 (and 4.21 for a member who has a role): choose functions and dates, «Ajouter», «Retour»."""
    role_page = open_role_page(users_or_functions, member_name)
    return (
        role_page.choose_functions(*functions)
        .enter_start_date(start)
        .enter_end_date(end)
        .click_ajouter()
        .click_retour()
    )


def open_role_page(users_or_functions: UsersPage | FunctionsPage, member_name: str) -> RolePage:
    """4.15-4.16: «Fonctions et hiérarchie de responsabilité», then the icon next to the member's name."""
    functions = users_or_functions
    if isinstance(functions, UsersPage):
        functions = functions.menu.click_fonctions_et_hierarchie()
    return functions.click_role_icon(member_name)


def delete_users(users: UsersPage, *member_names: str) -> UsersPage:
    """4.22: tick each member, choose «Supprimer utilisateur(s)» and click «Exécuter»."""
    return users.tick_for_deletion(*member_names).select_action().click_executer()
