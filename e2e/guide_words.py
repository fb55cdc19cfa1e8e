"""Every word the walkthrough's outputs show a trainer besides the edition's own text, by language: the guide's
title, sections, badges and warnings, the verbs next to the markers' numbers, the title cards' subtitle, and what
the command says in the terminal while it records. A language is a column here (and an edition of the manual in
that language)."""

from __future__ import annotations

GUIDE_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Manuel d'utilisateurs pour les étapes préparatoires de l'application d'inclusion",
        "guide": "guide illustré",
        "changes": "Ce qui a changé depuis l'édition précédente",
        "changed": "modifiée",
        "disambiguated": "précisée",
        "moved": "déplacée",
        "added": "ajoutée",
        "removed": "supprimée",
        "unverified": "non vérifié",
        "no previous": "pas de capture précédente",
        "no current": "pas de capture dans cette édition",
        "marks lead": "Sur la capture :",
        "before": "Avant",
        "now": "Maintenant",
        "before short": "avant",
        "after short": "après",
        "attention": "Attention",
        "intro": "Guide illustré : chaque instruction du manuel, telle qu'elle se fait sur le site (données "
        "fictives). Les numéros rouges sur une capture sont les éléments utilisés, dans l'ordre où ils "
        "l'ont été.",
        "generated": "générée le {date}",
        "from site": "à partir de {site}",
        "edition": "Édition {what}.",
        "previous edition": "Édition précédente : {name}.",
        "translation": "Traduction de l'édition «{name}», faite pour ce projet.",
        "step": "ÉTAPE {n}",
        "chapter": "Manuel d'utilisateurs – application d'inclusion",
        "capture": "capture",
        "fill": "Saisir",
        "select_option": "Choisir",
        "check": "Cocher",
        "uncheck": "Décocher",
        "click": "Cliquer sur",
        # French sets a colon off with a space.
        "colon": " : ",
        # The command's terminal lines.
        "recording": "Enregistrement…",
        "captures only": "Captures…",
        "filming steps": "Vidéo des étapes {steps}…",
        "no ffmpeg": "Pas de ffmpeg pour la vidéo (Playwright le cherche à {path}) : installez le ffmpeg de Debian "
        "(`apt-get install ffmpeg`) ou le paquet imageio-ffmpeg (`pip install imageio-ffmpeg`), puis lancez "
        "`csam-harness doctor --fix`. Les captures et le guide sont écrits sans vidéo.",
        "no video": "Pas de vidéo :",
        "changed since": "Captures modifiées depuis {previous} : {ids}",
        "nothing": "aucune",
        "outputs": "Enregistrement du manuel",
        "what": "quoi",
        "where": "où",
        "file screenshots": "captures d'écran",
        "file video": "vidéo",
        "file subtitles": "sous-titres",
        "file guide": "guide",
        "file guide (PDF)": "guide (PDF)",
        "file guide (DOCX)": "guide (Word)",
        "file manifest": "manifeste",
        "file compare": "comparaison",
        "summary": "{n} instructions ; NISS masqués : {covered} ; NISS lisibles : {readable}",
        "stopped": "L'enregistrement s'est arrêté à l'instruction {id} («{text}») : {error}",
        "page shows": "La page {url} montre : {heading}",
        "page error": "  erreur affichée : «{error}»",
        "no control api": "Pas d'API de contrôle à {url} : l'enregistrement y enregistre le projet de test (l'étape 1 "
        "est celle de l'INAMI). Servez le site avec l'API de contrôle (`csam-mock serve --control-api`).",
    },
    "nl": {
        "title": "Gebruikershandleiding voor de voorbereidende stappen van de inclusietoepassing",
        "guide": "geïllustreerde handleiding",
        "changes": "Wat is er veranderd sinds de vorige editie",
        "changed": "gewijzigd",
        "disambiguated": "verduidelijkt",
        "moved": "verplaatst",
        "added": "toegevoegd",
        "removed": "verwijderd",
        "unverified": "niet geverifieerd",
        "no previous": "geen vorige schermafbeelding",
        "no current": "geen schermafbeelding in deze editie",
        "marks lead": "Op de schermafbeelding:",
        "before": "Vroeger",
        "now": "Nu",
        "before short": "vroeger",
        "after short": "nu",
        "attention": "Opgelet",
        "intro": "Geïllustreerde handleiding: elke instructie van de handleiding zoals ze op de site wordt "
        "uitgevoerd (fictieve gegevens). De rode nummers op een schermafbeelding zijn de gebruikte "
        "elementen, in de volgorde waarin ze gebruikt werden.",
        "generated": "gegenereerd op {date}",
        "from site": "op basis van {site}",
        "edition": "Editie {what}.",
        "previous edition": "Vorige editie: {name}.",
        "translation": "Vertaling van de editie «{name}», gemaakt voor dit project (geen officiële tekst).",
        "step": "STAP {n}",
        "chapter": "Gebruikershandleiding – inclusietoepassing",
        "capture": "schermafbeelding",
        "fill": "Invullen",
        "select_option": "Kiezen",
        "check": "Aanvinken",
        "uncheck": "Uitvinken",
        "click": "Klikken op",
        "colon": ": ",
        "recording": "Opname…",
        "captures only": "Schermafbeeldingen…",
        "filming steps": "Video van de stappen {steps}…",
        "no ffmpeg": "Geen ffmpeg voor de video (Playwright zoekt het in {path}): installeer de ffmpeg van Debian "
        "(`apt-get install ffmpeg`) of het pakket imageio-ffmpeg (`pip install imageio-ffmpeg`) en voer dan "
        "`csam-harness doctor --fix` uit. De schermafbeeldingen en de handleiding worden zonder video geschreven.",
        "no video": "Geen video:",
        "changed since": "Gewijzigde schermafbeeldingen sinds {previous}: {ids}",
        "nothing": "geen",
        "outputs": "Opname van de handleiding",
        "what": "wat",
        "where": "waar",
        "file screenshots": "schermafbeeldingen",
        "file video": "video",
        "file subtitles": "ondertitels",
        "file guide": "handleiding",
        "file guide (PDF)": "handleiding (PDF)",
        "file guide (DOCX)": "handleiding (Word)",
        "file manifest": "manifest",
        "file compare": "vergelijking",
        "summary": "{n} instructies; INSZ afgedekt: {covered}; INSZ leesbaar: {readable}",
        "stopped": "De opname is gestopt bij instructie {id} («{text}»): {error}",
        "page shows": "De pagina {url} toont: {heading}",
        "page error": "  getoonde fout: «{error}»",
        "no control api": "Geen controle-API op {url}: de opname registreert er het testproject mee (stap 1 is die "
        "van het RIZIV). Start de site met de controle-API (`csam-mock serve --control-api`).",
    },
}
GUIDE_LANGUAGES = tuple(GUIDE_WORDS)


def guide_words(lang: str) -> dict[str, str]:
    """The walkthrough's words in a language (KeyError naming it when there is no such column)."""
    try:
        return GUIDE_WORDS[lang]
    except KeyError:
        raise KeyError(f"the walkthrough has no words in {lang!r}: one of {', '.join(GUIDE_LANGUAGES)}") from None
