"""The inclusion manual as data: a manual edition (e2e/manual.yaml, the 2018 edition, or any file in its schema)
loaded and validated into its instructions (with the page-object actions that perform each), its notes, what a
regenerated edition changed, and the page-object actions that go beyond the manual.

An edition is checked against a JSON Schema (`EDITION_SCHEMA` in e2e/manual_schema.py, documented in
docs/manual-schema.md) and then for what a schema cannot say (IDs that match their step, each ID once, check items
naming the instruction's own words); every refusal is a ManualError naming the file, the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .manual_schema import CHANGES as CHANGES
from .manual_schema import EDITION_SCHEMA as EDITION_SCHEMA
from .manual_schema import KINDS as KINDS
from .manual_schema import NAMING_KINDS as NAMING_KINDS
from .manual_schema import VERBS as VERBS

MANUAL_FILE = Path(__file__).with_name("manual.yaml")
# Editions shipped with the harness, by name: the manual as written for the 2018 site, the edition regenerated
# from today's site (`csam-harness update-manual --site-version current`), and a Dutch translation of the first.
EDITIONS = {
    "manual-2018": MANUAL_FILE,
    "current": Path(__file__).with_name("manual-current.yaml"),
    "manual-2018-nl": Path(__file__).with_name("manual-nl.yaml"),
}


@dataclass(frozen=True)
class Target:
    """One thing `check-manual` looks for: a verb, the manual's word (`label`) or a test-data key (`data`, or
    `near`: the row showing it), and where (`within`), what to type (`value`) or to choose (`option`). The verb
    `login` has no label: the person identifies with the card reader the site shows there."""

    verb: str
    label: str | None = None
    data: str | None = None
    near: str | None = None
    within: str | None = None
    value: str | None = None
    option: str | None = None
    role: str | None = None

    @property
    def words(self) -> str:
        """How the report names what was looked for."""
        if self.label is not None:
            return f"«{self.label}»"
        if self.verb == "login":
            return "la connexion par carte eID"
        return f"<{self.data}>" if self.data else f"the row of <{self.near}>"

    def as_yaml(self) -> dict[str, Any]:
        """The check item as an edition file writes it."""
        what: Any = (
            self.label
            if self.label is not None
            else ({"data": self.data} if self.data else {"near": self.near} if self.near else "eid")
        )
        item: dict[str, Any] = {self.verb: what}
        for key in ("within", "value", "option", "role"):
            if getattr(self, key) is not None:
                item[key] = getattr(self, key)
        return item


@dataclass(frozen=True)
class Revision:
    """What a regenerated edition says about an entry: the kind of change (CHANGES), why, and the text before."""

    change: str
    why: str
    previous_text: str | None = None


@dataclass(frozen=True)
class Instruction:
    """One instruction: ID, step, the manual's French sentence, kind, screen words, whether a browser can do it,
    the actions (`Class.method`) that perform it, what check-manual looks for, and what its regeneration changed."""

    id: str
    step: int
    text: str
    kind: str
    labels: tuple[str, ...]
    browser: bool
    actions: tuple[str, ...] = ()
    check: tuple[Target, ...] = ()
    revision: Revision | None = None


@dataclass(frozen=True)
class Note:
    """A warning of the manual that promises a consequence (e.g. «AR78»): ID, step, the manual's sentence."""

    id: str
    step: int
    text: str
    revision: Revision | None = None


@dataclass(frozen=True)
class Removed:
    """An instruction of the previous edition that the site no longer has, and why."""

    id: str
    step: int
    text: str
    why: str


@dataclass(frozen=True)
class EditionInfo:
    """What an edition says about itself (`edition:`): its title, the site it was regenerated from, the edition
    it is based on, and when it was generated; None where it says nothing."""

    title: str | None = None
    site: str | None = None
    based_on: str | None = None
    generated: str | None = None
    language: str = "fr"
    translated_from: str | None = None


@dataclass(frozen=True)
class Edition:
    """A whole edition: what it is (`info`: title, site, based_on, generated), its steps' titles, instructions,
    notes, the instructions it removed, and the page-object actions beyond the manual."""

    path: Path
    info: EditionInfo
    steps: dict[int, str]
    instructions: tuple[Instruction, ...]
    notes: tuple[Note, ...] = ()
    removed: tuple[Removed, ...] = ()
    beyond_the_manual: dict[str, str] = field(default_factory=dict)

    def instruction(self, ident: str) -> Instruction:
        """One instruction by ID; KeyError when the edition has none."""
        for item in self.instructions:
            if item.id == ident:
                return item
        raise KeyError(ident)


class ManualError(ValueError):
    """An edition file is not shaped as expected; the message names the file, the entry and the field."""


def id_key(ident: str) -> tuple[int, ...]:
    """An instruction ID as numbers, so that 2.10 comes after 2.9 and 2.5.1 after 2.5."""
    return tuple(int(part) for part in ident.split("."))


def resolve_edition(value: str | Path | None) -> Path:
    """The file of an edition given by name (EDITIONS) or path; the 2018 edition when None."""
    if value is None:
        return MANUAL_FILE
    if isinstance(value, str) and value in EDITIONS:
        return EDITIONS[value]
    return Path(value)


def edition_name(path: Path) -> str:
    """An edition's name: its EDITIONS key when it is shipped with the harness, else its file name."""
    return next((name for name, file in EDITIONS.items() if file.resolve() == Path(path).resolve()), Path(path).name)


def _where(data: Any, path: list[Any]) -> str:
    """`instructions[5] (2.6), field 'kind'` for a path into the edition."""
    if not path:
        return "the file"
    if len(path) >= 2 and isinstance(path[1], int) and path[0] in ("instructions", "notes", "removed"):
        entry = data[path[0]][path[1]]
        ident = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path[0]}[{path[1]}]" + (f" ({ident})" if ident is not None else "")
        rest = path[2:]
    else:
        where, rest = str(path[0]), path[1:]
    return where + (f", field '{'.'.join(str(p) for p in rest)}'" if rest else "")


def _schema_error(path: Path, data: Any) -> ManualError | None:
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(EDITION_SCHEMA).iter_errors(data))
    if error is None:
        return None
    at = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        if extra:
            at.append(extra[0])
            return ManualError(f"{path}: {_where(data, at)}: unknown field (allowed: {', '.join(allowed)})")
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return ManualError(f"{path}: {_where(data, [*at, missing])}: missing")
    if error.validator == "enum":
        return ManualError(
            f"{path}: {_where(data, at)}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
        )
    if error.validator == "pattern" and at and at[-1] == "id":
        return ManualError(
            f"{path}: {_where(data, at)}: {error.instance!r} is not a quoted 'step.number' "
            "(or 'step.number.number' for an instruction added after another)"
        )
    if (error.validator in ("minLength", "pattern") and error.instance == "") or (
        isinstance(error.instance, str) and not error.instance.strip()
    ):
        return ManualError(f"{path}: {_where(data, at)}: empty")
    return ManualError(f"{path}: {_where(data, at)}: {error.message}")


def _target(where: str, item: dict[str, Any], labels: tuple[str, ...]) -> Target:
    verbs = [verb for verb in VERBS if verb in item]
    if len(verbs) != 1:
        raise ManualError(f"{where}: each check item has exactly one verb of {', '.join(VERBS)}")
    verb, what = verbs[0], item[verbs[0]]
    extra = set(item) - {verb, "within", "value", "option", "role"}
    if extra:
        raise ManualError(f"{where}: unknown check keys {sorted(extra)}")
    target = Target(
        verb=verb, within=item.get("within"), value=item.get("value"), option=item.get("option"), role=item.get("role")
    )
    if verb == "login":
        if what != "eid":
            raise ManualError(f"{where}: login takes «eid» (the card reader)")
        return target
    if isinstance(what, dict) and len(what) == 1 and ("data" in what or "near" in what):
        target = Target(**{**target.__dict__, **{key: str(value) for key, value in what.items()}})
    elif isinstance(what, str) and what.strip():
        target = Target(**{**target.__dict__, "label": what})
    else:
        raise ManualError(f"{where}: {verb} takes a label, {{data: key}} or {{near: key}}")
    # The manual's words only: every label looked for is one the instruction names (but "/" for go).
    for word in (target.label if verb != "go" else None, target.within, target.option):
        if word is not None and word not in labels:
            raise ManualError(f"{where}: {word!r} is not among the instruction's labels")
    return target


def _revision(entry: dict[str, Any]) -> Revision | None:
    revision = entry.get("revision")
    if revision is None:
        return None
    return Revision(
        revision["change"],
        " ".join(revision["why"].split()),
        " ".join(revision["previous_text"].split()) if revision.get("previous_text") else None,
    )


def _instruction(path: Path, entry: dict[str, Any], index: int) -> Instruction:
    ident = entry["id"]
    where = f"{path}: instructions[{index}] ({ident})"
    if int(ident.split(".")[0]) != entry["step"]:
        raise ManualError(f"{where}, field 'step': {entry['step']} does not match its id")
    labels = tuple(entry["labels"])
    if not labels and entry["kind"] in NAMING_KINDS:
        raise ManualError(
            f"{where}, field 'labels': empty, but a «{entry['kind']}» instruction names the screen words it acts on"
        )
    check = tuple(
        _target(f"{where}, field 'check[{n}]'", item, labels) for n, item in enumerate(entry.get("check", []))
    )
    return Instruction(
        id=ident,
        step=entry["step"],
        text=" ".join(str(entry["text"]).split()),
        kind=entry["kind"],
        labels=labels,
        browser=entry["browser"],
        actions=tuple(entry["actions"]),
        check=check,
        revision=_revision(entry),
    )


def read_edition(path: Path | str) -> dict[str, Any]:
    """An edition file's raw data; ManualError when it cannot be read or is not YAML."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ManualError(f"{path}: cannot be read ({error.__class__.__name__}: {error})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ManualError(f"{path}: not valid YAML{where}: {problem}") from None


def load_edition(path: Path | str | None = None) -> Edition:
    """A whole edition, validated (see the module's docstring); raises ManualError naming entry and field."""
    path = resolve_edition(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as error:
        raise ManualError(f"{path}: cannot be read ({error.strerror or error})") from None
    return _load_edition(path.resolve(), stamp)


@lru_cache(maxsize=16)
def _load_edition(path: Path, _stamp: int) -> Edition:
    data = read_edition(path)
    if not isinstance(data, dict):
        raise ManualError(f"{path}: expected a mapping with 'steps' and an 'instructions' list")
    problem = _schema_error(path, data)
    if problem is not None:
        raise problem
    steps = data["steps"]
    if not all(isinstance(k, int) and isinstance(v, str) and v.strip() for k, v in steps.items()):
        raise ManualError(f"{path}: steps: each step number maps to its title")
    instructions = tuple(_instruction(path, entry, i) for i, entry in enumerate(data["instructions"]))
    notes = tuple(
        Note(id=str(n["id"]), step=n["step"], text=" ".join(n["text"].split()), revision=_revision(n))
        for n in data.get("notes", [])
    )
    removed = tuple(
        Removed(r["id"], r["step"], " ".join(r["text"].split()), " ".join(r["why"].split()))
        for r in data.get("removed", [])
    )
    seen: set[str] = set()
    for index, ident in enumerate([i.id for i in instructions] + [n.id for n in notes]):
        if ident in seen:
            kind = "instructions" if index < len(instructions) else "notes"
            raise ManualError(f"{path}: {kind}: the id {ident} appears twice")
        seen.add(ident)
    for item in instructions + notes:
        if item.step not in steps and not (isinstance(item, Note) and item.step == 0):
            raise ManualError(f"{path}: {item.id}: step {item.step} has no title under 'steps'")
    beyond = {name: " ".join(reason.split()) for name, reason in (data.get("beyond_the_manual") or {}).items()}
    info = EditionInfo(**{k: str(v) for k, v in (data.get("edition") or {}).items()})
    return Edition(path, info, dict(sorted(steps.items())), instructions, notes, removed, beyond)


def load_manual(path: Path | str | None = None) -> list[Instruction]:
    """Every instruction of an edition (default: the 2018 one), in the edition's order."""
    return list(load_edition(path).instructions)


def load_steps(path: Path | str | None = None) -> dict[int, str]:
    """The edition's steps: number -> title."""
    return load_edition(path).steps


def load_notes(path: Path | str | None = None) -> list[Note]:
    """The edition's notes (warnings that promise a consequence)."""
    return list(load_edition(path).notes)


def load_removed(path: Path | str | None = None) -> list[Removed]:
    """The instructions the previous edition had and this one removed, with why."""
    return list(load_edition(path).removed)


def load_edition_info(path: Path | str | None = None) -> EditionInfo:
    """The edition's `edition:` header."""
    return load_edition(path).info
