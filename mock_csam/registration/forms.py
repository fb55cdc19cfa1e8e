"""The forms of the registration wizard; the rules that judge their answers live in domain.rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice

from ..domain.rules import IDENTIFICATION_TYPES
from ..i18n import _l
from . import LANGUAGE_NAMES

LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]

# Choice checks are the rules' job (in French, next to the field): WTForms' own would answer in English.
_NO_CHOICE_CHECK = {"validate_choice": False}


class IdentificationForm(FlaskForm):
    """2.6-2.7: the kind of organisation and its INAMI number."""

    identification_type = SelectField(
        _l("Type d'identification"),
        choices=[SelectChoice("", _l("— Choisissez —"))]
        + [SelectChoice(value, label) for value, label in IDENTIFICATION_TYPES.items()],
        **_NO_CHOICE_CHECK,
    )
    inami_number = StringField(
        _l("N°INAMI"), render_kw={"maxlength": 20, "inputmode": "numeric", "autocomplete": "off"}
    )


class OrganisationForm(FlaskForm):
    """2.8: the organisation's data are only confirmed; the form carries the CSRF token."""


class GapForm(FlaskForm):
    """2.9: the main access manager's identity and contact data."""

    niss = StringField(_l("NISS"), render_kw={"maxlength": 20, "inputmode": "numeric", "autocomplete": "off"})
    last_name = StringField(_l("Nom"), render_kw={"maxlength": 100, "autocomplete": "family-name"})
    first_name = StringField(_l("Prénom"), render_kw={"maxlength": 100, "autocomplete": "given-name"})
    email = EmailField(_l("Adresse e-mail"), render_kw={"maxlength": 200, "autocomplete": "email"})
    phone = TelField(_l("Numéro de téléphone"), render_kw={"maxlength": 20, "autocomplete": "tel"})
    language = SelectField(_l("Langue"), choices=LANGUAGE_CHOICES, default="fr", **_NO_CHOICE_CHECK)


class ConfirmationForm(FlaskForm):
    """2.10-2.11: credentials by post (optional) and the «oui, je confirme» box."""

    credentials_by_post = BooleanField(_l("Je souhaite recevoir un nom d'utilisateur et un mot de passe par la poste"))
    confirm = BooleanField(_l("oui, je confirme"))
