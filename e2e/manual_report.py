"""What `csam-harness check-manual` writes: a terminal summary, JSON, a self-contained HTML report with a
screenshot per instruction, and the proposed manual (the manual's text with the changed labels replaced) as a
text and as a diff. What the walk wrote into the site (e2e/walk_writes.py) and the visual check against a previous
report (e2e/screen_compare.py) are said here too, and importable from here.

Everything a person reads speaks the manual's language: the words come from `WORDS`, one table keyed by
language ("fr" for now). The status ids (`matches`, `label changed`, …) stay in report.json as they are, for
the programs that read it; the words sit beside them (`verdict`, `detail`).

An instruction's status is its first finding that is not a match; its findings are all of them: every target
that does not match, and the visual finding when its screenshot changed since a previous report. Counts are
given both ways: instructions per status, and findings per status (see docs/check-manual.md).
"""

from __future__ import annotations

import base64
import difflib
import html
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .page_words import AMBIGUOUS, CHANGED, MATCHES, MISSING, MOVED, NOT_CHECKABLE
from .report_words import (
    DEFAULT_LANGUAGE,
    REPORT_STATUSES,
    SCREEN_CHANGED,
    WORDS,
    percent,
    say,
    verdict_word,
)
from .screen_compare import COMPARE_THRESHOLD as COMPARE_THRESHOLD
from .screen_compare import PreviousReportError as PreviousReportError
from .screen_compare import compare_screens as compare_screens
from .screen_compare import load_previous as load_previous
from .walk_results import InstructionResult, TargetResult
from .walk_writes import announce_writes as announce_writes
from .walk_writes import print_writes as print_writes
from .walk_writes import site_state as site_state
from .walk_writes import wrote_into_site as wrote_into_site

# ---------------------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------------------


def target_sentence(target: TargetResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """What one target that does not match found."""
    return say(
        f"finding {target.status}",
        lang,
        looked_for=target.looked_for,
        found=target.found,
        count=target.count,
        page=target.page,
    )


def screen_sentence(result: InstructionResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """What the visual check found on the instruction's screenshot."""
    if result.screen_change is None:
        return say("screen new" if result.screenshot else "screen gone", lang)
    return say(f"finding {SCREEN_CHANGED}", lang, share=percent(result.screen_change, lang))


def findings(result: InstructionResult, lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """Every finding on an instruction that is not a match, as (status id, sentence), in the manual's order of
    its words and the visual finding last; an instruction checked without targets (a note, the back office, a
    walk that stopped) is one finding of its own status."""
    found = [(t.status, target_sentence(t, lang)) for t in result.targets if t.status != MATCHES]
    if not result.targets and result.status not in (MATCHES, SCREEN_CHANGED):
        if result.status == NOT_CHECKABLE:
            sentence = say(result.reason or "note", lang)
        else:
            # The error the browser gave is kept as it is.
            error = result.reason
            sentence = f"{say('walk stopped', lang)}{say('colon', lang)}{error}" if error else say("walk stopped", lang)
        found.append((result.status, sentence))
    if result.screen_changed:
        found.append((SCREEN_CHANGED, screen_sentence(result, lang)))
    return found


def detail(result: InstructionResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """One sentence on what was found: every finding, or that all is as the manual says."""
    return "; ".join(sentence for _status, sentence in findings(result, lang)) or say("as the manual says", lang)


def counts(results: list[InstructionResult]) -> dict[str, int]:
    """How many instructions got each status (every status named, zero included)."""
    found = Counter(r.status for r in results)
    return {status: found.get(status, 0) for status in REPORT_STATUSES}


def finding_counts(results: list[InstructionResult]) -> dict[str, int]:
    """How many findings of each status, all instructions together: every target (matches included), the
    visual findings, and one for each instruction checked without targets (every status named, zero
    included)."""
    found: Counter[str] = Counter()
    for r in results:
        found.update(t.status for t in r.targets)
        if not r.targets and r.status not in (MATCHES, SCREEN_CHANGED):
            found[r.status] += 1
        if r.screen_changed:
            found[SCREEN_CHANGED] += 1
    return {status: found.get(status, 0) for status in REPORT_STATUSES}


def summary_line(results: list[InstructionResult], lang: str = DEFAULT_LANGUAGE) -> str:
    """«47 instructions : 42 conformes, … ; constats : 1 déplacé, 2 manquants, …» (the findings that are not a
    match)."""
    by_status = ", ".join(f"{n} {verdict_word(s, lang, n)}" for s, n in counts(results).items() if n)
    drift = ", ".join(
        f"{n} {verdict_word(s, lang, n)}" for s, n in finding_counts(results).items() if n and s != MATCHES
    )
    return say("summary", lang, instructions=len(results), by_status=by_status, findings=drift or say("no drift", lang))


# ---------------------------------------------------------------------------------------------------------
# The terminal
# ---------------------------------------------------------------------------------------------------------

STYLES = {
    MATCHES: "green",
    CHANGED: "yellow",
    AMBIGUOUS: "yellow",
    MOVED: "magenta",
    MISSING: "red",
    NOT_CHECKABLE: "dim",
    SCREEN_CHANGED: "cyan",
}
COLOURS = {
    MATCHES: "#1b7f3b",
    CHANGED: "#9a6700",
    AMBIGUOUS: "#9a6700",
    MOVED: "#8250df",
    MISSING: "#cf222e",
    NOT_CHECKABLE: "#6e7781",
    SCREEN_CHANGED: "#0969da",
}


def print_summary(results: list[InstructionResult], console: Console, lang: str = DEFAULT_LANGUAGE) -> None:
    """The terminal summary: one row per instruction that is not a plain match, with every one of its findings
    (each with its own verdict when they differ), then the counts."""
    table = Table(title=say("title", lang), show_lines=False)
    table.add_column(say("column id", lang), style="bold")
    table.add_column(say("column verdict", lang))
    table.add_column(say("column detail", lang))
    for r in results:
        if r.status == MATCHES:
            continue
        found = findings(r, lang) or [(r.status, detail(r, lang))]
        mixed = len({status for status, _sentence in found}) > 1
        lines = [
            (f"[{STYLES[s]}]{escape(verdict_word(s, lang))}[/] — " if mixed else "") + escape(sentence)
            for s, sentence in found
        ]
        table.add_row(r.id, f"[{STYLES[r.status]}]{escape(verdict_word(r.status, lang))}[/]", "\n".join(lines))
    console.print(table)
    console.print(summary_line(results, lang))


# ---------------------------------------------------------------------------------------------------------
# The proposed manual and the files
# ---------------------------------------------------------------------------------------------------------


def proposed_text(result: InstructionResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """The instruction's text with each changed label replaced by the one the site shows."""
    from .update_manual import replace_label

    text = result.text
    for target in result.targets:
        if target.status != CHANGED or not target.found or not target.looked_for.startswith("«"):
            continue
        old, new = target.looked_for.strip("«»"), target.found.split(" / option ")[0].rstrip(" *:")
        text = replace_label(text, old, new, say("now called", lang, old=old, new=new))
    return text


def proposed_manual(results: list[InstructionResult], lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """The proposed manual (one line per instruction) and its unified diff against the manual."""
    before = [f"{r.id} {r.text}\n" for r in results]
    after = [f"{r.id} {proposed_text(r, lang)}\n" for r in results]
    diff = "".join(difflib.unified_diff(before, after, say("diff manual", lang), say("diff proposed", lang)))
    return "".join(after), diff


def write_report(
    results: list[InstructionResult],
    out: Path,
    about: dict[str, Any],
    *,
    wrote: dict[str, Any] | None = None,
    previous: Path | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> dict[str, Path]:
    """Write every output into `out`; returns where each went. `wrote`: what the walk wrote into the site
    (`wrote_into_site`); `previous`: the report the screenshots were compared with."""
    out.mkdir(parents=True, exist_ok=True)
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    for r in results:
        if r.screenshot:
            (shots / f"{r.id}.png").write_bytes(base64.b64decode(r.screenshot))
    document = {
        **about,
        "lang": lang,
        "counts": counts(results),
        "findings": finding_counts(results),
        "verdicts": {status: verdict_word(status, lang) for status in REPORT_STATUSES},
        "drifted": [r.id for r in results if r.drifted],
        "wrote_into_site": wrote,
        "instructions": [
            {k: v for k, v in asdict(r).items() if k != "screenshot"}
            | {
                "verdict": verdict_word(r.status, lang),
                "detail": detail(r, lang),
                "findings": [
                    {"status": s, "verdict": verdict_word(s, lang), "detail": d} for s, d in findings(r, lang)
                ],
                "screenshot": f"screenshots/{r.id}.png" if r.screenshot else None,
                "proposed_text": proposed_text(r, lang),
            }
            for r in results
        ],
    }
    paths = {
        "json": out / "report.json",
        "html": out / "report.html",
        "manual": out / "proposed-manual.txt",
        "diff": out / "proposed-manual.diff",
        "screenshots": shots,
    }
    paths["json"].write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    text, diff = proposed_manual(results, lang)
    paths["manual"].write_text(text, encoding="utf-8")
    paths["diff"].write_text(diff, encoding="utf-8")
    paths["html"].write_text(
        render_html(results, about, diff, wrote=wrote, previous=previous, lang=lang), encoding="utf-8"
    )
    return paths


def print_files(paths: dict[str, Path], console: Console, lang: str = DEFAULT_LANGUAGE) -> None:
    """Where each output went."""
    console.print(f"[bold]{escape(say('files', lang))}[/]{say('colon', lang).rstrip()}")
    for what, path in paths.items():
        console.print(f"  {escape(say(f'file {what}', lang))}{say('colon', lang)}{escape(str(path))}")


def _previous_image(previous: Path | None, ident: str) -> str | None:
    """The previous report's screenshot of an instruction, base64, when there is one."""
    path = previous / "screenshots" / f"{ident}.png" if previous is not None else None
    return base64.b64encode(path.read_bytes()).decode() if path is not None and path.is_file() else None


def render_html(
    results: list[InstructionResult],
    about: dict[str, Any],
    diff: str,
    *,
    wrote: dict[str, Any] | None = None,
    previous: Path | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """One HTML file with everything inline (styles, screenshots as data URIs): it opens without a network."""
    e = html.escape
    rows = []
    for r in results:
        colour = COLOURS[r.status]
        image = (
            f'<img alt="{e(say("screenshot alt", lang, id=r.id))}" src="data:image/png;base64,{r.screenshot}">'
            if r.screenshot
            else ""
        )
        old = _previous_image(previous, r.id) if r.screen_changed else None
        if old:
            # The screen changed: the previous report's screenshot beside this one.
            image = (
                f'<div class="pair"><figure><figcaption>{e(say("before", lang))}</figcaption>'
                f'<img alt="{e(say("previous screenshot alt", lang, id=r.id))}" '
                f'src="data:image/png;base64,{old}"></figure><figure><figcaption>{e(say("now", lang))}'
                f"</figcaption>{image}</figure></div>"
            )
        where = f'<p class="where">{e(r.page or "")} — <code>{e(r.url or "")}</code></p>' if r.url else ""
        found = findings(r, lang)
        listed = (
            (
                "<ul>"
                + "".join(
                    f'<li><span class="status" style="background:{COLOURS[s]}">'
                    f"{e(verdict_word(s, lang))}</span> {e(sentence)}</li>"
                    for s, sentence in found
                )
                + "</ul>"
            )
            if found
            else f"<p>{e(detail(r, lang))}</p>"
        )
        rows.append(
            f'<section class="instruction" id="i-{e(r.id)}"><h2>{e(r.id)} '
            f'<span class="status" style="background:{colour}">{e(verdict_word(r.status, lang))}</span></h2>'
            f"<blockquote>{e(r.text)}</blockquote>{listed}{where}{image}</section>"
        )
    colon = e(say("colon", lang))
    instructions = "".join(f"<li>{e(verdict_word(s, lang, n))}{colon}{n}</li>" for s, n in counts(results).items() if n)
    finding_list = "".join(
        f"<li>{e(verdict_word(s, lang, n))}{colon}{n}</li>" for s, n in finding_counts(results).items() if n
    )
    facts = "".join(
        f"<dt>{e(WORDS[lang].get(f'about {k}', str(k)))}</dt><dd>{e(str(v))}</dd>" for k, v in about.items()
    )
    writes = ""
    if wrote is not None:
        writes = (
            f'<section class="writes"><h2>{e(say("wrote", lang))}</h2><ul>'
            + "".join(f"<li>{e(line)}</li>" for line in wrote["text"])
            + "</ul></section>"
        )
    return f"""<!doctype html>
<html lang="{e(lang)}"><head><meta charset="utf-8"><title>{e(say("title", lang))}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1f2328; }}
.status {{ color: #fff; border-radius: .3rem; padding: .1rem .5rem; font-size: .9rem; }}
.instruction {{ border-top: 1px solid #d0d7de; padding: 1rem 0; }}
blockquote {{ margin: 0; padding-left: 1rem; border-left: 4px solid #d0d7de; color: #57606a; }}
img {{ max-width: 100%; border: 1px solid #d0d7de; }} .where {{ color: #57606a; font-size: .9rem; }}
.pair {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }} figure {{ margin: 0; }}
pre {{ background: #f6f8fa; padding: 1rem; overflow-x: auto; }}
</style></head><body>
<h1>{e(say("title", lang))}</h1><dl>{facts}</dl>
<h2>{e(say("instructions counted", lang))}</h2><ul>{instructions}</ul>
<h2>{e(say("findings counted", lang))}</h2><ul>{finding_list}</ul>
{writes}
{"".join(rows)}
<h2>{e(say("proposed diff", lang))}</h2><pre>{e(diff) or e(say("no change", lang))}</pre>
</body></html>
"""
