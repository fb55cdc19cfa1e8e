"""What the rule suites (e2e/test_rules_*.py) share: the mock's messages they read, the kinds of NISS and the
badly formed contact data and script payloads they type, and how they read what the mock stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page

from e2e.seeding import MockSeeder
from fixtures import builders

WRONG_CHECK_DIGITS = "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas."
BAD_EMAIL = "L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.be)."
BAD_PHONE = "Le numéro de téléphone n'est pas valable (exemple : +32 2 123 45 67)."
ALREADY_REGISTERED = "Cette personne est déjà enregistrée pour ce projet."
PASSWORD_RULES = "Au moins 8 caractères, dont au moins une lettre et un chiffre."
WEAK_PASSWORD = f"Le mot de passe ne respecte pas les règles : {PASSWORD_RULES}"
TAKEN_USER_NAME = "Ce nom d'utilisateur est déjà pris : choisissez-en un autre."
WRONG_CREDENTIALS = "Nom d'utilisateur ou mot de passe incorrect."
GAP_NOT_DELETABLE = "Le Gestionnaire d'Accès Principal ne peut pas être supprimé par cet écran."
ONLY_GAP_DELETES_COGAPS = "Seul le Gestionnaire d'Accès Principal peut supprimer un co-gestionnaire d'accès."
COORDINATOR_WARNING = (
    "{n} personnes ont la fonction « Coordinateur » dans ce projet. Pour des raisons de "
    "confidentialité, le nombre de personnes ayant ce rôle doit être limité au strict minimum !"
)
USER_CREATED = "L'utilisateur {name} a été créé."


def with_wrong_check_digits(niss: str) -> str:
    """The same NISS with check digits one higher: wrong for either century (the checks of a birth in 19xx and
    in 20xx differ by 68 modulo 97, never by 1)."""
    return niss[:9] + f"{(int(niss[9:]) + 1) % 100:02d}"


def project_id(mock: MockSeeder, project: dict[str, Any]) -> int:
    """The mock's id of a project (in the access management's URLs)."""
    return mock.project_state(project["inami_number"])["id"]


def person_records(mock: MockSeeder, niss: str) -> list[dict[str, Any]]:
    """Every person the mock stores under this NISS (one at most)."""
    return [p for p in mock.state()["persons"] if p["niss"] == niss]


def no_script_ran(page: Page) -> bool:
    """Once the page has loaded (so a broken image's onerror would have fired), no payload set window.__pwned."""
    page.wait_for_load_state("load")
    return page.evaluate("window.__pwned") is None


NissMaker = Callable[[Faker], str]
NISS_KINDS: dict[str, NissMaker] = {
    "born-before-2000": lambda f: builders.niss(f, born_after_2000=False),
    "born-after-2000": lambda f: builders.niss(f, born_after_2000=True),
    "bis-number": builders.bis_number,
}


CONTACT_FORMATS = [
    pytest.param("email", "prenom.nom", BAD_EMAIL, id="email-without-at"),
    pytest.param("email", "prenom nom@exemple.be", BAD_EMAIL, id="email-with-a-space"),
    pytest.param("email", "prenom.nom@exemple", BAD_EMAIL, id="email-without-domain-suffix"),
    pytest.param("email", "@exemple.be", BAD_EMAIL, id="email-without-name"),
    pytest.param("phone", "12 34 56", BAD_PHONE, id="phone-of-six-digits"),
    pytest.param("phone", "+32 2 ABC 45 67", BAD_PHONE, id="phone-with-letters"),
    pytest.param("phone", "-- -- -- --", BAD_PHONE, id="phone-without-digits"),
]


SCRIPT_PAYLOADS = [
    pytest.param("<script>window.__pwned=1</script>", id="script-element"),
    pytest.param('<img src=x onerror="window.__pwned=1">', id="image-onerror"),
]
ATTRIBUTE_PAYLOAD = '"><img src=x onerror="window.__pwned=1">'
