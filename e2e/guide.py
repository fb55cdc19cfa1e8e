"""What a walkthrough leaves for trainers besides its video: the guide in the original manual's structure (a title,
an «ÉTAPE n : …» heading per step, each instruction's text with its numbered markers and its screenshot, the
manual's warnings as «Attention» boxes at their step) as self-contained HTML, as PDF and as DOCX for Word; the
«Ce qui a changé depuis l'édition précédente» section of a regenerated edition; WebVTT subtitles; the manifest.

The three guides are drawn from one model (`build`), so they say the same thing: what one shows, the others
show too (the markers' numbers, the «non vérifié» badge, the changes). The DOCX guide is written by
e2e/guide_docx.py (`guide_docx`, importable from here too).
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .guide_docx import guide_docx
from .guide_words import guide_words
from .manual import EditionInfo, load_edition_info, load_manual, load_notes, load_removed, load_steps
from .settings import harness_settings
from .walkthrough import RECORDED_ON, Capture, Recording

# The French words, which the tests of the French guide read (every language's: e2e/guide_words.py).
_FR = guide_words("fr")
DEFAULT_TITLE, CHANGES_TITLE, UNVERIFIED = _FR["title"], _FR["changes"], _FR["unverified"]
NO_PREVIOUS, NO_CURRENT = _FR["no previous"], _FR["no current"]
# The changes a trainer must know about; "unverified" is not one (the text is the previous edition's, kept
# without the walk checking it) and shows as a badge instead.
CHANGES = ("changed", "disambiguated", "moved", "added")


# ---------------------------------------------------------------------------------------------------------
# The guide's content, shared by the three formats
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """What a step shows, in order: an instruction performed (with its capture) or an «Attention» box."""

    capture: Capture | None = None
    attention: str | None = None
    unverified: bool = False


@dataclass(frozen=True)
class Change:
    """One line of the «what changed» section: the instruction, what happened to it and why, its previous and
    current texts, and the previous and current screenshots when there are."""

    id: str
    label: str
    why: str
    old: str
    new: str
    before: Path | None
    after: Path | None


@dataclass
class Guide:
    """The guide's content: title, intro lines, steps (number, title, blocks), changes."""

    title: str
    intro: list[str]
    steps: list[tuple[int, str, list[Block]]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    out: Path = Path(".")
    lang: str = "fr"

    @property
    def words(self) -> dict[str, str]:
        """The guide's own words in its language."""
        return guide_words(self.lang)

    def image(self, capture: Capture) -> Path:
        """Where a capture's screenshot is."""
        return self.out / capture.screenshot

    def mark(self, mark: dict[str, Any]) -> str:
        """A marker's line in the guide's language (see `mark_line`)."""
        return mark_line(mark, self.lang)


def attention(text: str, word: str = _FR["attention"]) -> str:
    """A warning's words without a leading «Attention :» (the box says it)."""
    return re.sub(rf"^\s*{re.escape(word)}\s*:\s*", "", text)


def mark_line(mark: dict[str, Any], lang: str = "fr") -> str:
    """What a trainer reads next to a marker's number, e.g. «Saisir « NISS »»; `verb` is what was done
    (fill, check, click …)."""
    verb = guide_words(lang).get(mark["verb"], mark["verb"])
    return f"{verb} « {mark['name']} »" if mark.get("name") else verb


def _intro(info: EditionInfo, words: dict[str, str]) -> list[str]:
    lines = [words["intro"]]
    origin = [
        words["generated"].format(date=info.generated) if info.generated else "",
        words["from site"].format(site=info.site) if info.site else "",
    ]
    if any(origin):
        lines.append(words["edition"].format(what=" ".join(part for part in origin if part)))
    if info.based_on:
        lines.append(words["previous edition"].format(name=info.based_on))
    if info.translated_from:
        lines.append(words["translation"].format(name=info.translated_from))
    return lines


def build(recording: Recording, previous: Path | None = None) -> Guide:
    """The guide of a recording, read against the edition it performed; `previous`: a previous walkthrough's
    folder whose screenshots the «what changed» section shows next to the new ones."""
    manual_path = recording.manual
    instructions = load_manual(manual_path)
    info = load_edition_info(manual_path)
    words = guide_words(recording.lang)
    guide = Guide(info.title or words["title"], _intro(info, words), out=recording.out, lang=recording.lang)
    titles = load_steps(manual_path)
    captured = {c.id: c for c in recording.captures}
    notes = load_notes(manual_path)
    for step in sorted({c.step for c in recording.captures}):
        blocks = []
        for item in (i for i in instructions if i.step == step):
            if item.kind == "note":
                blocks.append(Block(attention=attention(item.text, words["attention"])))
            elif item.id in captured:
                blocks.append(
                    Block(
                        capture=captured[item.id],
                        unverified=bool(item.revision and item.revision.change == "unverified"),
                    )
                )
        blocks += [Block(attention=attention(note.text, words["attention"])) for note in notes if note.step == step]
        guide.steps.append((step, titles.get(step, words["step"].format(n=step)), blocks))

    def shot(folder: Path | None, ident: str) -> Path | None:
        path = folder / "screenshots" / f"{ident}.png" if folder is not None else None
        return path if path is not None and path.is_file() else None

    for item in instructions:
        if item.revision is not None and item.revision.change in CHANGES:
            guide.changes.append(
                Change(
                    item.id,
                    words[item.revision.change],
                    item.revision.why,
                    item.revision.previous_text or "—",
                    item.text,
                    shot(previous, item.id),
                    shot(recording.out, item.id),
                )
            )
    for gone in load_removed(manual_path):
        guide.changes.append(Change(gone.id, words["removed"], gone.why, gone.text, "—", shot(previous, gone.id), None))
    return guide


# ---------------------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 62rem; color: #1f2328; }
figure { margin: 2rem 0; } figcaption { margin-bottom: .5rem; }
img { max-width: 100%; border: 1px solid #d0d7de; }
.attention { border-left: 6px solid #d4a72c; background: #fff8c5; padding: .75rem 1rem; margin: 1.5rem 0; }
.badge { background: #9a6700; color: #fff; border-radius: 1rem; padding: 0 .6rem; font-size: .85em; }
ol.marks { list-style: none; padding-left: 0; } ol.marks li { margin: .2rem 0; }
.n { display: inline-block; min-width: 1.4rem; height: 1.4rem; line-height: 1.4rem; border-radius: 50%;
     background: #d0021b; color: #fff; font-weight: bold; text-align: center; font-size: .85em; }
.change { border-top: 1px solid #d0d7de; padding: 1rem 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.missing { color: #59636e; font-style: italic; }
"""


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def guide_html(guide: Guide) -> str:
    """One self-contained HTML file: every image inline, no link outside it; all of it in the page's one <main>
    landmark, which screen readers jump to."""
    e, w = html.escape, guide.words
    # «Avant :» in French, «Vroeger:» in Dutch: the colon after a word, and after a bold word (its space follows).
    colon, tight = e(w["colon"]), e(w["colon"].rstrip())
    parts = [f"<h1>{e(guide.title)}</h1>", *(f"<p>{e(line)}</p>" for line in guide.intro)]
    parts.append("<ol>" + "".join(f'<li><a href="#etape-{s}">{e(t)}</a></li>' for s, t, _b in guide.steps) + "</ol>")
    if guide.changes:
        parts.append(f'<section id="changements"><h2>{e(w["changes"])}</h2>')
        for c in guide.changes:

            def side(path: Path | None, when: str, missing: str, c: Change = c) -> str:
                """One column of a change: its screenshot, or why there is none."""
                if path is None:
                    return f'<div><p>{e(when)}</p><p class="missing">{e(missing)}</p></div>'
                return (
                    f'<div><p>{e(when)}</p><img data-compare="{e(when)}" alt="{e(c.id)} ({e(when)})" '
                    f'src="{_data_uri(path)}"></div>'
                )

            parts.append(
                f'<div class="change" data-id="{e(c.id)}"><h3>{e(c.id)} — {e(c.label)}</h3>'
                f'<p>{e(c.why)}</p><div class="pair"><p><strong>{e(w["before"])}{tight}</strong> '
                f"{e(c.old)}</p><p><strong>{e(w['now'])}{tight}</strong> {e(c.new)}</p>"
                f"{side(c.before, w['before'], w['no previous'])}{side(c.after, w['now'], w['no current'])}"
                "</div></div>"
            )
        parts.append("</section>")
    for step, title, blocks in guide.steps:
        parts.append(f'<h2 id="etape-{step}">{e(title)}</h2>')
        for b in blocks:
            if b.attention is not None:
                parts.append(
                    f'<aside class="attention"><strong>{e(w["attention"])}{tight}</strong> {e(b.attention)}</aside>'
                )
                continue
            capture = b.capture
            assert capture is not None  # a block is a warning or a capture
            badge = f' <span class="badge">{e(w["unverified"])}</span>' if b.unverified else ""
            marks = "".join(f'<li><span class="n">{m["n"]}</span> {e(guide.mark(m))}</li>' for m in capture.marks)
            marks = f'<p>{e(w["marks lead"])}</p><ol class="marks">{marks}</ol>' if marks else ""
            parts.append(
                f'<figure id="i-{e(capture.id)}" data-screenshot="{e(capture.screenshot)}"><figcaption><strong>'
                f'{e(capture.id)}</strong>{badge} {e(capture.text)}{marks}</figcaption><img alt="{e(capture.id)}{colon}'
                f'{e(capture.text)}" src="{_data_uri(guide.image(capture))}"></figure>'
            )
    return (
        f'<!doctype html>\n<html lang="{guide.lang}"><head><meta charset="utf-8">\n<title>{e(guide.title)} '
        f"({e(w['guide'])})</title>\n<style>{STYLE}</style></head><body><main>\n"
        + "\n".join(parts)
        + "\n</main></body></html>\n"
    )


# ---------------------------------------------------------------------------------------------------------
# PDF (fpdf2, already used for the mock's documents)
# ---------------------------------------------------------------------------------------------------------


def guide_pdf(guide: Guide, path: Path) -> None:
    """The guide as an A4 PDF: the changes first, then a page per step, the instructions one after another."""
    from mock_csam.registration.document import UnicodePdf, unicode_font

    pdf = UnicodePdf(unicode_font())
    t = pdf.text_for_font
    width = pdf.w - pdf.l_margin - pdf.r_margin
    viewport = harness_settings().RECORDING_VIEWPORT
    ratio = viewport["height"] / viewport["width"]  # the screenshots' height to width

    def text(size: int, words: str, style: Literal["", "B"] = "", height: float = 5) -> None:
        pdf.set_font(pdf.family_name, style, size)
        pdf.multi_cell(width, height, t(words), new_x="LMARGIN", new_y="NEXT")

    def room(needed: float) -> None:
        if pdf.get_y() + needed > pdf.page_break_trigger:
            pdf.add_page()

    w = guide.words
    pdf.add_page()
    text(16, guide.title, "B", 8)
    pdf.ln(2)
    for line in guide.intro:
        text(10, line)
    if guide.changes:
        pdf.ln(4)
        text(13, w["changes"], "B", 7)
        half = (width - 6) / 2
        for c in guide.changes:
            room(30 + half * ratio)
            pdf.ln(3)
            text(10, f"{c.id} — {c.label}{w['colon']}{c.why}", "B")
            text(9, f"{w['before']}{w['colon']}{c.old}")
            text(9, f"{w['now']}{w['colon']}{c.new}")
            y = pdf.get_y() + 1
            for column, (shot, missing) in enumerate(((c.before, w["no previous"]), (c.after, w["no current"]))):
                x = pdf.l_margin + column * (half + 6)
                if shot is not None:
                    pdf.image(str(shot), x=x, y=y, w=half)
                else:
                    pdf.set_xy(x, y)
                    pdf.set_font(pdf.family_name, "", 9)
                    pdf.cell(half, 5, t(missing))
            pdf.set_xy(pdf.l_margin, y + half * ratio + 2)
    for _step, title, blocks in guide.steps:
        pdf.add_page()
        text(13, title, "B", 7)
        pdf.ln(3)
        for b in blocks:
            if b.attention is not None:
                room(20)
                pdf.set_fill_color(255, 248, 197)
                pdf.set_font(pdf.family_name, "", 10)
                pdf.multi_cell(
                    width,
                    5,
                    t(f"{w['attention']}{w['colon']}{b.attention}"),
                    border=1,
                    fill=True,
                    padding=2,
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
                pdf.ln(4)
                continue
            capture = b.capture
            assert capture is not None  # a block is a warning or a capture
            room(20 + 5 * len(capture.marks) + width * ratio)
            text(10, f"{capture.id}{' [' + w['unverified'] + ']' if b.unverified else ''} {capture.text}", "B")
            if capture.marks:
                text(9, w["marks lead"])
            for m in capture.marks:
                pdf.set_font(pdf.family_name, "B", 9)
                pdf.set_text_color(208, 2, 27)
                pdf.cell(7, 5, str(m["n"]))
                pdf.set_text_color(0, 0, 0)
                pdf.set_font(pdf.family_name, "", 9)
                pdf.multi_cell(width - 7, 5, t(guide.mark(m)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            pdf.image(str(guide.image(capture)), w=width)
            pdf.ln(4)
    pdf.output(str(path))


# ---------------------------------------------------------------------------------------------------------
# Subtitles, manifest, and all the outputs at once
# ---------------------------------------------------------------------------------------------------------


def vtt_time(seconds: float) -> str:
    hours, rest = divmod(max(seconds, 0.0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"


def subtitles(captures: list[Capture]) -> str:
    """WebVTT: one cue per instruction, from its start to its end in the video."""
    cues = ["WEBVTT", ""]
    for c in captures:
        end = c.end if c.end > c.start else c.start + 0.1
        cues += [c.id, f"{vtt_time(c.start)} --> {vtt_time(end)}", f"{c.id} {c.text}", ""]
    return "\n".join(cues)


def write_outputs(
    recording: Recording, video_captures: list[Capture] | None = None, previous: Path | None = None
) -> dict[str, str]:
    """Subtitles, the three guides and the manifest next to the screenshots and the video; returns what was
    written where. `video_captures`: the instructions the video shows, when it shows only some steps;
    `previous`: a previous walkthrough's folder, for the «what changed» section's screenshots."""
    out = recording.out
    files = {"screenshots": str(out / "screenshots")}
    if recording.video is not None and recording.video.exists():
        files["video"] = str(recording.video)
        cues = video_captures if video_captures is not None else recording.captures
        (out / "walkthrough.vtt").write_text(subtitles(cues), encoding="utf-8")
        files["subtitles"] = str(out / "walkthrough.vtt")
    guide = build(recording, previous)
    (out / "guide.html").write_text(guide_html(guide), encoding="utf-8")
    files["guide"] = str(out / "guide.html")
    guide_pdf(guide, out / "guide.pdf")
    files["guide (PDF)"] = str(out / "guide.pdf")
    guide_docx(guide, out / "guide.docx")
    files["guide (DOCX)"] = str(out / "guide.docx")
    manifest = {
        "recorded_on": RECORDED_ON.isoformat(),
        "edition": str(recording.manual),
        "video": files.get("video"),
        "video_problem": recording.video_problem,
        "chapters": recording.chapters,
        "changes": [c.id for c in guide.changes],
        "instructions": [asdict(c) for c in recording.captures],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    files["manifest"] = str(out / "manifest.json")
    recording.files = files
    return files
