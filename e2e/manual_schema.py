"""The shape of a manual edition file as a JSON Schema (documented in docs/manual-schema.md), and the words it
allows: instruction kinds, check verbs and the changes a regenerated edition names. e2e/manual.py validates
editions against it and checks what a schema cannot say."""

from __future__ import annotations

from typing import Any

KINDS = ("navigate", "click", "choose", "fill", "tick", "download", "confirm", "note", "back-office")
# Kinds that always name the screen words they act on: an empty `labels` is a mistake there. (A click may name
# only test data, such as the project's name; «complétez les données» names no field.)
NAMING_KINDS = ("choose", "tick", "confirm", "download")
VERBS = ("go", "click", "fill", "select", "select_option", "tick", "see", "download", "login")
# What a regenerated edition says about an entry (see update_manual.py): a label replaced, an ambiguous one made
# precise, words now found on another page, an instruction the site needs that the old edition lacked, or a
# text kept without the walk being able to check it.
CHANGES = ("changed", "disambiguated", "moved", "added", "unverified")

_ID = r"^[1-9][0-9]*\.[1-9][0-9]*(\.[1-9][0-9]*)?$"
_ACTION = r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$"
_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
EDITION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "A manual edition",
    "type": "object",
    "required": ["steps", "instructions"],
    "additionalProperties": False,
    "properties": {
        "edition": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": _TEXT,
                "site": _TEXT,
                "based_on": _TEXT,
                "generated": _TEXT,
                "language": {"enum": ["fr", "nl"]},
                "translated_from": _TEXT,
            },
        },
        "steps": {"type": "object", "minProperties": 1},
        "instructions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "step", "text", "kind", "labels", "browser", "actions"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": _ID},
                    "step": {"type": "integer", "minimum": 1},
                    "text": _TEXT,
                    "kind": {"enum": list(KINDS)},
                    "labels": {"type": "array", "items": _TEXT},
                    "browser": {"type": "boolean"},
                    "actions": {"type": "array", "items": {"type": "string", "pattern": _ACTION}},
                    "check": {"type": "array", "items": {"type": "object", "minProperties": 1}},
                    "revision": {
                        "type": "object",
                        "required": ["change", "why"],
                        "additionalProperties": False,
                        "properties": {"change": {"enum": list(CHANGES)}, "why": _TEXT, "previous_text": _TEXT},
                    },
                },
            },
        },
        "notes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "step", "text"],
                "additionalProperties": False,
                # step 0: the manual's introduction, before its first step.
                "properties": {
                    "id": _TEXT,
                    "step": {"type": "integer", "minimum": 0},
                    "text": _TEXT,
                    "revision": {"$ref": "#/properties/instructions/items/properties/revision"},
                },
            },
        },
        "removed": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "step", "text", "why"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": _ID},
                    "step": {"type": "integer"},
                    "text": _TEXT,
                    "why": _TEXT,
                },
            },
        },
        "beyond_the_manual": {
            "type": "object",
            "propertyNames": {"pattern": _ACTION},
            "additionalProperties": _TEXT,
        },
    },
}
