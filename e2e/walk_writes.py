"""What a check-manual walk writes into the site it checks: announced before the walk, read back from the site's
state after it (`GET /_mock/state`), and said in the manual's language."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

from rich.console import Console
from rich.markup import escape

from .page_words import MISSING, MOVED
from .report_words import DEFAULT_LANGUAGE, say
from .walk_results import InstructionResult


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
    console.print(f"[bold]{escape(say('will write', lang))}[/]{say('colon', lang).rstrip()}")
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
    console.print(f"[bold]{escape(say('wrote', lang))}[/]{say('colon', lang).rstrip()}")
    for line in wrote["text"]:
        console.print(f"  • {escape(line)}")
