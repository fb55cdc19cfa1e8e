"""The Dutch edition of the manual (e2e/manual-nl.yaml) without a browser: it loads, it is the 2018 edition
instruction for instruction (IDs, kinds, browser flags, actions, the shape of each check), its screen words are
the ones the mock's Dutch pages show for the French ones (the mock's catalogue), and all its prose is Dutch.

Each comparison is a function that lists what it finds wrong, so that it is tried both on the shipped edition
(nothing wrong) and on copies spoiled one way each (something wrong, said where)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from e2e.manual import EDITIONS, MANUAL_FILE, Edition, Instruction, Target, load_edition

ROOT = Path(__file__).resolve().parent.parent
DUTCH_FILE = ROOT / "e2e" / "manual-nl.yaml"
CATALOGUE_FILE = ROOT / "mock_csam" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
# The parts of a check item that name a screen word; the others (data, near, value, role) are the same in
# every language.
WORD_FIELDS = ("label", "within", "option")


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    """The mock's Dutch catalogue: French msgid → the Dutch its pages show."""
    with CATALOGUE_FILE.open("rb") as po:
        return read_po(po, locale="nl")


@pytest.fixture(scope="module")
def french() -> Edition:
    return load_edition(MANUAL_FILE)


@pytest.fixture(scope="module")
def dutch() -> Edition:
    return load_edition(DUTCH_FILE)


def mock_dutch(catalogue: Catalog, french_words: str) -> str | None:
    """What the mock shows in Dutch for words it shows in French; None when it has no such message."""
    message = catalogue.get(french_words)
    return message.string if message is not None and isinstance(message.string, str) and message.string else None


def quoted_in_rule(catalogue: Catalog, french_words: str, dutch_words: str) -> bool:
    """Whether some message quotes the French words (« … ») and its Dutch quotes the Dutch words (“ … ”): how
    the mock names what is not a screen word of its own, such as the SZV roles INAMI gives."""
    said = re.compile(r"«\s*" + re.escape(french_words) + r"\s*»")
    translated = re.compile(r"[“«]\s*" + re.escape(dutch_words) + r"\s*[”»]")
    return any(
        isinstance(m.id, str) and isinstance(m.string, str) and said.search(m.id) and translated.search(m.string)
        for m in catalogue
    )


def _shape(target: Target) -> tuple[Any, ...]:
    """A check item without its screen words: what must be the same in both languages (a `go` names a path,
    not words)."""
    return (
        target.verb,
        target.data,
        target.near,
        target.value,
        target.role,
        target.label if target.verb == "go" else None,
        *(getattr(target, name) is None for name in WORD_FIELDS),
    )


def structure_problems(french: Edition, dutch: Edition) -> list[str]:
    """Where the Dutch edition is not the French one instruction for instruction: IDs in the same order, then
    for each its step, kind, browser flag, actions, number of labels and check items' shapes."""
    ids = ([i.id for i in french.instructions], [i.id for i in dutch.instructions])
    if ids[0] != ids[1]:
        return [f"instruction IDs differ: {ids[0]} vs {ids[1]}"]
    problems = []
    for fr, nl in zip(french.instructions, dutch.instructions, strict=False):
        for name in ("step", "kind", "browser", "actions"):
            if getattr(fr, name) != getattr(nl, name):
                problems.append(f"{nl.id}: {name} {getattr(nl, name)!r}, French {getattr(fr, name)!r}")
        if len(fr.labels) != len(nl.labels):
            problems.append(f"{nl.id}: {len(nl.labels)} labels, French {len(fr.labels)}")
        if [_shape(t) for t in fr.check] != [_shape(t) for t in nl.check]:
            problems.append(
                f"{nl.id}: check {[t.as_yaml() for t in nl.check]} is not shaped as {[t.as_yaml() for t in fr.check]}"
            )
    if [n.id for n in french.notes] != [n.id for n in dutch.notes]:
        problems.append(f"notes {[n.id for n in dutch.notes]}, French {[n.id for n in french.notes]}")
    if french.beyond_the_manual != dutch.beyond_the_manual:
        problems.append("beyond_the_manual differs from the French edition's")
    return problems


def _label_problems(fr: Instruction, nl: Instruction, catalogue: Catalog) -> list[str]:
    problems = []
    if fr.browser:
        # The walk finds these words on the mock's Dutch pages: each must be exactly what the mock shows for the
        # French word in the same place, in labels and in the check items alike.
        for fr_label, nl_label in zip(fr.labels, nl.labels, strict=False):
            expected = mock_dutch(catalogue, fr_label)
            if expected is None:
                problems.append(f"{nl.id}: the mock has no message «{fr_label}»")
            elif nl_label != expected:
                problems.append(f"{nl.id}: label «{nl_label}», the mock shows «{expected}» for «{fr_label}»")
        for fr_target, nl_target in zip(fr.check, nl.check, strict=False):
            for name in WORD_FIELDS if fr_target.verb != "go" else WORD_FIELDS[1:]:
                fr_word, nl_word = getattr(fr_target, name), getattr(nl_target, name)
                if fr_word is not None and nl_word != mock_dutch(catalogue, fr_word):
                    problems.append(
                        f"{nl.id}: check {name} «{nl_word}», the mock shows "
                        f"«{mock_dutch(catalogue, fr_word)}» for «{fr_word}»"
                    )
    else:
        # Back-office words are INAMI's data, not the mock's screen words: the Dutch must be the words the
        # mock's Dutch messages use when they quote them.
        for fr_label, nl_label in zip(fr.labels, nl.labels, strict=False):
            if not quoted_in_rule(catalogue, fr_label, nl_label):
                problems.append(f"{nl.id}: no message of the mock quotes «{fr_label}» as «{nl_label}»")
    return problems


def label_problems(french: Edition, dutch: Edition, catalogue: Catalog) -> list[str]:
    """Where a Dutch screen word is not the mock's Dutch for the French word at the same position."""
    return [
        problem
        for fr, nl in zip(french.instructions, dutch.instructions, strict=False)
        for problem in _label_problems(fr, nl, catalogue)
    ]


def translation_problems(french: Edition, dutch: Edition) -> list[str]:
    """Prose left in French: an instruction text, a step title or a note equal to the French one, or a French
    screen word still in the Dutch prose."""
    problems = [
        f"{nl.id}: text not translated"
        for fr, nl in zip(french.instructions, dutch.instructions, strict=False)
        if fr.text == nl.text
    ]
    problems += [f"step {n}: title not translated" for n, title in dutch.steps.items() if title == french.steps.get(n)]
    problems += [
        f"note {nl.id}: text not translated"
        for fr, nl in zip(french.notes, dutch.notes, strict=False)
        if fr.text == nl.text
    ]
    french_words = {label for item in french.instructions for label in item.labels}
    prose = (
        [(i.id, i.text) for i in dutch.instructions]
        + [(n.id, n.text) for n in dutch.notes]
        + [(f"step {n}", title) for n, title in dutch.steps.items()]
    )
    problems += [
        f"{where}: French «{word}» left in «{text}»"
        for where, text in prose
        for word in french_words
        if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)
    ]
    return problems


def naming_problems(french: Edition, dutch: Edition) -> list[str]:
    """Where the French text names a screen word in its sentence and the Dutch text does not name the Dutch
    word: a reader of the Dutch manual would not know what to look for on the page."""
    return [
        f"{nl.id}: the text does not name «{nl_label}» (the French names «{fr_label}»)"
        for fr, nl in zip(french.instructions, dutch.instructions, strict=False)
        for fr_label, nl_label in zip(fr.labels, nl.labels, strict=False)
        if fr_label in fr.text and nl_label not in nl.text
    ]


def info_problems(dutch: Edition) -> list[str]:
    """What the edition must say about itself: a Dutch title, Dutch, and the French edition it translates."""
    problems = []
    if not dutch.info.title:
        problems.append("edition: no title")
    if dutch.info.language != "nl":
        problems.append(f"edition.language is {dutch.info.language!r}, not 'nl'")
    if dutch.info.translated_from != "manual-2018":
        problems.append(f"edition.translated_from is {dutch.info.translated_from!r}, not 'manual-2018'")
    return problems


# ---------------------------------------------------------------------------------------------------------
# The shipped Dutch edition
# ---------------------------------------------------------------------------------------------------------


def test_the_dutch_edition_loads_and_says_what_it_translates(dutch: Edition) -> None:
    assert len(dutch.instructions) > 0
    assert info_problems(dutch) == []
    # The edition it translates is the shipped 2018 one, by the name every command knows it.
    assert EDITIONS[dutch.info.translated_from] == MANUAL_FILE


def test_the_header_says_it_is_a_translation_made_here_and_not_official() -> None:
    header = " ".join(
        line.lstrip("# ") for line in DUTCH_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")
    )
    header = " ".join(header.split())
    assert "translation made for csam-harness" in header
    assert "«Manuel d'utilisateurs pour les étapes préparatoires de l'application d'inclusion» (2018" in header
    assert "not an official text" in header
    assert "docs/manual-schema.md" in header


def test_it_is_the_french_edition_instruction_for_instruction(french: Edition, dutch: Edition) -> None:
    assert structure_problems(french, dutch) == []


def test_its_labels_are_the_words_of_the_mock_in_dutch(french: Edition, dutch: Edition, catalogue: Catalog) -> None:
    assert label_problems(french, dutch, catalogue) == []


def test_all_its_prose_is_translated(french: Edition, dutch: Edition) -> None:
    assert translation_problems(french, dutch) == []


def test_its_texts_name_the_screen_words_the_french_texts_name(french: Edition, dutch: Edition) -> None:
    assert naming_problems(french, dutch) == []


# ---------------------------------------------------------------------------------------------------------
# The same comparisons on spoiled copies: each finds what was spoiled
# ---------------------------------------------------------------------------------------------------------


def _entry(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(e for e in data["instructions"] if e["id"] == ident)


def _french_data() -> dict[str, Any]:
    return yaml.safe_load(MANUAL_FILE.read_text(encoding="utf-8"))


def _set(ident: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: _entry(data, ident).update(fields)


SPOILED: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    # case: (change to the Dutch edition's data, the comparison that must notice, words of its message)
    "label left in French": (
        _set("2.2", labels=["Professionnels de la santé"], check=[{"click": "Professionnels de la santé"}]),
        "labels",
        "2.2: label «Professionnels de la santé»",
    ),
    "label in other Dutch words": (
        _set(
            "2.7",
            labels=["RIZIV-nummer", "Verder"],
            check=[{"fill": "RIZIV-nummer", "value": "project.inami_number"}, {"click": "Verder", "role": "button"}],
        ),
        "labels",
        "the mock shows «Volgende» for «Suivant»",
    ),
    "labels in another order": (
        _set("2.12", labels=["Elektronische handtekening", "Het document downloaden"]),
        "labels",
        "2.12: label",
    ),
    "check names another label": (
        _set(
            "2.13",
            check=[{"see": "Het document downloaden", "role": "region"}, {"download": "Het document downloaden"}],
        ),
        "labels",
        "2.13: check label",
    ),
    "within names another label": (
        _set(
            "4.9",
            check=[{"see": "Functionaliteiten", "role": "navigation"}, {"click": "Gebruikers", "within": "Gebruikers"}],
        ),
        "labels",
        "4.9: check within",
    ),
    "back-office role the mock does not quote": (
        _set("1.3", labels=["verantwoordelijke", "certificaatbeheerder"]),
        "labels",
        "1.3: no message of the mock quotes «gestionnaire de certificat e-Health» as «certificaatbeheerder»",
    ),
    "action left out": (_set("2.7", actions=["IdentificationPage.enter_inami_number"]), "structure", "2.7: actions"),
    "another kind": (_set("4.17", kind="tick"), "structure", "4.17: kind 'tick'"),
    "another browser flag": (_set("4.23", browser=False), "structure", "4.23: browser False"),
    "another step": (lambda d: d["instructions"].remove(_entry(d, "3.12")), "structure", "instruction IDs differ"),
    "check item without its role": (_set("4.19", check=[{"click": "Toevoegen"}]), "structure", "4.19: check"),
    "another path to go to": (_set("3.1", check=[{"go": "/nl"}]), "structure", "3.1: check"),
    "check item with another value": (
        _set("4.18", check=[{"fill": "Begindatum", "value": "tomorrow"}, {"see": "Einddatum", "role": "textbox"}]),
        "structure",
        "4.18: check",
    ),
    "beyond the manual translated": (
        lambda d: d["beyond_the_manual"].update({"ListViewPage.click_retour": "Terug naar het project."}),
        "structure",
        "beyond_the_manual",
    ),
    "text left in French": (_set("4.19", text="Cliquez sur Ajouter."), "translation", "4.19: text not translated"),
    "French word left in a text": (
        _set("4.13", text="Klik op «Enregistrer»."),
        "translation",
        "4.13: French «Enregistrer» left",
    ),
    "step title left in French": (
        lambda d: d["steps"].update({3: _french_data()["steps"][3]}),
        "translation",
        "step 3: title not translated",
    ),
    "note left in French": (
        lambda d: d["notes"][0].update(text=_french_data()["notes"][0]["text"]),
        "translation",
        "note AR78: text not translated",
    ),
    "screen word no longer in the text": (
        _set("2.4", text="Klik op de aanvraag."),
        "naming",
        "2.4: the text does not name «Toegangsaanvraag»",
    ),
    "edition in French": (lambda d: d["edition"].update(language="fr"), "info", "edition.language is 'fr'"),
    "edition translating another": (
        lambda d: d["edition"].update(translated_from="current"),
        "info",
        "edition.translated_from is 'current'",
    ),
}


@pytest.mark.parametrize("case", sorted(SPOILED))
def test_each_comparison_finds_a_spoiled_copy(case: str, tmp_path: Path, french: Edition, catalogue: Catalog) -> None:
    change, comparison, message = SPOILED[case]
    data = yaml.safe_load(DUTCH_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "manual-nl.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    spoiled = load_edition(path)  # still a valid edition: only the comparisons can tell
    found = {
        "structure": lambda: structure_problems(french, spoiled),
        "labels": lambda: label_problems(french, spoiled, catalogue),
        "translation": lambda: translation_problems(french, spoiled),
        "naming": lambda: naming_problems(french, spoiled),
        "info": lambda: info_problems(spoiled),
    }[comparison]()
    assert any(message in problem for problem in found), found


def test_the_harness_label_catalogue_says_in_dutch_what_the_mock_shows(catalogue: Catalog) -> None:
    """The page objects' Dutch words (e2e/labels.yaml) are the mock's Dutch for their French words."""
    import re

    from e2e.pages.site import SITE_VERSIONS, Site
    from e2e.pages.site import catalogue as labels

    wrong = {}
    for key, entry in labels().items():
        # A word with data in it is the mock's message with its %(name)s placeholder.
        values = {name: f"%({name})s" for name in re.findall(r"\{(\w+)\}", str(entry))}
        for version in SITE_VERSIONS:
            fr, nl = Site(version, "fr"), Site(version, "nl")
            if not fr.shows(key):
                continue
            french_words = fr.label(key, **values)
            expected = mock_dutch(catalogue, french_words) or mock_dutch(catalogue, french_words + " *")
            if expected is None or expected.removesuffix(" *") != nl.label(key, **values):
                wrong[f"{key} ({version})"] = (nl.label(key, **values), expected)
    assert not wrong, wrong
