"""The README's rule catalogue: a table whose every row names tests that exist.

The tests are found by reading the named files with `ast` (nothing is imported or run): `path::test_x` must be a
test function of that file, `path::test_x[case]` a case of it, `path::TestClass::test_x` a method, and a bare
path an existing module.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SECTION = "## Rule catalogue"
COLUMNS = ["rule", "message shown", "tests that prove it"]
REFERENCE = re.compile(r"^(?P<path>(?:e2e|tests)/[\w/.-]+\.py)(?:::(?P<names>[\w:]+?)(?:\[[^\]]*\])?)?$")


def catalogue_rows(readme: str) -> list[list[str]]:
    """The table of the README's «Rule catalogue» section, header first, as lists of stripped cells."""
    start = readme.find(f"\n{SECTION}\n")
    if start < 0:
        return []
    body = readme[start + len(SECTION) + 2 :]
    end = body.find("\n## ")
    lines = body[: end if end >= 0 else None].splitlines()
    rows = [line.strip() for line in lines if line.strip().startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def references(cell: str) -> list[str]:
    """The test references of a cell: every `code span`."""
    return re.findall(r"`([^`]+)`", cell)


@functools.cache
def defined_tests(path: Path) -> frozenset[str]:
    """`name` for every module-level function and `Class::name` for every method of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            )
    return frozenset(names)


def unresolved(reference: str) -> str | None:
    """Why a reference names no existing test, or None when it does."""
    match = REFERENCE.match(reference)
    if match is None:
        return f"{reference!r} is not a test reference (path, path::test or path::test[case])"
    path = ROOT / match["path"]
    if not path.is_file():
        return f"{match['path']} does not exist"
    names = match["names"]
    if names is None:
        return None
    if names.split("::")[-1].startswith("test") and names in defined_tests(path):
        return None
    return f"{match['path']} has no test {names}"


def _table() -> list[list[str]]:
    return catalogue_rows(README.read_text(encoding="utf-8"))


def _all_references() -> list[str]:
    table = _table()
    return list(dict.fromkeys(ref for row in table[2:] for ref in references(row[-1]))) if table else []


def test_the_rule_catalogue_is_a_table_of_rules_messages_and_tests() -> None:
    table = _table()
    assert table, f"README.md has no table under {SECTION!r}"
    assert [cell.lower() for cell in table[0]] == COLUMNS
    assert all(set(cell) <= set("-: ") for cell in table[1]), "the second line separates the header"
    rows = table[2:]
    assert len(rows) >= 10, "the catalogue lists every rule"
    for row in rows:
        assert len(row) == len(COLUMNS), f"a row has {len(row)} cells: {row[0]!r}"
        assert row[0] and row[1], f"a rule without its message: {row!r}"
        assert references(row[-1]), f"the rule {row[0]!r} names no test"


@pytest.mark.parametrize("reference", _all_references())
def test_every_test_named_in_the_rule_catalogue_exists(reference: str) -> None:
    problem = unresolved(reference)
    assert problem is None, problem


def test_references_resolve_to_functions_cases_and_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(
        "import pytest\n"
        "@pytest.mark.parametrize('n', [1])\n"
        "def test_a(n): pass\n"
        "def helper(): pass\n"
        "class TestB:\n"
        "    def test_c(self): pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)

    assert unresolved("tests/test_x.py") is None
    assert unresolved("tests/test_x.py::test_a") is None
    assert unresolved("tests/test_x.py::test_a[chromium-case-1]") is None
    assert unresolved("tests/test_x.py::TestB::test_c") is None
    assert unresolved("tests/test_x.py::test_missing") == "tests/test_x.py has no test test_missing"
    assert unresolved("tests/test_x.py::helper") == "tests/test_x.py has no test helper"
    assert unresolved("tests/test_y.py") == "tests/test_y.py does not exist"
    assert "is not a test reference" in unresolved("README.md")


def test_the_table_is_read_from_its_own_section_only() -> None:
    readme = (
        "# x\n\n## Rule catalogue\n\nText.\n\n| rule | message shown | tests that prove it |\n|---|---|---|\n"
        "| A | «M» | `tests/a.py::test_a`<br>`e2e/b.py::test_b[c]` |\n\n## Next\n\n| other | table |\n"
    )
    rows = catalogue_rows(readme)
    assert rows[0] == COLUMNS
    assert rows[2] == ["A", "«M»", "`tests/a.py::test_a`<br>`e2e/b.py::test_b[c]`"]
    assert len(rows) == 3
    assert references(rows[2][-1]) == ["tests/a.py::test_a", "e2e/b.py::test_b[c]"]
    assert catalogue_rows("# no catalogue\n") == []
