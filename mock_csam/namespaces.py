"""Namespaces: tests sharing one served mock each work in a store of their own.

A control call names its namespace in the `X-Mock-Namespace` header; a browser carries it in the `mock_namespace`
cookie, so that the pages it opens read and write the same namespace (its projects, persons, logins and date).
Without either, a request uses the default store, as a mock without namespaces always does. Namespaces are kept
only when the app is made with `NAMESPACES` (`csam-mock serve --control-api` does): elsewhere the header is
refused and the cookie ignored, so that a test's cookie never moves a mock of another test on the same host.
"""

from __future__ import annotations

import re

from flask import abort, current_app, g, request

from .domain.errors import RuleViolation
from .i18n import _

HEADER = "X-Mock-Namespace"
COOKIE = "mock_namespace"
# Letters, digits, "-" and "_": the name becomes part of a file name (and file systems may ignore case).
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def requested() -> str | None:
    """The namespace the request names (header first, then cookie), or None; RuleViolation when it is invalid
    or when this mock keeps no namespaces."""
    header = request.headers.get(HEADER)
    if header is not None:
        if not current_app.config["NAMESPACES"]:
            raise RuleViolation(
                [
                    (
                        HEADER,
                        _("Ce mock ne tient pas d'espaces de noms : servez-le avec « csam-mock serve --control-api »."),
                    )
                ]
            )
        if not current_app.extensions["csam_stores"].supports_namespaces:
            raise RuleViolation(
                [
                    (
                        HEADER,
                        _(
                            "Les espaces de noms demandent une base SQLite (--db FICHIER) : "
                            "chacun est un fichier à côté de celui du mock."
                        ),
                    )
                ]
            )
        return _checked(header, HEADER)
    cookie = request.cookies.get(COOKIE)
    if cookie is not None and current_app.config["NAMESPACES"]:
        return _checked(cookie, COOKIE)
    return None


def _checked(value: str, source: str) -> str:
    if not NAME.match(value):
        raise RuleViolation(
            [
                (
                    source,
                    _(
                        "Un espace de noms compte de 1 à 64 minuscules, chiffres, « - » ou « _ », "
                        "et commence par une lettre ou un chiffre."
                    ),
                )
            ]
        )
    return value


def select_namespace() -> None:
    """Before each request: remember the namespace whose store the request uses (see web.store)."""
    try:
        g.mock_namespace = requested()
    except RuleViolation:
        if request.blueprint == "control":
            raise
        abort(400)
