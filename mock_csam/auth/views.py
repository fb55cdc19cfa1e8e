"""CSAM login (eID card reader simulation or user name + password) and logout."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..domain import rules
from ..domain.errors import FORM, RuleViolation
from ..faults import reader_failure, reader_message
from ..i18n import _
from ..web import log_in, log_out, safe_next, show_errors, transaction
from .forms import EidLoginForm, PasswordLoginForm

bp = Blueprint("auth", __name__, url_prefix="/csam")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """3.6 / 4.6: log in with the eID card or a user name and password, then go back where the person was."""
    # Prefixes keep the two forms' fields apart: each button submits only its own form.
    eid_form = EidLoginForm(prefix="eid")
    password_form = PasswordLoginForm(prefix="pwd")
    with transaction() as db:
        try:
            failure = reader_failure() if eid_form.submit.data else None
            if failure is not None:
                # The card reader fails before any card is read (the `eid_reader` fault): nobody is logged in.
                raise RuleViolation([(FORM, reader_message(failure))])
            if eid_form.submit.data and eid_form.validate_on_submit():
                person = rules.authenticate_eid(db, eid_form.niss.data, eid_form.pin.data)
                return _logged_in(db, person)
            if password_form.submit.data and password_form.validate_on_submit():
                person = rules.authenticate_password(db, password_form.username.data, password_form.password.data)
                return _logged_in(db, person)
        except RuleViolation as violation:
            show_errors(eid_form if eid_form.submit.data else password_form, violation)
        return render_template("auth/login.html", eid_form=eid_form, password_form=password_form)


def _logged_in(db, person):
    """Start the session and go back to the page that asked for the login."""
    log_in(db, person)
    return redirect(safe_next(request.args.get("next"), url_for("access.entities")))


@bp.post("/logout")
def logout():
    """End the session and go back to the access management's front page."""
    with transaction() as db:
        log_out(db)
    flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("access.home"))
