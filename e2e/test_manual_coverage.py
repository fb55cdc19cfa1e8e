"""Every browser instruction of the manual is performed by a test, and every marker names a real instruction.

The markers are read from the test files' source with `ast`, not by collecting the tests, so this check runs
alone (`pytest e2e/test_manual_coverage.py`) without a browser and sees tests that fail to collect too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from e2e.manual import load_manual, load_notes

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


def test_browser_instructions_are_exactly_steps_2_to_4() -> None:
    browser = [i.id for i in load_manual() if i.browser]
    assert browser == [ident for ident in EXPECTED_IDS if not ident.startswith("1.")]


def test_every_browser_instruction_is_performed_by_a_test() -> None:
    marked = markers_in_suites()
    missing = [i.id for i in load_manual() if i.browser and i.id not in marked]
    assert not missing, f"no test marks these manual instructions: {', '.join(missing)}"


def test_every_note_of_the_manual_is_proven_by_a_test() -> None:
    notes = [n.id for n in load_notes()]
    assert notes == ["AR78"]
    missing = [ident for ident in notes if ident not in markers_in_suites()]
    assert not missing, f"no test marks these manual notes: {', '.join(missing)}"


def test_every_marker_names_an_instruction_of_the_manual() -> None:
    known = {i.id for i in load_manual()} | {n.id for n in load_notes()}
    unknown = {ident: tests for ident, tests in markers_in_suites().items() if ident not in known}
    assert not unknown, f"markers name instructions the manual does not have: {unknown}"


def test_no_marker_names_an_instruction_a_browser_cannot_perform() -> None:
    office = {i.id for i in load_manual() if not i.browser}
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
