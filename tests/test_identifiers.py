"""NISS and INAMI number checks: check digits, births after 2000, BIS numbers, separators people type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import ssn

from mock_csam.domain.identifiers import clean_digits, inami_check_digits, is_valid_inami, is_valid_niss


@pytest.mark.parametrize(
    "niss",
    [
        "85073003328",  # born 1985
        "17073003384",  # born 2017: check digits computed on 2 followed by the first nine digits
        "01070944662",  # born 2001
        "98472899765",  # BIS number, sex known (month + 40)
        "85223000168",  # BIS number, sex unknown (month + 20)
    ],
)
def test_valid_niss(niss: str) -> None:
    assert is_valid_niss(niss)


def test_a_niss_born_after_2000_is_read_as_born_after_2000() -> None:
    assert ssn.get_birth_date("17073003384").year == 2017
    assert ssn.get_birth_date("85073003328").year == 1985


@pytest.mark.parametrize(
    "niss",
    [
        "12345678901",  # check digits wrong
        "85073003329",  # one off
        "17073003385",  # born 2017, wrong under both centuries' rule
        "98472899766",  # BIS with wrong check digits
        "8507300332",  # 10 digits
        "850730033281",  # 12 digits
        "8507300332A",  # a letter
        "",
        None,
        "   ",
    ],
)
def test_invalid_niss(niss: str | None) -> None:
    assert not is_valid_niss(niss)


@pytest.mark.parametrize(
    "typed",
    [
        "85.07.30-033.28",  # as printed on the eID card
        "85 07 30 033 28",
        "850730/033-28",
        " 85073003328 ",
        "85073003328\t",
    ],
)
def test_niss_separators_are_ignored(typed: str) -> None:
    assert clean_digits(typed) == "85073003328"
    assert is_valid_niss(typed)


def test_separators_do_not_hide_other_characters() -> None:
    assert clean_digits("85_07_30") == "85_07_30"
    assert not is_valid_niss("85_07_30_033_28")


def test_clean_digits_of_nothing_is_empty() -> None:
    assert clean_digits(None) == ""


@pytest.mark.parametrize("number", ["71000436", "78901184", "75500543", "82662608"])
def test_valid_inami_numbers(number: str) -> None:
    assert is_valid_inami(number)


@pytest.mark.parametrize(
    ("identifier", "check"),
    [
        ("710004", "36"),
        ("789011", "84"),
        ("100000", "07"),  # zero-padded to two digits
        ("100007", "97"),  # a multiple of 97 gives 97, never 00
    ],
)
def test_inami_check_digits(identifier: str, check: str) -> None:
    assert inami_check_digits(identifier) == check


@pytest.mark.parametrize("identifier", ["71000", "7100043", "71000A", ""])
def test_inami_check_digits_need_six_digits(identifier: str) -> None:
    with pytest.raises(ValueError, match="6 digits"):
        inami_check_digits(identifier)


@pytest.mark.parametrize(
    "number",
    [
        "71000437",  # check digits wrong
        "10000000",  # 00 is never a check
        "7100043",  # 7 digits
        "710004360",  # 9 digits
        "71000436001",  # 11 digits (with the 3-digit suffix): the mock asks for the 8-digit number
        "7100043A",
        "",
        None,
    ],
)
def test_invalid_inami_numbers(number: str | None) -> None:
    assert not is_valid_inami(number)


@pytest.mark.parametrize("typed", ["7100-0436", "710 004 36", "71.00.04.36", " 71000436 "])
def test_inami_separators_are_ignored(typed: str) -> None:
    assert is_valid_inami(typed)


@given(st.integers(0, 999_999))
def test_every_identifier_with_its_check_digits_is_valid(identifier: int) -> None:
    digits = f"{identifier:06d}"
    check = inami_check_digits(digits)
    assert is_valid_inami(digits + check)
    wrong = f"{(int(check) % 97) + 1:02d}"
    assert not is_valid_inami(digits + wrong)
