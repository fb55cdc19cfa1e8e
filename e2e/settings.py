"""Loads playwright.config.py (a plain settings module whose name is not importable as such)."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from types import ModuleType

CONFIG_FILE = "playwright.config.py"


@lru_cache(maxsize=1)
def harness_settings(start: str | None = None) -> ModuleType:
    """The settings module found in the current directory or above (the repo root), else the packaged copy."""
    here = Path(start or Path.cwd()).resolve()
    candidates = [d / CONFIG_FILE for d in (here, *here.parents)]
    candidates.append(Path(__file__).resolve().parent.parent / CONFIG_FILE)
    for path in candidates:
        if path.is_file():
            spec = importlib.util.spec_from_file_location("playwright_config", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise FileNotFoundError(f"{CONFIG_FILE} not found from {here} upwards")
