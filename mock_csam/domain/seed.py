"""Seed files: YAML or JSON projects (and care providers) in the control API's shape, loaded through the rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from . import rules
from .errors import RuleViolation


class SeedError(Exception):
    """A seed file that cannot be read or holds invalid projects."""


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise SeedError(f"{path}: {exc}") from exc


def read_seed(path: str | Path) -> list[dict[str, Any]]:
    """The projects of a YAML or JSON seed file: a list, or a mapping with a `projects` list."""
    path = Path(path)
    data = _read(path)
    if isinstance(data, dict):
        data = data.get("projects")
    if not isinstance(data, list):
        raise SeedError(f"{path}: expected a list of projects (or a mapping with a 'projects' list)")
    return data


def load_seed(session: Session, projects: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Record the projects not yet known; returns (added, already present) INAMI numbers."""
    added, present = [], []
    for index, project in enumerate(projects):
        number = str(project.get("inami_number", "")) if isinstance(project, dict) else ""
        if number and rules.project_by_inami(session, number) is not None:
            present.append(number)
            continue
        try:
            rules.record_project(session, project)
        except RuleViolation as exc:
            details = "; ".join(f"{e['field']}: {e['message']}" for e in exc.as_json())
            raise SeedError(f"project #{index + 1} ({number or 'no INAMI number'}): {details}") from exc
        added.append(number)
    return added, present


def read_care_providers(path: str | Path) -> list[dict[str, Any]]:
    """The `care_providers` list of a seed file that is a mapping (none otherwise)."""
    path = Path(path)
    data = _read(path)
    providers = data.get("care_providers", []) if isinstance(data, dict) else []
    if not isinstance(providers, list):
        raise SeedError(f"{path}: 'care_providers' must be a list")
    return providers


def load_care_providers(session: Session, providers: list[dict[str, Any]]) -> tuple[int, int]:
    """Record the care providers not yet known for their project; returns (added, already present)."""
    added = present = 0
    for index, provider in enumerate(providers):
        if rules.care_provider_is_recorded(session, provider):
            present += 1
            continue
        try:
            rules.record_care_provider(session, provider)
        except RuleViolation as exc:
            details = "; ".join(f"{e['field']}: {e['message']}" for e in exc.as_json())
            raise SeedError(f"care provider #{index + 1}: {details}") from exc
        added += 1
    return added, present
