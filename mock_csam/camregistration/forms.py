"""The forms of today's CSAM registration page; the rules that judge their answers live in domain.rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TelField

from ..domain.rules import IDENTIFICATION_TYPES
from ..i18n import _l
from ..registration.forms import ConfirmationForm, SelectChoice


class InstitutionForm(FlaskForm):
    """The type of institution the person represents and its number."""

    # The same types as the 2018 «Type d'identification» (rules.IDENTIFICATION_TYPES); choice checks are the
    # rules' job, in French next to the field.
    institution_type = SelectField(
        _l("Type d'institution"),
        choices=[SelectChoice("", _l("— Choisissez —"))]
        + [SelectChoice(value, label) for value, label in IDENTIFICATION_TYPES.items()],
        validate_choice=False,
    )
    institution_number = StringField(
        _l("Numéro d'institution (8 chiffres)"),
        render_kw={"maxlength": 20, "inputmode": "numeric", "autocomplete": "off"},
    )


class DesignationConfirmationForm(ConfirmationForm):
    """The GAP's contact data, then 2.10-2.11: credentials by post (optional) and «oui, je confirme»."""

    email = EmailField(_l("Adresse e-mail"), render_kw={"maxlength": 200, "autocomplete": "email"})
    phone = TelField(_l("Numéro de téléphone"), render_kw={"maxlength": 20, "autocomplete": "tel"})
