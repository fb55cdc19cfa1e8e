"""Which site the page objects are on, and what differs between the site's versions as data: the words of the
screens, keyed by meaning, one column per site version, and the page that follows an action where the versions
order their pages differently. Page objects read both through `site_of(page)`; a harness says which site a
browser context shows with `use_site(context, Site(...))` (without it: the manual's 2018 site, in French).
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from playwright.sync_api import BrowserContext, Page

SITE_VERSIONS = ("manual-2018", "current")
DEFAULT_VERSION = "manual-2018"

# Meaning -> site version -> the screen's words. Only what differs between the versions is here; the page
# objects write every other word as the manual does. None: the version has no such element.
LABELS: dict[str, dict[str, str | None]] = {
    # 2.5: today's «Demande d'accès» has three sections with the same link; integrated-care projects register
    # as care institutions.
    "access_request.section": {"manual-2018": None, "current": "Demander l'accès en tant qu'institution de soins"},
    "designation.heading": {"manual-2018": "Désignation d'un Gestionnaire d'Accès Principal",
                            "current": "Désigner un Gestionnaire d'Accès Principal"},
    "designation.type": {"manual-2018": "Type d'identification", "current": "Type d'institution"},
    "designation.number": {"manual-2018": "N°INAMI", "current": "Numéro d'institution (8 chiffres)"},
    "designation.submit": {"manual-2018": "Suivant", "current": "Enregistrer mon institution dans CSAM"},
}

# Where each version goes next (a page-object class name of e2e/pages): today's CSAM asks for the login before
# the designation form, and folds the organisation's check and the GAP's data into the confirmation.
NEXT_PAGE: dict[str, dict[str, str]] = {
    "access_request.register": {"manual-2018": "IdentificationPage", "current": "CsamLoginPage"},
    "designation.open": {"manual-2018": "IdentificationPage", "current": "CsamLoginPage"},
    "designation.submit": {"manual-2018": "OrganisationPage", "current": "ConfirmRequestPage"},
}

# Addresses that differ: the designation form.
PATHS: dict[str, dict[str, str]] = {
    "designation": {"manual-2018": "/csam/registration/",
                    "current": "/app032/camregistration/?processType=EH_ORGANIZATION&locale=fr"},
}


@dataclass(frozen=True)
class Site:
    """A site version and the language its pages are read in."""

    version: str = DEFAULT_VERSION
    lang: str = "fr"

    def __post_init__(self) -> None:
        if self.version not in SITE_VERSIONS:
            raise ValueError(f"unknown site version {self.version!r}: one of {', '.join(SITE_VERSIONS)}")

    def label(self, key: str) -> str | None:
        """The words this version shows for a meaning of LABELS."""
        return LABELS[key][self.version]

    def next_page(self, key: str) -> str:
        """The page-object class this version shows after an action of NEXT_PAGE."""
        return NEXT_PAGE[key][self.version]

    def path(self, key: str) -> str:
        """This version's address of a page of PATHS."""
        return PATHS[key][self.version]


_SITES: WeakKeyDictionary[BrowserContext, Site] = WeakKeyDictionary()


def use_site(context: BrowserContext, site: Site) -> None:
    """Say which site this browser context shows (every page object made on its pages reads it)."""
    _SITES[context] = site


def site_of(page: Page) -> Site:
    """The site a page shows: what `use_site` said for its context, else the manual's 2018 site."""
    return _SITES.get(page.context, Site())
