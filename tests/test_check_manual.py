"""The manual-accuracy check without a browser: reading an accessibility tree, classifying the manual's words on a
page, the proposed manual and the report files; and the mock's renamed labels that developers check it with."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from e2e.check_manual import (
    AMBIGUOUS,
    CHANGED,
    MATCHES,
    MISSING,
    MOVED,
    NOT_CHECKABLE,
    Element,
    InstructionResult,
    PageSeen,
    TargetResult,
    look_up,
    normalise,
    parse_snapshot,
    verdict,
)
from e2e.manual import ManualError, load_manual
from e2e.manual_report import proposed_manual, proposed_text, write_report
from mock_csam import create_app
from mock_csam.cli import main as mock_cli

SNAPSHOT = """\
- banner:
  - link "Se déconnecter"
- main:
  - navigation "Fil d’Ariane":
    - link "Accueil"
  - heading "Utilisateurs" [level=1]
  - navigation "Fonctionnalités":
    - link "Utilisateurs"
    - link "Fonctions et hiérarchie de responsabilité"
  - region "Ajout d'un utilisateur":
    - heading "Ajout d'un utilisateur" [level=2]
    - textbox "NISS"
    - button "Suivant"
  - region "Ajout d'un co-gestionnaire principal d'accès":
    - textbox "NISS"
    - button "Suivant"
  - textbox "Date de début *"
  - link "Aide \\"rapide\\""
"""
WORDS = frozenset(normalise(w) for w in ("Utilisateurs", "Fonctionnalités", "Suivant", "NISS", "Enregistrer",
                                         "Fonctions et hiérarchie de responsabilité", "Ajout d'un utilisateur"))


def page(snapshot: str, url: str = "/users", heading: str = "Utilisateurs") -> PageSeen:
    return PageSeen(url, heading, tuple(parse_snapshot(snapshot)))


def test_the_snapshot_gives_roles_names_containers_and_repeats() -> None:
    elements = parse_snapshot(SNAPSHOT)
    suivant = [e for e in elements if e.name == "Suivant"]
    assert [e.index for e in suivant] == [0, 1]
    assert ("region", "Ajout d'un utilisateur") in suivant[0].containers
    assert Element("link", 'Aide "rapide"', (("main", ""),), 0) in elements
    assert next(e for e in elements if e.name == "Se déconnecter").inside({"banner"})


@pytest.mark.parametrize(("a", "b"), [("Date de début", "Date de début *"), ("Nom d'utilisateur", "Nom d’utilisateur"),
                                      ("se connecter", "Se  connecter :"), ("N°INAMI", "n°inami")])
def test_words_compare_without_case_spacing_apostrophes_or_asterisk(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_classifications_on_one_page() -> None:
    users = page(SNAPSHOT)
    assert look_up("click", "Utilisateurs", users, [], WORDS, within="Fonctionnalités").status == MATCHES
    assert look_up("fill", "Date de début", users, [], WORDS).status == MATCHES
    # Two «Suivant»: ambiguous, unless the manual names the region.
    assert look_up("click", "Suivant", users, [], WORDS).status == AMBIGUOUS
    found = look_up("click", "Suivant", users, [], WORDS, within="Ajout d'un utilisateur")
    assert (found.status, found.element.index) == (MATCHES, 0)
    # A region's own heading is not a second element with its name.
    assert look_up("see", "Ajout d'un utilisateur", users, [], WORDS).status == MATCHES


def test_a_renamed_element_is_found_when_it_is_the_only_one_or_close() -> None:
    renamed = page(SNAPSHOT.replace('link "Utilisateurs"', 'link "Membres"'))
    found = look_up("click", "Utilisateurs", renamed, [], WORDS, within="Fonctionnalités")
    assert (found.status, found.found) == (CHANGED, "Membres")
    close = page('- main:\n  - link "Accueil"\n  - link "Demander un accès"\n  - link "Mandats"\n')
    found = look_up("click", "Demande d'accès", close, [], WORDS)
    assert (found.status, found.found) == (CHANGED, "Demander un accès")


def test_header_breadcrumbs_and_words_the_manual_uses_elsewhere_are_never_taken_for_a_renamed_element() -> None:
    # «Accueil» (breadcrumb) and «Se déconnecter» (header) are the only other links: not a rename of «Mandats».
    found = look_up("click", "Mandats", page(SNAPSHOT.replace('  - link "Aide \\"rapide\\""\n', "")), [], WORDS)
    assert found.status == MISSING
    # The only button left is one the manual names for another instruction.
    confirmation = page('- main:\n  - link "Précédent"\n  - button "Enregistrer"\n')
    assert look_up("click", "Suivant", confirmation, [], WORDS, role="button").status == MISSING


def test_a_renamed_button_is_the_forms_first_one_and_a_renamed_menu_the_one_holding_the_instructions_words() -> None:
    confirmation = page('- main:\n  - button "Valider"\n  - button "Annuler"\n')
    found = look_up("click", "Confirmer", confirmation, [], WORDS, role="button")
    assert (found.status, found.found) == (CHANGED, "Valider")
    menus = page(SNAPSHOT.replace('navigation "Fonctionnalités"', 'navigation "Menu"'))
    found = look_up("see", "Fonctionnalités", menus, [], WORDS, role="navigation", companions=["Utilisateurs"])
    assert (found.status, found.found) == (CHANGED, "Menu")


def test_words_on_another_page_of_the_path_are_moved() -> None:
    login = page('- main:\n  - textbox "NISS de la carte insérée"\n  - textbox "Code PIN"\n', "/login", "Se connecter")
    form = page('- main:\n  - textbox "Adresse e-mail"\n  - textbox "Numéro de téléphone"\n', "/confirm")
    found = look_up("fill", "NISS", form, [login, form], WORDS)
    assert (found.status, found.found, found.page.heading) == (MOVED, "NISS de la carte insérée", "Se connecter")
    assert look_up("fill", "NISS", form, [form], WORDS).status == MISSING


def test_an_instruction_is_as_good_as_its_first_target_that_is_not() -> None:
    assert verdict([TargetResult("a", "click", MATCHES), TargetResult("b", "click", MATCHES)]) == MATCHES
    assert verdict([TargetResult("a", "fill", MOVED), TargetResult("b", "click", MISSING)]) == MOVED


def result(ident: str, text: str, *targets: TargetResult, status: str = CHANGED) -> InstructionResult:
    return InstructionResult(ident, int(ident[0]), text, status, "detail", "/x", "Page", "iVBORw0KGgo=",
                             list(targets))


def test_the_proposed_manual_replaces_changed_labels_quoted_or_not() -> None:
    r = result("2.7", "Indiquez le N°INAMI (n° du projet) et cliquez sur Suivant.",
               TargetResult("«N°INAMI»", "fill", CHANGED, "Numéro d'institution"),
               TargetResult("«Suivant»", "click", CHANGED, "Enregistrer"))
    assert proposed_text(r) == "Indiquez le « Numéro d'institution » (n° du projet) et cliquez sur « Enregistrer »."
    quoted = result("2.3", "Cliquez sur « Comment accéder ? ».", TargetResult("«Comment accéder ?»", "click", CHANGED,
                                                                            "Accès"))
    assert proposed_text(quoted) == "Cliquez sur « Accès »."
    same = result("2.2", "Cliquez sur X.", TargetResult("«X»", "click", MATCHES, "X"), status=MATCHES)
    text, diff = proposed_manual([r, same])
    assert text.splitlines()[1] == "2.2 Cliquez sur X."
    assert "-2.7 Indiquez le N°INAMI" in diff and "-2.2" not in diff and "+2.2" not in diff


def test_the_report_files(tmp_path: Path) -> None:
    results = [result("2.7", "Cliquez sur Suivant.", TargetResult("«Suivant»", "click", CHANGED, "Continuer")),
               InstructionResult("1.1", 1, "INAMI crée le projet.", NOT_CHECKABLE, "back office")]
    paths = write_report(results, tmp_path, {"site": "mock manual-2018"})
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["drifted"] == ["2.7"] and report["counts"][CHANGED] == 1 and report["counts"][NOT_CHECKABLE] == 1
    assert [i["screenshot"] for i in report["instructions"]] == ["screenshots/2.7.png", None]
    assert (tmp_path / "screenshots" / "2.7.png").is_file()
    html = paths["html"].read_text(encoding="utf-8")
    assert "Cliquez sur « Continuer »." in html and not re.search(r'(src|href)="(?!data:)', html)
    assert paths["manual"].read_text(encoding="utf-8").startswith("2.7 Cliquez sur « Continuer ».")


def test_every_browser_instruction_but_the_note_says_how_to_check_it_with_its_own_words() -> None:
    manual = load_manual()
    assert {i.id for i in manual if i.browser and not i.check} == {"4.23"}
    for instruction in manual:
        for target in instruction.check:
            assert target.label is None or target.verb == "go" or target.label in instruction.labels


def test_a_check_item_with_words_the_instruction_does_not_name_is_refused(tmp_path: Path) -> None:
    from e2e.manual import MANUAL_FILE

    text = MANUAL_FILE.read_text(encoding="utf-8").replace('{click: "Exécuter", role: button}',
                                                           '{click: "Lancer", role: button}')
    broken = tmp_path / "manual.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ManualError, match="'Lancer' is not among the instruction's labels"):
        load_manual(broken)


# ---------------------------------------------------------------------------------------------------------
# Renamed labels in the mock
# ---------------------------------------------------------------------------------------------------------


def test_a_renamed_label_shows_with_its_new_words_on_every_page_and_in_forms() -> None:
    app = create_app({"DATABASE": ":memory:", "RENAMED_LABELS": {"Suivant": "Continuer",
                                                                 "Demande d'accès": "Demander un accès"}})
    client = app.test_client()
    form = client.get("/csam/registration/").get_data(as_text=True)
    assert ">Continuer</button>" in form and "Suivant" not in form
    assert "Demander un accès" in client.get("/fr/acces").get_data(as_text=True)
    plain = create_app({"DATABASE": ":memory:"}).test_client().get("/csam/registration/").get_data(as_text=True)
    assert ">Suivant</button>" in plain


@pytest.mark.parametrize("value", ["Suivant", "=Continuer", "Suivant= "])
def test_serve_refuses_a_rename_that_is_not_old_equals_new(value: str) -> None:
    answer = CliRunner().invoke(mock_cli, ["serve", "--db", ":memory:", "--rename", value])
    assert answer.exit_code == 2 and "write OLD=NEW" in answer.output
