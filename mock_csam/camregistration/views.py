"""Today's CSAM registration page (site version `current`): the institution, then the confirmation.

The portal's three «Enregistrez-vous via le site CSAM» links lead to
`/app032/camregistration/?processType=EH_ORGANIZATION&locale=fr`. The person logs in first (the representative
check needs to know who asks), chooses the type of institution and types its number; «Enregistrer mon
institution dans CSAM» leads to a confirmation page that keeps the rest of the manual's path (the summary, the
GAP's contact data, 2.10 credentials by post, 2.11 «oui, je confirme» and «Enregistrer»), and «Enregistrer»
records the request as the 2018 wizard does and ends on the same finalisation page (2.12-2.13).

The answers live in the same session draft as the 2018 wizard's (registration.drafts) until «Enregistrer»;
each page checks them again through the rules, for the person logged in now.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy.orm import Session

from ..domain import rules
from ..domain.errors import RuleViolation
from ..domain.models import Person
from ..i18n import _
from ..registration.drafts import StepMissing, back_to_step, load_draft, record_request, save_draft
from ..web import current_person, login_required, show_errors, transaction
from .forms import DesignationConfirmationForm, InstitutionForm

bp = Blueprint("camregistration", __name__, url_prefix="/app032/camregistration")
bp.register_error_handler(StepMissing, back_to_step)

# The one process the mock simulates: an organisation's registration.
PROCESS_TYPE = "EH_ORGANIZATION"


@bp.before_request
def _known_process_only():
    """A processType other than the organisation's registration is a page that does not exist."""
    if (
        request.endpoint != "camregistration.help_page"
        and request.args.get("processType", PROCESS_TYPE) != PROCESS_TYPE
    ):
        abort(404)


def _locale() -> str:
    """The page's language, which every URL of the process names (`locale`): the URL's own when the mock has its
    catalogue (i18n.select_locale reads it), else the session's; a «de» or «en» the mock cannot show names the
    language the page is actually shown in from then on."""
    return str(get_locale())


def _page_args() -> dict[str, Any]:
    """The query every URL of the process carries (for url_for, whose keywords take any value)."""
    return {"processType": PROCESS_TYPE, "locale": _locale()}


def _render(template: str, **context: Any) -> str:
    """A page of the process (the header's language links are every page's, see base.html)."""
    return render_template(template, locale=_locale(), page_args=_page_args(), **context)


def _person(db: Session) -> Person:
    """The logged-in person; one whose login ended meanwhile logs in again and comes back here."""
    person = current_person(db)
    if person is None:
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    return person


def _back_to_start(messages: list[str], category: str = "error") -> StepMissing:
    return StepMissing("camregistration.start", messages, category, **_page_args())


@bp.route("/", methods=["GET", "POST"])
@login_required
def start():
    """«Désigner un Gestionnaire d'Accès Principal»: the type of institution and its number."""
    draft = load_draft()
    form = InstitutionForm(
        data={
            "institution_type": draft.get("identification_type", ""),
            "institution_number": draft.get("inami_number", ""),
        }
    )
    with transaction() as db:
        person = _person(db)
        if form.validate_on_submit():
            try:
                project = rules.find_institution_for_designation(
                    db, person, form.institution_type.data, form.institution_number.data
                )
            except RuleViolation as exc:
                show_errors(form, exc)
            else:
                same = (
                    draft.get("identification_type") == form.institution_type.data
                    and draft.get("inami_number") == project.inami_number
                    and draft.get("submission")
                )
                save_draft(
                    {
                        "identification_type": form.institution_type.data,
                        "inami_number": project.inami_number,
                        "submission": draft["submission"] if same else rules.new_submission_token(),
                    }
                )
                return redirect(url_for("camregistration.confirmation", **_page_args()))
        return _render("camregistration/start.html", form=form)


@bp.route("/confirmation", methods=["GET", "POST"])
@login_required
def confirmation():
    """After «Enregistrer mon institution dans CSAM»: the summary, the GAP's contact data, 2.10 and 2.11."""
    draft = load_draft()
    if not (draft.get("identification_type") and draft.get("inami_number")):
        raise _back_to_start(
            [_("Les étapes précédentes n'ont pas été complétées : recommencez la demande à cette étape.")], "warning"
        )
    form = DesignationConfirmationForm()
    if form.validate_on_submit():
        recorded = record_request(
            form,
            lambda db: rules.submit_self_designation(
                db,
                _person(db),
                draft["identification_type"],
                draft["inami_number"],
                {"email": form.email.data, "phone": form.phone.data},
                credentials_by_post=form.credentials_by_post.data,
                confirmed=form.confirm.data,
                submission=draft.get("submission"),
            ),
        )
        if recorded is not None:
            return recorded
    with transaction() as db:
        person = _person(db)
        if form.is_submitted():
            # A refused «Enregistrer» stays on this page with its messages, showing what was answered.
            project = rules.project_by_inami(db, str(draft["inami_number"]))
            if project is None:
                raise _back_to_start([str(m) for m in getattr(form, "page_errors", [])])
        else:
            try:
                project = rules.find_institution_for_designation(
                    db, person, draft["identification_type"], draft["inami_number"]
                )
            except RuleViolation as exc:
                raise _back_to_start([str(m) for _f, m in exc.errors]) from None
            contact = rules.designation_contact(person)
            form.email.data, form.phone.data = contact["email"], contact["phone"]
        institution_type = rules.IDENTIFICATION_TYPES.get(str(draft["identification_type"]), "")
        return _render(
            "camregistration/confirmation.html",
            form=form,
            project=project,
            person=person,
            institution_type=institution_type,
        )


@bp.get("/aide")
def help_page():
    """«Aide»: who may register an institution, and what follows."""
    return _render("camregistration/help.html")
