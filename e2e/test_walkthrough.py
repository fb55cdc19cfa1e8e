"""The trainers' walkthrough: one full recording through the command without video (screenshots with numbered
markers and typed values, the guide as HTML, PDF and DOCX, NISS covered), one recording of step 2 with its video
and subtitles (filming costs a browser ~6 times the work, so only the video's own checks pay for it), then
repeatability, comparison and masking on step 2 alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from e2e.assertions import centre_brightness, manifest, video_seconds
from e2e.highlight import MARK_ATTRIBUTE, marked
from e2e.live_server import LiveServer
from e2e.manual import load_manual
from e2e.seeding import HttpSeeder
from e2e.walkthrough import CARD_MS, VIEWPORT, Recording, Walkthrough, changed_share, compare
from mock_csam import create_app

# Its walks and commands serve mocks of their own: the same test against any mock.
pytestmark = pytest.mark.own_mock

STEP_2 = [i.id for i in load_manual() if i.step == 2 and i.browser]
PERFORMED = [i.id for i in load_manual() if i.step in (2, 3, 4) and i.browser and i.kind != "note"]
STEP_2_PERFORMED = [ident for ident in PERFORMED if ident.startswith("2.")]


def record_command(out: Path, *args: str) -> Path:
    """`csam-harness walkthrough --out OUT ARGS…` on the embedded mock, in its own process."""
    answer = subprocess.run(
        [sys.executable, "-c", "from e2e.cli import main; main()", "walkthrough", "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "NISS lisibles : 0" in answer.stdout
    return out


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Steps 2 to 4 through the command, screenshots and guide without the video."""
    out = record_command(tmp_path_factory.mktemp("walkthrough") / "out", "--no-video")
    assert not (out / "walkthrough.webm").exists() and not (out / "walkthrough.vtt").exists()
    return out


@pytest.fixture(scope="module")
def filmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Step 2 through the command with its video and subtitles."""
    return record_command(tmp_path_factory.mktemp("walkthrough-video") / "out", "--steps", "2")


def test_one_screenshot_per_instruction_performed_each_with_its_element_outlined(recorded: Path) -> None:
    instructions = manifest(recorded)["instructions"]
    assert [i["id"] for i in instructions] == PERFORMED
    assert sorted(p.stem for p in (recorded / "screenshots").glob("*.png")) == sorted(PERFORMED)
    # Opening the portal acts on no element; every other instruction outlines what its page object used.
    assert [i["id"] for i in instructions if not i["highlighted"]] == ["2.1", "3.1", "4.1"]


def test_no_valid_niss_is_readable_in_any_screenshot(recorded: Path) -> None:
    instructions = manifest(recorded)["instructions"]
    assert all(i["niss_readable"] == 0 for i in instructions)
    # Not vacuous: the pages that show a NISS (the users table, typed fields) had theirs covered.
    assert {i["id"] for i in instructions if i["niss_covered"]} >= {"2.10", "3.12", "4.15"}


def test_the_video_decodes_lasts_as_long_as_the_steps_and_has_a_title_card_per_step(filmed: Path) -> None:
    data = manifest(filmed)
    seconds = video_seconds(filmed / "walkthrough.webm")
    last = data["instructions"][-1]["end"]
    assert last - 1 <= seconds <= last + 15
    assert [c["step"] for c in data["chapters"]] == [2]
    starts = {i["step"]: i["start"] for i in data["instructions"][::-1]}
    for chapter in data["chapters"]:
        assert chapter["at"] + CARD_MS / 1000 <= starts[chapter["step"]] + 0.05, chapter
        # The card itself: a dark panel in the middle of the frame while it shows, not after.
        assert centre_brightness(filmed / "walkthrough.webm", chapter["at"] + 0.8) < 120, chapter
        assert centre_brightness(filmed / "walkthrough.webm", starts[chapter["step"]] + 0.3) > 160, chapter


def test_subtitles_have_one_cue_per_instruction_in_order(filmed: Path) -> None:
    vtt = (filmed / "walkthrough.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    cues = re.findall(r"^(\d\.\d+)\n(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)\n(.+)$", vtt, re.M)
    assert [c[0] for c in cues] == STEP_2_PERFORMED
    texts = {i.id: i.text for i in load_manual()}
    assert all(text == f"{ident} {texts[ident]}" for ident, _start, _end, text in cues)
    assert all(start < end for _i, start, end, _t in cues)
    assert [c[1] for c in cues] == sorted(c[1] for c in cues)


def test_the_guide_shows_every_screenshot_in_the_manuals_order_and_needs_no_network(recorded: Path) -> None:
    guide = (recorded / "guide.html").read_text(encoding="utf-8")
    assert re.findall(r'data-screenshot="screenshots/([\d.]+)\.png"', guide) == PERFORMED
    assert guide.count('src="data:image/png;base64,') == len(PERFORMED)
    assert not re.search(r'(src|href)="(?!data:|#)|<link|<script', guide)
    assert guide.index("ÉTAPE 2") < guide.index("ÉTAPE 3") < guide.index("ÉTAPE 4")
    # The manual's warnings of step 4 (4.23 and AR78) in boxes at their step; no changes in the packaged edition.
    assert guide[guide.index("ÉTAPE 4") :].count('<aside class="attention">') == 2
    assert 'id="changements"' not in guide


def test_the_docx_guide_has_one_picture_per_instruction_and_a_heading_per_step(recorded: Path) -> None:
    import docx

    document = docx.Document(str(recorded / "guide.docx"))
    assert [shape._inline.docPr.get("descr") for shape in document.inline_shapes] == [
        f"capture {ident}" for ident in PERFORMED
    ]
    headings = [p.text[:7] for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == ["ÉTAPE 2", "ÉTAPE 3", "ÉTAPE 4"]


def test_a_fill_instructions_screenshot_shows_the_values_typed(recorded: Path) -> None:
    captures = {i["id"]: i for i in manifest(recorded)["instructions"]}
    # Taken just before «Suivant»: the N°INAMI (2.7) and the GAP's five fields and language (2.9) are filled in.
    assert captures["2.7"]["values_shown"] == 1
    assert captures["2.9"]["values_shown"] == 6
    assert captures["4.11"]["values_shown"] >= 4 and captures["4.18"]["values_shown"] >= 1


def test_every_element_acted_on_has_a_numbered_marker_listed_in_the_guide(recorded: Path) -> None:
    captures = manifest(recorded)["instructions"]
    for capture in captures:
        numbers = [m["n"] for m in capture["marks"]]
        assert numbers == list(range(1, len(numbers) + 1)), capture["id"]
        if capture["id"] not in ("2.1", "3.1", "4.1"):  # opening the portal acts on no element
            assert capture["markers"] >= 1, capture["id"]
    by_id = {c["id"]: c for c in captures}
    assert by_id["2.9"]["markers"] == 7 and by_id["2.9"]["marks"][-1]["name"] == "Suivant"
    guide = (recorded / "guide.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure id="i-2\.9".*?</figure>', guide, re.S)
    assert figure and figure.group(0).count('<span class="n">') == 7 and "Saisir « NISS »" in figure.group(0)


def test_no_caption_covers_the_page_in_a_screenshot(recorded: Path) -> None:
    from PIL import ImageStat

    for ident in PERFORMED:
        with Image.open(recorded / "screenshots" / f"{ident}.png") as image:
            # The page alone, the whole viewport: the guide prints the text, nothing is laid over the page's bottom.
            assert image.size == (VIEWPORT["width"], VIEWPORT["height"]), ident
            bottom = image.convert("L").crop((0, image.height - 40, image.width, image.height))
            assert ImageStat.Stat(bottom).mean[0] > 120, ident


# ---------------------------------------------------------------------------------------------------------
# Step 2 alone, in this process: repeatability, comparison, masking
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def record_step_2(browser: Browser, tmp_path: Path, fresh_mock: Callable[..., str]) -> Callable[..., Recording]:
    """Record step 2 on a fresh mock (request numbers seeded), with the given labels renamed."""

    def run(name: str, renames: dict[str, str] | None = None, show_niss: bool = False) -> Recording:
        url = fresh_mock(renames=renames, random_seed=2018)
        return Walkthrough(
            browser,
            url,
            tmp_path / name,
            steps=(2,),
            control=HttpSeeder(url),
            video=False,
            show_niss=show_niss,
            timeout_ms=5000,
        ).run()

    return run


def test_two_runs_give_identical_screenshots_and_compare_reports_no_change(record_step_2: Any) -> None:
    first, second = record_step_2("first").out, record_step_2("second").out
    for ident in STEP_2:
        with Image.open(first / f"screenshots/{ident}.png") as a, Image.open(second / f"screenshots/{ident}.png") as b:
            assert a.size == b.size and changed_share(a, b) == 0, ident
    assert compare(first, second) == []


def test_a_changed_text_in_the_mock_is_reported_for_exactly_the_instruction_that_shows_it(record_step_2: Any) -> None:
    before = record_step_2("before").out
    sentence = (
        "Vérifiez que les données de votre organisation sont correctes. Elles proviennent de l'application "
        "SZV de l'INAMI : si elles sont erronées, contactez l'INAMI avant de poursuivre."
    )
    after = record_step_2("after", {sentence: "Contrôlez les données de votre organisation."}).out
    assert compare(before, after) == ["2.8"]


def test_with_show_niss_the_numbers_stay_readable_so_the_check_is_real(record_step_2: Any) -> None:
    shown = {c.id: c for c in record_step_2("shown", show_niss=True).captures}
    covered = {c.id: c for c in record_step_2("covered").captures}
    # The GAP's NISS typed in 2.9 shows again on the confirmation page (2.10).
    assert (shown["2.10"].niss_readable, shown["2.10"].niss_covered) == (1, 0)
    assert (covered["2.10"].niss_readable, covered["2.10"].niss_covered) == (0, 1)


def test_the_guide_exists_as_a_pdf_too(recorded: Path) -> None:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(recorded / "guide.pdf").pages)
    assert all(f"{ident} " in text for ident in PERFORMED)


def test_only_changed_records_no_video_when_no_screenshot_changed(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    answer = subprocess.run(
        [
            sys.executable,
            "-c",
            "from e2e.cli import main; main()",
            "walkthrough",
            "--steps",
            "2",
            "--out",
            str(out),
            "--compare",
            str(recorded),
            "--only-changed",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "Captures modifiées depuis" in answer.stdout and ": aucune" in answer.stdout
    assert json.loads((out / "compare.json").read_text(encoding="utf-8"))["changed"] == []
    assert not (out / "walkthrough.webm").exists()
    assert sorted(p.stem for p in (out / "screenshots").glob("*.png")) == sorted(STEP_2)


def test_without_ffmpeg_it_says_what_to_install_and_still_writes_screenshots_and_guide(tmp_path: Path) -> None:
    out = tmp_path / "no-video"
    # This machine has an ffmpeg: the command is run as if the search for one had found none.
    script = "import e2e.cli as cli; cli.ensure_ffmpeg = lambda: None; cli.main()"
    answer = subprocess.run(
        [sys.executable, "-c", script, "walkthrough", "--steps", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    said = " ".join(answer.stdout.split())
    assert "Pas de ffmpeg pour la vidéo" in said and "apt-get install ffmpeg" in said and "imageio-ffmpeg" in said
    assert not (out / "walkthrough.webm").exists() and not (out / "walkthrough.vtt").exists()
    assert sorted(p.stem for p in (out / "screenshots").glob("*.png")) == sorted(STEP_2)
    assert (out / "guide.html").is_file() and (out / "guide.pdf").is_file()


def test_step_4_alone_starts_from_step_2_seeded_by_the_back_office(tmp_path: Path) -> None:
    out = record_command(tmp_path / "step-4", "--steps", "4", "--no-video")
    step_4 = [ident for ident in PERFORMED if ident.startswith("4.")]
    assert [i["id"] for i in manifest(out)["instructions"]] == step_4
    assert sorted(p.stem for p in (out / "screenshots").glob("*.png")) == sorted(step_4)


def test_a_markers_number_hides_no_text_where_there_is_room_beside_its_frame(page: Page) -> None:
    page.set_content(
        '<p style="margin:40px 0 0 20px;font:16px sans-serif"><span>Projet de soins intégrés</span></p>'
        '<p style="margin:0 0 0 60px;font:16px sans-serif"><a href="#x">Utilisateurs</a></p>'
    )
    page.get_by_role("link").evaluate("(el, attribute) => el.setAttribute(attribute, '1')", MARK_ATTRIBUTE)
    text = page.locator("span").bounding_box()
    with marked(page) as drawn:
        frame, badge = (page.locator("#csam-marks > div").nth(n).bounding_box() for n in (0, 1))
    assert drawn == [1] and text is not None and frame is not None and badge is not None
    # The usual place, the frame's top-left corner, would cover the words above: the number goes where none are.
    assert not (
        badge["x"] < text["x"] + text["width"]
        and badge["x"] + badge["width"] > text["x"]
        and badge["y"] < text["y"] + text["height"]
        and badge["y"] + badge["height"] > text["y"]
    )
    # Still beside its frame, touching it.
    assert frame["x"] - badge["width"] - 2 <= badge["x"] <= frame["x"] + frame["width"] + 2
    assert frame["y"] - badge["height"] - 2 <= badge["y"] <= frame["y"] + frame["height"] + 2


def test_a_site_without_control_api_is_refused_with_exit_2_saying_why(tmp_path: Path) -> None:
    server = LiveServer(create_app({"DATABASE": ":memory:", "CONTROL_API": False})).start()
    try:
        answer = subprocess.run(
            [sys.executable, "-c", "from e2e.cli import main; main()", "walkthrough", "--base-url", server.url],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "COLUMNS": "300"},
        )
    finally:
        server.stop()
    assert answer.returncode == 2, answer.stdout + answer.stderr
    assert f"Pas d'API de contrôle à {server.url}" in answer.stdout and "csam-mock serve --control-api" in answer.stdout
    assert "Traceback" not in answer.stdout + answer.stderr


@pytest.mark.manual("2.7")
def test_a_site_that_does_not_follow_the_manual_stops_the_recording_with_the_instruction_and_the_page(
    tmp_path: Path, fresh_mock: Callable[..., str]
) -> None:
    url = fresh_mock("manual-2018", {"Suivant": "Continuer"})
    answer = subprocess.run(
        [
            *(sys.executable, "-c", "from e2e.cli import main; main()", "walkthrough", "--base-url", url),
            *("--steps", "2", "--no-video", "--out", str(tmp_path / "out")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "300", "CSAM_HARNESS_ACTION_TIMEOUT_MS": "2000"},
    )
    said = " ".join(answer.stdout.split())
    assert answer.returncode == 1, answer.stdout + answer.stderr
    assert "L'enregistrement s'est arrêté à l'instruction 2.7 («Indiquez le N°INAMI" in said
    assert "Timeout 2000ms" in said and "montre : «Désignation d'un Gestionnaire d'Accès Principal»" in said
    assert "Traceback" not in answer.stdout + answer.stderr
