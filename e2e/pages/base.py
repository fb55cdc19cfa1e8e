"""What every page object shares: the Playwright page, the site and its words, the site header, and waiting for
its own <h1>."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator, Page, expect

from .components import SiteHeader
from .site import site_of


def required(label: str) -> str:
    """A required field's label as the site's forms show it: its words, then the ` *` they add after them."""
    return f"{label} *"


class BasePage:
    """A screen of the site, ready once its <h1> shows; subclasses set `heading`."""

    heading: Locator

    def __init__(self, page: Page) -> None:
        self.page = page
        # The site version and language the page shows: its words (e2e/labels.yaml) and page order are data there.
        self.site = site_of(page)
        self.header = SiteHeader(page)
        self.main = page.get_by_role("main")
        # Messages about the whole form, and flashed messages after a redirect.
        self.alert = page.get_by_role("alert")
        self.status = page.get_by_role("status")

    def wait_until_ready(self) -> Self:
        """Wait until this screen's heading is visible (the site answered and this is the page)."""
        expect(self.heading).to_be_visible()
        return self

    def submit_and_stay(self, button: Locator) -> Self:
        """Click a submit button whose form the site is expected to show again, and wait for its answer."""
        with self.page.expect_response(lambda response: response.request.method == "POST"):
            button.click()
        return self.wait_until_ready()

    def next_page(self, key: str) -> BasePage:
        """The page this site version shows after an action (see site.NEXT_PAGE), once it is ready."""
        from importlib import import_module

        name = self.site.next_page(key)
        for module in ("portal", "login", "registration", "access"):
            cls = getattr(import_module(f"{__package__}.{module}"), name, None)
            if cls is not None:
                return cls(self.page).wait_until_ready()
        raise LookupError(f"no page object {name} in {__package__}")

    def words(self, key: str, **values: object) -> str:
        """The words this site shows for a key of the catalogue (e2e/labels.yaml), placeholders filled in."""
        return self.site.label(key, **values)

    def h1(self, name: str) -> Locator:
        """The page's main heading with exactly this text."""
        return self.page.get_by_role("heading", level=1, name=name, exact=True)


class ErrorPage(BasePage):
    """The site's error page: «Page introuvable» (404, also for what the person may not see), «Accès refusé»
    (403) or «Service indisponible» (a maintenance page, 5xx), named by its heading's catalogue key."""

    NOT_FOUND = "error.not_found"
    ACCESS_DENIED = "access_denied"
    UNAVAILABLE = "error.unavailable"

    def __init__(self, page: Page, heading: str = NOT_FOUND) -> None:
        super().__init__(page)
        self.heading = self.h1(self.words(heading))
        self.back_to_portal_link = self.main.get_by_role("link", name=self.words("error.back_to_portal"), exact=True)
