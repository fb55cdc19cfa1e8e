"""The inclusion manual as data: loads e2e/manual.yaml into its instructions (with the page-object actions that
perform each), its notes, and the page-object actions that go beyond the manual; resolves action names."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MANUAL_FILE = Path(__file__).with_name("manual.yaml")
KINDS = ("navigate", "click", "choose", "fill", "tick", "download", "confirm", "note", "back-office")


VERBS = ("go", "click", "fill", "select", "select_option", "tick", "see", "download")


@dataclass(frozen=True)
class Target:
    """One thing `check-manual` looks for: a verb, the manual's word (`label`) or a test-data key (`data`, or
    `near`: the row showing it), and where (`within`), what to type (`value`) or to choose (`option`)."""

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
        return f"<{self.data}>" if self.data else f"the row of <{self.near}>"


def _target(ident: str, item: object, labels: tuple[str, ...]) -> Target:
    if not isinstance(item, dict):
        raise ManualError(f"{ident}: each check item is a mapping")
    verbs = [verb for verb in VERBS if verb in item]
    if len(verbs) != 1:
        raise ManualError(f"{ident}: each check item has exactly one verb of {VERBS}")
    verb, what = verbs[0], item[verbs[0]]
    extra = set(item) - {verb, "within", "value", "option", "role"}
    if extra:
        raise ManualError(f"{ident}: unknown check keys {sorted(extra)}")
    target = Target(verb=verb, within=item.get("within"), value=item.get("value"), option=item.get("option"),
                    role=item.get("role"))
    if isinstance(what, dict) and len(what) == 1 and ("data" in what or "near" in what):
        target = Target(**{**target.__dict__, **{key: str(value) for key, value in what.items()}})
    elif isinstance(what, str):
        target = Target(**{**target.__dict__, "label": what})
    else:
        raise ManualError(f"{ident}: {verb} takes a label, {{data: key}} or {{near: key}}")
    # The manual's words only: every label looked for is one the instruction names (but "/" for go).
    for word in (target.label if verb != "go" else None, target.within, target.option):
        if word is not None and word not in labels:
            raise ManualError(f"{ident}: {word!r} is not among the instruction's labels")
    return target


# What a regenerated edition says happened to an instruction since the edition it is based on.
REVISION_CHANGES = ("changed", "disambiguated", "moved", "added", "unverified")


@dataclass(frozen=True)
class Revision:
    """An instruction's change since the previous edition: one of REVISION_CHANGES, why (a French sentence)
    and the previous edition's text (absent for an added instruction)."""

    change: str
    why: str
    previous_text: str | None = None


@dataclass(frozen=True)
class Instruction:
    """One instruction: ID, step, the manual's French sentence, kind, screen words, whether a browser can do it,
    and the actions (`Class.method`) that perform it."""

    id: str
    step: int
    text: str
    kind: str
    labels: tuple[str, ...]
    browser: bool
    actions: tuple[str, ...] = ()
    check: tuple[Target, ...] = ()
    revision: Revision | None = None

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
    missing = {"id", "step", "text", "kind", "labels", "browser", "actions"} - entry.keys()
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
    actions = entry["actions"]
    if not isinstance(actions, list) or not actions or not all(isinstance(a, str) and a.count(".") == 1
                                                               for a in actions):
        raise ManualError(f"{ident}: actions must be a non-empty list of 'Class.method'")
    labels = tuple(entry["labels"])
    check = entry.get("check", [])
    if not isinstance(check, list):
        raise ManualError(f"{ident}: check must be a list")
    return Instruction(id=ident, step=entry["step"], text=" ".join(str(entry["text"]).split()),
                       kind=entry["kind"], labels=labels, browser=entry["browser"],
                       actions=tuple(actions), check=tuple(_target(ident, item, labels) for item in check),
                       revision=_revision(ident, entry.get("revision")))


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


def load_steps(path: Path | str = MANUAL_FILE) -> dict[int, str]:
    """The manual's steps: number -> title."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, dict) or not all(isinstance(k, int) and isinstance(v, str) for k, v in steps.items()):
        raise ManualError(f"{path}: 'steps' maps each step number to its title")
    return dict(sorted(steps.items()))


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


def _words(value: object) -> str | None:
    """A non-empty text on one line, or None when it is not one."""
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _revision(ident: str, value: object) -> Revision | None:
    """An instruction's optional `revision`, checked field by field."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ManualError(f"{ident}: revision must be a mapping with change, why and previous_text")
    extra = set(value) - {"change", "why", "previous_text"}
    if extra:
        raise ManualError(f"{ident}: revision has unknown fields {sorted(extra)}")
    change = value.get("change")
    if change not in REVISION_CHANGES:
        raise ManualError(f"{ident}: revision.change {change!r} is not one of {REVISION_CHANGES}")
    why = _words(value.get("why"))
    if why is None:
        raise ManualError(f"{ident}: revision.why must be a non-empty sentence")
    previous = value.get("previous_text")
    if change == "added" and previous is not None:
        raise ManualError(f"{ident}: revision.previous_text must be absent for an added instruction")
    if change in ("changed", "disambiguated", "moved") and _words(previous) is None:
        raise ManualError(f"{ident}: revision.previous_text is required for a {change} instruction")
    if previous is not None and _words(previous) is None:
        raise ManualError(f"{ident}: revision.previous_text must be a non-empty text")
    return Revision(change=change, why=why, previous_text=_words(previous))


@dataclass(frozen=True)
class Removed:
    """An instruction of the previous edition that this one no longer has: ID, step, its text, why."""

    id: str
    step: int
    text: str
    why: str


@dataclass(frozen=True)
class EditionInfo:
    """The optional `edition` header of a regenerated edition: its title, the site it was generated from, the
    edition it is based on and when it was generated."""

    title: str | None = None
    site: str | None = None
    based_on: str | None = None
    generated: str | None = None


def load_removed(path: Path | str = MANUAL_FILE) -> list[Removed]:
    """The optional top-level `removed` list; raises ManualError naming the entry and the field."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries = data.get("removed", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ManualError(f"{path}: 'removed' must be a list")
    removed = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ManualError(f"removed entry {index} is not a mapping")
        name = f"removed entry {index} ({entry.get('id')})"
        ident = entry.get("id")
        if not isinstance(ident, str) or ident.count(".") != 1 or not all(p.isdigit() for p in ident.split(".")):
            raise ManualError(f"{name}: id must be a quoted 'step.number'")
        if not isinstance(entry.get("step"), int) or int(ident.split(".")[0]) != entry["step"]:
            raise ManualError(f"{name}: step must be the number its id starts with")
        for key in ("text", "why"):
            if _words(entry.get(key)) is None:
                raise ManualError(f"{name}: {key} must be a non-empty text")
        extra = set(entry) - {"id", "step", "text", "why"}
        if extra:
            raise ManualError(f"{name}: unknown fields {sorted(extra)}")
        removed.append(Removed(id=ident, step=entry["step"], text=_words(entry["text"]) or "",
                               why=_words(entry["why"]) or ""))
    return removed


def load_edition_info(path: Path | str = MANUAL_FILE) -> EditionInfo:
    """The optional top-level `edition` mapping (title, site, based_on, generated; all optional texts)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    value = data.get("edition", {}) if isinstance(data, dict) else None
    if not isinstance(value, dict):
        raise ManualError(f"{path}: 'edition' must be a mapping of title, site, based_on and generated")
    extra = set(value) - {"title", "site", "based_on", "generated"}
    if extra:
        raise ManualError(f"edition: unknown fields {sorted(extra)}")
    for key, item in value.items():
        # YAML reads an unquoted date as a date: it is still the edition's date.
        if not isinstance(item, str | dt.date) or _words(str(item)) is None:
            raise ManualError(f"edition: {key} must be a non-empty text")
    return EditionInfo(**{key: _words(str(item)) for key, item in value.items()})


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


def load_beyond_the_manual(path: Path | str = MANUAL_FILE) -> dict[str, str]:
    """Page-object actions no instruction names (`Class.method` -> why they exist), from `beyond_the_manual`."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries = data.get("beyond_the_manual", {}) if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not all(
            isinstance(k, str) and k.count(".") == 1 and isinstance(v, str) and v.strip() for k, v in entries.items()):
        raise ManualError(f"{path}: 'beyond_the_manual' maps 'Class.method' to the reason it exists")
    return {name: " ".join(reason.split()) for name, reason in entries.items()}


# ---------------------------------------------------------------------------------------------------------
# Actions: the page objects' methods (and the back office's seeding) that the manual's instructions name
# ---------------------------------------------------------------------------------------------------------

PAGES_PACKAGE = "e2e.pages"
BACK_OFFICE_MODULE = "e2e.seeding"
# Methods of page objects that are not actions: where a page is, waiting for it, finding things on it.
NOT_ACTIONS = frozenset({"path_for", "wait_until_ready", "submit_and_stay", "h1"})
# Return annotations of methods that find or read rather than act.
READERS = frozenset({"Locator", "str", "bool", "int", "None"})


@lru_cache(maxsize=1)
def action_classes() -> dict[str, type]:
    """Every class defined in the page-object modules and the back office's seeder, by name (looked up once:
    the walkthrough resolves an action per instruction)."""
    found: dict[str, type] = {}
    package = importlib.import_module(PAGES_PACKAGE)
    modules = [importlib.import_module(f"{PAGES_PACKAGE}.{info.name}")
               for info in pkgutil.iter_modules(package.__path__)]
    for module in [*modules, importlib.import_module(BACK_OFFICE_MODULE)]:
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                found[name] = cls
    return found


def resolve_action(name: str) -> Callable[..., Any]:
    """The method an action name (`Class.method`) stands for; LookupError when there is none."""
    class_name, _, method = name.partition(".")
    cls = action_classes().get(class_name)
    if cls is None:
        raise LookupError(f"{name}: no class {class_name} in {PAGES_PACKAGE} or {BACK_OFFICE_MODULE}")
    function = cls.__dict__.get(method)
    if isinstance(function, staticmethod):
        function = function.__func__
    if not callable(function):
        raise LookupError(f"{name}: {class_name} defines no method {method}")
    return function


def page_object_actions() -> Iterator[str]:
    """Every action the page objects define (`Class.method`): public methods that do something on the page
    (not the ones that find or read what it shows, see READERS and NOT_ACTIONS)."""
    package_prefix = PAGES_PACKAGE + "."
    for class_name, cls in sorted(action_classes().items()):
        if not cls.__module__.startswith(package_prefix):
            continue
        for method, function in vars(cls).items():
            if isinstance(function, staticmethod):
                function = function.__func__
            if method.startswith("_") or method in NOT_ACTIONS or not inspect.isfunction(function):
                continue
            if function.__annotations__.get("return") in READERS:
                continue
            yield f"{class_name}.{method}"
