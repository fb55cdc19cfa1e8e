"""Which Chromium the harness launches and where it finds ffmpeg for videos; files in tmp, no real browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from e2e import toolchain
from e2e.toolchain import ChromiumNotFound, ensure_ffmpeg, playwright_ffmpeg_path, resolve_chromium


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def binaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder alone on PATH, so that names are looked up there only."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_an_explicit_path_wins_over_everything(tmp_path: Path, binaries: Path) -> None:
    explicit = _executable(tmp_path / "my" / "chrome")
    own = _executable(tmp_path / "ms-playwright" / "chrome")
    system = _executable(binaries / "chromium")
    assert resolve_chromium(str(explicit), str(own), (str(system), "chromium")) == str(explicit)


def test_an_explicit_name_is_looked_up_on_path(binaries: Path) -> None:
    found = _executable(binaries / "google-chrome")
    assert resolve_chromium("google-chrome", None, ()) == str(found)


def test_an_explicit_path_that_does_not_exist_is_an_error(tmp_path: Path, binaries: Path) -> None:
    _executable(binaries / "chromium")
    missing = tmp_path / "nowhere" / "chrome"
    with pytest.raises(ChromiumNotFound, match=f"points at {missing}, which does not exist"):
        resolve_chromium(str(missing), None, ("chromium",))


def test_playwrights_own_chromium_needs_no_path(tmp_path: Path, binaries: Path) -> None:
    own = _executable(tmp_path / "ms-playwright" / "chromium-1255" / "chrome-linux64" / "chrome")
    system = _executable(binaries / "chromium")
    assert resolve_chromium(None, str(own), (str(system),)) is None


def test_without_playwrights_own_the_first_system_candidate_is_used(tmp_path: Path, binaries: Path) -> None:
    own = tmp_path / "ms-playwright" / "chromium-1255" / "chrome-linux64" / "chrome"  # never downloaded
    second = _executable(tmp_path / "usr" / "lib" / "chromium" / "chromium")
    _executable(binaries / "google-chrome")
    candidates = (str(tmp_path / "missing" / "chromium"), str(second), "google-chrome")
    assert resolve_chromium(None, str(own), candidates) == str(second)


def test_a_candidate_name_is_looked_up_on_path(binaries: Path) -> None:
    found = _executable(binaries / "chromium-browser")
    assert resolve_chromium(None, None, ("/nonexistent/chromium", "chromium", "chromium-browser")) == str(found)


def test_a_folder_is_not_a_chromium(tmp_path: Path, binaries: Path) -> None:
    (tmp_path / "chromium").mkdir()
    with pytest.raises(ChromiumNotFound):
        resolve_chromium(None, str(tmp_path / "chromium"), (str(tmp_path / "chromium"),))


def test_no_chromium_says_how_to_get_one(tmp_path: Path, binaries: Path) -> None:
    with pytest.raises(ChromiumNotFound) as caught:
        resolve_chromium(None, str(tmp_path / "chrome"), ("chromium", str(tmp_path / "chromium")))
    message = str(caught.value)
    for advice in ("playwright install chromium", "apt-get install chromium", "CSAM_HARNESS_CHROMIUM"):
        assert advice in message


def test_the_default_candidates_start_with_debians_chromium() -> None:
    from e2e.settings import harness_settings

    assert harness_settings().SYSTEM_CHROMIUM_CANDIDATES[0] == "/usr/lib/chromium/chromium"


# ---------------------------------------------------------------------------------------------------------
# ffmpeg for videos
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def browsers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder of Playwright browsers."""
    folder = tmp_path / "ms-playwright"
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(folder))
    return folder


def test_ffmpeg_is_looked_for_where_playwright_keeps_it(browsers: Path) -> None:
    assert playwright_ffmpeg_path() == browsers / f"ffmpeg-{toolchain.ffmpeg_revision()}" / "ffmpeg-linux"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("0", lambda home, cwd: Path(toolchain.playwright.__file__).parent / "driver" / "package" / ".local-browsers"),
        ("relative/browsers", lambda home, cwd: cwd / "relative" / "browsers"),
        (None, lambda home, cwd: home / ".cache" / "ms-playwright"),
    ],
)
def test_the_browsers_folder_follows_playwrights_rules(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, setting: str | None, expected
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    if setting is None:
        monkeypatch.delenv("PLAYWRIGHT_BROWSERS_PATH", raising=False)
    else:
        monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", setting)
    assert toolchain.browsers_path() == expected(tmp_path / "home", tmp_path)


def test_the_browsers_folder_follows_xdg_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLAYWRIGHT_BROWSERS_PATH", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert toolchain.browsers_path() == tmp_path / "cache" / "ms-playwright"


def test_ensure_ffmpeg_links_one_and_is_idempotent(browsers: Path) -> None:
    linked = ensure_ffmpeg()
    assert linked == playwright_ffmpeg_path()
    assert linked.exists() and os.access(linked.resolve(), os.X_OK)
    assert ensure_ffmpeg() == linked


def test_ensure_ffmpeg_replaces_a_dangling_link(browsers: Path, tmp_path: Path) -> None:
    target = playwright_ffmpeg_path()
    target.parent.mkdir(parents=True)
    target.symlink_to(tmp_path / "removed-venv" / "ffmpeg")
    assert not target.exists()
    assert ensure_ffmpeg() == target
    assert target.exists()


def test_ensure_ffmpeg_keeps_playwrights_own(browsers: Path) -> None:
    own = _executable(playwright_ffmpeg_path())
    assert ensure_ffmpeg() == own
    assert not own.is_symlink()
