"""The control API's JSON: projects, persons, registrations, members, care providers, inclusions, letters and
the state, built from the records the domain returns.

The domain rules return model objects; only the control API (and the tools and tests that read the state as
it does) turn them into JSON, here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..domain.models import COGAP, GAP, CareProvider, Inclusion, Letter, Member, Person, Project, Registration
from ..domain.rules.state import StatePage, StateQuery, letters_of, state_page


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


def inclusion_json(inclusion: Inclusion) -> dict[str, Any]:
    """An inclusion as the control API shows it."""
    return {
        "patient_niss": inclusion.patient_niss,
        "start_date": inclusion.start_date.isoformat(),
        "end_date": inclusion.end_date.isoformat() if inclusion.end_date else None,
        "included_by": inclusion.included_by.niss,
        "excluded_by": inclusion.excluded_by.niss if inclusion.excluded_by else None,
    }


def person_json(person: Person) -> dict[str, Any]:
    """A person as the control API shows them, with their address and user name (None without an account)."""
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
        "persons": [dict(person_json(sp.person), szv_role=sp.szv_role) for sp in project.szv_persons],
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


def letter_json(letter: Letter) -> dict[str, Any]:
    """A letter sent by post as the control API shows it."""
    return {
        "kind": letter.kind,
        "subject": letter.subject,
        "body": letter.body,
        "sent_on": letter.sent_on.isoformat(),
        "delivered_by": letter.delivered_by.isoformat(),
    }


def state_json(page: StatePage) -> dict[str, Any]:
    """GET /_mock/state's answer: the date of the mock, the projects and persons; with a query, its paging too:
    `total` projects that match, `offset`, `limit`."""
    state: dict[str, Any] = {
        "today": page.today.isoformat(),
        "projects": [project_json(p) for p in page.projects],
        "persons": [person_json(p) for p in page.persons],
    }
    if page.query is not None:
        state.update(total=page.total, offset=page.query.offset, limit=page.query.limit)
    return state


def export_state(session: Session, query: StateQuery | None = None) -> dict[str, Any]:
    """The state as GET /_mock/state answers it: every project and person, or the page a query picks."""
    return state_json(state_page(session, query))


def letters_for(session: Session, niss: str) -> list[dict[str, Any]]:
    """The letters sent by post to the person with this NISS (2.10), as GET /_mock/mailbox/<niss> lists them."""
    return [letter_json(letter) for letter in letters_of(session, niss)]
