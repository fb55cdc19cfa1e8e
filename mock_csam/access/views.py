"""CSAM access management: choose the enterprise and the quality, then users, co-GAPs, roles and deletion."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from sqlalchemy.orm import Session

from ..domain import rules
from ..domain.errors import NotFound, RuleViolation
from ..domain.models import COGAP, GAP, USER, Member
from ..i18n import _
from ..web import current_person, login_required, show_errors, transaction
from .forms import (
    APPLICATION_LABELS,
    DATE_FORMAT,
    DELETE_ACTION,
    FUNCTION_DESCRIPTIONS,
    FUNCTION_LABELS,
    LANGUAGE_LABELS,
    ApplicationsForm,
    ConfirmForm,
    DeleteForm,
    MemberDataForm,
    NissForm,
    RolesForm,
)

bp = Blueprint("access", __name__, url_prefix="/csam/access")

# The add-member wizard serves both kinds under their own URL segment; the prefix keeps the two NISS
# fields of the users page apart (ids `user-niss` and `cogap-niss`).
KINDS = {"utilisateurs": USER, "cogestionnaires": COGAP}
NISS_PREFIX = {USER: "user", COGAP: "cogap"}
SEGMENTS = "<any(utilisateurs, cogestionnaires):segment>"
DRAFTS = "member_draft"
# Read-only inputs look different from the ones to fill in.
READ_ONLY = {"readonly": True, "style": "background:#eceff3;border-style:dashed"}


@bp.errorhandler(NotFound)
def _not_found(_exc: NotFound):
    # The same page as for a project that does not exist: nobody learns what others manage.
    return render_template("errors/error.html", code=404, reason=None), 404


@bp.errorhandler(rules.AccessDenied)
def _denied(_exc: rules.AccessDenied):
    return render_template("errors/error.html", code=403, reason=None), 403


def _actor(db: Session, pid: Any) -> Member:
    """The logged-in person's GAP or co-GAP membership of the project (NotFound otherwise)."""
    person = current_person(db)
    if person is None:
        # The person vanished (state reset) after logging in: log in again.
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    return rules.manager_membership(db, person, pid)


# ---------------------------------------------------------------------------------------------------------
# The enterprise and the quality (3.5-3.9, 4.5-4.9)
# ---------------------------------------------------------------------------------------------------------


@bp.get("/")
def home():
    """3.5-3.6 / 4.5-4.6: the access management's front page with «se connecter»."""
    login_url = url_for(".entities") if session.get("person_id") else url_for("auth.login", next=url_for(".entities"))
    return render_template("access/home.html", login_url=login_url)


@bp.get("/entites")
@login_required
def entities():
    """3.7 / 4.7: the projects this person manages; a pending designation is explained instead."""
    with transaction() as db:
        person = current_person(db)
        if person is None:
            return redirect(url_for("auth.login", next=url_for(".entities")))
        return render_template(
            "access/entities.html",
            projects=rules.managed_projects(db, person),
            pending=rules.pending_registrations_of(db, person),
        )


@bp.get("/<int:pid>/")
@login_required
def project(pid: int):
    """3.8 / 4.8: choose the quality «Organisation reconnue par l'INAMI»."""
    with transaction() as db:
        actor = _actor(db, pid)
        return render_template("access/project.html", project=actor.project)


@bp.get("/<int:pid>/inami/")
@login_required
def functionalities(pid: int):
    """3.9 / 4.9 / 4.15: the «Fonctionnalités» menu of the project."""
    with transaction() as db:
        actor = _actor(db, pid)
        return render_template("access/functionalities.html", project=actor.project, actor=actor)


# ---------------------------------------------------------------------------------------------------------
# Users page, NISS step, deletion (3.10, 4.10, 4.22)
# ---------------------------------------------------------------------------------------------------------


def _render_users(db: Session, actor: Member, forms: dict[str, Any] | None = None, status: int = 200):
    """The users page, with any submitted form shown again with its messages."""
    forms = forms or {}
    user_form = forms.get(USER) or NissForm(formdata=None, prefix=NISS_PREFIX[USER])
    cogap_form = None
    if rules.may_add(actor, COGAP):
        cogap_form = forms.get(COGAP) or NissForm(formdata=None, prefix=NISS_PREFIX[COGAP])
    delete_form = forms.get("delete") or DeleteForm(formdata=None)
    ticked = {str(v) for v in (delete_form.selected.data or [])}
    rows = [
        {
            "member": m,
            "deletable": rules.may_delete(actor, m),
            "editable": rules.may_change_applications(actor, m),
            "ticked": str(m.id) in ticked,
            "applications": [APPLICATION_LABELS.get(a, a) for a in m.applications],
        }
        for m in actor.project.members
    ]
    return render_template(
        "access/users.html",
        project=actor.project,
        actor=actor,
        rows=rows,
        user_form=user_form,
        cogap_form=cogap_form,
        delete_form=delete_form,
        kind_labels=_kind_labels(),
    ), status


def _kind_labels() -> dict[str, str]:
    return {
        GAP: _("Gestionnaire d'Accès Principal"),
        COGAP: _("Co-gestionnaire principal d'accès"),
        USER: _("Utilisateur"),
    }


@bp.get("/<int:pid>/inami/utilisateurs")
@login_required
def users(pid: int):
    """4.9 / 4.22: the project's members, the deletion form and the two «Ajout» regions."""
    with transaction() as db:
        return _render_users(db, _actor(db, pid))


@bp.post(f"/<int:pid>/inami/{SEGMENTS}/nouveau")
@login_required
def new_member(pid: int, segment: str):
    """3.10 / 4.10: the NISS of the person to add; on error the users page again with the message."""
    kind = KINDS[segment]
    form = NissForm(prefix=NISS_PREFIX[kind])
    with transaction() as db:
        actor = _actor(db, pid)
        rules.check_may_add(actor, kind)
        if form.validate_on_submit():
            try:
                start = rules.start_new_member(db, actor, kind, form.niss.data)
            except RuleViolation as violation:
                show_errors(form, violation)
            else:
                _save_draft(pid, kind, {"niss": start.niss, "submission": rules.new_submission_token()})
                return redirect(url_for(".member_data", pid=pid, segment=segment))
        return _render_users(db, actor, {kind: form})


@bp.post("/<int:pid>/inami/utilisateurs/action")
@login_required
def users_action(pid: int):
    """4.22: run the chosen action («Supprimer utilisateur(s)») on the ticked members."""
    form = DeleteForm()
    violation = None
    if form.validate_on_submit():
        if form.action.data != DELETE_ACTION:
            form.action.errors.append(_("Choisissez une action."))
        else:
            try:
                # Its own transaction: a refusal leaves the project exactly as it was.
                with transaction() as db:
                    deleted = rules.delete_members(db, _actor(db, pid), form.selected.data)
            except RuleViolation as exc:
                violation = exc
            else:
                flash(_("%(n)s utilisateur(s) supprimé(s).", n=len(deleted)), "success")
                return redirect(url_for(".users", pid=pid))
    with transaction() as db:
        actor = _actor(db, pid)
        if violation is not None:
            show_errors(form, violation)
        return _render_users(db, actor, {"delete": form})


# ---------------------------------------------------------------------------------------------------------
# The add-member wizard: data form, then confirmation (3.11-3.12, 4.11-4.14)
# ---------------------------------------------------------------------------------------------------------


def _draft_key(pid: int, kind: str) -> str:
    return f"{pid}:{kind}"


def _draft(pid: int, kind: str) -> dict[str, Any] | None:
    """The wizard's answers so far for this project and kind (never a clear password)."""
    return (session.get(DRAFTS) or {}).get(_draft_key(pid, kind))


def _save_draft(pid: int, kind: str, draft: dict[str, Any]) -> None:
    drafts = dict(session.get(DRAFTS) or {})
    drafts[_draft_key(pid, kind)] = draft
    session[DRAFTS] = drafts


def _drop_draft(pid: int, kind: str) -> None:
    drafts = dict(session.get(DRAFTS) or {})
    drafts.pop(_draft_key(pid, kind), None)
    session[DRAFTS] = drafts


@bp.route(f"/<int:pid>/inami/{SEGMENTS}/nouveau/donnees", methods=["GET", "POST"])
@login_required
def member_data(pid: int, segment: str):
    """3.11 / 4.11-4.13: the new member's data; checked by the rules, kept in the session until confirmed."""
    kind = KINDS[segment]
    with transaction() as db:
        actor = _actor(db, pid)
        rules.check_may_add(actor, kind)
        draft = _draft(pid, kind)
        if not draft:
            return redirect(url_for(".users", pid=pid))
        try:
            start = rules.start_new_member(db, actor, kind, draft["niss"])
        except RuleViolation as violation:
            # The NISS was valid at the first step but someone registered this person since.
            _drop_draft(pid, kind)
            for message in violation.for_field("niss"):
                flash(message, "error")
            return redirect(url_for(".users", pid=pid))

        form = MemberDataForm()
        if request.method == "GET":
            _prefill(form, draft.get("cleaned"), start.person)
        form.niss.data = start.niss
        form.niss.render_kw = READ_ONLY
        if start.person is not None:
            # Known NISS: the name comes from the records and cannot be changed here.
            form.last_name.data, form.first_name.data = start.person.last_name, start.person.first_name
            form.last_name.render_kw = form.first_name.render_kw = READ_ONLY
        if form.validate_on_submit():
            try:
                cleaned = rules.check_member_data(db, actor, kind, start.niss, form.for_rules())
            except RuleViolation as violation:
                show_errors(form, violation)
            else:
                _save_draft(pid, kind, {"niss": start.niss, "cleaned": cleaned, "submission": draft.get("submission")})
                return redirect(url_for(".member_confirmation", pid=pid, segment=segment))
        suggestion = rules.suggest_username(form.first_name.data, form.last_name.data)
        if start.needs_account and suggestion:
            # Only a placeholder: the manager types the user name (the manual only recommends this form).
            form.username.render_kw = {"placeholder": suggestion, "autocomplete": "off"}
        return render_template(
            "access/member_data.html",
            project=actor.project,
            kind=kind,
            segment=segment,
            form=form,
            needs_account=start.needs_account,
            known=start.person is not None,
            suggestion=suggestion,
            password_rules=rules.PASSWORD_RULES,
        )


def _prefill(form: MemberDataForm, cleaned: dict[str, Any] | None, person) -> None:
    """Show what was entered before (coming back to the form) or what the records know of the person."""
    if cleaned:
        for name in ("last_name", "first_name", "email", "phone", "language", "username"):
            getattr(form, name).data = cleaned.get(name) or ""
        form.applications.data = list(cleaned.get("applications") or [])
    elif person is not None:
        form.email.data = person.email or ""
        form.phone.data = person.phone or ""
        form.language.data = person.language or "fr"


@bp.route(f"/<int:pid>/inami/{SEGMENTS}/nouveau/confirmation", methods=["GET", "POST"])
@login_required
def member_confirmation(pid: int, segment: str):
    """3.12 / 4.14: nothing is stored before «Confirmer»; «Annuler» drops the draft."""
    kind = KINDS[segment]
    form = ConfirmForm()
    submitted = form.validate_on_submit()
    draft = _draft(pid, kind)
    violation = None
    if submitted and form.confirm.data and draft and draft.get("cleaned"):
        try:
            with transaction() as db:
                member = rules.create_member(
                    db, _actor(db, pid), kind, draft["cleaned"], confirmed=True, submission=draft.get("submission")
                )
                name = member.person.full_name
        except RuleViolation as exc:
            violation = exc
        else:
            _drop_draft(pid, kind)
            if kind == COGAP:
                flash(_("Le co-gestionnaire principal d'accès %(name)s a été créé.", name=name), "success")
            else:
                flash(_("L'utilisateur %(name)s a été créé.", name=name), "success")
            return redirect(url_for(".users", pid=pid))
    with transaction() as db:
        actor = _actor(db, pid)
        rules.check_may_add(actor, kind)
        if submitted and form.cancel.data:
            _drop_draft(pid, kind)
            flash(_("La création a été annulée : rien n'a été enregistré."), "success")
            return redirect(url_for(".users", pid=pid))
        if not draft:
            return redirect(url_for(".users", pid=pid))
        if not draft.get("cleaned"):
            return redirect(url_for(".member_data", pid=pid, segment=segment))
        if violation is not None:
            show_errors(form, violation)
        return render_template(
            "access/member_confirmation.html",
            project=actor.project,
            kind=kind,
            segment=segment,
            form=form,
            cleaned=draft["cleaned"],
            applications=APPLICATION_LABELS,
            languages=LANGUAGE_LABELS,
        )


@bp.route("/<int:pid>/inami/utilisateurs/<int:member_id>/applications", methods=["GET", "POST"])
@login_required
def member_applications(pid: int, member_id: int):
    """Change the secure applications of someone already registered (e.g. tick the inclusion one, 4.12)."""
    form = ApplicationsForm()
    violation = None
    if form.validate_on_submit():
        try:
            with transaction() as db:
                member = rules.set_applications(db, _actor(db, pid), member_id, form.applications.data or [])
                name = member.person.full_name
        except RuleViolation as exc:
            violation = exc
        else:
            flash(_("Les applications sécurisées de %(name)s ont été enregistrées.", name=name), "success")
            return redirect(url_for(".users", pid=pid))
    with transaction() as db:
        actor = _actor(db, pid)
        member = rules.project_member(db, actor, member_id)
        if not rules.may_change_applications(actor, member):
            raise rules.AccessDenied(member_id)
        if violation is not None:
            show_errors(form, violation)
        elif request.method == "GET":
            form.applications.data = member.applications
        return render_template("access/member_applications.html", project=actor.project, member=member, form=form)


# ---------------------------------------------------------------------------------------------------------
# Functions and roles (4.15-4.21)
# ---------------------------------------------------------------------------------------------------------


@bp.get("/<int:pid>/inami/fonctions")
@login_required
def functions(pid: int):
    """4.15-4.16: every member with their current functions and the icon to change them."""
    with transaction() as db:
        actor = _actor(db, pid)
        coordinators = rules.coordinator_count(actor.project)
        return render_template(
            "access/functions.html",
            project=actor.project,
            actor=actor,
            kind_labels=_kind_labels(),
            function_labels=FUNCTION_LABELS,
            coordinators=coordinators,
            too_many_coordinators=coordinators > current_app.config["COORDINATOR_WARNING_THRESHOLD"],
        )


@bp.route("/<int:pid>/inami/fonctions/<int:member_id>", methods=["GET", "POST"])
@login_required
def member_roles(pid: int, member_id: int):
    """4.17-4.21: choose the functions and dates; «Ajouter» replaces what the member had."""
    form = RolesForm()
    added = False
    violation = None
    if form.validate_on_submit():
        try:
            with transaction() as db:
                actor = _actor(db, pid)
                rules.set_roles(
                    db, actor, member_id, form.functions.data or [], form.start_date.data, form.end_date.data
                )
        except RuleViolation as exc:
            violation = exc
        else:
            added = True
    with transaction() as db:
        actor = _actor(db, pid)
        member = rules.project_member(db, actor, member_id)
        if violation is not None:
            show_errors(form, violation)
        elif request.method == "GET" or added:
            # Show what the member holds now, dates as people type them.
            form = RolesForm(formdata=None)
            if member.roles:
                first = member.roles[0]
                form.functions.data = [r.function for r in member.roles]
                form.start_date.data = first.start_date.strftime(DATE_FORMAT)
                form.end_date.data = first.end_date.strftime(DATE_FORMAT) if first.end_date else ""
        return render_template(
            "access/member_roles.html",
            project=actor.project,
            member=member,
            form=form,
            added=added,
            function_labels=FUNCTION_LABELS,
            function_descriptions=FUNCTION_DESCRIPTIONS,
        )
