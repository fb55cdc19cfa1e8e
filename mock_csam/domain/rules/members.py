"""Access management (steps 3 and 4): who manages which project, adding co-GAPs and users, their secure
applications, and deleting them.

Each «may» rule here (`may_add`, `may_change_applications`, `may_delete`) is the one both the pages (to show or
hide a form, a link, a checkbox) and the actions (to refuse) ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ...i18n import _l
from ..errors import FORM, AccessDenied, Errors, NotFound, RuleViolation
from ..models import COGAP, GAP, INCLUSION_APP, SECURE_APPLICATIONS, USER, Account, Member, Person, Project
from .fields import (
    PASSWORD_RULES,
    USERNAME_RE,
    ascii_text,
    check_email,
    check_language,
    check_niss,
    check_phone,
    check_required,
    field_text,
    password_is_strong,
    record_id,
)
from .logins import earlier_outcome, remember_outcome
from .projects import require_person


def access_manager(session: Session, project: Project, niss: Any, field: str = "actor_niss") -> Member:
    """The project's GAP or co-GAP with this NISS (who adds members and gives roles); NotFound for an unknown
    person, a RuleViolation naming `field` for a person who does not manage the project."""
    person = require_person(session, niss)
    member = next((m for m in project.members if m.person_id == person.id and m.kind in (GAP, COGAP)), None)
    if member is None:
        raise RuleViolation([(field, _l("Cette personne n'est pas gestionnaire d'accès de ce projet."))])
    return member


def managed_projects(session: Session, person: Person) -> list[Project]:
    """3.7 / 4.7: the projects where this person is main access manager or co-manager."""
    rows = session.scalars(
        select(Project)
        .join(Member)
        .where(Member.person_id == person.id, Member.kind.in_((GAP, COGAP)))
        .order_by(Project.name)
    )
    return list(rows)


def manager_membership(session: Session, person: Person, project_id: Any) -> Member:
    """The person's GAP or co-GAP membership of the project; NotFound for any project they do not manage."""
    pid = record_id(project_id)
    member = session.scalar(
        select(Member).where(Member.project_id == pid, Member.person_id == person.id, Member.kind.in_((GAP, COGAP)))
    )
    if member is None:
        raise NotFound(project_id)
    return member


@dataclass
class NewMemberStart:
    """What the data form needs after the NISS step (3.10 / 4.10)."""

    niss: str
    person: Person | None
    needs_account: bool


def start_new_member(session: Session, actor: Member, kind: str, niss: Any) -> NewMemberStart:
    """3.10 / 4.10: the NISS of the person to add; refused if invalid or already registered here."""
    check_may_add(actor, kind)
    errors = Errors()
    number = check_niss(errors, "niss", niss)
    errors.raise_if_any()
    person = session.scalar(select(Person).where(Person.niss == number))
    if person is not None and any(m.person_id == person.id for m in actor.project.members):
        raise RuleViolation([("niss", _l("Cette personne est déjà enregistrée pour ce projet."))])
    return NewMemberStart(niss=number, person=person, needs_account=person is None or person.account is None)


def may_add(actor: Member, kind: str) -> bool:
    """3.10 / 4.10: users may be added by the GAP and co-GAPs, co-GAPs by the GAP only."""
    return kind == USER or (kind == COGAP and actor.kind == GAP)


def check_may_add(actor: Member, kind: str) -> None:
    """`may_add` as a refusal: NotFound for a kind that cannot be added at all, AccessDenied for the actor."""
    if kind not in (COGAP, USER):
        raise NotFound(kind)
    if not may_add(actor, kind):
        raise AccessDenied(_l("Seul le Gestionnaire d'Accès Principal peut désigner des co-gestionnaires."))


def check_member_data(session: Session, actor: Member, kind: str, niss: Any, data: Mapping[str, Any]) -> dict:
    """3.11 / 4.11-4.12: the person's data, and a user name and password the first time a NISS is seen."""
    start = start_new_member(session, actor, kind, niss)
    errors = Errors()
    if start.person is None:
        last = check_required(errors, data, "last_name", _l("Nom"))
        first = check_required(errors, data, "first_name", _l("Prénom"))
    else:
        last, first = start.person.last_name, start.person.first_name
    email = check_email(errors, data)
    phone = check_phone(errors, data, required=False)
    language = check_language(errors, data)
    applications = data.get("applications") or []
    if isinstance(applications, str):
        applications = [applications]
    unknown = [a for a in applications if a not in SECURE_APPLICATIONS]
    if unknown:
        errors.add("applications", _l("Application sécurisée inconnue."))
    cleaned = {
        "niss": start.niss,
        "last_name": last,
        "first_name": first,
        "email": email,
        "phone": phone,
        "language": language,
        "applications": sorted(set(applications) & set(SECURE_APPLICATIONS)),
        "username": None,
        "password_hash": None,
    }
    if start.needs_account:
        username = field_text(data, "username")
        password = "" if data.get("password") is None else str(data.get("password"))
        if not username:
            errors.add(
                "username", _l("Le nom d'utilisateur est obligatoire la première fois qu'un NISS est introduit.")
            )
        elif not USERNAME_RE.match(username):
            errors.add(
                "username",
                _l(
                    "Le nom d'utilisateur compte de 4 à 30 lettres, chiffres, points, tirets ou soulignés, "
                    "sans espace (exemple : LotjeDeRidder)."
                ),
            )
        elif session.scalar(select(Account).where(Account.username == username)) is not None:
            errors.add("username", _l("Ce nom d'utilisateur est déjà pris : choisissez-en un autre."))
        if not password:
            errors.add("password", _l("Le mot de passe est obligatoire la première fois qu'un NISS est introduit."))
        elif not password_is_strong(password):
            errors.add("password", _l("Le mot de passe ne respecte pas les règles : %(rules)s", rules=PASSWORD_RULES))
        cleaned["username"] = username
        if not errors.has("password"):
            cleaned["password_hash"] = generate_password_hash(password)
    errors.raise_if_any()
    return cleaned


def suggest_username(first_name: Any, last_name: Any) -> str:
    """4.11: the manual's suggested user name, first name then last name without accents or spaces."""
    joined = ascii_text(f"{first_name or ''}{last_name or ''}")
    return re.sub(r"[^A-Za-z0-9]", "", joined)[:30]


def create_member(
    session: Session,
    actor: Member,
    kind: str,
    cleaned: Mapping[str, Any],
    confirmed: bool,
    submission: str | None = None,
) -> Member:
    """3.12 / 4.14: save the person only once the creation is confirmed; every check is made again.

    The same `submission` sent again (a double click) gets the member the first one created.
    """
    if not confirmed:
        raise RuleViolation([(FORM, _l("La création n'a pas été confirmée : rien n'a été enregistré."))])
    earlier = earlier_outcome(session, submission, kind)
    if earlier is not None:
        member = session.get(Member, int(earlier))
        if member is None or member.project_id != actor.project_id:
            raise RuleViolation([(FORM, _l("Cette création a déjà été traitée."))])
        return member
    start = start_new_member(session, actor, kind, cleaned.get("niss"))
    # Everything is checked before the first write, so a refusal leaves nothing behind.
    if start.needs_account:
        if not cleaned.get("username") or not cleaned.get("password_hash"):
            raise RuleViolation(
                [("username", _l("Le nom d'utilisateur est obligatoire la première fois qu'un NISS est introduit."))]
            )
        if session.scalar(select(Account).where(Account.username == cleaned["username"])) is not None:
            raise RuleViolation([("username", _l("Ce nom d'utilisateur est déjà pris : choisissez-en un autre."))])
    person = start.person
    if person is None:
        person = Person(
            niss=start.niss,
            first_name=cleaned["first_name"],
            last_name=cleaned["last_name"],
            language=cleaned["language"],
            email=cleaned["email"],
            phone=cleaned["phone"] or None,
        )
        session.add(person)
    else:
        person.email = cleaned["email"]
        person.phone = cleaned["phone"] or person.phone
    if start.needs_account:
        session.add(Account(person=person, username=cleaned["username"], password_hash=cleaned["password_hash"]))
    apps = list(cleaned.get("applications") or [])
    member = Member(
        project=actor.project,
        person=person,
        kind=kind,
        created_by_id=actor.person_id,
        inclusion_app=INCLUSION_APP in apps,
        other_applications=",".join(a for a in apps if a != INCLUSION_APP),
    )
    session.add(member)
    session.flush()
    remember_outcome(session, submission, kind, str(member.id))
    return member


def project_member(session: Session, actor: Member, member_id: Any) -> Member:
    """A member of the actor's project; NotFound for anyone else's."""
    member = session.get(Member, record_id(member_id))
    if member is None or member.project_id != actor.project_id:
        raise NotFound(member_id)
    return member


def may_change_applications(actor: Member, member: Member) -> bool:
    """The GAP changes anyone's secure applications; a co-GAP those of users and their own."""
    return actor.kind == GAP or member.kind == USER or member.id == actor.id


def set_applications(session: Session, actor: Member, member_id: Any, applications: Iterable[Any]) -> Member:
    """The secure applications of someone already registered (4.12 afterwards); this replaces what they had."""
    member = project_member(session, actor, member_id)
    if not may_change_applications(actor, member):
        raise AccessDenied(
            _l("Seul le Gestionnaire d'Accès Principal peut modifier les applications d'un co-gestionnaire d'accès.")
        )
    chosen = [str(a) for a in (applications or [])]
    if any(a not in SECURE_APPLICATIONS for a in chosen):
        raise RuleViolation([("applications", _l("Application sécurisée inconnue."))])
    member.inclusion_app = INCLUSION_APP in chosen
    member.other_applications = ",".join(a for a in SECURE_APPLICATIONS if a in chosen and a != INCLUSION_APP)
    session.flush()
    return member


def may_delete(actor: Member, member: Member) -> bool:
    """4.22: users may be deleted by the GAP and co-GAPs, co-GAPs by the GAP only, the GAP never (here)."""
    return member.kind == USER or (member.kind == COGAP and actor.kind == GAP)


def delete_members(session: Session, actor: Member, member_ids: Iterable[Any]) -> list[Member]:
    """4.22: delete several members at once; the GAP never, co-managers only by the GAP."""
    ids = list(dict.fromkeys(record_id(mid) for mid in (member_ids or [])))
    if not ids:
        raise RuleViolation([("selected", _l("Cochez au moins un utilisateur à supprimer."))])
    members = [project_member(session, actor, mid) for mid in ids]
    refused = [member for member in members if not may_delete(actor, member)]
    errors = Errors()
    # Only the GAP and co-GAPs are ever refused: a co-GAP only when the actor is not the GAP.
    if any(member.kind != COGAP for member in refused):
        errors.add("selected", _l("Le Gestionnaire d'Accès Principal ne peut pas être supprimé par cet écran."))
    if any(member.kind == COGAP for member in refused):
        errors.add("selected", _l("Seul le Gestionnaire d'Accès Principal peut supprimer un co-gestionnaire d'accès."))
    errors.raise_if_any()
    for member in members:
        session.delete(member)
    session.flush()
    return members
