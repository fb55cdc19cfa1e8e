"""The walkthrough's outputs without a browser: subtitle timing, screenshot comparison, and the mock's seeded
request numbers that make two recordings alike."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from e2e.walkthrough import NOISE, Capture, changed_share, compare, subtitles, vtt_time
from mock_csam.domain.clock import MockClock


def test_vtt_times() -> None:
    assert vtt_time(0) == "00:00:00.000"
    assert vtt_time(61.5) == "00:01:01.500"
    assert vtt_time(3723.25) == "01:02:03.250"


def test_subtitles_have_a_cue_per_instruction_with_its_text() -> None:
    captures = [Capture("2.1", 2, "Accédez au portail.", [], "s/2.1.png", 1.0, 1.0),
                Capture("2.2", 2, "Cliquez sur X.", [], "s/2.2.png", 1.0, 2.5)]
    assert subtitles(captures) == ("WEBVTT\n\n2.1\n00:00:01.000 --> 00:00:01.100\n2.1 Accédez au portail.\n\n"
                                   "2.2\n00:00:01.000 --> 00:00:02.500\n2.2 Cliquez sur X.\n")


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


def test_a_seeded_clock_draws_the_same_numbers_again_after_a_reset() -> None:
    clock = MockClock(seed=2018)
    first = [clock.draw(900000) for _ in range(3)]
    clock.reseed()
    assert [clock.draw(900000) for _ in range(3)] == first
    assert MockClock(seed=2018).draw(900000) == first[0]
    assert MockClock().seed is None
