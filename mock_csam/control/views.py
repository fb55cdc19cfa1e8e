"""JSON endpoints under /_mock/: reset, INAMI's SZV records, the whole state, letters, the back office."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..domain import rules
from ..domain.errors import FORM, Errors, NotFound, RuleViolation
from ..i18n import _
from ..web import store, transaction

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
        return jsonify(rules.project_json(project)), 201


@bp.get("/state")
def state():
    """The state as JSON: every project, or `?inami_number=` (exact) and a page `?offset=&limit=` (at most
    rules.STATE_PAGE_MAX); `total`, `offset` and `limit` say which part of the projects the answer holds."""
    query = rules.check_state_query(request.args)
    with transaction() as db:
        return jsonify(rules.export_state(db, query))


@bp.get("/mailbox/<niss>")
def mailbox(niss: str):
    """The letters sent by post to this person (none yet: an empty list)."""
    errors = Errors()
    number = rules.check_niss(errors, "niss", niss)
    errors.raise_if_any()
    with transaction() as db:
        return jsonify(niss=number, letters=rules.letters_for(db, number))


@bp.post("/registrations/<ref>/signed-document-received")
def signed_document_received(ref: str):
    """The eHealth back office receives the signed document: the GAP becomes active."""
    with transaction() as db:
        registration = rules.receive_signed_document(db, rules.registration_by_ref(db, ref))
        return jsonify(rules.registration_json(registration))


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
        return jsonify(rules.care_provider_json(provider)), 201
