"""The CSAM login and access management screens (steps 3 and 4) through the Flask test client."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import (
    GAP_A,
    GAP_B,
    INAMI_A,
    NEW_1,
    NEW_2,
    NEW_3,
    NEW_4,
    PENDING_GAP,
    STRONG_PASSWORD,
    SZV_ONLY,
    account_count,
    error_of,
    has,
    input_value,
    logged_in_id,
    login_eid,
    login_password,
    members,
    seed_member,
    seed_world,
    state,
    text,
    transaction,
)
from markupsafe import escape
from stdnum.be import ssn

from mock_csam import create_app
from mock_csam.domain import rules
from mock_csam.domain.models import COGAP, INCLUSION_APP, USER, Person


@pytest.fixture(autouse=True)
def _identifiers_are_valid() -> None:
    """Every NISS used here really has valid check digits, so refusals come from the rules under test."""
    for niss in (GAP_A, GAP_B, PENDING_GAP, SZV_ONLY, NEW_1, NEW_2, NEW_3, NEW_4):
        assert ssn.is_valid(niss), niss


@pytest.fixture
def app() -> Iterator[Flask]:
    """The mock without CSRF (the test client posts forms directly), on an in-memory database."""
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": ":memory:", "SECRET_KEY": "t"})
    yield app
    app.extensions["csam_store"].dispose()


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """Project A (active GAP Anne), project B (active GAP Bruno), project C (GAP Chloé still pending)."""
    return seed_world(app)


# ---------------------------------------------------------------------------------------------------------
# Login and logout (3.6 / 4.6)
# ---------------------------------------------------------------------------------------------------------


def test_login_page_offers_the_card_reader_and_the_password_form(client: FlaskClient, world) -> None:
    page = client.get("/csam/login")
    assert page.status_code == 200
    for words in (
        "<h1>Se connecter à CSAM</h1>",
        "Carte d'identité électronique (eID)",
        '<label for="eid-niss">NISS de la carte insérée</label>',
        '<label for="eid-pin">Code PIN</label>',
        'value="Se connecter avec la carte eID"',
        "Nom d'utilisateur et mot de passe",
        'value="Se connecter avec nom d\'utilisateur et mot de passe"',
        'class="csam"',
        "<title>Se connecter à CSAM – CSAM</title>",
        "CSAM – Gestion des accès",
    ):
        assert has(page, words), words


def test_eid_login_opens_the_list_of_enterprises(client: FlaskClient, world) -> None:
    answer = login_eid(client, GAP_A, "4321")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/csam/access/entites"
    page = client.get("/csam/access/entites")
    assert has(page, "Connecté :") and has(page, "Anne Lambert")


def test_login_goes_back_to_the_page_that_asked_for_it(client: FlaskClient, world) -> None:
    assert login_eid(client, GAP_A, "4321", next_="/csam/access/").headers["Location"] == "/csam/access/"


# What a browser reads as another site: "//host", backslashes as slashes, tabs and newlines dropped.
@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        " //evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
    ],
)
def test_login_never_goes_off_site(client: FlaskClient, world, target: str) -> None:
    assert login_eid(client, GAP_A, "4321", next_=target).headers["Location"] == "/csam/access/entites"


def test_access_pages_send_anyone_not_logged_in_to_the_login(client: FlaskClient, world) -> None:
    answer = client.get(f"/csam/access/{world['a']}/inami/utilisateurs")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/csam/login?next=")


@pytest.mark.parametrize(
    ("niss", "pin", "field", "message"),
    [
        (NEW_1, "1234", "eid-niss", "Cette carte eID n'est pas reconnue."),
        (GAP_A, "1234", "eid-pin", "Code PIN incorrect."),
        (GAP_A, "", "eid-pin", "Le code PIN est obligatoire."),
        (
            "85073003329",
            "4321",
            "eid-niss",
            "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas.",
        ),
        ("8507300332", "4321", "eid-niss", "Le NISS doit compter 11 chiffres."),
        ("", "4321", "eid-niss", "Le NISS est obligatoire."),
    ],
    ids=["unknown-card", "wrong-pin", "no-pin", "check-digits", "too-short", "no-niss"],
)
def test_eid_login_refused(client: FlaskClient, world, niss: str, pin: str, field: str, message: str) -> None:
    page = login_eid(client, niss, pin)
    assert page.status_code == 200
    assert error_of(page, field) == escape(message)
    assert 'aria-invalid="true"' in text(page)
    assert input_value(page, "eid-niss") == niss
    assert input_value(page, "eid-pin") == ""
    assert logged_in_id(client) is None


def test_password_login(app: Flask, client: FlaskClient, world) -> None:
    seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    answer = login_password(client, "LotjeDeRidder", STRONG_PASSWORD)
    assert answer.status_code == 302
    assert logged_in_id(client) is not None
    assert has(client.get("/csam/access/entites"), "Lotje De Ridder")


@pytest.mark.parametrize(("username", "password"), [("LotjeDeRidder", "Mauvais2024"), ("Inconnu", STRONG_PASSWORD)])
def test_password_login_refused_with_one_message(
    app: Flask, client: FlaskClient, world, username: str, password: str
) -> None:
    seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="LotjeDeRidder")
    page = login_password(client, username, password)
    assert page.status_code == 200
    assert 'role="alert"' in text(page)
    assert has(page, "Nom d'utilisateur ou mot de passe incorrect.")
    assert input_value(page, "pwd-username") == username
    assert password not in text(page)
    assert logged_in_id(client) is None


def test_logout_is_a_post_that_ends_the_session(client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    assert client.get("/csam/logout").status_code == 405
    assert logged_in_id(client) is not None
    answer = client.post("/csam/logout")
    assert answer.headers["Location"] == "/csam/access/"
    assert logged_in_id(client) is None
    page = client.get("/csam/access/")
    assert has(page, "Vous êtes déconnecté.") and 'role="status"' in text(page)
    assert client.get("/csam/access/entites").status_code == 302


# ---------------------------------------------------------------------------------------------------------
# Enterprise, quality, menu (3.5-3.9 / 4.5-4.9)
# ---------------------------------------------------------------------------------------------------------


def test_front_page_links_to_the_login(client: FlaskClient, world) -> None:
    page = client.get("/csam/access/")
    assert has(page, "Gestion d'accès pour Entreprises et Organisations")
    assert 'href="/csam/login?next=/csam/access/entites">se connecter</a>' in text(page)


def test_enterprises_list_only_the_projects_the_person_manages(client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    page = client.get("/csam/access/entites")
    assert f'<a href="/csam/access/{world["a"]}/">Projet Alpha</a>' in text(page)
    assert "Projet Bêta" not in text(page) and "Projet Gamma" not in text(page)


def test_pending_gap_sees_no_enterprise_and_why(client: FlaskClient, world) -> None:
    login_eid(client, PENDING_GAP)
    page = client.get("/csam/access/entites")
    assert has(page, "Vous n'êtes Gestionnaire d'Accès d'aucune entreprise.")
    assert has(
        page,
        "Votre désignation comme Gestionnaire d'Accès Principal de Projet Gamma attend la réception "
        f"du document signé (demande n° {world['pending_number']}).",
    )
    assert client.get(f"/csam/access/{world['c']}/").status_code == 404


def test_quality_and_functionalities_menu(client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    pid = world["a"]
    quality = client.get(f"/csam/access/{pid}/")
    assert "<h1>Projet Alpha</h1>" in text(quality)
    assert f'href="/csam/access/{pid}/inami/">Organisation reconnue par l\'INAMI</a>' in text(quality)
    menu = client.get(f"/csam/access/{pid}/inami/")
    assert '<nav class="functions" aria-label="Fonctionnalités">' in text(menu)
    assert f'href="/csam/access/{pid}/inami/utilisateurs">Utilisateurs</a>' in text(menu)
    assert f'href="/csam/access/{pid}/inami/fonctions">Fonctions et hiérarchie de responsabilité</a>' in text(menu)


# ---------------------------------------------------------------------------------------------------------
# Another project's ids: 404 everywhere, nothing changed
# ---------------------------------------------------------------------------------------------------------

ACCESS_URLS = [
    ("GET", "/csam/access/{pid}/", {}),
    ("GET", "/csam/access/{pid}/inami/", {}),
    ("GET", "/csam/access/{pid}/inami/utilisateurs", {}),
    ("POST", "/csam/access/{pid}/inami/utilisateurs/nouveau", {"user-niss": NEW_1}),
    ("POST", "/csam/access/{pid}/inami/cogestionnaires/nouveau", {"cogap-niss": NEW_1}),
    ("GET", "/csam/access/{pid}/inami/utilisateurs/nouveau/donnees", {}),
    ("POST", "/csam/access/{pid}/inami/utilisateurs/nouveau/donnees", {"email": "a@b.be", "language": "fr"}),
    ("GET", "/csam/access/{pid}/inami/cogestionnaires/nouveau/confirmation", {}),
    ("POST", "/csam/access/{pid}/inami/utilisateurs/nouveau/confirmation", {"confirm": "Confirmer"}),
    ("POST", "/csam/access/{pid}/inami/utilisateurs/nouveau/confirmation", {"cancel": "Annuler"}),
    ("POST", "/csam/access/{pid}/inami/utilisateurs/action", {"selected": "{mid}", "action": "supprimer"}),
    ("GET", "/csam/access/{pid}/inami/fonctions", {}),
    ("GET", "/csam/access/{pid}/inami/fonctions/{mid}", {}),
    ("POST", "/csam/access/{pid}/inami/fonctions/{mid}", {"functions": "gestionnaire", "start_date": "2024-05-01"}),
]


@pytest.mark.parametrize(("method", "url", "data"), ACCESS_URLS, ids=[f"{m} {u}" for m, u, _ in ACCESS_URLS])
def test_another_projects_pages_are_not_found(
    app: Flask, client: FlaskClient, world, method: str, url: str, data: dict[str, str]
) -> None:
    other_user = seed_member(app, world["b"], GAP_B, NEW_2, "Dirk", "Janssens")
    login_eid(client, GAP_A, "4321")
    before = state(app)
    for pid in (world["b"], world["c"], 999999, 10**30):
        full_url = url.format(pid=pid, mid=other_user)
        form = {k: v.format(mid=other_user) for k, v in data.items()}
        answer = client.open(full_url, method=method, data=form)
        assert answer.status_code == 404, full_url
        assert has(answer, "Cette page n'existe pas ou vous n'y avez pas accès.")
    assert state(app) == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_projects_member_is_not_found_from_ones_own_project(
    app: Flask, client: FlaskClient, world, method: str
) -> None:
    other_user = seed_member(app, world["b"], GAP_B, NEW_2, "Dirk", "Janssens")
    login_eid(client, GAP_A, "4321")
    before = state(app)
    answer = client.open(
        f"/csam/access/{world['a']}/inami/fonctions/{other_user}",
        method=method,
        data={"functions": "gestionnaire", "start_date": "2024-05-01"},
    )
    assert answer.status_code == 404
    deletion = client.post(
        f"/csam/access/{world['a']}/inami/utilisateurs/action",
        data={"selected": str(other_user), "action": "supprimer"},
    )
    assert deletion.status_code == 404
    assert state(app) == before


# ---------------------------------------------------------------------------------------------------------
# Adding users and co-GAPs (3.10-3.12 / 4.10-4.14)
# ---------------------------------------------------------------------------------------------------------


def _users_url(world, project: str = "a") -> str:
    return f"/csam/access/{world[project]}/inami/utilisateurs"


def _wizard_url(world, step: str, segment: str = "utilisateurs", project: str = "a") -> str:
    return f"/csam/access/{world[project]}/inami/{segment}/nouveau{step}"


def _new_user_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "last_name": "De Ridder",
        "first_name": "Lotje",
        "email": "lotje@projet.example",
        "phone": "+32 9 123 45 67",
        "language": "nl",
        "username": "LotjeDeRidder",
        "password": STRONG_PASSWORD,
        "applications": [INCLUSION_APP],
    }
    data.update(overrides)
    return data


def test_users_page_shows_the_members_and_both_add_regions_to_the_gap(client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    page = client.get(_users_url(world))
    assert page.status_code == 200
    html = text(page)
    assert "<h1>Utilisateurs</h1>" in html and "<caption>Utilisateurs du projet</caption>" in html
    for column in ("Sélection", "Nom", "Prénom", "NISS", "Type", "Applications sécurisées"):
        assert f'<th scope="col">{column}</th>' in html
    assert 'aria-labelledby="add-user-title"' in html and "Ajout d'un utilisateur" in html
    assert "Ajout d'un co-gestionnaire principal d'accès" in html
    assert '<label for="user-niss">NISS</label>' in html and '<label for="cogap-niss">NISS</label>' in html
    assert "Supprimer utilisateur(s)</option>" in html and 'value="Exécuter"' in html
    # The GAP's own row has no checkbox: the GAP cannot be deleted here.
    assert "Sélectionner Anne Lambert" not in html


def test_full_add_user_flow_with_a_first_time_niss(app: Flask, client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    accounts = account_count(app)
    step = client.post(_wizard_url(world, ""), data={"user-niss": "88.05.12-123.42"})
    assert step.status_code == 302 and step.headers["Location"] == _wizard_url(world, "/donnees")

    form = client.get(_wizard_url(world, "/donnees"))
    html = text(form)
    assert "<h1>Données de l'utilisateur</h1>" in html
    assert input_value(form, "niss") == NEW_1 and "readonly" in re.search(r'<input[^>]*id="niss"[^>]*>', html)[0]
    assert '<label for="username">Nom d&#39;utilisateur</label>' in html
    assert '<label for="password">Mot de passe</label>' in html
    assert "<legend>Applications sécurisées</legend>" in html
    for app_label in ("Gestion pour les Projets de Soins Intégrés", "eHealthBox", "MyCareNet – Consultation"):
        assert f">{app_label}</label>" in html

    saved = client.post(_wizard_url(world, "/donnees"), data=_new_user_data())
    assert saved.status_code == 302 and saved.headers["Location"] == _wizard_url(world, "/confirmation")
    with client.session_transaction() as sess:
        assert STRONG_PASSWORD not in json.dumps(dict(sess))
    assert NEW_1 not in members(app, INAMI_A)

    confirmation = client.get(_wizard_url(world, "/confirmation"))
    assert has(confirmation, "Confirmez la création de l'utilisateur")
    assert has(
        confirmation,
        "Si aucune confirmation n'est donnée, les données du nouvel utilisateur ne seront pas sauvegardées.",
    )
    assert "LotjeDeRidder" in text(confirmation) and STRONG_PASSWORD not in text(confirmation)
    assert NEW_1 not in members(app, INAMI_A)

    done = client.post(_wizard_url(world, "/confirmation"), data={"confirm": "Confirmer"})
    assert done.status_code == 302 and done.headers["Location"] == _users_url(world)
    users = client.get(_users_url(world))
    assert has(users, "L'utilisateur Lotje De Ridder a été créé.")
    assert 'aria-label="Sélectionner Lotje De Ridder"' in text(users)
    member = members(app, INAMI_A)[NEW_1]
    assert member["kind"] == USER and member["applications"] == [INCLUSION_APP]
    assert account_count(app) == accounts + 1
    with client.session_transaction() as sess:
        assert not (sess.get("member_draft") or {})
    # The new user logs in with what the manager set.
    client.post("/csam/logout")
    assert login_password(client, "LotjeDeRidder", STRONG_PASSWORD).status_code == 302


def test_known_niss_reuses_the_account_and_asks_no_user_name(app: Flask, client: FlaskClient, world) -> None:
    seed_member(app, world["b"], GAP_B, NEW_2, "Dirk", "Janssens", username="DirkJanssens")
    accounts = account_count(app)
    login_eid(client, GAP_A, "4321")
    client.post(_wizard_url(world, ""), data={"user-niss": NEW_2})
    form = client.get(_wizard_url(world, "/donnees"))
    html = text(form)
    assert 'id="username"' not in html and 'id="password"' not in html
    assert input_value(form, "last_name") == "Janssens" and input_value(form, "first_name") == "Dirk"
    assert "readonly" in re.search(r'<input[^>]*id="last_name"[^>]*>', html)[0]
    # A changed name is ignored: the name comes from the records.
    saved = client.post(
        _wizard_url(world, "/donnees"),
        data=_new_user_data(last_name="Autre", first_name="Nom", username="", password=""),
    )
    assert saved.status_code == 302
    client.post(_wizard_url(world, "/confirmation"), data={"confirm": "Confirmer"})
    member = members(app, INAMI_A)[NEW_2]
    assert (member["first_name"], member["last_name"]) == ("Dirk", "Janssens")
    assert account_count(app) == accounts


def test_user_name_suggestion_is_only_a_placeholder(client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    client.post(_wizard_url(world, ""), data={"user-niss": SZV_ONLY})
    form = client.get(_wizard_url(world, "/donnees"))
    tag = re.search(r'<input[^>]*id="username"[^>]*>', text(form))[0]
    assert 'placeholder="ElodieVanDenBerg"' in tag
    assert input_value(form, "username") == ""


def test_cancel_stores_nothing_and_drops_the_draft(app: Flask, client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    client.post(_wizard_url(world, ""), data={"user-niss": NEW_1})
    client.post(_wizard_url(world, "/donnees"), data=_new_user_data())
    before = state(app)
    answer = client.post(_wizard_url(world, "/confirmation"), data={"cancel": "Annuler"})
    assert answer.status_code == 302 and answer.headers["Location"] == _users_url(world)
    assert state(app) == before
    assert client.get(_wizard_url(world, "/confirmation")).status_code == 302
    with client.session_transaction() as sess:
        assert not (sess.get("member_draft") or {})


def test_confirmation_without_confirmer_stores_nothing(app: Flask, client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    client.post(_wizard_url(world, ""), data={"user-niss": NEW_1})
    client.post(_wizard_url(world, "/donnees"), data=_new_user_data())
    before = state(app)
    client.get(_users_url(world))
    page = client.post(_wizard_url(world, "/confirmation"), data={})
    assert page.status_code == 200
    assert state(app) == before


@pytest.mark.parametrize(("region", "segment"), [("user", "utilisateurs"), ("cogap", "cogestionnaires")])
@pytest.mark.parametrize(
    ("niss", "message"),
    [
        (GAP_A, "Cette personne est déjà enregistrée pour ce projet."),
        ("85073003327", "Ce NISS n'est pas valable : les chiffres de contrôle ne correspondent pas."),
        ("1234", "Le NISS doit compter 11 chiffres."),
        ("", "Le NISS est obligatoire."),
    ],
    ids=["already-here", "check-digits", "too-short", "empty"],
)
def test_niss_step_refused_on_the_users_page(
    app: Flask, client: FlaskClient, world, region: str, segment: str, niss: str, message: str
) -> None:
    login_eid(client, GAP_A, "4321")
    before = state(app)
    page = client.post(_wizard_url(world, "", segment), data={f"{region}-niss": niss})
    assert page.status_code == 200
    assert "<h1>Utilisateurs</h1>" in text(page)
    assert error_of(page, f"{region}-niss") == escape(message)
    assert input_value(page, f"{region}-niss") == niss
    other = "cogap" if region == "user" else "user"
    assert f'id="{other}-niss-error"' not in text(page)
    assert state(app) == before


def test_duplicate_niss_added_in_the_meantime_is_refused_at_confirmation(
    app: Flask, client: FlaskClient, world
) -> None:
    login_eid(client, GAP_A, "4321")
    client.post(_wizard_url(world, ""), data={"user-niss": NEW_1})
    client.post(_wizard_url(world, "/donnees"), data=_new_user_data())
    seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder", username="Lotje2")
    before = state(app)
    page = client.post(_wizard_url(world, "/confirmation"), data={"confirm": "Confirmer"})
    assert page.status_code == 200
    assert has(page, "Cette personne est déjà enregistrée pour ce projet.")
    assert state(app) == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"password": "court1"},
            "password",
            "Le mot de passe ne respecte pas les règles : Au moins 8 caractères, dont au moins une lettre et un "
            "chiffre.",
        ),
        (
            {"password": "seulementdeslettres"},
            "password",
            "Le mot de passe ne respecte pas les règles : Au moins 8 caractères, dont au moins une lettre et un "
            "chiffre.",
        ),
        ({"username": "AnneLambert"}, "username", "Ce nom d'utilisateur est déjà pris : choisissez-en un autre."),
        (
            {"username": "Lotje De Ridder"},
            "username",
            "Le nom d'utilisateur compte de 4 à 30 lettres, chiffres, points, tirets ou soulignés, sans espace "
            "(exemple : LotjeDeRidder).",
        ),
        (
            {"username": ""},
            "username",
            "Le nom d'utilisateur est obligatoire la première fois qu'un NISS est introduit.",
        ),
        ({"password": ""}, "password", "Le mot de passe est obligatoire la première fois qu'un NISS est introduit."),
        ({"last_name": ""}, "last_name", "Le champ « Nom » est obligatoire."),
        ({"first_name": "  "}, "first_name", "Le champ « Prénom » est obligatoire."),
        ({"email": ""}, "email", "L'adresse e-mail est obligatoire."),
        (
            {"email": "lotje.projet.example"},
            "email",
            "L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.be).",
        ),
        ({"phone": "abc"}, "phone", "Le numéro de téléphone n'est pas valable (exemple : +32 2 123 45 67)."),
        ({"language": "xx"}, "language", "Choisissez une langue : fr, nl, de ou en."),
        ({"applications": ["inconnue"]}, "applications", "Application sécurisée inconnue."),
    ],
    ids=[
        "short-password",
        "password-without-digit",
        "taken-username",
        "username-with-spaces",
        "no-username",
        "no-password",
        "no-last-name",
        "blank-first-name",
        "no-email",
        "bad-email",
        "bad-phone",
        "bad-language",
        "unknown-application",
    ],
)
def test_member_data_refused_with_typed_values_kept(
    app: Flask, client: FlaskClient, world, overrides: dict[str, Any], field: str, message: str
) -> None:
    seed_member(app, world["b"], GAP_B, NEW_2, "Anne", "Lambert", username="AnneLambert")
    login_eid(client, GAP_A, "4321")
    client.post(_wizard_url(world, ""), data={"user-niss": NEW_1})
    before = state(app)
    data = _new_user_data(**overrides)
    page = client.post(_wizard_url(world, "/donnees"), data=data)
    assert page.status_code == 200
    assert error_of(page, field) == escape(message)
    for name in ("last_name", "first_name", "email", "phone", "username"):
        if name != field or data[name].strip():
            assert input_value(page, name) == str(escape(data[name])), name
    assert input_value(page, "password") == ""
    if data["password"]:
        assert data["password"] not in text(page)
    assert state(app) == before
    with client.session_transaction() as sess:
        assert "cleaned" not in json.dumps(dict(sess))


def test_gap_adds_a_co_gap(app: Flask, client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    step = client.post(_wizard_url(world, "", "cogestionnaires"), data={"cogap-niss": NEW_3})
    assert step.headers["Location"] == _wizard_url(world, "/donnees", "cogestionnaires")
    form = client.get(_wizard_url(world, "/donnees", "cogestionnaires"))
    assert has(form, "Données du co-gestionnaire principal d'accès")
    client.post(
        _wizard_url(world, "/donnees", "cogestionnaires"),
        data=_new_user_data(first_name="Marc", last_name="Dupont", username="MarcDupont", applications=[]),
    )
    confirmation = client.get(_wizard_url(world, "/confirmation", "cogestionnaires"))
    assert has(confirmation, "Confirmez la création du co-gestionnaire principal d'accès")
    client.post(_wizard_url(world, "/confirmation", "cogestionnaires"), data={"confirm": "Confirmer"})
    assert has(client.get(_users_url(world)), "Le co-gestionnaire principal d'accès Marc Dupont a été créé.")
    assert members(app, INAMI_A)[NEW_3]["kind"] == COGAP


def test_a_co_gap_cannot_add_co_gaps_but_can_add_users(app: Flask, client: FlaskClient, world) -> None:
    seed_member(app, world["a"], GAP_A, NEW_3, "Marc", "Dupont", kind=COGAP)
    login_eid(client, NEW_3)
    page = client.get(_users_url(world))
    assert "Ajout d'un utilisateur" in text(page)
    assert "co-gestionnaire principal d'accès</h2>" not in text(page) and 'id="cogap-niss"' not in text(page)
    before = state(app)
    assert client.post(_wizard_url(world, "", "cogestionnaires"), data={"cogap-niss": NEW_4}).status_code == 403
    assert client.get(_wizard_url(world, "/donnees", "cogestionnaires")).status_code == 403
    assert (
        client.post(_wizard_url(world, "/confirmation", "cogestionnaires"), data={"confirm": "Confirmer"}).status_code
        == 403
    )
    assert state(app) == before
    with client.session_transaction() as sess:
        assert not (sess.get("member_draft") or {})

    client.post(_wizard_url(world, ""), data={"user-niss": NEW_4})
    client.post(_wizard_url(world, "/donnees"), data=_new_user_data(username="LotjeDR"))
    client.post(_wizard_url(world, "/confirmation"), data={"confirm": "Confirmer"})
    assert members(app, INAMI_A)[NEW_4]["kind"] == USER


def test_drafts_of_users_and_co_gaps_do_not_mix(app: Flask, client: FlaskClient, world) -> None:
    login_eid(client, GAP_A, "4321")
    client.post(_wizard_url(world, ""), data={"user-niss": NEW_1})
    client.post(_wizard_url(world, "", "cogestionnaires"), data={"cogap-niss": NEW_3})
    assert input_value(client.get(_wizard_url(world, "/donnees")), "niss") == NEW_1
    assert input_value(client.get(_wizard_url(world, "/donnees", "cogestionnaires")), "niss") == NEW_3


# ---------------------------------------------------------------------------------------------------------
# Functions and roles (4.15-4.21)
# ---------------------------------------------------------------------------------------------------------


def _roles_url(world, member_id: int) -> str:
    return f"/csam/access/{world['a']}/inami/fonctions/{member_id}"


def test_functions_page_links_each_member_to_its_roles(app: Flask, client: FlaskClient, world) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, GAP_A, "4321")
    page = client.get(f"/csam/access/{world['a']}/inami/fonctions")
    assert "<h1>Fonctions et hiérarchie de responsabilité</h1>" in text(page)
    assert f'href="{_roles_url(world, user)}" aria-label="Attribuer ou modifier un rôle : Lotje De Ridder"' in text(
        page
    )


def test_roles_page_shows_the_manuals_choices(app: Flask, client: FlaskClient, world) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, GAP_A, "4321")
    html = text(client.get(_roles_url(world, user)))
    assert "<h1>Fonctions de Lotje De Ridder</h1>" in html
    assert "<legend>Fonction</legend>" in html
    assert ">Gestionnaire</label>" in html and ">Coordinateur</label>" in html
    assert "peuvent inclure et exclure" in html and "limité au strict minimum" in html
    assert '<label for="start_date">Date de début *</label>' in html
    assert '<label for="end_date">Date de fin *</label>' in html
    # Typed as text: a browser's date control would send nothing for 31/02, taken for an empty end date.
    start_input = re.search(r'<input[^>]*id="start_date"[^>]*>', html).group(0)
    assert 'type="text"' in start_input and 'placeholder="JJ/MM/AAAA"' in start_input
    assert 'value="Ajouter"' in html


def test_roles_added_then_replaced(app: Flask, client: FlaskClient, world) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, GAP_A, "4321")
    page = client.post(
        _roles_url(world, user),
        data={"functions": ["gestionnaire", "coordinateur"], "start_date": "2024-05-01", "end_date": ""},
    )
    assert page.status_code == 200
    assert has(page, "Le rôle a été ajouté à l'utilisateur.") and 'role="status"' in text(page)
    assert f'<a href="/csam/access/{world["a"]}/inami/fonctions">Retour</a>' in text(page)
    roles = members(app, INAMI_A)[NEW_1]["roles"]
    assert {r["function"] for r in roles} == {"gestionnaire", "coordinateur"}
    assert all(r["start_date"] == "2024-05-01" and r["end_date"] is None for r in roles)

    client.post(
        _roles_url(world, user),
        data={"functions": ["gestionnaire"], "start_date": "01/06/2024", "end_date": "2025-12-31"},
    )
    assert members(app, INAMI_A)[NEW_1]["roles"] == [
        {"function": "gestionnaire", "start_date": "2024-06-01", "end_date": "2025-12-31"}
    ]
    again = client.get(_roles_url(world, user))
    assert input_value(again, "start_date") == "01/06/2024", "shown as people type dates"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"functions": ["gestionnaire"], "start_date": "", "end_date": "2025-01-01"},
            "start_date",
            "Le champ « Date de début » est obligatoire.",
        ),
        (
            {"functions": ["gestionnaire"], "start_date": "2024-05-01", "end_date": "2024-04-30"},
            "end_date",
            "La date de fin ne peut pas précéder la date de début.",
        ),
        (
            {"functions": ["gestionnaire"], "start_date": "31/02/2024", "end_date": ""},
            "start_date",
            "« Date de début » n'est pas une date valable (JJ/MM/AAAA).",
        ),
        ({"start_date": "2024-05-01"}, "functions", "Choisissez au moins une fonction : Gestionnaire ou Coordinateur."),
    ],
    ids=["no-start", "end-before-start", "impossible-date", "no-function"],
)
def test_roles_refused(app: Flask, client: FlaskClient, world, data: dict[str, Any], field: str, message: str) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, GAP_A, "4321")
    before = state(app)
    page = client.post(_roles_url(world, user), data=data)
    assert page.status_code == 200
    assert error_of(page, field) == escape(message)
    assert not has(page, "Le rôle a été ajouté à l'utilisateur.")
    if data.get("start_date"):
        assert input_value(page, "start_date") == data["start_date"]
    assert state(app) == before


def test_coordinator_warning_above_the_threshold(app: Flask, client: FlaskClient, world) -> None:
    ids = [
        seed_member(app, world["a"], GAP_A, niss, "Prénom", f"Nom{i}", username=f"Coordinateur{i}")
        for i, niss in enumerate((NEW_1, NEW_2, NEW_3))
    ]
    login_eid(client, GAP_A, "4321")
    functions_url = f"/csam/access/{world['a']}/inami/fonctions"
    warning = "le nombre de personnes ayant ce rôle doit être limité au strict minimum"
    for count, member_id in enumerate(ids, start=1):
        client.post(_roles_url(world, member_id), data={"functions": ["coordinateur"], "start_date": "2024-05-01"})
        page = text(client.get(functions_url))
        shown = re.search(r'<p class="flash warning" role="status">[^<]*' + warning, page) is not None
        assert shown == (count > app.config["COORDINATOR_WARNING_THRESHOLD"]), count


# ---------------------------------------------------------------------------------------------------------
# Secure applications changed afterwards (4.12 for someone already registered, the GAP included)
# ---------------------------------------------------------------------------------------------------------


def _applications_url(world, member_id: int, project: str = "a") -> str:
    return f"/csam/access/{world[project]}/inami/utilisateurs/{member_id}/applications"


def ticked(response, value: str) -> bool:
    """The page's checkbox with this value is ticked (whatever the order of its attributes)."""
    tag = re.search(rf'<input[^>]*\bvalue="{re.escape(value)}"[^>]*>', text(response))
    assert tag, f"no checkbox {value}"
    return re.search(r"\bchecked\b", tag.group(0)) is not None


def test_gap_ticks_the_inclusion_application_for_themself(app: Flask, client: FlaskClient, world) -> None:
    gap_id = members(app, INAMI_A)[GAP_A]["id"]
    assert members(app, INAMI_A)[GAP_A]["applications"] == []
    login_eid(client, GAP_A, "4321")
    users = text(client.get(_users_url(world)))
    assert 'aria-label="Modifier les applications sécurisées : Anne Lambert"' in users
    form = client.get(_applications_url(world, gap_id))
    assert form.status_code == 200 and "<h1>Applications sécurisées de Anne Lambert</h1>" in text(form)
    assert not ticked(form, INCLUSION_APP)
    answer = client.post(_applications_url(world, gap_id), data={"applications": [INCLUSION_APP]})
    assert answer.status_code == 302 and answer.headers["Location"] == _users_url(world)
    assert has(client.get(_users_url(world)), "Les applications sécurisées de Anne Lambert ont été enregistrées.")
    assert members(app, INAMI_A)[GAP_A]["applications"] == [INCLUSION_APP]
    assert ticked(client.get(_applications_url(world, gap_id)), INCLUSION_APP)


def test_applications_are_replaced_not_added(app: Flask, client: FlaskClient, world) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, GAP_A, "4321")
    assert client.post(_applications_url(world, user), data={"applications": ["ehealthbox"]}).status_code == 302
    assert members(app, INAMI_A)[NEW_1]["applications"] == ["ehealthbox"]
    assert client.post(_applications_url(world, user), data={}).status_code == 302
    assert members(app, INAMI_A)[NEW_1]["applications"] == []


def test_an_unknown_application_is_refused_and_nothing_changes(app: Flask, client: FlaskClient, world) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, GAP_A, "4321")
    before = state(app)
    page = client.post(_applications_url(world, user), data={"applications": ["ehealthbox", "mystery"]})
    assert page.status_code == 200
    assert error_of(page, "applications") == "Application sécurisée inconnue."
    assert ticked(page, "ehealthbox"), "the ticks were not kept"
    assert state(app) == before


def test_a_co_gap_changes_users_and_themself_but_not_the_gap_or_another_co_gap(
    app: Flask, client: FlaskClient, world
) -> None:
    marc = seed_member(app, world["a"], GAP_A, NEW_3, "Marc", "Dupont", kind=COGAP)
    sofie = seed_member(app, world["a"], GAP_A, NEW_4, "Sofie", "Maes", kind=COGAP)
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    gap_id = members(app, INAMI_A)[GAP_A]["id"]
    login_eid(client, NEW_3)
    users = text(client.get(_users_url(world)))
    assert "Modifier les applications sécurisées : Anne Lambert" not in users
    assert "Modifier les applications sécurisées : Sofie Maes" not in users
    before = state(app)
    for refused in (gap_id, sofie):
        assert client.get(_applications_url(world, refused)).status_code == 403
        assert client.post(_applications_url(world, refused), data={"applications": ["ehealthbox"]}).status_code == 403
    assert state(app) == before
    for allowed in (user, marc):
        assert client.post(_applications_url(world, allowed), data={"applications": ["ehealthbox"]}).status_code == 302
    assert members(app, INAMI_A)[NEW_1]["applications"] == ["ehealthbox"]
    assert members(app, INAMI_A)[NEW_3]["applications"] == ["ehealthbox"]


def test_another_projects_member_is_not_found(app: Flask, client: FlaskClient, world) -> None:
    other = seed_member(app, world["b"], GAP_B, NEW_2, "Dirk", "Janssens")
    login_eid(client, GAP_A, "4321")
    before = state(app)
    assert client.get(_applications_url(world, other)).status_code == 404
    assert client.post(_applications_url(world, other), data={"applications": ["ehealthbox"]}).status_code == 404
    assert state(app) == before


# ---------------------------------------------------------------------------------------------------------
# Deletion (4.22)
# ---------------------------------------------------------------------------------------------------------


def _delete(client: FlaskClient, world, ids: list[int], action: str = "supprimer"):
    return client.post(
        f"/csam/access/{world['a']}/inami/utilisateurs/action",
        data={"selected": [str(i) for i in ids], "action": action},
    )


def test_several_users_deleted_at_once(app: Flask, client: FlaskClient, world) -> None:
    first = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    second = seed_member(app, world["a"], GAP_A, NEW_2, "Dirk", "Janssens")
    keep = seed_member(app, world["a"], GAP_A, NEW_3, "Marc", "Dupont")
    login_eid(client, GAP_A, "4321")
    answer = _delete(client, world, [first, second])
    assert answer.status_code == 302
    assert has(client.get(_users_url(world)), "2 utilisateur(s) supprimé(s).")
    assert set(members(app, INAMI_A)) == {GAP_A, NEW_3}
    assert keep


def test_gap_deletes_a_co_gap(app: Flask, client: FlaskClient, world) -> None:
    cogap = seed_member(app, world["a"], GAP_A, NEW_3, "Marc", "Dupont", kind=COGAP)
    login_eid(client, GAP_A, "4321")
    assert 'aria-label="Sélectionner Marc Dupont"' in text(client.get(_users_url(world)))
    assert _delete(client, world, [cogap]).status_code == 302
    assert NEW_3 not in members(app, INAMI_A)


@pytest.mark.parametrize(
    ("selection", "action", "message"),
    [
        ("gap-and-user", "supprimer", "Le Gestionnaire d'Accès Principal ne peut pas être supprimé par cet écran."),
        ("nothing", "supprimer", "Cochez au moins un utilisateur à supprimer."),
        ("user", "", "Choisissez une action."),
    ],
    ids=["gap", "nothing-ticked", "no-action"],
)
def test_deletion_refused_deletes_nothing(
    app: Flask, client: FlaskClient, world, selection: str, action: str, message: str
) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    gap_id = members(app, INAMI_A)[GAP_A]["id"]
    ids = {"gap-and-user": [gap_id, user], "nothing": [], "user": [user]}[selection]
    login_eid(client, GAP_A, "4321")
    before = state(app)
    page = _delete(client, world, ids, action)
    assert page.status_code == 200
    if action:
        assert re.search(
            r'<div class="errors" role="alert" id="selected-error">\s*<p>' + re.escape(str(escape(message))), text(page)
        )
    else:
        assert error_of(page, "action") == message
    assert state(app) == before
    if user in ids:
        assert re.search(rf'<input[^>]*value="{user}"[^>]*checked', text(page))


def test_a_co_gap_cannot_delete_a_co_gap(app: Flask, client: FlaskClient, world) -> None:
    seed_member(app, world["a"], GAP_A, NEW_3, "Marc", "Dupont", kind=COGAP)
    other = seed_member(app, world["a"], GAP_A, NEW_4, "Sofie", "Maes", kind=COGAP)
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, NEW_3)
    page = text(client.get(_users_url(world)))
    assert "Sélectionner Sofie Maes" not in page and "Sélectionner Marc Dupont" not in page
    assert 'aria-label="Sélectionner Lotje De Ridder"' in page
    before = state(app)
    refused = _delete(client, world, [other, user])
    assert refused.status_code == 200
    assert has(refused, "Seul le Gestionnaire d'Accès Principal peut supprimer un co-gestionnaire d'accès.")
    assert state(app) == before
    assert _delete(client, world, [user]).status_code == 302
    assert NEW_1 not in members(app, INAMI_A)


def test_roles_of_deleted_member_go_with_it(app: Flask, client: FlaskClient, world) -> None:
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    login_eid(client, GAP_A, "4321")
    client.post(
        _roles_url(world, user), data={"functions": ["gestionnaire"], "start_date": dt.date.today().isoformat()}
    )
    assert _delete(client, world, [user]).status_code == 302
    assert client.get(_roles_url(world, user)).status_code == 404


def test_forms_without_the_csrf_token_are_refused() -> None:
    app = create_app({"TESTING": True, "DATABASE": ":memory:", "SECRET_KEY": "t"})
    world = seed_world(app)
    user = seed_member(app, world["a"], GAP_A, NEW_1, "Lotje", "De Ridder")
    client = app.test_client()
    assert login_eid(client, GAP_A, "4321").status_code == 400
    with app.app_context(), transaction(app) as db:
        anne = db.query(Person).filter_by(niss=GAP_A).one()
        sid, anne_id = rules.start_login_session(db, anne), anne.id
    with client.session_transaction() as sess:
        sess["sid"], sess["person_id"] = sid, anne_id
    before = state(app)
    assert client.get(_users_url(world)).status_code == 200
    assert _delete(client, world, [user]).status_code == 400
    assert client.post(_wizard_url(world, ""), data={"user-niss": NEW_2}).status_code == 400
    assert (
        client.post(_roles_url(world, user), data={"functions": "gestionnaire", "start_date": "2024-05-01"}).status_code
        == 400
    )
    assert state(app) == before
