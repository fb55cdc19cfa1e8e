"""The eHealth portal's links and the CSAM registration wizard (step 2), through Flask's test client."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from mock_csam import create_app
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.models import ACTIVE, PENDING_SIGNATURE, Registration
from mock_csam.registration import document

RESPONSABLE = {"niss": "85073003328", "first_name": "Élise", "last_name": "Dupré-Lefèvre"}
CERTIFICATE_MANAGER_NISS = "98472899765"  # a BIS number
OUTSIDER_NISS = "17073003384"  # valid (born 2017) but unknown to the project
PROJECT_NAME = "Réseau Santé Liège-Est – Projet de soins intégrés"
UNKNOWN_INAMI = "75500543"


def _person(niss: str, first: str, last: str, role: str, sex: str = "F") -> dict[str, Any]:
    return {
        "niss": niss,
        "first_name": first,
        "last_name": last,
        "language": "fr",
        "sex": sex,
        "szv_role": role,
        "address": {"street": "Rue Féronstrée 12", "postal_code": "4000", "city": "Liège"},
    }


def _project(inami: str, name: str) -> dict[str, Any]:
    return {
        "inami_number": inami,
        "name": name,
        "address": {"street": "Boulevard de la Sauvenière 88", "postal_code": "4000", "city": "Liège"},
        "persons": [
            _person(RESPONSABLE["niss"], RESPONSABLE["first_name"], RESPONSABLE["last_name"], "responsable"),
            _person(CERTIFICATE_MANAGER_NISS, "Noël", "Lemaître", "gestionnaire de certificat e-Health", "M"),
        ],
    }


GAP_DATA = {
    "niss": RESPONSABLE["niss"],
    "last_name": RESPONSABLE["last_name"],
    "first_name": RESPONSABLE["first_name"],
    "email": "elise.dupre@reseau-liege.example",
    "phone": "+32 4 223 45 67",
    "language": "fr",
}


# ---------------------------------------------------------------------------------------------------------
# Reading pages as a person (and a screen reader) would
# ---------------------------------------------------------------------------------------------------------

VOID = {"input", "br", "meta", "link", "img", "hr", "source", "wbr"}


@dataclass
class Page:
    """What a test needs from an HTML page: headings, links, fields, messages."""

    h1: list[str] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts_by_id: dict[str, str] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def link(self, name: str) -> dict[str, Any]:
        """The one link with this accessible name; fails when there is none or several."""
        found = [a for a in self.links if a["name"] == name]
        assert len(found) == 1, f"{len(found)} links named {name!r}: {[a['name'] for a in self.links]}"
        return found[0]

    def error_for(self, name: str) -> str:
        """The message tied to a field through aria-describedby, checking the field is marked invalid."""
        attrs = self.fields[name]
        assert attrs.get("aria-invalid") == "true", f"{name} is not marked invalid"
        ids = (attrs.get("aria-describedby") or "").split()
        messages = [self.texts_by_id[i] for i in ids if i.endswith("-error")]
        assert messages, f"no message tied to {name}"
        return " ".join(messages)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict[str, Any], list[str]]] = []
        self.select: str | None = None
        self.all_text: list[str] = []
        self.last_dt: str | None = None

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            value = ("checked" in attrs) if kind == "checkbox" else attrs.get("value", "")
            self.page.fields[attrs["name"]] = dict(attrs, value=value)
        if tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.page.fields[self.select] = dict(attrs, value=None)
        if tag == "option" and self.select and "selected" in attrs:
            self.page.fields[self.select]["value"] = attrs.get("value", "")
        if tag not in VOID:
            self.stack.append((tag, attrs, []))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        while self.stack:
            open_tag, attrs, parts = self.stack.pop()
            text = re.sub(r"\s+", " ", "".join(parts)).strip()
            classes = [c for _t, a, _p in self.stack for c in a.get("class", "").split()]
            if open_tag == "h1":
                self.page.h1.append(text)
            elif open_tag == "a":
                self.page.links.append({"name": text, "href": attrs.get("href"), "ancestor_classes": classes})
            elif open_tag == "dt":
                self.last_dt = text
            elif open_tag == "dd" and self.last_dt is not None:
                self.page.summary[self.last_dt] = text
            if attrs.get("id"):
                self.page.texts_by_id[attrs["id"]] = text
            if attrs.get("role") == "alert":
                self.page.alerts.append(text)
            if attrs.get("role") == "status":
                self.page.statuses.append(text)
            if open_tag == tag:
                break

    def handle_data(self, data):
        self.all_text.append(data)
        for _t, _a, parts in self.stack:
            parts.append(data)


def parse(response) -> Page:
    """The page of an HTML response."""
    parser = _Parser()
    parser.feed(response.get_data(as_text=True))
    parser.close()
    parser.page.text = re.sub(r"\s+", " ", "".join(parser.all_text))
    return parser.page


# ---------------------------------------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def app():
    """A mock with an in-memory database and one recorded project (CSRF off: the token has its own test)."""
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": ":memory:"})
    with app.extensions["csam_store"].transaction() as db:
        rules.record_project(db, _project("71000436", PROJECT_NAME))
    return app


@pytest.fixture
def client(app):
    """One browser."""
    return app.test_client()


def registrations(app) -> list[dict[str, Any]]:
    """Every stored registration, as the control API shows it."""
    with app.extensions["csam_store"].transaction() as db:
        return [serialisers.registration_json(r) for r in db.scalars(select(Registration).order_by(Registration.id))]


def count_registrations(app) -> int:
    """How many registrations are stored."""
    with app.extensions["csam_store"].transaction() as db:
        return db.scalar(select(func.count(Registration.id)))


def fill_until_confirmation(client, inami: str = "71000436", gap: dict[str, str] | None = None) -> Page:
    """Steps 2.6-2.9 with valid answers; returns the confirmation page."""
    response = client.post(
        "/csam/registration/", data={"identification_type": "projet_soins_integres", "inami_number": inami}
    )
    assert response.status_code == 302 and response.location.endswith("/csam/registration/organisation")
    response = client.post("/csam/registration/organisation")
    assert response.status_code == 302 and response.location.endswith("/csam/registration/gestionnaire")
    response = client.post("/csam/registration/gestionnaire", data=gap or GAP_DATA)
    assert response.status_code == 302 and response.location.endswith("/csam/registration/confirmation")
    response = client.get("/csam/registration/confirmation")
    assert response.status_code == 200
    return parse(response)


def register(client, **confirm_data) -> str:
    """The whole wizard; returns the request number shown on the finalisation page."""
    fill_until_confirmation(client)
    response = client.post("/csam/registration/confirmation", data={"confirm": "y", **confirm_data})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/csam/registration/(CSAM-\d{4}-\d{6})/finalisation$", response.location)
    assert match, response.location
    return match.group(1)


# ---------------------------------------------------------------------------------------------------------
# Portal
# ---------------------------------------------------------------------------------------------------------

PORTAL = [
    (
        "/",
        "Portail eSanté",
        {
            "Citoyens": "/fr/citoyens",
            "Professionnels de la santé": "/fr/professionnels",
            "Institutions": "/fr/institutions",
        },
    ),
    ("/fr/professionnels", "Professionnels de la santé", {"Comment accéder au portail eSanté ?": "/fr/acces"}),
    (
        "/fr/acces",
        "Comment accéder au portail eSanté ?",
        {"Demande d'accès": "/fr/acces/demande", "Gestion des utilisateurs et des accès": "/fr/acces/gestion"},
    ),
    ("/fr/acces/demande", "Demande d'accès", {"Enregistrez-vous via le site CSAM": "/csam/registration/"}),
    (
        "/fr/acces/gestion",
        "Gestion des utilisateurs et des accès",
        {"Gestion d'accès pour Entreprises et Organisations": "/fr/acces/gestion/entreprises"},
    ),
    (
        "/fr/acces/gestion/entreprises",
        "Gestion d'accès pour Entreprises et Organisations",
        {"Accéder à l'application": "/csam/access/"},
    ),
]


@pytest.mark.parametrize(("path", "heading", "links"), PORTAL, ids=[p[0] for p in PORTAL])
def test_portal_page_has_its_heading_and_the_manuals_links(client, path, heading, links):
    """Each portal page has its one <h1> and each link the manual names, unique even as a partial name."""
    response = client.get(path)
    assert response.status_code == 200
    page = parse(response)
    assert page.h1 == [heading]
    for name, target in links.items():
        assert page.link(name)["href"] == target
        # Playwright matches names by substring unless told otherwise: no other link may contain this one.
        containing = [a["name"] for a in page.links if name.lower() in a["name"].lower()]
        assert containing == [name]


@pytest.mark.parametrize(("path", "heading", "links"), PORTAL[:-1], ids=[p[0] for p in PORTAL[:-1]])
def test_portal_links_lead_to_the_next_page_of_the_manual(client, path, heading, links):
    """Following each link reaches a page that exists (the next one of the manual's path)."""
    for target in links.values():
        response = client.get(target)
        assert response.status_code == 200, target
        assert len(parse(response).h1) == 1


def test_access_link_sits_at_the_bottom_right_of_the_professionals_page(client):
    """2.3: «Comment accéder au portail eSanté ?» is in the bottom-right container."""
    page = parse(client.get("/fr/professionnels"))
    assert "bottom-right" in page.link("Comment accéder au portail eSanté ?")["ancestor_classes"]


def test_registration_pages_are_csam_pages(client):
    """The registration wizard shows the CSAM header, not the portal's."""
    html = client.get("/csam/registration/").get_data(as_text=True)
    assert '<body class="csam">' in html
    assert "CSAM – Gestion des accès" in html
    assert "<title>Désignation d'un Gestionnaire d'Accès Principal – CSAM</title>" in html.replace("&#39;", "'")


# ---------------------------------------------------------------------------------------------------------
# The wizard
# ---------------------------------------------------------------------------------------------------------


def test_first_step_offers_the_identification_types(client):
    """2.6-2.7: the select starts with «— Choisissez —» and offers «Projet de soins intégrés»."""
    html = client.get("/csam/registration/").get_data(as_text=True)
    page = parse(client.get("/csam/registration/"))
    assert page.h1 == ["Désignation d'un Gestionnaire d'Accès Principal"]
    options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', html)
    assert options[0] == ("", "— Choisissez —")
    assert [label for _v, label in options[1:]] == [
        "Hôpital",
        "Institution de soins",
        "Maison médicale",
        "Projet de soins intégrés",
    ]
    assert re.search(r'<label for="inami_number">N°INAMI</label>', html)
    assert re.search(r'<label for="identification_type">Type d&#39;identification</label>', html)


def test_full_wizard_stores_a_pending_registration_with_the_typed_data(app, client):
    """2.6-2.11: every step in turn; «Enregistrer» stores one registration waiting for the signed document."""
    response = client.post(
        "/csam/registration/", data={"identification_type": "projet_soins_integres", "inami_number": "710.004.36"}
    )
    assert response.status_code == 302
    page = parse(client.get("/csam/registration/organisation"))
    assert page.h1 == ["Données de l'organisation"]
    assert page.summary == {
        "Dénomination": PROJECT_NAME,
        "N°INAMI": "71000436",
        "Adresse": "Boulevard de la Sauvenière 88, 4000 Liège",
    }
    assert page.link("Précédent")["href"] == "/csam/registration/"
    assert client.post("/csam/registration/organisation").status_code == 302

    page = parse(client.get("/csam/registration/gestionnaire"))
    assert page.h1 == ["Gestionnaire d'Accès Principal"]
    assert page.fields["language"]["value"] == "fr"
    response = client.post("/csam/registration/gestionnaire", data=dict(GAP_DATA, niss="85.07.30-033.28"))
    assert response.status_code == 302
    assert count_registrations(app) == 0  # nothing stored before «Enregistrer»

    page = parse(client.get("/csam/registration/confirmation"))
    assert page.h1 == ["Confirmez la demande"]
    assert page.summary["Dénomination"] == PROJECT_NAME
    assert page.summary["NISS"] == "85073003328"
    assert page.summary["Adresse e-mail"] == GAP_DATA["email"]
    assert page.summary["Langue"] == "Français"
    assert "par la poste endéans les 5 jours ouvrables" in page.text
    assert page.fields["confirm"]["value"] is False

    response = client.post("/csam/registration/confirmation", data={"confirm": "y", "credentials_by_post": "y"})
    assert response.status_code == 302
    [stored] = registrations(app)
    assert stored["inami_number"] == "71000436"
    assert stored["gap_niss"] == "85073003328"
    assert stored["email"] == GAP_DATA["email"]
    assert stored["phone"] == GAP_DATA["phone"]
    assert stored["credentials_by_post"] is True
    assert stored["status"] == PENDING_SIGNATURE
    assert response.location.endswith(f"/csam/registration/{stored['request_number']}/finalisation")

    page = parse(client.get(response.location))
    assert page.h1 == ["Finalisez la demande"]
    assert f"Numéro de la demande : {stored['request_number']}" in page.text
    assert "En attente du document signé" in page.text
    assert page.link("Télécharger le document")["href"].endswith(f"/{stored['request_number']}/document.pdf")
    assert {"Signature électronique", "Signature manuelle"} <= set(page.texts_by_id.values())
    assert "enregistrement@csam.ehealth.example" in page.text
    assert "eHealth – CSAM, Quai de Willebroeck 38, 1000 Bruxelles" in page.text


def test_after_registering_the_draft_is_gone(client):
    """Once «Enregistrer» succeeded, the wizard starts afresh."""
    register(client)
    page = parse(client.get("/csam/registration/"))
    assert page.fields["inami_number"]["value"] == ""
    assert client.get("/csam/registration/confirmation").status_code == 302


def test_previous_links_keep_what_was_typed(client):
    """«Précédent» goes back to the earlier steps with the answers still filled in."""
    page = fill_until_confirmation(client)
    assert page.link("Précédent")["href"] == "/csam/registration/gestionnaire"
    page = parse(client.get("/csam/registration/gestionnaire"))
    for name in ("niss", "last_name", "first_name", "email", "phone", "language"):
        assert page.fields[name]["value"] == GAP_DATA[name], name
    assert page.link("Précédent")["href"] == "/csam/registration/organisation"
    page = parse(client.get("/csam/registration/"))
    assert page.fields["identification_type"]["value"] == "projet_soins_integres"
    assert page.fields["inami_number"]["value"] == "71000436"
    # Going forward again with the same organisation keeps the GAP's data.
    client.post(
        "/csam/registration/", data={"identification_type": "projet_soins_integres", "inami_number": "71000436"}
    )
    assert parse(client.get("/csam/registration/gestionnaire")).fields["email"]["value"] == GAP_DATA["email"]


def test_another_organisation_drops_the_answers_given_for_the_first(app, client):
    """Choosing another organisation at the first step asks again for its organisation check and GAP."""
    with app.extensions["csam_store"].transaction() as db:
        rules.record_project(db, _project("78901184", "Projet Bruxelles-Nord"))
    fill_until_confirmation(client)
    client.post(
        "/csam/registration/", data={"identification_type": "projet_soins_integres", "inami_number": "78901184"}
    )
    assert client.get("/csam/registration/confirmation").status_code == 302
    assert client.get("/csam/registration/gestionnaire").status_code == 302


@pytest.mark.parametrize(
    "path", ["/csam/registration/organisation", "/csam/registration/gestionnaire", "/csam/registration/confirmation"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_skipping_steps_leads_back_to_the_first_step(app, client, path, method):
    """A later step without the earlier ones redirects to the first step with a message; nothing is stored."""
    response = getattr(client, method)(path, data={"confirm": "y"})
    assert response.status_code == 302 and response.location.endswith("/csam/registration/")
    page = parse(client.get(response.location))
    assert any("étapes précédentes" in s for s in page.statuses)
    assert count_registrations(app) == 0


def test_gap_step_needs_the_organisation_checked(client):
    """Typing the INAMI number is not enough to reach the GAP step: the organisation must be checked."""
    client.post(
        "/csam/registration/", data={"identification_type": "projet_soins_integres", "inami_number": "71000436"}
    )
    response = client.get("/csam/registration/gestionnaire")
    assert response.status_code == 302 and response.location.endswith("/csam/registration/")


# ---------------------------------------------------------------------------------------------------------
# Rejections: the message on the same page, what was typed kept, nothing stored
# ---------------------------------------------------------------------------------------------------------


def _with_active_gap(app, inami: str) -> None:
    with app.extensions["csam_store"].transaction() as db:
        rules.record_project(db, _project(inami, "Projet avec GAP"))
        registration = rules.submit_registration(db, "projet_soins_integres", inami, GAP_DATA, False, True)
        rules.receive_signed_document(db, registration)


def _with_pending(app, inami: str) -> None:
    with app.extensions["csam_store"].transaction() as db:
        rules.record_project(db, _project(inami, "Projet en attente"))
        rules.submit_registration(db, "projet_soins_integres", inami, GAP_DATA, False, True)


FIRST_STEP_REJECTIONS = [
    ("type-missing", None, "", "71000436", "identification_type", "Choisissez le type d'identification."),
    ("inami-missing", None, "projet_soins_integres", "", "inami_number", "Le N°INAMI est obligatoire."),
    (
        "inami-7-digits",
        None,
        "projet_soins_integres",
        "7100043",
        "inami_number",
        "Le N°INAMI doit compter exactement 8 chiffres.",
    ),
    (
        "inami-letters",
        None,
        "projet_soins_integres",
        "7100043A",
        "inami_number",
        "Le N°INAMI doit compter exactement 8 chiffres.",
    ),
    (
        "inami-check-digits",
        None,
        "projet_soins_integres",
        "71000437",
        "inami_number",
        "les chiffres de contrôle ne correspondent pas",
    ),
    (
        "inami-unknown",
        None,
        "projet_soins_integres",
        UNKNOWN_INAMI,
        "inami_number",
        "Aucun projet n'est enregistré sous ce N°INAMI",
    ),
    (
        "wrong-type",
        None,
        "hopital",
        "71000436",
        "identification_type",
        "Aucune organisation de type « Hôpital » ne porte ce N°INAMI.",
    ),
    ("type-forged", None, "banque", "71000436", "identification_type", "Choisissez le type d'identification."),
    (
        "has-gap",
        _with_active_gap,
        "projet_soins_integres",
        "82662608",
        "inami_number",
        "a déjà un Gestionnaire d'Accès Principal",
    ),
    (
        "pending",
        _with_pending,
        "projet_soins_integres",
        "78901184",
        "inami_number",
        "déjà en attente du document signé",
    ),
]


@pytest.mark.parametrize(
    ("setup", "kind", "inami", "field_name", "message"),
    [r[1:] for r in FIRST_STEP_REJECTIONS],
    ids=[r[0] for r in FIRST_STEP_REJECTIONS],
)
def test_first_step_rejections(app, client, setup, kind, inami, field_name, message):
    """2.6-2.7 refused: the French message under its field, the typed values kept, the wizard not advanced."""
    if setup:
        setup(app, inami)
    before = registrations(app)
    response = client.post("/csam/registration/", data={"identification_type": kind, "inami_number": inami})
    assert response.status_code == 200
    page = parse(response)
    assert page.h1 == ["Désignation d'un Gestionnaire d'Accès Principal"]
    assert message in page.error_for(field_name)
    assert page.fields["inami_number"]["value"] == inami
    if kind in ("projet_soins_integres", "hopital"):
        assert page.fields["identification_type"]["value"] == kind
    assert registrations(app) == before
    assert client.get("/csam/registration/organisation").status_code == 302


GAP_REJECTIONS = [
    ("niss-invalid", {"niss": "12345678901"}, "niss", "les chiffres de contrôle ne correspondent pas"),
    ("niss-short", {"niss": "8507300332"}, "niss", "Le NISS doit compter 11 chiffres."),
    ("niss-missing", {"niss": ""}, "niss", "Le NISS est obligatoire."),
    ("niss-certificate-manager", {"niss": CERTIFICATE_MANAGER_NISS}, "niss", "n'est pas « responsable » de ce projet"),
    ("niss-outsider", {"niss": OUTSIDER_NISS}, "niss", "n'est pas « responsable » de ce projet"),
    ("email-invalid", {"email": "elise.dupre@"}, "email", "L'adresse e-mail n'est pas valable"),
    ("email-missing", {"email": ""}, "email", "L'adresse e-mail est obligatoire."),
    ("phone-invalid", {"phone": "abc"}, "phone", "Le numéro de téléphone n'est pas valable"),
    ("last-name-missing", {"last_name": "  "}, "last_name", "Le champ « Nom » est obligatoire."),
    ("language-forged", {"language": "xx"}, "language", "Choisissez une langue"),
]


@pytest.mark.parametrize(
    ("changes", "field_name", "message"), [r[1:] for r in GAP_REJECTIONS], ids=[r[0] for r in GAP_REJECTIONS]
)
def test_gap_step_rejections(app, client, changes, field_name, message):
    """2.9 refused: the French message under its field, every typed value kept, the wizard not advanced."""
    client.post(
        "/csam/registration/", data={"identification_type": "projet_soins_integres", "inami_number": "71000436"}
    )
    client.post("/csam/registration/organisation")
    typed = dict(GAP_DATA, **changes)
    response = client.post("/csam/registration/gestionnaire", data=typed)
    assert response.status_code == 200
    page = parse(response)
    assert page.h1 == ["Gestionnaire d'Accès Principal"]
    assert message in page.error_for(field_name)
    for name in ("niss", "last_name", "first_name", "email", "phone"):
        assert page.fields[name]["value"] == typed[name], name
    assert count_registrations(app) == 0
    assert client.get("/csam/registration/confirmation").status_code == 302


def test_unticked_confirmation_is_refused_and_stores_nothing(app, client):
    """2.11: without «oui, je confirme» the page says so, keeps the other tick and stores nothing."""
    fill_until_confirmation(client)
    response = client.post("/csam/registration/confirmation", data={"credentials_by_post": "y"})
    assert response.status_code == 200
    page = parse(response)
    assert page.h1 == ["Confirmez la demande"]
    assert "Cochez la case « oui, je confirme »" in page.error_for("confirm")
    assert page.fields["credentials_by_post"]["value"] is True
    assert page.summary["Dénomination"] == PROJECT_NAME
    assert count_registrations(app) == 0
    # The draft survives: ticking the box now succeeds.
    assert client.post("/csam/registration/confirmation", data={"confirm": "y"}).status_code == 302
    assert count_registrations(app) == 1


def test_registration_made_elsewhere_meanwhile_is_reported_on_the_confirmation_page(app, client):
    """Two browsers at the confirmation step: the second «Enregistrer» is refused with the reason."""
    other = app.test_client()
    fill_until_confirmation(client)
    register(other)
    response = client.post("/csam/registration/confirmation", data={"confirm": "y"})
    assert response.status_code == 200
    page = parse(response)
    assert page.h1 == ["Confirmez la demande"]
    assert any("déjà en attente du document signé" in a for a in page.alerts)
    assert count_registrations(app) == 1


# ---------------------------------------------------------------------------------------------------------
# Finalisation and the document
# ---------------------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, whitespace collapsed."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_document_is_a_pdf_naming_the_project_the_gap_and_the_request(client):
    """2.12-2.13: «Télécharger le document» gives a real PDF with the request's data, accents included."""
    number = register(client)
    page = parse(client.get(f"/csam/registration/{number}/finalisation"))
    response = client.get(page.link("Télécharger le document")["href"])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename=demande-{number}.pdf"
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    # Without a Unicode font on the machine the en dash is printed as a hyphen; the accents stay either way.
    name = PROJECT_NAME if document.unicode_font() else PROJECT_NAME.replace("–", "-")
    for expected in (
        name,
        "71000436",
        "Élise",
        "Dupré-Lefèvre",
        "85073003328",
        number,
        "enregistrement@csam.ehealth.example",
        "Désignation d'un Gestionnaire d'Accès Principal",
    ):
        assert expected in text, expected


def test_document_keeps_french_accents_without_a_unicode_font(client, monkeypatch):
    """On a machine without DejaVu the PDF core font still prints é, è, à (only – and ’ become - and ')."""
    number = register(client)
    monkeypatch.setattr(document, "unicode_font", lambda: None)
    response = client.get(f"/csam/registration/{number}/document.pdf")
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    for expected in ("Réseau Santé Liège-Est - Projet de soins intégrés", "Élise", "Dupré-Lefèvre", number):
        assert expected in text, expected


def test_finalisation_shows_active_once_the_signed_document_is_received(app, client):
    """2.13: after the back office receives the document, the status reads «Active»."""
    number = register(client)
    with app.extensions["csam_store"].transaction() as db:
        rules.receive_signed_document(db, rules.registration_by_ref(db, number))
    page = parse(client.get(f"/csam/registration/{number}/finalisation"))
    assert "Statut : Active" in page.text
    assert "En attente du document signé" not in page.text
    assert registrations(app)[0]["status"] == ACTIVE


def test_another_browser_cannot_read_the_request(app, client):
    """The request number alone does not open the finalisation page or the document (404 as for no request)."""
    number = register(client)
    stranger = app.test_client()
    assert stranger.get(f"/csam/registration/{number}/finalisation").status_code == 404
    assert stranger.get(f"/csam/registration/{number}/document.pdf").status_code == 404
    assert client.get("/csam/registration/CSAM-2000-000000/finalisation").status_code == 404
    assert client.get("/csam/registration/CSAM-2000-000000/document.pdf").status_code == 404


def test_only_request_numbers_open_a_request(app, client):
    """Neither an unknown request number nor a registration's database id opens anything, whatever the session holds."""
    register(app.test_client())  # stored with database id 1
    with client.session_transaction() as session:
        session["registrations"] = ["CSAM-2000-000001", "1"]
    assert client.get("/csam/registration/CSAM-2000-000001/finalisation").status_code == 404
    assert client.get("/csam/registration/1/finalisation").status_code == 404
    assert client.get("/csam/registration/1/document.pdf").status_code == 404


# ---------------------------------------------------------------------------------------------------------
# CSRF
# ---------------------------------------------------------------------------------------------------------


def test_csrf_token_is_required(app):
    """With CSRF on, a POST without the token gets the 400 page and stores nothing; with it, it passes."""
    secured = create_app({"TESTING": True, "DATABASE": ":memory:"})
    with secured.extensions["csam_store"].transaction() as db:
        rules.record_project(db, _project("71000436", PROJECT_NAME))
    client = secured.test_client()
    with client.session_transaction() as session:
        session["registration"] = {
            "identification_type": "projet_soins_integres",
            "inami_number": "71000436",
            "organisation_confirmed": True,
            "gap": GAP_DATA,
        }
    response = client.post("/csam/registration/confirmation", data={"confirm": "y"})
    assert response.status_code == 400
    assert parse(response).h1 == ["Formulaire expiré"]
    assert count_registrations(secured) == 0

    html = client.get("/csam/registration/confirmation").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/csam/registration/confirmation", data={"confirm": "y", "csrf_token": token})
    assert response.status_code == 302
    assert count_registrations(secured) == 1
