"""The illustrated guide as a Word document (python-docx), for trainers who edit it: the same content as the HTML
and PDF guides (e2e/guide.py builds it), in Word's own Title and Heading styles, the warnings in a paragraph style
«Attention» and the changes as a table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .guide import Guide


def _attention_style(document: Any) -> Any:
    """A paragraph style «Attention» (pale yellow, a bar on the left) that Word lists with the others."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles.add_style("Attention", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(6), Pt(6)
    properties = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("val", "single"), ("sz", "36"), ("space", "6"), ("color", "D4A72C")):
        left.set(qn(f"w:{key}"), value)
    borders.append(left)
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", "FFF8C5")):
        shading.set(qn(f"w:{key}"), value)
    properties.append(borders)
    properties.append(shading)
    return style


def _describe(document: Any, what: str) -> None:
    """Name the picture just added (its alt text), so that Word and a reader can tell which capture it is."""
    document.inline_shapes[-1]._inline.docPr.set("descr", what)


def guide_docx(guide: Guide, path: Path) -> None:
    """The guide as a Word document: Title and Heading styles, one picture per instruction, the warnings in the
    «Attention» style and the changes as a table."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, RGBColor

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    w = guide.words
    _attention_style(document)
    document.core_properties.title, document.core_properties.language = guide.title, f"{guide.lang}-BE"
    document.add_heading(guide.title, level=0)
    for line in guide.intro:
        document.add_paragraph(line)
    if guide.changes:
        document.add_heading(w["changes"], level=1)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = w["before"], w["now"]
        for c in guide.changes:
            head = table.add_row().cells
            merged = head[0].merge(head[1])
            merged.paragraphs[0].add_run(f"{c.id} — {c.label}").bold = True
            merged.add_paragraph(c.why)
            texts = table.add_row().cells
            texts[0].text, texts[1].text = c.old, c.new
            shots = table.add_row().cells
            for cell, (shot, missing, when) in zip(
                shots,
                ((c.before, w["no previous"], w["before short"]), (c.after, w["no current"], w["after short"])),
                strict=True,
            ):
                if shot is None:
                    cell.paragraphs[0].add_run(missing).italic = True
                else:
                    cell.paragraphs[0].add_run().add_picture(str(shot), width=Cm(7.8))
                    _describe(document, f"{when} {c.id}")
    for _step, title, blocks in guide.steps:
        document.add_heading(title, level=1)
        for b in blocks:
            if b.attention is not None:
                paragraph = document.add_paragraph(style="Attention")
                paragraph.add_run(f"{w['attention']}{w['colon']}").bold = True
                paragraph.add_run(b.attention)
                continue
            capture = b.capture
            assert capture is not None  # a block is a warning or a capture
            paragraph = document.add_paragraph()
            paragraph.add_run(capture.id).bold = True
            if b.unverified:
                badge = paragraph.add_run(f" [{w['unverified']}]")
                badge.italic, badge.font.color.rgb = True, RGBColor(0x9A, 0x67, 0x00)
            paragraph.add_run(f" {capture.text}")
            if capture.marks:
                document.add_paragraph(w["marks lead"])
            for m in capture.marks:
                marker = document.add_paragraph()
                marker.paragraph_format.left_indent = Cm(0.5)
                number = marker.add_run(f"{m['n']}  ")
                number.bold, number.font.color.rgb = True, RGBColor(0xD0, 0x02, 0x1B)
                marker.add_run(guide.mark(m))
            document.add_picture(str(guide.image(capture)), width=Cm(16.5))
            _describe(document, f"{w['capture']} {capture.id}")
    document.save(str(path))
