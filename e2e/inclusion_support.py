"""What the inclusion application suites (e2e/test_inclusion_app*.py) share: the date they live on, the mock's
French msgids of the reasons and statuses they read (through `say`), how the application words a status, and
their fixtures (every test starts on ON; the user to register; a second project).

The fixtures are bound by name in each suite (`user = inclusion_support.user`) so that pytest finds them there
and nowhere else: `clock` is autouse and must not fix the date of other suites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page

from e2e import flows
from e2e.fixture_types import Say
from e2e.pages.inclusion import InclusionHomePage
from e2e.seeding import MockSeeder
from fixtures import builders

ON = dt.date(2024, 5, 2)
AR78_FROM = dt.date(2018, 3, 1)

# The mock's French msgids of the reasons and statuses these tests read (through `say`).
NOT_TICKED = (
    "L'application « Gestion pour les Projets de Soins Intégrés » n'a pas été cochée pour vous dans CSAM : "
    "vous êtes enregistré mais sans accès à l'application d'inclusion."
)
NO_ROLE = (
    "Aucun rôle (« Gestionnaire » ou « Coordinateur ») ne vous a été attribué : vous ne pouvez pas utiliser "
    "l'application d'inclusion."
)
NOT_STARTED = "Votre rôle « %(function)s » ne commence que le %(date)s."
ENDED = "Votre rôle « %(function)s » a pris fin le %(date)s."
NOT_REGISTERED = "Vous n'êtes pas (ou plus) enregistré dans CSAM pour ce projet."
PENDING_SIGNATURE = (
    "Votre désignation comme Gestionnaire d'Accès Principal attend encore le document signé : "
    "l'accès n'est pas encore activé."
)
AR78_NOT_YET = (
    "Les prestataires de soins de l'AR78 ont accès à l'application d'inclusion à partir du %(date)s ; "
    "d'ici là, ils doivent être enregistrés dans CSAM."
)
NOT_AR78 = (
    "Votre profession n'est pas couverte par l'AR78 : un gestionnaire d'accès doit vous enregistrer dans "
    "CSAM pour ce projet."
)
ONLY_COORDINATOR = "Seul un « Coordinateur » peut demander la vue de liste."
AR78_ACCESS = "accès automatique des prestataires de soins de l'AR78"
AR78_PROVIDER = "prestataire de soins de l'AR78"
MANAGER = "Gestionnaire"
COORDINATOR = "Coordinateur"
NO_ACCESS = "Pas d'accès :"
USER_CREATED = "L'utilisateur %(name)s a été créé."
DELETED = "%(n)s utilisateur(s) supprimé(s)."


def fr(day: dt.date) -> str:
    """A date as the site shows it (JJ/MM/AAAA)."""
    return day.strftime("%d/%m/%Y")


def included(say: Say, niss: str, day: dt.date) -> str:
    """The confirmation after «Inclure»."""
    return say("Le patient %(niss)s est inclus à partir du %(date)s.", niss=niss, date=fr(day))


def excluded(say: Say, niss: str, day: dt.date) -> str:
    """The confirmation after «Exclure»."""
    return say("Le patient %(niss)s est exclu à partir du %(date)s.", niss=niss, date=fr(day))


def granted(say: Say, *names: str) -> str:
    """A project's status in the list of projects when the person may use it: «Fonctions : » and the functions
    (French msgids, in the order shown)."""
    return f"{say('Fonctions :')} {', '.join(say(name) for name in names)}"


def your_functions(say: Say, *names: str) -> str:
    """The project page's «Vos fonctions : …» line (the functions' French msgids, in the order shown)."""
    return f"{say('Vos fonctions :')} {', '.join(say(name) for name in names)}"


def no_access(say: Say, reason: str) -> str:
    """A project's status in the list of projects when the person may not use it: «Pas d'accès : » and the
    reason (as the site shows it)."""
    return f"{say(NO_ACCESS)} {reason}"


def simulated(say: Say, day: dt.date) -> str:
    """The footer's simulated date."""
    return say("date simulée : %(date)s", date=fr(day))


def enter(page: Page, person: dict[str, Any]) -> InclusionHomePage:
    """Open the inclusion application and log in with the person's eID (CSAM comes back to the application)."""
    return InclusionHomePage.open(page).with_eid(person["niss"], flows.DEFAULT_PIN)


def project_id(mock: MockSeeder, project: dict[str, Any]) -> int:
    """The mock's id of a project (in the application's addresses)."""
    return mock.project_state(project["inami_number"])["id"]


def patients(faker: Faker, count: int) -> list[str]:
    """Distinct patients' NISS."""
    found: list[str] = []
    while len(found) < count:
        niss = builders.niss(faker)
        if niss not in found:
            found.append(niss)
    return found


@pytest.fixture(autouse=True)
def clock(mock: MockSeeder) -> Iterator[Callable[[dt.date | None], None]]:
    """Every test of a suite that binds this starts on ON (after `mock` emptied the state and released the clock);
    a test may move the date; the real date comes back afterwards, even for suites that do not reset the mock."""
    mock.set_today(ON)
    yield mock.set_today
    mock.set_today(None)


@pytest.fixture
def user(faker: Faker, lang: str) -> dict[str, Any]:
    """A person an access manager is about to register (4.11's data)."""
    return builders.user_data(faker, language=lang)


@pytest.fixture
def other_project(mock: MockSeeder, faker: Faker, lang: str) -> dict[str, Any]:
    """A second project with its own active GAP (its responsable)."""
    data = builders.project(faker, language=lang)
    mock.project(data)
    mock.active_gap(data, data["persons"][0])
    return data
