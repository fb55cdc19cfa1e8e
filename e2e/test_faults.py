"""The site's bad days in the browser (`/_mock/faults`, docs/faults.md): with a fault on, the harness reports the
failing instruction and what the page said; with it off, the site works again and nothing stored was lost.

Tests that need seeded people (the `mock` seeder, `gap_project`, `log_in_as`) switch faults on the suite's mock
and the `faults` fixture switches every fault off before and after each test, so none reaches another test; the
report and the manual check each get a mock of their own (`fresh_mock`), reached over HTTP like any site.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from faker import Faker
from playwright.sync_api import Browser, Page, expect

from e2e import flows
from e2e.check_manual import InstructionResult, Walk
from e2e.control_api import walk_data
from e2e.fixture_types import LogInAs, Say
from e2e.manual import resolve_edition
from e2e.page_words import MATCHES, MISSING
from e2e.pages.access import AccessManagementHome, UsersPage
from e2e.pages.base import ErrorPage
from e2e.pages.login import CsamLoginPage
from e2e.pages.registration import IdentificationPage
from e2e.seeding import HttpSeeder, Seeder
from fixtures import builders

pytest_plugins = ["pytester"]

# The mock's French msgids of what these tests read (through `say`).
UNAVAILABLE = "Service indisponible"
UNAVAILABLE_TEXT = (
    "Le service est momentanément indisponible en raison d'une maintenance ou d'un problème "
    "technique. Veuillez réessayer plus tard."
)
NO_READER = (
    "Aucun lecteur de cartes n'a été détecté. Vérifiez que votre lecteur de cartes eID est bien branché et "
    "que le logiciel eID est installé, puis réessayez."
)
CARD_UNREADABLE = (
    "Votre carte eID n'a pas pu être lue. Vérifiez qu'elle est bien insérée dans le lecteur de cartes, puis réessayez."
)
EXPIRED = "Votre session a expiré. Connectez-vous à nouveau pour continuer."
PENDING = "En attente du document signé"
ACTIVE = "Active"
REGISTRATION = "/csam/registration/"


@pytest.fixture
def faults(mock: Seeder) -> Iterator[None]:
    """Every fault of the suite's mock off before and after the test, whatever the test switched on (on a served
    mock, the worker's namespace's faults: the browser's pages carry the namespace, so its switches are the ones
    that apply to them and to no other worker)."""
    mock.faults_off()
    yield
    mock.faults_off()


def switch_on(page: Page, body: dict[str, Any]) -> dict[str, Any]:
    """Switch faults on through the control API, as QA does; returns what is on."""
    answer = page.request.put("/_mock/faults", data=body)
    assert answer.ok, answer.text()
    return answer.json()["faults"]


def switch_off(page: Page, name: str | None = None) -> None:
    """One fault off, or all of them."""
    answer = page.request.delete(f"/_mock/faults/{name}" if name else "/_mock/faults")
    assert answer.ok, answer.text()


def faults_on(page: Page) -> dict[str, Any]:
    """What is on, with what each fault did."""
    return page.request.get("/_mock/faults").json()["faults"]


def edition_up_to(tmp_path: Path, last: str) -> Path:
    """The manual's edition cut after instruction `last`, for a walk that need not go further."""
    data = yaml.safe_load(resolve_edition(None).read_text(encoding="utf-8"))
    ids = [i["id"] for i in data["instructions"]]
    data["instructions"] = data["instructions"][: ids.index(last) + 1]
    path = tmp_path / "edition.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------------
# error_page: the report names the instruction and the page's words; off, the form works again
# ---------------------------------------------------------------------------------------------------------

FAILING_STEP_2 = '''
"""A step-2 flow run against a mock whose registration form answers a maintenance page."""
import pytest

from e2e import flows

PROJECT = {project!r}


@pytest.mark.manual("2.5", "2.6", "2.7")
def test_designation(page):
    flows.designate_gap(page, PROJECT, PROJECT["persons"][0])
'''


@pytest.mark.manual("2.5", "2.6")
def test_error_page_fails_step_2_and_the_report_names_the_instructions_and_what_the_page_said(
    pytester: pytest.Pytester, fresh_mock: Callable[..., str], faker: Faker, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fresh_mock()
    control = HttpSeeder(url)
    project = builders.project(faker)
    control.project(project)
    control.switch_faults({"error_page": {"route": REGISTRATION, "status": 503}})
    root = str(Path(__file__).resolve().parent.parent)
    monkeypatch.setenv("PYTHONPATH", root)
    monkeypatch.setenv("COLUMNS", "300")  # the short summary's line whole
    pytester.makeconftest('pytest_plugins = ["e2e.conftest"]')
    pytester.makeini("[pytest]\nmarkers =\n    manual(*ids): manual instructions\n")
    pytester.makepyfile(test_designation=textwrap.dedent(FAILING_STEP_2.format(project=project)))

    result = pytester.runpytest_subprocess("--base-url", url, "-p", "no:cacheprovider", "-rf", timeout=240)

    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "manual instructions and what the page said" in output
    assert "manual instruction(s): 2.5, 2.6, 2.7" in output
    assert f"page {url}{REGISTRATION} answered HTTP 503" in output
    assert f"heading: «{UNAVAILABLE}»" in output and f"error: «{UNAVAILABLE_TEXT}»" in output
    # The short summary's one line says it too.
    assert (
        f"FAILED test_designation.py::test_designation[chromium] - [manual 2.5, 2.6, 2.7: HTTP 503 «{UNAVAILABLE}»]"
        in output
    )
    assert control.faults()["error_page"][0]["served"] >= 1


@pytest.mark.manual("2.6", "2.7", "2.8", "2.9", "2.11")
def test_registration_form_shows_a_maintenance_page_then_works_once_switched_off(
    page: Page, faults: None, mock: Seeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    before = mock.state()
    switch_on(page, {"error_page": {"route": REGISTRATION}})

    answer = page.goto(IdentificationPage(page).path)

    assert answer is not None and answer.status == 503
    error = ErrorPage(page, ErrorPage.UNAVAILABLE)
    expect(error.heading).to_be_visible()
    expect(error.alert).to_have_text(say(UNAVAILABLE_TEXT))
    expect(error.back_to_portal_link).to_be_visible()
    assert mock.state() == before

    switch_off(page, "error_page")
    finalisation = flows.designate_gap(page, seeded_project, responsable, via_portal=False)

    expect(finalisation.status_text(say(PENDING))).to_be_visible()
    registrations = mock.project_state(seeded_project["inami_number"])["registrations"]
    assert [r["status"] for r in registrations] == ["pending_signature"]
    assert mock.state()["persons"] == before["persons"]


@pytest.mark.manual("2.5", "2.6")
def test_check_manual_reports_the_instruction_that_meets_the_error_page(
    browser: Browser, fresh_mock: Callable[..., str], tmp_path: Path
) -> None:
    url = fresh_mock()
    HttpSeeder(url).switch_faults({"error_page": {"route": REGISTRATION}})

    results = {
        r.id: r
        for r in Walk(
            browser, url, walk_data(), control=HttpSeeder(url), timeout_ms=5000, manual=edition_up_to(tmp_path, "2.7")
        ).run()
    }

    assert [results[i].status for i in ("2.1", "2.2", "2.3", "2.4", "2.5")] == [MATCHES] * 5
    failed: InstructionResult = results["2.6"]
    assert failed.status == MISSING
    assert failed.reason is not None and f"HTTP 503 «{UNAVAILABLE}»" in failed.reason
    assert UNAVAILABLE_TEXT in failed.reason and UNAVAILABLE_TEXT in failed.detail


# ---------------------------------------------------------------------------------------------------------
# latency: the flow still passes, and the delay was really applied (counted by the mock)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("2.6", "2.7", "2.8", "2.9", "2.11")
def test_slow_registration_pages_still_let_the_designation_through(
    page: Page, faults: None, mock: Seeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    switch_on(page, {"latency": [{"route": "/csam/registration", "ms": 300}, {"route": "/csam/access*", "ms": 300}]})

    finalisation = flows.designate_gap(page, seeded_project, responsable, via_portal=False)

    expect(finalisation.status_text(say(PENDING))).to_be_visible()
    delayed = [s["delayed"] for s in faults_on(page)["latency"]]
    # The form, the organisation, the access manager's data and the confirmation: each shown and each sent.
    assert delayed[0] >= 8 and delayed[1] == 0
    switch_off(page, "latency")
    assert faults_on(page) == {}
    expect(finalisation.reload().status_text(say(PENDING))).to_be_visible()
    assert [r["status"] for r in mock.project_state(seeded_project["inami_number"])["registrations"]] == [
        "pending_signature"
    ]


# ---------------------------------------------------------------------------------------------------------
# eid_reader: the login page shows the reader's error and logs nobody in; off, the login works
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("3.5", "3.6", "4.6")
@pytest.mark.parametrize(("reason", "message"), [("no_reader", NO_READER), ("card_unreadable", CARD_UNREADABLE)])
def test_failing_card_reader_shows_its_error_then_the_login_works_once_switched_off(
    page: Page,
    faults: None,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    say: Say,
    reason: str,
    message: str,
) -> None:
    login = AccessManagementHome(page).open().click_se_connecter()
    switch_on(page, {"eid_reader": {"fails": True, "reason": reason}})

    login = login.attempt_eid(responsable["niss"], flows.DEFAULT_PIN)

    expect(login.eid.get_by_role("alert")).to_have_text(say(message))
    expect(login.header.logged_in_as).to_have_count(0)
    assert faults_on(page)["eid_reader"]["refused"] == 1

    switch_off(page, "eid_reader")
    entities = login.with_eid(responsable["niss"], flows.DEFAULT_PIN)

    expect(entities.enterprise(gap_project["name"])).to_be_visible()
    expect(entities.header.logged_in_as).to_contain_text(flows.full_name(responsable))


# ---------------------------------------------------------------------------------------------------------
# session_expiry: after N requests the login, with the message; logged in again, the work is there
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("4.6", "4.9", "4.10", "4.11", "4.12", "4.13", "4.14")
def test_expired_session_leads_to_the_login_and_the_work_is_there_after_logging_in_again(
    page: Page,
    faults: None,
    mock: Seeder,
    faker: Faker,
    gap_project: dict[str, Any],
    responsable: dict[str, Any],
    log_in_as: LogInAs,
    lang: str,
    say: Say,
) -> None:
    user = builders.user_data(faker, language=lang)
    users = flows.add_user(log_in_as(gap_project, responsable), user)
    expect(users.row(user["niss"])).to_be_visible()
    before = mock.state()
    switch_on(page, {"session_expiry": {"after_requests": 1}})

    page.reload()
    expect(users.heading).to_be_visible()
    page.reload()

    login = CsamLoginPage(page).wait_until_ready()
    expect(login.alert).to_have_text(say(EXPIRED))
    expect(login.header.logged_in_as).to_have_count(0)
    assert faults_on(page)["session_expiry"]["expired"] == 1
    assert mock.state()["projects"] == before["projects"]

    switch_off(page, "session_expiry")
    users = login.with_eid_back_to(responsable["niss"], flows.DEFAULT_PIN, UsersPage)

    expect(users.row(user["niss"])).to_be_visible()
    page.reload()
    page.reload()
    expect(users.row(user["niss"])).to_be_visible()
    expect(users.header.logged_in_as).to_contain_text(flows.full_name(responsable))


# ---------------------------------------------------------------------------------------------------------
# signed_document: the GAP stays pending, and the harness says so; off, delivered, the GAP is active
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.manual("2.12", "2.13")
def test_signed_document_that_never_arrives_leaves_the_gap_pending_until_switched_off(
    page: Page, faults: None, mock: Seeder, seeded_project: dict[str, Any], responsable: dict[str, Any], say: Say
) -> None:
    finalisation = flows.designate_gap(page, seeded_project, responsable, via_portal=False)
    number = finalisation.read_request_number()
    switch_on(page, {"signed_document": {"never_arrives": True}})

    refused = page.request.post(f"/_mock/registrations/{number}/signed-document-received")

    assert refused.status == 409
    assert [e["field"] for e in refused.json()["errors"]] == ["signed_document"]
    expect(finalisation.reload().status_text(say(PENDING))).to_be_visible()
    project = mock.project_state(seeded_project["inami_number"])
    assert [r["status"] for r in project["registrations"]] == ["pending_signature"]
    assert project["access_managers"] == []

    switch_off(page, "signed_document")
    delivered = page.request.post(f"/_mock/registrations/{number}/signed-document-received")

    assert delivered.ok, delivered.text()
    expect(finalisation.reload().status_text(say(ACTIVE))).to_be_visible()
    assert mock.project_state(seeded_project["inami_number"])["access_managers"] == [
        {"niss": responsable["niss"], "kind": "gap"}
    ]


@pytest.mark.manual("2.13", "3.1")
def test_check_manual_says_the_signed_document_never_arrived(
    browser: Browser, fresh_mock: Callable[..., str], tmp_path: Path
) -> None:
    url = fresh_mock()
    control = HttpSeeder(url)
    control.switch_faults({"signed_document": {"never_arrives": True}})
    data = walk_data()

    results = {
        r.id: r
        for r in Walk(browser, url, data, control=control, timeout_ms=5000, manual=edition_up_to(tmp_path, "3.1")).run()
    }

    assert {r.status for i, r in results.items() if i.startswith("2.")} == {MATCHES}
    stopped = results["3.1"]
    assert stopped.status == MISSING and stopped.reason is not None
    assert "did not receive the signed document" in stopped.reason and "signed_document" in stopped.reason
    assert "the GAP stays pending" in stopped.detail
    state = control.state()
    project = next(p for p in state["projects"] if p["inami_number"] == data["project"]["inami_number"])
    assert [r["status"] for r in project["registrations"]] == ["pending_signature"]

    control.faults_off()

    assert control.sign_pending(data["project"]["inami_number"]) is True
    state = control.state()
    project = next(p for p in state["projects"] if p["inami_number"] == data["project"]["inami_number"])
    assert [r["status"] for r in project["registrations"]] == ["active"]
