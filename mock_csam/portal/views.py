"""The eHealth portal: static information pages whose links lead to the CSAM registration and access management.

In site version `current` the access pages show today's «Accéder au portail eSanté» section (its menu, the
«ACCÈS SÉCURISÉ» block, three ways to request access); its pages that the 2018 site lacks answer 404 there.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..web import is_current_site

bp = Blueprint("portal", __name__)


def _page(template: str) -> str:
    """The template of this site version: today's under portal/current/, the manual's otherwise."""
    return f"portal/current/{template}" if is_current_site() else f"portal/{template}"


def _current_site_only() -> None:
    """Pages that only today's site has: 404 on the manual's."""
    if not is_current_site():
        abort(404)


@bp.get("/")
def home():
    """The portal's home page (2.1): the three audiences."""
    return render_template("portal/home.html")


@bp.get("/fr/citoyens")
def citizens():
    """The citizens' page: there for realism, the manual never goes there."""
    return render_template("portal/citizens.html")


@bp.get("/fr/institutions")
def institutions():
    """The institutions' page: there for realism, the manual never goes there."""
    return render_template("portal/institutions.html")


@bp.get("/fr/professionnels")
def professionals():
    """2.2: the care professionals' page, with «Comment accéder au portail eSanté ?» at the bottom right."""
    return render_template("portal/professionals.html")


@bp.get("/fr/acces")
def access():
    """2.3: how to access the portal: request access, or manage users and accesses."""
    return render_template(_page("access.html"))


@bp.get("/fr/acces/demande")
def access_request():
    """2.4: requesting access, with the link to the CSAM registration (2.5); today: once per kind of institution."""
    return render_template(_page("access_request.html"))


@bp.get("/fr/acces/gestion")
def access_management():
    """3.4 / 4.4: user and access management, with the link for companies and organisations."""
    return render_template("portal/access_management.html")


@bp.get("/fr/acces/gestion/entreprises")
def access_management_companies():
    """3.5 / 4.5: access management for companies and organisations, with the link into CSAM."""
    return render_template("portal/access_management_companies.html")


@bp.get("/fr/acces/eid-token")
def eid_token():
    """Today's section menu: logging in with the eID card or a token (not on the manual's path)."""
    _current_site_only()
    return render_template("portal/current/eid_token.html")


@bp.get("/fr/acces/mandats")
def mandates():
    """Today's section menu: acting for someone else through a mandate (not on the manual's path)."""
    _current_site_only()
    return render_template("portal/current/mandates.html")


@bp.get("/fr/acces/demande/guide-utilisateur")
def user_guide():
    """Today's «Consultez le guide utilisateur»: how each kind of institution registers in CSAM."""
    _current_site_only()
    return render_template("portal/current/user_guide.html")
