"""Every browser instruction of the manual is performed by a test, and every marker names a real instruction;
every instruction names the page-object actions that perform it, and every page-object action performs an
instruction or says, in manual.yaml, why it exists; every screen word an instruction names is in the catalogue
(e2e/labels.yaml) and read by the page objects that perform it, and every word of the catalogue is read.

The markers are read from the test files' source with `ast`, not by collecting the tests, so this check runs
alone (`pytest e2e/test_manual_coverage.py`) without a browser and sees tests that fail to collect too. It checks
the 2018 edition, or the one `--manual EDITION` names (a file, or `current`): an edition whose instructions no
test performs, or whose actions do not exist, fails here before anyone records it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any, TypeGuard

import pytest

from e2e.actions import page_object_actions, resolve_action
from e2e.manual import (
    EDITIONS,
    Edition,
    load_edition,
    load_manual,
)
from e2e.pages import site as site_module
from e2e.pages.site import (
    CATALOGUE,
    DEFAULT_VERSION,
    SITE_VERSIONS,
    Site,
    catalogue,
    keys_of,
    label_pattern,
    languages,
    placeholders,
    translate,
)
from e2e.translation import edition_site

E2E = Path(__file__).parent
EXPECTED_IDS = (
    [f"1.{n}" for n in range(1, 4)]
    + [f"2.{n}" for n in range(1, 14)]
    + [f"3.{n}" for n in range(1, 13)]
    + [f"4.{n}" for n in range(1, 24)]
)


def _is_manual_marker(node: ast.AST) -> TypeGuard[ast.Call]:
    """`pytest.mark.manual(...)` or `mark.manual(...)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "manual"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "mark"
    )


def marked_ids(source: str, filename: str) -> dict[str, list[str]]:
    """Instruction ID -> the tests (file::function) whose manual markers name it, from one file's source."""
    tree = ast.parse(source, filename)
    found: dict[str, list[str]] = {}
    module_ids = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in statement.targets
        ):
            module_ids += [
                ident
                for call in ast.walk(statement.value)
                if _is_manual_marker(call)
                for ident in _literal_ids(call, filename)
            ]
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name.startswith(
            ("test", "Test")
        ):
            ids = list(module_ids)
            for decorator in node.decorator_list:
                for call in ast.walk(decorator):
                    if _is_manual_marker(call):
                        ids += _literal_ids(call, filename)
            for ident in ids:
                found.setdefault(ident, []).append(f"{Path(filename).name}::{node.name}")
    return found


def _literal_ids(call: ast.Call, filename: str) -> list[str]:
    ids = []
    for arg in call.args:
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise AssertionError(f"{filename}:{call.lineno}: manual() takes instruction IDs as string literals")
        ids.append(arg.value)
    return ids


def markers_in_suites() -> dict[str, list[str]]:
    """Instruction ID -> tests naming it, over every e2e test file."""
    found: dict[str, list[str]] = {}
    for path in sorted(E2E.glob("test_*.py")):
        for ident, tests in marked_ids(path.read_text(encoding="utf-8"), str(path)).items():
            found.setdefault(ident, []).extend(tests)
    return found


def test_manual_has_exactly_the_instruction_ids_of_steps_1_to_4() -> None:
    assert [i.id for i in load_manual()] == EXPECTED_IDS


@pytest.fixture(scope="module")
def edition(pytestconfig: pytest.Config) -> Edition:
    """The edition under check: --manual, else the 2018 one."""
    return load_edition(pytestconfig.getoption("manual_edition", None))


def test_browser_instructions_are_exactly_steps_2_to_4() -> None:
    browser = [i.id for i in load_manual() if i.browser]
    assert browser == [ident for ident in EXPECTED_IDS if not ident.startswith("1.")]


def test_every_browser_instruction_is_performed_by_a_test(edition: Edition) -> None:
    marked = markers_in_suites()
    missing = [i.id for i in edition.instructions if i.browser and i.id not in marked]
    assert not missing, f"no test marks these manual instructions: {', '.join(missing)}"


def test_every_note_of_the_manual_is_proven_by_a_test(edition: Edition) -> None:
    notes = [n.id for n in edition.notes]
    missing = [ident for ident in notes if ident not in markers_in_suites()]
    assert not missing, f"no test marks these manual notes: {', '.join(missing)}"


def test_every_marker_names_an_instruction_of_the_manual(edition: Edition) -> None:
    """Markers name instructions of the shipped editions (the edition checked included)."""
    editions = [*map(load_edition, EDITIONS), edition]
    known = {i.id for e in editions for i in e.instructions} | {n.id for e in editions for n in e.notes}
    unknown = {ident: tests for ident, tests in markers_in_suites().items() if ident not in known}
    assert not unknown, f"markers name instructions the manual does not have: {unknown}"


def test_no_marker_names_an_instruction_a_browser_cannot_perform(edition: Edition) -> None:
    office = {i.id for i in edition.instructions if not i.browser}
    wrong = {ident: tests for ident, tests in markers_in_suites().items() if ident in office}
    assert not wrong, f"these tests claim to perform back-office instructions in the browser: {wrong}"


def test_marker_reader_finds_decorators_module_marks_and_rejects_non_literals() -> None:
    source = (
        "import pytest\n"
        "pytestmark = [pytest.mark.manual('2.1')]\n"
        "@pytest.mark.manual('4.10', '4.11')\n"
        "def test_a(): pass\n"
        "def test_b(): pass\n"
        "def helper(): pass\n"
    )
    assert marked_ids(source, "test_x.py") == {
        "2.1": ["test_x.py::test_a", "test_x.py::test_b"],
        "4.10": ["test_x.py::test_a"],
        "4.11": ["test_x.py::test_a"],
    }
    with pytest.raises(AssertionError, match="string literals"):
        marked_ids("import pytest\nID='2.1'\n@pytest.mark.manual(ID)\ndef test_c(): pass\n", "test_y.py")


# ---------------------------------------------------------------------------------------------------------
# Instructions <-> page-object actions
# ---------------------------------------------------------------------------------------------------------

VARIANT_SUFFIX = "_and_stay"


def named_actions(edition: Edition) -> set[str]:
    return {action for instruction in edition.instructions for action in instruction.actions}


def test_every_instruction_names_actions_that_exist(edition: Edition) -> None:
    problems = []
    for instruction in edition.instructions:
        for action in instruction.actions:
            try:
                resolve_action(action)
            except LookupError as error:
                problems.append(f"{instruction.id}: {error}")
    assert not problems, problems


def test_browser_instructions_are_performed_by_page_objects_and_step_1_by_the_back_office(edition: Edition) -> None:
    for instruction in edition.instructions:
        seeded = [a for a in instruction.actions if a.startswith("MockSeeder.")]
        if instruction.browser:
            assert len(seeded) < len(instruction.actions), f"{instruction.id} has no page-object action"
        else:
            assert seeded == list(instruction.actions), f"{instruction.id} is done by INAMI, not in a browser"


def unaccounted_actions(edition: Edition) -> list[str]:
    """The page-object actions that neither an instruction nor `beyond_the_manual` names."""
    named, beyond = named_actions(edition), edition.beyond_the_manual
    return [
        action
        for action in page_object_actions()
        if action not in named
        and action not in beyond
        and not (action.endswith(VARIANT_SUFFIX) and action.removesuffix(VARIANT_SUFFIX) in named)
    ]


def test_every_page_object_action_performs_an_instruction_or_says_why_not() -> None:
    unaccounted = unaccounted_actions(load_edition())
    assert not unaccounted, (
        f"these page-object actions perform no instruction: name them in an instruction's actions, or under "
        f"beyond_the_manual with the reason they exist: {unaccounted}"
    )


def test_beyond_the_manual_lists_only_real_actions_no_instruction_names(edition: Edition) -> None:
    actions, named = set(page_object_actions()), named_actions(edition)
    beyond = edition.beyond_the_manual
    assert not set(beyond) - actions, f"not page-object actions: {sorted(set(beyond) - actions)}"
    assert not set(beyond) & named, f"named by instructions, yet listed as beyond: {sorted(set(beyond) & named)}"


def uses_key(source: str, key: str) -> bool:
    """Whether Python source names a catalogue key (as a string literal)."""
    return f'"{key}"' in source or f"'{key}'" in source


def module_of(action: Any) -> ModuleType:
    """The module an action's method is defined in."""
    module = inspect.getmodule(action)
    assert module is not None, f"{action} is defined in no module"
    return module


def test_the_labels_of_an_instruction_are_in_the_page_objects_that_perform_it(edition: Edition) -> None:
    """Page objects find the screen's words by role and accessible name, reading them from the catalogue
    (e2e/labels.yaml): every label an instruction names is the words of a catalogue key on the edition's site
    (the `fr` column for the French editions), and the module of one of its actions (or the components and base
    every page shares) reads that key."""
    site = edition_site(edition)
    shared = "".join(inspect.getsource(importlib.import_module(f"e2e.pages.{name}")) for name in ("components", "base"))
    not_in_catalogue: dict[str, list[str]] = {}
    not_read: dict[str, list[str]] = {}
    for instruction in edition.instructions:
        if not instruction.browser:
            continue
        sources = shared + "".join(inspect.getsource(module_of(resolve_action(a))) for a in instruction.actions)
        for label in instruction.labels:
            keys = [key for key, _data in keys_of(label, site)]
            if not keys:
                not_in_catalogue.setdefault(instruction.id, []).append(label)
            elif not any(uses_key(sources, key) for key in keys):
                not_read.setdefault(instruction.id, []).append(f"{label} ({' or '.join(keys)})")
    assert not not_in_catalogue, f"labels no catalogue key has on {site.version} ({CATALOGUE}): {not_in_catalogue}"
    assert not not_read, f"labels whose key no module of the instruction's actions reads: {not_read}"


# ---------------------------------------------------------------------------------------------------------
# The catalogue of screen words (e2e/labels.yaml)
# ---------------------------------------------------------------------------------------------------------

# Where the harness reads the catalogue's keys: the page objects (site.py only reads the file) and the flows.
PAGE_MODULES = [path for path in sorted((E2E / "pages").glob("*.py")) if path.name != "site.py"]
READERS_OF_WORDS = [*PAGE_MODULES, E2E / "flows.py"]
# Page-object calls whose text arguments are screen words (a role, the first argument of get_by_role, is not).
WORD_CALLS = {"get_by_label": 0, "get_by_text": 0, "get_by_placeholder": 0, "get_by_title": 0, "h1": 0}
WORD_KEYWORDS = {"name", "label", "has_text", "has_not_text"}


def test_every_catalogue_key_is_read_by_a_page_object_or_a_flow() -> None:
    sources = "".join(path.read_text(encoding="utf-8") for path in READERS_OF_WORDS)
    dead = [key for key in catalogue() if not uses_key(sources, key)]
    assert not dead, f"{CATALOGUE} has words no page object or flow reads: {dead}"


def test_every_catalogue_entry_has_the_french_column_and_every_column() -> None:
    """French is the manual's language; a column another entry has is missing nowhere (a half language would
    fail a walk on its first missing word instead of here)."""
    columns = set(languages())
    assert "fr" in columns
    incomplete = {key: sorted(columns - set(entry)) for key, entry in catalogue().items() if set(entry) != columns}
    assert not incomplete, f"entries missing a column: {incomplete}"


def test_every_column_of_an_entry_has_the_same_placeholders() -> None:
    differ = {}
    for key, entry in catalogue().items():
        found = {
            (lang, version): placeholders(words)
            for lang, column in entry.items()
            for version, words in (column.items() if isinstance(column, dict) else [(None, column)])
            if words is not None
        }
        if len(set(found.values())) > 1:
            differ[key] = found
    assert not differ, differ


def test_no_screen_word_is_written_in_a_page_object() -> None:
    """The page objects pass the catalogue's words to Playwright, never text of their own."""
    inline = []
    for path in PAGE_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            position = WORD_CALLS.get(node.func.attr)
            texts = [node.args[position]] if position is not None and len(node.args) > position else []
            texts += [kw.value for kw in node.keywords if kw.arg in WORD_KEYWORDS]
            inline += [
                f"{path.name}:{node.lineno}: {ast.unparse(text)}"
                for text in texts
                if isinstance(text, ast.JoinedStr) or (isinstance(text, ast.Constant) and isinstance(text.value, str))
            ]
    assert not inline, f"screen words written inline (put them in {CATALOGUE}): {inline}"


@pytest.mark.parametrize("version", SITE_VERSIONS)
def test_translate_round_trips_every_key_between_every_two_columns(version: str) -> None:
    for lang_from in languages():
        for lang_to in languages():
            site_from, site_to = Site(version, lang_from), Site(version, lang_to)
            for key in catalogue():
                if not site_from.shows(key):
                    continue
                data = {name: f"<{name}>" for name in _placeholders_of(key, site_from)}
                words = site_from.label(key, **data)
                there = translate(words, site_from, site_to)
                assert there == site_to.label(key, **data), (key, lang_from, lang_to)
                assert translate(there, site_to, site_from) == words, (key, lang_to, lang_from)


def _placeholders_of(key: str, site: Site) -> frozenset[str]:
    """The placeholders of a key's words on a site."""
    column = catalogue()[key][site.lang]
    return placeholders((column[site.version] if isinstance(column, dict) else column) or "")


def test_translate_says_a_version_s_words_as_the_other_version_does() -> None:
    old, new = Site("manual-2018"), Site("current")
    assert translate("Type d'identification", old, new) == "Type d'institution"
    assert translate("Numéro d'institution (8 chiffres)", new, old) == "N°INAMI"
    assert translate("Sélectionner Jan Peeters", old, new) == "Sélectionner Jan Peeters"
    # «Suivant» is the designation's submit button on the 2018 site, and «next» everywhere: today's site words
    # those two differently, so the words alone cannot say which is meant.
    with pytest.raises(LookupError, match=r"next, designation\.submit"):
        translate("Suivant", old, new)
    with pytest.raises(LookupError, match=r"'Au revoir'.*'fr'"):
        translate("Au revoir", old, new)


def test_a_language_is_a_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """How the Dutch column will read: its words on its site, French words said in Dutch (data carried over),
    and a word the column lacks named with its key and language."""
    columns = {
        "next": {"fr": "Suivant", "nl": "Volgende"},
        "users.select_row": {"fr": "Sélectionner {name}", "nl": "{name} selecteren"},
        "designation.type": {
            "fr": {"manual-2018": "Type d'identification", "current": "Type d'institution"},
            "nl": {"manual-2018": "Type identificatie", "current": "Type instelling"},
        },
        "menu": {"fr": "Fonctionnalités"},
    }
    monkeypatch.setattr(site_module, "catalogue", lambda: columns)
    fr, nl = Site("current", "fr"), Site("current", "nl")
    assert nl.label("designation.type") == "Type instelling"
    assert nl.label("users.select_row", name="Jan Peeters") == "Jan Peeters selecteren"
    assert translate("Suivant", fr, nl) == "Volgende"
    assert translate("Sélectionner Jan Peeters", fr, nl) == "Jan Peeters selecteren"
    assert translate("Jan Peeters selecteren", nl, fr) == "Sélectionner Jan Peeters"
    assert languages() == ("fr", "nl")
    with pytest.raises(LookupError, match=r"'menu'.*'nl'"):
        nl.label("menu")
    with pytest.raises(LookupError, match="'nope'"):
        fr.label("nope")
    with pytest.raises(LookupError, match=r"\{name\}"):
        fr.label("users.select_row")


def test_the_default_site_reads_the_manual_s_words() -> None:
    site = Site()
    assert (site.version, site.lang) == (DEFAULT_VERSION, "fr")
    assert site.label("designation.type") == "Type d'identification"
    assert Site("current").label("designation.type") == "Type d'institution"
    assert not site.shows("access_request.section") and Site("current").shows("access_request.section")
    clock = label_pattern(site, "footer.simulated_date", "footer.today", whole=True)
    assert clock.match("date simulée : 01/02/2026") and clock.match("date du jour : 04/12/2026")
    assert not clock.match("la date simulée : 01/02/2026")


def test_action_bookkeeping_catches_an_action_without_instruction(monkeypatch: pytest.MonkeyPatch) -> None:
    from e2e.pages.portal import PortalHome

    def click_something_new(self) -> PortalHome:  # an action no instruction names
        return self

    monkeypatch.setattr(PortalHome, "click_something_new", click_something_new, raising=False)
    assert "PortalHome.click_something_new" in unaccounted_actions(load_edition())


@pytest.mark.parametrize("name", ["PortalHome.click_nowhere", "NoSuchPage.open", "MockSeeder.nothing"])
def test_an_action_name_that_resolves_to_nothing_is_refused(name: str) -> None:
    with pytest.raises(LookupError):
        resolve_action(name)
