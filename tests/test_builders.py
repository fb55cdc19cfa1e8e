"""The Faker builders of fixtures/: valid identifiers over many seeds, births after 2000, BIS, broken ones."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.be import bis, nn, ssn

from fixtures import builders
from mock_csam.domain import rules
from mock_csam.domain.identifiers import is_valid_inami, is_valid_niss
from mock_csam.domain.store import Store

SEEDS = range(200)


@pytest.fixture(scope="module")
def fakers():
    """One seeded Faker per seed: the same data on every run."""
    return [builders.belgian_faker(seed) for seed in SEEDS]


def test_nisses_are_valid(fakers) -> None:
    for fake in fakers:
        number = builders.niss(fake)
        assert len(number) == 11 and number.isdigit()
        assert is_valid_niss(number) and nn.is_valid(number), number


@pytest.mark.parametrize("after_2000", [True, False])
def test_births_on_either_side_of_2000(fakers, after_2000: bool) -> None:
    for fake in fakers:
        number = builders.niss(fake, born_after_2000=after_2000)
        assert ssn.is_valid(number)
        assert (ssn.get_birth_date(number).year >= 2000) is after_2000, number


def test_a_given_birth_date_and_sex_are_kept(fakers) -> None:
    for fake, born in zip(
        fakers, (dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2007, 2, 28)) * 70, strict=False
    ):
        for sex in ("M", "F"):
            number = builders.niss(fake, born=born, sex=sex)
            assert ssn.get_birth_date(number) == born
            assert nn.get_gender(number) == sex


def test_bis_numbers_are_valid_bis_numbers(fakers) -> None:
    for fake in fakers:
        number = builders.bis_number(fake)
        assert bis.is_valid(number) and not nn.is_valid(number), number
        assert is_valid_niss(number)
        assert 41 <= int(number[2:4]) <= 52


def test_broken_nisses_are_invalid(fakers) -> None:
    for fake in fakers:
        number = builders.broken_niss(fake)
        assert len(number) == 11 and number.isdigit()
        assert not is_valid_niss(number) and not ssn.is_valid(number), number


def test_inami_numbers_are_valid_and_broken_ones_are_not(fakers) -> None:
    for fake in fakers:
        good, bad = builders.inami_number(fake), builders.broken_inami_number(fake)
        assert len(good) == len(bad) == 8
        assert is_valid_inami(good), good
        assert not is_valid_inami(bad), bad


def test_addresses_are_belgian(fakers) -> None:
    for fake in fakers[:50]:
        address = builders.address(fake)
        assert address["postal_code"].isdigit() and len(address["postal_code"]) == 4
        assert address["street"] and address["city"]


def test_every_built_project_is_accepted_by_inami_rules(fakers) -> None:
    store = Store(":memory:")
    try:
        for fake in fakers:
            with store.transaction() as db:
                rules.record_project(db, builders.project(fake))
    finally:
        store.dispose()


def test_a_person_has_what_the_csam_forms_ask(fakers) -> None:
    for fake in fakers[:50]:
        person = builders.person(fake, born_after_2000=True)
        assert rules.EMAIL_RE.match(person["email"]) and rules.PHONE_RE.match(person["phone"])
        assert person["szv_role"] == builders.SZV_RESPONSABLE and person["language"] == "fr"
        assert nn.get_gender(person["niss"]) == person["sex"]


def test_user_data_pass_the_account_rules(fakers) -> None:
    for fake in fakers[:50]:
        data = builders.user_data(fake)
        assert rules.USERNAME_RE.match(data["username"]), data["username"]
        assert rules.password_is_strong(data["password"])
        assert is_valid_niss(data["niss"])


@pytest.mark.parametrize(
    ("first", "last", "username"),
    [
        ("Lotje", "De Ridder", "LotjeDeRidder"),
        ("Léa", "Wauters", "LeaWauters"),
        ("Jean-François", "D'Hondt", "JeanFrancoisDHondt"),
    ],
)
def test_usernames_follow_the_manual(first: str, last: str, username: str) -> None:
    assert builders.username_for(first, last) == username


def test_overrides_win(fakers) -> None:
    person = builders.person(fakers[0], first_name="Sophie", szv_role=builders.SZV_CERTIFICATE_MANAGER)
    assert person["first_name"] == "Sophie" and person["szv_role"] == builders.SZV_CERTIFICATE_MANAGER
    project = builders.project(fakers[0], persons=[person], inami_number="71000436")
    assert project["persons"] == [person] and project["inami_number"] == "71000436"


def test_the_same_seed_builds_the_same_data() -> None:
    assert builders.project(builders.belgian_faker(7)) == builders.project(builders.belgian_faker(7))


def test_dutch_speaking_people_have_flemish_names_and_the_project_a_dutch_name() -> None:
    from faker.providers.person.fr_BE import Provider as FrenchNames
    from faker.providers.person.nl_BE import Provider as DutchNames

    fake = builders.belgian_faker(7)
    project = builders.project(fake, language="nl")
    assert project["name"].startswith("Geïntegreerd zorgproject ")
    assert {p["language"] for p in project["persons"]} == {"nl"}
    assert builders.user_data(fake, language="nl")["language"] == "nl"
    dutch = {*DutchNames.first_names_male, *DutchNames.first_names_female}
    french = {*FrenchNames.first_names_male, *FrenchNames.first_names_female}
    nl_names = {builders.person(builders.belgian_faker(seed), language="nl")["first_name"] for seed in SEEDS}
    fr_names = {builders.person(builders.belgian_faker(seed), language="fr")["first_name"] for seed in SEEDS}
    assert nl_names <= dutch and fr_names <= french
    assert nl_names - french, "Dutch-speaking people get names French-speaking people do not have"
