"""update-manual's review diff without a browser: only what regenerating changed shows (the texts rewritten, the
revisions and their why, the instructions added and removed, the «non vérifié» markers, the new header), the
diff of today's shipped edition is short, and the command writes it beside the edition, names it, removes a
stale one when nothing changed, and refuses with exit status 2 what it cannot write."""

from __future__ import annotations

import contextlib
import difflib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from e2e import check_manual
from e2e import cli as harness_module
from e2e.check_manual import InstructionResult, TargetResult, WalkEvent
from e2e.cli import main as harness
from e2e.cli_check_manual import write_update
from e2e.manual import EDITIONS, MANUAL_FILE, load_edition, read_edition
from e2e.page_words import CHANGED, MISSING
from e2e.update_manual import Update, _unified, dump, regenerate, review_counts, review_diff, review_path
from tests.helpers import found, login_before_2_6, matching


def changed_lines(diff: str, sign: str) -> list[str]:
    """The diff's lines removed (`-`) or added (`+`), without the sign and without the file header."""
    return [line[1:] for line in diff.splitlines() if line.startswith(sign) and not line.startswith(("---", "+++"))]


def with_one_label_changed() -> tuple[Update, Any]:
    """The 2018 edition regenerated from a site where 4.19's «Ajouter» is now «Attribuer», the rest matching."""
    edition = load_edition()
    results = matching(edition)
    results["4.19"] = found("4.19", TargetResult("«Ajouter»", "click", CHANGED, "Attribuer"))
    return regenerate(edition, list(results.values()), [], site="test"), edition


def test_one_label_changed_shows_its_old_and_new_text_and_why_and_no_unchanged_instruction() -> None:
    update, edition = with_one_label_changed()
    diff = review_diff(update, edition, old_name="e2e/manual.yaml", new_name="edition.yaml")
    # What 4.19 said goes, what it says now comes, with its revision.
    assert changed_lines(diff, "-") == ["  text: Cliquez sur Ajouter.", "  - Ajouter", "  - click: Ajouter"]
    added = changed_lines(diff, "+")
    assert "  text: Cliquez sur « Attribuer »." in added
    assert "  - click: Attribuer" in added
    at = added.index("  revision:", added.index("  - click: Attribuer"))
    assert added[at + 1 : at + 4] == [
        "    change: changed",
        "    why: « Ajouter » s'appelle maintenant « Attribuer ».",
        "    previous_text: Cliquez sur Ajouter.",
    ]
    # The new header, and what a walk cannot see marked.
    assert "edition:" in added and "  site: test" in added and "  based_on: manual-2018" in added
    assert added.count("    change: unverified") == 5  # 1.1, 1.2, 1.3, 4.23 and the note AR78
    # Far from any change, 2.12, 3.4 and 4.5 are not even context.
    for far in ("2.12", "3.4", "4.5"):
        assert f"id: '{far}'" not in diff
        assert edition.instruction(far).text[:40] not in diff
    assert diff.startswith("--- e2e/manual.yaml\tédition précédente (manual-2018)\n+++ edition.yaml\tnouvelle édition")


def test_a_removed_instruction_shows_as_removed_and_moved_to_removed_and_an_added_one_as_added() -> None:
    edition = load_edition()
    results = matching(edition)
    results["2.8"] = found("2.8", TargetResult("«Suivant»", "click", MISSING, page="Confirmez la demande"))
    update = regenerate(edition, list(results.values()), [login_before_2_6()], site="test")
    diff = review_diff(update, edition)
    removed, added = changed_lines(diff, "-"), changed_lines(diff, "+")
    assert "- id: '2.8'" in removed and "  - OrganisationPage.click_suivant" in removed
    assert "- id: '2.8'" in added and "removed:" in added
    assert "  why: « Suivant » n'est plus sur la page « Confirmez la demande »." in added
    assert "- id: 2.5.1" in added and "    change: added" in added
    assert "  - fill: Carte" in added
    assert review_counts(update) == "instructions : 0 modifiée, 1 ajoutée, 1 supprimée"


def test_nothing_drifted_is_an_empty_diff() -> None:
    edition = load_edition()
    update = regenerate(edition, list(matching(edition).values()), [], site="manual-2018")
    assert review_diff(update, edition) == ""


# A raw `diff -u e2e/manual.yaml e2e/manual-current.yaml` is about 1,400 lines; the six instructions that changed,
# the markers, the header and `removed:` are about 200.
REVIEW_BOUND = 250


def test_the_diff_of_todays_shipped_edition_against_2018_is_short() -> None:
    current = load_edition("current")
    update = Update(
        data=read_edition(EDITIONS["current"]),
        previous=read_edition(MANUAL_FILE),
        changes={
            i.id: (i.revision.change, i.revision.why)
            for i in current.instructions
            if i.revision is not None and i.revision.change != "unverified"
        },
        removed={r.id: r.why for r in current.removed},
    )
    diff = review_diff(update, load_edition())
    raw = list(
        difflib.unified_diff(
            MANUAL_FILE.read_text(encoding="utf-8").splitlines(),
            EDITIONS["current"].read_text(encoding="utf-8").splitlines(),
        )
    )
    assert len(raw) > 3 * REVIEW_BOUND  # the bound tells the two apart
    assert len(diff.splitlines()) < REVIEW_BOUND, diff
    added = changed_lines(diff, "+")
    assert "  - fill: Numéro d'institution (8 chiffres)" in added
    assert review_counts(update) == "instructions : 3 modifiées, 1 ajoutée, 2 supprimées"


@given(
    st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n"]), max_size=30),
    st.lists(st.sampled_from(["a\n", "b\n", "c\n", "e\n"]), max_size=30),
)
def test_the_review_is_written_as_difflib_writes_a_unified_diff(a: list[str], b: list[str]) -> None:
    # Under 200 lines difflib's autojunk never applies: the two must then agree line for line.
    ours = list(_unified(a, b, ("old.yaml", "before"), ("new.yaml", "after")))
    assert ours == list(difflib.unified_diff(a, b, "old.yaml", "new.yaml", "before", "after"))


@pytest.mark.parametrize(
    ("out", "review"),
    [
        ("edition.yaml", "edition.diff"),
        ("out/new.yml", "out/new.diff"),
        ("edition", "edition.diff"),
        ("edition.diff", "edition.diff.diff"),
        ("v1.2.yaml", "v1.2.diff"),
    ],
)
def test_the_review_file_is_beside_the_edition_and_never_the_edition(out: str, review: str) -> None:
    assert review_path(Path(out)) == Path(review)


# ---------------------------------------------------------------------------------------------------------
# The command, with the walk's findings given instead of a browser's
# ---------------------------------------------------------------------------------------------------------


class Site:
    """What update-manual's walk finds (`findings`, the last given; 4.19 relabelled until then) and how many
    walks ran."""

    def __init__(self) -> None:
        results = matching(load_edition())
        results["4.19"] = found("4.19", TargetResult("«Ajouter»", "click", CHANGED, "Attribuer"))
        self.findings: list[list[InstructionResult]] = [list(results.values())]
        self.walks = 0


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Site:
    """update-manual with no site and no browser: its walk returns the site's findings."""
    site = Site()

    @contextlib.contextmanager
    def walking(*_args: Any) -> Iterator[tuple[str, Any, Any]]:
        yield "http://site.invalid", None, object()

    class Walk:
        def __init__(self, *_args: Any, **_kwargs: Any) -> None:
            self.events: list[WalkEvent] = []

        def run(self) -> list[InstructionResult]:
            site.walks += 1
            return site.findings[-1]

    monkeypatch.setattr(harness_module, "_walking", walking)
    monkeypatch.setattr(check_manual, "Walk", Walk)
    monkeypatch.setenv("COLUMNS", "200")
    return site


def test_the_command_writes_the_review_file_beside_the_edition_and_names_it(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    answer = CliRunner().invoke(harness, ["update-manual", "--out", "edition.yaml"])
    assert answer.exit_code == 0, answer.output
    review = tmp_path / "edition.diff"
    diff = review.read_text(encoding="utf-8")
    assert "+  text: Cliquez sur « Attribuer »." in diff
    assert diff.startswith("--- ") and "\n+++ edition.yaml\t" in diff
    assert load_edition(tmp_path / "edition.yaml").instruction("4.19").labels == ("Attribuer",)
    lines = answer.output.splitlines()
    assert lines[-2] == (
        "À relire : edition.diff, rien que ce qui a changé (instructions : 1 modifiée, 0 ajoutée, 0 supprimée) ; "
        "par exemple `less edition.diff`."
    )
    assert lines[-1] == (
        "Puis enregistrez-la avec `csam-harness walkthrough --manual edition.yaml --site-version manual-2018`."
    )
    assert "diff -u" not in answer.output

    # Regenerated again from a site where nothing drifted: the edition is written back, the old review goes.
    site.findings.append(list(matching(load_edition(tmp_path / "edition.yaml")).values()))
    again = CliRunner().invoke(harness, ["update-manual", "--manual", "edition.yaml", "--out", "edition.yaml"])
    assert again.exit_code == 0, again.output
    assert not review.exists()
    assert "rien à relire" in again.output


def test_out_dash_is_refused_before_the_walk(site: Site) -> None:
    answer = CliRunner().invoke(harness, ["update-manual", "--out", "-"])
    assert answer.exit_code == 2
    assert "--out - : update-manual écrit l'édition dans un fichier" in answer.output
    assert "Traceback" not in answer.output
    assert site.walks == 0


@pytest.mark.parametrize("where", ["missing folder", "folder at the review file"])
def test_a_review_file_that_cannot_be_written_is_refused_before_the_walk(
    site: Site, tmp_path: Path, where: str
) -> None:
    if where == "missing folder":
        out, message = tmp_path / "nowhere" / "edition.yaml", "n'existe pas"
    else:
        out, message = tmp_path / "edition.yaml", "est un dossier"
        (tmp_path / "edition.diff").mkdir()
    answer = CliRunner().invoke(harness, ["update-manual", "--out", str(out)])
    assert answer.exit_code == 2
    assert "Impossible d'écrire" in answer.output and message in answer.output
    assert "Traceback" not in answer.output
    assert site.walks == 0 and not out.exists()


def test_a_file_that_fails_at_writing_time_leaves_nothing_half_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    update, edition = with_one_label_changed()
    out = tmp_path / "edition.yaml"
    (tmp_path / "edition.diff").mkdir()  # appeared after the command's own check
    with pytest.raises(SystemExit) as stopped:
        write_update(Console(file=io.StringIO()), update, edition, out, "test")
    assert stopped.value.code == 2
    assert f"Impossible d'écrire le fichier de relecture {tmp_path / 'edition.diff'}" in capsys.readouterr().err
    assert not out.exists()
    # The edition that cannot be written takes its new review file with it.
    (tmp_path / "edition.diff").rmdir()
    out.mkdir()
    with pytest.raises(SystemExit) as stopped:
        write_update(Console(file=io.StringIO()), update, edition, out, "test")
    assert stopped.value.code == 2
    assert f"Impossible d'écrire la nouvelle édition {out}" in capsys.readouterr().err
    assert not (tmp_path / "edition.diff").exists()
    # And with the way clear, the edition is written with its diff.
    out.rmdir()
    write_update(Console(file=io.StringIO()), update, edition, out, "test")
    assert out.read_text(encoding="utf-8") == dump(update, edition)
    diff = (tmp_path / "edition.diff").read_text(encoding="utf-8")
    assert diff.startswith("--- ") and "+  text: Cliquez sur « Attribuer »." in diff
