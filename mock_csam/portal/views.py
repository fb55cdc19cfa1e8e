"""The eHealth portal: static information pages whose links lead to the CSAM registration and access management."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("portal", __name__)


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
    return render_template("portal/access.html")


@bp.get("/fr/acces/demande")
def access_request():
    """2.4: requesting access, with the link to the CSAM registration (2.5)."""
    return render_template("portal/access_request.html")


@bp.get("/fr/acces/gestion")
def access_management():
    """3.4 / 4.4: user and access management, with the link for companies and organisations."""
    return render_template("portal/access_management.html")


@bp.get("/fr/acces/gestion/entreprises")
def access_management_companies():
    """3.5 / 4.5: access management for companies and organisations, with the link into CSAM."""
    return render_template("portal/access_management_companies.html")
