"""Site version `current` (today's portal and CSAM, as captured), through Flask's test client.

The portal's access section (its menu, the «ACCÈS SÉCURISÉ» block, the three ways to request access with their
three identical «Enregistrez-vous via le site CSAM» links), today's CSAM page at `/app032/camregistration/`
(login first, «Bienvenue, <name>», «Type d'institution», «Numéro d'institution (8 chiffres)», the
representative check), the confirmation that keeps the rest of the manual's path, and the finalisation page both
versions share. Every refusal is shown on the same page next to its field, with what was typed kept and
`serialisers.export_state` unchanged. The pages are read as a screen reader would: landmarks, accessible names,
labels and the messages tied to fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import login_eid, person_record, project_record, state
from stdnum.be import ssn

from mock_csam import SITE_VERSIONS, create_app
from mock_csam.domain import rules
from mock_csam.domain.models import PENDING_SIGNATURE

INAMI_A, INAMI_B, INAMI_C, INAMI_D = "71000436", "78901184", "75500543", "72000130"
UNKNOWN_INAMI = "82662608"  # valid check digits, no project
ELISE = "85073003328"  # responsable of A, with an e-mail address and a phone number in the records
NOEL = "98472899765"  # gestionnaire de certificat e-Health of A (a BIS number)
BRUNO = "17073003384"  # responsable and active GAP of B
MARC = "92073021194"  # responsable of B too
CHLOE = "90020199704"  # responsable of C, designated, signed document not yet received
DENISE = "79112304630"  # responsable of C too
DIRK = "75031504534"  # responsable of D only, nothing in the records but his name and address
PROJECT_A = "Réseau Santé Liège-Est – Projet de soins intégrés"
NAMES = {
    ELISE: ("Élise", "Dupré-Lefèvre"),
    NOEL: ("Noël", "Lemaître"),
    BRUNO: ("Bruno", "Peeters"),
    MARC: ("Marc", "Dupont"),
    CHLOE: ("Chloé", "Dubois"),
    DENISE: ("Denise", "Martin"),
    DIRK: ("Dirk", "Janssens"),
}

CSAM_PAGE = "/app032/camregistration/?processType=EH_ORGANIZATION&locale=fr"
CONFIRMATION = "/app032/camregistration/confirmation?processType=EH_ORGANIZATION&locale=fr"
GUIDE = "/fr/acces/demande/guide-utilisateur"
CONTACT = {"email": "elise.dupre@reseau-liege.example", "phone": "+32 4 223 45 67"}
SECTION_MENU = [
    ("Accéder au portail eSanté", "/fr/acces"),
    ("eID/Token", "/fr/acces/eid-token"),
    ("Demande d'accès", "/fr/acces/demande"),
    ("Gestion des utilisateurs et des accès", "/fr/acces/gestion"),
    ("Mandats", "/fr/acces/mandats"),
]
SECTIONS = [
    ("Demander l'accès pour votre hôpital", "hopital"),
    ("Demander l'accès pour votre entreprise", "entreprise"),
    ("Demander l'accès en tant qu'institution de soins", "institution-de-soins"),
]
INSTITUTION_TYPES = ["Hôpital", "Institution de soins", "Maison médicale", "Projet de soins intégrés"]
NOT_REPRESENTATIVE = "Vous n'êtes pas reconnu(e) comme représentant de cette institution dans sa source authentique"


@pytest.fixture(autouse=True)
def _identifiers_are_valid() -> None:
    """Every NISS used here really has valid check digits, so refusals come from the rules under test."""
    for niss in NAMES:
        assert ssn.is_valid(niss), niss


# ---------------------------------------------------------------------------------------------------------
# Reading a page as a screen reader does
# ---------------------------------------------------------------------------------------------------------

VOID = {"input", "br", "meta", "link", "img", "hr", "source", "wbr"}
LANDMARKS = {"navigation": "nav", "complementary": "aside", "region": "section", "form": "form"}


@dataclass(eq=False)
class Node:
    """One element of the page, with its attributes, its children (elements and text) and its parent."""

    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed."""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    def all(self, tag: str, **attrs: str) -> list[Node]:
        """The elements inside with this tag and these attribute values."""
        return [n for n in self.iter() if n.tag == tag and all(n.attrs.get(k) == v for k, v in attrs.items())]


class Page:
    """An HTML page: its headings, landmarks, links, fields and messages."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.root = _Builder.parse(html)
        self.by_id = {n.attrs["id"]: n for n in self.root.iter() if "id" in n.attrs}

    @property
    def h1(self) -> list[str]:
        return [n.text for n in self.root.all("h1")]

    @property
    def text(self) -> str:
        return self.root.text

    def name_of(self, node: Node) -> str:
        """The accessible name of a landmark: aria-label, or the text of the element aria-labelledby names."""
        if "aria-label" in node.attrs:
            return node.attrs["aria-label"]
        return " ".join(self.by_id[i].text for i in node.attrs.get("aria-labelledby", "").split())

    def landmark(self, role: str, name: str) -> Node:
        """The one landmark of this role with this accessible name."""
        found = [n for n in self.root.all(LANDMARKS[role]) if self.name_of(n) == name]
        assert len(found) == 1, f"{len(found)} {role} landmarks named {name!r}"
        return found[0]

    def regions(self) -> list[str]:
        """The names of the page's regions (sections with a name), in order."""
        return [self.name_of(n) for n in self.root.all("section") if self.name_of(n)]

    @staticmethod
    def links(within: Node) -> list[tuple[str, str]]:
        """(name, href) of every link inside an element, in order."""
        return [(a.text, a.attrs.get("href", "")) for a in within.all("a")]

    def links_named(self, name: str) -> list[str]:
        """The href of every link of the page with exactly this name."""
        return [href for text, href in self.links(self.main) if text == name]

    @property
    def main(self) -> Node:
        [main] = self.root.all("main")
        return main

    @property
    def buttons(self) -> list[str]:
        """The names of the page's buttons (in <main>)."""
        return [b.text for b in self.main.all("button")]

    def control(self, name: str) -> Node:
        """The input or select with this name."""
        found = [n for n in self.root.iter() if n.tag in ("input", "select") and n.attrs.get("name") == name]
        assert len(found) == 1, f"{len(found)} fields named {name!r}"
        return found[0]

    def value(self, name: str) -> Any:
        """What a field shows: a text input's value, a select's chosen value, whether a checkbox is ticked."""
        node = self.control(name)
        if node.tag == "select":
            chosen = [o.attrs.get("value", "") for o in node.all("option") if "selected" in o.attrs]
            return chosen[0] if chosen else None
        if node.attrs.get("type") == "checkbox":
            return "checked" in node.attrs
        return node.attrs.get("value", "")

    def label(self, name: str) -> str:
        """The text of the label tied to the field with this name."""
        node = self.control(name)
        [label] = [n for n in self.root.all("label") if n.attrs.get("for") == node.attrs.get("id")]
        return label.text

    def options(self, name: str) -> list[tuple[str, str]]:
        """(value, label) of a select's options."""
        return [(o.attrs.get("value", ""), o.text) for o in self.control(name).all("option")]

    def error_for(self, name: str) -> str:
        """The message tied to a field through aria-describedby, checking the field is marked invalid."""
        node = self.control(name)
        assert node.attrs.get("aria-invalid") == "true", f"{name} is not marked invalid"
        ids = [i for i in node.attrs.get("aria-describedby", "").split() if i.endswith("-error")]
        assert ids, f"no message tied to {name}"
        assert all(self.by_id[i].attrs.get("class") == "error" and self.by_id[i].tag == "p" for i in ids)
        return " ".join(self.by_id[i].text for i in ids)

    @property
    def errors(self) -> list[str]:
        """Every message the page shows about the form (next to fields and at the top)."""
        return [n.text for n in self.root.iter() if n.attrs.get("class") in ("error", "errors")]

    @property
    def alerts(self) -> list[str]:
        return [n.text for n in self.root.iter() if n.attrs.get("role") == "alert"]

    @property
    def summary(self) -> dict[str, str]:
        """Every «label : value» of the page's summaries (dt → dd)."""
        pairs: dict[str, str] = {}
        for dl in self.root.all("dl"):
            terms = [n for n in dl.children if isinstance(n, Node)]
            pairs.update({dt.text: dd.text for dt, dd in zip(terms[::2], terms[1::2], strict=True)})
        return pairs


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    @classmethod
    def parse(cls, html: str) -> Node:
        builder = cls()
        builder.feed(html)
        builder.close()
        return builder.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def page(response) -> Page:
    """The page of an HTML response."""
    return Page(response.get_data(as_text=True))


# ---------------------------------------------------------------------------------------------------------
# The seeded world
# ---------------------------------------------------------------------------------------------------------


# Project A's address, as its designation pages show it.
LIEGE = {"street": "Boulevard de la Sauvenière 88", "postal_code": "4000", "city": "Liège"}


def _person(niss: str, role: str = "responsable", **extra: Any) -> dict[str, Any]:
    return person_record(niss, *NAMES[niss], role=role, **extra)


def _project(inami: str, name: str, persons: list[dict[str, Any]]) -> dict[str, Any]:
    return project_record(inami, name, persons, address=LIEGE)


def _gap_data(niss: str) -> dict[str, str]:
    first, last = NAMES[niss]
    return {
        "niss": niss,
        "first_name": first,
        "last_name": last,
        "language": "fr",
        "email": f"{first.lower()}@projet.example",
        "phone": "+32 2 123 45 67",
    }


def make_app(site_version: str = "current", **config: Any) -> Flask:
    """The mock in this site version with projects A (no GAP yet), B (active GAP), C (pending), D (no GAP)."""
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE": ":memory:",
            "SECRET_KEY": "current",
            "SITE_VERSION": site_version,
            **config,
        }
    )
    with app.extensions["csam_store"].transaction() as db:
        rules.record_project(
            db,
            _project(
                INAMI_A,
                PROJECT_A,
                [
                    _person(ELISE, email="elise@records.example", phone="+32 4 111 22 33"),
                    _person(NOEL, role="gestionnaire de certificat e-Health"),
                ],
            ),
        )
        rules.record_project(db, _project(INAMI_B, "Projet Bêta", [_person(BRUNO), _person(MARC)]))
        rules.record_project(db, _project(INAMI_C, "Projet Gamma", [_person(CHLOE), _person(DENISE)]))
        rules.record_project(db, _project(INAMI_D, "Projet Delta", [_person(DIRK)]))
        active = rules.submit_registration(db, rules.PROJECT_TYPE, INAMI_B, _gap_data(BRUNO), False, True)
        rules.receive_signed_document(db, active)
        rules.submit_registration(db, rules.PROJECT_TYPE, INAMI_C, _gap_data(CHLOE), False, True)
    return app


@pytest.fixture
def app() -> Iterator[Flask]:
    """Today's site (CSRF off: its own test is below), with the seeded projects."""
    app = make_app()
    yield app
    app.extensions["csam_store"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """One browser, not logged in."""
    return app.test_client()


def logged_in(app: Flask, niss: str) -> FlaskClient:
    """A browser where this person logged in with the eID card."""
    client = app.test_client()
    assert login_eid(client, niss).status_code == 302
    return client


def choose_institution(client: FlaskClient, inami: str = INAMI_A) -> None:
    """«Projet de soins intégrés» and the project's number, «Enregistrer mon institution dans CSAM»."""
    response = client.post(CSAM_PAGE, data={"institution_type": rules.PROJECT_TYPE, "institution_number": inami})
    assert response.status_code == 302, page(response).errors
    assert response.location == CONFIRMATION


def registrations(app: Flask, inami: str) -> list[dict[str, Any]]:
    """The project's registrations, as the control API shows them."""
    return next(p for p in state(app)["projects"] if p["inami_number"] == inami)["registrations"]


# ---------------------------------------------------------------------------------------------------------
# The portal's access section
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/fr/acces", "/fr/acces/demande"])
def test_access_pages_have_the_section_menu_and_the_secure_access_block(client: FlaskClient, path: str) -> None:
    """The capture's menu (a navigation landmark with its five links) and «ACCÈS SÉCURISÉ» with «S'annoncer»."""
    shown = page(client.get(path))
    menu = shown.landmark("navigation", "Accéder au portail eSanté")
    assert shown.links(menu) == SECTION_MENU
    current = [a.text for a in menu.all("a") if a.attrs.get("aria-current") == "page"]
    assert current == [next(name for name, href in SECTION_MENU if href == path)]
    block = shown.landmark("complementary", "ACCÈS SÉCURISÉ")
    [(name, href)] = shown.links(block)
    assert name == "S'annoncer"
    assert urlsplit(href).path == "/csam/login" and parse_qs(urlsplit(href).query) == {"next": [path]}
    # 2.4 and 3.4 / 4.4 still match one link each, inside <main>, by their exact names.
    assert shown.links_named("Demande d'accès") == ["/fr/acces/demande"]
    assert shown.links_named("Gestion des utilisateurs et des accès") == ["/fr/acces/gestion"]


def test_every_menu_link_leads_to_a_page_of_the_section(client: FlaskClient) -> None:
    """«eID/Token» and «Mandats» have pages of their own; the others lead to the manual's pages."""
    headings = {
        "/fr/acces": "Comment accéder au portail eSanté ?",
        "/fr/acces/eid-token": "eID/Token",
        "/fr/acces/demande": "Demande d'accès",
        "/fr/acces/gestion": "Gestion des utilisateurs et des accès",
        "/fr/acces/mandats": "Mandats",
    }
    for _name, href in SECTION_MENU:
        response = client.get(href)
        assert response.status_code == 200, href
        assert page(response).h1 == [headings[href]]


def test_access_request_page_shows_the_capture_and_three_sections(client: FlaskClient) -> None:
    """Three regions, each named by its h2, each with its own «Enregistrez-vous via le site CSAM» and guide."""
    shown = page(client.get("/fr/acces/demande"))
    assert shown.h1 == ["Demande d'accès"]
    for words in (
        "Les prestataires de soins ne peuvent s'annoncer sur les services sécurisés de eHealth que si "
        "votre entreprise ou votre hôpital",
        "a demandé l'accès aux services en ligne sécurisés de eHealth",
        "a désigné un Gestionnaire d'Accès Principal (Responsable Accès Entité)",
        "La demande doit être introduite par un représentant de votre hôpital.",
    ):
        assert words in shown.text, words
    assert shown.regions() == [title for title, _anchor in SECTIONS]
    for title, anchor in SECTIONS:
        region = shown.landmark("region", title)
        assert [h.text for h in region.all("h2")] == [title]
        assert shown.links(region) == [
            ("Enregistrez-vous via le site CSAM", CSAM_PAGE),
            ("Consultez le guide utilisateur", f"{GUIDE}#{anchor}"),
        ]


def test_the_manuals_link_is_there_three_times_and_leads_to_the_same_csam_page(client: FlaskClient) -> None:
    """2.5 is now ambiguous: three links of that exact name, all to today's CSAM page."""
    shown = page(client.get("/fr/acces/demande"))
    assert shown.links_named("Enregistrez-vous via le site CSAM") == [CSAM_PAGE] * 3
    assert client.get(CSAM_PAGE).status_code == 302  # it exists, and asks for the login first


def test_the_user_guide_covers_each_kind_of_institution(client: FlaskClient) -> None:
    """«Consultez le guide utilisateur» opens the guide at the part of its section."""
    shown = page(client.get(GUIDE))
    assert shown.h1 == ["Guide utilisateur : demande d'accès"]
    for _title, anchor in SECTIONS:
        assert anchor in shown.by_id, anchor


# ---------------------------------------------------------------------------------------------------------
# What each version has and has not
# ---------------------------------------------------------------------------------------------------------


def test_the_site_versions() -> None:
    """Two versions; create_app refuses any other."""
    assert SITE_VERSIONS == ("manual-2018", "current")
    with pytest.raises(ValueError, match="unknown site version"):
        create_app({"SITE_VERSION": "2030"})


@pytest.mark.parametrize(
    "path",
    [
        CSAM_PAGE,
        "/app032/camregistration/",
        CONFIRMATION,
        "/app032/camregistration/aide",
        "/fr/acces/eid-token",
        "/fr/acces/mandats",
        GUIDE,
    ],
)
def test_todays_pages_are_not_found_on_the_manuals_site(path: str) -> None:
    """`manual-2018` has neither today's CSAM page nor the section's new pages, logged in or not."""
    app = make_app("manual-2018")
    for client in (app.test_client(), logged_in(app, ELISE)):
        assert client.get(path).status_code == 404
        if path.startswith("/app032/"):
            assert (
                client.post(
                    path, data={"institution_type": rules.PROJECT_TYPE, "institution_number": INAMI_A}
                ).status_code
                == 404
            )
    app.extensions["csam_store"].dispose()


@pytest.mark.parametrize(
    "path",
    [
        "/csam/registration/",
        "/csam/registration/organisation",
        "/csam/registration/gestionnaire",
        "/csam/registration/confirmation",
    ],
)
def test_the_2018_wizard_is_not_found_on_todays_site(app: Flask, client: FlaskClient, path: str) -> None:
    """Today's CSAM has no such wizard: its pages answer 404, and a POST to them records nothing."""
    before = state(app)
    assert client.get(path).status_code == 404
    with client.session_transaction() as session:
        session["registration"] = {
            "identification_type": rules.PROJECT_TYPE,
            "inami_number": INAMI_A,
            "organisation_confirmed": True,
            "gap": _gap_data(ELISE),
        }
    assert (
        client.post(
            path,
            data={
                "identification_type": rules.PROJECT_TYPE,
                "inami_number": INAMI_A,
                "confirm": "y",
                **_gap_data(ELISE),
            },
        ).status_code
        == 404
    )
    assert state(app) == before


def test_an_unknown_process_is_not_found(app: Flask) -> None:
    """The mock simulates one CSAM process, the organisation's registration."""
    client = logged_in(app, ELISE)
    assert client.get("/app032/camregistration/?processType=EH_CITIZEN&locale=fr").status_code == 404
    # Without a processType the page is the organisation's.
    assert page(client.get("/app032/camregistration/")).h1 == ["Désigner un Gestionnaire d'Accès Principal"]


# ---------------------------------------------------------------------------------------------------------
# Today's CSAM page
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CSAM_PAGE, CONFIRMATION])
def test_csam_pages_need_the_login_and_come_back_after_it(client: FlaskClient, path: str) -> None:
    """Not logged in: the CSAM login, which comes back to the same URL (query included) afterwards."""
    response = client.get(path)
    assert response.status_code == 302
    login = urlsplit(response.location)
    assert login.path == "/csam/login" and parse_qs(login.query) == {"next": [path]}
    assert login_eid(client, ELISE, next_=path).location == path


def test_csam_page_greets_the_person_and_asks_for_the_institution(app: Flask) -> None:
    """The capture's page: header, languages, «Aide», «Bienvenue, <name> | Se déconnecter», the form."""
    response = logged_in(app, ELISE).get(CSAM_PAGE)
    assert response.status_code == 200
    shown = page(response)
    header = shown.root.all("header")[0]
    assert "CSAM Désignation d'un Gestionnaire d'Accès Principal" in header.text
    assert "Bienvenue, Élise Dupré-Lefèvre | Se déconnecter" in header.text
    assert "Connecté :" not in shown.text
    assert [b.text for b in shown.root.all("button") if b.text == "Se déconnecter"] == ["Se déconnecter"]
    languages = shown.landmark("navigation", "Langue")
    assert [name for name, _href in shown.links(languages)] == ["fr", "nl", "de", "en"]
    assert [name for name, _href in shown.links(header) if name == "Aide"] == ["Aide"]
    assert shown.h1 == ["Désigner un Gestionnaire d'Accès Principal"]
    for words in (
        "vous devez enregistrer votre institution de soins dans CSAM",
        "vous aurez accès à la Gestion des Gestionnaires d'Accès (GGA)",
        "vous devez être représentant de votre institution",
        "Consultez INAMI Professionnel si vous n'êtes pas certain",
        "vous désigner vous-même comme Gestionnaire d'Accès Principal",
    ):
        assert words in shown.text, words
    assert shown.label("institution_type") == "Type d'institution"
    assert shown.options("institution_type") == [
        ("", "— Choisissez —"),
        *list(zip(rules.IDENTIFICATION_TYPES, INSTITUTION_TYPES, strict=True)),
    ]
    assert shown.label("institution_number") == "Numéro d'institution (8 chiffres)"
    assert shown.buttons == ["Enregistrer mon institution dans CSAM"]


def test_other_languages_show_the_french_page(app: Flask) -> None:
    """The mock has no German or English catalogue: a URL naming «de» or «en» shows the page in French."""
    client = logged_in(app, ELISE)
    shown = page(client.get(CSAM_PAGE.replace("locale=fr", "locale=de")))
    assert shown.h1 == ["Désigner un Gestionnaire d'Accès Principal"]
    help_page = page(client.get(dict(shown.links(shown.root.all("header")[0]))["Aide"]))
    assert help_page.h1 == ["Aide"]


FIRST_PAGE_REFUSALS = [
    ("type-missing", ELISE, "", INAMI_A, "institution_type", "Choisissez le type d'institution."),
    ("type-forged", ELISE, "banque", INAMI_A, "institution_type", "Choisissez le type d'institution."),
    ("number-missing", ELISE, rules.PROJECT_TYPE, "", "institution_number", "Le numéro d'institution est obligatoire."),
    (
        "number-7-digits",
        ELISE,
        rules.PROJECT_TYPE,
        "7100043",
        "institution_number",
        "Le numéro d'institution doit compter exactement 8 chiffres.",
    ),
    (
        "number-letters",
        ELISE,
        rules.PROJECT_TYPE,
        "7100043A",
        "institution_number",
        "Le numéro d'institution doit compter exactement 8 chiffres.",
    ),
    (
        "number-check-digits",
        ELISE,
        rules.PROJECT_TYPE,
        "71000437",
        "institution_number",
        "Ce numéro d'institution n'est pas valable : les chiffres de contrôle ne correspondent pas.",
    ),
    (
        "number-unknown",
        ELISE,
        rules.PROJECT_TYPE,
        UNKNOWN_INAMI,
        "institution_number",
        "Aucune institution n'est enregistrée sous ce numéro dans sa source authentique",
    ),
    (
        "type-not-matching-the-number",
        ELISE,
        "hopital",
        INAMI_A,
        "institution_type",
        "Aucune institution de type « Hôpital » ne porte ce numéro.",
    ),
    (
        "certificate-manager-not-representative",
        NOEL,
        rules.PROJECT_TYPE,
        INAMI_A,
        "institution_number",
        NOT_REPRESENTATIVE,
    ),
    (
        "responsable-of-another-project-only",
        ELISE,
        rules.PROJECT_TYPE,
        INAMI_D,
        "institution_number",
        NOT_REPRESENTATIVE,
    ),
    (
        "project-with-a-gap",
        MARC,
        rules.PROJECT_TYPE,
        INAMI_B,
        "institution_number",
        "Cette organisation a déjà un Gestionnaire d'Accès Principal.",
    ),
    (
        "pending-registration",
        DENISE,
        rules.PROJECT_TYPE,
        INAMI_C,
        "institution_number",
        "Une demande de désignation est déjà en attente du document signé pour cette organisation",
    ),
]


@pytest.mark.parametrize(
    ("who", "kind", "number", "field_name", "message"),
    [r[1:] for r in FIRST_PAGE_REFUSALS],
    ids=[r[0] for r in FIRST_PAGE_REFUSALS],
)
def test_csam_page_refusals(app: Flask, who: str, kind: str, number: str, field_name: str, message: str) -> None:
    """Refused: the message next to its field on the same page, what was typed kept, nothing saved."""
    client = logged_in(app, who)
    before = state(app)
    response = client.post(CSAM_PAGE, data={"institution_type": kind, "institution_number": number})
    assert response.status_code == 200
    shown = page(response)
    assert shown.h1 == ["Désigner un Gestionnaire d'Accès Principal"]
    assert message in shown.error_for(field_name)
    assert shown.value("institution_number") == number
    if kind in rules.IDENTIFICATION_TYPES:
        assert shown.value("institution_type") == kind
    assert "Bienvenue, " + " ".join(NAMES[who]) in shown.text
    assert state(app) == before
    assert client.get(CONFIRMATION).status_code == 302, "the confirmation is not reached"


def test_the_representative_check_names_the_authentic_source(app: Flask) -> None:
    """Someone INAMI did not record as «responsable» is told why, in French, and where to check."""
    shown = page(
        logged_in(app, NOEL).post(
            CSAM_PAGE, data={"institution_type": rules.PROJECT_TYPE, "institution_number": INAMI_A}
        )
    )
    message = shown.error_for("institution_number")
    for words in ("représentant", "« responsable »", "application SZV", "INAMI Professionnel"):
        assert words in message, words


# ---------------------------------------------------------------------------------------------------------
# The confirmation (the capture is silent after the button) and the finalisation
# ---------------------------------------------------------------------------------------------------------


def test_confirmation_summarises_the_institution_and_the_person_as_gap(app: Flask) -> None:
    """The organisation, the logged-in person as GAP (from the records), the contact prefilled, 2.10, 2.11."""
    client = logged_in(app, ELISE)
    choose_institution(client)
    shown = page(client.get(CONFIRMATION))
    assert shown.h1 == ["Confirmez la demande"]
    assert shown.summary == {
        "Type d'institution": "Projet de soins intégrés",
        "Dénomination": PROJECT_A,
        "N°INAMI": INAMI_A,
        "Adresse": "Boulevard de la Sauvenière 88, 4000 Liège",
        "Nom": "Dupré-Lefèvre",
        "Prénom": "Élise",
        "NISS": ELISE,
    }
    assert shown.label("email") == "Adresse e-mail" and shown.value("email") == "elise@records.example"
    assert shown.label("phone") == "Numéro de téléphone" and shown.value("phone") == "+32 4 111 22 33"
    assert shown.label("credentials_by_post") == (
        "Je souhaite recevoir un nom d'utilisateur et un mot de passe par la poste"
    )
    assert (
        "Si vous avez un problème avec l'utilisation de la carte e-ID, vous pouvez choisir de recevoir un nom "
        "d'utilisateur et un mot de passe. Ils vous seront envoyés par la poste endéans les 5 jours "
        "ouvrables."
    ) in shown.text
    assert shown.label("confirm") == "oui, je confirme"
    assert shown.value("confirm") is False
    assert shown.buttons[-1] == "Enregistrer"
    assert shown.links_named("Précédent") == [CSAM_PAGE]
    assert registrations(app, INAMI_A) == [], "nothing stored before «Enregistrer»"


def test_contact_fields_are_empty_when_the_records_have_none(app: Flask) -> None:
    client = logged_in(app, DIRK)
    choose_institution(client, INAMI_D)
    shown = page(client.get(CONFIRMATION))
    assert shown.value("email") == "" and shown.value("phone") == ""


def test_previous_keeps_the_institution_chosen(app: Flask) -> None:
    """«Précédent» shows the first page again with the type and number filled in."""
    client = logged_in(app, ELISE)
    choose_institution(client)
    shown = page(client.get(CSAM_PAGE))
    assert shown.value("institution_type") == rules.PROJECT_TYPE
    assert shown.value("institution_number") == INAMI_A


def test_registering_from_the_portal_ends_on_the_finalisation_page(app: Flask, client: FlaskClient) -> None:
    """The whole path: portal link, login, institution, confirmation, «Enregistrer» → the shared finalisation;
    the request waits for the signed document and names the logged-in person as GAP."""
    links = page(client.get("/fr/acces/demande")).links_named("Enregistrez-vous via le site CSAM")
    response = client.get(links[2])  # «Demander l'accès en tant qu'institution de soins»
    assert login_eid(client, ELISE, next_=parse_qs(urlsplit(response.location).query)["next"][0]).location == CSAM_PAGE
    choose_institution(client)
    response = client.post(CONFIRMATION, data={**CONTACT, "credentials_by_post": "y", "confirm": "y"})
    assert response.status_code == 302
    [stored] = registrations(app, INAMI_A)
    assert stored["gap_niss"] == ELISE
    assert stored["status"] == PENDING_SIGNATURE
    assert (stored["email"], stored["phone"]) == (CONTACT["email"], CONTACT["phone"])
    assert stored["credentials_by_post"] is True
    assert response.location == f"/csam/registration/{stored['request_number']}/finalisation"
    project = next(p for p in state(app)["projects"] if p["inami_number"] == INAMI_A)
    assert project["access_managers"] == [], "the GAP is active only once the signed document is received"

    shown = page(client.get(response.location))
    assert shown.h1 == ["Finalisez la demande"]
    assert f"Numéro de la demande : {stored['request_number']}" in shown.text
    assert "En attente du document signé" in shown.text
    document = client.get(shown.links_named("Télécharger le document")[0])
    assert document.status_code == 200 and document.data.startswith(b"%PDF")

    with app.extensions["csam_store"].transaction() as db:
        rules.receive_signed_document(db, rules.registration_by_ref(db, stored["request_number"]))
    assert "Statut : Active" in page(client.get(response.location)).text
    project = next(p for p in state(app)["projects"] if p["inami_number"] == INAMI_A)
    assert project["access_managers"] == [{"niss": ELISE, "kind": "gap"}]


CONFIRMATION_REFUSALS = [
    (
        "confirm-not-ticked",
        {"confirm": None},
        "confirm",
        "Cochez la case « oui, je confirme » pour enregistrer la demande.",
    ),
    ("email-missing", {"email": ""}, "email", "L'adresse e-mail est obligatoire."),
    ("email-invalid", {"email": "elise.dupre@"}, "email", "L'adresse e-mail n'est pas valable"),
    ("phone-missing", {"phone": " "}, "phone", "Le numéro de téléphone est obligatoire."),
    ("phone-invalid", {"phone": "abc"}, "phone", "Le numéro de téléphone n'est pas valable"),
]


@pytest.mark.parametrize(
    ("changes", "field_name", "message"),
    [r[1:] for r in CONFIRMATION_REFUSALS],
    ids=[r[0] for r in CONFIRMATION_REFUSALS],
)
def test_confirmation_refusals(app: Flask, changes: dict[str, Any], field_name: str, message: str) -> None:
    """Refused «Enregistrer»: the message next to its field, the typed values and ticks kept, nothing saved;
    the answers survive, so putting things right then succeeds."""
    client = logged_in(app, ELISE)
    choose_institution(client)
    before = state(app)
    sent = {
        k: v for k, v in {**CONTACT, "credentials_by_post": "y", "confirm": "y", **changes}.items() if v is not None
    }
    response = client.post(CONFIRMATION, data=sent)
    assert response.status_code == 200
    shown = page(response)
    assert shown.h1 == ["Confirmez la demande"]
    assert message in shown.error_for(field_name)
    assert shown.value("email") == sent["email"] and shown.value("phone") == sent["phone"]
    assert shown.value("credentials_by_post") is True
    assert shown.summary["Dénomination"] == PROJECT_A
    assert state(app) == before
    assert client.post(CONFIRMATION, data={**CONTACT, "confirm": "y"}).status_code == 302
    assert len(registrations(app, INAMI_A)) == 1


def test_a_designation_made_meanwhile_is_refused_on_the_confirmation_page(app: Flask) -> None:
    """Two browsers at the confirmation: the second «Enregistrer» is refused with the reason at the top."""
    first, second = logged_in(app, ELISE), logged_in(app, ELISE)
    choose_institution(first)
    choose_institution(second)
    assert first.post(CONFIRMATION, data={**CONTACT, "confirm": "y"}).status_code == 302
    before = state(app)
    response = second.post(CONFIRMATION, data={**CONTACT, "confirm": "y"})
    assert response.status_code == 200
    shown = page(response)
    assert any("déjà en attente du document signé" in alert for alert in shown.alerts)
    assert shown.value("email") == CONTACT["email"]
    assert state(app) == before


def test_enregistrer_sent_twice_records_one_request(app: Flask) -> None:
    """A double click: the second request, sent with the same cookie, gets the first one's request."""
    client = logged_in(app, ELISE)
    choose_institution(client)
    cookie = client.get_cookie("session").value
    first = client.post(CONFIRMATION, data={**CONTACT, "confirm": "y"})
    client.set_cookie("session", cookie)
    second = client.post(CONFIRMATION, data={**CONTACT, "confirm": "y"})
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert len(registrations(app, INAMI_A)) == 1


def test_the_answers_belong_to_the_login_that_gave_them(app: Flask) -> None:
    """A new login starts afresh; a draft planted for someone else is checked again for who is logged in."""
    client = logged_in(app, ELISE)
    choose_institution(client)
    assert login_eid(client, NOEL).status_code == 302
    response = client.get(CONFIRMATION)
    assert response.status_code == 302 and response.location == CSAM_PAGE

    with client.session_transaction() as session:
        session["registration"] = {"identification_type": rules.PROJECT_TYPE, "inami_number": INAMI_A}
    before = state(app)
    response = client.get(CONFIRMATION)
    assert response.status_code == 302 and response.location == CSAM_PAGE
    assert NOT_REPRESENTATIVE in page(client.get(CSAM_PAGE)).text, "flashed on the first page"
    response = client.post(CONFIRMATION, data={**CONTACT, "confirm": "y"})
    assert response.status_code == 200
    assert any(NOT_REPRESENTATIVE in alert for alert in page(response).alerts)
    assert state(app) == before


def test_logout_from_the_greeting_ends_the_session(app: Flask) -> None:
    """«Se déconnecter» next to «Bienvenue» logs out; the page then asks for the login again."""
    client = logged_in(app, ELISE)
    response = client.post("/csam/logout")
    assert response.status_code == 302
    assert client.get(CSAM_PAGE).status_code == 302


def test_typed_markup_is_shown_as_text(app: Flask) -> None:
    payload = '"><script>alert(1)</script>'
    client = logged_in(app, ELISE)
    html = client.post(
        CSAM_PAGE, data={"institution_type": rules.PROJECT_TYPE, "institution_number": payload}
    ).get_data(as_text=True)
    assert payload not in html and "&lt;script&gt;" in html


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token a page hands out in its forms."""
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'<input[^>]*name="[\w-]*csrf_token"[^>]*value="([^"]+)"', html)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def test_every_form_refuses_a_post_without_the_csrf_token() -> None:
    """With CSRF on (as served), both forms refuse a POST without the token and save nothing."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token(client, "/csam/login")
    assert (
        client.post(
            "/csam/login", data={"csrf_token": token, "eid-niss": ELISE, "eid-pin": "1234", "eid-submit": "x"}
        ).status_code
        == 302
    )
    with client.session_transaction() as session:
        session["registration"] = {
            "identification_type": rules.PROJECT_TYPE,
            "inami_number": INAMI_A,
            "submission": "s",
        }
    before = state(app)
    for path, data in (
        (CSAM_PAGE, {"institution_type": rules.PROJECT_TYPE, "institution_number": INAMI_A}),
        (CONFIRMATION, {**CONTACT, "confirm": "y"}),
    ):
        for extra in ({}, {"csrf_token": "forged"}):
            response = client.post(path, data={**data, **extra})
            assert response.status_code == 400, path
            assert page(response).h1 == ["Formulaire expiré"]
    assert state(app) == before
    token = csrf_token(client, CONFIRMATION)
    assert client.post(CONFIRMATION, data={**CONTACT, "confirm": "y", "csrf_token": token}).status_code == 302
    app.extensions["csam_store"].dispose()
