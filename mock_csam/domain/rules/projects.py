"""INAMI's records of projects (SZV, steps 1.1-1.3) and of the care providers working for them.

Recording and forgetting projects, the lookups every other rule starts from (a project by its INAMI number,
a person by NISS), and what a project's records say: its active GAP, a designation waiting for its signed
document, its «responsables».
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete as sa_delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...i18n import _l
from ..errors import FORM, Errors, NotFound, RuleViolation
from ..identifiers import clean_digits
from ..models import (
    GAP,
    PENDING_SIGNATURE,
    PROFESSIONS,
    SZV_RESPONSABLE,
    SZV_ROLES,
    Account,
    CareProvider,
    Inclusion,
    Letter,
    LoginSession,
    Member,
    Person,
    Project,
    Registration,
    SzvPerson,
)
from .fields import (
    SEXES,
    check_address,
    check_email,
    check_inami,
    check_language,
    check_niss,
    check_phone,
    check_pin,
    check_required,
    field_text,
)


def record_project(session: Session, data: Any) -> Project:
    """Record a project and its persons as INAMI does in SZV (1.1-1.3); refuses invalid or duplicate data."""
    errors = Errors()
    if not isinstance(data, Mapping):
        raise RuleViolation([(FORM, _l("Le projet doit être un objet JSON."))])
    inami = check_inami(errors, "inami_number", data.get("inami_number"))
    name = check_required(errors, data, "name", "name", 200)
    address = check_address(errors, data.get("address"), "address")
    if not errors.has("inami_number") and session.scalar(select(Project).where(Project.inami_number == inami)):
        errors.add("inami_number", _l("Un projet porte déjà ce N°INAMI."))
    persons = data.get("persons")
    if not isinstance(persons, list) or not persons:
        errors.add("persons", _l("Un projet compte au moins une personne (son responsable)."))
        persons = []
    cleaned_persons: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for index, person in enumerate(persons):
        prefix = f"persons[{index}]"
        if not isinstance(person, Mapping):
            errors.add(prefix, _l("Chaque personne doit être un objet JSON."))
            continue
        sub = Errors()
        niss = check_niss(sub, "niss", person.get("niss"))
        first = check_required(sub, person, "first_name", "first_name")
        last = check_required(sub, person, "last_name", "last_name")
        language = check_language(sub, person)
        sex = field_text(person, "sex").upper()
        if sex not in SEXES:
            sub.add("sex", _l("Le sexe est M ou F."))
        role = field_text(person, "szv_role")
        if role not in SZV_ROLES:
            sub.add("szv_role", _l("Le rôle SZV est « responsable » ou « gestionnaire de certificat e-Health »."))
        person_address = check_address(sub, person.get("address"), "address")
        email = check_email(sub, person, required=False)
        phone = check_phone(sub, person, required=False)
        pin = check_pin(sub, person)
        if not sub.has("niss") and niss in seen:
            sub.add("niss", _l("Cette personne figure deux fois dans le projet."))
        seen.add(niss)
        for f, m in sub.items:
            errors.add(f"{prefix}.{f}", m)
        cleaned_persons.append(
            (
                role,
                dict(
                    niss=niss,
                    first_name=first,
                    last_name=last,
                    language=language,
                    sex=sex,
                    email=email or None,
                    phone=phone or None,
                    eid_pin=pin,
                    **person_address,
                ),
            )
        )
    if not any(role == SZV_RESPONSABLE for role, _ in cleaned_persons) and not errors.has("persons"):
        errors.add("persons", _l("Un projet compte au moins un « responsable »."))
    errors.raise_if_any()

    # A new project has none of these yet: saying so spares project_json a query per collection after the flush.
    project = Project(
        inami_number=inami, name=name, registrations=[], members=[], care_providers=[], inclusions=[], **address
    )
    session.add(project)
    for role, cleaned in cleaned_persons:
        person = session.scalar(select(Person).where(Person.niss == cleaned["niss"]))
        if person is None:
            person = Person(account=None, **cleaned)
            session.add(person)
        project.szv_persons.append(SzvPerson(person=person, szv_role=role))
    session.flush()
    return project


def project_by_inami(session: Session, inami_number: str) -> Project | None:
    """The project recorded under this INAMI number, if any."""
    return session.scalar(select(Project).where(Project.inami_number == clean_digits(inami_number)))


def require_project(session: Session, inami_number: Any) -> Project:
    """The project recorded under this INAMI number; NotFound when there is none."""
    project = project_by_inami(session, str(inami_number or ""))
    if project is None:
        raise NotFound(f"project {inami_number}")
    return project


def require_person(session: Session, niss: Any) -> Person:
    """The person known by this NISS; NotFound when nobody has it."""
    person = session.scalar(select(Person).where(Person.niss == clean_digits(str(niss or ""))))
    if person is None:
        raise NotFound(f"NISS {niss}")
    return person


def delete_project(session: Session, project: Project) -> None:
    """Forget a project with everything of it: its SZV persons, registrations, members and roles, care providers
    and inclusions, then every person it leaves linked to no project (with their account, letters and logins)."""
    people = {sp.person_id for sp in project.szv_persons} | {m.person_id for m in project.members}
    people |= {m.created_by_id for m in project.members if m.created_by_id is not None}
    people |= {r.gap_person_id for r in project.registrations} | {c.person_id for c in project.care_providers}
    people |= {i.included_by_id for i in project.inclusions}
    people |= {i.excluded_by_id for i in project.inclusions if i.excluded_by_id is not None}
    session.delete(project)
    session.flush()
    still_linked: set[int] = set()
    for column in (
        SzvPerson.person_id,
        Member.person_id,
        Member.created_by_id,
        Registration.gap_person_id,
        CareProvider.person_id,
        Inclusion.included_by_id,
        Inclusion.excluded_by_id,
    ):
        still_linked |= set(session.scalars(select(column).where(column.in_(people))))
    for person_id in sorted(people - still_linked):
        session.execute(sa_delete(Letter).where(Letter.person_id == person_id))
        session.execute(sa_delete(LoginSession).where(LoginSession.person_id == person_id))
        session.execute(sa_delete(Account).where(Account.person_id == person_id))
        session.execute(sa_delete(Person).where(Person.id == person_id))
    session.flush()


def active_gap(project: Project) -> Member | None:
    """The project's active main access manager, if it has one."""
    return next((m for m in project.members if m.kind == GAP), None)


def pending_registration(project: Project) -> Registration | None:
    """A registration of this project still waiting for its signed document."""
    return next((r for r in project.registrations if r.status == PENDING_SIGNATURE), None)


def is_responsable(project: Project, niss: str) -> bool:
    """True when INAMI recorded the person with this NISS as a «responsable» of the project in SZV (1.3)."""
    return any(sp.person.niss == niss and sp.szv_role == SZV_RESPONSABLE for sp in project.szv_persons)


def record_care_provider(session: Session, data: Any) -> CareProvider:
    """INAMI's records: a person working for a project, with their profession (AR78 or not)."""
    if not isinstance(data, Mapping):
        raise RuleViolation([(FORM, _l("Le prestataire doit être un objet JSON."))])
    errors = Errors()
    niss = check_niss(errors, "niss", data.get("niss"))
    first = check_required(errors, data, "first_name", "first_name")
    last = check_required(errors, data, "last_name", "last_name")
    profession = field_text(data, "profession")
    if profession not in PROFESSIONS:
        errors.add("profession", _l("Profession inconnue. Choisissez parmi : %(list)s.", list=", ".join(PROFESSIONS)))
    inami = check_inami(errors, "inami_number", data.get("inami_number"))
    language = check_language(errors, {"language": data.get("language") or "fr"})
    pin = check_pin(errors, data)
    project = None
    if not errors.has("inami_number"):
        project = project_by_inami(session, inami)
        if project is None:
            errors.add("inami_number", _l("Aucun projet n'est enregistré sous ce N°INAMI."))
    person = session.scalar(select(Person).where(Person.niss == niss)) if not errors.has("niss") else None
    if (
        project is not None
        and person is not None
        and session.scalar(
            select(CareProvider).where(CareProvider.project_id == project.id, CareProvider.person_id == person.id)
        )
        is not None
    ):
        errors.add("niss", _l("Ce prestataire est déjà enregistré pour ce projet."))
    errors.raise_if_any()
    if person is None:
        person = Person(niss=niss, first_name=first, last_name=last, language=language, eid_pin=pin)
        session.add(person)
    provider = CareProvider(project=project, person=person, profession=profession)
    session.add(provider)
    session.flush()
    return provider


def care_provider_is_recorded(session: Session, data: Any) -> bool:
    """True when INAMI's records already hold this person (NISS) as a care provider of this project."""
    if not isinstance(data, Mapping):
        return False
    return (
        session.scalar(
            select(CareProvider)
            .join(Project)
            .join(Person, CareProvider.person_id == Person.id)
            .where(
                Project.inami_number == clean_digits(str(data.get("inami_number") or "")),
                Person.niss == clean_digits(str(data.get("niss") or "")),
            )
        )
        is not None
    )
