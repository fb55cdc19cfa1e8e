"""Finding a Chromium and an ffmpeg that Playwright can use, on a machine with or without internet."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import playwright


class ChromiumNotFound(RuntimeError):
    """No Chromium could be found; the message says how to get one."""


HOW_TO_GET_CHROMIUM = (
    "No Chromium found. Either run `playwright install chromium` (needs internet), or install the system "
    "package (Debian/Ubuntu: `apt-get install chromium`), or point CSAM_HARNESS_CHROMIUM at a Chromium binary."
)


def resolve_chromium(explicit: str | None, playwright_own: str | None, candidates: tuple[str, ...]) -> str | None:
    """The Chromium to launch: the explicit path, else Playwright's own when installed, else a system one.

    Returns None when Playwright's own Chromium should be used (no executable_path needed).
    """
    if explicit:
        path = shutil.which(explicit) or explicit
        if not Path(path).is_file():
            raise ChromiumNotFound(
                f"CSAM_HARNESS_CHROMIUM / CHROMIUM_EXECUTABLE points at {explicit}, which does not exist"
            )
        return path
    if playwright_own and Path(playwright_own).is_file():
        return None
    for candidate in candidates:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found and Path(found).is_file():
            return found
    raise ChromiumNotFound(HOW_TO_GET_CHROMIUM)


def browsers_path() -> Path:
    """Where Playwright keeps its browsers and its ffmpeg."""
    configured = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    # The same choice as Playwright's driver (Linux): "0" means inside the installed package.
    if configured == "0":
        return _driver_package() / ".local-browsers"
    if configured:
        return Path(os.path.abspath(configured))
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ms-playwright"


def _driver_package() -> Path:
    return Path(playwright.__file__).parent / "driver" / "package"


def ffmpeg_revision() -> str:
    """The ffmpeg revision this Playwright version looks for."""
    browsers = _driver_package() / "browsers.json"
    data = json.loads(browsers.read_text())
    return next(b["revision"] for b in data["browsers"] if b["name"] == "ffmpeg")


def playwright_ffmpeg_path() -> Path:
    """The path at which Playwright expects its ffmpeg (Linux)."""
    return browsers_path() / f"ffmpeg-{ffmpeg_revision()}" / "ffmpeg-linux"


def ensure_ffmpeg() -> Path | None:
    """Make an ffmpeg available where Playwright looks for it (for video); returns its path or None.

    Uses Playwright's own when present, else links the system ffmpeg or the one imageio-ffmpeg ships.
    """
    target = playwright_ffmpeg_path()
    if target.exists():
        return target
    if target.is_symlink():
        # A link left by an earlier set-up whose ffmpeg is gone (e.g. a removed .venv): replace it.
        target.unlink()
    source = shutil.which("ffmpeg")
    if source is None:
        try:
            import imageio_ffmpeg

            source = imageio_ffmpeg.get_ffmpeg_exe()
        except (ImportError, RuntimeError):
            return None
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.symlink_to(Path(source).resolve())
    except FileExistsError:
        pass
    except OSError:
        shutil.copy2(source, target)
    return target
