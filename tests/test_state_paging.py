"""GET /_mock/state with thousands of projects: the INAMI filter, pages, their refusals, and eager loading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from faker import Faker
from flask.testing import FlaskClient
from sqlalchemy import event

from fixtures import builders
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.models import (
    GAP,
    GESTIONNAIRE,
    Account,
    CareProvider,
    Inclusion,
    Member,
    Registration,
    Role,
)
from mock_csam.domain.store import Store

PROJECTS = 7


def distinct_projects(faker: Faker, count: int) -> list[dict[str, Any]]:
    """Valid projects whose INAMI numbers and persons all differ."""
    projects: dict[str, dict[str, Any]] = {}
    nisses: set[str] = set()
    while len(projects) < count:
        project = builders.project(faker)
        people = {p["niss"] for p in project["persons"]}
        if project["inami_number"] not in projects and not people & nisses and len(people) == 2:
            projects[project["inami_number"]] = project
            nisses |= people
    return list(projects.values())


@pytest.fixture
def recorded(client: FlaskClient, faker: Faker) -> list[dict[str, Any]]:
    """PROJECTS projects recorded through the control API, in the order of their ids."""
    answers = []
    for project in distinct_projects(faker, PROJECTS):
        response = client.post("/_mock/szv/projects", json=project)
        assert response.status_code == 201, response.get_json()
        answers.append(response.get_json())
    return answers


def state(client: FlaskClient, query: str = "") -> dict[str, Any]:
    response = client.get("/_mock/state" + query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def numbers(answer: dict[str, Any]) -> list[str]:
    return [p["inami_number"] for p in answer["projects"]]


# ---------------------------------------------------------------------------------------------------------
# Without a query: everything, as before, with the paging said
# ---------------------------------------------------------------------------------------------------------


def test_without_a_query_the_state_holds_every_project_and_person(client: FlaskClient, recorded: list) -> None:
    answer = state(client)
    assert numbers(answer) == [p["inami_number"] for p in recorded]
    assert len(answer["persons"]) == 2 * PROJECTS
    assert (answer["total"], answer["offset"], answer["limit"]) == (PROJECTS, 0, None)
    assert answer["today"] == dt.date.today().isoformat()


# ---------------------------------------------------------------------------------------------------------
# The filter
# ---------------------------------------------------------------------------------------------------------


def test_the_inami_filter_gives_that_project_and_its_persons(client: FlaskClient, recorded: list) -> None:
    wanted = recorded[3]
    answer = state(client, f"?inami_number={wanted['inami_number']}")
    assert answer["projects"] == [wanted]
    assert sorted(p["niss"] for p in answer["persons"]) == sorted(p["niss"] for p in wanted["persons"])
    assert (answer["total"], answer["offset"], answer["limit"]) == (1, 0, None)


def test_the_inami_filter_of_a_number_nobody_has_gives_nothing(
    client: FlaskClient, recorded: list, faker: Faker
) -> None:
    taken = {p["inami_number"] for p in recorded}
    unknown = next(n for n in iter(lambda: builders.inami_number(faker), None) if n not in taken)
    answer = state(client, f"?inami_number={unknown}")
    assert (answer["projects"], answer["persons"], answer["total"]) == ([], [], 0)


def test_the_filter_is_exact(client: FlaskClient, recorded: list) -> None:
    number = recorded[0]["inami_number"]
    response = client.get(f"/_mock/state?inami_number={number[:6]}")
    assert response.status_code == 400
    assert [e["field"] for e in response.get_json()["errors"]] == ["inami_number"]


# ---------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------


def test_pages_cover_every_project_once_in_order(client: FlaskClient, recorded: list) -> None:
    pages = [state(client, f"?offset={offset}&limit=3") for offset in range(0, PROJECTS, 3)]
    assert [numbers(page) for page in pages] == [
        [p["inami_number"] for p in recorded[i : i + 3]] for i in range(0, PROJECTS, 3)
    ]
    assert {(page["total"], page["limit"]) for page in pages} == {(PROJECTS, 3)}
    assert [page["offset"] for page in pages] == [0, 3, 6]


def test_a_page_lists_only_the_persons_of_its_projects(client: FlaskClient, recorded: list) -> None:
    page = state(client, "?offset=2&limit=2")
    expected = {p["niss"] for project in recorded[2:4] for p in project["persons"]}
    assert {p["niss"] for p in page["persons"]} == expected


def test_an_offset_alone_gives_the_rest(client: FlaskClient, recorded: list) -> None:
    answer = state(client, "?offset=5")
    assert numbers(answer) == [p["inami_number"] for p in recorded[5:]]
    assert (answer["total"], answer["offset"], answer["limit"]) == (PROJECTS, 5, None)


def test_a_page_past_the_end_is_empty(client: FlaskClient, recorded: list) -> None:
    answer = state(client, f"?offset={PROJECTS + 10}&limit=5")
    assert (answer["projects"], answer["persons"], answer["total"]) == ([], [], PROJECTS)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", PROJECTS),
        ("?limit=3", 3),
        (f"?limit={PROJECTS}", PROJECTS),
        (f"?limit={PROJECTS + 1}", PROJECTS),
        ("?offset=6", 1),
        (f"?offset={PROJECTS}", 0),
        ("?offset=20", 0),
        (f"?offset={PROJECTS - 1}&limit=1", 1),
    ],
)
def test_every_page_gives_the_total(client: FlaskClient, recorded: list, query: str, shown: int) -> None:
    answer = state(client, query)
    assert (len(answer["projects"]), answer["total"]) == (shown, PROJECTS)


def test_the_largest_page_is_accepted(client: FlaskClient, recorded: list) -> None:
    answer = state(client, f"?limit={rules.STATE_PAGE_MAX}")
    assert len(answer["projects"]) == PROJECTS


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=0", "limit"),
        (f"?limit={rules.STATE_PAGE_MAX + 1}", "limit"),
        ("?limit=ten", "limit"),
        ("?limit=", "limit"),
        ("?limit=-5", "limit"),
        ("?offset=-1", "offset"),
        ("?offset=1.5", "offset"),
        ("?offset=99999999999999999999999", "offset"),
        ("?inami_number=", "inami_number"),
        ("?inami_number=71000437", "inami_number"),
        ("?inami_number=abc", "inami_number"),
    ],
)
def test_a_bad_value_answers_400_naming_the_field(client: FlaskClient, recorded: list, query: str, field: str) -> None:
    response = client.get("/_mock/state" + query)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"]


def test_each_bad_value_is_named(client: FlaskClient) -> None:
    response = client.get("/_mock/state?offset=x&limit=0&inami_number=1")
    assert response.status_code == 400
    assert sorted(e["field"] for e in response.get_json()["errors"]) == ["inami_number", "limit", "offset"]


# ---------------------------------------------------------------------------------------------------------
# Eager loading: the number of SQL statements does not grow with the number of projects
# ---------------------------------------------------------------------------------------------------------


def rich_store(faker: Faker, count: int) -> Store:
    """A store whose projects each hold every kind of record project_json reads."""
    store = Store(":memory:")
    today = dt.date(2024, 5, 2)
    with store.write_transaction() as db:
        for index, data in enumerate(distinct_projects(faker, count)):
            project = rules.record_project(db, data)
            gap, manager = (sp.person for sp in project.szv_persons)
            db.add(Account(person=gap, username=f"gap{index}", password_hash="-"))
            db.add(
                Registration(
                    request_number=f"R{index:06d}",
                    project=project,
                    gap_person=gap,
                    email="gap@example.be",
                    phone="+32 2 123 45 67",
                )
            )
            member = Member(project=project, person=gap, kind=GAP, inclusion_app=True)
            member.roles.append(Role(function=GESTIONNAIRE, start_date=today))
            db.add(member)
            db.add(Member(project=project, person=manager, kind="user"))
            db.add(CareProvider(project=project, person=manager, profession="medecin"))
            db.add(
                Inclusion(
                    project=project,
                    patient_niss=builders.niss(faker),
                    start_date=today,
                    end_date=today,
                    included_by=gap,
                    excluded_by=manager,
                )
            )
    return store


def statements_of_export(store: Store, query: rules.StateQuery | None) -> tuple[int, dict[str, Any]]:
    """How many SQL statements one export sends, and the export."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.read_transaction() as db:
            exported = serialisers.export_state(db, query)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return len(sent), exported


@pytest.fixture
def small_and_large(faker: Faker) -> Iterator[tuple[Store, Store]]:
    stores = rich_store(faker, 5), rich_store(faker, 50)
    yield stores
    for store in stores:
        store.dispose()


@pytest.mark.parametrize(
    "query",
    [None, rules.StateQuery(), rules.StateQuery(offset=1, limit=3)],
    ids=["whole state", "paged answer", "a full page"],
)
def test_the_export_sends_as_many_statements_for_50_projects_as_for_5(
    small_and_large: tuple[Store, Store], query: rules.StateQuery | None
) -> None:
    small, large = small_and_large
    small_count, small_state = statements_of_export(small, query)
    large_count, large_state = statements_of_export(large, query)
    assert len(large_state["projects"]) >= len(small_state["projects"]) > 0
    # Every kind of record was exported (a kind left out would have sent no statement to count).
    project = large_state["projects"][0]
    assert all(project[key] for key in ("persons", "registrations", "members", "care_providers", "inclusions"))
    assert project["members"][0]["roles"] and project["inclusions"][0]["excluded_by"]
    assert large_count == small_count
