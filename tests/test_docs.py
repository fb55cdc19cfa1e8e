"""The documentation: a short README one link from every page of `docs/`, links that lead somewhere, and the
rule catalogue (`docs/rules.md`), a table whose every row names tests that exist and that quotes every refusal
the mock's rules can show.

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
DOCS = ROOT / "docs"
CATALOGUE = DOCS / "rules.md"
SECTION = "# Rule catalogue"
# The README is the front door: what the project is, the commands, the folders, and links.
README_MAX_BYTES = 12 * 1024
COLUMNS = ["rule", "message shown", "tests that prove it"]
REFERENCE = re.compile(r"^(?P<path>(?:e2e|tests)/[\w/.-]+\.py)(?:::(?P<names>[\w:]+?)(?:\[[^\]]*\])?)?$")


def catalogue_rows(text: str) -> list[list[str]]:
    """The table of the «Rule catalogue» page (from its title to the next heading), header first, as lists of
    stripped cells."""
    start = text.find(f"{SECTION}\n")
    if start < 0 or (start > 0 and text[start - 1] != "\n"):
        return []
    body = text[start + len(SECTION) + 1 :]
    end = body.find("\n#")
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
    return catalogue_rows(CATALOGUE.read_text(encoding="utf-8"))


def _all_references() -> list[str]:
    table = _table()
    return list(dict.fromkeys(ref for row in table[2:] for ref in references(row[-1]))) if table else []


def test_the_rule_catalogue_is_a_table_of_rules_messages_and_tests() -> None:
    table = _table()
    assert table, f"docs/rules.md has no table under {SECTION!r}"
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
        "# Rule catalogue\n\nText.\n\n| rule | message shown | tests that prove it |\n|---|---|---|\n"
        "| A | «M» | `tests/a.py::test_a`<br>`e2e/b.py::test_b[c]` |\n\n## Next\n\n| other | table |\n"
    )
    rows = catalogue_rows(readme)
    assert rows[0] == COLUMNS
    assert rows[2] == ["A", "«M»", "`tests/a.py::test_a`<br>`e2e/b.py::test_b[c]`"]
    assert len(rows) == 3
    assert references(rows[2][-1]) == ["tests/a.py::test_a", "e2e/b.py::test_b[c]"]
    assert catalogue_rows("# no catalogue\n") == []


# ---------------------------------------------------------------------------------------------------------
# Nothing lost: every refusal of the mock's rules is in the catalogue
# ---------------------------------------------------------------------------------------------------------

RULES = ROOT / "mock_csam" / "domain"
# Texts of the rules modules that are not refusals: option names, field labels, the letters sent by post.
NOT_REFUSALS = {
    "Hôpital",
    "Institution de soins",
    "Maison médicale",
    "Projet de soins intégrés",
    "Prénom",
    "Nom",
    "Gestionnaire",
    "Coordinateur",
    "Au moins 8 caractères, dont au moins une lettre et un chiffre.",
    "CSAM : votre nom d'utilisateur",
    "Votre nom d'utilisateur CSAM est : %(username)s",
    "CSAM : votre mot de passe",
    "Votre mot de passe CSAM est : %(password)s",
}


def rule_modules() -> list[Path]:
    """The modules of the mock's rules: `rules.py`, or the `rules/` package's modules."""
    package = RULES / "rules"
    return sorted(package.glob("*.py")) if package.is_dir() else [RULES / "rules.py"]


def translatable_texts(path: Path) -> list[str]:
    """Every literal given to `_l(…)` or `_(…)` in a module (its French source texts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_l", "_", "gettext", "lazy_gettext")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def quoted(message: str, text: str) -> bool:
    """Whether the text quotes the message, its `%(name)s` placeholders written as they are or filled in."""
    parts = re.split(r"%\(\w+\)s", message)
    pattern = r"(?:%\(\w+\)s|.+?)".join(re.escape(part) for part in parts)
    return re.search(pattern, text) is not None


def test_every_refusal_of_the_rules_is_quoted_in_the_catalogue() -> None:
    table = _table()
    messages = "\n".join(row[1] for row in table[2:])
    refusals = {text for path in rule_modules() for text in translatable_texts(path)} - NOT_REFUSALS
    assert len(refusals) > 40, "the rules' texts are read"
    missing = sorted(message for message in refusals if not quoted(message, messages))
    assert not missing, f"refusals of the mock's rules missing from docs/rules.md's «message shown» column: {missing}"


def test_a_message_counts_as_quoted_with_its_placeholders_written_or_filled() -> None:
    assert quoted(
        "Votre rôle « %(function)s » a pris fin le %(date)s.", "«Votre rôle « Gestionnaire » a pris fin le 01/02/2026.»"
    )
    assert quoted(
        "Votre rôle « %(function)s » a pris fin le %(date)s.", "«Votre rôle « %(function)s » a pris fin le %(date)s.»"
    )
    assert not quoted("Code PIN incorrect.", "«Le code PIN est obligatoire.»")


# ---------------------------------------------------------------------------------------------------------
# A short README, one link from every page of docs/, and links that lead somewhere
# ---------------------------------------------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")


def markdown_files() -> list[Path]:
    return [README, ROOT / "CONTRIBUTING.md", *sorted(DOCS.glob("*.md"))]


def anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"(?m)^#+ (.+)$", path.read_text(encoding="utf-8"))
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_the_readme_is_a_short_front_door() -> None:
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes: move reference material to docs/"
    text = README.read_text(encoding="utf-8")
    assert text.index("./run walkthrough") < text.index("./run test") < 600, "the two commands come first"


def test_every_page_of_docs_is_one_link_from_the_readme() -> None:
    linked = {target.split("#")[0] for target in LINK.findall(README.read_text(encoding="utf-8"))}
    unlinked = [f"docs/{page.name}" for page in sorted(DOCS.glob("*.md")) if f"docs/{page.name}" not in linked]
    assert not unlinked, f"pages of docs/ the README does not link to: {unlinked}"
    assert "CONTRIBUTING.md" in linked


@pytest.mark.parametrize("page", markdown_files(), ids=lambda page: str(page.relative_to(ROOT)))
def test_every_link_between_the_documents_leads_somewhere(page: Path) -> None:
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue  # a web address
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.exists():
            broken.append(f"{target} (no {path_part})")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target} (no heading #{anchor})")
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"


def test_the_readme_says_what_update_manual_writes_for_todays_site() -> None:
    """The README's expected result for today's site names exactly the instructions the shipped edition `current`
    changed (e2e/test_update_manual.py regenerates that edition from the site and compares), with their change or
    their new labels."""
    from e2e.manual import load_edition

    text = README.read_text(encoding="utf-8")
    said = " ".join(text[text.index("## The living manual in five lines") : text.index("## In Dutch")].split())
    current = load_edition("current")
    changes = {i.id: i for i in current.instructions if i.revision and i.revision.change != "unverified"}
    removed = {r.id for r in current.removed}
    bold = re.findall(r"\*\*(\d+(?:\.\d+)+)\*\*", said)
    assert sorted(bold) == sorted([*changes, *removed])
    words = {"disambiguated": "précisée", "added": "ajoutée"}
    for ident, instruction in changes.items():
        after = said[said.index(f"**{ident}**") :][:200]
        assert instruction.revision is not None
        if instruction.revision.change in words:
            assert after.split()[1] == words[instruction.revision.change], ident
        else:  # a changed instruction: the README quotes its new labels
            quoted = re.findall(r"«([^»]+)»", after.split("**", 3)[2])
            assert quoted and set(quoted) <= set(instruction.labels), (ident, quoted)
    assert re.search(r"\*\*2\.8\*\* and \*\*2\.9\*\* supprimées", said) and removed == {"2.8", "2.9"}
