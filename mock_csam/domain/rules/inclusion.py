"""The MyCareNet inclusion application: who may use a project's application today, as what, and what they
may do there (include and exclude patients as a «Gestionnaire», the list view as a «Coordinateur»).

Access comes through CSAM (a member with the application ticked and a role valid today) or through the AR78
(a care provider whose profession it covers, from 1 March 2018); anyone else is refused with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from ...i18n import _l
from .. import clock
from ..errors import Errors, InclusionRefused, NotFound, RuleViolation
from ..models import (
    COORDINATEUR,
    GESTIONNAIRE,
    PENDING_SIGNATURE,
    CareProvider,
    Inclusion,
    Member,
    Person,
    Project,
    Registration,
)
from .fields import check_niss, parse_date, record_id
from .roles import FUNCTION_NAMES

# From this date care providers covered by the AR78 reach their project's inclusion application without CSAM.
AR78_ACCESS_FROM = dt.date(2018, 3, 1)
# What an AR78 provider may do there without any CSAM role: include and exclude patients, as a «Gestionnaire»;
# the list view («Coordinateur») stays a role an access manager gives, to keep it to a strict minimum.
AR78_FUNCTIONS = frozenset({GESTIONNAIRE})


@dataclass(frozen=True)
class InclusionAccess:
    """A person's access to a project's inclusion application today: the functions, or why there are none."""

    project: Project
    functions: frozenset[str]
    reasons: tuple[str, ...] = ()
    via_ar78: bool = False
    # False for a project the person has nothing to do with: its refusal page does not name it.
    linked: bool = True

    @property
    def granted(self) -> bool:
        """True when the person may use the application for this project."""
        return bool(self.functions)

    def may(self, function: str) -> bool:
        """True when the person holds this function («gestionnaire» or «coordinateur») today."""
        return function in self.functions


def _date_fr(day: dt.date) -> str:
    """A date as the French pages write it: DD/MM/YYYY."""
    return day.strftime("%d/%m/%Y")


def _csam_functions(member: Member, today: dt.date) -> tuple[frozenset[str], list[str]]:
    """4.12, 4.18, 4.23: the functions a CSAM member holds today, or the reasons they hold none."""
    if not member.inclusion_app:
        return frozenset(), [
            str(
                _l(
                    "L'application « Gestion pour les Projets de Soins Intégrés » n'a pas été cochée pour vous dans "
                    "CSAM : vous êtes enregistré mais sans accès à l'application d'inclusion."
                )
            )
        ]
    if not member.roles:
        return frozenset(), [
            str(
                _l(
                    "Aucun rôle (« Gestionnaire » ou « Coordinateur ») ne vous a été attribué : vous ne pouvez pas "
                    "utiliser l'application d'inclusion."
                )
            )
        ]
    current = frozenset(
        r.function for r in member.roles if r.start_date <= today and (r.end_date is None or today <= r.end_date)
    )
    if current:
        return current, []
    reasons = []
    for role in member.roles:
        if today < role.start_date:
            reasons.append(
                str(
                    _l(
                        "Votre rôle « %(function)s » ne commence que le %(date)s.",
                        function=FUNCTION_NAMES[role.function],
                        date=_date_fr(role.start_date),
                    )
                )
            )
        elif role.end_date is not None:
            reasons.append(
                str(
                    _l(
                        "Votre rôle « %(function)s » a pris fin le %(date)s.",
                        function=FUNCTION_NAMES[role.function],
                        date=_date_fr(role.end_date),
                    )
                )
            )
    return frozenset(), reasons


def inclusion_access(session: Session, person: Person, project: Project) -> InclusionAccess:
    """Whether, and as what, this person may use this project's inclusion application today.

    Through CSAM: a member of the project with the application ticked (4.12) and a role valid today (4.17,
    4.18, 4.23). Through the AR78: a care provider of the project whose profession the AR78 covers, from
    1 March 2018, as a «Gestionnaire». Anyone else is refused with the reason.
    """
    today = clock.today()
    member = next((m for m in project.members if m.person_id == person.id), None)
    provider = session.scalar(
        select(CareProvider).where(CareProvider.project_id == project.id, CareProvider.person_id == person.id)
    )
    functions: frozenset[str] = frozenset()
    reasons: list[str] = []
    if member is not None:
        functions, reasons = _csam_functions(member, today)
    via_ar78 = False
    if provider is not None and provider.ar78:
        if today >= AR78_ACCESS_FROM:
            via_ar78 = not functions
            functions = functions | AR78_FUNCTIONS
        elif not functions:
            reasons.append(
                str(
                    _l(
                        "Les prestataires de soins de l'AR78 ont accès à l'application d'inclusion à partir du "
                        "%(date)s ; d'ici là, ils doivent être enregistrés dans CSAM.",
                        date=_date_fr(AR78_ACCESS_FROM),
                    )
                )
            )
    elif provider is not None and member is None:
        reasons.append(
            str(
                _l(
                    "Votre profession n'est pas couverte par l'AR78 : un gestionnaire d'accès doit vous enregistrer "
                    "dans CSAM pour ce projet."
                )
            )
        )
    if member is None and provider is None:
        if any(r.gap_person_id == person.id for r in project.registrations if r.status == PENDING_SIGNATURE):
            reasons.append(
                str(
                    _l(
                        "Votre désignation comme Gestionnaire d'Accès Principal attend encore le document signé : "
                        "l'accès n'est pas encore activé."
                    )
                )
            )
        else:
            reasons.append(str(_l("Vous n'êtes pas (ou plus) enregistré dans CSAM pour ce projet.")))
    linked = (
        member is not None
        or provider is not None
        or any(r.gap_person_id == person.id for r in project.registrations if r.status == PENDING_SIGNATURE)
    )
    return InclusionAccess(
        project=project,
        functions=functions,
        reasons=() if functions else tuple(reasons),
        via_ar78=via_ar78,
        linked=linked,
    )


def inclusion_projects(session: Session, person: Person) -> list[InclusionAccess]:
    """The projects this person is linked to (member, care provider, pending GAP), each with its access."""
    ids = set(session.scalars(select(Member.project_id).where(Member.person_id == person.id)))
    ids |= set(session.scalars(select(CareProvider.project_id).where(CareProvider.person_id == person.id)))
    ids |= set(
        session.scalars(
            select(Registration.project_id).where(
                Registration.gap_person_id == person.id, Registration.status == PENDING_SIGNATURE
            )
        )
    )
    if not ids:
        return []
    projects = session.scalars(select(Project).where(Project.id.in_(ids)).order_by(Project.name))
    return [inclusion_access(session, person, project) for project in projects]


def inclusion_project(session: Session, person: Person, project_id: Any) -> InclusionAccess:
    """A project's inclusion application as this person sees it; NotFound for a project that does not exist."""
    project = session.get(Project, record_id(project_id))
    if project is None:
        raise NotFound(project_id)
    return inclusion_access(session, person, project)


def require_function(access: InclusionAccess, function: str) -> None:
    """4.17: including and excluding need «Gestionnaire»; the list view needs «Coordinateur»."""
    if not access.granted:
        raise InclusionRefused(access.reasons)
    if not access.may(function):
        if function == GESTIONNAIRE:
            raise InclusionRefused([_l("Seul un « Gestionnaire » peut inclure et exclure des patients.")])
        raise InclusionRefused([_l("Seul un « Coordinateur » peut demander la vue de liste.")])


def _not_ended() -> ColumnElement[bool]:
    """Inclusions without an end date, or whose end date (the last day included) has not passed."""
    return or_(Inclusion.end_date.is_(None), Inclusion.end_date >= clock.today())


def open_inclusion(session: Session, project: Project, niss: str) -> Inclusion | None:
    """The patient's inclusion in this project that has not ended, if any (an exclusion may be dated ahead)."""
    return session.scalar(
        select(Inclusion).where(Inclusion.project_id == project.id, Inclusion.patient_niss == niss, _not_ended())
    )


def include_patient(session: Session, person: Person, access: InclusionAccess, niss: Any, start_date: Any) -> Inclusion:
    """A «Gestionnaire» includes a patient in the project from a start date."""
    require_function(access, GESTIONNAIRE)
    errors = Errors()
    number = check_niss(errors, "niss", niss)
    start = parse_date(errors, "start_date", start_date, _l("Date de début"), required=True)
    if not errors.has("niss") and open_inclusion(session, access.project, number) is not None:
        errors.add("niss", _l("Ce patient est déjà inclus dans ce projet."))
    errors.raise_if_any()
    inclusion = Inclusion(project=access.project, patient_niss=number, start_date=start, included_by=person)
    session.add(inclusion)
    session.flush()
    return inclusion


def exclude_patient(session: Session, person: Person, access: InclusionAccess, niss: Any, end_date: Any) -> Inclusion:
    """A «Gestionnaire» excludes a patient included in the project, from an end date."""
    require_function(access, GESTIONNAIRE)
    errors = Errors()
    number = check_niss(errors, "niss", niss)
    end = parse_date(errors, "end_date", end_date, _l("Date de fin"), required=True)
    inclusion = None if errors.has("niss") else open_inclusion(session, access.project, number)
    if inclusion is None and not errors.has("niss"):
        errors.add("niss", _l("Ce patient n'est pas inclus dans ce projet."))
    if inclusion is not None and end is not None and end < inclusion.start_date:
        errors.add("end_date", _l("La date de fin ne peut pas précéder la date de début."))
    # A patient with no open inclusion always has a message by now: refused with everything that is wrong.
    if inclusion is None or errors.items:
        raise RuleViolation(list(errors.items))
    inclusion.end_date = end
    inclusion.excluded_by = person
    session.flush()
    return inclusion


def list_view(session: Session, access: InclusionAccess) -> list[Inclusion]:
    """4.17: a «Coordinateur»'s list of the patients included in the project today (its own only)."""
    require_function(access, COORDINATEUR)
    return list(
        session.scalars(
            select(Inclusion)
            .where(Inclusion.project_id == access.project.id, _not_ended())
            .order_by(Inclusion.start_date, Inclusion.id)
        )
    )
