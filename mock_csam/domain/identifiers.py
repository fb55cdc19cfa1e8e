"""Belgian identifier checks: NISS (through python-stdnum) and INAMI institution numbers (ours)."""

from __future__ import annotations

from stdnum.be import ssn as _ssn
from stdnum.exceptions import ValidationError as _StdnumError

INAMI_LENGTH = 8


def is_digits(value: str) -> bool:
    """True for ASCII digits only: str.isdigit() also accepts other scripts' digits and superscripts."""
    return value.isascii() and value.isdigit()


def clean_digits(value: str | None) -> str:
    """Drop the separators people type in identifiers (spaces, dots, dashes, slashes)."""
    if value is None:
        return ""
    return "".join(ch for ch in str(value) if ch not in " .-/\t")


def is_valid_niss(value: str | None) -> bool:
    """True for a national register or BIS number with valid check digits (any century)."""
    number = clean_digits(value)
    if len(number) != 11 or not is_digits(number):
        return False
    try:
        _ssn.validate(number)
    except _StdnumError:
        return False
    return True


def inami_check_digits(identifier: str) -> str:
    """The two check digits of a 6-digit INAMI institution identifier: 97 - (identifier mod 97)."""
    if len(identifier) != 6 or not is_digits(identifier):
        raise ValueError("an INAMI identifier has 6 digits")
    return f"{97 - int(identifier) % 97:02d}"


def is_valid_inami(value: str | None) -> bool:
    """True for an 8-digit INAMI institution number whose last two digits check the first six."""
    number = clean_digits(value)
    if len(number) != INAMI_LENGTH or not is_digits(number):
        return False
    return inami_check_digits(number[:6]) == number[6:]
