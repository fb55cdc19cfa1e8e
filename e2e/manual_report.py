"""What `csam-harness check-manual` writes: a terminal summary, JSON, a self-contained HTML report with a
screenshot per instruction, and the proposed manual (the manual's text with the changed labels replaced) as a
text and as a diff."""

from __future__ import annotations

import base64
import difflib
import html
import json
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .check_manual import CHANGED, DRIFTS, MATCHES, STATUSES, InstructionResult

STYLES = {MATCHES: "green", CHANGED: "yellow", "ambiguous": "yellow", "moved": "magenta", "missing": "red",
          "not checkable": "dim"}
COLOURS = {MATCHES: "#1b7f3b", CHANGED: "#9a6700", "ambiguous": "#9a6700", "moved": "#8250df", "missing": "#cf222e",
           "not checkable": "#6e7781"}


def counts(results: list[InstructionResult]) -> dict[str, int]:
    """How many instructions got each status (every status named, zero included)."""
    found = Counter(r.status for r in results)
    return {status: found.get(status, 0) for status in STATUSES}


def print_summary(results: list[InstructionResult], console: Console) -> None:
    """The terminal summary: one row per instruction that is not a plain match, then the counts."""
    table = Table(title="Le manuel face au site", show_lines=False)
    table.add_column("ID", style="bold")
    table.add_column("verdict")
    table.add_column("ce que le site montre")
    for r in results:
        if r.status != MATCHES:
            table.add_row(r.id, f"[{STYLES[r.status]}]{r.status}[/]", r.detail)
    console.print(table)
    console.print(", ".join(f"{n} {status}" for status, n in counts(results).items() if n))


def proposed_text(result: InstructionResult) -> str:
    """The instruction's text with each changed label replaced by the one the site shows."""
    text = result.text
    for target in result.targets:
        if target.status != CHANGED or not target.found or not target.looked_for.startswith("«"):
            continue
        old, new = target.looked_for.strip("«»"), target.found.split(" / option ")[0].rstrip(" *:")
        pattern = re.compile(rf"«\s*{re.escape(old)}\s*»|(?<!\w){re.escape(old)}(?!\w)", re.IGNORECASE)
        text, replaced = pattern.subn(f"« {new} »", text, count=1)
        if not replaced:
            text = f"{text} [« {old} » s'appelle maintenant « {new} »]"
    return text


def proposed_manual(results: list[InstructionResult]) -> tuple[str, str]:
    """The proposed manual (one line per instruction) and its unified diff against the manual."""
    before = [f"{r.id} {r.text}\n" for r in results]
    after = [f"{r.id} {proposed_text(r)}\n" for r in results]
    diff = "".join(difflib.unified_diff(before, after, "manuel-2018", "manuel-propose"))
    return "".join(after), diff


def write_report(results: list[InstructionResult], out: Path, about: dict[str, Any]) -> dict[str, Path]:
    """Write every output into `out`; returns where each went."""
    out.mkdir(parents=True, exist_ok=True)
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    for r in results:
        if r.screenshot:
            (shots / f"{r.id}.png").write_bytes(base64.b64decode(r.screenshot))
    document = {**about, "counts": counts(results), "drifted": [r.id for r in results if r.status in DRIFTS],
                "instructions": [{k: v for k, v in asdict(r).items() if k != "screenshot"}
                                 | {"screenshot": f"screenshots/{r.id}.png" if r.screenshot else None,
                                    "proposed_text": proposed_text(r)} for r in results]}
    paths = {"json": out / "report.json", "html": out / "report.html", "manual": out / "proposed-manual.txt",
             "diff": out / "proposed-manual.diff", "screenshots": shots}
    paths["json"].write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    text, diff = proposed_manual(results)
    paths["manual"].write_text(text, encoding="utf-8")
    paths["diff"].write_text(diff, encoding="utf-8")
    paths["html"].write_text(render_html(results, about, diff), encoding="utf-8")
    return paths


def render_html(results: list[InstructionResult], about: dict[str, Any], diff: str) -> str:
    """One HTML file with everything inline (styles, screenshots as data URIs): it opens without a network."""
    e = html.escape
    rows = []
    for r in results:
        colour = COLOURS[r.status]
        image = (f'<img alt="{e(r.id)} : la page où l\'instruction a été vérifiée" '
                 f'src="data:image/png;base64,{r.screenshot}">' if r.screenshot else "")
        where = f'<p class="where">{e(r.page or "")} — <code>{e(r.url or "")}</code></p>' if r.url else ""
        rows.append(
            f'<section class="instruction" id="i-{e(r.id)}"><h2>{e(r.id)} '
            f'<span class="status" style="background:{colour}">{e(r.status)}</span></h2>'
            f'<blockquote>{e(r.text)}</blockquote><p>{e(r.detail)}</p>{where}{image}</section>')
    summary = "".join(f"<li>{e(status)} : {n}</li>" for status, n in counts(results).items())
    facts = "".join(f"<dt>{e(str(k))}</dt><dd>{e(str(v))}</dd>" for k, v in about.items())
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Le manuel face au site</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1f2328; }}
.status {{ color: #fff; border-radius: .3rem; padding: .1rem .5rem; font-size: .9rem; }}
.instruction {{ border-top: 1px solid #d0d7de; padding: 1rem 0; }}
blockquote {{ margin: 0; padding-left: 1rem; border-left: 4px solid #d0d7de; color: #57606a; }}
img {{ max-width: 100%; border: 1px solid #d0d7de; }} .where {{ color: #57606a; font-size: .9rem; }}
pre {{ background: #f6f8fa; padding: 1rem; overflow-x: auto; }}
</style></head><body>
<h1>Le manuel face au site</h1><dl>{facts}</dl><ul>{summary}</ul>
{"".join(rows)}
<h2>Manuel proposé (diff)</h2><pre>{e(diff) or "Aucun changement."}</pre>
</body></html>
"""
