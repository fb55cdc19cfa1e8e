"""Roles in the inclusion application (4.16-4.21): the functions «Gestionnaire» and «Coordinateur» an access
manager gives a member, with their dates, and how many coordinators a project has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from ...i18n import _l
from .. import clock
from ..errors import Errors
from ..models import COORDINATEUR, FUNCTIONS, GESTIONNAIRE, Member, Project, Role
from .fields import parse_date
from .members import project_member

# The inclusion application's functions as people read them (4.17), in the page's language.
FUNCTION_NAMES = {GESTIONNAIRE: _l("Gestionnaire"), COORDINATEUR: _l("Coordinateur")}


def set_roles(
    session: Session, actor: Member, member_id: Any, functions: Iterable[str], start_date: Any, end_date: Any
) -> Member:
    """4.16-4.21: give a member the chosen functions with their dates; this replaces what they had."""
    member = project_member(session, actor, member_id)
    errors = Errors()
    chosen = sorted(set(functions or []))
    if not chosen:
        errors.add("functions", _l("Choisissez au moins une fonction : Gestionnaire ou Coordinateur."))
    elif any(f not in FUNCTIONS for f in chosen):
        errors.add("functions", _l("Fonction inconnue."))
    start = parse_date(errors, "start_date", start_date, _l("Date de début"), required=True)
    end = parse_date(errors, "end_date", end_date, _l("Date de fin"), required=False)
    if start and end and end < start:
        errors.add("end_date", _l("La date de fin ne peut pas précéder la date de début."))
    errors.raise_if_any()
    member.roles.clear()
    session.flush()
    for function in chosen:
        member.roles.append(Role(function=function, start_date=start, end_date=end))
    session.flush()
    return member


def coordinator_count(project: Project) -> int:
    """4.17: how many members hold the «Coordinateur» function today or later (to keep to a strict minimum)."""
    today = clock.today()
    return sum(
        1
        for member in project.members
        if any(r.function == COORDINATEUR and (r.end_date is None or r.end_date >= today) for r in member.roles)
    )
