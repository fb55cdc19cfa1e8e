"""The wheel carries every file the installed harness reads: each data file the packages keep in git (templates,
translations, the manual's editions, the label catalogue, seeds) is matched by pyproject.toml's package data, and
the runtime finds its files beside its modules, not in a checkout. (.ci/wheel-check installs the wheel and runs it.)"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("mock_csam", "e2e", "fixtures")


def _package_data() -> dict[str, list[str]]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["setuptools"]["package-data"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_data_file_in_git_is_package_data(package: str) -> None:
    listed = subprocess.run(
        ["git", "ls-files", package], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    data = {ROOT / name for name in listed if not name.endswith(".py")}
    patterns = _package_data().get(package, [])
    shipped = {path for pattern in patterns for path in (ROOT / package).glob(pattern) if path.is_file()}
    assert sorted(str(p.relative_to(ROOT)) for p in data - shipped) == []


def test_the_settings_and_editions_are_found_beside_the_modules() -> None:
    from e2e import settings
    from e2e.manual import EDITIONS
    from e2e.pages.site import CATALOGUE

    assert settings.DEFAULTS_FILE.parent == ROOT / "e2e"
    assert all(path.parent == ROOT / "e2e" for path in EDITIONS.values())
    assert (ROOT / "e2e" / CATALOGUE).is_file()
