"""Every browser instruction of the manual is performed by a test, and every marker names a real instruction;
every instruction names the page-object actions that perform it, and every page-object action performs an
instruction or says, in manual.yaml, why it exists.

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

import pytest

from e2e.manual import (
    EDITIONS,
    Edition,
    load_edition,
    load_manual,
    page_object_actions,
    resolve_action,
)

E2E = Path(__file__).parent
EXPECTED_IDS = (
    [f"1.{n}" for n in range(1, 4)] + [f"2.{n}" for n in range(1, 14)]
    + [f"3.{n}" for n in range(1, 13)] + [f"4.{n}" for n in range(1, 24)]
)


def _is_manual_marker(node: ast.AST) -> bool:
    """`pytest.mark.manual(...)` or `mark.manual(...)`."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "manual"
            and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "mark")


def marked_ids(source: str, filename: str) -> dict[str, list[str]]:
    """Instruction ID -> the tests (file::function) whose manual markers name it, from one file's source."""
    tree = ast.parse(source, filename)
    found: dict[str, list[str]] = {}
    module_ids = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in statement.targets):
            module_ids += [ident for call in ast.walk(statement.value) if _is_manual_marker(call)
                           for ident in _literal_ids(call, filename)]
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name.startswith(
                ("test", "Test")):
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
    known = {item.id for e in [*map(load_edition, EDITIONS), edition] for item in (*e.instructions, *e.notes)}
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


def test_browser_instructions_are_performed_by_page_objects_and_step_1_by_the_back_office(
        edition: Edition) -> None:
    for instruction in edition.instructions:
        seeded = [a for a in instruction.actions if a.startswith("MockSeeder.")]
        if instruction.browser:
            assert len(seeded) < len(instruction.actions), f"{instruction.id} has no page-object action"
        else:
            assert seeded == list(instruction.actions), f"{instruction.id} is done by INAMI, not in a browser"


def test_every_page_object_action_performs_an_instruction_or_says_why_not(edition: Edition | None = None) -> None:
    edition = edition or load_edition()
    named, beyond = named_actions(edition), edition.beyond_the_manual
    unaccounted = [action for action in page_object_actions()
                   if action not in named and action not in beyond
                   and not (action.endswith(VARIANT_SUFFIX) and action.removesuffix(VARIANT_SUFFIX) in named)]
    assert not unaccounted, (
        f"these page-object actions perform no instruction: name them in an instruction's actions, or under "
        f"beyond_the_manual with the reason they exist: {unaccounted}")


def test_beyond_the_manual_lists_only_real_actions_no_instruction_names(edition: Edition) -> None:
    actions, named = set(page_object_actions()), named_actions(edition)
    beyond = edition.beyond_the_manual
    assert not set(beyond) - actions, f"not page-object actions: {sorted(set(beyond) - actions)}"
    assert not set(beyond) & named, f"named by instructions, yet listed as beyond: {sorted(set(beyond) & named)}"


def test_the_labels_of_an_instruction_are_in_the_page_objects_that_perform_it(edition: Edition) -> None:
    """Page objects find the screen's words by role and accessible name: every label an instruction names is
    written in the module of one of its actions (or in the components every page shares, or in the catalogue
    of words that differ between site versions)."""
    shared = "".join(inspect.getsource(importlib.import_module(f"e2e.pages.{name}")) for name in ("components", "site"))
    missing = {}
    for instruction in edition.instructions:
        if not instruction.browser:
            continue
        sources = shared + "".join(inspect.getsource(inspect.getmodule(resolve_action(a)))
                                   for a in instruction.actions)
        absent = [label for label in instruction.labels if label not in sources]
        if absent:
            missing[instruction.id] = absent
    assert not missing, missing


def test_action_bookkeeping_catches_an_action_without_instruction(monkeypatch: pytest.MonkeyPatch) -> None:
    from e2e.pages.portal import PortalHome

    def click_something_new(self) -> PortalHome:  # an action no instruction names
        return self

    monkeypatch.setattr(PortalHome, "click_something_new", click_something_new, raising=False)
    with pytest.raises(AssertionError, match="PortalHome.click_something_new"):
        test_every_page_object_action_performs_an_instruction_or_says_why_not()


@pytest.mark.parametrize("name", ["PortalHome.click_nowhere", "NoSuchPage.open", "MockSeeder.nothing"])
def test_an_action_name_that_resolves_to_nothing_is_refused(name: str) -> None:
    with pytest.raises(LookupError):
        resolve_action(name)
