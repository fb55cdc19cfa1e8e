"""The one translation mechanism: Flask-Babel, French source strings, other languages as catalogues.

`RENAMED_LABELS` (config; `csam-mock serve --rename OLD=NEW`) gives some source strings another wording on
every page, the way a site changes a label: developers use it to see that the manual-accuracy check flags
exactly the instructions that name it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_app_context, has_request_context, request, session
from flask_babel import Babel, LazyString, get_translations, ngettext
from flask_babel import gettext as babel_gettext

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "babel", "select_locale", "_", "_l", "ngettext", "install_renames"]

# Languages with a complete catalogue. French is the manual's language and the source of every msgid.
LANGUAGES = ("fr",)
DEFAULT_LANGUAGE = "fr"



def renamed(text: str) -> str | None:
    """The wording RENAMED_LABELS gives this source string instead, if any."""
    if not has_app_context():
        return None
    return current_app.config.get("RENAMED_LABELS", {}).get(text)


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's gettext, after RENAMED_LABELS."""
    other = renamed(string)
    if other is None:
        return babel_gettext(string, **variables)
    return other % variables if variables else other


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """gettext when the text is shown (form labels are defined before any request)."""
    return LazyString(gettext, string, **variables)


def install_renames(app: Flask) -> None:
    """Let templates' _() see RENAMED_LABELS too (after Flask-Babel installed its own callables)."""
    if not app.config.get("RENAMED_LABELS"):
        return
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: renamed(s) or get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
    )


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
