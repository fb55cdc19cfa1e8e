"""The checks of single fields that every form and the control API share: identifiers (NISS, INAMI number),
names, e-mail addresses, phone numbers, languages, dates, addresses, PIN codes, passwords and record ids.

Each `check_*` adds its messages to an `Errors` collector and returns the cleaned value, so that a form reports
all its problems at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from ...i18n import _l
from ..errors import Errors, NotFound, RuleViolation
from ..identifiers import clean_digits, is_digits, is_valid_inami, is_valid_niss

LANGUAGE_CODES = ("fr", "nl", "de", "en")
SEXES = ("M", "F")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9 ./()-]{8,20}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{4,30}$")
PASSWORD_MIN_LENGTH = 8
PASSWORD_RULES = _l("Au moins 8 caractères, dont au moins une lettre et un chiffre.")


def field_text(data: Mapping[str, Any], name: str) -> str:
    """The field's value as text without surrounding spaces ("" when it is missing)."""
    value = data.get(name)
    return "" if value is None else str(value).strip()


def check_niss(errors: Errors, name: str, value: Any) -> str:
    """A required NISS with valid check digits; returns it as 11 digits."""
    raw = "" if value is None else str(value).strip()
    number = clean_digits(raw)
    if not raw:
        errors.add(name, _l("Le NISS est obligatoire."))
    elif not (len(number) == 11 and is_digits(number)):
        errors.add(name, _l("Le NISS doit compter 11 chiffres."))
    elif not is_valid_niss(number):
        errors.add(name, _l("Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas."))
    return number


# What check_inami says when the number is missing, not 8 digits, or with wrong check digits: in the 2018 site's
# words («N°INAMI»), or in today's CSAM page's words («Numéro d'institution (8 chiffres)»).
INAMI_MESSAGES = (
    _l("Le N°INAMI est obligatoire."),
    _l("Le N°INAMI doit compter exactement 8 chiffres."),
    _l("Ce N°INAMI n'est pas valable : les chiffres de contrôle ne correspondent pas."),
)
INSTITUTION_NUMBER_MESSAGES = (
    _l("Le numéro d'institution est obligatoire."),
    _l("Le numéro d'institution doit compter exactement 8 chiffres."),
    _l("Ce numéro d'institution n'est pas valable : les chiffres de contrôle ne correspondent pas."),
)


def check_inami(errors: Errors, name: str, value: Any, messages: tuple = INAMI_MESSAGES) -> str:
    """A required INAMI number of 8 digits with valid check digits; returns it as 8 digits."""
    missing, length, check_digits = messages
    raw = "" if value is None else str(value).strip()
    number = clean_digits(raw)
    if not raw:
        errors.add(name, missing)
    elif not (len(number) == 8 and is_digits(number)):
        errors.add(name, length)
    elif not is_valid_inami(number):
        errors.add(name, check_digits)
    return number


def check_required(
    errors: Errors, data: Mapping[str, Any], name: str, label, max_length: int = 100, field: str | None = None
) -> str:
    value = field_text(data, name)
    field = field or name
    if not value:
        errors.add(field, _l("Le champ « %(label)s » est obligatoire.", label=label))
    elif len(value) > max_length:
        errors.add(field, _l("Le champ « %(label)s » compte au plus %(n)s caractères.", label=label, n=max_length))
    return value


def check_email(errors: Errors, data: Mapping[str, Any], name: str = "email", required: bool = True) -> str:
    """An e-mail address of a usual form (required unless told otherwise)."""
    value = field_text(data, name)
    if not value:
        if required:
            errors.add(name, _l("L'adresse e-mail est obligatoire."))
    elif len(value) > 200 or not EMAIL_RE.match(value):
        errors.add(name, _l("L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.be)."))
    return value


def check_phone(errors: Errors, data: Mapping[str, Any], name: str = "phone", required: bool = True) -> str:
    """A phone number of at least 8 digits (required unless told otherwise)."""
    value = field_text(data, name)
    if not value:
        if required:
            errors.add(name, _l("Le numéro de téléphone est obligatoire."))
    elif not PHONE_RE.match(value) or sum(ch.isdigit() for ch in value) < 8:
        errors.add(name, _l("Le numéro de téléphone n'est pas valable (exemple : +32 2 123 45 67)."))
    return value


def check_language(errors: Errors, data: Mapping[str, Any], name: str = "language") -> str:
    """One of the languages the mock speaks with people: fr, nl, de or en."""
    value = field_text(data, name).lower()
    if value not in LANGUAGE_CODES:
        errors.add(name, _l("Choisissez une langue : fr, nl, de ou en."))
    return value


def parse_date(errors: Errors, name: str, value: Any, label, required: bool) -> dt.date | None:
    """A date typed as YYYY-MM-DD (what a date input sends) or DD/MM/YYYY."""
    if isinstance(value, dt.date):
        return value
    raw = "" if value is None else str(value).strip()
    if not raw:
        if required:
            errors.add(name, _l("Le champ « %(label)s » est obligatoire.", label=label))
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if parsed.year < 1900 or parsed.year > 2999:
            break
        return parsed
    errors.add(name, _l("« %(label)s » n'est pas une date valable (JJ/MM/AAAA).", label=label))
    return None


def check_address(errors: Errors, data: Any, prefix: str) -> dict[str, str]:
    """A Belgian address {street, postal_code, city}; messages name `prefix.street` and so on."""
    if not isinstance(data, Mapping):
        errors.add(prefix, _l("L'adresse est obligatoire (street, postal_code, city)."))
        return {"street": "", "postal_code": "", "city": ""}
    street = check_required(errors, data, "street", "street", 200, field=f"{prefix}.street")
    postal = check_required(errors, data, "postal_code", "postal_code", 10, field=f"{prefix}.postal_code")
    city = check_required(errors, data, "city", "city", 100, field=f"{prefix}.city")
    if postal and not (is_digits(postal) and len(postal) == 4):
        errors.add(f"{prefix}.postal_code", _l("Un code postal belge compte 4 chiffres."))
    return {"street": street, "postal_code": postal, "city": city}


def check_pin(errors: Errors, data: Mapping[str, Any]) -> str:
    """An eID card's PIN code of 4 to 12 digits; 1234 when none is given."""
    pin = field_text(data, "pin") or "1234"
    if not (is_digits(pin) and 4 <= len(pin) <= 12):
        errors.add("pin", _l("Le code PIN compte de 4 à 12 chiffres."))
    return pin


def record_id(value: Any) -> int:
    """A record id from a URL or a form; NotFound for anything SQLite could not even look up."""
    text = "" if value is None else str(value).strip()
    if not is_record_id(text):
        raise NotFound(value)
    return int(text)


def is_record_id(text: str) -> bool:
    """Digits SQLite can look up as an id: plain ASCII digits only (int() would also read "1_000", "+5" or other
    scripts' digits), and at most 19 of them (2**63 has 19; int() refuses strings of more than 4300 digits)."""
    return is_digits(text) and len(text) <= 19 and 0 < int(text) < 2**63


def password_is_strong(password: str) -> bool:
    """The password rules shown on the form."""
    return (
        len(password) >= PASSWORD_MIN_LENGTH
        and len(password) <= 128
        and any(c.isalpha() for c in password)
        and any(c.isdigit() for c in password)
    )


def ascii_text(text: str) -> str:
    """The text without accents (letters outside ASCII are dropped)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def check_clock_date(data: Any) -> dt.date | None:
    """`{"today": "YYYY-MM-DD"}` fixes the mock's date; `{"today": null}` goes back to the real date."""
    if not isinstance(data, Mapping) or "today" not in data:
        raise RuleViolation([("today", _l('Donnez la date du jour de la simulation : {"today": "AAAA-MM-JJ"}.'))])
    value = data["today"]
    if value is None:
        return None
    try:
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
            raise ValueError(value)
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise RuleViolation([("today", _l("« today » doit être une date valable au format AAAA-MM-JJ."))]) from None
    if not 1900 <= parsed.year <= 2999:
        raise RuleViolation([("today", _l("« today » doit être une date valable au format AAAA-MM-JJ."))])
    return parsed
