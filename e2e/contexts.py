"""Browser contexts that show the site as the harness reads it: which site version and language the page objects
expect (e2e/pages/site.py), the browser's locale for that language, and the `lang` cookie by which the mock (and
the real portal) serve that language from the first page on."""

from __future__ import annotations

from playwright.sync_api import BrowserContext

from .pages.site import Site, use_site

# The browser's locale for each language the harness walks the site in (Belgian French and Dutch).
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}
DEFAULT_LANGUAGE = "fr"


def locale_for(lang: str) -> str:
    """The browser locale of a language."""
    return LOCALES[lang]


def show_site(context: BrowserContext, base_url: str, site: Site) -> BrowserContext:
    """Say which site this context shows (the page objects read it) and ask the site for its language."""
    use_site(context, site)
    if site.lang != DEFAULT_LANGUAGE:
        context.add_cookies([{"name": "lang", "value": site.lang, "url": base_url}])
    return context
