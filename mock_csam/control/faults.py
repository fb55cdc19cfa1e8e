"""`/_mock/faults`: QA's switches for bad days (see mock_csam/faults.py and docs/faults.md), and the hooks that
make the switched-on faults happen on every page of the site (never on /_mock/ itself, so they can always be
switched off).

- `GET /_mock/faults`: what is on, with what each fault did so far;
- `PUT` or `POST /_mock/faults` with a JSON object: switch the faults it names on (each replaces its earlier
  setting); 400 naming the field for an unknown fault, an unknown key or a bad value, and then nothing changes;
- `DELETE /_mock/faults`: every fault off; `DELETE /_mock/faults/<name>`: that one off.
"""

from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for

from ..domain.errors import RuleViolation
from ..faults import (
    NAMES,
    SIGNED_DOCUMENT,
    Faults,
    check_switches,
    current,
    is_control_path,
    unknown_fault_message,
)
from ..i18n import _
from ..web import log_out, write_transaction

bp = Blueprint("faults", __name__, url_prefix="/_mock/faults")

# The control API's call that delivers a signed document (mock_csam/control/views.py), which `signed_document`
# refuses.
SIGNED_DOCUMENT_ENDPOINT = "control.signed_document_received"


def faults() -> Faults:
    """The fault switches of the request's namespace (the default ones without a namespace)."""
    switches = current()
    assert switches is not None, "the app factory sets the switchboard up"
    return switches


def _state():
    return jsonify(faults=faults().snapshot())


@bp.errorhandler(RuleViolation)
def _violation(exc: RuleViolation):
    return jsonify(errors=exc.as_json()), 400


@bp.get("")
def list_faults():
    """What is on."""
    return _state()


@bp.route("", methods=["PUT", "POST"])
def switch_on():
    """Switch on the faults the JSON body names."""
    checked = check_switches(request.get_json(silent=True))
    faults().switch_on(checked)
    return _state()


@bp.delete("")
def switch_all_off():
    """Every fault off: the site behaves normally again."""
    faults().switch_off()
    return _state()


@bp.delete("/<name>")
def switch_off(name: str):
    """One fault off."""
    if name not in NAMES:
        raise RuleViolation([(name, unknown_fault_message())])
    faults().switch_off(name)
    return _state()


# ---------------------------------------------------------------------------------------------------------
# The faults, on every request of the site
# ---------------------------------------------------------------------------------------------------------


@bp.before_app_request
def _apply_faults():
    """Delay, answer an error page, expire the session or refuse a signed document, as switched on."""
    path = request.path
    switches = faults()
    if request.endpoint == SIGNED_DOCUMENT_ENDPOINT and switches.refuses_signed_document():
        return jsonify(
            errors=[
                {
                    "field": SIGNED_DOCUMENT,
                    "message": _(
                        "Le back-office eHealth ne reçoit jamais le document signé (panne « signed_document ») : "
                        "la demande reste en attente du document signé."
                    ),
                }
            ]
        ), 409
    if is_control_path(path):
        return None
    delay = switches.latency_ms(path)
    if delay:
        time.sleep(delay / 1000)  # the slow site QA asked for, served from this request's thread
    status = switches.error_status(path)
    if status is not None:
        response = current_app.make_response((render_template("errors/unavailable.html", code=status), status))
        response.headers["Retry-After"] = "120"
        return response
    login_id = session.get("sid")
    # Pages only: the style sheet and addresses the site does not have (a browser's /favicon.ico) are no requests
    # of the person's, and counting them would make the count depend on the browser.
    if login_id and request.endpoint not in (None, "static") and switches.session_expires(login_id):
        return _expire_session()
    return None


def _expire_session():
    """End the login as a timed-out session does: the next page is the login, saying why, then back here."""
    # A write even on a GET: the login ends on the server.
    with write_transaction() as db:
        log_out(db)
    flash(_("Votre session a expiré. Connectez-vous à nouveau pour continuer."), "error")
    back = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("auth.login", next=back))
