"""The one translation mechanism: Flask-Babel, French source strings, other languages as catalogues.

French is the manual's language and the source of every msgid; Dutch is a catalogue
(`translations/nl/LC_MESSAGES/messages.po`). The catalogues are compiled to .mo when the app is created
(`compile_translations`), into a private cache folder outside the package, so no compiled file is ever kept
beside its source.

The page language comes from `?lang=` (kept for the session), the session, a `lang` cookie, else French; every
page header links to the same page in each language the real sites offer (fr, nl, de, en): German and English
have no catalogue here, so their links lead to a page saying so (`languages.py`).

`RENAMED_LABELS` (config; `csam-mock serve --rename OLD=NEW`) gives a label other words on every page, the way a
site changes a label: OLD is the wording shown in the page's language («Suivant» on French pages, «Volgende» on
Dutch ones), so a rename changes one language only. Developers use it to see that the manual-accuracy check
flags exactly the instructions that name it.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_app_context, has_request_context, request, session
from flask_babel import Babel, LazyString, get_translations, ngettext
from flask_babel import gettext as babel_gettext

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "SITE_LANGUAGES",
    "TRANSLATIONS",
    "_",
    "_l",
    "babel",
    "compile_translations",
    "install_renames",
    "language_links",
    "letter_language",
    "ngettext",
    "select_locale",
]

# Languages with a complete catalogue. French is the manual's language and the source of every msgid.
LANGUAGES = ("fr", "nl")
DEFAULT_LANGUAGE = "fr"
# The languages the real portal and CSAM offer in their headers, in their order.
SITE_LANGUAGES = ("fr", "nl", "de", "en")
# Where the catalogues live (inside the package, so an installed mock has them too).
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


# ---------------------------------------------------------------------------------------------------------
# Catalogues compiled at run time
# ---------------------------------------------------------------------------------------------------------


def _private_cache_root() -> Path:
    """A folder of the temporary directory only this user can write to.

    Translations are trusted as markup by the templates (Jinja marks them safe), so a .mo someone else could plant
    there would be a way into every page: the shared folder is used only when it is ours, a real folder and
    closed to others; otherwise a fresh private one is made for this process.
    """
    owner = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    root = Path(tempfile.gettempdir()) / f"csam-mock-translations-{owner}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        info = root.lstat()
        if hasattr(os, "getuid") and (
            not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077
        ):
            raise PermissionError(f"{root} is not a private folder of this user")
    except OSError:
        return Path(tempfile.mkdtemp(prefix="csam-mock-translations-"))
    return root


def compile_translations(source: Path = TRANSLATIONS) -> Path:
    """Compile every catalogue under `source` to .mo and return the folder Flask-Babel should read.

    The folder is named after a hash of the catalogues, so an edited .po gets its own .mo and a stale one is never
    read; each .mo is written to a temporary file and renamed into place, so two processes starting together
    never read half a file.
    """
    catalogues = sorted(source.glob("*/LC_MESSAGES/*.po"))
    digest = hashlib.sha256()
    for po in catalogues:
        digest.update(po.relative_to(source).as_posix().encode())
        digest.update(po.read_bytes())
    target = _private_cache_root() / digest.hexdigest()[:20]
    for po in catalogues:
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.is_file():
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=po.parent.parent.name)
        handle_fd, partial = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo.tmp")
        try:
            with os.fdopen(handle_fd, "wb") as out:
                write_mo(out, catalogue)
            os.replace(partial, mo)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return target


# ---------------------------------------------------------------------------------------------------------
# Translation with renamed labels
# ---------------------------------------------------------------------------------------------------------


def _renames() -> dict[str, str]:
    if not has_app_context():
        return {}
    return current_app.config.get("RENAMED_LABELS") or {}


def _shown(string: str) -> str:
    """The source string as the page's language writes it, after RENAMED_LABELS (matched on those words)."""
    translated = get_translations().ugettext(string)
    return _renames().get(translated, translated)


def renamed(text: str) -> str | None:
    """The wording RENAMED_LABELS gives this source string in the page's language, if any."""
    renames = _renames()
    if not renames:
        return None
    return renames.get(get_translations().ugettext(text))


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
    # jinja2's i18n extension, which Flask-Babel loads, adds this method to the environment when it starts.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_shown,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
    )


_ = gettext
_l = lazy_gettext


# ---------------------------------------------------------------------------------------------------------
# Choosing the language
# ---------------------------------------------------------------------------------------------------------


def select_locale() -> str:
    """The page language: ?lang= (or today's CSAM's ?locale=), remembered in the session; else the session's;
    else a `lang` cookie; else French (also for work done outside any request, such as seeding)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    for parameter in ("lang", "locale"):
        asked = request.args.get(parameter)
        if asked in LANGUAGES:
            session["lang"] = asked
            return asked
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return remembered
    cookie = request.cookies.get("lang")
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


def letter_language(language: str | None) -> str:
    """The language of a letter to a person who speaks `language`: their own when the mock has its catalogue,
    else French (the mock has no German or English letters)."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _same_site_path(url: str | None) -> str | None:
    """The path and query of a URL of this site (the Referer), None for another site's."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def language_links(current: str) -> list[tuple[str, str, bool]]:
    """The header's language choice: (code, URL, is the page's language) for fr, nl, de and en.

    French and Dutch lead to this same page in that language (its query kept, `lang`/`locale` replaced);
    German and English to the page saying this mock has no translation in them, with a way back here. On that
    page, «this page» is the one it leads back to; on the page of a path the site does not have, the home page.
    """
    from flask import url_for

    from .web import safe_next

    if request.routing_exception is not None:
        # A path the site does not have: its error page is not repeated in another language, and does not echo
        # the path back (it may be a probe for pages a visitor should not learn about).
        path, args = request.script_root + "/", []
    elif request.endpoint == "languages.not_translated":
        page = urlsplit(safe_next(request.args.get("back"), "/"))
        path, args = page.path, parse_qsl(page.query, keep_blank_values=True)
    elif request.url_rule is not None and "GET" not in (request.url_rule.methods or {"GET"}):
        # A page shown in answer to a form only (a refusal shown on the users page): the language links lead
        # to the page the form was on, as the browser's back button would.
        page = urlsplit(safe_next(_same_site_path(request.referrer), "/"))
        path, args = page.path, parse_qsl(page.query, keep_blank_values=True)
    else:
        # A form page shown again after a POST: its links lead to the empty form, as reloading it would.
        path, args = request.script_root + request.path, list(request.args.items(multi=True))
    kept = [(key, value) for key, value in args if key not in ("lang", "locale")]
    # Today's CSAM names the language in `locale`; every other page in `lang`.
    parameter = "locale" if any(key == "locale" for key, _value in args) else "lang"
    back = f"{path}?{urlencode(kept)}" if kept else path
    links = []
    for code in SITE_LANGUAGES:
        if code in LANGUAGES:
            url = f"{path}?{urlencode([*kept, (parameter, code)])}"
        else:
            url = url_for("languages.not_translated", code=code, back=back)
        links.append((code, url, code == current))
    return links


babel = Babel()
