"""The CSAM registration wizard (2.6-2.13): type and INAMI number, organisation, GAP, confirmation, finalisation.

The answers live in the session (see drafts.py) until «Enregistrer»; every step checks again everything before
it through the rules, so a stale or forged session can never store anything the rules would refuse.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, send_file, session, url_for
from sqlalchemy.orm import Session

from ..domain import rules
from ..domain.errors import NotFound, RuleViolation
from ..domain.models import ACTIVE, PENDING_SIGNATURE, Project, Registration
from ..i18n import _
from ..web import is_current_site, show_errors, transaction
from . import LANGUAGE_NAMES
from .document import SIGNED_DOCUMENT_EMAIL, SIGNED_DOCUMENT_POSTAL_ADDRESS, registration_pdf
from .drafts import OWNED, StepMissing, back_to_step, load_draft, record_request, save_draft
from .forms import ConfirmationForm, GapForm, IdentificationForm, OrganisationForm

bp = Blueprint("registration", __name__, url_prefix="/csam/registration")
bp.register_error_handler(StepMissing, back_to_step)

GAP_FIELDS = ("niss", "last_name", "first_name", "email", "phone", "language")
# The wizard's steps (2.6-2.11). Today's site has no such wizard: its designation starts on CSAM's own page
# (blueprint camregistration) and ends on the finalisation page and document below, which both versions share.
WIZARD_STEPS = frozenset(
    {"registration.start", "registration.organisation", "registration.gap", "registration.confirmation"}
)


@bp.before_request
def _wizard_only_on_the_manuals_site():
    """In site version `current` the wizard's pages do not exist (404), as on today's CSAM."""
    if request.endpoint in WIZARD_STEPS and is_current_site():
        abort(404)


def _project(db: Session, draft: dict[str, Any]) -> Project:
    """The project of steps 2.6-2.7, checked again; back to the first step when it no longer passes."""
    _require(draft, "identification_type", "inami_number")
    try:
        return rules.find_project_for_registration(db, draft["identification_type"], draft["inami_number"])
    except RuleViolation as exc:
        raise StepMissing("registration.start", [str(m) for _f, m in exc.errors]) from None


def _require(draft: dict[str, Any], *keys: str) -> None:
    """Send a browser that skipped a step back to the first one."""
    if not all(draft.get(k) for k in keys):
        raise StepMissing(
            "registration.start",
            [_("Les étapes précédentes n'ont pas été complétées : recommencez la demande à cette étape.")],
            "warning",
        )


def _gap(db: Session, project: Project, draft: dict[str, Any]) -> dict[str, str]:
    """The GAP data of step 2.9, checked again; back to that step when they no longer pass."""
    _require(draft, "organisation_confirmed", "gap")
    try:
        return rules.check_gap_data(db, project, draft["gap"])
    except RuleViolation as exc:
        raise StepMissing("registration.gap", [str(m) for _f, m in exc.errors]) from None


@bp.route("/", methods=["GET", "POST"])
def start():
    """2.6-2.7: choose «Projet de soins intégrés» and type the project's INAMI number."""
    draft = load_draft()
    form = IdentificationForm(data={k: draft.get(k, "") for k in ("identification_type", "inami_number")})
    with transaction() as db:
        if form.validate_on_submit():
            try:
                project = rules.find_project_for_registration(db, form.identification_type.data, form.inami_number.data)
            except RuleViolation as exc:
                show_errors(form, exc)
            else:
                same = (
                    draft.get("identification_type") == form.identification_type.data
                    and draft.get("inami_number") == project.inami_number
                )
                # Another organisation makes what was typed for the previous one meaningless.
                carried = ("organisation_confirmed", "gap", "submission")
                kept: dict[str, Any] = {k: draft[k] for k in carried if same and k in draft}
                save_draft(
                    {
                        "identification_type": form.identification_type.data,
                        "inami_number": project.inami_number,
                        "submission": rules.new_submission_token(),
                        **kept,
                    }
                )
                return redirect(url_for("registration.organisation"))
        return render_template("registration/start.html", form=form)


@bp.route("/organisation", methods=["GET", "POST"])
def organisation():
    """2.8: the organisation's data as INAMI recorded them, to check before going on."""
    draft = load_draft()
    form = OrganisationForm()
    with transaction() as db:
        project = _project(db, draft)
        if form.validate_on_submit():
            draft["organisation_confirmed"] = True
            save_draft(draft)
            return redirect(url_for("registration.gap"))
        return render_template("registration/organisation.html", form=form, project=project)


@bp.route("/gestionnaire", methods=["GET", "POST"])
def gap():
    """2.9: the main access manager's data; only a responsable of the project may be designated."""
    draft = load_draft()
    saved = draft.get("gap")
    if not isinstance(saved, dict):
        saved = {}
    form = GapForm(data={k: saved.get(k, "fr" if k == "language" else "") for k in GAP_FIELDS})
    with transaction() as db:
        _require(draft, "organisation_confirmed")
        project = _project(db, draft)
        if form.validate_on_submit():
            try:
                cleaned = rules.check_gap_data(db, project, {k: getattr(form, k).data for k in GAP_FIELDS})
            except RuleViolation as exc:
                show_errors(form, exc)
            else:
                draft["gap"] = cleaned
                save_draft(draft)
                return redirect(url_for("registration.confirmation"))
        return render_template("registration/gap.html", form=form, project=project)


@bp.route("/confirmation", methods=["GET", "POST"])
def confirmation():
    """2.10-2.11: the summary, credentials by post if wanted, «oui, je confirme» and «Enregistrer»."""
    draft = load_draft()
    _require(draft, "identification_type", "inami_number", "organisation_confirmed", "gap")
    form = ConfirmationForm()
    if form.validate_on_submit():
        recorded = record_request(
            form,
            lambda db: rules.submit_registration(
                db,
                draft["identification_type"],
                draft["inami_number"],
                draft["gap"],
                credentials_by_post=form.credentials_by_post.data,
                confirmed=form.confirm.data,
                submission=draft.get("submission"),
            ),
        )
        if recorded is not None:
            return recorded
    with transaction() as db:
        if form.is_submitted():
            # A refused «Enregistrer» stays on this page with its messages, showing what was answered.
            project = rules.project_by_inami(db, draft["inami_number"])
            if project is None:
                raise StepMissing("registration.start", [str(m) for m in getattr(form, "page_errors", [])])
            gap_data = draft["gap"]
        else:
            project = _project(db, draft)
            gap_data = _gap(db, project, draft)
        return render_template(
            "registration/confirmation.html", form=form, project=project, gap=gap_data, language_names=LANGUAGE_NAMES
        )


def _owned_registration(db: Session, request_number: str) -> Registration:
    """A registration made in this browser; 404 for any other, so a number alone reveals nothing."""
    if request_number not in session.get(OWNED, []):
        abort(404)
    try:
        registration = rules.registration_by_ref(db, request_number)
    except NotFound:
        abort(404)
    if registration.request_number != request_number:
        abort(404)
    return registration


@bp.get("/<request_number>/finalisation")
def finalisation(request_number: str):
    """2.12-2.13: the request's number and status, the document to download and the two ways to sign it."""
    with transaction() as db:
        registration = _owned_registration(db, request_number)
        status = {PENDING_SIGNATURE: _("En attente du document signé"), ACTIVE: _("Active")}.get(
            registration.status, registration.status
        )
        return render_template(
            "registration/finalisation.html",
            registration=registration,
            status=status,
            active=registration.status == ACTIVE,
            email=SIGNED_DOCUMENT_EMAIL,
            postal_address=SIGNED_DOCUMENT_POSTAL_ADDRESS,
        )


@bp.get("/<request_number>/document.pdf")
def document(request_number: str):
    """2.12-2.13: the request as a PDF to sign, downloaded as demande-<number>.pdf."""
    with transaction() as db:
        registration = _owned_registration(db, request_number)
        pdf = registration_pdf(registration)
    response = send_file(
        io.BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"demande-{request_number}.pdf",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
