"""A faithful, stateful mock of the eHealth portal and CSAM, as the inclusion manual describes them."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from .domain.store import Store, Stores
from .faults import Switchboard
from .i18n import babel, compile_translations, install_renames, select_locale

__all__ = ["CURRENT", "MANUAL_2018", "SITE_VERSIONS", "create_app"]

# «manual-2018»: the screens as the inclusion manual shows them; «current»: today's portal and CSAM, as captured.
SITE_VERSIONS = ("manual-2018", "current")
MANUAL_2018, CURRENT = SITE_VERSIONS
csrf = CSRFProtect()
log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the mock: portal, CSAM registration, login, access management and (opt-in) control API.

    `SITE_VERSION` picks the site: «current» replaces the 2018 registration wizard with today's CSAM page
    (blueprint `camregistration`); every other page and rule is shared.
    """
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=secrets.token_hex(32),
        DATABASE=":memory:",
        SITE_VERSION=MANUAL_2018,
        CONTROL_API=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="fr",
        MAX_CONTENT_LENGTH=1024 * 1024,
        # The manual asks to keep coordinators to a strict minimum: warn above this many per project.
        COORDINATOR_WARNING_THRESHOLD=2,
        # Labels, as the page's language shows them, given other words (a simulated change of the site's
        # labels), see i18n.py.
        RENAMED_LABELS={},
        # A seed makes the mock's chance numbers (request numbers) repeat from run to run (walkthroughs).
        RANDOM_SEED=None,
        # Keep a store per namespace (X-Mock-Namespace header, mock_namespace cookie) for tests sharing one
        # served mock; see namespaces.py. Off: every request uses the one store.
        NAMESPACES=False,
    )
    if config:
        app.config.update(config)
    if app.config["SITE_VERSION"] not in SITE_VERSIONS:
        raise ValueError(f"unknown site version {app.config['SITE_VERSION']!r}; choose from {SITE_VERSIONS}")

    app.extensions["csam_store"] = Store(app.config["DATABASE"], seed=app.config["RANDOM_SEED"])
    # QA's switches for bad days (mock_csam/faults.py): in the app, never in the database; set through /_mock/faults.
    app.extensions["csam_faults"] = Switchboard()
    app.extensions["csam_stores"] = Stores(app.extensions["csam_store"], seed=app.config["RANDOM_SEED"])
    # The catalogues are kept as .po only: compiled here, outside the package, for Flask-Babel to read.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_translations())
    babel.init_app(app, locale_selector=select_locale)
    install_renames(app)
    csrf.init_app(app)

    from .access.views import bp as access_bp
    from .auth.views import bp as auth_bp
    from .inclusion.views import bp as inclusion_bp
    from .languages import bp as languages_bp
    from .portal.views import bp as portal_bp
    from .registration.views import bp as registration_bp

    app.register_blueprint(portal_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(access_bp)
    app.register_blueprint(inclusion_bp)
    app.register_blueprint(languages_bp)
    if app.config["SITE_VERSION"] == CURRENT:
        from .camregistration.views import bp as camregistration_bp

        app.register_blueprint(camregistration_bp)
    # First of the hooks before each request (the faults' among them): which namespace's store and switches.
    from .namespaces import select_namespace

    app.before_request(select_namespace)
    if app.config["CONTROL_API"]:
        from .control.views import bp as control_bp

        csrf.exempt(control_bp)
        app.register_blueprint(control_bp)
        from .control.faults import bp as faults_bp

        csrf.exempt(faults_bp)
        app.register_blueprint(faults_bp)

    _register_error_pages(app)
    app.after_request(_security_headers)
    from .web import inject_layout

    app.context_processor(inject_layout)
    return app


def _register_error_pages(app: Flask) -> None:
    """Every error gets a plain page in the site's words: never a stack trace or a debug page."""

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return render_template("errors/error.html", code=400, reason="csrf"), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code and exc.code < 400:
            return exc
        return render_template("errors/error.html", code=exc.code, reason=None), exc.code

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        log.exception("unexpected error", exc_info=exc)
        return render_template("errors/error.html", code=500, reason=None), 500


def _security_headers(response):
    """Headers a careful site sends on every answer."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    )
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
