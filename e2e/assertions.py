"""What the suites check pages and recordings with: the accessible description a field's error gives it, and what
the walkthrough suites read back from a recording (its manifest, how long its video plays, decoding the whole of
it, and how bright a frame of it is)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image

from e2e.toolchain import ensure_ffmpeg


def described_by(message: str) -> re.Pattern[str]:
    """An accessible description that contains this message (a hint may come before it)."""
    return re.compile(re.escape(message))


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def video_seconds(video: Path) -> float:
    """Decode the whole video with ffmpeg (an error fails) and return how long it plays."""
    ffmpeg = ensure_ffmpeg()
    assert ffmpeg is not None
    decoded = subprocess.run(
        [str(ffmpeg), "-v", "error", "-stats", "-i", str(video), "-f", "null", "-"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert decoded.returncode == 0, decoded.stderr
    times = re.findall(r"time=(\d+):(\d+):(\d+\.\d+)", decoded.stderr)
    assert times, decoded.stderr
    hours, minutes, seconds = times[-1]
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def centre_brightness(video: Path, at: float) -> float:
    """The mean grey level of the middle of the video's frame at this time."""
    from PIL import ImageStat

    frame = video.with_name(f"frame-{at:.2f}.png")
    subprocess.run(
        [str(ensure_ffmpeg()), "-v", "error", "-ss", f"{at:.2f}", "-i", str(video), "-frames:v", "1", "-y", str(frame)],
        check=True,
        timeout=60,
    )
    with Image.open(frame) as image:
        width, height = image.size
        middle = image.convert("L").crop((width * 3 // 8, height * 3 // 8, width * 5 // 8, height * 5 // 8))
        return ImageStat.Stat(middle).mean[0]
