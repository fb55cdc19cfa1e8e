"""The French a user manual writes, as patterns: the verbs that make an instruction and its kind, how a clause
names the screen words it acts on, and how one instruction is read into its kind, labels and check items (the
reading half of `csam-harness import-manual`; e2e/manual_import.py cuts the text into instructions and notes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .manual import NAMING_KINDS

# --------------------------------------------------------------------------------------------------------------
# The French the manual writes: verbs (imperative, gerund, infinitive) and the kind of instruction each makes
# --------------------------------------------------------------------------------------------------------------

IMPERATIVES = {
    "accédez": "navigate",
    "allez": "navigate",
    "rendez-vous": "navigate",
    "ouvrez": "navigate",
    "cliquez": "click",
    "appuyez": "click",
    "sélectionnez": "choose",
    "choisissez": "choose",
    "attribuez": "choose",
    "indiquez": "fill",
    "introduisez": "fill",
    "complétez": "fill",
    "ajoutez": "fill",
    "saisissez": "fill",
    "encodez": "fill",
    "remplissez": "fill",
    "entrez": "fill",
    "tapez": "fill",
    "cochez": "tick",
    "confirmez": "confirm",
    "téléchargez": "download",
}
# «en cliquant sur …» says how the main verb is done: that action is the one a browser performs.
GERUNDS = {"cliquant": "click", "sélectionnant": "choose", "cochant": "tick", "choisissant": "choose"}
# Infinitives count where the manual uses them for the reader's action: «n'oubliez pas de cocher»,
# «vous pouvez choisir de».
INFINITIVES = {
    "cliquer": "click",
    "sélectionner": "choose",
    "choisir": "choose",
    "cocher": "tick",
    "indiquer": "fill",
    "introduire": "fill",
    "compléter": "fill",
    "confirmer": "confirm",
    "télécharger": "download",
}
# When one instruction does several things, its kind is the most specific of them: «Indiquez … et cliquez sur
# Suivant» is about the field, «Confirmez … cocher … cliquez» about confirming.
PRECEDENCE = ("confirm", "download", "fill", "tick", "choose", "click", "navigate")
# Words ending in -ez that are not imperatives.
NOT_VERBS = frozenset({"chez", "assez", "nez"})
# Objects of «Complétez les données …» name no single field.
GENERIC_OBJECTS = frozenset({"données", "informations", "champs", "formulaire", "coordonnées", "détails"})
# Lead phrases before «:» that are not the title of a region on the page.
NOT_HEADS = frozenset(
    {
        "pour",
        "si",
        "dans",
        "quand",
        "afin",
        "attention",
        "remarque",
        "remarques",
        "nb",
        "note",
        "ensuite",
        "puis",
        "enfin",
        "il",
        "vous",
    }
)

WORD = r"[\wÀ-ÿ'’-]+"
QUOTED = re.compile(r"«\s*(.+?)\s*»")
VERB_WORD = re.compile(r"(?<![\wÀ-ÿ'-])([A-Za-zÀ-ÿ-]+)(?![\wÀ-ÿ-])")
# «Cliquez sur (le lien|le bouton) X»: X is a screen word when it starts with a capital; «la dénomination de
# l'entreprise» or «l'icône» describe a thing the reader finds, not words on the page.
CLICK_TARGET = re.compile(
    r"\b(?:cliquez|cliquant|cliquer)\s+(?:ensuite\s+|alors\s+)?sur\s+|\bpuis\s+sur\s+", re.IGNORECASE
)
THING = re.compile(
    r"(?:(?:le|un)\s+(?:lien|bouton|onglet|menu)|la\s+(?:qualité|rubrique|option)|l'onglet)\s+", re.IGNORECASE
)
# An unquoted target ends with the clause: punctuation, a parenthesis, a quote, «et puis», «et cliquez» …
TARGET_END = re.compile(
    r"\s\(|[,;:«]|\.(?:\s|$)|\s+et\s+(?:puis|ensuite|cliquez|sélectionnez|cochez|indiquez|introduisez)\b|\s+puis\s|$",
    re.IGNORECASE,
)
CLICK_INFINITIVE = re.compile(r"\bcliquez\s+(?!sur\b)([a-zà-ÿ]+(?:er|ir))\b", re.IGNORECASE)
SELECT_PAIR = re.compile(
    r"\bsélectionnez\s+(?:le\s+|la\s+|les\s+|l')?(.+?)\s*(?:=>|->|→|\uf0e8)\s*«\s*(.+?)\s*»", re.IGNORECASE
)
SELECT_TARGET = re.compile(r"\b(?:sélectionnez|choisissez)\s+", re.IGNORECASE)
TICK_TARGET = re.compile(r"\bcochez\s+", re.IGNORECASE)
FILL_OBJECT = re.compile(
    r"\b(?:indiquez|introduisez|complétez|ajoutez|saisissez|encodez|remplissez|entrez|tapez)\s+"
    r"(?:(?:le|la|les|un|une|des|votre|vos)\s+|l')?(.+?)(?=\s\(|[,.;:]|\s+et\s|$)",
    re.IGNORECASE,
)
MENU = re.compile(r"\bdans le menu\s+«?\s*(.+?)\s*»?\s*,", re.IGNORECASE)
ACRONYM = re.compile(r"\S*[A-Z]{2,}\S*")
# «Ajout d'un utilisateur : introduisez …»: the words before the colon title the region the reader works in.
HEAD = re.compile(r"^([A-ZÀ-Ý][^:()«»]{1,60}?)\s*:\s*(?=([A-Za-zÀ-ÿ-]+)\b)")
BULLET_HEAD = re.compile(r"^([A-ZÀ-Ý][^:()«».]{0,40}?)\s*:\s+\S")
OPTION = re.compile(
    r"\bvous pouvez\s+(?:également\s+|aussi\s+|toujours\s+)?([a-zà-ÿ]+)|\bsi vous le souhaitez\b", re.IGNORECASE
)
CHOICE = re.compile(r"\b(?:le choix entre|choisir entre)\b", re.IGNORECASE)
PORTAL = re.compile(r"\bportail\b", re.IGNORECASE)

# Lines: headings, list items, bullets, remarks, what is dropped
STEP_HEADING = re.compile(r"^(?:#+\s*)?[ÉE]TAPE\s+(\d+)\s*[:–—-]\s*(.+?)\s*$", re.IGNORECASE)
MD_HEADING = re.compile(r"^#+\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
BULLET = re.compile(r"^\s*(?:[-–•]|\*(?=\s)|[a-z]\))\s+(.*)$")
REMARK = re.compile(r"^\*?\s*(?:remarques?|nb|n\.b\.)\s*:?", re.IGNORECASE)
ATTENTION = re.compile(r"^(?:attention|important)\s*[:!]", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^\d{1,3}$")
LONE_URL = re.compile(r"^(?:<?https?://|www\.)\S+$", re.IGNORECASE)
# A PDF's bullet glyphs come out as private-use characters; one starts a new paragraph.
GLYPH = re.compile(r"[\ue000-\uf8ff]")
LEADING_IMPERATIVE = re.compile(r"^([A-ZÀ-Ý][a-zà-ÿ-]+ez)\b")


# --------------------------------------------------------------------------------------------------------------
# Text: normalising characters and quotes
# --------------------------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Whitespace folded to single spaces, typographic quotes made « », apostrophes straight."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"“\s*(.*?)\s*”", r"« \1 »", text)
    text = re.sub(r'"\s*([^"]*?)\s*"', r"« \1 »", text)
    text = re.sub(r"«\s*(.*?)\s*»", r"« \1 »", text)
    return " ".join(text.split())


def strip_markdown(line: str) -> str:
    """A Markdown line without emphasis, code marks, links and blockquote marks (the words stay)."""
    line = re.sub(r"^\s*>\s?", "", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
    line = line.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"(?<![\w*])\*(\S[^*]*?)\*(?![\w*])", r"\1", line)


def _capitalised(words: str) -> str:
    """The words with their first letter in capitals, as a screen label shows them."""
    return words[:1].upper() + words[1:]


# --------------------------------------------------------------------------------------------------------------
# Reading one instruction: its clauses, kind, labels and checks
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Clause:
    """One action of an instruction: the verb's kind and the text it governs."""

    kind: str
    start: int
    end: int


def clauses_of(text: str, *, with_infinitives: bool = False) -> list[Clause]:
    """The actions an instruction's text asks for, each with the stretch of text it governs."""
    found: list[tuple[int, str]] = []
    for match in VERB_WORD.finditer(text):
        word = match.group(1).lower()
        before = text[: match.start()].lower().rstrip()
        if word in IMPERATIVES and not before.endswith(("vous", "vous ne", "vous n'")):
            found.append((match.start(), IMPERATIVES[word]))
        elif word in GERUNDS and before.endswith("en"):
            # «Attribuez … en cliquant sur …»: the gerund is what is done; it replaces the main verb.
            sentence = max(text.rfind(". ", 0, match.start()), text.rfind(": ", 0, match.start()))
            found = [f for f in found if f[0] < sentence]
            found.append((match.start(), GERUNDS[word]))
        elif word in INFINITIVES and (
            with_infinitives or re.search(r"(?:n'oubliez pas|pensez à)\s+(?:de\s+)?$", before + " ")
        ):
            found.append((match.start(), INFINITIVES[word]))
    return [
        Clause(kind, start, found[i + 1][0] if i + 1 < len(found) else len(text))
        for i, (start, kind) in enumerate(found)
    ]


def _target(text: str, start: int) -> tuple[str, int] | None:
    """The unquoted screen words starting at `start` up to the end of the clause, if they start with a capital."""
    thing = THING.match(text, start)
    if thing:
        start = thing.end()
    end = TARGET_END.search(text, start)
    # A clause stops where the next verb starts: «… Supprimer utilisateur(s) et» loses its «et».
    words = re.sub(r"\s+(?:et|puis|ou)$", "", text[start : end.start() if end else len(text)].strip())
    if not words or not words[0].isupper() or words.startswith("«"):
        return None
    return words, start


def read_instruction(
    body: str, *, heads: list[str] | None = None, optional: bool = False, choice: bool = False
) -> dict[str, Any]:
    """Kind, labels and check items of one instruction's text (`heads`: the words its bullets explain)."""
    clauses = clauses_of(body, with_infinitives=optional)
    labels: list[tuple[int, str]] = []
    checks: list[tuple[int, dict[str, Any]]] = []
    menu = MENU.search(body)
    if menu:
        labels.append((menu.start(1), menu.group(1)))
        checks.append((menu.start(1), {"see": menu.group(1), "role": "navigation"}))
    head = HEAD.match(body)
    if (
        head
        and head.group(1).split()[0].lower() not in NOT_HEADS
        and not is_imperative(head.group(1).split()[0])
        and is_imperative(head.group(2))
    ):
        labels.append((0, head.group(1)))
        checks.append((0, {"see": head.group(1), "role": "region"}))
    kinds: list[str] = []
    for clause in clauses:
        kinds.append(clause.kind)
        # The menu named before a verb is where that verb's words are, up to the end of the sentence.
        within = menu.group(1) if menu and ". " not in body[menu.end() : clause.start] else None
        for position, label, item in _clause_labels(body, clause, within):
            labels.append((position, label))
            if item:
                checks.append((position, item))
    for match in CLICK_INFINITIVE.finditer(body):
        label = _capitalised(match.group(1))
        labels.append((match.start(1), label))
        checks.append((match.start(1), {"click": label}))
    if choice:
        kinds.append("choose")
    kind = next((k for k in PRECEDENCE if k in kinds), "note")
    for offset, word in enumerate(heads or []):
        labels.append((len(body) + offset, word))
        if kind == "fill":
            # Bullets under a fill instruction name its fields («- Mot de passe : …»).
            checks.append((len(body) + offset, {"fill": word}))
    if any(label.startswith("Télécharger") for _, label in labels) and kind == "click":
        kind = "download"
    unique = unique_words(labels)
    confirm = next((c for c in clauses if c.kind == "confirm"), None)
    if kind == "confirm" and not unique and confirm is not None:
        # «Confirmez la création …» names no button: the page's button bears the verb («Confirmer»).
        button = _capitalised(re.sub(r"ez$", "er", body[confirm.start :].split()[0].lower()))
        unique = [button]
        checks.append((len(body), {"click": button, "role": "button"}))
    if kind == "navigate" and PORTAL.search(body):
        checks.insert(0, (-1, {"go": "/"}))
    check = [item for _, item in sorted(checks, key=lambda pair: pair[0])]
    if not unique and kind in NAMING_KINDS:
        # A choice or a tick that names no screen word cannot be performed as written: it is read as a note.
        kind = "note"
    return {"kind": kind, "labels": unique, "check": _unique_checks(check, unique)}


def _clause_labels(body: str, clause: Clause, menu: str | None) -> list[tuple[int, str, dict[str, Any] | None]]:
    """The screen words one clause names, each with its check item."""
    text = body[: clause.end]
    found: list[tuple[int, str, dict[str, Any] | None]] = []
    if clause.kind == "choose":
        pair = SELECT_PAIR.match(text, clause.start)
        if pair:
            field_label, option = _capitalised(pair.group(1).strip()), pair.group(2)
            return [
                (pair.start(1), field_label, {"select": field_label, "option": option}),
                (pair.start(2), option, None),
            ]
    for match in QUOTED.finditer(text, clause.start):
        found.append((match.start(1), match.group(1), _item(clause.kind, match.group(1), menu)))
    starts = {"click": CLICK_TARGET, "choose": SELECT_TARGET, "tick": TICK_TARGET}.get(clause.kind)
    if starts is not None:
        for match in starts.finditer(text, clause.start):
            target = _target(text, match.end())
            if target:
                verb = "select_option" if clause.kind == "choose" else None
                found.append((target[1], target[0], {verb: target[0]} if verb else _item(clause.kind, target[0], menu)))
    if clause.kind == "fill":
        obj = FILL_OBJECT.match(text, clause.start)
        if obj:
            found.extend((position, label, {"fill": label}) for position, label in _fill_labels(body, obj))
    return found


def _fill_labels(body: str, obj: re.Match[str]) -> list[tuple[int, str]]:
    """The fields a fill clause names: its acronym (NISS), else its noun phrase and same-noun siblings."""
    phrase = obj.group(1).strip()
    words = phrase.split()
    if not words or words[0].lower() in GENERIC_OBJECTS:
        return []
    acronym = ACRONYM.search(phrase)
    if acronym:
        return [(obj.start(1) + acronym.start(), phrase[acronym.start() :])]
    found = [(obj.start(1), _capitalised(phrase))]
    if len(words) >= 3 and words[1] in ("de", "du", "des"):
        sibling = re.compile(rf"\b(?:la|le|les|une|un)\s+({re.escape(words[0])}\s+{words[1]}\s+{WORD})", re.IGNORECASE)
        for match in sibling.finditer(body, obj.end()):
            found.append((match.start(1), _capitalised(match.group(1))))
    return found


def _item(kind: str, label: str, menu: str | None) -> dict[str, Any] | None:
    """The check item for a label in a clause of this kind."""
    if kind == "click":
        if label.startswith("Télécharger"):
            return {"download": label}
        return {"click": label, "within": menu} if menu else {"click": label}
    if kind == "download":
        return {"download": label}
    if kind == "tick":
        return {"tick": label}
    if kind == "fill":
        return {"fill": label}
    if kind == "choose":
        return {"select_option": label}
    return None


def unique_words(labels: list[tuple[int, str]]) -> list[str]:
    """Labels in the order the text names them, each once (whatever its case)."""
    seen: set[str] = set()
    ordered: list[str] = []
    for _, label in sorted(labels, key=lambda pair: pair[0]):
        key = " ".join(label.lower().split())
        if key not in seen:
            seen.add(key)
            ordered.append(label)
    return ordered


def _unique_checks(check: list[dict[str, Any]], labels: list[str]) -> list[dict[str, Any]]:
    """Check items once each, using only the instruction's labels (as `load_manual` requires)."""
    kept: list[dict[str, Any]] = []
    for item in check:
        words = [value for key, value in item.items() if key not in ("go", "role") and isinstance(value, str)]
        if item in kept or not all(word in labels for word in words):
            continue
        kept.append(item)
    return kept


def is_imperative(word: str) -> bool:
    """Whether a word is an imperative of the second person plural (the manual's voice)."""
    word = word.lower()
    return word in IMPERATIVES or (word.endswith("ez") and len(word) > 4 and word not in NOT_VERBS)
