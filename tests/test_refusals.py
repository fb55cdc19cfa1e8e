"""Refusals of the rule catalogue (docs/rules.md) that no other test showed with their message and with nothing
saved: the control API's input checks (INAMI's SZV records, care providers, the clock, the state's query, the
back office's signed document, who may act), the login with a user name, the roles and member forms, and
requests sent again with a draft that was already used.

They go through HTTP (the control API and the pages, with Flask's test client) and check each refusal three
ways: its message (French, as the person sees it) on the field it names, its status (400 for the control API,
the same page again for a form), and the state (`GET /_mock/state`) unchanged. The one rule no screen or
endpoint can reach (a member created without «Confirmer») is called through `rules` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from faker import Faker
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from fixtures import builders
from mock_csam import create_app
from mock_csam.control import serialisers
from mock_csam.domain import rules
from mock_csam.domain.errors import FORM, RuleViolation
from mock_csam.domain.models import INCLUSION_APP, PROFESSIONS, USER
from mock_csam.domain.store import Store
from mock_csam.registration.drafts import DRAFT
from tests.helpers import api_errors

CAMREGISTRATION = "/app032/camregistration/?processType=EH_ORGANIZATION&locale=fr"
CAMREGISTRATION_CONFIRMATION = "/app032/camregistration/confirmation?processType=EH_ORGANIZATION&locale=fr"
START = "2024-01-02"


def make_site(**config: Any) -> Flask:
    """The mock with its control API and without CSRF (the test client posts forms directly)."""
    return create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE": ":memory:",
            "CONTROL_API": True,
            "SECRET_KEY": "refusals",
            **config,
        }
    )


@pytest.fixture
def site() -> Iterator[Flask]:
    """The manual's site (2018)."""
    app = make_site()
    yield app
    app.extensions["csam_store"].dispose()


@pytest.fixture
def todays_site() -> Iterator[Flask]:
    """Today's site (`current`), where the representative registers the institution and becomes its GAP."""
    app = make_site(SITE_VERSION="current")
    yield app
    app.extensions["csam_store"].dispose()


@pytest.fixture
def api(site: Flask) -> FlaskClient:
    """A client of the control API."""
    return site.test_client()


def state(client: FlaskClient) -> dict[str, Any]:
    """The whole state, to prove that a refused request changed nothing."""
    response = client.get("/_mock/state")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def record(client: FlaskClient, project: dict[str, Any]) -> dict[str, Any]:
    """INAMI records the project in SZV (step 1)."""
    response = client.post("/_mock/szv/projects", json=project)
    assert response.status_code == 201, response.get_json()
    return project


def with_gap(client: FlaskClient, project: dict[str, Any]) -> dict[str, Any]:
    """The project recorded, with its first person as active GAP (step 2 done and the document signed)."""
    record(client, project)
    gap = project["persons"][0]
    response = client.post(
        f"/_mock/projects/{project['inami_number']}/registrations", json={"gap": gap, "signed": True}
    )
    assert response.status_code == 201, response.get_json()
    return project


def add_member(client: FlaskClient, project: dict[str, Any], actor: str, data: dict[str, Any], kind: str = USER):
    body = dict(data, actor_niss=actor, kind=kind, applications=[INCLUSION_APP])
    return client.post(f"/_mock/projects/{project['inami_number']}/members", json=body)


def gap_logged_in(client: FlaskClient, project: dict[str, Any]) -> int:
    """The project with its active GAP, who logged in with the eID card in this client; returns its id."""
    with_gap(client, project)
    login_eid(client, project["persons"][0]["niss"])
    return client.get(f"/_mock/projects/{project['inami_number']}").get_json()["id"]


def login_eid(client: FlaskClient, niss: str, pin: str = "1234") -> None:
    """Log in with the simulated eID card (the PIN builders' persons get by default)."""
    response = client.post(
        "/csam/login", data={"eid-niss": niss, "eid-pin": pin, "eid-submit": "Se connecter avec la carte eID"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def shows(response, message: str) -> bool:
    """The page shows the message (escaped as HTML writes it, or as it is)."""
    html = response.get_data(as_text=True)
    return message in html or str(escape(message)) in html


def error_of(response, field_id: str) -> str:
    """The message the page shows right after a field (`<p class="error" id="<field>-error">`)."""
    html = response.get_data(as_text=True)
    start = html.find(f'<p class="error" id="{field_id}-error">')
    assert start >= 0, f"no error for #{field_id}"
    return html[html.index(">", start) + 1 : html.index("</p>", start)].strip()


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/szv/projects: INAMI's SZV records (1.1-1.3)
# ---------------------------------------------------------------------------------------------------------

Change = Callable[[dict[str, Any]], Any]


def _set_persons_role(project: dict[str, Any], role: str) -> None:
    for person in project["persons"]:
        person["szv_role"] = role


PROJECT_REFUSALS: list[tuple[str, Change, str, str]] = [
    (
        "no-persons",
        lambda p: p.update(persons=[]),
        "persons",
        "Un projet compte au moins une personne (son responsable).",
    ),
    (
        "persons-not-a-list",
        lambda p: p.update(persons={"niss": "85073003328"}),
        "persons",
        "Un projet compte au moins une personne (son responsable).",
    ),
    (
        "person-not-an-object",
        lambda p: p.update(persons=[p["persons"][0], "Noël"]),
        "persons[1]",
        "Chaque personne doit être un objet JSON.",
    ),
    ("sex", lambda p: p["persons"][0].update(sex="X"), "persons[0].sex", "Le sexe est M ou F."),
    (
        "szv-role",
        lambda p: p["persons"][1].update(szv_role="chef"),
        "persons[1].szv_role",
        "Le rôle SZV est « responsable » ou « gestionnaire de certificat e-Health ».",
    ),
    (
        "pin-too-short",
        lambda p: p["persons"][0].update(pin="12"),
        "persons[0].pin",
        "Le code PIN compte de 4 à 12 chiffres.",
    ),
    (
        "pin-letters",
        lambda p: p["persons"][0].update(pin="abcd"),
        "persons[0].pin",
        "Le code PIN compte de 4 à 12 chiffres.",
    ),
    (
        "pin-too-long",
        lambda p: p["persons"][0].update(pin="1234567890123"),
        "persons[0].pin",
        "Le code PIN compte de 4 à 12 chiffres.",
    ),
    (
        "language",
        lambda p: p["persons"][1].update(language="xx"),
        "persons[1].language",
        "Choisissez une langue : fr, nl, de ou en.",
    ),
    ("no-address", lambda p: p.pop("address"), "address", "L'adresse est obligatoire (street, postal_code, city)."),
    (
        "person-address-not-an-object",
        lambda p: p["persons"][0].update(address="Rue Haute 12, 1000 Bruxelles"),
        "persons[0].address",
        "L'adresse est obligatoire (street, postal_code, city).",
    ),
    (
        "postal-code-5-digits",
        lambda p: p["address"].update(postal_code="10000"),
        "address.postal_code",
        "Un code postal belge compte 4 chiffres.",
    ),
    (
        "person-postal-code-letters",
        lambda p: p["persons"][1]["address"].update(postal_code="B-10"),
        "persons[1].address.postal_code",
        "Un code postal belge compte 4 chiffres.",
    ),
    ("no-name", lambda p: p.update(name=" "), "name", "Le champ « name » est obligatoire."),
    ("name-too-long", lambda p: p.update(name="x" * 201), "name", "Le champ « name » compte au plus 200 caractères."),
    (
        "first-name-too-long",
        lambda p: p["persons"][0].update(first_name="É" * 101),
        "persons[0].first_name",
        "Le champ « first_name » compte au plus 100 caractères.",
    ),
    (
        "street-too-long",
        lambda p: p["address"].update(street="Rue " + "x" * 197),
        "address.street",
        "Le champ « street » compte au plus 200 caractères.",
    ),
    (
        "same-person-twice",
        lambda p: p["persons"][1].update(niss=p["persons"][0]["niss"]),
        "persons[1].niss",
        "Cette personne figure deux fois dans le projet.",
    ),
    (
        "no-responsable",
        lambda p: _set_persons_role(p, builders.SZV_CERTIFICATE_MANAGER),
        "persons",
        "Un projet compte au moins un « responsable ».",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "message"), [r[1:] for r in PROJECT_REFUSALS], ids=[r[0] for r in PROJECT_REFUSALS]
)
def test_a_refused_project_names_the_field_with_its_message_and_records_nothing(
    api: FlaskClient, project_data: dict[str, Any], change: Change, field: str, message: str
) -> None:
    before = state(api)
    change(project_data)
    response = api.post("/_mock/szv/projects", json=project_data)
    assert response.status_code == 400
    assert api_errors(response) == [{"field": field, "message": message}]
    assert state(api) == before


@pytest.mark.parametrize("body", [["71000436"], "71000436", 71000436], ids=["list", "string", "number"])
def test_a_project_that_is_not_a_json_object_is_refused_whole(api: FlaskClient, body: Any) -> None:
    before = state(api)
    response = api.post("/_mock/szv/projects", json=body)
    assert response.status_code == 400
    assert api_errors(response) == [{"field": FORM, "message": "Le projet doit être un objet JSON."}]
    assert state(api) == before


def test_a_second_project_with_a_recorded_inami_number_is_refused_and_its_persons_not_recorded(
    api: FlaskClient, faker: Faker, project_data: dict[str, Any]
) -> None:
    record(api, project_data)
    before = state(api)
    other = builders.project(faker, inami_number=project_data["inami_number"])
    response = api.post("/_mock/szv/projects", json=other)
    assert response.status_code == 400
    assert api_errors(response) == [{"field": "inami_number", "message": "Un projet porte déjà ce N°INAMI."}]
    assert state(api) == before


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/care-providers: INAMI's records of the people working for a project (AR78)
# ---------------------------------------------------------------------------------------------------------


def _provider(faker: Faker, inami: str, **overrides: Any) -> dict[str, Any]:
    return {
        "niss": builders.niss(faker),
        "first_name": "Prénom",
        "last_name": "Prestataire",
        "profession": "medecin",
        "inami_number": inami,
        **overrides,
    }


def _unknown_inami(faker: Faker, taken: str) -> str:
    number = builders.inami_number(faker)
    while number == taken:
        number = builders.inami_number(faker)
    return number


CARE_PROVIDER_REFUSALS: list[tuple[str, Callable[[Faker, str], dict[str, Any]], str, str]] = [
    (
        "unknown-profession",
        lambda f, inami: _provider(f, inami, profession="sorcier"),
        "profession",
        f"Profession inconnue. Choisissez parmi : {', '.join(PROFESSIONS)}.",
    ),
    ("pin-too-short", lambda f, inami: _provider(f, inami, pin="123"), "pin", "Le code PIN compte de 4 à 12 chiffres."),
    ("pin-letters", lambda f, inami: _provider(f, inami, pin="12ab"), "pin", "Le code PIN compte de 4 à 12 chiffres."),
    (
        "unknown-project",
        lambda f, inami: _provider(f, _unknown_inami(f, inami)),
        "inami_number",
        "Aucun projet n'est enregistré sous ce N°INAMI.",
    ),
    (
        "language",
        lambda f, inami: _provider(f, inami, language="xx"),
        "language",
        "Choisissez une langue : fr, nl, de ou en.",
    ),
]


@pytest.mark.parametrize(
    ("body", "field", "message"), [r[1:] for r in CARE_PROVIDER_REFUSALS], ids=[r[0] for r in CARE_PROVIDER_REFUSALS]
)
def test_a_refused_care_provider_names_the_field_with_its_message_and_records_nothing(
    api: FlaskClient, faker: Faker, project_data: dict[str, Any], body: Callable, field: str, message: str
) -> None:
    record(api, project_data)
    before = state(api)
    response = api.post("/_mock/care-providers", json=body(faker, project_data["inami_number"]))
    assert response.status_code == 400
    assert api_errors(response) == [{"field": field, "message": message}]
    assert state(api) == before


@pytest.mark.parametrize("body", [[], "medecin", 78], ids=["list", "string", "number"])
def test_a_care_provider_that_is_not_a_json_object_is_refused_whole(api: FlaskClient, body: Any) -> None:
    before = state(api)
    response = api.post("/_mock/care-providers", json=body)
    assert response.status_code == 400
    assert api_errors(response) == [{"field": FORM, "message": "Le prestataire doit être un objet JSON."}]
    assert state(api) == before


def test_a_care_provider_is_refused_a_second_time_in_the_same_project(
    api: FlaskClient, faker: Faker, project_data: dict[str, Any]
) -> None:
    record(api, project_data)
    provider = _provider(faker, project_data["inami_number"])
    assert api.post("/_mock/care-providers", json=provider).status_code == 201
    before = state(api)
    response = api.post("/_mock/care-providers", json=dict(provider, profession="infirmier"))
    assert response.status_code == 400
    assert api_errors(response) == [{"field": "niss", "message": "Ce prestataire est déjà enregistré pour ce projet."}]
    assert state(api) == before


# ---------------------------------------------------------------------------------------------------------
# POST /_mock/clock and GET /_mock/state
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [{}, {"date": "2018-03-01"}, [], "2018-03-01"], ids=["empty", "other-key", "list", "string"]
)
def test_a_clock_without_today_is_refused_and_the_date_kept(api: FlaskClient, body: Any) -> None:
    assert api.post("/_mock/clock", json={"today": "2018-03-01"}).status_code == 200
    response = api.post("/_mock/clock", json=body)
    assert response.status_code == 400
    assert api_errors(response) == [
        {"field": "today", "message": 'Donnez la date du jour de la simulation : {"today": "AAAA-MM-JJ"}.'}
    ]
    assert api.get("/_mock/clock").get_json() == {"today": "2018-03-01", "fixed": True}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?limit=0", "limit", "« limit » est un nombre entier de 1 à 1000."),
        ("?limit=1001", "limit", "« limit » est un nombre entier de 1 à 1000."),
        ("?limit=dix", "limit", "« limit » est un nombre entier de 1 à 1000."),
        ("?offset=-1", "offset", "« offset » est un nombre entier de 0 à 1000000000."),
        ("?offset=1000000001", "offset", "« offset » est un nombre entier de 0 à 1000000000."),
    ],
    ids=["limit-0", "limit-above-the-page", "limit-words", "offset-negative", "offset-too-far"],
)
def test_a_page_of_the_state_out_of_its_bounds_is_refused_naming_it(
    api: FlaskClient, project_data: dict[str, Any], query: str, field: str, message: str
) -> None:
    record(api, project_data)
    before = state(api)
    response = api.get("/_mock/state" + query)
    assert response.status_code == 400
    assert api_errors(response) == [{"field": field, "message": message}]
    assert state(api) == before


def test_a_signed_document_received_again_is_refused_and_changes_nothing(
    api: FlaskClient, project_data: dict[str, Any]
) -> None:
    """The back office receives a request's signed document once (2.12): a second receipt sends no new letters
    and keeps the date of the first."""
    record(api, project_data)
    gap = project_data["persons"][0]
    registration = api.post(
        f"/_mock/projects/{project_data['inami_number']}/registrations", json={"gap": gap, "credentials_by_post": True}
    ).get_json()
    received = f"/_mock/registrations/{registration['request_number']}/signed-document-received"
    assert api.post(received).status_code == 200
    before, letters = state(api), api.get(f"/_mock/mailbox/{gap['niss']}").get_json()
    response = api.post(received)
    assert response.status_code == 400
    assert api_errors(response) == [{"field": FORM, "message": "Le document signé de cette demande a déjà été reçu."}]
    assert state(api) == before
    assert api.get(f"/_mock/mailbox/{gap['niss']}").get_json() == letters


# ---------------------------------------------------------------------------------------------------------
# Who may act through the control API: access managers only, co-GAPs by the GAP only (3.10 / 4.10)
# ---------------------------------------------------------------------------------------------------------


def test_someone_who_does_not_manage_the_project_adds_no_member_and_gives_no_role(
    api: FlaskClient, faker: Faker, project_data: dict[str, Any]
) -> None:
    project = with_gap(api, project_data)
    gap, certificate_manager = project["persons"][0]["niss"], project["persons"][1]["niss"]
    member = add_member(api, project, gap, builders.user_data(faker)).get_json()
    before = state(api)
    refusal = [{"field": "actor_niss", "message": "Cette personne n'est pas gestionnaire d'accès de ce projet."}]

    added = add_member(api, project, certificate_manager, builders.user_data(faker))
    roles = api.put(
        f"/_mock/projects/{project['inami_number']}/members/{member['id']}/roles",
        json={"actor_niss": certificate_manager, "functions": ["gestionnaire"], "start_date": START},
    )

    assert (added.status_code, api_errors(added)) == (400, refusal)
    assert (roles.status_code, api_errors(roles)) == (400, refusal)
    assert state(api) == before


def test_a_cogap_designates_no_cogap_through_the_control_api(
    api: FlaskClient, faker: Faker, project_data: dict[str, Any]
) -> None:
    project = with_gap(api, project_data)
    cogap = builders.user_data(faker)
    assert add_member(api, project, project["persons"][0]["niss"], cogap, kind="cogap").status_code == 201
    before = state(api)
    response = add_member(api, project, cogap["niss"], builders.user_data(faker), kind="cogap")
    assert response.status_code == 400
    assert api_errors(response) == [
        {"field": "actor_niss", "message": "Seul le Gestionnaire d'Accès Principal peut désigner des co-gestionnaires."}
    ]
    assert state(api) == before


# ---------------------------------------------------------------------------------------------------------
# Pages: the login with a user name (3.6 / 4.6), the roles form (4.17), the member form (4.11)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "password", "refused"),
    [
        ("", "Geheim2024", {"pwd-username": "Le nom d'utilisateur est obligatoire."}),
        ("LotjeDeRidder", "", {"pwd-password": "Le mot de passe est obligatoire."}),
        (
            "  ",
            "",
            {
                "pwd-username": "Le nom d'utilisateur est obligatoire.",
                "pwd-password": "Le mot de passe est obligatoire.",
            },
        ),
    ],
    ids=["no-username", "no-password", "neither"],
)
def test_a_login_without_user_name_or_password_says_which_is_missing(
    site: Flask, username: str, password: str, refused: dict[str, str]
) -> None:
    client = site.test_client()
    page = client.post(
        "/csam/login",
        data={
            "pwd-username": username,
            "pwd-password": password,
            "pwd-submit": "Se connecter avec nom d'utilisateur et mot de passe",
        },
    )
    assert page.status_code == 200
    for field_id, message in refused.items():
        assert error_of(page, field_id) == escape(message)
    assert not shows(page, "Nom d'utilisateur ou mot de passe incorrect.")
    assert client.get("/csam/access/entites").status_code == 302, "nobody is logged in"


def test_a_function_the_roles_form_does_not_offer_is_refused_and_the_roles_kept(
    site: Flask, faker: Faker, project_data: dict[str, Any]
) -> None:
    client = site.test_client()
    pid = gap_logged_in(client, project_data)
    member = add_member(client, project_data, project_data["persons"][0]["niss"], builders.user_data(faker)).get_json()
    before = state(client)
    page = client.post(
        f"/csam/access/{pid}/inami/fonctions/{member['id']}",
        data={"functions": ["gestionnaire", "chef"], "start_date": "01/02/2024", "end_date": ""},
    )
    assert page.status_code == 200
    assert error_of(page, "functions") == "Fonction inconnue."
    assert not shows(page, "Le rôle a été ajouté à l'utilisateur.")
    assert state(client) == before


@pytest.mark.parametrize(
    ("field", "label"), [("last_name", "Nom"), ("first_name", "Prénom")], ids=["last-name", "first-name"]
)
def test_a_name_longer_than_the_member_form_takes_is_refused_and_nothing_saved(
    site: Flask, faker: Faker, project_data: dict[str, Any], field: str, label: str
) -> None:
    client = site.test_client()
    pid = gap_logged_in(client, project_data)
    user = builders.user_data(faker)
    wizard = f"/csam/access/{pid}/inami/utilisateurs/nouveau"
    assert client.post(wizard, data={"user-niss": user["niss"]}).status_code == 302
    before = state(client)
    data = {k: user[k] for k in ("last_name", "first_name", "email", "phone", "language", "username", "password")}
    data[field] = "Van " + "x" * 97
    page = client.post(f"{wizard}/donnees", data=data)
    assert page.status_code == 200
    assert error_of(page, field) == escape(f"Le champ « {label} » compte au plus 100 caractères.")
    assert state(client) == before
    assert client.get(f"{wizard}/confirmation").status_code == 302, "the confirmation is not reached"


# ---------------------------------------------------------------------------------------------------------
# A request sent again with a draft that was already used (2.11, 3.12 / 4.14)
# ---------------------------------------------------------------------------------------------------------


def test_confirmer_sent_again_after_the_new_user_was_deleted_does_not_bring_them_back(
    site: Flask, faker: Faker, project_data: dict[str, Any]
) -> None:
    """A «Confirmer» that reaches the mock with the cookie it had before the first one (a double click, a second
    tab) gets the member the first one created; once that member is deleted, it is refused, not re-created."""
    client = site.test_client()
    pid = gap_logged_in(client, project_data)
    user = builders.user_data(faker)
    wizard = f"/csam/access/{pid}/inami/utilisateurs/nouveau"
    assert client.post(wizard, data={"user-niss": user["niss"]}).status_code == 302
    data = {k: user[k] for k in ("last_name", "first_name", "email", "phone", "language", "username", "password")}
    assert client.post(f"{wizard}/donnees", data=dict(data, applications=[INCLUSION_APP])).status_code == 302
    cookie = client.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    assert client.post(f"{wizard}/confirmation", data={"confirm": "Confirmer"}).status_code == 302
    [created] = [m for m in state(client)["projects"][0]["members"] if m["niss"] == user["niss"]]
    deleted = client.post(
        f"/csam/access/{pid}/inami/utilisateurs/action", data={"selected": [str(created["id"])], "action": "supprimer"}
    )
    assert deleted.status_code == 302
    before = state(client)

    client.set_cookie(cookie.key, cookie.value)
    page = client.post(f"{wizard}/confirmation", data={"confirm": "Confirmer"})

    assert page.status_code == 200
    assert shows(page, "Cette création a déjà été traitée.")
    assert state(client) == before
    assert user["niss"] not in {m["niss"] for m in before["projects"][0]["members"]}


def test_a_draft_carrying_another_persons_request_is_refused_on_todays_site(todays_site: Flask, faker: Faker) -> None:
    """Today's «Enregistrer» sent again gets the request the first one recorded, but only for the person that
    request names: a draft carrying the submission of someone else's request (a replayed or forged session) is
    refused, records nothing and does not open that request's pages."""
    first, second = builders.person(faker), builders.person(faker)
    project = builders.project(faker, persons=[first, second])
    contact = {"email": "gap@projet.example", "phone": "+32 2 123 45 67", "confirm": "y"}
    earlier = todays_site.test_client()
    record(earlier, project)
    login_eid(earlier, first["niss"])
    assert (
        earlier.post(
            CAMREGISTRATION,
            data={"institution_type": rules.PROJECT_TYPE, "institution_number": project["inami_number"]},
        ).status_code
        == 302
    )
    with earlier.session_transaction() as session:
        draft = dict(session[DRAFT])
    recorded = earlier.post(CAMREGISTRATION_CONFIRMATION, data=contact)
    assert recorded.status_code == 302, recorded.get_data(as_text=True)[:500]
    finalisation = recorded.headers["Location"]
    before = state(earlier)

    other = todays_site.test_client()
    login_eid(other, second["niss"])
    with other.session_transaction() as session:
        session[DRAFT] = draft
    page = other.post(CAMREGISTRATION_CONFIRMATION, data=contact)

    assert page.status_code == 200
    assert shows(page, "Cette demande a déjà été traitée.")
    assert state(other) == before
    assert other.get(finalisation).status_code == 404, "the other person's request stays theirs"
    assert earlier.get(finalisation).status_code == 200


def test_a_member_creation_without_confirmation_saves_nothing(store: Store, faker: Faker) -> None:
    """«Confirmer» is the only way to save a member: the rule itself refuses an unconfirmed creation (the screens
    and the control API only call it once confirmed)."""
    project = builders.project(faker)
    gap = project["persons"][0]
    with store.transaction() as db:
        rules.record_project(db, project)
        registration = rules.submit_registration(
            db, rules.PROJECT_TYPE, project["inami_number"], gap, credentials_by_post=False, confirmed=True
        )
        rules.receive_signed_document(db, registration)
    with store.transaction() as db:
        before = serialisers.export_state(db)
    with store.transaction() as db:
        actor = rules.access_manager(db, rules.require_project(db, project["inami_number"]), gap["niss"])
        user = builders.user_data(faker)
        cleaned = rules.check_member_data(db, actor, USER, user["niss"], user)
        with pytest.raises(RuleViolation) as refused:
            rules.create_member(db, actor, USER, cleaned, confirmed=False)
    assert [(field, str(message)) for field, message in refused.value.errors] == [
        (FORM, "La création n'a pas été confirmée : rien n'a été enregistré.")
    ]
    with store.transaction() as db:
        assert serialisers.export_state(db) == before
