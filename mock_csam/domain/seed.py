"""Seed files: YAML or JSON lists of projects in the control API's shape, loaded through the same rules."""

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


def read_seed(path: str | Path) -> list[dict[str, Any]]:
    """The projects of a YAML or JSON seed file: a list, or a mapping with a `projects` list."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise SeedError(f"{path}: {exc}") from exc
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
