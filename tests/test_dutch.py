"""The mock in Dutch: a complete catalogue, every page a person reaches free of French, the language choice,
letters and the PDF in Dutch, and renamed labels that change one language only."""

from __future__ import annotations

import html
import io
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from helpers import (
    GAP_A,
    NEW_1,
    NEW_2,
    NEW_3,
    PENDING_GAP,
    SZV_ONLY,
    gap_data,
    login_eid,
    person_record,
    project_record,
    seed_member,
    seed_world,
)

from mock_csam import SITE_VERSIONS, create_app
from mock_csam.control import serialisers
from mock_csam.domain import clock, rules
from mock_csam.domain.models import COGAP, COORDINATEUR, GESTIONNAIRE, Member, Project
from mock_csam.i18n import TRANSLATIONS, compile_translations

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
INAMI_D = "82662608"  # valid check digits; project D has no access manager yet
DIRK = "79112304630"  # responsable of project D only
PATIENT = "60010112347"


# ---------------------------------------------------------------------------------------------------------
# (a) The catalogue: every extracted msgid, translated, placeholders kept
# ---------------------------------------------------------------------------------------------------------


def extracted_messages() -> dict[str, list[str]]:
    """Every msgid pybabel finds with babel.cfg (and `-k _l`), with the places that use it."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords={**DEFAULT_KEYWORDS, "_l": None}
    ):
        msgids = message if isinstance(message, tuple) else (message,)
        for msgid in msgids:
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def dutch_catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="nl")


def test_babel_cfg_finds_the_mocks_words() -> None:
    messages = extracted_messages()
    assert len(messages) > 300
    assert any("templates/" in place for places in messages.values() for place in places)
    assert "Suivant" in messages
    assert "Cette page n'est pas traduite dans cette langue dans cette simulation." in messages


def test_every_message_has_a_dutch_translation() -> None:
    catalogue = dutch_catalogue()
    problems = []
    for msgid, places in sorted(extracted_messages().items()):
        entry = catalogue.get(msgid)
        where = ", ".join(places[:3])
        if entry is None:
            problems.append(f"missing from nl/messages.po: {msgid!r} (used at {where})")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s and s.strip() for s in strings):
            problems.append(f"no Dutch for {msgid!r} (used at {where})")
        if entry.fuzzy:
            problems.append(f"fuzzy Dutch for {msgid!r} (used at {where})")
    assert problems == [], "\n".join(problems)


def test_placeholders_are_the_same_in_french_and_dutch() -> None:
    wrong = []
    for entry in dutch_catalogue():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if sorted(PLACEHOLDER.findall(string)) != expected:
                wrong.append(f"{ids[0]!r} -> {string!r}")
    assert wrong == [], "\n".join(wrong)


def test_the_catalogue_is_dutch_with_two_plural_forms_and_nothing_fuzzy() -> None:
    catalogue = dutch_catalogue()
    assert str(catalogue.locale) == "nl"
    assert catalogue.plural_forms == "nplurals=2; plural=(n != 1);"
    assert not catalogue.fuzzy and not any(entry.fuzzy for entry in catalogue if entry.id)
    for entry in catalogue:
        if isinstance(entry.id, tuple):
            assert len(entry.string) == 2, entry.id


def test_the_catalogue_uses_the_confirmed_wording_verbatim() -> None:
    catalogue = dutch_catalogue()
    for french, dutch in CONFIRMED.items():
        assert catalogue.get(french) is not None, french
        assert catalogue.get(french).string == dutch, french


# The rows of the wording table marked «confirmed» (facts.md), as the mock's msgids say them (docs/dutch.md);
# «qualité» → «hoedanigheid» is confirmed inside «Choisissez la qualité».
CONFIRMED = {
    "Professionnels de la santé": "Beroepsbeoefenaars in de gezondheidszorg",
    "Comment accéder au portail eSanté ?": "Hoe krijgt u toegang tot het portaal eGezondheid ?",
    "Gestion des utilisateurs et des accès": "Gebruikers- en toegangsbeheer",
    "Gestion d'accès pour Entreprises et Organisations": "Toegangsbeheer voor Ondernemingen en Organisaties",
    "Désignation d'un Gestionnaire d'Accès Principal": "Een Hoofdtoegangsbeheerder aanstellen",
    "Gestionnaire d'Accès Principal": "Hoofdtoegangsbeheerder",
    "Co-gestionnaire principal d'accès": "Co-Hoofdtoegangsbeheerder",
    "Suivant": "Volgende",
    "Choisissez la qualité": "Kies de hoedanigheid",
}


def test_confirmed_words_inside_longer_messages_are_kept_verbatim() -> None:
    catalogue = dutch_catalogue()
    gga = next(e for e in catalogue if e.id and "Gestion des Gestionnaires d'Accès" in e.id)
    assert "Beheer der Toegangsbeheerders" in gga.string
    for entry in catalogue:
        if entry.id and "Gestionnaire d'Accès Principal" in entry.id:
            assert "Hoofdtoegangsbeheerder" in entry.string, entry.id


def test_catalogues_are_compiled_outside_the_package_and_never_kept_there(tmp_path: Path) -> None:
    folder = compile_translations()
    assert (folder / "nl" / "LC_MESSAGES" / "messages.mo").is_file()
    assert TRANSLATIONS not in folder.parents
    assert list(TRANSLATIONS.rglob("*.mo")) == []
    # An edited catalogue gets its own folder: a stale .mo is never read.
    copy = tmp_path / "nl" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    (copy / "messages.po").write_bytes(CATALOGUE.read_bytes().replace(b'msgstr "Volgende"', b'msgstr "Verder"'))
    other = compile_translations(tmp_path)
    assert other != folder and (other / "nl" / "LC_MESSAGES" / "messages.mo").is_file()
    assert create_app({"DATABASE": ":memory:"}).config["BABEL_TRANSLATION_DIRECTORIES"] == str(folder)
    assert "*.mo" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert '"translations/**/*"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------
# Pages as text
# ---------------------------------------------------------------------------------------------------------


_DROPPED = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# Words a person reads or hears that are not between tags: button values, accessible names, hints.
_SHOWN_ATTRIBUTES = re.compile(
    r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"|<input\b[^>]*\btype="(?:submit|button)"[^>]*\bvalue="([^"]*)"',
    re.I,
)


def visible_text(page: str) -> str:
    """The words of a page a person sees or hears, whitespace collapsed."""
    page = _DROPPED.sub(" ", page)
    attributes = [a or b for a, b in _SHOWN_ATTRIBUTES.findall(page)]
    text = html.unescape(_TAG.sub(" ", page) + " " + " ".join(attributes))
    return re.sub(r"\s+", " ", text)


def _french_pattern(msgid: str) -> re.Pattern[str]:
    """The msgid as it shows on a page: placeholders are any words, whole words only, whitespace collapsed."""
    parts = [re.escape(re.sub(r"\s+", " ", part)) for part in PLACEHOLDER.split(msgid)]
    return re.compile(r"(?<![\w'’])" + r".{1,200}?".join(parts) + (r"(?![\w’])" if parts[-1] else ""))


def french_sources() -> list[tuple[str, re.Pattern[str]]]:
    """Each French source string whose Dutch differs from it, with the pattern that finds it on a page."""
    found = []
    for entry in dutch_catalogue():
        if not entry.id or isinstance(entry.id, tuple) or entry.string == entry.id:
            continue
        if not PLACEHOLDER.sub("", entry.id).strip():
            continue
        found.append((entry.id, _french_pattern(entry.id)))
    return found


FRENCH = french_sources()


def french_on(text: str) -> list[str]:
    """The French source strings this Dutch text still shows."""
    return [msgid for msgid, pattern in FRENCH if pattern.search(text)]


def test_the_french_finder_finds_french_and_not_dutch() -> None:
    assert french_on("Klik op Suivant om verder te gaan") == ["Suivant"]
    assert "Étape %(step)s sur %(total)s" in french_on("Étape 2 sur 4")
    assert french_on("Klik op Volgende; Stap 2 van 4; Projet Alpha; Lotje Suivante") == []


# ---------------------------------------------------------------------------------------------------------
# (b) Every page a person reaches, in Dutch
# ---------------------------------------------------------------------------------------------------------


def dutch_world(site_version: str) -> tuple[Flask, dict[str, Any]]:
    """Projects A (GAP Anne, a co-GAP, a user with both roles and an included patient), B, C (GAP pending) and
    D (a responsable, no access manager yet)."""
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE": ":memory:",
            "SECRET_KEY": "nl",
            "SITE_VERSION": site_version,
        }
    )
    world = seed_world(app)
    store = app.extensions["csam_store"]
    with app.app_context(), store.transaction() as db:
        dirk = person_record(DIRK, "Dirk", "Janssens") | {"language": "nl"}
        world["d"] = rules.record_project(db, project_record(INAMI_D, "Zorgnetwerk Gent", [dirk])).id
    world["cogap"] = seed_member(app, world["a"], GAP_A, NEW_2, "Karel", "Wouters", kind=COGAP)
    world["user"] = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    with app.app_context(), store.transaction() as db:
        gap = next(m for m in db.get(Project, world["a"]).members if m.person.niss == GAP_A)
        rules.set_roles(db, gap, world["user"], [GESTIONNAIRE, COORDINATEUR], clock.today(), None)
        db.get(Member, world["user"]).inclusion_app = True
    return app, world


def dutch_client(app: Flask, niss: str | None = None, pin: str = "1234") -> FlaskClient:
    """A browser that asked for Dutch once (then kept for the session), logged in as this person if any."""
    client = app.test_client()
    assert client.get("/?lang=nl").status_code == 200
    if niss:
        assert login_eid(client, niss, pin).status_code == 302
    return client


def _links(page: str, base: str) -> Iterator[str]:
    for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', page):
        url = urljoin(base, html.unescape(href))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.scheme not in ("", "http"):
            continue
        query = parse_qs(parts.query)
        # The header's language links are tested on their own (the same page again, or another language), and
        # so is the document to sign.
        if "lang" in query or query.get("locale", ["nl"]) != ["nl"]:
            continue
        if parts.path.startswith(("/static/", "/langue/", "/_mock/")) or parts.path.endswith(".pdf"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: FlaskClient, starts: list[str], limit: int = 120) -> dict[str, str]:
    """Every page reachable by links from `starts` (GET, redirects followed): {URL: visible text}."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        assert '<html lang="nl">' in page, f"{url} is not a Dutch page"
        seen[url] = visible_text(page)
        queue.extend(u for u in _links(page, "http://localhost" + url) if u not in seen)
    return seen


def shown(response) -> str:
    """The visible text of a response, once its language is checked."""
    page = response.get_data(as_text=True)
    assert '<html lang="nl">' in page
    return visible_text(page)


def no_french(pages: dict[str, str]) -> None:
    found = {url: french_on(text) for url, text in pages.items()}
    found = {url: strings for url, strings in found.items() if strings}
    assert found == {}, "French on Dutch pages:\n" + "\n".join(f"{u}: {s}" for u, s in found.items())


@pytest.fixture(params=SITE_VERSIONS)
def world(request: pytest.FixtureRequest) -> Iterator[tuple[Flask, dict[str, Any]]]:
    app, seeded = dutch_world(request.param)
    yield app, seeded
    app.extensions["csam_store"].dispose()


def test_portal_pages_show_no_french(world) -> None:
    app, _ = world
    pages = crawl(dutch_client(app), ["/", "/csam/login", "/nergens", "/fr/acces/demande/guide-utilisateur"])
    assert len(pages) >= 8 and any("Beroepsbeoefenaars in de gezondheidszorg" in t for t in pages.values())
    no_french(pages)


def test_access_management_pages_of_a_gap_show_no_french(world) -> None:
    app, seeded = world
    client = dutch_client(app, GAP_A, "4321")
    pid, user = seeded["a"], seeded["user"]
    pages = crawl(
        client,
        [
            "/csam/access/",
            f"/csam/access/{pid}/inami/utilisateurs",
            f"/csam/access/{pid}/inami/fonctions/{user}",
            f"/csam/access/{pid}/inami/utilisateurs/{user}/applications",
        ],
    )
    assert any("Gebruikers van het project" in t for t in pages.values())
    # A user's data, asked for then refused, and the confirmation (3.10-3.14 / 4.10-4.14).
    base = f"/csam/access/{pid}/inami/utilisateurs/nouveau"
    pages["NISS refused"] = shown(client.post(base, data={"user-niss": "12345678901"}))
    assert client.post(base, data={"user-niss": NEW_3}).status_code == 302
    pages[base + "/donnees"] = shown(client.get(base + "/donnees"))
    pages["data refused"] = shown(client.post(base + "/donnees", data={"language": "nl"}))
    assert client.post(
        base + "/donnees",
        data={
            "last_name": "Peeters",
            "first_name": "Jan",
            "email": "jan@zorg.example",
            "phone": "+32 9 123 45 67",
            "language": "nl",
            "username": "JanPeeters",
            "password": "Geheim2024",
            "applications": ["inclusion"],
        },
    ).status_code in (200, 302)
    pages[base + "/confirmation"] = shown(client.get(base + "/confirmation", follow_redirects=True))
    pages["created"] = shown(client.post(base + "/confirmation", data={"confirm": "Bevestigen"}, follow_redirects=True))
    pages["roles refused"] = shown(
        client.post(f"/csam/access/{pid}/inami/fonctions/{user}", data={"start_date": "31/02/2024"})
    )
    pages["nothing selected"] = shown(
        client.post(
            f"/csam/access/{pid}/inami/utilisateurs/action", data={"action": "supprimer"}, follow_redirects=True
        )
    )
    pages["another project"] = shown(client.get(f"/csam/access/{seeded['b']}/inami/"))
    # A co-GAP may not change the applications of the GAP's co-GAPs: the 403 page.
    cogap = dutch_client(app, NEW_2)
    gap_member = next(m for m in members_of(app, pid) if m.person.niss == GAP_A).id
    denied = cogap.get(f"/csam/access/{pid}/inami/utilisateurs/{gap_member}/applications")
    assert denied.status_code == 403
    pages["denied"] = shown(denied)
    no_french(pages)


def members_of(app: Flask, pid: int) -> list[Member]:
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        project = db.get(Project, pid)
        members = list(project.members)
        for member in members:
            _ = member.person.niss
        return members


def test_the_pending_gap_and_the_szv_only_person_see_no_french(world) -> None:
    app, _ = world
    pages = crawl(dutch_client(app, PENDING_GAP), ["/csam/access/", "/mycarenet/inclusion/"])
    szv_only = crawl(dutch_client(app, SZV_ONLY), ["/csam/access/", "/mycarenet/inclusion/"])
    pages |= {f"szv {url}": text for url, text in szv_only.items()}
    no_french(pages)


def test_the_inclusion_application_shows_no_french(world) -> None:
    app, seeded = world
    pid = seeded["a"]
    client = dutch_client(app, NEW_1)
    pages = {"refused": shown(client.post(f"/mycarenet/inclusion/{pid}/inclure", data={"inclure-niss": "123"}))}
    pages["included"] = shown(
        client.post(
            f"/mycarenet/inclusion/{pid}/inclure",
            data={"inclure-niss": PATIENT, "inclure-start_date": clock.today().strftime("%d/%m/%Y")},
            follow_redirects=True,
        )
    )
    assert "De patiënt" in pages["included"], pages["included"][:2000]
    pages |= crawl(
        client, ["/mycarenet/inclusion/", f"/mycarenet/inclusion/{pid}/", f"/mycarenet/inclusion/{pid}/vue-de-liste"]
    )
    pages["GAP without roles"] = shown(
        dutch_client(app, GAP_A, "4321").get(f"/mycarenet/inclusion/{pid}/", follow_redirects=True)
    )
    no_french(pages)


def test_the_designation_shows_no_french(world) -> None:
    """Step 2 from the portal to the finalisation page, with every refusal on the way, in either site."""
    app, _ = world
    client = dutch_client(app, DIRK)
    pages: dict[str, str] = {}
    if app.config["SITE_VERSION"] == "current":
        start = "/app032/camregistration/?processType=EH_ORGANIZATION&locale=nl"
        confirmation = "/app032/camregistration/confirmation?processType=EH_ORGANIZATION&locale=nl"
        pages |= crawl(client, [start, "/app032/camregistration/aide?locale=nl"])
        pages["refused"] = shown(client.post(start, data={"institution_type": "", "institution_number": "1"}))
        assert (
            client.post(start, data={"institution_type": rules.PROJECT_TYPE, "institution_number": INAMI_D}).status_code
            == 302
        )
        pages[confirmation] = shown(client.get(confirmation))
        pages["not confirmed"] = shown(client.post(confirmation, data={"email": "x", "phone": ""}))
        done = client.post(
            confirmation,
            data={"email": "dirk@zorg.example", "phone": "+32 9 123 45 67", "confirm": "y", "credentials_by_post": "y"},
        )
    else:
        pages |= crawl(client, ["/csam/registration/"])
        pages["refused"] = shown(client.post("/csam/registration/", data={"inami_number": "1"}))
        assert (
            client.post(
                "/csam/registration/", data={"identification_type": rules.PROJECT_TYPE, "inami_number": INAMI_D}
            ).status_code
            == 302
        )
        pages["organisation"] = shown(client.get("/csam/registration/organisation"))
        assert client.post("/csam/registration/organisation").status_code == 302
        pages["gestionnaire"] = shown(client.get("/csam/registration/gestionnaire"))
        pages["gestionnaire refused"] = shown(
            client.post("/csam/registration/gestionnaire", data={"niss": "123", "email": "x"})
        )
        gap = gap_data(person_record(DIRK, "Dirk", "Janssens")) | {"language": "nl"}
        assert client.post("/csam/registration/gestionnaire", data=gap).status_code == 302
        pages["confirmation"] = shown(client.get("/csam/registration/confirmation"))
        pages["not confirmed"] = shown(client.post("/csam/registration/confirmation", data={}))
        done = client.post("/csam/registration/confirmation", data={"confirm": "y", "credentials_by_post": "y"})
    assert done.status_code == 302, done.get_data(as_text=True)[-3000:]
    pages["finalisation"] = shown(client.get(done.location))
    assert "Rond de aanvraag af" in pages["finalisation"]
    no_french(pages)


def test_login_refusals_and_error_pages_show_no_french() -> None:
    app = create_app({"TESTING": True, "DATABASE": ":memory:", "SECRET_KEY": "nl"})
    client = dutch_client(app)
    pages = {"missing": shown(client.get("/bestaat-niet"))}
    # The form posted without its token: the «form expired» page.
    expired = client.post("/csam/login", data={"eid-niss": GAP_A, "eid-pin": "1", "eid-submit": "x"})
    assert expired.status_code == 400
    pages["expired"] = shown(expired)
    no_csrf = create_app({"TESTING": True, "DATABASE": ":memory:", "SECRET_KEY": "nl", "WTF_CSRF_ENABLED": False})
    seed_world(no_csrf)
    client = dutch_client(no_csrf)
    pages["eid refused"] = shown(client.post("/csam/login", data={"eid-niss": "1", "eid-pin": "", "eid-submit": "x"}))
    pages["password refused"] = shown(
        client.post("/csam/login", data={"pwd-username": "nobody", "pwd-password": "wrong", "pwd-submit": "x"})
    )
    assert "Onjuiste gebruikersnaam" in pages["password refused"]
    pages["logged out"] = shown(dutch_client(no_csrf, GAP_A, "4321").post("/csam/logout", follow_redirects=True))
    no_french(pages)


# ---------------------------------------------------------------------------------------------------------
# (c) Choosing the language
# ---------------------------------------------------------------------------------------------------------


def language_nav(page: str) -> list[tuple[str, str, bool]]:
    nav = re.search(r'<nav class="languages" aria-label="([^"]*)">(.*?)</nav>', page, re.S)
    assert nav, "no language choice in the header"
    return [
        (code, html.unescape(href), bool(current))
        for href, code, current, _ in re.findall(
            r'<a href="([^"]*)" hreflang="(\w+)" lang="\w+"( aria-current="true")?>(\w+)</a>', nav.group(2)
        )
    ]


@pytest.mark.parametrize("site_version", SITE_VERSIONS)
def test_the_language_is_kept_for_the_session(site_version: str) -> None:
    app = create_app({"TESTING": True, "DATABASE": ":memory:", "SITE_VERSION": site_version})
    client = app.test_client()
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
    page = client.get("/fr/professionnels?lang=nl").get_data(as_text=True)
    assert '<html lang="nl">' in page and 'aria-label="Taal"' in page
    later = client.get("/fr/acces").get_data(as_text=True)
    assert '<html lang="nl">' in later and "Toegangsaanvraag" in later
    assert [(c, cur) for c, _h, cur in language_nav(later)] == [
        ("fr", False),
        ("nl", True),
        ("de", False),
        ("en", False),
    ]
    french = {c: h for c, h, _ in language_nav(later)}["fr"]
    assert french == "/fr/acces?lang=fr"
    back = client.get(french).get_data(as_text=True)
    assert '<html lang="fr">' in back and "Demande d'accès" in back
    assert '<html lang="fr">' in client.get("/fr/acces").get_data(as_text=True)


def test_a_lang_cookie_or_query_chooses_the_language() -> None:
    app = create_app({"TESTING": True, "DATABASE": ":memory:"})
    client = app.test_client()
    client.set_cookie("lang", "nl")
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)
    client.set_cookie("lang", "xx")
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
    other = app.test_client()
    assert '<html lang="nl">' in other.get("/csam/login?lang=nl").get_data(as_text=True)
    # A language the mock has no catalogue for changes nothing.
    assert '<html lang="nl">' in other.get("/csam/login?lang=xx").get_data(as_text=True)


@pytest.mark.parametrize("site_version", SITE_VERSIONS)
@pytest.mark.parametrize(
    ("code", "words"), [("de", "nicht ins Deutsche übersetzt"), ("en", "not translated into English")]
)
def test_german_and_english_say_the_page_is_not_translated(site_version: str, code: str, words: str) -> None:
    app, seeded = dutch_world(site_version)
    client = dutch_client(app, GAP_A, "4321")
    users = f"/csam/access/{seeded['a']}/inami/utilisateurs"
    link = {c: h for c, h, _ in language_nav(client.get(users).get_data(as_text=True))}[code]
    response = client.get(link)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'<html lang="{code}">' in page
    text = visible_text(page)
    assert words in text
    assert "Cette page n'est pas traduite dans cette langue dans cette simulation." in text
    assert "Deze pagina is in deze simulatie niet in deze taal vertaald." in text
    assert f'<a href="{users}">' in page
    nav = language_nav(page)
    assert [c for c, _h, cur in nav if cur] == [code]
    assert {c: h for c, h, _ in nav}["nl"] == f"{users}?lang=nl"
    assert client.get("/langue/xx?back=/").status_code == 404
    # Nothing leads off the site.
    assert 'href="//evil.example"' not in client.get(f"/langue/{code}?back=//evil.example").get_data(as_text=True)


def test_a_refusal_shown_by_a_post_only_address_switches_language_on_the_forms_page() -> None:
    """The users page shown again by «Suivant» (POST only): its language links lead back to the users page."""
    app, seeded = dutch_world("manual-2018")
    client = dutch_client(app, GAP_A, "4321")
    users = f"/csam/access/{seeded['a']}/inami/utilisateurs"
    refused = client.post(users + "/nouveau", data={"user-niss": "1"}, headers={"Referer": "http://localhost" + users})
    links = {c: h for c, h, _ in language_nav(refused.get_data(as_text=True))}
    assert links["fr"] == users + "?lang=fr" and client.get(links["fr"]).status_code == 200
    other_site = client.post(users + "/nouveau", data={"user-niss": "1"}, headers={"Referer": "http://evil.example/"})
    assert {c: h for c, h, _ in language_nav(other_site.get_data(as_text=True))}["fr"] == "/?lang=fr"


def test_todays_csam_page_switches_language_with_its_locale() -> None:
    app, _ = dutch_world("current")
    client = app.test_client()
    assert login_eid(client, DIRK).status_code == 302
    start = "/app032/camregistration/?processType=EH_ORGANIZATION&locale=fr"
    page = client.get(start).get_data(as_text=True)
    assert '<html lang="fr">' in page
    dutch = {c: h for c, h, _ in language_nav(page)}["nl"]
    assert parse_qs(urlsplit(dutch).query) == {"processType": ["EH_ORGANIZATION"], "locale": ["nl"]}
    page = client.get(dutch).get_data(as_text=True)
    assert '<html lang="nl">' in page and "Mijn instelling in CSAM registreren" in page
    assert "/app032/camregistration/aide?locale=nl" in html.unescape(page)
    # The portal's link carries the page's language too.
    access = client.get("/fr/acces/demande").get_data(as_text=True)
    assert "locale=nl" in access


# ---------------------------------------------------------------------------------------------------------
# (d) Letters in the person's language, the PDF in the page's
# ---------------------------------------------------------------------------------------------------------


def _letters(app: Flask, niss: str) -> list[dict[str, Any]]:
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        return serialisers.letters_for(db, niss)


@pytest.mark.parametrize(
    ("language", "page_language", "subject"),
    [
        ("nl", "fr", "CSAM: uw gebruikersnaam"),
        ("fr", "nl", "CSAM : votre nom d'utilisateur"),
        ("de", "nl", "CSAM : votre nom d'utilisateur"),
        ("en", "fr", "CSAM : votre nom d'utilisateur"),
    ],
)
def test_letters_speak_the_persons_language(language: str, page_language: str, subject: str) -> None:
    app, _ = dutch_world("manual-2018")
    client = app.test_client()
    client.get(f"/?lang={page_language}")
    assert login_eid(client, DIRK).status_code == 302
    client.post("/csam/registration/", data={"identification_type": rules.PROJECT_TYPE, "inami_number": INAMI_D})
    client.post("/csam/registration/organisation")
    gap = gap_data(person_record(DIRK, "Dirk", "Janssens")) | {"language": language}
    assert client.post("/csam/registration/gestionnaire", data=gap).status_code == 302
    done = client.post("/csam/registration/confirmation", data={"confirm": "y", "credentials_by_post": "y"})
    assert done.status_code == 302
    number = done.location.rstrip("/").split("/")[-2]
    with app.app_context(), app.extensions["csam_store"].transaction() as db:
        rules.receive_signed_document(db, rules.registration_by_ref(db, number))
    letters = _letters(app, DIRK)
    assert [letter["subject"] for letter in letters][:1] == [subject]
    if language == "nl":
        assert letters[0]["body"].startswith("Uw CSAM-gebruikersnaam is: ")
        assert letters[1]["subject"] == "CSAM: uw wachtwoord" and letters[1]["body"].startswith("Uw CSAM-wachtwoord")


def test_the_pdf_to_sign_speaks_the_pages_language() -> None:
    pypdf = pytest.importorskip("pypdf")
    app, _ = dutch_world("manual-2018")
    client = dutch_client(app, DIRK)
    client.post("/csam/registration/", data={"identification_type": rules.PROJECT_TYPE, "inami_number": INAMI_D})
    client.post("/csam/registration/organisation")
    dirk = gap_data(person_record(DIRK, "Dirk", "Janssens"))
    assert client.post("/csam/registration/gestionnaire", data=dirk).status_code == 302
    done = client.post("/csam/registration/confirmation", data={"confirm": "y"})
    finalisation = client.get(done.location).get_data(as_text=True)
    pdf_url = html.unescape(re.search(r'href="([^"]*document\.pdf[^"]*)"', finalisation).group(1))

    def pdf_text(response) -> str:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = pypdf.PdfReader(io.BytesIO(response.data))
        return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))

    dutch = pdf_text(client.get(pdf_url))
    for words in (
        "Een Hoofdtoegangsbeheerder aanstellen",
        "Nummer van de aanvraag",
        "Verklaring",
        "Hoe dit document terugsturen",
        "Handtekening",
    ):
        assert words in dutch, words
    assert french_on(dutch) == [], french_on(dutch)
    french = pdf_text(client.get(pdf_url + ("&" if "?" in pdf_url else "?") + "lang=fr"))
    assert "Désignation d'un Gestionnaire d'Accès Principal" in french and "Verklaring" not in french


# ---------------------------------------------------------------------------------------------------------
# (e) A rename changes the words of one language only
# ---------------------------------------------------------------------------------------------------------


def _buttons(client: FlaskClient, url: str) -> list[str]:
    return re.findall(
        r"<button[^>]*>([^<]*)</button>|<input[^>]*type=\"submit\"[^>]*value=\"([^\"]*)\"",
        client.get(url).get_data(as_text=True),
    )


def test_a_dutch_rename_changes_only_the_dutch_page() -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": ":memory:",
            "RENAMED_LABELS": {"Volgende": "Verder", "Toegangsaanvraag": "Toegang vragen"},
        }
    )
    client = app.test_client()
    dutch = client.get("/csam/registration/?lang=nl").get_data(as_text=True)
    assert ">Verder</button>" in dutch and "Volgende" not in dutch
    assert "Toegang vragen" in client.get("/fr/acces").get_data(as_text=True)
    french = client.get("/csam/registration/?lang=fr").get_data(as_text=True)
    assert ">Suivant</button>" in french and "Verder" not in french
    assert "Demande d'accès" in client.get("/fr/acces").get_data(as_text=True)


def test_a_french_rename_leaves_the_dutch_page_alone() -> None:
    app = create_app({"TESTING": True, "DATABASE": ":memory:", "RENAMED_LABELS": {"Suivant": "Continuer"}})
    client = app.test_client()
    assert ">Continuer</button>" in client.get("/csam/registration/?lang=fr").get_data(as_text=True)
    dutch = client.get("/csam/registration/?lang=nl").get_data(as_text=True)
    assert ">Volgende</button>" in dutch and "Continuer" not in dutch
