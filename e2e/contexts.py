"""Browser contexts that show the site as the harness reads it: which site version and language the page objects
expect (e2e/pages/site.py), the browser's locale for that language, and the `lang` cookie by which the mock (and
the real portal) serve that language from the first page on; and the window, locale, time zone and timeouts every
context of the harness takes from its settings (e2e/settings.py): the tests', check-manual's and the
walkthrough's alike."""

from __future__ import annotations

from typing import Any, TypeVar

from playwright.sync_api import BrowserContext, Page, ViewportSize

from .pages.site import Site, use_site
from .settings import harness_settings

# The languages the harness walks the site in (each with its browser locale in the settings' LOCALES).
LANGUAGES = ("fr", "nl")
DEFAULT_LANGUAGE = "fr"

Timed = TypeVar("Timed", Page, BrowserContext)


def locale_for(lang: str) -> str:
    """The browser locale of a language (the settings' LOCALES)."""
    return harness_settings().LOCALES[lang]


def context_options(lang: str, *, viewport: ViewportSize | None = None) -> dict[str, Any]:
    """The options of a new context for the site in `lang`: the settings' window (VIEWPORT unless another is
    given, e.g. the walkthrough's RECORDING_VIEWPORT), the language's locale and the time zone."""
    settings = harness_settings()
    return {
        "viewport": viewport or settings.VIEWPORT,
        "locale": locale_for(lang),
        "timezone_id": settings.TIMEZONE,
    }


def with_timeouts(target: Timed, action_ms: float | None = None) -> Timed:
    """A page or context that waits as the settings say: ACTION_TIMEOUT_MS (or `action_ms`) for an action,
    NAVIGATION_TIMEOUT_MS for a navigation."""
    settings = harness_settings()
    target.set_default_timeout(action_ms or settings.ACTION_TIMEOUT_MS)
    target.set_default_navigation_timeout(settings.NAVIGATION_TIMEOUT_MS)
    return target


def show_site(context: BrowserContext, base_url: str, site: Site) -> BrowserContext:
    """Say which site this context shows (the page objects read it) and ask the site for its language."""
    use_site(context, site)
    if site.lang != DEFAULT_LANGUAGE:
        context.add_cookies([{"name": "lang", "value": site.lang, "url": base_url}])
    return context
