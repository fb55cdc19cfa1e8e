"""The harness's one settings object: the packaged defaults (e2e/default_settings.py), overridden by the
playwright.config.py found in the working directory or above it (a checkout's root), each setting overridden in
turn by its environment variable. An installed harness run outside a checkout finds no playwright.config.py and
uses the defaults alone. A setting that is unknown or of the wrong kind is a SettingsError naming it and where
it came from."""

from __future__ import annotations

import os
import runpy
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from playwright.sync_api import ViewportSize

CONFIG_FILE = "playwright.config.py"
DEFAULTS_FILE = Path(__file__).with_name("default_settings.py")


class SettingsError(ValueError):
    """A setting is unknown or malformed; the message names the setting and its source (file or variable)."""


@dataclass(frozen=True)
class HarnessSettings:
    """Every setting of the harness (documented in e2e/default_settings.py), and the file that overrode the
    defaults (None: the packaged defaults alone)."""

    CHROMIUM_EXECUTABLE: str | None
    SYSTEM_CHROMIUM_CANDIDATES: tuple[str, ...]
    LAUNCH_ARGS: tuple[str, ...]
    BASE_URL: str | None
    EXPECT_TIMEOUT_MS: int
    ACTION_TIMEOUT_MS: int
    NAVIGATION_TIMEOUT_MS: int
    VIEWPORT: ViewportSize
    RECORDING_VIEWPORT: ViewportSize
    LOCALES: dict[str, str]
    TIMEZONE: str
    USE_HEADLESS_SHELL: bool
    HEADLESS_SHELL_CANDIDATES: tuple[str, ...]
    BROWSER_WS_ENDPOINT: str | None
    REMOTE_CHROMIUM: str | None
    source: Path | None = None


# -- what each setting may be ---------------------------------------------------------------------------------


def _text_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise TypeError("a text or None")


def _text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value
    raise TypeError("a non-empty text")


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError("a list of texts")


def _milliseconds(value: Any) -> int:
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise TypeError("a whole number of milliseconds")
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise TypeError("a whole number of milliseconds above 0")


def _viewport(value: Any) -> ViewportSize:
    if (
        isinstance(value, dict)
        and set(value) == {"width", "height"}
        and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value.values())
    ):
        return {"width": value["width"], "height": value["height"]}
    raise TypeError('{"width": PIXELS, "height": PIXELS}')


def _locales(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()):
        missing = {"fr", "nl"} - set(value)
        if not missing:
            return dict(value)
    raise TypeError('a browser locale for each of the languages fr and nl, e.g. {"fr": "fr-BE", "nl": "nl-BE"}')


def _flag(value: Any) -> bool:
    if isinstance(value, str):  # from the environment: 0, false, no or empty turn it off
        return value.strip().lower() not in ("0", "false", "no", "")
    if isinstance(value, bool):
        return value
    raise TypeError("True or False")


KINDS: dict[str, Callable[[Any], Any]] = {
    "CHROMIUM_EXECUTABLE": _text_or_none,
    "SYSTEM_CHROMIUM_CANDIDATES": _texts,
    "LAUNCH_ARGS": _texts,
    "BASE_URL": _text_or_none,
    "EXPECT_TIMEOUT_MS": _milliseconds,
    "ACTION_TIMEOUT_MS": _milliseconds,
    "NAVIGATION_TIMEOUT_MS": _milliseconds,
    "VIEWPORT": _viewport,
    "RECORDING_VIEWPORT": _viewport,
    "LOCALES": _locales,
    "TIMEZONE": _text,
    "USE_HEADLESS_SHELL": _flag,
    "HEADLESS_SHELL_CANDIDATES": _texts,
    "BROWSER_WS_ENDPOINT": _text_or_none,
    "REMOTE_CHROMIUM": _text_or_none,
}
# The environment variable that overrides a setting. An empty variable leaves a text setting as the file says.
ENVIRONMENT = {
    "CHROMIUM_EXECUTABLE": "CSAM_HARNESS_CHROMIUM",
    "BASE_URL": "CSAM_HARNESS_BASE_URL",
    "EXPECT_TIMEOUT_MS": "CSAM_HARNESS_EXPECT_TIMEOUT_MS",
    "ACTION_TIMEOUT_MS": "CSAM_HARNESS_ACTION_TIMEOUT_MS",
    "NAVIGATION_TIMEOUT_MS": "CSAM_HARNESS_NAVIGATION_TIMEOUT_MS",
    "USE_HEADLESS_SHELL": "CSAM_HARNESS_HEADLESS_SHELL",
    "BROWSER_WS_ENDPOINT": "CSAM_HARNESS_BROWSER_WS",
    "REMOTE_CHROMIUM": "CSAM_HARNESS_REMOTE_CHROMIUM",
}
assert set(KINDS) == {f.name for f in fields(HarnessSettings)} - {"source"}


def _settings_in(path: Path) -> dict[str, Any]:
    """The upper-case names a settings file defines; SettingsError when it cannot run or names an unknown one."""
    try:
        names = runpy.run_path(str(path), run_name="playwright_config")
    except Exception as error:  # noqa: BLE001 - any error in the user's file is reported as its error
        raise SettingsError(f"{path}: cannot be read ({error.__class__.__name__}: {error})") from None
    stated = {name: value for name, value in names.items() if name.isupper() and not name.startswith("_")}
    unknown = sorted(set(stated) - set(KINDS))
    if unknown:
        raise SettingsError(f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(KINDS)})")
    return stated


def config_file(start: str | Path | None = None) -> Path | None:
    """The playwright.config.py in `start` (the working directory) or the nearest folder above it, else None."""
    here = Path(start or Path.cwd()).resolve()
    return next((d / CONFIG_FILE for d in (here, *here.parents) if (d / CONFIG_FILE).is_file()), None)


def load_settings(start: str | Path | None = None, environ: dict[str, str] | None = None) -> HarnessSettings:
    """The settings as a run from `start` sees them (see the module's docstring), read afresh."""
    environ = dict(os.environ) if environ is None else environ
    values = {name: (value, str(DEFAULTS_FILE)) for name, value in _settings_in(DEFAULTS_FILE).items()}
    source = config_file(start)
    if source is not None:
        values |= {name: (value, str(source)) for name, value in _settings_in(source).items()}
    for name, variable in ENVIRONMENT.items():
        given = environ.get(variable)
        if given is not None and (given.strip() or KINDS[name] is _flag):
            values[name] = (given, f"the environment variable {variable}")
    checked: dict[str, Any] = {}
    for name, kind in KINDS.items():
        if name not in values:
            raise SettingsError(f"{DEFAULTS_FILE}: {name} is missing")
        value, where = values[name]
        try:
            checked[name] = kind(value)
        except TypeError as error:
            raise SettingsError(f"{where}: {name}={value!r} is not {error}") from None
    return HarnessSettings(**checked, source=source)


@lru_cache(maxsize=4)
def harness_settings(start: str | None = None) -> HarnessSettings:
    """The settings of this run (read once per process and starting folder; see `load_settings`)."""
    return load_settings(start)
