"""The CSAM registration wizard: a project's responsable designates its main access manager (step 2)."""

# Each language is named in its own words, as language choices usually are; the codes are rules.LANGUAGE_CODES.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
