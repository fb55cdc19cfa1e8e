"""The house rules a newcomer can count on, checked on the source as text (nothing is imported or run): no module of
the mock or the harness grows past one screenful of concepts (450 lines), every module says what it is for in a
docstring, and test modules take their helpers from helper modules, never from another test module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mock_csam", "e2e")
MAX_LINES = 450


def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_module_of_the_mock_or_the_harness_exceeds_450_lines() -> None:
    too_long = {
        relative(path): count
        for path in python_files(*PACKAGES)
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these modules by concept (at most {MAX_LINES} lines each): {too_long}"


@pytest.mark.parametrize("folder", [*PACKAGES, "fixtures", "tests", "benchmarks"])
def test_every_module_has_a_docstring(folder: str) -> None:
    missing = [
        relative(path)
        for path in python_files(folder)
        if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert not missing, f"modules without a docstring saying what they are for: {missing}"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_test_modules_import_helpers_not_other_test_modules() -> None:
    offenders = {
        relative(path): sorted(name for name in imported if name.rsplit(".", 1)[-1].startswith(("test_", "conftest")))
        for path in python_files("tests", "e2e")
        if (imported := imported_modules(path))
    }
    offenders = {path: names for path, names in offenders.items() if names}
    assert not offenders, f"import shared helpers from tests/helpers.py or e2e/ helper modules: {offenders}"
