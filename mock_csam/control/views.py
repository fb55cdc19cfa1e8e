"""JSON endpoints under /_mock/: reset, INAMI's SZV records, the whole state, letters, the back office, and every
precondition a test needs (a GAP's designation, members and their roles, inclusions), each through the same rules
the screens use. See docs/control-api.md."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..domain import rules
from ..domain.errors import FORM, AccessDenied, Errors, InclusionRefused, NotFound, RuleViolation
from ..domain.models import COGAP, USER
from ..i18n import _
from ..web import store, transaction
from . import serialisers

bp = Blueprint("control", __name__, url_prefix="/_mock")


def _json_body():
    """The request's JSON body, or a 400 naming the problem."""
    body = request.get_json(silent=True)
    if body is None:
        raise RuleViolation([(FORM, _("Le corps de la requête doit être du JSON (Content-Type: application/json)."))])
    return body


@bp.errorhandler(RuleViolation)
def _violation(exc: RuleViolation):
    return jsonify(errors=exc.as_json()), 400


@bp.errorhandler(AccessDenied)
def _access_denied(exc: AccessDenied):
    return jsonify(errors=[{"field": "actor_niss", "message": str(exc)}]), 400


@bp.errorhandler(InclusionRefused)
def _inclusion_refused(exc: InclusionRefused):
    return jsonify(errors=[{"field": "by_niss", "message": reason} for reason in exc.reasons]), 400


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound):
    return jsonify(errors=[{"field": FORM, "message": _("Introuvable : %(ref)s", ref=str(exc))}]), 404


@bp.post("/reset")
def reset():
    """Empty the state."""
    store().reset()
    return jsonify(status="reset")


@bp.post("/szv/projects")
def create_project():
    """INAMI records a project and its persons (step 1)."""
    body = _json_body()
    with transaction() as db:
        project = rules.record_project(db, body)
        return jsonify(serialisers.project_json(project)), 201


@bp.get("/state")
def state():
    """The state as JSON: every project, or `?inami_number=` (exact) and a page `?offset=&limit=` (at most
    rules.STATE_PAGE_MAX); `total`, `offset` and `limit` say which part of the projects the answer holds."""
    query = rules.check_state_query(request.args)
    with transaction() as db:
        return jsonify(serialisers.export_state(db, query))


@bp.get("/mailbox/<niss>")
def mailbox(niss: str):
    """The letters sent by post to this person (none yet: an empty list)."""
    errors = Errors()
    number = rules.check_niss(errors, "niss", niss)
    errors.raise_if_any()
    with transaction() as db:
        letters = rules.letters_of(db, number)
        return jsonify(niss=number, letters=[serialisers.letter_json(letter) for letter in letters])


@bp.post("/registrations/<ref>/signed-document-received")
def signed_document_received(ref: str):
    """The eHealth back office receives the signed document: the GAP becomes active."""
    with transaction() as db:
        registration = rules.receive_signed_document(db, rules.registration_by_ref(db, ref))
        return jsonify(serialisers.registration_json(registration))


@bp.get("/clock")
def get_clock():
    """The date the mock lives on, and whether it was fixed."""
    clock = store().clock
    return jsonify(today=clock.today().isoformat(), fixed=clock.is_fixed)


@bp.post("/clock")
def set_clock():
    """`{"today": "YYYY-MM-DD"}` fixes the mock's date; `{"today": null}` follows the real date again."""
    today = rules.check_clock_date(_json_body())
    store().set_today(today)
    return get_clock()


@bp.post("/care-providers")
def create_care_provider():
    """INAMI's records: a care provider working for a project, with their profession (AR78 or not)."""
    body = _json_body()
    with transaction() as db:
        provider = rules.record_care_provider(db, body)
        return jsonify(serialisers.care_provider_json(provider)), 201


# ---------------------------------------------------------------------------------------------------------
# One project: its preconditions, its state, its deletion
# ---------------------------------------------------------------------------------------------------------


def _object(body: object, field: str = FORM) -> dict:
    if not isinstance(body, dict):
        raise RuleViolation([(field, _("Un objet JSON est attendu."))])
    return body


def _flag(body: dict, name: str) -> bool:
    """An optional true/false of the body (false when absent)."""
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise RuleViolation([(name, _("« %(name)s » vaut true ou false.", name=name))])
    return value


def _renamed(exc: RuleViolation, names: dict[str, str]) -> RuleViolation:
    """The same refusal with the rule's field names as the body spells them."""
    return RuleViolation([(names.get(field, field), message) for field, message in exc.errors])


@bp.get("/projects/<inami>")
def get_project(inami: str):
    """One project of the state, by INAMI number."""
    with transaction() as db:
        return jsonify(serialisers.project_json(rules.require_project(db, inami)))


@bp.delete("/projects/<inami>")
def delete_project(inami: str):
    """Forget the project with everything of it, and the persons it leaves linked to no project."""
    with transaction() as db:
        rules.delete_project(db, rules.require_project(db, inami))
        return jsonify(deleted=inami)


@bp.post("/projects/<inami>/registrations")
def create_registration(inami: str):
    """A GAP designation as steps 2.6-2.11 make it; `"signed": true` also receives the signed document (2.12)."""
    body = _object(_json_body())
    gap = _object(body.get("gap"), "gap")
    by_post, signed = _flag(body, "credentials_by_post"), _flag(body, "signed")
    with transaction() as db:
        project = rules.require_project(db, inami)
        try:
            registration = rules.submit_registration(
                db, rules.PROJECT_TYPE, project.inami_number, gap, credentials_by_post=by_post, confirmed=True
            )
        except RuleViolation as exc:
            raise _renamed(
                exc, {f: f"gap.{f}" for f in ("niss", "last_name", "first_name", "email", "phone", "language")}
            ) from None
        if signed:
            rules.receive_signed_document(db, registration)
        return jsonify(serialisers.registration_json(registration)), 201


@bp.post("/projects/<inami>/members")
def create_member(inami: str):
    """A co-GAP (`"kind": "cogap"`, by the GAP) or a user (`"kind": "user"`) added by an access manager (steps
    3.10-3.12 / 4.10-4.14), with the person's data, a user name and password the first time a NISS is seen, and
    the secure applications ticked."""
    body = _object(_json_body())
    kind = body.get("kind", USER)
    if kind not in (USER, COGAP):
        raise RuleViolation([("kind", _("« kind » vaut « user » ou « cogap »."))])
    applications = body.get("applications", [])
    if not isinstance(applications, list) or not all(isinstance(a, str) for a in applications):
        raise RuleViolation([("applications", _("« applications » est une liste de noms d'applications."))])
    with transaction() as db:
        actor = rules.access_manager(db, rules.require_project(db, inami), body.get("actor_niss"))
        cleaned = rules.check_member_data(db, actor, kind, body.get("niss"), body)
        return jsonify(serialisers.member_json(rules.create_member(db, actor, kind, cleaned, confirmed=True))), 201


@bp.put("/projects/<inami>/members/<member_id>/roles")
def set_roles(inami: str, member_id: str):
    """A member's functions with their dates (4.15-4.20), given by an access manager; replaces what they had."""
    body = _object(_json_body())
    functions = body.get("functions")
    if not isinstance(functions, list) or not all(isinstance(f, str) for f in functions):
        raise RuleViolation([("functions", _("« functions » est une liste : gestionnaire, coordinateur."))])
    with transaction() as db:
        actor = rules.access_manager(db, rules.require_project(db, inami), body.get("actor_niss"))
        member = rules.set_roles(db, actor, member_id, functions, body.get("start_date"), body.get("end_date"))
        return jsonify(serialisers.member_json(member))


def _inclusion_access(db, inami: str, by_niss):
    project = rules.require_project(db, inami)
    person = rules.require_person(db, by_niss)
    return person, rules.inclusion_access(db, person, project)


def _change_inclusion(inami: str, change, date_key: str):
    """Include or exclude (`change`) the body's patient on its `date_key`, by the body's person."""
    body = _object(_json_body())
    with transaction() as db:
        person, access = _inclusion_access(db, inami, body.get("by_niss"))
        try:
            inclusion = change(db, person, access, body.get("patient_niss"), body.get(date_key))
        except RuleViolation as exc:
            raise _renamed(exc, {"niss": "patient_niss"}) from None
        return serialisers.inclusion_json(inclusion)


@bp.post("/projects/<inami>/inclusions")
def include(inami: str):
    """A patient included from a start date by a person who may do so on the mock's date (a «Gestionnaire»)."""
    return jsonify(_change_inclusion(inami, rules.include_patient, "start_date")), 201


@bp.post("/projects/<inami>/exclusions")
def exclude(inami: str):
    """An included patient excluded from an end date by a person who may do so on the mock's date."""
    return jsonify(_change_inclusion(inami, rules.exclude_patient, "end_date"))
