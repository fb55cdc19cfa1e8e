"""The two CSAM login forms: eID card (NISS of the inserted card + PIN) and user name + password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField

from ..i18n import _l


class EidLoginForm(FlaskForm):
    """The simulated card reader: the tester says which card is inserted and types its PIN."""

    niss = StringField(_l("NISS de la carte insérée"), render_kw={"autocomplete": "off", "inputmode": "numeric"})
    pin = PasswordField(_l("Code PIN"), render_kw={"autocomplete": "off", "inputmode": "numeric"})
    submit = SubmitField(_l("Se connecter avec la carte eID"))


class PasswordLoginForm(FlaskForm):
    """Login with the CSAM user name and password."""

    username = StringField(_l("Nom d'utilisateur"), render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Se connecter avec nom d'utilisateur et mot de passe"))
