"""Every word check-manual's report shows a person, by language (French and Dutch: a language is a column of
WORDS, with the same keys and the same `{…}` in each sentence), and the statuses the report adds to the walk's:
the visual check's «écran modifié» («scherm gewijzigd»)."""

from __future__ import annotations

from typing import Any

from .page_words import AMBIGUOUS, CHANGED, MATCHES, MISSING, MOVED, NOT_CHECKABLE, STATUSES

# The visual check's own status: the words agree, the screen does not look as it did in the previous report.
SCREEN_CHANGED = "screen changed"
REPORT_STATUSES = (*STATUSES, SCREEN_CHANGED)

LANGUAGES = ("fr", "nl")
DEFAULT_LANGUAGE = "fr"
# The languages that write a decimal comma (and a space before «%»).
DECIMAL_COMMA = frozenset({"fr", "nl"})

# Every word the report shows, by language. `{…}` are filled in by `say`.
WORDS: dict[str, dict[str, str]] = {
    "fr": {
        # French sets a colon off with a space; a label renamed where the text does not name it; the diff's files.
        "colon": " : ",
        "now called": "« {old} » s'appelle maintenant « {new} »",
        "diff manual": "manuel",
        "diff proposed": "manuel-propose",
        # The verdicts, one per status id, and their plural for the counts.
        MATCHES: "conforme",
        CHANGED: "libellé modifié",
        AMBIGUOUS: "ambigu",
        MOVED: "déplacé",
        MISSING: "manquant",
        NOT_CHECKABLE: "non vérifiable",
        SCREEN_CHANGED: "écran modifié",
        f"plural {MATCHES}": "conformes",
        f"plural {CHANGED}": "libellés modifiés",
        f"plural {AMBIGUOUS}": "ambigus",
        f"plural {MOVED}": "déplacés",
        f"plural {MISSING}": "manquants",
        f"plural {NOT_CHECKABLE}": "non vérifiables",
        f"plural {SCREEN_CHANGED}": "écrans modifiés",
        # What a finding says.
        f"finding {CHANGED}": "{looked_for} → «{found}»",
        f"finding {AMBIGUOUS}": "{looked_for} : {count} éléments portent ces mots",
        f"finding {MOVED}": "{looked_for} : trouvé comme «{found}» sur une autre page du parcours ({page})",
        f"finding {MISSING}": "{looked_for} : introuvable",
        f"finding {SCREEN_CHANGED}": "l'écran a changé depuis la vérification précédente : {share} des pixels "
        "diffèrent",
        "screen gone": "la vérification précédente avait une capture d'écran ici, celle-ci n'en a pas",
        "screen new": "la vérification précédente n'avait pas de capture d'écran ici",
        "as the manual says": "comme le dit le manuel",
        "back office": "fait par l'INAMI ou le back-office eHealth, pas dans un navigateur",
        "note": "une note du manuel : aucun écran où agir",
        "walk stopped": "la vérification n'a pas pu continuer ici",
        # The terminal.
        "title": "Le manuel face au site",
        "column id": "ID",
        "column verdict": "verdict",
        "column detail": "ce que le site montre",
        "walking": "Le manuel, instruction par instruction…",
        "summary": "{instructions} instructions : {by_status} ; constats : {findings}",
        "no drift": "aucun écart",
        "files": "Fichiers écrits",
        "file json": "rapport JSON",
        "file html": "rapport HTML",
        "file manual": "manuel proposé",
        "file diff": "différences avec le manuel",
        "file screenshots": "captures d'écran",
        # What the walk writes into the site.
        "will write": "Ce que la vérification va écrire dans le site",
        "wrote": "Ce que la vérification a écrit dans le site",
        "intent project": "enregistrer le projet de test N°INAMI {inami_number} «{name}» par l'API de contrôle "
        "(POST /_mock/szv/projects)",
        "intent document": "faire recevoir le document signé par le back-office "
        "(POST /_mock/registrations/<n>/signed-document-received)",
        "intent screens": "par les écrans : créer une demande de désignation de Gestionnaire d'Accès Principal, "
        "un co-gestionnaire principal d'accès ({cogap}), un utilisateur ({user}) avec des rôles, "
        "puis supprimer cet utilisateur",
        "no control": "Pas d'API de contrôle à cette adresse : la vérification n'enregistre pas le projet de test "
        "N°INAMI {inami_number} «{name}» et le back-office ne peut pas recevoir le document signé "
        "(les étapes 3 et 4 en ont besoin). Par les écrans, elle tentera de créer une demande de "
        "désignation de Gestionnaire d'Accès Principal, un co-gestionnaire principal d'accès "
        "({cogap}) et un utilisateur ({user}) avec des rôles, puis de supprimer cet utilisateur.",
        "done project": "le projet de test N°INAMI {inami_number} «{name}» enregistré par l'API de contrôle "
        "(POST /_mock/szv/projects)",
        "not done project": "le projet de test N°INAMI {inami_number} «{name}» n'est pas enregistré",
        "done gap_request": "une demande de désignation de Gestionnaire d'Accès Principal introduite par les "
        "écrans ({request_number})",
        "not done gap_request": "aucune demande de désignation de Gestionnaire d'Accès Principal n'a abouti",
        "done signed_document": "le document signé reçu par le back-office (POST /_mock/registrations/"
        "{request_number}/signed-document-received)",
        "not done signed_document": "le document signé n'a pas été reçu par le back-office",
        "done cogap": "un co-gestionnaire principal d'accès créé par les écrans ({cogap})",
        "not done cogap": "aucun co-gestionnaire principal d'accès créé ({cogap})",
        "done user": "un utilisateur créé par les écrans ({user})",
        "done roles": "des rôles attribués à cet utilisateur par les écrans",
        "not done roles": "aucun rôle attribué à cet utilisateur",
        "not done user": "aucun utilisateur créé ({user})",
        "done user_deleted": "cet utilisateur supprimé par les écrans",
        "not done user_deleted": "cet utilisateur n'a pas été supprimé : il est toujours dans le site",
        "tried screens": "par les écrans, de créer une demande de désignation de Gestionnaire d'Accès Principal, "
        "un co-gestionnaire principal d'accès ({cogap}), un utilisateur ({user}) avec des rôles, "
        "puis de supprimer cet utilisateur",
        "unknown": "sans API de contrôle, la vérification ne peut pas savoir ce que les écrans ont créé : elle a "
        "tenté, {screens}",
        "state unreadable": "l'état du site n'a pas pu être relu après la vérification ; elle a enregistré le "
        "projet de test par l'API de contrôle et tenté, {screens}",
        "cannot": "la vérification n'a pas pu enregistrer le projet de test N°INAMI {inami_number} «{name}» ni "
        "faire recevoir le document signé par le back-office",
        # The HTML report.
        "about site": "site",
        "about renamed": "libellés renommés",
        "about checked": "vérifié le",
        "about compared_with": "comparé à",
        "about compare_threshold": "seuil de l'écran modifié",
        "instructions counted": "Instructions",
        "findings counted": "Constats",
        "screenshot alt": "{id} : la page où l'instruction a été vérifiée",
        "previous screenshot alt": "{id} : la même page lors de la vérification précédente",
        "before": "Vérification précédente",
        "now": "Cette vérification",
        "proposed diff": "Manuel proposé (diff)",
        "no change": "Aucun changement.",
    },
    "nl": {
        "colon": ": ",
        "now called": "« {old} » heet nu « {new} »",
        "diff manual": "handleiding",
        "diff proposed": "voorgestelde-handleiding",
        # The verdicts, one per status id, and their plural for the counts.
        MATCHES: "conform",
        CHANGED: "label gewijzigd",
        AMBIGUOUS: "dubbelzinnig",
        MOVED: "verplaatst",
        MISSING: "ontbreekt",
        NOT_CHECKABLE: "niet controleerbaar",
        SCREEN_CHANGED: "scherm gewijzigd",
        f"plural {MATCHES}": "conform",
        f"plural {CHANGED}": "labels gewijzigd",
        f"plural {AMBIGUOUS}": "dubbelzinnig",
        f"plural {MOVED}": "verplaatst",
        f"plural {MISSING}": "ontbreken",
        f"plural {NOT_CHECKABLE}": "niet controleerbaar",
        f"plural {SCREEN_CHANGED}": "schermen gewijzigd",
        # What a finding says.
        f"finding {CHANGED}": "{looked_for} → «{found}»",
        f"finding {AMBIGUOUS}": "{looked_for}: {count} elementen hebben deze woorden",
        f"finding {MOVED}": "{looked_for}: gevonden als «{found}» op een andere pagina van het parcours ({page})",
        f"finding {MISSING}": "{looked_for}: niet gevonden",
        f"finding {SCREEN_CHANGED}": "het scherm is veranderd sinds de vorige controle: {share} van de pixels "
        "verschilt",
        "screen gone": "de vorige controle had hier een schermafdruk, deze niet",
        "screen new": "de vorige controle had hier geen schermafdruk",
        "as the manual says": "zoals de handleiding zegt",
        "back office": "gedaan door het RIZIV of de eHealth-backoffice, niet in een browser",
        "note": "een opmerking van de handleiding: geen scherm om iets te doen",
        "walk stopped": "de controle kon hier niet verder",
        # The terminal.
        "title": "De handleiding getoetst aan de site",
        "column id": "ID",
        "column verdict": "oordeel",
        "column detail": "wat de site toont",
        "walking": "De handleiding, instructie per instructie…",
        "summary": "{instructions} instructies: {by_status}; bevindingen: {findings}",
        "no drift": "geen afwijking",
        "files": "Geschreven bestanden",
        "file json": "JSON-rapport",
        "file html": "HTML-rapport",
        "file manual": "voorgestelde handleiding",
        "file diff": "verschillen met de handleiding",
        "file screenshots": "schermafdrukken",
        # What the walk writes into the site.
        "will write": "Wat de controle in de site schrijft",
        "wrote": "Wat de controle in de site geschreven heeft",
        "intent project": "het testproject met RIZIV-nummer {inami_number} «{name}» registreren via de controle-API "
        "(POST /_mock/szv/projects)",
        "intent document": "het ondertekende document door de backoffice laten ontvangen "
        "(POST /_mock/registrations/<n>/signed-document-received)",
        "intent screens": "via de schermen: een aanvraag tot aanstelling van een Hoofdtoegangsbeheerder aanmaken, "
        "een co-Hoofdtoegangsbeheerder ({cogap}), een gebruiker ({user}) met rollen, en die "
        "gebruiker daarna verwijderen",
        "no control": "Geen controle-API op dit adres: de controle registreert het testproject met RIZIV-nummer "
        "{inami_number} «{name}» niet en de backoffice kan het ondertekende document niet ontvangen "
        "(stappen 3 en 4 hebben dat nodig). Via de schermen probeert ze een aanvraag tot aanstelling "
        "van een Hoofdtoegangsbeheerder aan te maken, een co-Hoofdtoegangsbeheerder ({cogap}) en een "
        "gebruiker ({user}) met rollen, en die gebruiker daarna te verwijderen.",
        "done project": "het testproject met RIZIV-nummer {inami_number} «{name}» geregistreerd via de controle-API "
        "(POST /_mock/szv/projects)",
        "not done project": "het testproject met RIZIV-nummer {inami_number} «{name}» is niet geregistreerd",
        "done gap_request": "een aanvraag tot aanstelling van een Hoofdtoegangsbeheerder ingediend via de schermen "
        "({request_number})",
        "not done gap_request": "geen enkele aanvraag tot aanstelling van een Hoofdtoegangsbeheerder is gelukt",
        "done signed_document": "het ondertekende document ontvangen door de backoffice (POST /_mock/registrations/"
        "{request_number}/signed-document-received)",
        "not done signed_document": "het ondertekende document werd niet ontvangen door de backoffice",
        "done cogap": "een co-Hoofdtoegangsbeheerder aangemaakt via de schermen ({cogap})",
        "not done cogap": "geen co-Hoofdtoegangsbeheerder aangemaakt ({cogap})",
        "done user": "een gebruiker aangemaakt via de schermen ({user})",
        "done roles": "rollen toegekend aan die gebruiker via de schermen",
        "not done roles": "geen enkele rol toegekend aan die gebruiker",
        "not done user": "geen gebruiker aangemaakt ({user})",
        "done user_deleted": "die gebruiker verwijderd via de schermen",
        "not done user_deleted": "die gebruiker werd niet verwijderd en staat nog altijd in de site",
        "tried screens": "om via de schermen een aanvraag tot aanstelling van een Hoofdtoegangsbeheerder aan te maken, "
        "een co-Hoofdtoegangsbeheerder ({cogap}), een gebruiker ({user}) met rollen, en die "
        "gebruiker daarna te verwijderen",
        "unknown": "zonder controle-API kan de controle niet weten wat de schermen aangemaakt hebben: ze heeft "
        "geprobeerd {screens}",
        "state unreadable": "de toestand van de site kon na de controle niet opnieuw gelezen worden; ze heeft het "
        "testproject geregistreerd via de controle-API en geprobeerd {screens}",
        "cannot": "de controle kon het testproject met RIZIV-nummer {inami_number} «{name}» niet registreren en het "
        "ondertekende document niet door de backoffice laten ontvangen",
        # The HTML report.
        "about site": "site",
        "about renamed": "hernoemde labels",
        "about checked": "gecontroleerd op",
        "about compared_with": "vergeleken met",
        "about compare_threshold": "drempel voor scherm gewijzigd",
        "instructions counted": "Instructies",
        "findings counted": "Bevindingen",
        "screenshot alt": "{id}: de pagina waarop de instructie gecontroleerd werd",
        "previous screenshot alt": "{id}: dezelfde pagina bij de vorige controle",
        "before": "Vorige controle",
        "now": "Deze controle",
        "proposed diff": "Voorgestelde handleiding (diff)",
        "no change": "Geen wijzigingen.",
    },
}


def say(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """A sentence of the report in `lang`, its blanks filled in."""
    text = WORDS[lang][key]
    return text.format(**values) if values else text


def verdict_word(status: str, lang: str = DEFAULT_LANGUAGE, n: int = 1) -> str:
    """The verdict a person reads for a status id (plural for a count above one)."""
    return say(f"plural {status}" if n > 1 else status, lang)


def percent(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A share as the language writes a percentage (French and Dutch: «0,42 %», a decimal comma)."""
    number = f"{share * 100:.2f}"
    return f"{number.replace('.', ',')}\u00a0%" if lang in DECIMAL_COMMA else f"{number} %"
