"""Every visible word of the mock goes through the translation mechanism, so other languages need no template edits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

TEMPLATES = Path(__file__).resolve().parent.parent / "mock_csam" / "templates"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]+>", re.S | re.I)


def _visible_text(html: str) -> str:
    return TAGS.sub(" ", JINJA.sub(" ", html))


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_untranslated_words(template: Path) -> None:
    """Text outside `_()` in a template would stay French in every language."""
    leftovers = re.findall(r"[A-Za-zÀ-ÿ]{2,}", _visible_text(template.read_text(encoding="utf-8")))
    assert leftovers == [], f"untranslated words in {template.name}: {leftovers[:10]}"


def test_messages_can_be_extracted_for_translators() -> None:
    """pybabel (babel.cfg) finds the manual's words in templates and code."""
    root = TEMPLATES.parent.parent
    # The same keywords as `pybabel extract -k _l`: lazy strings are marked with _l in the domain and forms.
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    messages = {
        m[2]
        for m in extract_from_dir(
            str(root / "mock_csam"),
            keywords=keywords,
            method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        )
    }
    for words in (
        "Suivant",
        "Enregistrer",
        "oui, je confirme",
        "Exécuter",
        "Gestion pour les Projets de Soins Intégrés",
    ):
        assert any(words in str(m) for m in messages), words
