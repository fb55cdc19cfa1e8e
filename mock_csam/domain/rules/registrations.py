"""Step 2: the designation of a project's main access manager (GAP), on both versions of the site.

The 2018 wizard (2.6-2.11) names the project and then the GAP's data; today's CSAM page (`current`) has the
logged-in representative register the institution and designate themselves. Both look the project up through
one helper, record the request the same way, and become active when the back office receives the signed
document (2.12-2.13), which also sends the GAP's user name and password by post when they asked for them.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ...i18n import _l, letter_language
from .. import clock
from ..errors import FORM, Errors, NotFound, RuleViolation
from ..models import ACTIVE, GAP, PENDING_SIGNATURE, Account, Letter, Member, Person, Project, Registration
from .fields import (
    INAMI_MESSAGES,
    INSTITUTION_NUMBER_MESSAGES,
    ascii_text,
    check_email,
    check_inami,
    check_language,
    check_niss,
    check_phone,
    check_required,
    is_record_id,
)
from .logins import earlier_outcome, remember_outcome
from .projects import active_gap, is_responsable, pending_registration, project_by_inami, require_person

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


@dataclass(frozen=True)
class _LookupWords:
    """How one version of the site names the two fields of step 2's lookup and words its refusals."""

    type_field: str
    number_field: str
    choose_type: Any
    number_messages: tuple
    unknown: Any
    mismatch: Callable[[Any], Any]


_WORDS_2018 = _LookupWords(
    type_field="identification_type",
    number_field="inami_number",
    choose_type=_l("Choisissez le type d'identification."),
    number_messages=INAMI_MESSAGES,
    unknown=_l(
        "Aucun projet n'est enregistré sous ce N°INAMI dans l'application SZV de l'INAMI. "
        "Vérifiez le numéro ou contactez l'INAMI."
    ),
    mismatch=lambda kind: _l("Aucune organisation de type « %(type)s » ne porte ce N°INAMI.", type=kind),
)
_WORDS_CURRENT = _LookupWords(
    type_field="institution_type",
    number_field="institution_number",
    choose_type=_l("Choisissez le type d'institution."),
    number_messages=INSTITUTION_NUMBER_MESSAGES,
    unknown=_l(
        "Aucune institution n'est enregistrée sous ce numéro dans sa source authentique (l'application SZV "
        "de l'INAMI). Vérifiez le numéro ou contactez l'INAMI."
    ),
    mismatch=lambda kind: _l("Aucune institution de type « %(type)s » ne porte ce numéro.", type=kind),
)


def _recorded_project(session: Session, words: _LookupWords, type_value: Any, number_value: Any) -> Project:
    """What both versions check first (2.6-2.7): a type from the list and a well-formed number (both reported
    at once), then a project recorded under that number, of the type chosen (only integrated-care projects are
    recorded, so another type is refused as a mismatch)."""
    errors = Errors()
    kind = "" if type_value is None else str(type_value)
    if kind not in IDENTIFICATION_TYPES:
        errors.add(words.type_field, words.choose_type)
    number = check_inami(errors, words.number_field, number_value, words.number_messages)
    errors.raise_if_any()
    project = project_by_inami(session, number)
    if project is None:
        raise RuleViolation([(words.number_field, words.unknown)])
    if kind != PROJECT_TYPE:
        raise RuleViolation([(words.type_field, words.mismatch(IDENTIFICATION_TYPES[kind]))])
    return project


def find_project_for_registration(session: Session, identification_type: Any, inami_number: Any) -> Project:
    """2.6-2.7: the project a registration is for, refused if it cannot get a (new) GAP."""
    project = _recorded_project(session, _WORDS_2018, identification_type, inami_number)
    _check_may_get_a_gap(_WORDS_2018.number_field, project)
    return project


def _check_may_get_a_gap(name: str, project: Project) -> None:
    """A project with a GAP, or with a designation waiting for its signed document, cannot get another one."""
    if active_gap(project) is not None:
        has_a_gap = _l(
            "Cette organisation a déjà un Gestionnaire d'Accès Principal. Il peut désigner des "
            "co-gestionnaires d'accès et des utilisateurs dans la Gestion d'accès pour Entreprises et "
            "Organisations."
        )
        raise RuleViolation([(name, has_a_gap)])
    pending = pending_registration(project)
    if pending is not None:
        waiting = _l(
            "Une demande de désignation est déjà en attente du document signé pour cette organisation "
            "(demande n° %(number)s).",
            number=pending.request_number,
        )
        raise RuleViolation([(name, waiting)])


def check_gap_data(session: Session, project: Project, data: Mapping[str, Any]) -> dict[str, str]:
    """2.9: the main access manager's data; the person must be a responsable of the project in SZV."""
    errors = Errors()
    niss = check_niss(errors, "niss", data.get("niss"))
    last = check_required(errors, data, "last_name", _l("Nom"))
    first = check_required(errors, data, "first_name", _l("Prénom"))
    email = check_email(errors, data)
    phone = check_phone(errors, data)
    language = check_language(errors, data)
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
    """A request number not given yet: CSAM-<year>-<six digits>."""
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
    earlier = earlier_outcome(session, submission, "registration")
    if earlier is not None:
        return registration_by_ref(session, earlier)
    project = find_project_for_registration(session, identification_type, inami_number)
    gap = check_gap_data(session, project, gap_data)
    if not confirmed:
        raise RuleViolation([("confirm", _l("Cochez la case « oui, je confirme » pour enregistrer la demande."))])
    # check_gap_data found the person among the project's responsables: they are known.
    person = require_person(session, gap["niss"])
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
    remember_outcome(session, submission, "registration", registration.request_number)
    session.flush()
    return registration


def find_institution_for_designation(
    session: Session, person: Person, institution_type: Any, institution_number: Any
) -> Project:
    """Today's CSAM page: the institution a logged-in person registers in CSAM, designating themselves its GAP.

    The checks of 2.6-2.7 in the page's words, plus the representative check that today comes before the
    GAP's data: the person must be a «responsable» of the project in INAMI's SZV records (the institution's
    authentic source). Only integrated-care projects are recorded, so another type is refused as a mismatch.
    """
    project = _recorded_project(session, _WORDS_CURRENT, institution_type, institution_number)
    if not is_responsable(project, person.niss):
        not_a_representative = _l(
            "Vous n'êtes pas reconnu(e) comme représentant de cette institution dans sa source authentique : "
            "seul un « responsable » du projet enregistré par l'INAMI (application SZV) peut enregistrer "
            "l'institution dans CSAM et se désigner Gestionnaire d'Accès Principal. Consultez INAMI "
            "Professionnel si vous pensez être représentant de cette institution."
        )
        raise RuleViolation([(_WORDS_CURRENT.number_field, not_a_representative)])
    _check_may_get_a_gap(_WORDS_CURRENT.number_field, project)
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
    earlier = earlier_outcome(session, submission, "registration")
    if earlier is not None:
        registration = registration_by_ref(session, earlier)
        if registration.gap_person_id != person.id:
            raise RuleViolation([(FORM, _l("Cette demande a déjà été traitée."))])
        return registration
    project = find_institution_for_designation(session, person, institution_type, institution_number)
    contact = contact if isinstance(contact, Mapping) else {}
    errors = Errors()
    email = check_email(errors, contact)
    phone = check_phone(errors, contact)
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
    if is_record_id(str(ref)):
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
    """The day `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _free_username(session: Session, person: Person) -> str:
    """A user name made of the person's names that no account has yet."""
    base = re.sub(r"[^A-Za-z0-9]", "", ascii_text(person.first_name + person.last_name))[:24] or "utilisateur"
    candidate, n = base, 1
    while session.scalar(select(Account).where(Account.username == candidate)) is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _send_credentials_by_post(session: Session, person: Person) -> None:
    """2.10: a new account for the person, its user name and password in two letters by post."""
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
