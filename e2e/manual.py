"""The inclusion manual as data: loads e2e/manual.yaml into its instructions and its notes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

MANUAL_FILE = Path(__file__).with_name("manual.yaml")
KINDS = ("navigate", "click", "choose", "fill", "tick", "download", "confirm", "note", "back-office")


@dataclass(frozen=True)
class Instruction:
    """One instruction: ID, step, the manual's French sentence, kind, screen words, whether a browser can do it."""

    id: str
    step: int
    text: str
    kind: str
    labels: tuple[str, ...]
    browser: bool

    @property
    def sort_key(self) -> tuple[int, int]:
        """(step, number) so that 2.10 comes after 2.9."""
        step, number = self.id.split(".")
        return int(step), int(number)


@dataclass(frozen=True)
class Note:
    """A warning of the manual that promises a consequence (e.g. «AR78»): ID, step, the manual's sentence."""

    id: str
    step: int
    text: str


class ManualError(ValueError):
    """manual.yaml is not shaped as expected; the message names the entry."""


def _instruction(entry: object, index: int) -> Instruction:
    if not isinstance(entry, dict):
        raise ManualError(f"entry {index} is not a mapping")
    missing = {"id", "step", "text", "kind", "labels", "browser"} - entry.keys()
    if missing:
        raise ManualError(f"entry {index} ({entry.get('id')}) lacks {sorted(missing)}")
    ident = entry["id"]
    if not isinstance(ident, str) or ident.count(".") != 1 or not all(p.isdigit() for p in ident.split(".")):
        raise ManualError(f"entry {index}: id {ident!r} is not a quoted 'step.number'")
    if entry["kind"] not in KINDS:
        raise ManualError(f"{ident}: kind {entry['kind']!r} is not one of {KINDS}")
    if int(ident.split(".")[0]) != entry["step"]:
        raise ManualError(f"{ident}: step {entry['step']} does not match its id")
    if not isinstance(entry["labels"], list) or not all(isinstance(x, str) for x in entry["labels"]):
        raise ManualError(f"{ident}: labels must be a list of strings")
    if not isinstance(entry["browser"], bool):
        raise ManualError(f"{ident}: browser must be true or false")
    return Instruction(id=ident, step=entry["step"], text=" ".join(str(entry["text"]).split()),
                       kind=entry["kind"], labels=tuple(entry["labels"]), browser=entry["browser"])


def load_manual(path: Path | str = MANUAL_FILE) -> list[Instruction]:
    """Every instruction of the manual, in the manual's order; raises ManualError on a malformed file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("instructions"), list):
        raise ManualError(f"{path}: expected a mapping with an 'instructions' list")
    instructions = [_instruction(entry, i) for i, entry in enumerate(data["instructions"])]
    seen: set[str] = set()
    for instruction in instructions:
        if instruction.id in seen:
            raise ManualError(f"{instruction.id} appears twice")
        seen.add(instruction.id)
    return instructions


def load_notes(path: Path | str = MANUAL_FILE) -> list[Note]:
    """The manual's notes (the optional `notes` list); raises ManualError on a malformed entry."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries = data.get("notes", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ManualError(f"{path}: 'notes' must be a list")
    notes = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or {"id", "step", "text"} - entry.keys():
            raise ManualError(f"note {index} needs an id, a step and a text")
        notes.append(Note(id=str(entry["id"]), step=int(entry["step"]), text=" ".join(str(entry["text"]).split())))
    return notes


@lru_cache(maxsize=1)
def manual() -> tuple[Instruction, ...]:
    """The packaged manual, loaded once."""
    return tuple(load_manual())


def instruction(ident: str) -> Instruction:
    """One instruction by ID; KeyError if the manual has no such ID."""
    for item in manual():
        if item.id == ident:
            return item
    raise KeyError(ident)
