"""What `csam-harness check-manual` writes: a terminal summary, JSON, a self-contained HTML report with a
screenshot per instruction, and the proposed manual (the manual's text with the changed labels replaced) as a
text and as a diff; what the walk wrote into the site; and the visual check against a previous report.

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
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .check_manual import InstructionResult, TargetResult
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

# Share of a screenshot's pixels that may change before the screen counts as changed. The screenshots are the
# 1280×900 viewport; 0.2 % is about 2 300 pixels: several times what differs from one run to the next on the
# same site (a request number, a date: about 0.035 % each), well under a sentence that changed (about 0.8 %).
COMPARE_THRESHOLD = 0.002


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
# What the walk writes into the site
# ---------------------------------------------------------------------------------------------------------


def site_state(base_url: str) -> dict[str, Any] | None:
    """The site's whole state from its control API (`GET /_mock/state`), or None when it cannot be read."""
    try:
        with urlopen(base_url.rstrip("/") + "/_mock/state", timeout=10) as answer:
            return json.loads(answer.read())
    except (URLError, OSError, ValueError):
        return None


def _names(data: dict[str, Any]) -> dict[str, str]:
    project = data["project"]
    return {
        "inami_number": project["inami_number"],
        "name": project["name"],
        "cogap": data["cogap"]["full_name"],
        "user": data["user"]["full_name"],
    }


def announce_writes(data: dict[str, Any], control: bool, console: Console, lang: str = DEFAULT_LANGUAGE) -> None:
    """Before the walk: what it is about to write into the site (or, without a control API, what it cannot)."""
    names = _names(data)
    if not control:
        console.print(f"[yellow]{escape(say('no control', lang, **names))}[/]")
        return
    console.print(f"[bold]{escape(say('will write', lang))}[/] :")
    for key in ("intent project", "intent document", "intent screens"):
        console.print(f"  • {escape(say(key, lang, **names))}")


def wrote_into_site(
    data: dict[str, Any],
    control: bool,
    state: dict[str, Any] | None,
    results: Sequence[InstructionResult] = (),
    lang: str = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """What the walk wrote into the site, read back from the site's state after the walk (`GET /_mock/state`),
    each write with `done` true or false; without a control API (or its state), what it could not do and what
    it tried. Roles are not in the state once the user is deleted: whether the walk ticked any in step 4 says
    whether it gave some."""
    names = _names(data)
    about: dict[str, Any] = {
        "control_api": control,
        "project": {"inami_number": names["inami_number"], "name": names["name"]},
    }
    if not control or state is None:
        screens = say("tried screens", lang, **names)
        about["writes"] = []
        about["text"] = (
            [say("cannot", lang, **names), say("unknown", lang, screens=screens)]
            if not control
            else [say("state unreadable", lang, screens=screens)]
        )
        return about
    project = next((p for p in state.get("projects", []) if p.get("inami_number") == names["inami_number"]), None)
    registrations = (project or {}).get("registrations", [])
    received = [r for r in registrations if r.get("signed_document_received_at") or r.get("status") == "active"]
    managers = {m.get("niss") for m in (project or {}).get("access_managers", []) if m.get("kind") == "cogap"}
    members = {m.get("niss") for m in (project or {}).get("members", [])}
    user_niss = data["user"]["niss"]
    # A user the screens created and then deleted is still a person the site knows, no longer a member.
    roles = any(
        t.verb == "tick" and t.status not in (MISSING, MOVED) for r in results if r.step == 4 for t in r.targets
    )
    user_known = any(p.get("niss") == user_niss for p in state.get("persons", [])) or user_niss in members
    done = {
        "project": (project is not None, "POST /_mock/szv/projects"),
        "gap_request": (bool(registrations), "screens"),
        "signed_document": (bool(received), "POST /_mock/registrations/<n>/signed-document-received"),
        "cogap": (data["cogap"]["niss"] in managers, "screens"),
        "user": (user_known, "screens"),
        "roles": (user_known and roles, "screens"),
        "user_deleted": (user_known and user_niss not in members, "screens"),
    }
    request_number = (received or registrations or [{}])[-1].get("request_number", "")
    about["writes"] = [
        {
            "what": what,
            "done": ok,
            "via": via,
            "text": say(f"{'done' if ok else 'not done'} {what}", lang, request_number=request_number, **names),
        }
        for what, (ok, via) in done.items()
        if ok or what not in ("roles", "user_deleted") or user_known
    ]
    about["text"] = [w["text"] for w in about["writes"]]
    return about


def print_writes(wrote: dict[str, Any], console: Console, lang: str = DEFAULT_LANGUAGE) -> None:
    """After the walk: what it wrote into the site."""
    console.print(f"[bold]{escape(say('wrote', lang))}[/] :")
    for line in wrote["text"]:
        console.print(f"  • {escape(line)}")


# ---------------------------------------------------------------------------------------------------------
# The visual check
# ---------------------------------------------------------------------------------------------------------


class PreviousReportError(ValueError):
    """The folder given to --compare is not a previous check-manual report."""


def load_previous(folder: Path) -> dict[str, Any]:
    """A previous report's report.json, checked to be one (PreviousReportError says why not, in French)."""
    if not folder.is_dir():
        raise PreviousReportError(
            f"{folder} n'est pas un dossier : --compare attend le dossier d'un rapport "
            "précédent de check-manual (avec report.json et screenshots/)."
        )
    path = folder / "report.json"
    if not path.is_file():
        raise PreviousReportError(
            f"{folder} n'a pas de report.json : ce n'est pas le dossier d'un rapport de check-manual."
        )
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise PreviousReportError(f"{path} n'est pas du JSON lisible ({error}).") from None
    if not isinstance(report, dict) or not isinstance(report.get("instructions"), list):
        raise PreviousReportError(f"{path} n'est pas un rapport de check-manual : il n'a pas de liste «instructions».")
    return report


def compare_screens(
    results: list[InstructionResult], previous: Path, threshold: float = COMPARE_THRESHOLD
) -> list[str]:
    """Compare each instruction's screenshot with the previous report's (the share of pixels that changed, as
    the walkthrough compares its captures), mark those that changed beyond `threshold` or that only one of the
    two reports has, and give an instruction whose words match the status «screen changed»; returns the
    instructions marked."""
    from PIL import Image

    from .walkthrough import changed_share

    report = load_previous(previous)
    before = {i.get("id"): i.get("screenshot") for i in report["instructions"] if isinstance(i, dict)}
    marked = []
    for r in results:
        if r.id not in before:
            continue  # an instruction the previous manual did not have: nothing to compare with
        old = previous / before[r.id] if before[r.id] else None
        old = old if old is not None and old.is_file() else None
        if old is None and not r.screenshot:
            continue
        if old is None or not r.screenshot:
            r.screen_change = None
        else:
            with Image.open(old) as a, Image.open(io.BytesIO(base64.b64decode(r.screenshot))) as b:
                r.screen_change = 1.0 if a.size != b.size else changed_share(a, b)
            if r.screen_change <= threshold:
                continue
        r.screen_changed = True
        if r.status == MATCHES:
            r.status = SCREEN_CHANGED
        marked.append(r.id)
    return marked


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
    console.print(f"[bold]{escape(say('files', lang))}[/] :")
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
