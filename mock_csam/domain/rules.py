"""Every rule of the mock, in one place: HTML views and the control API both call these functions.

Each function takes an open SQLAlchemy session (see `Store.transaction`), checks everything before it writes,
and raises `RuleViolation` with per-field messages when anything is wrong, so nothing is ever half-saved.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from sqlalchemy import delete as sa_delete
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from ..i18n import _l, letter_language
from . import clock
from .errors import FORM, Errors, NotFound, RuleViolation
from .identifiers import clean_digits, is_digits, is_valid_inami, is_valid_niss
from .models import (
    ACTIVE,
    COGAP,
    COORDINATEUR,
    FUNCTIONS,
    GAP,
    GESTIONNAIRE,
    INCLUSION_APP,
    PENDING_SIGNATURE,
    PROFESSIONS,
    SECURE_APPLICATIONS,
    SZV_RESPONSABLE,
    SZV_ROLES,
    USER,
    Account,
    CareProvider,
    Inclusion,
    Letter,
    LoginSession,
    Member,
    Person,
    Project,
    Registration,
    Role,
    Submission,
    SzvPerson,
)

LANGUAGE_CODES = ("fr", "nl", "de", "en")
SEXES = ("M", "F")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9 ./()-]{8,20}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{4,30}$")
PASSWORD_MIN_LENGTH = 8
POST_DELAY_WORKING_DAYS = 5

# Identification types offered by the CSAM registration (2.6). Only integrated-care projects are recorded in
# this mock; choosing another type with a project's number is refused as the real site refuses a mismatch.
PROJECT_TYPE = "projet_soins_integres"
IDENTIFICATION_TYPES = {
    "hopital": _l("Hôpital"),
    "institution_soins": _l("Institution de soins"),
    "maison_medicale": _l("Maison médicale"),
    PROJECT_TYPE: _l("Projet de soins intégrés"),
}

PASSWORD_RULES = _l("Au moins 8 caractères, dont au moins une lettre et un chiffre.")


# The inclusion application's functions as people read them (4.17), in the page's language.
FUNCTION_NAMES = {GESTIONNAIRE: _l("Gestionnaire"), COORDINATEUR: _l("Coordinateur")}


# ---------------------------------------------------------------------------------------------------------
# Field checks shared by every form
# ---------------------------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def check_niss(errors: Errors, name: str, value: Any) -> str:
    """A required NISS with valid check digits; returns it as 11 digits."""
    raw = "" if value is None else str(value).strip()
    number = clean_digits(raw)
    if not raw:
        errors.add(name, _l("Le NISS est obligatoire."))
    elif not (len(number) == 11 and is_digits(number)):
        errors.add(name, _l("Le NISS doit compter 11 chiffres."))
    elif not is_valid_niss(number):
        errors.add(name, _l("Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas."))
    return number


# What check_inami says when the number is missing, not 8 digits, or with wrong check digits: in the 2018 site's
# words («N°INAMI»), or in today's CSAM page's words («Numéro d'institution (8 chiffres)»).
INAMI_MESSAGES = (
    _l("Le N°INAMI est obligatoire."),
    _l("Le N°INAMI doit compter exactement 8 chiffres."),
    _l("Ce N°INAMI n'est pas valable : les chiffres de contrôle ne correspondent pas."),
)
INSTITUTION_NUMBER_MESSAGES = (
    _l("Le numéro d'institution est obligatoire."),
    _l("Le numéro d'institution doit compter exactement 8 chiffres."),
    _l("Ce numéro d'institution n'est pas valable : les chiffres de contrôle ne correspondent pas."),
)


def check_inami(errors: Errors, name: str, value: Any, messages: tuple = INAMI_MESSAGES) -> str:
    """A required INAMI number of 8 digits with valid check digits; returns it as 8 digits."""
    missing, length, check_digits = messages
    raw = "" if value is None else str(value).strip()
    number = clean_digits(raw)
    if not raw:
        errors.add(name, missing)
    elif not (len(number) == 8 and is_digits(number)):
        errors.add(name, length)
    elif not is_valid_inami(number):
        errors.add(name, check_digits)
    return number


def _required(
    errors: Errors, data: Mapping[str, Any], name: str, label, max_length: int = 100, field: str | None = None
) -> str:
    value = _text(data, name)
    field = field or name
    if not value:
        errors.add(field, _l("Le champ « %(label)s » est obligatoire.", label=label))
    elif len(value) > max_length:
        errors.add(field, _l("Le champ « %(label)s » compte au plus %(n)s caractères.", label=label, n=max_length))
    return value


def _email(errors: Errors, data: Mapping[str, Any], name: str = "email", required: bool = True) -> str:
    value = _text(data, name)
    if not value:
        if required:
            errors.add(name, _l("L'adresse e-mail est obligatoire."))
    elif len(value) > 200 or not EMAIL_RE.match(value):
        errors.add(name, _l("L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.be)."))
    return value


def _phone(errors: Errors, data: Mapping[str, Any], name: str = "phone", required: bool = True) -> str:
    value = _text(data, name)
    if not value:
        if required:
            errors.add(name, _l("Le numéro de téléphone est obligatoire."))
    elif not PHONE_RE.match(value) or sum(ch.isdigit() for ch in value) < 8:
        errors.add(name, _l("Le numéro de téléphone n'est pas valable (exemple : +32 2 123 45 67)."))
    return value


def _language(errors: Errors, data: Mapping[str, Any], name: str = "language") -> str:
    value = _text(data, name).lower()
    if value not in LANGUAGE_CODES:
        errors.add(name, _l("Choisissez une langue : fr, nl, de ou en."))
    return value


def parse_date(errors: Errors, name: str, value: Any, label, required: bool) -> dt.date | None:
    """A date typed as YYYY-MM-DD (what a date input sends) or DD/MM/YYYY."""
    if isinstance(value, dt.date):
        return value
    raw = "" if value is None else str(value).strip()
    if not raw:
        if required:
            errors.add(name, _l("Le champ « %(label)s » est obligatoire.", label=label))
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if parsed.year < 1900 or parsed.year > 2999:
            break
        return parsed
    errors.add(name, _l("« %(label)s » n'est pas une date valable (JJ/MM/AAAA).", label=label))
    return None


# ---------------------------------------------------------------------------------------------------------
# Step 1: INAMI's SZV records (control API and seed files)
# ---------------------------------------------------------------------------------------------------------


def _check_address(errors: Errors, data: Any, prefix: str) -> dict[str, str]:
    if not isinstance(data, Mapping):
        errors.add(prefix, _l("L'adresse est obligatoire (street, postal_code, city)."))
        return {"street": "", "postal_code": "", "city": ""}
    street = _required(errors, data, "street", "street", 200, field=f"{prefix}.street")
    postal = _required(errors, data, "postal_code", "postal_code", 10, field=f"{prefix}.postal_code")
    city = _required(errors, data, "city", "city", 100, field=f"{prefix}.city")
    if postal and not (is_digits(postal) and len(postal) == 4):
        errors.add(f"{prefix}.postal_code", _l("Un code postal belge compte 4 chiffres."))
    return {"street": street, "postal_code": postal, "city": city}


def record_project(session: Session, data: Any) -> Project:
    """Record a project and its persons as INAMI does in SZV (1.1-1.3); refuses invalid or duplicate data."""
    errors = Errors()
    if not isinstance(data, Mapping):
        raise RuleViolation([(FORM, _l("Le projet doit être un objet JSON."))])
    inami = check_inami(errors, "inami_number", data.get("inami_number"))
    name = _required(errors, data, "name", "name", 200)
    address = _check_address(errors, data.get("address"), "address")
    if not errors.has("inami_number") and session.scalar(select(Project).where(Project.inami_number == inami)):
        errors.add("inami_number", _l("Un projet porte déjà ce N°INAMI."))
    persons = data.get("persons")
    if not isinstance(persons, list) or not persons:
        errors.add("persons", _l("Un projet compte au moins une personne (son responsable)."))
        persons = []
    cleaned_persons = []
    seen: set[str] = set()
    for index, person in enumerate(persons):
        prefix = f"persons[{index}]"
        if not isinstance(person, Mapping):
            errors.add(prefix, _l("Chaque personne doit être un objet JSON."))
            continue
        sub = Errors()
        niss = check_niss(sub, "niss", person.get("niss"))
        first = _required(sub, person, "first_name", "first_name")
        last = _required(sub, person, "last_name", "last_name")
        language = _language(sub, person)
        sex = _text(person, "sex").upper()
        if sex not in SEXES:
            sub.add("sex", _l("Le sexe est M ou F."))
        role = _text(person, "szv_role")
        if role not in SZV_ROLES:
            sub.add("szv_role", _l("Le rôle SZV est « responsable » ou « gestionnaire de certificat e-Health »."))
        person_address = _check_address(sub, person.get("address"), "address")
        email = _email(sub, person, required=False)
        phone = _phone(sub, person, required=False)
        pin = _text(person, "pin") or "1234"
        if not (is_digits(pin) and 4 <= len(pin) <= 12):
            sub.add("pin", _l("Le code PIN compte de 4 à 12 chiffres."))
        if not sub.has("niss") and niss in seen:
            sub.add("niss", _l("Cette personne figure deux fois dans le projet."))
        seen.add(niss)
        for f, m in sub.items:
            errors.add(f"{prefix}.{f}", m)
        cleaned_persons.append(
            dict(
                niss=niss,
                first_name=first,
                last_name=last,
                language=language,
                sex=sex,
                szv_role=role,
                email=email or None,
                phone=phone or None,
                eid_pin=pin,
                **person_address,
            )
        )
    if not any(p["szv_role"] == SZV_RESPONSABLE for p in cleaned_persons) and not errors.has("persons"):
        errors.add("persons", _l("Un projet compte au moins un « responsable »."))
    errors.raise_if_any()

    # A new project has none of these yet: saying so spares project_json a query per collection after the flush.
    project = Project(
        inami_number=inami, name=name, registrations=[], members=[], care_providers=[], inclusions=[], **address
    )
    session.add(project)
    for cleaned in cleaned_persons:
        role = cleaned.pop("szv_role")
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


def access_manager(session: Session, project: Project, niss: Any, field: str = "actor_niss") -> Member:
    """The project's GAP or co-GAP with this NISS (who adds members and gives roles); NotFound for an unknown
    person, a RuleViolation naming `field` for a person who does not manage the project."""
    person = require_person(session, niss)
    member = next((m for m in project.members if m.person_id == person.id and m.kind in (GAP, COGAP)), None)
    if member is None:
        raise RuleViolation([(field, _l("Cette personne n'est pas gestionnaire d'accès de ce projet."))])
    return member


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


# ---------------------------------------------------------------------------------------------------------
# Step 2: designation of the main access manager (GAP)
# ---------------------------------------------------------------------------------------------------------


def active_gap(project: Project) -> Member | None:
    """The project's active main access manager, if it has one."""
    return next((m for m in project.members if m.kind == GAP), None)


def pending_registration(project: Project) -> Registration | None:
    """A registration of this project still waiting for its signed document."""
    return next((r for r in project.registrations if r.status == PENDING_SIGNATURE), None)


def find_project_for_registration(session: Session, identification_type: Any, inami_number: Any) -> Project:
    """2.6-2.7: the project a registration is for, refused if it cannot get a (new) GAP."""
    errors = Errors()
    kind = "" if identification_type is None else str(identification_type)
    if kind not in IDENTIFICATION_TYPES:
        errors.add("identification_type", _l("Choisissez le type d'identification."))
    number = check_inami(errors, "inami_number", inami_number)
    errors.raise_if_any()
    project = project_by_inami(session, number)
    if project is None:
        errors.add(
            "inami_number",
            _l(
                "Aucun projet n'est enregistré sous ce N°INAMI dans l'application SZV de l'INAMI. "
                "Vérifiez le numéro ou contactez l'INAMI."
            ),
        )
    elif kind != PROJECT_TYPE:
        errors.add(
            "identification_type",
            _l("Aucune organisation de type « %(type)s » ne porte ce N°INAMI.", type=IDENTIFICATION_TYPES[kind]),
        )
    else:
        _check_may_get_a_gap(errors, "inami_number", project)
    errors.raise_if_any()
    return project


def _check_may_get_a_gap(errors: Errors, name: str, project: Project) -> None:
    """A project with a GAP, or with a designation waiting for its signed document, cannot get another one."""
    if active_gap(project) is not None:
        errors.add(
            name,
            _l(
                "Cette organisation a déjà un Gestionnaire d'Accès Principal. Il peut désigner des "
                "co-gestionnaires d'accès et des utilisateurs dans la Gestion d'accès pour Entreprises et "
                "Organisations."
            ),
        )
    elif pending_registration(project) is not None:
        errors.add(
            name,
            _l(
                "Une demande de désignation est déjà en attente du document signé pour cette organisation "
                "(demande n° %(number)s).",
                number=pending_registration(project).request_number,
            ),
        )


def is_responsable(project: Project, niss: str) -> bool:
    """True when INAMI recorded the person with this NISS as a «responsable» of the project in SZV (1.3)."""
    return any(sp.person.niss == niss and sp.szv_role == SZV_RESPONSABLE for sp in project.szv_persons)


def check_gap_data(session: Session, project: Project, data: Mapping[str, Any]) -> dict[str, str]:
    """2.9: the main access manager's data; the person must be a responsable of the project in SZV."""
    errors = Errors()
    niss = check_niss(errors, "niss", data.get("niss"))
    last = _required(errors, data, "last_name", _l("Nom"))
    first = _required(errors, data, "first_name", _l("Prénom"))
    email = _email(errors, data)
    phone = _phone(errors, data)
    language = _language(errors, data)
    if not errors.has("niss") and not is_responsable(project, niss):
        errors.add(
            "niss",
            _l(
                "Cette personne n'est pas « responsable » de ce projet dans l'application SZV de l'INAMI. "
                "Seul un responsable du projet peut être désigné comme Gestionnaire d'Accès Principal."
            ),
        )
    errors.raise_if_any()
    return {"niss": niss, "last_name": last, "first_name": first, "email": email, "phone": phone, "language": language}


def _new_request_number(session: Session) -> str:
    while True:
        current = clock.current()
        drawn = current.draw(900000) if current.seed is not None else secrets.randbelow(900000)
        number = f"CSAM-{clock.today():%Y}-{drawn + 100000}"
        if session.scalar(select(Registration).where(Registration.request_number == number)) is None:
            return number


def submit_registration(
    session: Session,
    identification_type: Any,
    inami_number: Any,
    gap_data: Mapping[str, Any],
    credentials_by_post: bool,
    confirmed: bool,
    submission: str | None = None,
) -> Registration:
    """2.10-2.11: record the request; every earlier check is made again, and «oui, je confirme» is required.

    The same `submission` sent again (a double click) gets the request the first one recorded.
    """
    earlier = _earlier_outcome(session, submission, "registration")
    if earlier is not None:
        return registration_by_ref(session, earlier)
    project = find_project_for_registration(session, identification_type, inami_number)
    gap = check_gap_data(session, project, gap_data)
    if not confirmed:
        raise RuleViolation([("confirm", _l("Cochez la case « oui, je confirme » pour enregistrer la demande."))])
    person = session.scalar(select(Person).where(Person.niss == gap["niss"]))
    person.email = gap["email"]
    person.phone = gap["phone"]
    person.language = gap["language"]
    registration = Registration(
        request_number=_new_request_number(session),
        project=project,
        gap_person=person,
        email=gap["email"],
        phone=gap["phone"],
        credentials_by_post=bool(credentials_by_post),
        status=PENDING_SIGNATURE,
    )
    session.add(registration)
    _remember_outcome(session, submission, "registration", registration.request_number)
    session.flush()
    return registration


# ---------------------------------------------------------------------------------------------------------
# Step 2 on today's site (`current`): the representative registers the institution and becomes its GAP
# ---------------------------------------------------------------------------------------------------------


def find_institution_for_designation(
    session: Session, person: Person, institution_type: Any, institution_number: Any
) -> Project:
    """Today's CSAM page: the institution a logged-in person registers in CSAM, designating themselves its GAP.

    The checks of 2.6-2.7 in the page's words, plus the representative check that today comes before the
    GAP's data: the person must be a «responsable» of the project in INAMI's SZV records (the institution's
    authentic source). Only integrated-care projects are recorded, so another type is refused as a mismatch.
    """
    errors = Errors()
    kind = "" if institution_type is None else str(institution_type)
    if kind not in IDENTIFICATION_TYPES:
        errors.add("institution_type", _l("Choisissez le type d'institution."))
    number = check_inami(errors, "institution_number", institution_number, INSTITUTION_NUMBER_MESSAGES)
    errors.raise_if_any()
    project = project_by_inami(session, number)
    if project is None:
        errors.add(
            "institution_number",
            _l(
                "Aucune institution n'est enregistrée sous ce numéro dans sa source authentique (l'application SZV "
                "de l'INAMI). Vérifiez le numéro ou contactez l'INAMI."
            ),
        )
    elif kind != PROJECT_TYPE:
        errors.add(
            "institution_type",
            _l("Aucune institution de type « %(type)s » ne porte ce numéro.", type=IDENTIFICATION_TYPES[kind]),
        )
    elif not is_responsable(project, person.niss):
        errors.add(
            "institution_number",
            _l(
                "Vous n'êtes pas reconnu(e) comme représentant de cette institution dans sa source authentique : "
                "seul un « responsable » du projet enregistré par l'INAMI (application SZV) peut enregistrer "
                "l'institution dans CSAM et se désigner Gestionnaire d'Accès Principal. Consultez INAMI "
                "Professionnel si vous pensez être représentant de cette institution."
            ),
        )
    else:
        _check_may_get_a_gap(errors, "institution_number", project)
    errors.raise_if_any()
    return project


def designation_contact(person: Person) -> dict[str, str]:
    """The GAP's e-mail address and phone number as the records have them (empty when they have none)."""
    return {"email": person.email or "", "phone": person.phone or ""}


def submit_self_designation(
    session: Session,
    person: Person,
    institution_type: Any,
    institution_number: Any,
    contact: Mapping[str, Any],
    credentials_by_post: bool,
    confirmed: bool,
    submission: str | None = None,
) -> Registration:
    """Today's site, «Enregistrer»: the request naming the logged-in representative as GAP (2.10-2.11).

    Everything is checked again (the institution, the representative, the contact data, «oui, je confirme»),
    then `submit_registration` records the request as the 2018 wizard does: same request numbers, same
    finalisation, and the same `submission` sent twice (a double click) gets the request the first recorded.
    """
    earlier = _earlier_outcome(session, submission, "registration")
    if earlier is not None:
        registration = registration_by_ref(session, earlier)
        if registration.gap_person_id != person.id:
            raise RuleViolation([(FORM, _l("Cette demande a déjà été traitée."))])
        return registration
    project = find_institution_for_designation(session, person, institution_type, institution_number)
    contact = contact if isinstance(contact, Mapping) else {}
    errors = Errors()
    email = _email(errors, contact)
    phone = _phone(errors, contact)
    if not confirmed:
        errors.add("confirm", _l("Cochez la case « oui, je confirme » pour enregistrer la demande."))
    errors.raise_if_any()
    gap = {
        "niss": person.niss,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "email": email,
        "phone": phone,
        "language": person.language,
    }
    return submit_registration(
        session,
        PROJECT_TYPE,
        project.inami_number,
        gap,
        credentials_by_post=credentials_by_post,
        confirmed=True,
        submission=submission,
    )


def registration_by_ref(session: Session, ref: str) -> Registration:
    """A registration by its id or its request number."""
    registration = None
    if _is_record_id(str(ref)):
        registration = session.get(Registration, int(ref))
    if registration is None:
        registration = session.scalar(select(Registration).where(Registration.request_number == str(ref)))
    if registration is None:
        raise NotFound(ref)
    return registration


def receive_signed_document(session: Session, registration: Registration) -> Registration:
    """2.12-2.13: the back office receives the signed document; the GAP becomes active."""
    if registration.status == ACTIVE:
        raise RuleViolation([(FORM, _l("Le document signé de cette demande a déjà été reçu."))])
    project = registration.project
    if active_gap(project) is not None:
        raise RuleViolation([(FORM, _l("Cette organisation a déjà un Gestionnaire d'Accès Principal."))])
    registration.status = ACTIVE
    registration.signed_document_received_at = clock.now()
    existing = next((m for m in project.members if m.person_id == registration.gap_person_id), None)
    if existing is not None:
        existing.kind = GAP
    else:
        project.members.append(Member(person=registration.gap_person, kind=GAP))
    if registration.credentials_by_post and registration.gap_person.account is None:
        _send_credentials_by_post(session, registration.gap_person)
    session.flush()
    return registration


def _add_working_days(start: dt.date, days: int) -> dt.date:
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _free_username(session: Session, person: Person) -> str:
    base = re.sub(r"[^A-Za-z0-9]", "", _ascii(person.first_name + person.last_name))[:24] or "utilisateur"
    candidate, n = base, 1
    while session.scalar(select(Account).where(Account.username == candidate)) is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _send_credentials_by_post(session: Session, person: Person) -> None:
    username = _free_username(session, person)
    alphabet = string.ascii_letters + string.digits
    password = "".join(secrets.choice(alphabet) for _ in range(10)) + secrets.choice(string.digits)
    session.add(Account(person=person, username=username, password_hash=generate_password_hash(password)))
    sent = clock.today()
    delivered = _add_working_days(sent, POST_DELAY_WORKING_DAYS)
    # Letters speak the person's language (French for German or English speakers: the mock has no such
    # catalogue), whatever the language of the page that asked for them.
    with force_locale(letter_language(person.language)):
        session.add_all(
            [
                Letter(
                    person=person,
                    kind="username",
                    sent_on=sent,
                    delivered_by=delivered,
                    subject=str(_l("CSAM : votre nom d'utilisateur")),
                    body=str(_l("Votre nom d'utilisateur CSAM est : %(username)s", username=username)),
                ),
                Letter(
                    person=person,
                    kind="password",
                    sent_on=sent,
                    delivered_by=delivered,
                    subject=str(_l("CSAM : votre mot de passe")),
                    body=str(_l("Votre mot de passe CSAM est : %(password)s", password=password)),
                ),
            ]
        )


# ---------------------------------------------------------------------------------------------------------
# CSAM login
# ---------------------------------------------------------------------------------------------------------


def authenticate_eid(session: Session, niss: Any, pin: Any) -> Person:
    """The simulated eID card reader: the card's NISS must be known and its PIN right."""
    errors = Errors()
    number = check_niss(errors, "niss", niss)
    if not _text({"pin": pin}, "pin"):
        errors.add("pin", _l("Le code PIN est obligatoire."))
    errors.raise_if_any()
    person = session.scalar(select(Person).where(Person.niss == number))
    if person is None:
        raise RuleViolation([("niss", _l("Cette carte eID n'est pas reconnue."))])
    # Compared as bytes: compare_digest refuses str with non-ASCII characters, and a typed PIN may have some.
    if not secrets.compare_digest(str(pin).strip().encode(), person.eid_pin.encode()):
        raise RuleViolation([("pin", _l("Code PIN incorrect."))])
    return person


def authenticate_password(session: Session, username: Any, password: Any) -> Person:
    """User name and password login; one message for both wrong cases, as login pages should."""
    user = _text({"u": username}, "u")
    secret = "" if password is None else str(password)
    errors = Errors()
    if not user:
        errors.add("username", _l("Le nom d'utilisateur est obligatoire."))
    if not secret:
        errors.add("password", _l("Le mot de passe est obligatoire."))
    errors.raise_if_any()
    account = session.scalar(select(Account).where(Account.username == user))
    if account is None or not check_password_hash(account.password_hash, secret):
        raise RuleViolation([(FORM, _l("Nom d'utilisateur ou mot de passe incorrect."))])
    return account.person


def start_login_session(session: Session, person: Person) -> str:
    """A new login for this person; returns the random id the browser keeps (a new one at every login)."""
    sid = secrets.token_urlsafe(32)
    session.add(LoginSession(sid=sid, person=person))
    session.flush()
    return sid


def logged_in_person(session: Session, sid: Any) -> Person | None:
    """The person of a login that has not ended; None for an unknown, ended or forged id."""
    if not isinstance(sid, str) or not sid:
        return None
    login = session.scalar(select(LoginSession).where(LoginSession.sid == sid, LoginSession.ended_at.is_(None)))
    return login.person if login is not None else None


def end_login_session(session: Session, sid: Any) -> None:
    """Logout: the login ends for every copy of its cookie."""
    if isinstance(sid, str) and sid:
        login = session.scalar(select(LoginSession).where(LoginSession.sid == sid))
        if login is not None and login.ended_at is None:
            login.ended_at = clock.now()


# ---------------------------------------------------------------------------------------------------------
# Forms sent twice (a double click on «Enregistrer» or «Confirmer»)
# ---------------------------------------------------------------------------------------------------------


def new_submission_token() -> str:
    """The id of one draft's submission, chosen when the draft starts."""
    return secrets.token_hex(16)


def _earlier_outcome(session: Session, token: Any, kind: str) -> str | None:
    if not isinstance(token, str) or not token:
        return None
    earlier = session.get(Submission, token[:64])
    return earlier.outcome if earlier is not None and earlier.kind == kind else None


def _remember_outcome(session: Session, token: Any, kind: str, outcome: str) -> None:
    if isinstance(token, str) and token:
        session.add(Submission(token=token[:64], kind=kind, outcome=outcome))


# ---------------------------------------------------------------------------------------------------------
# Access management (steps 3 and 4)
# ---------------------------------------------------------------------------------------------------------


class AccessDenied(Exception):
    """The logged-in person does not manage this project (or may not do this there)."""


def managed_projects(session: Session, person: Person) -> list[Project]:
    """3.7 / 4.7: the projects where this person is main access manager or co-manager."""
    rows = session.scalars(
        select(Project)
        .join(Member)
        .where(Member.person_id == person.id, Member.kind.in_((GAP, COGAP)))
        .order_by(Project.name)
    )
    return list(rows)


def pending_registrations_of(session: Session, person: Person) -> list[Registration]:
    """Registrations naming this person as GAP that still wait for the signed document."""
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.gap_person_id == person.id, Registration.status == PENDING_SIGNATURE)
            # In the order they were made, on any database (SQLite happened to give that order without being asked).
            .order_by(Registration.id)
        )
    )


def _record_id(value: Any) -> int:
    """A record id from a URL or a form; NotFound for anything SQLite could not even look up."""
    text = "" if value is None else str(value).strip()
    if not _is_record_id(text):
        raise NotFound(value)
    return int(text)


def _is_record_id(text: str) -> bool:
    """Digits SQLite can look up as an id: plain ASCII digits only (int() would also read "1_000", "+5" or other
    scripts' digits), and at most 19 of them (2**63 has 19; int() refuses strings of more than 4300 digits)."""
    return is_digits(text) and len(text) <= 19 and 0 < int(text) < 2**63


def manager_membership(session: Session, person: Person, project_id: Any) -> Member:
    """The person's GAP or co-GAP membership of the project; NotFound for any project they do not manage."""
    pid = _record_id(project_id)
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


def check_may_add(actor: Member, kind: str) -> None:
    """3.10 / 4.10: users may be added by the GAP and co-GAPs, co-GAPs by the GAP only (AccessDenied)."""
    if kind not in (COGAP, USER):
        raise NotFound(kind)
    if kind == COGAP and actor.kind != GAP:
        raise AccessDenied(_l("Seul le Gestionnaire d'Accès Principal peut désigner des co-gestionnaires."))


def check_member_data(session: Session, actor: Member, kind: str, niss: str, data: Mapping[str, Any]) -> dict:
    """3.11 / 4.11-4.12: the person's data, and a user name and password the first time a NISS is seen."""
    start = start_new_member(session, actor, kind, niss)
    errors = Errors()
    if start.person is None:
        last = _required(errors, data, "last_name", _l("Nom"))
        first = _required(errors, data, "first_name", _l("Prénom"))
    else:
        last, first = start.person.last_name, start.person.first_name
    email = _email(errors, data)
    phone = _phone(errors, data, required=False)
    language = _language(errors, data)
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
        username = _text(data, "username")
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


def password_is_strong(password: str) -> bool:
    """The password rules shown on the form."""
    return (
        len(password) >= PASSWORD_MIN_LENGTH
        and len(password) <= 128
        and any(c.isalpha() for c in password)
        and any(c.isdigit() for c in password)
    )


def suggest_username(first_name: Any, last_name: Any) -> str:
    """4.11: the manual's suggested user name, first name then last name without accents or spaces."""
    joined = _ascii(f"{first_name or ''}{last_name or ''}")
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
    earlier = _earlier_outcome(session, submission, kind)
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
    _remember_outcome(session, submission, kind, str(member.id))
    return member


def project_member(session: Session, actor: Member, member_id: Any) -> Member:
    """A member of the actor's project; NotFound for anyone else's."""
    member = session.get(Member, _record_id(member_id))
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


def delete_members(session: Session, actor: Member, member_ids: Iterable[Any]) -> list[Member]:
    """4.22: delete several members at once; the GAP never, co-managers only by the GAP."""
    ids = list(dict.fromkeys(_record_id(mid) for mid in (member_ids or [])))
    if not ids:
        raise RuleViolation([("selected", _l("Cochez au moins un utilisateur à supprimer."))])
    members = [project_member(session, actor, mid) for mid in ids]
    errors = Errors()
    if any(member.kind == GAP for member in members):
        errors.add("selected", _l("Le Gestionnaire d'Accès Principal ne peut pas être supprimé par cet écran."))
    if actor.kind != GAP and any(member.kind == COGAP for member in members):
        errors.add("selected", _l("Seul le Gestionnaire d'Accès Principal peut supprimer un co-gestionnaire d'accès."))
    errors.raise_if_any()
    for member in members:
        session.delete(member)
    session.flush()
    return members


# ---------------------------------------------------------------------------------------------------------
# The mock's clock (control API)
# ---------------------------------------------------------------------------------------------------------


def check_clock_date(data: Any) -> dt.date | None:
    """`{"today": "YYYY-MM-DD"}` fixes the mock's date; `{"today": null}` goes back to the real date."""
    if not isinstance(data, Mapping) or "today" not in data:
        raise RuleViolation([("today", _l('Donnez la date du jour de la simulation : {"today": "AAAA-MM-JJ"}.'))])
    value = data["today"]
    if value is None:
        return None
    try:
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
            raise ValueError(value)
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise RuleViolation([("today", _l("« today » doit être une date valable au format AAAA-MM-JJ."))]) from None
    if not 1900 <= parsed.year <= 2999:
        raise RuleViolation([("today", _l("« today » doit être une date valable au format AAAA-MM-JJ."))])
    return parsed


# ---------------------------------------------------------------------------------------------------------
# Care providers in INAMI's records, and the AR78 (control API)
# ---------------------------------------------------------------------------------------------------------

# From this date care providers covered by the AR78 reach their project's inclusion application without CSAM.
AR78_ACCESS_FROM = dt.date(2018, 3, 1)
# What an AR78 provider may do there without any CSAM role: include and exclude patients, as a «Gestionnaire»;
# the list view («Coordinateur») stays a role an access manager gives, to keep it to a strict minimum.
AR78_FUNCTIONS = frozenset({GESTIONNAIRE})


def record_care_provider(session: Session, data: Any) -> CareProvider:
    """INAMI's records: a person working for a project, with their profession (AR78 or not)."""
    if not isinstance(data, Mapping):
        raise RuleViolation([(FORM, _l("Le prestataire doit être un objet JSON."))])
    errors = Errors()
    niss = check_niss(errors, "niss", data.get("niss"))
    first = _required(errors, data, "first_name", "first_name")
    last = _required(errors, data, "last_name", "last_name")
    profession = _text(data, "profession")
    if profession not in PROFESSIONS:
        errors.add("profession", _l("Profession inconnue. Choisissez parmi : %(list)s.", list=", ".join(PROFESSIONS)))
    inami = check_inami(errors, "inami_number", data.get("inami_number"))
    language = _language(errors, {"language": data.get("language") or "fr"})
    pin = _text(data, "pin") or "1234"
    if not (is_digits(pin) and 4 <= len(pin) <= 12):
        errors.add("pin", _l("Le code PIN compte de 4 à 12 chiffres."))
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


def care_provider_json(provider: CareProvider) -> dict[str, Any]:
    """A care provider as the control API shows it."""
    return {
        "id": provider.id,
        "niss": provider.person.niss,
        "first_name": provider.person.first_name,
        "last_name": provider.person.last_name,
        "profession": provider.profession,
        "ar78": provider.ar78,
        "inami_number": provider.project.inami_number,
    }


# ---------------------------------------------------------------------------------------------------------
# The MyCareNet inclusion application: who may use it, and what they may do there
# ---------------------------------------------------------------------------------------------------------


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
        else:
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
    projects = session.scalars(select(Project).where(Project.id.in_(ids)).order_by(Project.name)) if ids else []
    return [inclusion_access(session, person, project) for project in projects]


def inclusion_project(session: Session, person: Person, project_id: Any) -> InclusionAccess:
    """A project's inclusion application as this person sees it; NotFound for a project that does not exist."""
    project = session.get(Project, _record_id(project_id))
    if project is None:
        raise NotFound(project_id)
    return inclusion_access(session, person, project)


class InclusionRefused(Exception):
    """The person may not do this in the project's inclusion application; the reasons say why."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = tuple(str(r) for r in reasons)
        super().__init__("; ".join(self.reasons))


def require_function(access: InclusionAccess, function: str) -> None:
    """4.17: including and excluding need «Gestionnaire»; the list view needs «Coordinateur»."""
    if not access.granted:
        raise InclusionRefused(access.reasons)
    if not access.may(function):
        if function == GESTIONNAIRE:
            raise InclusionRefused([_l("Seul un « Gestionnaire » peut inclure et exclure des patients.")])
        raise InclusionRefused([_l("Seul un « Coordinateur » peut demander la vue de liste.")])


def _not_ended():
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
    inclusion = None
    if not errors.has("niss"):
        inclusion = open_inclusion(session, access.project, number)
        if inclusion is None:
            errors.add("niss", _l("Ce patient n'est pas inclus dans ce projet."))
    if inclusion is not None and end is not None and end < inclusion.start_date:
        errors.add("end_date", _l("La date de fin ne peut pas précéder la date de début."))
    errors.raise_if_any()
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


def inclusion_json(inclusion: Inclusion) -> dict[str, Any]:
    """An inclusion as the control API shows it."""
    return {
        "patient_niss": inclusion.patient_niss,
        "start_date": inclusion.start_date.isoformat(),
        "end_date": inclusion.end_date.isoformat() if inclusion.end_date else None,
        "included_by": inclusion.included_by.niss,
        "excluded_by": inclusion.excluded_by.niss if inclusion.excluded_by else None,
    }


# ---------------------------------------------------------------------------------------------------------
# The control API's views of the state
# ---------------------------------------------------------------------------------------------------------


def _person_json(person: Person) -> dict[str, Any]:
    return {
        "niss": person.niss,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "language": person.language,
        "sex": person.sex,
        "email": person.email,
        "phone": person.phone,
        "address": {"street": person.street, "postal_code": person.postal_code, "city": person.city},
        "username": person.account.username if person.account else None,
    }


def project_json(project: Project) -> dict[str, Any]:
    """A project as the control API shows it, with its SZV persons, registrations and CSAM members."""
    return {
        "id": project.id,
        "inami_number": project.inami_number,
        "name": project.name,
        "address": {"street": project.street, "postal_code": project.postal_code, "city": project.city},
        "persons": [dict(_person_json(sp.person), szv_role=sp.szv_role) for sp in project.szv_persons],
        "registrations": [registration_json(r) for r in project.registrations],
        "access_managers": [{"niss": m.person.niss, "kind": m.kind} for m in project.members if m.kind in (GAP, COGAP)],
        "members": [member_json(m) for m in project.members],
        "care_providers": [care_provider_json(c) for c in project.care_providers],
        "inclusions": [inclusion_json(i) for i in project.inclusions],
    }


def registration_json(registration: Registration) -> dict[str, Any]:
    """A registration as the control API shows it."""
    return {
        "id": registration.id,
        "request_number": registration.request_number,
        "inami_number": registration.project.inami_number,
        "gap_niss": registration.gap_person.niss,
        "email": registration.email,
        "phone": registration.phone,
        "credentials_by_post": registration.credentials_by_post,
        "status": registration.status,
        "created_at": registration.created_at.isoformat(timespec="seconds"),
        "signed_document_received_at": (
            registration.signed_document_received_at.isoformat(timespec="seconds")
            if registration.signed_document_received_at
            else None
        ),
    }


def member_json(member: Member) -> dict[str, Any]:
    """A CSAM member (GAP, co-GAP or user) of a project with applications and roles."""
    return {
        "id": member.id,
        "niss": member.person.niss,
        "first_name": member.person.first_name,
        "last_name": member.person.last_name,
        "kind": member.kind,
        "applications": member.applications,
        "roles": [
            {
                "function": r.function,
                "start_date": r.start_date.isoformat(),
                "end_date": r.end_date.isoformat() if r.end_date else None,
            }
            for r in member.roles
        ],
    }


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
    text = _text(args, name)
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
    """Join the person at the end of a loader path, with their account (_person_json reads it), to its rows."""
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


def export_state(session: Session, query: StateQuery | None = None) -> dict[str, Any]:
    """The state, for tests and tools: every project and person; with a query, the projects it picks (and,
    when it narrows them, only the persons they link) and the paging: `total` projects that match, `offset`,
    `limit`."""
    paged = query is not None
    query = query or StateQuery()
    picked = select(Project)
    if query.inami_number is not None:
        picked = picked.where(Project.inami_number == query.inami_number)
    page = picked.options(*_PROJECT_LOADERS).order_by(Project.id).offset(query.offset).limit(query.limit)
    projects = list(session.scalars(page))
    total = None
    if paged:
        # A page that holds the last matching project tells the total itself (the commonest case: a filter on
        # one INAMI number); only a full page, or an empty one past the start, needs counting.
        ends = (query.limit is None or len(projects) < query.limit) and (projects or not query.offset)
        total = (
            query.offset + len(projects)
            if ends
            else session.scalar(select(func.count()).select_from(picked.subquery()))
        )
    if query.narrowed:
        persons = _persons_of(projects)
    else:
        persons = list(session.scalars(select(Person).options(joinedload(Person.account)).order_by(Person.id)))
    state = {
        "today": clock.today().isoformat(),
        "projects": [project_json(p) for p in projects],
        "persons": [_person_json(p) for p in persons],
    }
    if paged:
        state.update(total=total, offset=query.offset, limit=query.limit)
    return state


def letters_for(session: Session, niss: str) -> list[dict[str, Any]]:
    """The letters sent by post to the person with this NISS (2.10)."""
    person = session.scalar(select(Person).where(Person.niss == clean_digits(niss)))
    if person is None:
        return []
    letters = session.scalars(select(Letter).where(Letter.person_id == person.id).order_by(Letter.id))
    return [
        {
            "kind": letter.kind,
            "subject": letter.subject,
            "body": letter.body,
            "sent_on": letter.sent_on.isoformat(),
            "delivered_by": letter.delivered_by.isoformat(),
        }
        for letter in letters
    ]
