"""The walkthrough's outputs without a browser: subtitle timing, screenshot comparison, the mock's seeded request
numbers that make two recordings alike, and the guide (HTML, PDF, DOCX) of an edition with revisions: its steps,
pictures, «Attention» boxes, «non vérifié» badges and «what changed» section; and editions that cannot be
read."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from e2e.cli import main
from e2e.guide import CHANGES_TITLE, DEFAULT_TITLE, NO_PREVIOUS, UNVERIFIED, subtitles, vtt_time, write_outputs
from e2e.manual import MANUAL_FILE, ManualError, load_manual, load_removed, load_steps
from e2e.sample_recording import sample_recording
from e2e.walkthrough import NOISE, Capture, Recording, changed_share, compare
from mock_csam.domain.clock import MockClock


def test_vtt_times() -> None:
    assert vtt_time(0) == "00:00:00.000"
    assert vtt_time(61.5) == "00:01:01.500"
    assert vtt_time(3723.25) == "01:02:03.250"


def test_subtitles_have_a_cue_per_instruction_with_its_text() -> None:
    captures = [
        Capture("2.1", 2, "Accédez au portail.", [], "s/2.1.png", 1.0, 1.0),
        Capture("2.2", 2, "Cliquez sur X.", [], "s/2.2.png", 1.0, 2.5),
    ]
    assert subtitles(captures) == (
        "WEBVTT\n\n2.1\n00:00:01.000 --> 00:00:01.100\n2.1 Accédez au portail.\n\n"
        "2.2\n00:00:01.000 --> 00:00:02.500\n2.2 Cliquez sur X.\n"
    )


def _shot(folder: Path, ident: str, colour: tuple[int, int, int], dot: tuple[int, int, int] | None = None) -> None:
    (folder / "screenshots").mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (100, 100), colour)
    if dot is not None:
        for x in range(20):
            image.putpixel((x, 0), dot)
    image.save(folder / "screenshots" / f"{ident}.png")


def test_rasterisation_noise_is_no_change_but_a_visible_difference_is(tmp_path: Path) -> None:
    a, b = Image.new("RGB", (10, 10), (100, 100, 100)), Image.new("RGB", (10, 10), (100 + NOISE, 100, 100))
    assert changed_share(a, b) == 0
    c = Image.new("RGB", (10, 10), (100, 100, 100 + NOISE + 1))
    assert changed_share(a, c) == 1


def test_compare_lists_changed_added_and_removed_screenshots_in_the_manuals_order(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for ident in ("2.9", "2.10", "2.2", "2.3"):
        _shot(before, ident, (255, 255, 255))
    _shot(after, "2.2", (255, 255, 255))
    _shot(after, "2.9", (255, 255, 255), dot=(255, 0, 0))  # 20 pixels of 10,000: above 0.1 %
    _shot(after, "2.10", (250, 255, 255))
    _shot(after, "2.11", (255, 255, 255))
    assert compare(before, after) == ["2.3", "2.9", "2.10", "2.11"]
    assert compare(before, after, threshold=0.01) == ["2.3", "2.10", "2.11"]
    assert compare(before, after, only=["2.2", "2.9"]) == ["2.9"]


def test_compare_leaves_out_the_mocks_notice_named_by_either_manifest(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for ident in ("2.1", "2.2"):
        _shot(before, ident, (255, 255, 255))
        _shot(after, ident, (255, 255, 255), dot=(0, 0, 0))  # the first row differs: the notice's place
    assert compare(before, after) == ["2.1", "2.2"]  # no manifest says where the notice is
    manifest = {"instructions": [{"id": "2.1", "notice_regions": [[0, 0, 100, 1]]}, {"id": "2.2"}]}
    (after / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert compare(before, after) == ["2.2"] and compare(after, before) == ["2.2"]
    manifest["instructions"][1]["notice_regions"] = [[0, 0, 5, 1]]  # covers a quarter of the difference only
    (before / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert compare(before, after) == ["2.2"]
    (after / "manifest.json").write_text("not json", encoding="utf-8")  # an unreadable manifest leaves out nothing
    assert compare(before, after) == ["2.2"]


def test_a_seeded_clock_draws_the_same_numbers_again_after_a_reset() -> None:
    clock = MockClock(seed=2018)
    first = [clock.draw(900000) for _ in range(3)]
    clock.reseed()
    assert [clock.draw(900000) for _ in range(3)] == first
    assert MockClock(seed=2018).draw(900000) == first[0]
    assert MockClock().seed is None


# ---------------------------------------------------------------------------------------------------------
# The guide of an edition with revisions
# ---------------------------------------------------------------------------------------------------------

REVISED = {
    "2.7": {
        "change": "changed",
        "why": "Le bouton s'appelle désormais « Continuer ».",
        "previous_text": "Indiquez le N°INAMI (n° du projet) et cliquez sur Suivant.",
    },
    "2.9": {
        "change": "disambiguated",
        "why": "Deux boutons « Suivant » : celui du formulaire.",
        "previous_text": "Complétez les données et cliquez sur Suivant.",
    },
    "2.3": {"change": "unverified", "why": "Le lien n'a pas été trouvé lors du parcours."},
}
REMOVED = {"id": "2.14", "step": 2, "text": "Cliquez sur Terminer.", "why": "Le site n'a plus de bouton Terminer."}
RECORDED = ["2.2", "2.3", "2.7", "2.9", "4.22"]


def _edition(tmp_path: Path, change: Any = None, removed: Any = None) -> Path:
    """The packaged manual with two revised instructions, one unverified and one removed; `change` and
    `removed` replace 2.7's revision and the removed list (to make them wrong)."""
    data = yaml.safe_load(MANUAL_FILE.read_text(encoding="utf-8"))
    for entry in data["instructions"]:
        if entry["id"] in REVISED:
            entry["revision"] = dict(REVISED[entry["id"]])
        if entry["id"] == "2.7" and change is not None:
            entry["revision"]["change"] = change
    data["removed"] = removed if removed is not None else [REMOVED]
    data["edition"] = {
        "title": "Manuel régénéré",
        "site": "mock current",
        "based_on": "manual.yaml 2018",
        "generated": "2026-03-02",
    }
    path = tmp_path / "edition.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _recording(out: Path, manual: Path) -> Recording:
    """A recording of a few instructions with small screenshots, as the walkthrough leaves it."""
    return sample_recording(out, manual, RECORDED, lambda out, ident, n: _shot(out, ident, (255, 255 - 20 * n, 255)))


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    previous = tmp_path / "previous"
    _shot(previous, "2.7", (0, 0, 255))  # 2.9 and 2.14 have no previous screenshot
    _shot(previous, "2.14", (0, 255, 0))
    out = tmp_path / "out"
    write_outputs(_recording(out, _edition(tmp_path)), previous=previous)
    return out


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join("\n".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_the_html_guide_lists_exactly_the_revised_and_removed_instructions_with_both_screenshots(guides: Path) -> None:
    page = (guides / "guide.html").read_text(encoding="utf-8")
    assert "<h1>Manuel régénéré</h1>" in page
    assert re.findall(r'<div class="change" data-id="([\d.]+)"', page) == ["2.7", "2.9", "2.14"]
    changes = page[page.index(html.escape(CHANGES_TITLE)) : page.index('<h2 id="etape-2"')]
    assert "Avant :</strong> Indiquez le N°INAMI (n° du projet) et cliquez sur Suivant." in changes
    # 2.7: both screenshots; 2.9: only the new one; 2.14: only the previous one.
    assert changes.count('data-compare="Avant"') == 2 and changes.count('data-compare="Maintenant"') == 2
    assert changes.count(NO_PREVIOUS) == 1
    assert re.findall(r'data-screenshot="screenshots/([\d.]+)\.png"', page) == RECORDED
    unverified = re.search(r'<figure id="i-2\.3".*?</figure>', page, re.S)
    assert unverified and UNVERIFIED in unverified.group(0) and page.count(UNVERIFIED) == 1
    # The markers' numbers next to what was done, and the warnings of step 4 in boxes at their step.
    assert '<span class="n">1</span> Saisir « N°INAMI »' in page
    step_4 = page[page.index('<h2 id="etape-4"') :]
    assert step_4.count('<aside class="attention">') == 2 and "AR78" in step_4


def test_the_pdf_guide_lists_the_same_changes_and_badge(guides: Path) -> None:
    text = _pdf_text(guides / "guide.pdf")
    changes = text[text.index(CHANGES_TITLE) : text.index("ÉTAPE 2")]
    assert re.findall(r"(\d\.\d+) — ", changes) == ["2.7", "2.9", "2.14"]
    assert changes.count(NO_PREVIOUS) == 1
    assert text.count(f"[{UNVERIFIED}]") == 1 and f"2.3 [{UNVERIFIED}]" in text
    assert "Attention : les prestataires de soins de l'AR78" in text


def test_the_docx_guide_has_heading_styles_one_picture_per_capture_and_the_changes_as_a_table(guides: Path) -> None:
    import docx

    document = docx.Document(str(guides / "guide.docx"))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    titles = load_steps()
    assert headings == [
        ("Title", "Manuel régénéré"),
        ("Heading 1", CHANGES_TITLE),
        ("Heading 1", titles[2]),
        ("Heading 1", titles[4]),
    ]
    pictures = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert [p for p in pictures if p.startswith("capture ")] == [f"capture {i}" for i in RECORDED]
    assert sorted(p for p in pictures if not p.startswith("capture ")) == [
        "après 2.7",
        "après 2.9",
        "avant 2.14",
        "avant 2.7",
    ]
    (table,) = document.tables
    first_column = "\n".join(row.cells[0].text for row in table.rows)
    assert re.findall(r"^([\d.]+) — ", first_column, re.M) == ["2.7", "2.9", "2.14"]
    assert sum(UNVERIFIED in p.text for p in document.paragraphs) == 1
    assert [p.text for p in document.paragraphs if p.style.name == "Attention"][1].startswith("Attention : les")


def test_an_edition_without_revisions_has_no_changes_section(tmp_path: Path) -> None:
    import docx

    out = tmp_path / "out"
    write_outputs(_recording(out, MANUAL_FILE))
    assert html.escape(CHANGES_TITLE) not in (out / "guide.html").read_text(encoding="utf-8")
    assert CHANGES_TITLE not in _pdf_text(out / "guide.pdf")
    document = docx.Document(str(out / "guide.docx"))
    assert len(document.inline_shapes) == len(RECORDED) and not document.tables
    assert (
        document.paragraphs[0].text
        == DEFAULT_TITLE
        == ("Manuel d'utilisateurs pour les étapes préparatoires de l'application d'inclusion")
    )


def test_a_revision_with_an_unknown_change_names_the_instruction_and_the_field(tmp_path: Path) -> None:
    with pytest.raises(ManualError, match=r"\(2\.7\), field 'revision\.change': 'rewritten' is not one of"):
        load_manual(_edition(tmp_path, change="rewritten"))


def test_a_removed_entry_without_why_names_the_entry_and_the_field(tmp_path: Path) -> None:
    gone = {key: value for key, value in REMOVED.items() if key != "why"}
    with pytest.raises(ManualError, match=r"removed\[0\] \(2\.14\), field 'why': missing"):
        load_removed(_edition(tmp_path, removed=[gone]))


@pytest.mark.parametrize(
    ("change", "removed", "said"),
    [
        ("rewritten", None, "(2.7), field 'revision.change': 'rewritten' is not one of"),
        (None, [{"id": "2.14", "step": 2, "text": "Cliquez sur Terminer."}], "removed[0] (2.14), field 'why': missing"),
    ],
)
def test_the_command_refuses_a_bad_edition_with_one_message_and_status_2(
    tmp_path: Path, change: Any, removed: Any, said: str
) -> None:
    answer = CliRunner().invoke(
        main,
        [
            "walkthrough",
            "--manual",
            str(_edition(tmp_path, change, removed)),
            "--out",
            str(tmp_path / "out"),
            "--no-video",
        ],
        terminal_width=300,
    )
    assert answer.exit_code == 2 and said in " ".join(answer.output.split())
    assert "Traceback" not in answer.output and not (tmp_path / "out").exists()


def test_the_command_refuses_an_edition_that_is_not_yaml_or_not_there(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("instructions: [\n", encoding="utf-8")
    for path, said in ((broken, "not valid YAML"), (tmp_path / "none.yaml", "no such file")):
        answer = CliRunner().invoke(main, ["walkthrough", "--manual", str(path), "--no-video"], terminal_width=300)
        assert answer.exit_code == 2 and said in answer.output and "Traceback" not in answer.output


def test_the_command_serves_the_chosen_site_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import e2e.cli

    served: list[str] = []

    def site(base_url: str | None, site_version: str, renames: dict[str, str], *, seeded: bool = False) -> Any:
        served.append(site_version)
        raise SystemExit(0)  # stop before the browser: only what is served is under test

    monkeypatch.setattr(e2e.cli, "_site", site)
    for given, expected in ((["--site-version", "current"], "current"), ([], "manual-2018")):
        answer = CliRunner().invoke(main, ["walkthrough", "--manual", str(_edition(tmp_path)), "--no-video", *given])
        assert answer.exit_code == 0 and served[-1] == expected, answer.output


def test_a_dutch_guide_speaks_dutch_in_all_three_formats(tmp_path: Path) -> None:
    import docx

    from e2e.guide_words import GUIDE_WORDS

    out = tmp_path / "nl"
    recording = _recording(out, _edition(tmp_path))
    recording.lang = "nl"
    write_outputs(recording)
    page = (out / "guide.html").read_text(encoding="utf-8")
    nl, fr = GUIDE_WORDS["nl"], GUIDE_WORDS["fr"]
    assert '<html lang="nl">' in page and nl["changes"] in page and nl["unverified"] in page
    # Dutch sets no space before a colon: «Opgelet:», «Vroeger:».
    assert '<span class="n">1</span> Invullen « N°INAMI »' in page and "<strong>Opgelet:</strong>" in page
    pdf = _pdf_text(out / "guide.pdf")
    document = docx.Document(str(out / "guide.docx"))
    words = "\n".join(p.text for p in document.paragraphs)
    for shown in (html.unescape(page), pdf, words):
        # The guide's own words are Dutch (the edition's text is whatever language the edition is in).
        assert nl["changes"] in shown
        assert "Opgelet:" in shown and "Opgelet :" not in shown
        assert not [
            fr[key] for key in ("changes", "unverified", "no previous", "marks lead", "intro") if fr[key] in shown
        ], shown[:200]
    assert [s._inline.docPr.get("descr") for s in document.inline_shapes if "2.7" in s._inline.docPr.get("descr")][
        -1
    ] == "schermafbeelding 2.7"


def test_every_language_has_every_word_of_the_walkthrough_with_the_same_blanks() -> None:
    import string

    from e2e.guide_words import GUIDE_WORDS

    def blanks(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    french = GUIDE_WORDS["fr"]
    for lang, words in GUIDE_WORDS.items():
        assert words.keys() == french.keys(), (lang, words.keys() ^ french.keys())
        assert {k: blanks(v) for k, v in words.items()} == {k: blanks(v) for k, v in french.items()}, lang
