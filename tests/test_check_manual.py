"""The manual-accuracy check without a browser: reading an accessibility tree, classifying the manual's words on a
page, the proposed manual and the report files, the report's language and counts, what the walk says it wrote
into the site, the visual check against a previous report; and the mock's renamed labels that developers check
it with."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from string import Formatter
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from e2e.check_manual import InstructionResult, TargetResult, verdict
from e2e.cli import main as harness_cli
from e2e.manual import ManualError, load_manual
from e2e.manual_report import (
    SCREEN_CHANGED,
    announce_writes,
    compare_screens,
    finding_counts,
    print_files,
    print_summary,
    print_writes,
    proposed_manual,
    proposed_text,
    render_html,
    write_report,
    wrote_into_site,
)
from e2e.manual_report import WORDS as REPORT_WORDS
from e2e.page_words import (
    AMBIGUOUS,
    CHANGED,
    MATCHES,
    MISSING,
    MOVED,
    NOT_CHECKABLE,
    Element,
    PageSeen,
    look_up,
    normalise,
    parse_snapshot,
)
from e2e.report_words import LANGUAGES, REPORT_STATUSES, percent, say, verdict_word
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
WORDS = frozenset(
    normalise(w)
    for w in (
        "Utilisateurs",
        "Fonctionnalités",
        "Suivant",
        "NISS",
        "Enregistrer",
        "Fonctions et hiérarchie de responsabilité",
        "Ajout d'un utilisateur",
    )
)


def page(snapshot: str, url: str = "/users", heading: str = "Utilisateurs") -> PageSeen:
    return PageSeen(url, heading, tuple(parse_snapshot(snapshot)))


def test_the_snapshot_gives_roles_names_containers_and_repeats() -> None:
    elements = parse_snapshot(SNAPSHOT)
    suivant = [e for e in elements if e.name == "Suivant"]
    assert [e.index for e in suivant] == [0, 1]
    assert ("region", "Ajout d'un utilisateur") in suivant[0].containers
    assert Element("link", 'Aide "rapide"', (("main", ""),), 0) in elements
    assert next(e for e in elements if e.name == "Se déconnecter").inside({"banner"})


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Date de début", "Date de début *"),
        ("Nom d'utilisateur", "Nom d’utilisateur"),
        ("se connecter", "Se  connecter :"),
        ("N°INAMI", "n°inami"),
    ],
)
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
    return InstructionResult(ident, int(ident[0]), text, status, "detail", "/x", "Page", "iVBORw0KGgo=", list(targets))


def test_the_proposed_manual_replaces_changed_labels_quoted_or_not() -> None:
    r = result(
        "2.7",
        "Indiquez le N°INAMI (n° du projet) et cliquez sur Suivant.",
        TargetResult("«N°INAMI»", "fill", CHANGED, "Numéro d'institution"),
        TargetResult("«Suivant»", "click", CHANGED, "Enregistrer"),
    )
    assert proposed_text(r) == "Indiquez le « Numéro d'institution » (n° du projet) et cliquez sur « Enregistrer »."
    quoted = result(
        "2.3", "Cliquez sur « Comment accéder ? ».", TargetResult("«Comment accéder ?»", "click", CHANGED, "Accès")
    )
    assert proposed_text(quoted) == "Cliquez sur « Accès »."
    same = result("2.2", "Cliquez sur X.", TargetResult("«X»", "click", MATCHES, "X"), status=MATCHES)
    text, diff = proposed_manual([r, same])
    assert text.splitlines()[1] == "2.2 Cliquez sur X."
    assert "-2.7 Indiquez le N°INAMI" in diff and "-2.2" not in diff and "+2.2" not in diff


def test_the_report_files(tmp_path: Path) -> None:
    results = [
        result("2.7", "Cliquez sur Suivant.", TargetResult("«Suivant»", "click", CHANGED, "Continuer")),
        InstructionResult("1.1", 1, "INAMI crée le projet.", NOT_CHECKABLE, "", reason="back office"),
    ]
    paths = write_report(results, tmp_path, {"site": "mock manual-2018"})
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["drifted"] == ["2.7"] and report["counts"][CHANGED] == 1 and report["counts"][NOT_CHECKABLE] == 1
    assert [i["screenshot"] for i in report["instructions"]] == ["screenshots/2.7.png", None]
    assert (tmp_path / "screenshots" / "2.7.png").is_file()
    html = paths["html"].read_text(encoding="utf-8")
    assert "Cliquez sur « Continuer »." in html and not re.search(r'(src|href)="(?!data:)', html)
    assert paths["manual"].read_text(encoding="utf-8").startswith("2.7 Cliquez sur « Continuer ».")


# ---------------------------------------------------------------------------------------------------------
# The report's language, its findings and counts, what the walk wrote, the visual check
# ---------------------------------------------------------------------------------------------------------

# What the report used to say in English, and must not say any more (status ids included: they stay in JSON).
ENGLISH = re.compile(
    r"\b(matches|label changed|ambiguous|moved|missing|not checkable|screen changed|not found|"
    r"found as|another page|as the manual says|elements carry|done by|not in a browser|"
    r"no control api|could not go on|note of the manual)\b",
    re.IGNORECASE,
)


def drifting_results() -> list[InstructionResult]:
    """A walk with one instruction of each kind, among them a 2.9-like one with two findings."""
    return [
        result(
            "2.2",
            "Cliquez sur Professionnels de la santé.",
            TargetResult("«Professionnels de la santé»", "click", MATCHES, "Professionnels de la santé"),
            status=MATCHES,
        ),
        result(
            "2.5",
            "Cliquez sur Enregistrez-vous.",
            TargetResult("«Enregistrez-vous»", "click", AMBIGUOUS, "Enregistrez-vous", 3),
            status=AMBIGUOUS,
        ),
        result("2.7", "Cliquez sur Suivant.", TargetResult("«Suivant»", "click", CHANGED, "Continuer")),
        result(
            "2.9",
            "Indiquez le NISS et cliquez sur Suivant.",
            TargetResult("«NISS»", "fill", MOVED, "NISS de la carte insérée", 1, "/login", "Se connecter"),
            TargetResult("«Suivant»", "click", MISSING),
            status=MOVED,
        ),
        InstructionResult(
            "3.1", 3, "Accédez au portail.", MISSING, "", reason="TimeoutError: Timeout 5000ms exceeded."
        ),
        InstructionResult(
            "1.1", 1, "L'INAMI crée une nouvelle institution par projet.", NOT_CHECKABLE, "", reason="back office"
        ),
        InstructionResult("4.23", 4, "Remarque.", NOT_CHECKABLE, "", reason="note"),
    ]


def terminal(results: list[InstructionResult], lang: str = "fr") -> str:
    console = Console(record=True, width=200)
    print_summary(results, console, lang)
    return console.export_text()


def visible_text(page: str) -> str:
    """What a person reads in an HTML page: no style, no tags, no data URIs."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def test_the_terminal_and_the_html_speak_french_only(tmp_path: Path) -> None:
    results = drifting_results()
    results[2].screen_changed, results[2].screen_change = True, 0.05
    shown = terminal(results)
    for word in (
        "libellé modifié",
        "ambigu",
        "déplacé",
        "manquant",
        "non vérifiable",
        "écran modifié",
        "«Suivant» → «Continuer»",
        "trouvé comme «NISS de la carte insérée»",
        "fait par l'INAMI ou le back-office eHealth",
        "une note du manuel",
        "la vérification n'a pas pu continuer ici : TimeoutError",
    ):
        assert word in shown
    assert not ENGLISH.search(shown), ENGLISH.search(shown)
    page = visible_text(render_html(results, {"site": "mock manual-2018", "renamed": "—", "checked": "2026"}, ""))
    assert "conforme" in page and "écran modifié" in page and "Constats" in page
    assert not ENGLISH.search(page), ENGLISH.search(page)
    data = {
        "project": {"inami_number": "12903473", "name": "Projet X"},
        "cogap": {"full_name": "A B", "niss": "1"},
        "user": {"full_name": "C D", "niss": "2"},
    }
    console = Console(record=True, width=200)
    announce_writes(data, False, console)
    announce_writes(data, True, console)
    print_writes(wrote_into_site(data, False, None), console)
    assert not ENGLISH.search(console.export_text())


def test_the_words_are_one_table_with_a_verdict_for_every_status() -> None:
    assert set(REPORT_WORDS) == {"fr", "nl"} and set(LANGUAGES) == {"fr", "nl"}
    statuses = (MATCHES, CHANGED, AMBIGUOUS, MOVED, MISSING, NOT_CHECKABLE, SCREEN_CHANGED)
    assert [REPORT_WORDS["fr"][s] for s in statuses] == [
        "conforme",
        "libellé modifié",
        "ambigu",
        "déplacé",
        "manquant",
        "non vérifiable",
        "écran modifié",
    ]
    assert [REPORT_WORDS["nl"][s] for s in statuses] == [
        "conform",
        "label gewijzigd",
        "dubbelzinnig",
        "verplaatst",
        "ontbreekt",
        "niet controleerbaar",
        "scherm gewijzigd",
    ]


def blanks(sentence: str) -> list[str]:
    """The `{…}` a sentence has, sorted (a language may put them in another order)."""
    return sorted(name for _text, name, _spec, _conversion in Formatter().parse(sentence) if name is not None)


def test_the_dutch_column_has_every_french_sentence_with_the_same_blanks() -> None:
    french, dutch = REPORT_WORDS["fr"], REPORT_WORDS["nl"]
    assert list(dutch) == list(french)
    for key, sentence in french.items():
        assert blanks(dutch[key]) == blanks(sentence), key
        # A sentence has no stray spaces; the separator «colon» is the one word made of its spacing.
        assert dutch[key].strip() and (key == "colon" or dutch[key] == dutch[key].strip()), key
    # Every status has a verdict and a plural in both languages.
    for status in REPORT_STATUSES:
        assert status in dutch and f"plural {status}" in dutch


def test_say_fills_the_dutch_blanks_and_dutch_writes_a_decimal_comma() -> None:
    assert say("finding moved", "nl", looked_for="«NISS»", found="INSZ van de ingebrachte kaart", page="/login") == (
        "«NISS»: gevonden als «INSZ van de ingebrachte kaart» op een andere pagina van het parcours (/login)"
    )
    assert say("summary", "nl", instructions=3, by_status="3 conform", findings="geen afwijking") == (
        "3 instructies: 3 conform; bevindingen: geen afwijking"
    )
    names = {"inami_number": "12903473", "name": "Project X", "cogap": "A B", "user": "C D"}
    assert "RIZIV-nummer 12903473 «Project X»" in say("intent project", "nl", **names)
    assert "co-Hoofdtoegangsbeheerder (A B)" in say("no control", "nl", **names)
    assert "{" not in say("no control", "nl", **names) and "INAMI" not in say("no control", "nl", **names)
    assert percent(0.0042, "nl") == percent(0.0042, "fr") == "0,42\u00a0%"
    assert verdict_word(MISSING, "nl") == "ontbreekt" and verdict_word(MISSING, "nl", 2) == "ontbreken"
    assert verdict_word(CHANGED, "nl", 3) == "labels gewijzigd"


def french_pieces() -> set[str]:
    """The words of the French column a Dutch report must not show: every sentence that differs from its Dutch
    one, cut at its blanks, without the pieces the Dutch sentence has too (an address, an arrow, «…»)."""
    pieces = set()
    for key, sentence in REPORT_WORDS["fr"].items():
        dutch = REPORT_WORDS["nl"][key]
        if sentence == dutch:
            continue
        for text, _name, _spec, _conversion in Formatter().parse(sentence):
            text = text.strip(" «»():;,.→")
            if re.search(r"[^\W\d_]{3}", text) and text not in dutch:
                pieces.add(text)
    return pieces


def test_the_terminal_and_the_html_speak_dutch_when_asked(tmp_path: Path) -> None:
    pieces = french_pieces()
    assert {"conforme", "manquant", "ambigu", "Constats", "introuvable"} <= pieces
    results = drifting_results()
    results[2].screen_changed, results[2].screen_change = True, 0.05
    shown = terminal(results, "nl")
    flat = " ".join(shown.split())
    for word in (
        "label gewijzigd",
        "dubbelzinnig",
        "verplaatst",
        "ontbreekt",
        "niet controleerbaar",
        "scherm gewijzigd",
        "«Suivant» → «Continuer»",
        "gevonden als «NISS de la carte insérée»",
        "ontbreekt — «Suivant»: niet gevonden",
        "gedaan door het RIZIV of de eHealth-backoffice",
        "een opmerking van de handleiding",
        "de controle kon hier niet verder",
        "5,00 % van de pixels verschilt",
        "De handleiding getoetst aan de site",
        "oordeel",
    ):
        assert word in flat, word
    assert "5,00\u00a0%" in shown
    assert (
        "7 instructies: 1 conform, 1 label gewijzigd, 1 dubbelzinnig, 1 verplaatst, 1 ontbreekt, 2 niet "
        "controleerbaar; bevindingen: 1 label gewijzigd, 1 dubbelzinnig, 1 verplaatst, 2 ontbreken, 2 niet "
        "controleerbaar, 1 scherm gewijzigd"
    ) in flat
    for piece in pieces:
        assert piece not in flat, piece
    assert not ENGLISH.search(shown), ENGLISH.search(shown)
    about = {
        "site": "mock manual-2018",
        "renamed": "—",
        "checked": "2026",
        "compared_with": "vorige",
        "compare_threshold": 0.002,
    }
    page = visible_text(render_html(results, about, "", lang="nl"))
    assert '<html lang="nl">' in render_html(results, about, "", lang="nl")
    for word in (
        "conform",
        "label gewijzigd",
        "dubbelzinnig",
        "verplaatst",
        "ontbreekt",
        "niet controleerbaar",
        "scherm gewijzigd",
        "Instructies",
        "Bevindingen",
        "hernoemde labels",
        "vergeleken met",
        "Geen wijzigingen.",
    ):
        assert word in page, word
    # The manual's own words stay French (the instructions are quoted); none of the report's French words show.
    for piece in pieces:
        assert piece not in page, piece
    assert not ENGLISH.search(page), ENGLISH.search(page)


def test_what_the_walk_wrote_into_the_site_in_dutch(tmp_path: Path) -> None:
    pieces = french_pieces()
    console = Console(record=True, width=300)
    announce_writes(WALK_DATA, False, console, "nl")
    announce_writes(WALK_DATA, True, console, "nl")
    ticked = [result("4.18", "Cochez le rôle.", TargetResult("«Rôle»", "tick", MATCHES, "Rôle"), status=MATCHES)]
    print_writes(wrote_into_site(WALK_DATA, True, sample_state(), ticked, "nl"), console, "nl")
    print_writes(wrote_into_site(WALK_DATA, True, sample_state(deleted=False), ticked, "nl"), console, "nl")
    print_writes(wrote_into_site(WALK_DATA, False, None, lang="nl"), console, "nl")
    print_writes(wrote_into_site(WALK_DATA, True, None, lang="nl"), console, "nl")
    said = " ".join(console.export_text().split())
    for words in (
        "Wat de controle in de site schrijft",
        "Wat de controle in de site geschreven heeft",
        "RIZIV-nummer 12903473 «Projet de soins intégrés Sint-Laureins-Berchem»",
        "co-Hoofdtoegangsbeheerder (Alessio Gilson)",
        "Hoofdtoegangsbeheerder ingediend via de schermen (CSAM-2026-712034)",
        "die gebruiker verwijderd via de schermen",
        "die gebruiker werd niet verwijderd",
        "Geen controle-API op dit adres",
    ):
        assert words in said, words
    for piece in pieces:
        assert piece not in said, piece
    # Dutch sets no space before a colon (French does: «Ce que la vérification a écrit dans le site :»).
    assert "Wat de controle in de site schrijft:" in said and "geschreven heeft:" in said and " :" not in said
    paths = write_report(
        ticked,
        tmp_path,
        {"site": "mock"},
        wrote=wrote_into_site(WALK_DATA, True, sample_state(), ticked, "nl"),
        lang="nl",
    )
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["lang"] == "nl" and report["verdicts"][MISSING] == "ontbreekt"
    assert report["instructions"][0]["detail"] == "zoals de handleiding zegt"
    assert "Wat de controle in de site geschreven heeft" in paths["html"].read_text(encoding="utf-8")
    files = Console(record=True, width=300)
    print_files(paths, files, "nl")
    assert files.export_text().startswith("Geschreven bestanden:\n  JSON-rapport: ")


def test_every_finding_is_shown_and_counted_not_only_an_instructions_first(tmp_path: Path) -> None:
    results = drifting_results()
    shown = terminal(results)
    # 2.9 is «déplacé», and its missing «Suivant» is shown too, with its own verdict.
    row = shown[shown.index("2.9") : shown.index("3.1")]
    assert "déplacé" in row and "manquant — «Suivant» : introuvable" in row
    assert (
        "7 instructions : 1 conforme, 1 libellé modifié, 1 ambigu, 1 déplacé, 1 manquant, 2 non vérifiables ; "
        "constats : 1 libellé modifié, 1 ambigu, 1 déplacé, 2 manquants, 2 non vérifiables"
    ) in " ".join(shown.split())
    counted = finding_counts(results)
    assert (counted[MATCHES], counted[MOVED], counted[MISSING], counted[NOT_CHECKABLE]) == (1, 1, 2, 2)
    report = json.loads(write_report(results, tmp_path, {"site": "mock"})["json"].read_text(encoding="utf-8"))
    assert report["counts"][MOVED] == 1 and report["counts"][MISSING] == 1
    assert report["findings"][MISSING] == 2 and report["findings"][MOVED] == 1
    nine = next(i for i in report["instructions"] if i["id"] == "2.9")
    assert (nine["status"], nine["verdict"]) == (MOVED, "déplacé")
    assert [(f["status"], f["verdict"]) for f in nine["findings"]] == [(MOVED, "déplacé"), (MISSING, "manquant")]
    assert report["drifted"] == ["2.5", "2.7", "2.9", "3.1"]


def sample_state(*, deleted: bool = True) -> dict[str, Any]:
    """The mock's state after a walk: the project, its active registration, the co-GAP, the user (deleted)."""
    members = [{"niss": "54021488537", "kind": "gap"}, {"niss": "01022570168", "kind": "cogap"}]
    if not deleted:
        members.append({"niss": "97080625806", "kind": "user"})
    return {
        "persons": [{"niss": "97080625806"}],
        "projects": [
            {
                "inami_number": "12903473",
                "name": "Projet de soins intégrés Sint-Laureins-Berchem",
                "access_managers": [{"kind": "gap", "niss": "54021488537"}, {"kind": "cogap", "niss": "01022570168"}],
                "members": members,
                "registrations": [
                    {
                        "request_number": "CSAM-2026-712034",
                        "status": "active",
                        "signed_document_received_at": "2026-12-04T21:27:17",
                    }
                ],
            }
        ],
    }


WALK_DATA = {
    "project": {"inami_number": "12903473", "name": "Projet de soins intégrés Sint-Laureins-Berchem"},
    "cogap": {"full_name": "Alessio Gilson", "niss": "01022570168"},
    "user": {"full_name": "Anne Goblet", "niss": "97080625806"},
}


def test_the_report_says_what_the_walk_wrote_into_the_site(tmp_path: Path) -> None:
    ticked = [result("4.18", "Cochez le rôle.", TargetResult("«Rôle»", "tick", MATCHES, "Rôle"), status=MATCHES)]
    wrote = wrote_into_site(WALK_DATA, True, sample_state(), ticked)
    assert {w["what"]: w["done"] for w in wrote["writes"]} == {
        "project": True,
        "gap_request": True,
        "signed_document": True,
        "cogap": True,
        "user": True,
        "roles": True,
        "user_deleted": True,
    }
    text = "\n".join(wrote["text"])
    assert "N°INAMI 12903473 «Projet de soins intégrés Sint-Laureins-Berchem»" in text
    assert "POST /_mock/registrations/CSAM-2026-712034/signed-document-received" in text and "Alessio Gilson" in text
    kept = wrote_into_site(WALK_DATA, True, sample_state(deleted=False), ticked)
    assert {w["what"]: w["done"] for w in kept["writes"]}["user_deleted"] is False
    blind = wrote_into_site(WALK_DATA, False, None)
    assert blind["writes"] == [] and "n'a pas pu" in blind["text"][0] and "12903473" in blind["text"][0]
    paths = write_report(ticked, tmp_path, {"site": "mock"}, wrote=wrote)
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["wrote_into_site"]["project"]["inami_number"] == (
        "12903473"
    )
    assert "Ce que la vérification a écrit dans le site" in paths["html"].read_text(encoding="utf-8")
    console = Console(record=True, width=300)
    announce_writes(WALK_DATA, True, console)
    said = console.export_text()
    assert "POST /_mock/szv/projects" in said and "12903473" in said and "signed-document-received" in said


def png(changed_pixels: int = 0, size: tuple[int, int] = (100, 100)) -> str:
    """A grey PNG, base64, with the first `changed_pixels` pixels black."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 200, 200))
    for n in range(changed_pixels):
        image.putpixel((n % size[0], n // size[0]), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def shot(ident: str, screenshot: str | None, status: str = MATCHES) -> InstructionResult:
    target = TargetResult(f"«{ident}»", "click", status, "Autre" if status == CHANGED else ident)
    return InstructionResult(
        ident, int(ident[0]), f"Cliquez sur {ident}.", status, "", "/x", "Page", screenshot, [target]
    )


def test_the_visual_check_flags_changed_screens_as_their_own_verdict_or_an_added_finding(tmp_path: Path) -> None:
    previous, current = tmp_path / "previous", tmp_path / "current"
    write_report(
        [
            shot("2.1", png()),
            shot("2.2", png()),
            shot("2.3", png()),
            shot("2.4", png()),
            shot("2.5", png()),
            shot("2.6", None),
        ],
        previous,
        {"site": "mock"},
    )
    now = [
        shot("2.1", png()),  # the same
        shot("2.2", png(500)),  # 5 % of the pixels changed
        shot("2.3", png(1)),  # 0.01 %: under the threshold
        shot("2.4", png(500), CHANGED),  # drifted in words as well
        shot("2.5", png(size=(100, 50))),  # another size
        shot("2.6", png()),  # no screenshot before
        shot("2.7", png()),
    ]  # not in the previous report
    assert compare_screens(now, previous, 0.002) == ["2.2", "2.4", "2.5", "2.6"]
    by_id = {r.id: r for r in now}
    assert [by_id[i].status for i in ("2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7")] == [
        MATCHES,
        SCREEN_CHANGED,
        MATCHES,
        CHANGED,
        SCREEN_CHANGED,
        SCREEN_CHANGED,
        MATCHES,
    ]
    assert by_id["2.2"].screen_change == pytest.approx(0.05) and by_id["2.3"].screen_change == pytest.approx(0.0001)
    assert by_id["2.2"].drifted and by_id["2.4"].drifted and not by_id["2.3"].drifted
    paths = write_report(now, current, {"site": "mock"}, previous=previous)
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["counts"][SCREEN_CHANGED] == 3 and report["findings"][SCREEN_CHANGED] == 4
    assert report["drifted"] == ["2.2", "2.4", "2.5", "2.6"]
    four = next(i for i in report["instructions"] if i["id"] == "2.4")
    assert [f["verdict"] for f in four["findings"]] == ["libellé modifié", "écran modifié"]
    assert "5,00\u00a0% des pixels diffèrent" in four["detail"]
    # The changed screens come with the previous report's screenshot beside this one's.
    page = paths["html"].read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 7 + 4 - 1  # 2.6 had none before
    assert "écran modifié" in terminal(now)


def test_a_small_change_passes_a_higher_threshold(tmp_path: Path) -> None:
    write_report([shot("2.2", png())], tmp_path, {"site": "mock"})
    now = [shot("2.2", png(500))]
    assert compare_screens(now, tmp_path, 0.06) == [] and now[0].status == MATCHES and not now[0].drifted


def test_the_mocks_notice_is_left_out_of_the_visual_check_on_either_side(tmp_path: Path) -> None:
    # png(500): the first five rows black, as the mock's notice would differ between two site versions.
    notice = [[0, 0, 100, 5]]
    before = shot("2.2", png())
    before.notice_regions = notice
    write_report([before, shot("2.3", png())], tmp_path, {"site": "mock"})
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["instructions"][0]["notice_regions"] == (
        notice
    )
    now = [shot("2.2", png(500)), shot("2.3", png(500))]
    now[1].notice_regions = [[0, 0, 100, 4]]  # one row of the change outside the notice: 1 %, a change
    assert compare_screens(now, tmp_path, 0.002) == ["2.3"]
    assert now[0].screen_change == 0 and now[0].status == MATCHES
    assert now[1].screen_change == pytest.approx(0.01)


@pytest.mark.parametrize("case", ["absent", "file", "no report", "not json", "not a report"])
def test_compare_with_something_that_is_not_a_previous_report_stops_before_the_walk(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "previous"
    if case == "file":
        folder.write_text("x", encoding="utf-8")
    elif case != "absent":
        folder.mkdir()
        if case == "not json":
            (folder / "report.json").write_text("{not json", encoding="utf-8")
        elif case == "not a report":
            (folder / "report.json").write_text("[1, 2]", encoding="utf-8")
    answer = CliRunner().invoke(harness_cli, ["check-manual", "--compare", str(folder), "--out", str(tmp_path / "out")])
    assert answer.exit_code == 2, answer.output
    assert "--compare" in answer.output and str(folder) in answer.output
    assert "Traceback" not in answer.output and isinstance(answer.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_the_report_speaks_only_the_languages_it_has_words_for() -> None:
    answer = CliRunner().invoke(harness_cli, ["check-manual", "--lang", "de"])
    assert answer.exit_code == 2 and "Invalid value for '--lang'" in answer.output
    assert "[fr|nl]" in " ".join(CliRunner().invoke(harness_cli, ["check-manual", "--help"]).output.split())


def test_every_browser_instruction_but_the_note_says_how_to_check_it_with_its_own_words() -> None:
    manual = load_manual()
    assert {i.id for i in manual if i.browser and not i.check} == {"4.23"}
    for instruction in manual:
        for target in instruction.check:
            assert target.label is None or target.verb == "go" or target.label in instruction.labels


def test_a_check_item_with_words_the_instruction_does_not_name_is_refused(tmp_path: Path) -> None:
    from e2e.manual import MANUAL_FILE

    text = MANUAL_FILE.read_text(encoding="utf-8").replace(
        '{click: "Exécuter", role: button}', '{click: "Lancer", role: button}'
    )
    broken = tmp_path / "manual.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ManualError, match="'Lancer' is not among the instruction's labels"):
        load_manual(broken)


# ---------------------------------------------------------------------------------------------------------
# Renamed labels in the mock
# ---------------------------------------------------------------------------------------------------------


def test_a_renamed_label_shows_with_its_new_words_on_every_page_and_in_forms() -> None:
    app = create_app(
        {"DATABASE": ":memory:", "RENAMED_LABELS": {"Suivant": "Continuer", "Demande d'accès": "Demander un accès"}}
    )
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
