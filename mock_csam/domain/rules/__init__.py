"""Every rule of the mock: HTML views and the control API both call these functions, one concept per module.

- `fields`: checks of single fields (NISS, INAMI number, names, e-mail, phone, dates, addresses, passwords);
- `projects`: INAMI's records of projects and care providers (SZV), and the lookups other rules start from;
- `registrations`: step 2, the designation of the main access manager, on both versions of the site;
- `logins`: CSAM login by eID or password, login sessions, and forms sent twice;
- `members`: access management, adding and deleting co-GAPs and users, their secure applications;
- `roles`: the functions «Gestionnaire» and «Coordinateur» with their dates;
- `inclusion`: the MyCareNet inclusion application, who may use it and what they may do there;
- `state`: what the control API reads of the state (its JSON is built in mock_csam/control/serialisers.py).

Each function takes an open SQLAlchemy session (see `Store.transaction`), checks everything before it writes,
and raises `RuleViolation` with per-field messages when anything is wrong, so nothing is ever half-saved.
`from mock_csam.domain import rules; rules.record_project(...)` reaches every public name of these modules.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ...control.serialisers import (
    care_provider_json,
    inclusion_json,
    letter_json,
    member_json,
    project_json,
    registration_json,
    state_json,
)
from ..errors import AccessDenied, InclusionRefused
from .fields import (
    EMAIL_RE,
    INAMI_MESSAGES,
    INSTITUTION_NUMBER_MESSAGES,
    LANGUAGE_CODES,
    PASSWORD_MIN_LENGTH,
    PASSWORD_RULES,
    PHONE_RE,
    SEXES,
    USERNAME_RE,
    ascii_text,
    check_address,
    check_clock_date,
    check_email,
    check_inami,
    check_language,
    check_niss,
    check_phone,
    check_pin,
    check_required,
    field_text,
    is_record_id,
    parse_date,
    password_is_strong,
    record_id,
)
from .inclusion import (
    AR78_ACCESS_FROM,
    AR78_FUNCTIONS,
    InclusionAccess,
    exclude_patient,
    include_patient,
    inclusion_access,
    inclusion_project,
    inclusion_projects,
    list_view,
    open_inclusion,
    require_function,
)
from .logins import (
    authenticate_eid,
    authenticate_password,
    earlier_outcome,
    end_login_session,
    logged_in_person,
    new_submission_token,
    remember_outcome,
    start_login_session,
)
from .members import (
    NewMemberStart,
    access_manager,
    check_may_add,
    check_member_data,
    create_member,
    delete_members,
    managed_projects,
    manager_membership,
    may_add,
    may_change_applications,
    may_delete,
    project_member,
    set_applications,
    start_new_member,
    suggest_username,
)
from .projects import (
    active_gap,
    care_provider_is_recorded,
    delete_project,
    is_responsable,
    pending_registration,
    project_by_inami,
    record_care_provider,
    record_project,
    require_person,
    require_project,
)
from .registrations import (
    IDENTIFICATION_TYPES,
    POST_DELAY_WORKING_DAYS,
    PROJECT_TYPE,
    check_gap_data,
    designation_contact,
    find_institution_for_designation,
    find_project_for_registration,
    pending_registrations_of,
    receive_signed_document,
    registration_by_ref,
    submit_registration,
    submit_self_designation,
)
from .roles import (
    FUNCTION_NAMES,
    coordinator_count,
    set_roles,
)
from .state import (
    STATE_OFFSET_MAX,
    STATE_PAGE_MAX,
    StatePage,
    StateQuery,
    check_state_query,
    letters_of,
    state_page,
)

__all__ = [
    "AR78_ACCESS_FROM",
    "AR78_FUNCTIONS",
    "EMAIL_RE",
    "FUNCTION_NAMES",
    "IDENTIFICATION_TYPES",
    "INAMI_MESSAGES",
    "INSTITUTION_NUMBER_MESSAGES",
    "LANGUAGE_CODES",
    "PASSWORD_MIN_LENGTH",
    "PASSWORD_RULES",
    "PHONE_RE",
    "POST_DELAY_WORKING_DAYS",
    "PROJECT_TYPE",
    "SEXES",
    "STATE_OFFSET_MAX",
    "STATE_PAGE_MAX",
    "USERNAME_RE",
    "AccessDenied",
    "InclusionAccess",
    "InclusionRefused",
    "NewMemberStart",
    "StatePage",
    "StateQuery",
    "access_manager",
    "active_gap",
    "ascii_text",
    "authenticate_eid",
    "authenticate_password",
    "care_provider_is_recorded",
    "care_provider_json",
    "check_address",
    "check_clock_date",
    "check_email",
    "check_gap_data",
    "check_inami",
    "check_language",
    "check_may_add",
    "check_member_data",
    "check_niss",
    "check_phone",
    "check_pin",
    "check_required",
    "check_state_query",
    "coordinator_count",
    "create_member",
    "delete_members",
    "delete_project",
    "designation_contact",
    "earlier_outcome",
    "end_login_session",
    "exclude_patient",
    "export_state",
    "field_text",
    "find_institution_for_designation",
    "find_project_for_registration",
    "include_patient",
    "inclusion_access",
    "inclusion_json",
    "inclusion_project",
    "inclusion_projects",
    "is_record_id",
    "is_responsable",
    "letters_for",
    "letters_of",
    "list_view",
    "logged_in_person",
    "managed_projects",
    "manager_membership",
    "may_add",
    "may_change_applications",
    "may_delete",
    "member_json",
    "new_submission_token",
    "open_inclusion",
    "parse_date",
    "password_is_strong",
    "pending_registration",
    "pending_registrations_of",
    "project_by_inami",
    "project_json",
    "project_member",
    "receive_signed_document",
    "record_care_provider",
    "record_id",
    "record_project",
    "registration_by_ref",
    "registration_json",
    "remember_outcome",
    "require_function",
    "require_person",
    "require_project",
    "set_applications",
    "set_roles",
    "start_login_session",
    "start_new_member",
    "state_page",
    "submit_registration",
    "submit_self_designation",
    "suggest_username",
]


# The state and letters as the control API shows them, for the tests and the harness that read the state as a
# tester would; the harness's seeding also reaches the serialisers above through here.
def export_state(session: Session, query: StateQuery | None = None) -> dict[str, Any]:
    """The state as GET /_mock/state answers it: every project and person, or the page a query picks."""
    return state_json(state_page(session, query))


def letters_for(session: Session, niss: str) -> list[dict[str, Any]]:
    """The letters sent by post to the person with this NISS (2.10), as GET /_mock/mailbox/<niss> lists them."""
    return [letter_json(letter) for letter in letters_of(session, niss)]
