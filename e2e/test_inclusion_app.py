"""What the manual promises in MyCareNet's inclusion application, proved in the browser from both sides.

Step 4 registers users, ticks the application and gives them functions with dates; these tests log in as the
people concerned and check what the application then grants or refuses, with the reason the person reads
(4.12, 4.17, 4.18, 4.22, 4.23 and the AR78 note). Every test lives on a date fixed with the mock's clock, so
role dates and the AR78 cut-over give the same result on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import BrowserContext, Page, expect

from e2e import flows
from e2e.assertions import described_by
from e2e.contexts import show_site
from e2e.fixture_types import Message, Say, sentence
from e2e.pages.inclusion import (
    AccessRefusedPage,
    InclusionHomePage,
    InclusionProjectPage,
    ListViewPage,
)
from e2e.pages.site import Site
from e2e.seeding import MockSeeder
from e2e.settings import harness_settings
from fixtures import builders
from mock_csam.domain.models import COORDINATEUR, GESTIONNAIRE, Setting
from mock_csam.domain.store import TODAY

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
    """Every test here starts on ON (after `mock` emptied the state and released the clock); a test may move
    the date; the real date comes back afterwards, even for suites that do not reset the mock."""
    mock.set_today(ON)
    yield mock.set_today
    mock.set_today(None)


@pytest.fixture
def gap_page(new_context: Callable[..., BrowserContext], base_url: str, lang: str) -> Page:
    """A second browser (its own cookies, the run's language) for the access manager working while the user is
    logged in."""
    second = show_site(new_context(), base_url, Site(lang=lang)).new_page()
    second.set_default_timeout(harness_settings().ACTION_TIMEOUT_MS)
    return second


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


# ---------------------------------------------------------------------------------------------------------
# 4.12: without the application ticked, a registered user has no access
# ---------------------------------------------------------------------------------------------------------


def register_through_users_screen(
    page: Page,
    mock: MockSeeder,
    project: dict[str, Any],
    gap: dict[str, Any],
    user: dict[str, Any],
    say: Say,
    *,
    ticked: bool,
) -> None:
    """The GAP registers the user on «Utilisateurs» (4.10-4.14), ticking the application or not, and logs out;
    the user then gets the «Gestionnaire» role from today (4.15-4.20, seeded)."""
    users = flows.log_in_to_users_page(page, gap["niss"], flows.DEFAULT_PIN, project_id(mock, project))
    users = flows.add_user(users, user, inclusion_app=ticked)
    expect(users.status).to_have_text(say(USER_CREATED, name=flows.full_name(user)))
    users.header.log_out()
    member = mock.members_by_niss(project["inami_number"])[user["niss"]]
    mock.roles(project, gap["niss"], member["id"], [GESTIONNAIRE], ON)


@pytest.mark.manual("4.12")
def test_user_registered_with_the_application_ticked_reaches_the_project(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    register_through_users_screen(page, mock, gap_project, responsable, user, say, ticked=True)

    home = enter(page, user)

    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    project = home.choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))
    expect(project.include_form.region).to_be_visible()


@pytest.mark.manual("4.12")
def test_user_registered_without_the_application_ticked_is_refused_with_the_reason(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    register_through_users_screen(page, mock, gap_project, responsable, user, say, ticked=False)

    home = enter(page, user)

    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, say(NOT_TICKED)))
    refused = home.choose_project_refused(gap_project["name"])
    expect(refused.reasons).to_have_text(say(NOT_TICKED))
    expect(refused.main).to_contain_text(gap_project["name"])


@pytest.mark.manual("4.12")
def test_gap_ticks_the_application_for_themself_afterwards_and_then_reaches_the_project(
    page: Page, gap_page: Page, mock: MockSeeder, gap_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    # The designation (step 2) gives the GAP access management, not the inclusion application.
    home = enter(page, responsable)
    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, say(NOT_TICKED)))

    users = flows.log_in_to_users_page(gap_page, responsable["niss"], flows.DEFAULT_PIN, project_id(mock, gap_project))
    name = flows.full_name(responsable)
    users = users.click_modifier_applications(name).tick_gestion_projets_soins_integres().click_enregistrer()
    expect(users.status).to_have_text(users.words("member_applications.saved", name=name))
    expect(users.row(responsable["niss"])).to_contain_text(users.words("applications.inclusion"))
    flows.assign_role(users, name, [say(MANAGER)], ON)

    home = home.goto()
    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    expect(home.choose_project(gap_project["name"]).include_form.region).to_be_visible()


# ---------------------------------------------------------------------------------------------------------
# 4.17: «Gestionnaire» includes and excludes, «Coordinateur» asks for the list view, or both
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("4.17")
@pytest.mark.parametrize(
    ("functions", "shown", "forms", "list_view"),
    [
        pytest.param([GESTIONNAIRE], [MANAGER], 1, 0, id="gestionnaire"),
        pytest.param([COORDINATEUR], [COORDINATOR], 0, 1, id="coordinateur"),
        pytest.param([GESTIONNAIRE, COORDINATEUR], [COORDINATOR, MANAGER], 1, 1, id="both"),
    ],
)
def test_each_function_shows_its_own_part_of_the_project(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    functions: list[str],
    shown: list[str],
    forms: int,
    list_view: int,
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user, functions, ON)

    project = enter(page, user).choose_project(gap_project["name"])

    expect(project.functions).to_have_text(your_functions(say, *shown))
    expect(project.include_form.region).to_have_count(forms)
    expect(project.exclude_form.region).to_have_count(forms)
    expect(project.list_view_link).to_have_count(list_view)


@pytest.mark.manual("4.17")
def test_gestionnaire_includes_and_excludes_patients_but_gets_no_list_view(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    newcomer, leaving = patients(faker, 2)
    since = ON - dt.timedelta(days=30)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], since)
    mock.include(gap_project, user["niss"], leaving, since)
    project = enter(page, user).choose_project(gap_project["name"])
    expect(project.include_form.niss).to_be_visible()
    expect(project.include_form.date).to_be_visible()
    expect(project.exclude_form.niss).to_be_visible()
    expect(project.exclude_form.date).to_be_visible()

    project = project.include(newcomer, ON)
    expect(project.status).to_have_text(included(say, newcomer, ON))
    project = project.exclude(leaving, ON)
    expect(project.status).to_have_text(excluded(say, leaving, ON))

    expect(project.list_view_link).to_have_count(0)
    refused = AccessRefusedPage(page).open(ListViewPage.path_for(project_id(mock, gap_project)))
    expect(refused.reasons).to_have_text(say(ONLY_COORDINATOR))
    assert sorted(
        (i["patient_niss"], i["start_date"], i["end_date"], i["excluded_by"])
        for i in mock.inclusions(gap_project["inami_number"])
    ) == sorted(
        [
            (newcomer, ON.isoformat(), None, None),
            (leaving, since.isoformat(), ON.isoformat(), user["niss"]),
        ]
    )


@pytest.mark.manual("4.17")
@pytest.mark.parametrize(
    ("form", "typed", "field", "message"),
    [
        pytest.param(
            "include",
            ("12345678901", fr(ON)),
            "niss",
            "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
            id="invalid-niss",
        ),
        pytest.param(
            "include",
            (None, "30/02/2024"),
            "date",
            lambda say: say("« %(label)s » n'est pas une date valable (JJ/MM/AAAA).", label=say("Date de début")),
            id="not-a-date",
        ),
        pytest.param(
            "include",
            (None, ""),
            "date",
            lambda say: say("Le champ « %(label)s » est obligatoire.", label=say("Date de début")),
            id="no-start-date",
        ),
        pytest.param(
            "include", ("included", fr(ON)), "niss", "Ce patient est déjà inclus dans ce projet.", id="already-included"
        ),
        pytest.param(
            "exclude", (None, fr(ON)), "niss", "Ce patient n'est pas inclus dans ce projet.", id="not-included"
        ),
        pytest.param(
            "exclude",
            ("included", "01/01/2024"),
            "date",
            "La date de fin ne peut pas précéder la date de début.",
            id="end-before-start",
        ),
    ],
)
def test_inclusion_refused_with_message_next_to_the_field_and_nothing_saved(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    form: str,
    typed: tuple[str | None, str],
    field: str,
    message: Message,
    say: Say,
) -> None:
    message = sentence(say, message)
    already, other = patients(faker, 2)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ON - dt.timedelta(days=30))
    mock.include(gap_project, user["niss"], already, ON - dt.timedelta(days=30))
    before = mock.inclusions(gap_project["inami_number"])
    niss = other if typed[0] is None else already if typed[0] == "included" else typed[0]
    project = enter(page, user).choose_project(gap_project["name"])

    project = project.include(niss, typed[1]) if form == "include" else project.exclude(niss, typed[1])

    patient_form = project.include_form if form == "include" else project.exclude_form
    refused = getattr(patient_form, field)
    expect(refused).to_have_attribute("aria-invalid", "true")
    expect(refused).to_have_accessible_description(described_by(message))
    expect(patient_form.niss).to_have_value(niss)
    expect(patient_form.date).to_have_value(typed[1])
    assert mock.inclusions(gap_project["inami_number"]) == before


@pytest.mark.manual("4.17")
def test_coordinateur_lists_the_projects_own_patients_only_and_cannot_include(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    other_project: dict[str, Any],
    user: dict[str, Any],
    lang: str,
) -> None:
    own, elsewhere = patients(faker, 2)
    manager, other_manager = builders.user_data(faker, language=lang), builders.user_data(faker, language=lang)
    mock.user(gap_project, responsable["niss"], manager, [GESTIONNAIRE], ON)
    mock.user(other_project, other_project["persons"][0]["niss"], other_manager, [GESTIONNAIRE], ON)
    mock.user(gap_project, responsable["niss"], user, [COORDINATEUR], ON)
    mock.include(gap_project, manager["niss"], own, ON)
    mock.include(other_project, other_manager["niss"], elsewhere, ON)

    project = enter(page, user).choose_project(gap_project["name"])
    expect(project.include_form.region).to_have_count(0)
    expect(project.exclude_form.region).to_have_count(0)
    listing = project.open_list_view()

    expect(listing.table).to_be_visible()
    expect(listing.rows).to_have_count(1)
    expect(listing.row(own)).to_contain_text(fr(ON))
    expect(listing.row(own)).to_contain_text(flows.full_name(manager))
    expect(listing.row(elsewhere)).to_have_count(0)


@pytest.mark.manual("4.17")
def test_person_with_both_functions_includes_then_sees_the_patient_in_the_list_view(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    (patient,) = patients(faker, 1)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE, COORDINATEUR], ON)
    project = enter(page, user).choose_project(gap_project["name"])
    listing = project.open_list_view()
    expect(listing.no_patient).to_be_visible()

    project = listing.click_retour().include(patient, ON)
    expect(project.status).to_have_text(included(say, patient, ON))
    listing = project.open_list_view()

    expect(listing.rows).to_have_count(1)
    expect(listing.row(patient)).to_contain_text(flows.full_name(user))


# ---------------------------------------------------------------------------------------------------------
# 4.18: a role counts from its start date to its end date, both included
# ---------------------------------------------------------------------------------------------------------

ROLE_START, ROLE_END = dt.date(2024, 5, 10), dt.date(2024, 5, 20)


@pytest.mark.manual("4.18")
@pytest.mark.parametrize(
    ("today", "reason"),
    [
        pytest.param(
            ROLE_START - dt.timedelta(days=1),
            lambda say: say(NOT_STARTED, function=say(MANAGER), date=fr(ROLE_START)),
            id="day-before-start",
        ),
        pytest.param(
            ROLE_END + dt.timedelta(days=1),
            lambda say: say(ENDED, function=say(MANAGER), date=fr(ROLE_END)),
            id="day-after-end",
        ),
    ],
)
def test_role_outside_its_dates_is_refused_with_the_reason(
    page: Page,
    mock: MockSeeder,
    clock: Callable[[dt.date], None],
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    today: dt.date,
    reason: Message,
    say: Say,
) -> None:
    reason = sentence(say, reason)
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ROLE_START, ROLE_END)
    clock(today)

    home = enter(page, user)

    expect(home.mock_clock).to_have_text(simulated(say, today))
    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, reason))
    refused = home.choose_project_refused(gap_project["name"])
    expect(refused.reasons).to_have_text(reason)


@pytest.mark.manual("4.18")
@pytest.mark.parametrize("today", [pytest.param(ROLE_START, id="start-date"), pytest.param(ROLE_END, id="last-day")])
def test_role_is_granted_from_its_start_date_to_its_last_day(
    page: Page,
    mock: MockSeeder,
    clock: Callable[[dt.date], None],
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    today: dt.date,
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ROLE_START, ROLE_END)
    clock(today)

    home = enter(page, user)

    expect(home.mock_clock).to_have_text(simulated(say, today))
    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    project = home.choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))


# ---------------------------------------------------------------------------------------------------------
# 4.22 and 4.23: deletion ends the access; without a role there is none, with one there is
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("4.22")
def test_user_deleted_on_the_users_screen_loses_the_application_at_once(
    page: Page,
    gap_page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user, [GESTIONNAIRE], ON)
    project = enter(page, user).choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))

    users = flows.log_in_to_users_page(gap_page, responsable["niss"], flows.DEFAULT_PIN, project_id(mock, gap_project))
    users = users.tick_for_deletion(flows.full_name(user)).select_action().click_executer()
    expect(users.status).to_have_text(say(DELETED, n=1))

    refused = project.reload_refused()
    expect(refused.reasons).to_have_text(say(NOT_REGISTERED))
    expect(refused.main).not_to_contain_text(gap_project["name"])
    home = refused.click_retour_a_l_application()
    expect(home.no_project).to_be_visible()


@pytest.mark.manual("4.23")
def test_user_without_a_role_is_refused_until_the_manager_gives_one(
    page: Page,
    gap_page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    mock.user(gap_project, responsable["niss"], user)
    home = enter(page, user)
    expect(home.status_of(gap_project["name"])).to_have_text(no_access(say, say(NO_ROLE)))
    refused = home.choose_project_refused(gap_project["name"])
    expect(refused.reasons).to_have_text(say(NO_ROLE))

    users = flows.log_in_to_users_page(gap_page, responsable["niss"], flows.DEFAULT_PIN, project_id(mock, gap_project))
    functions = flows.assign_role(users, flows.full_name(user), [say(MANAGER)], ON)
    expect(functions.row(user["last_name"])).to_contain_text(say(MANAGER))

    home = refused.click_retour_a_l_application()
    expect(home.status_of(gap_project["name"])).to_have_text(granted(say, MANAGER))
    project = home.choose_project(gap_project["name"])
    expect(project.functions).to_have_text(your_functions(say, MANAGER))


# ---------------------------------------------------------------------------------------------------------
# The AR78 note: from March 2018 its care providers need no CSAM registration; others still do
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("AR78")
@pytest.mark.parametrize(
    ("profession", "today", "reason"),
    [
        pytest.param(
            "infirmier",
            AR78_FROM - dt.timedelta(days=1),
            lambda say: say(AR78_NOT_YET, date=fr(AR78_FROM)),
            id="ar78-before-march-2018",
        ),
        pytest.param("administratif", AR78_FROM, NOT_AR78, id="administratif-from-march-2018"),
        pytest.param("assistant_social", AR78_FROM, NOT_AR78, id="outside-ar78-from-march-2018"),
    ],
)
def test_care_provider_not_in_csam_is_refused_with_the_reason(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    clock: Callable[[dt.date], None],
    seeded_project: dict[str, Any],
    profession: str,
    today: dt.date,
    reason: Message,
    lang: str,
    say: Say,
) -> None:
    reason = sentence(say, reason)
    provider = builders.person(faker, language=lang)
    mock.care_provider(seeded_project, provider, profession)
    clock(today)

    home = enter(page, provider)

    expect(home.mock_clock).to_have_text(simulated(say, today))
    expect(home.status_of(seeded_project["name"])).to_have_text(no_access(say, reason))
    refused = home.choose_project_refused(seeded_project["name"])
    expect(refused.reasons).to_have_text(reason)


@pytest.mark.manual("AR78")
@pytest.mark.parametrize("profession", ["infirmier", "medecin"])
def test_ar78_provider_reaches_its_own_project_from_1_march_2018_and_includes(
    page: Page,
    mock: MockSeeder,
    faker: Faker,
    clock: Callable[[dt.date], None],
    seeded_project: dict[str, Any],
    other_project: dict[str, Any],
    profession: str,
    lang: str,
    say: Say,
) -> None:
    provider = builders.person(faker, language=lang)
    (patient,) = patients(faker, 1)
    mock.care_provider(seeded_project, provider, profession)
    clock(AR78_FROM)

    home = enter(page, provider)
    expect(home.mock_clock).to_have_text(simulated(say, AR78_FROM))
    expect(home.status_of(seeded_project["name"])).to_have_text(f"{granted(say, MANAGER)} ({say(AR78_PROVIDER)})")
    expect(home.projects).to_have_count(1)
    project = home.choose_project(seeded_project["name"])
    expect(project.functions).to_have_text(f"{your_functions(say, MANAGER)} — {say(AR78_ACCESS)}")
    expect(project.list_view_link).to_have_count(0)

    project = project.include(patient, AR78_FROM)

    expect(project.status).to_have_text(included(say, patient, AR78_FROM))
    assert [(i["patient_niss"], i["included_by"]) for i in mock.inclusions(seeded_project["inami_number"])] == [
        (patient, provider["niss"])
    ]
    refused = AccessRefusedPage(page).open(InclusionProjectPage.path_for(project_id(mock, other_project)))
    expect(refused.reasons).to_have_text(say(NOT_REGISTERED))
    expect(refused.main).not_to_contain_text(other_project["name"])


# ---------------------------------------------------------------------------------------------------------
# People the application must keep out: a GAP still waiting for the signed document, another project's user
# ---------------------------------------------------------------------------------------------------------


def test_gap_waiting_for_the_signed_document_is_refused_until_it_arrives(
    page: Page, mock: MockSeeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    registration = mock.registration(seeded_project, responsable)
    home = enter(page, responsable)
    expect(home.status_of(seeded_project["name"])).to_have_text(no_access(say, say(PENDING_SIGNATURE)))
    refused = home.choose_project_refused(seeded_project["name"])
    expect(refused.reasons).to_have_text(say(PENDING_SIGNATURE))
    expect(refused.main).to_contain_text(seeded_project["name"])

    mock.sign(registration)

    # Once active, the GAP is refused for what CSAM still lacks (the application ticked), not for the document.
    home = refused.click_retour_a_l_application()
    expect(home.status_of(seeded_project["name"])).to_have_text(no_access(say, say(NOT_TICKED)))


def test_user_of_another_project_is_refused_without_seeing_its_name(
    page: Page,
    mock: MockSeeder,
    gap_project: dict[str, Any],
    other_project: dict[str, Any],
    user: dict[str, Any],
    say: Say,
) -> None:
    mock.user(other_project, other_project["persons"][0]["niss"], user, [GESTIONNAIRE, COORDINATEUR], ON)
    home = enter(page, user)
    expect(home.projects).to_have_count(1)
    own = home.choose_project(other_project["name"])
    expect(own.functions).to_have_text(your_functions(say, COORDINATOR, MANAGER))

    for path in (InclusionProjectPage.path_for, ListViewPage.path_for):
        refused = AccessRefusedPage(page).open(path(project_id(mock, gap_project)))
        expect(refused.reasons).to_have_text(say(NOT_REGISTERED))
        expect(refused.main).not_to_contain_text(gap_project["name"])
        expect(refused.main).not_to_contain_text(gap_project["inami_number"])


# ---------------------------------------------------------------------------------------------------------
# The harness: every test starts on the real date
# ---------------------------------------------------------------------------------------------------------


def test_resetting_the_mock_releases_its_clock(mock: MockSeeder) -> None:
    mock.set_today(AR78_FROM)
    assert mock.state()["today"] == AR78_FROM.isoformat()

    mock.reset()

    assert mock.today() == dt.date.today()
    assert mock.state()["today"] == dt.date.today().isoformat()


@pytest.mark.in_process("reads the store's saved settings, which no HTTP call shows")
def test_resetting_the_mock_forgets_the_saved_date(mock: MockSeeder) -> None:
    mock.set_today(AR78_FROM)

    mock.reset()

    assert not mock.store.clock.is_fixed
    with mock.store.transaction() as db:
        assert db.get(Setting, TODAY) is None, "a restarted store would fix the date again"
