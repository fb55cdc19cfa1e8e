"""What GET /_mock/state and /_mock/mailbox read: the filter and page of a state query, the records it picks
(loaded in a number of SQL statements that does not grow with the projects), and the letters sent by post.

The control API turns these records into JSON (mock_csam/control/serialisers.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...i18n import _l
from .. import clock
from ..errors import Errors
from ..identifiers import clean_digits
from ..models import CareProvider, Inclusion, Letter, Member, Person, Project, Registration, SzvPerson
from .fields import check_inami, field_text

# The most projects one page of GET /_mock/state holds when a limit is asked for.
STATE_PAGE_MAX = 1000
# Far beyond any state the mock holds, and within what every database takes as an OFFSET.
STATE_OFFSET_MAX = 1_000_000_000


@dataclass(frozen=True)
class StateQuery:
    """Which projects of the state to show: those with this INAMI number (None: all), from `offset`, at most
    `limit` (None: all of them)."""

    inami_number: str | None = None
    offset: int = 0
    limit: int | None = None

    @property
    def narrowed(self) -> bool:
        """True when the answer shows part of the projects (and so only their persons)."""
        return self.inami_number is not None or self.offset > 0 or self.limit is not None


def _query_int(errors: Errors, args: Mapping[str, Any], name: str, minimum: int, maximum: int) -> int | None:
    """A whole number of the query string within its bounds, or None when absent."""
    if name not in args:
        return None
    text = field_text(args, name)
    value = int(text) if text.isascii() and text.isdigit() else None
    if value is None or not minimum <= value <= maximum:
        errors.add(
            name, _l("« %(name)s » est un nombre entier de %(min)s à %(max)s.", name=name, min=minimum, max=maximum)
        )
        return None
    return value


def check_state_query(args: Mapping[str, Any]) -> StateQuery:
    """The filter and page of GET /_mock/state from its query string; a bad value is refused naming its field."""
    errors = Errors()
    inami = check_inami(errors, "inami_number", args.get("inami_number")) if "inami_number" in args else None
    offset = _query_int(errors, args, "offset", 0, STATE_OFFSET_MAX)
    limit = _query_int(errors, args, "limit", 1, STATE_PAGE_MAX)
    errors.raise_if_any()
    return StateQuery(inami_number=inami, offset=offset or 0, limit=limit)


def _person_with_account(path, relationship):
    """Join the person at the end of a loader path, with their account (person_json reads it), to its rows."""
    return path.joinedload(relationship).joinedload(Person.account)


# Everything project_json reads, one collection at a time for all the projects at once, each row with its person
# and account joined: the number of SQL statements does not grow with the number of projects (lazy loading
# took 8 per project).
_PROJECT_LOADERS = (
    _person_with_account(selectinload(Project.szv_persons), SzvPerson.person),
    _person_with_account(selectinload(Project.registrations), Registration.gap_person),
    _person_with_account(selectinload(Project.members), Member.person),
    selectinload(Project.members).selectinload(Member.roles),
    _person_with_account(selectinload(Project.care_providers), CareProvider.person),
    _person_with_account(selectinload(Project.inclusions), Inclusion.included_by),
    _person_with_account(selectinload(Project.inclusions), Inclusion.excluded_by),
)


def _persons_of(projects: Iterable[Project]) -> list[Person]:
    """Every person a project links: SZV persons, GAPs of registrations, members, care providers, inclusions."""
    found: dict[int, Person] = {}
    for project in projects:
        linked = (
            [sp.person for sp in project.szv_persons]
            + [r.gap_person for r in project.registrations]
            + [m.person for m in project.members]
            + [c.person for c in project.care_providers]
            + [i.included_by for i in project.inclusions]
            + [i.excluded_by for i in project.inclusions if i.excluded_by is not None]
        )
        found.update((person.id, person) for person in linked)
    return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class StatePage:
    """The records a state query picks: the projects, the persons to show with them, and the paging (None
    when no query was given: then every project and person)."""

    today: dt.date
    projects: list[Project]
    persons: list[Person]
    query: StateQuery | None = None
    total: int | None = None


def state_page(session: Session, query: StateQuery | None = None) -> StatePage:
    """The state, for tests and tools: every project and person; with a query, the projects it picks (and,
    when it narrows them, only the persons they link) and `total`, the number of projects that match."""
    picked = select(Project)
    if query is not None and query.inami_number is not None:
        picked = picked.where(Project.inami_number == query.inami_number)
    offset, limit = (query.offset, query.limit) if query is not None else (0, None)
    page = picked.options(*_PROJECT_LOADERS).order_by(Project.id).offset(offset).limit(limit)
    projects = list(session.scalars(page))
    total = None
    if query is not None:
        # A page that holds the last matching project tells the total itself (the commonest case: a filter on
        # one INAMI number); only a full page, or an empty one past the start, needs counting.
        ends = (limit is None or len(projects) < limit) and (projects or not offset)
        total = offset + len(projects) if ends else session.scalar(select(func.count()).select_from(picked.subquery()))
    if query is not None and query.narrowed:
        persons = _persons_of(projects)
    else:
        persons = list(session.scalars(select(Person).options(joinedload(Person.account)).order_by(Person.id)))
    return StatePage(today=clock.today(), projects=projects, persons=persons, query=query, total=total)


def letters_of(session: Session, niss: str) -> list[Letter]:
    """The letters sent by post to the person with this NISS (2.10), oldest first."""
    person = session.scalar(select(Person).where(Person.niss == clean_digits(niss)))
    if person is None:
        return []
    return list(session.scalars(select(Letter).where(Letter.person_id == person.id).order_by(Letter.id)))
