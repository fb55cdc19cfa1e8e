"""Reads a manual written in French prose (plain text from a PDF, or Markdown) into a manual edition: a dict in
the shape of e2e/manual.yaml whose instructions are found by the manual's own French patterns («Cliquez sur …»,
«Sélectionnez … => « … »», «Indiquez …», «cochez la case « … »», «ÉTAPE n : …» …).

What the patterns cannot read as an instruction (introductions, «*Remarque», «Attention», explanations) is kept
as `notes`, and `ImportedManual.notes` lists it so the caller can say so. Page numbers, URLs alone on a line and
runs of blank lines are dropped. An imported edition names no page-object actions (`actions: []`): it can be
checked against a site, not walked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .manual_prose import (
    ACRONYM,
    ATTENTION,
    BULLET,
    BULLET_HEAD,
    CHOICE,
    GLYPH,
    HEAD,
    LEADING_IMPERATIVE,
    LONE_URL,
    MD_HEADING,
    NOT_VERBS,
    NUMBERED,
    OPTION,
    PAGE_NUMBER,
    QUOTED,
    REMARK,
    STEP_HEADING,
    clauses_of,
    fold,
    is_imperative,
    read_instruction,
    strip_markdown,
    unique_words,
)


class ManualImportError(ValueError):
    """The text holds no instruction the patterns can read."""


@dataclass
class Block:
    """A paragraph of the manual (or a heading, a numbered item, a remark), with the bullets under it."""

    kind: str  # "heading", "item", "para", "remark", "attention", "bullet"
    text: str
    step: int = 0
    title: str = ""
    gap: bool = False  # the line began after a dropped bullet glyph or an indent: a new paragraph in a PDF
    bullets: list[str] = field(default_factory=list)


@dataclass
class ImportedManual:
    """The edition (for `yaml.safe_dump`) and what went to its notes, i.e. was not read as an instruction."""

    edition: dict[str, Any]

    @property
    def instructions(self) -> list[dict[str, Any]]:
        """The edition's instructions."""
        return self.edition["instructions"]

    @property
    def notes(self) -> list[dict[str, Any]]:
        """The text kept as notes because no pattern read it as an instruction."""
        return self.edition["notes"]


# --------------------------------------------------------------------------------------------------------------
# Lines into blocks
# --------------------------------------------------------------------------------------------------------------


def _starts_instruction(line: str) -> bool:
    """Whether a line opens a new instruction even without a blank line before it."""
    stripped = line.strip()
    first = LEADING_IMPERATIVE.match(stripped)
    if first and first.group(1).lower() not in NOT_VERBS:
        return True
    if re.match(r"^dans le menu\b", stripped, re.IGNORECASE):
        return True
    head = HEAD.match(stripped)
    return bool(head and is_imperative(head.group(2)))


def blocks_of(text: str) -> list[Block]:
    """The manual's paragraphs, headings, items, remarks and bullets, in order, with each line's step."""
    blocks: list[Block] = []
    current: Block | None = None
    blank_before = False
    step = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        glyph = bool(GLYPH.match(raw.strip()))
        line = strip_markdown(GLYPH.sub(" ", raw).replace("\u2019", "'"))
        stripped = line.strip()
        if not stripped:
            blank_before = True
            continue
        # Page numbers and URLs alone on a line are the PDF's furniture: dropped without a trace.
        if PAGE_NUMBER.match(stripped) or LONE_URL.match(stripped):
            blank_before = True
            continue
        heading = STEP_HEADING.match(stripped)
        if heading:
            step = int(heading.group(1))
            current = Block("heading", stripped, step=step, title=heading.group(2))
            blocks.append(current)
            current, blank_before = None, False
            continue
        kind, body = "para", stripped
        if match := MD_HEADING.match(stripped):
            kind, body = "heading", match.group(1)
        elif match := NUMBERED.match(line):
            kind, body = "item", match.group(1)
        elif REMARK.match(stripped):
            kind = "remark"
        elif ATTENTION.match(stripped):
            kind = "attention"
        elif match := BULLET.match(line):
            kind, body = "bullet", match.group(1)
        gap = glyph or (raw[:1].isspace() and stripped[:1].isupper())
        if kind == "para" and current is not None and current.kind != "heading":
            # An indented line under a numbered item is the item's own text (Markdown), whatever its case.
            indented_item = current.kind == "item" and not blank_before and raw[:2].isspace()
            if indented_item or _continues(current, stripped, blank_before, gap):
                current.text = _join(current.text, stripped)
                blank_before = False
                continue
        current = Block(kind, body, step=step, gap=gap)
        blocks.append(current)
        blank_before = False
    return _attach_bullets(blocks)


def _continues(current: Block, line: str, blank_before: bool, gap: bool) -> bool:
    """Whether a plain line goes on with the paragraph before it (a PDF wraps lines, even across blank ones)."""
    if blank_before:
        # After a blank line only a sentence left open and a line in lower case go on.
        return line[:1].islower() and not re.search(r"[.!?]$", current.text.rstrip())
    return not (gap or _starts_instruction(line))


def _join(text: str, line: str) -> str:
    """Two wrapped lines as one: «lui-» + «même» is «lui-même»."""
    if re.search(r"[a-zà-ÿ]-$", text.rstrip()) and line[:1].islower():
        return text.rstrip() + line
    return text.rstrip() + " " + line


def _attach_bullets(blocks: list[Block]) -> list[Block]:
    """Each bullet under the paragraph, item or remark it explains."""
    kept: list[Block] = []
    for block in blocks:
        if block.kind == "bullet" and kept and kept[-1].kind != "heading":
            kept[-1].bullets.append(block.text)
        else:
            kept.append(block)
    return kept


# --------------------------------------------------------------------------------------------------------------
# The manual: blocks into instructions and notes
# --------------------------------------------------------------------------------------------------------------


def _heads(bullets: list[str]) -> list[str]:
    """The words bullets explain («- Nom d'utilisateur : …»), when every bullet starts with one."""
    heads = [BULLET_HEAD.match(fold(b)) for b in bullets]
    if not bullets or not all(heads) or any(len(h.group(1).split()) > 5 for h in heads if h):
        return []
    return [h.group(1) for h in heads if h]


def _whole(block: Block) -> str:
    """A block's text with its bullets."""
    return fold(" ".join([block.text, *[f"- {b}" for b in block.bullets]]))


def is_imperative_block(block: Block) -> bool:
    """Whether the block asks the reader to do something (an imperative in it, not said of «vous»)."""
    text = fold(block.text)
    first = LEADING_IMPERATIVE.match(text)
    return bool(clauses_of(text)) or bool(first and is_imperative(first.group(1)))


class _Edition:
    """The instructions and notes read so far, numbered per step."""

    def __init__(self) -> None:
        """An edition with nothing read yet."""
        self.steps: dict[int, str] = {}
        self.instructions: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self._counters: dict[tuple[int, str], int] = {}

    def instruction(self, step: int, text: str, read: dict[str, Any], *, browser: bool = True) -> dict[str, Any]:
        """Adds an instruction, numbered after the step's previous ones."""
        number = sum(1 for i in self.instructions if i["step"] == step) + 1
        entry = {
            "id": f"{step}.{number}",
            "step": step,
            "text": text,
            "kind": read["kind"],
            "labels": read["labels"],
            "browser": browser,
            "actions": [],
        }
        if read["check"] and browser:
            entry["check"] = read["check"]
        self.instructions.append(entry)
        return entry

    def note(self, step: int, category: str, text: str) -> None:
        """Adds a note: text the patterns did not read as an instruction."""
        key = (step, category)
        self._counters[key] = self._counters.get(key, 0) + 1
        self.notes.append({"id": f"{step}-{category}-{self._counters[key]}", "step": step, "text": text})


def import_manual(text: str) -> ImportedManual:
    """The manual edition read from a manual's text (plain or Markdown); ManualImportError if none is read."""
    blocks = blocks_of(text)
    # A step whose text asks the reader nothing is done by someone else (step 1: INAMI).
    acting_steps = {b.step for b in blocks if b.kind in ("para", "item") and is_imperative_block(b)}
    edition = _Edition()
    leads: list[str] = []
    procedure: dict[str, Any] | None = None  # the instruction a «Pour … :» lead opened, that later ones join
    previous: dict[str, Any] | None = None  # the instruction of the block just before, for its remark's bullets

    def flush_leads(step: int) -> None:
        """Leads that no instruction followed become notes."""
        nonlocal leads
        for lead in leads:
            edition.note(step, "texte", lead)
        leads = []

    for block in blocks:
        whole = _whole(block)
        step = block.step
        if block.kind == "heading":
            flush_leads(step)
            procedure = previous = None
            if STEP_HEADING.match(block.text):
                edition.steps.setdefault(step, f"ÉTAPE {step} : {fold(block.title)}")
            else:
                edition.note(step, "texte", whole)
            continue
        if block.kind == "attention":
            edition.note(step, "attention", whole)
            procedure = previous = None
            continue
        if block.kind == "remark":
            previous = _remark(edition, block, step, previous)
            procedure = None
            continue
        if step not in acting_steps:
            previous = _back_office(edition, block, step)
            continue
        body = fold(block.text)
        heads = _heads(block.bullets)
        if is_imperative_block(block) or block.kind == "item":
            read = read_instruction(body, heads=heads)
            if not read["labels"] and (body.endswith(":") or (read["kind"] == "note" and block.kind != "item")):
                # «Finalisez la demande», «Pour supprimer un utilisateur :»: what the next instruction is for.
                leads.append(whole)
                continue
            if procedure is not None and procedure["step"] == step:
                _merge(procedure, whole, body, read)
                previous = procedure
                continue
            opened_by_purpose = any(re.match(r"^pour\s", lead, re.IGNORECASE) for lead in leads)
            entry = edition.instruction(step, fold(" ".join([*leads, whole])), read)
            entry["_body"] = body
            leads = []
            procedure = entry if opened_by_purpose else None
            previous = entry
            continue
        procedure = None
        if CHOICE.search(body) and heads:
            read = read_instruction(body, heads=heads, choice=True)
            previous = edition.instruction(step, fold(" ".join([*leads, whole])), read)
            leads = []
            continue
        option = OPTION.search(body)
        if option:
            previous = _optional(edition, step, fold(" ".join([*leads, whole])), body)
            leads = []
            continue
        if body.endswith(":"):
            leads.append(whole)
            continue
        flush_leads(step)
        edition.note(step, "texte", whole)
        previous = None
    if leads:
        flush_leads(blocks[-1].step if blocks else 0)
    if not edition.instructions:
        raise ManualImportError(
            "no instruction found: no «Cliquez sur …», «Indiquez …», «Sélectionnez …» or "
            "other French imperative the import reads"
        )
    for entry in edition.instructions:
        entry.pop("_body", None)
    return ImportedManual(
        {"steps": dict(sorted(edition.steps.items())), "instructions": edition.instructions, "notes": edition.notes}
    )


def _merge(entry: dict[str, Any], whole: str, body: str, read: dict[str, Any]) -> None:
    """Adds one more paragraph to an instruction that a «Pour … :» lead opened."""
    entry["text"] = fold(entry["text"] + " " + whole)
    entry["_body"] = fold(entry["_body"] + " " + body)
    merged = read_instruction(entry["_body"])
    entry["kind"], entry["labels"] = merged["kind"], merged["labels"]
    entry.pop("check", None)
    if merged["check"]:
        entry["check"] = merged["check"]


def _remark(edition: _Edition, block: Block, step: int, previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """A remark: the fields of the fill before it, an optional instruction («vous pouvez …»), or a note."""
    body = fold(REMARK.sub("", block.text, count=1).lstrip(" :"))
    heads = _heads(block.bullets)
    if heads and previous is not None and previous["kind"] in ("fill", "choose"):
        previous["text"] = fold(previous["text"] + " " + _whole(block))
        read = read_instruction(previous.get("_body", previous["text"]), heads=heads)
        previous["labels"] = read["labels"]
        if read["check"]:
            previous["check"] = read["check"]
        return previous
    if OPTION.search(body):
        return _optional(edition, step, body, body)
    edition.note(step, "remarque", _whole(block).lstrip("* "))
    return None


def _optional(edition: _Edition, step: int, text: str, body: str) -> dict[str, Any]:
    """What the manual says the reader may do («vous pouvez choisir de …», «si vous le souhaitez»)."""
    read = read_instruction(body, optional=True)
    return edition.instruction(step, text, read)


def _back_office(edition: _Edition, block: Block, step: int) -> dict[str, Any] | None:
    """In a step done by someone else, what they do (its subject is named in the step's title), else a note."""
    title = edition.steps.get(step, "")
    names = {word.strip("'()") for word in ACRONYM.findall(title.replace("'", " "))}
    subject = fold(block.text).replace("'", " ").split()[:3]
    if block.kind in ("para", "item") and names & set(subject):
        whole = _whole(block)
        labels = unique_words([(m.start(1), m.group(1)) for m in QUOTED.finditer(whole)])
        return edition.instruction(step, whole, {"kind": "back-office", "labels": labels, "check": []}, browser=False)
    edition.note(step, "texte", _whole(block))
    return None


def import_file(path: Path | str) -> ImportedManual:
    """The edition read from a UTF-8 text or Markdown file."""
    return import_manual(Path(path).read_text(encoding="utf-8"))
