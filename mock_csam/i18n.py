"""The one translation mechanism: Flask-Babel, French source strings, other languages as catalogues."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_babel import Babel, gettext, lazy_gettext, ngettext

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "babel", "select_locale", "_", "_l", "ngettext"]

# Languages with a complete catalogue. French is the manual's language and the source of every msgid.
LANGUAGES = ("fr",)
DEFAULT_LANGUAGE = "fr"

_ = gettext
_l = lazy_gettext


def select_locale() -> str:
    """The page language: ?lang= (remembered in the session), else the session's, else French (also for
    work done outside any request, such as seeding)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


babel = Babel()
