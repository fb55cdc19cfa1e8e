"""The MyCareNet inclusion application, reached through the CSAM login.

Who may enter and what they may do is decided by `rules.inclusion_access` (CSAM membership with the
application ticked and a role valid on the mock's date, or the AR78); a refusal shows its reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy.orm import Session

from ..domain import rules
from ..domain.errors import NotFound, RuleViolation
from ..domain.models import COORDINATEUR, GESTIONNAIRE, Inclusion, Person
from ..i18n import _l
from ..web import current_person, login_required, show_errors, transaction
from .forms import ExclusionForm, InclusionForm

bp = Blueprint("inclusion", __name__, url_prefix="/mycarenet/inclusion")

# The functions in the page's language (the same words as CSAM's roles page).
FUNCTION_NAMES = rules.FUNCTION_NAMES


@bp.errorhandler(NotFound)
def _not_found(_exc: NotFound):
    return render_template("errors/error.html", code=404, reason=None), 404


def _refused(access: rules.InclusionAccess | None, reasons: tuple[str, ...]):
    """403 with the reasons; the project is named only to someone linked to it."""
    project = access.project if access is not None and access.linked else None
    return render_template("inclusion/refused.html", project=project, reasons=reasons), 403


def _person(db: Session) -> Person:
    person = current_person(db)
    if person is None:
        # The login ended between the check and here (reset): treat as not found rather than fail.
        raise NotFound("login")
    return person


@bp.get("/")
@login_required
def home():
    """The projects this person is linked to, with what they may do in each, or why they may not."""
    with transaction() as db:
        accesses = rules.inclusion_projects(db, _person(db))
        return render_template("inclusion/home.html", accesses=accesses, function_names=FUNCTION_NAMES)


def _project_page(db: Session, pid: Any, forms: dict[str, Any] | None = None):
    person = _person(db)
    access = rules.inclusion_project(db, person, pid)
    if not access.granted:
        return _refused(access, access.reasons)
    forms = forms or {}
    return render_template(
        "inclusion/project.html",
        access=access,
        project=access.project,
        function_names=FUNCTION_NAMES,
        include_form=forms.get("inclure") or InclusionForm(formdata=None, prefix="inclure"),
        exclude_form=forms.get("exclure") or ExclusionForm(formdata=None, prefix="exclure"),
        gestionnaire=access.may(GESTIONNAIRE),
        coordinateur=access.may(COORDINATEUR),
    )


@bp.get("/<int:pid>/")
@login_required
def project(pid: int):
    """The project's page: the person's functions, then including and excluding or the list view."""
    with transaction() as db:
        return _project_page(db, pid)


class _Change(NamedTuple):
    """One of the two forms of a «Gestionnaire»: the form, the rule that does the work, its date field, the
    message once done."""

    form_class: type[InclusionForm] | type[ExclusionForm]
    rule: Callable[..., Inclusion]
    date_field: str
    done: Any


CHANGES = {
    "inclure": _Change(
        InclusionForm,
        rules.include_patient,
        "start_date",
        _l("Le patient %(niss)s est inclus à partir du %(date)s."),
    ),
    "exclure": _Change(
        ExclusionForm,
        rules.exclude_patient,
        "end_date",
        _l("Le patient %(niss)s est exclu à partir du %(date)s."),
    ),
}


@bp.post("/<int:pid>/<any(inclure, exclure):action>")
@login_required
def change(pid: int, action: str):
    """A «Gestionnaire» includes a patient (NISS, start date) or excludes an included one (NISS, end date).

    The work has its own transaction; a refusal shows the project page again with the message and what was
    typed, and someone without the «Gestionnaire» function gets the refusal page with the reason.
    """
    form_class, rule, date_field, done = CHANGES[action]
    form = form_class(prefix=action)
    violation = None
    if form.validate_on_submit():
        try:
            with transaction() as db:
                person = _person(db)
                access = rules.inclusion_project(db, person, pid)
                inclusion = rule(db, person, access, form.niss.data, getattr(form, date_field).data)
                message = str(done) % {
                    "niss": inclusion.patient_niss,
                    "date": getattr(inclusion, date_field).strftime("%d/%m/%Y"),
                }
        except rules.InclusionRefused as refused:
            with transaction() as db:
                return _refused(rules.inclusion_project(db, _person(db), pid), refused.reasons)
        except RuleViolation as exc:
            violation = exc
        else:
            flash(message, "success")
            return redirect(url_for(".project", pid=pid))
    with transaction() as db:
        if violation is not None:
            show_errors(form, violation)
        return _project_page(db, pid, {action: form})


@bp.get("/<int:pid>/vue-de-liste")
@login_required
def list_view(pid: int):
    """4.17: a «Coordinateur»'s list of the project's included patients."""
    with transaction() as db:
        access = rules.inclusion_project(db, _person(db), pid)
        try:
            inclusions = rules.list_view(db, access)
        except rules.InclusionRefused as refused:
            return _refused(access, refused.reasons)
        return render_template("inclusion/list_view.html", project=access.project, inclusions=inclusions)
