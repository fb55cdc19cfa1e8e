"""The page the header's «de» and «en» links lead to: the real sites speak German and English, this mock does not.

It answers (200, not a missing page) in the language asked for and in French and Dutch, and leads back to the
page the person came from.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import force_locale

from .i18n import LANGUAGES, SITE_LANGUAGES, _
from .web import safe_next

bp = Blueprint("languages", __name__, url_prefix="/langue")

# Said in the language the person asked for: there is no catalogue to take these words from.
NOT_TRANSLATED = {
    "de": {
        "title": "Nicht übersetzt",
        "text": "Diese Seite ist in dieser Simulation nicht ins Deutsche übersetzt.",
        "back": "Zurück zur Seite",
    },
    "en": {
        "title": "Not translated",
        "text": "This page is not translated into English in this mock.",
        "back": "Back to the page",
    },
}


@bp.get("/<code>")
def not_translated(code: str):
    """«This page is not translated» in `code`, in French and in Dutch, with a link back."""
    back = safe_next(request.args.get("back"), "/")
    if code in LANGUAGES:
        # A language the mock speaks: the page itself, in it.
        separator = "&" if "?" in back else "?"
        return redirect(f"{back}{separator}lang={code}")
    if code not in SITE_LANGUAGES:
        abort(404)
    sentences = []
    for language in LANGUAGES:
        with force_locale(language):
            sentences.append(
                (
                    language,
                    _("Cette page n'est pas traduite dans cette langue dans cette simulation."),
                    _("Retour à la page"),
                )
            )
    return render_template(
        "languages/not_translated.html",
        code=code,
        words=NOT_TRANSLATED[code],
        sentences=sentences,
        back=back,
        page_language=code,
    )
