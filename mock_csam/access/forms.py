"""Forms of the access management: NISS step, member data, confirmation, deletion and roles."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField, SubmitField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain.models import COORDINATEUR, GESTIONNAIRE, INCLUSION_APP
from ..domain.rules import FUNCTION_NAMES
from ..i18n import _l

# The secure applications CSAM lists on the member form (4.12), the inclusion one first.
APPLICATION_LABELS = {
    INCLUSION_APP: _l("Gestion pour les Projets de Soins Intégrés"),
    "ehealthbox": _l("eHealthBox"),
    "mycarenet_consultation": _l("MyCareNet – Consultation"),
}

LANGUAGE_LABELS = {"fr": _l("Français"), "nl": _l("Nederlands"), "de": _l("Deutsch"), "en": _l("English")}

# The two functions of the inclusion application, with the manual's description of each (4.17).
FUNCTION_LABELS = FUNCTION_NAMES
FUNCTION_DESCRIPTIONS = {
    GESTIONNAIRE: _l(
        "C'est le rôle qui est accordé aux personnes qui peuvent inclure et exclure. Seuls les "
        "utilisateurs auxquels le rôle de « gestionnaire » a été attribué peuvent inclure des "
        "personnes."
    ),
    COORDINATEUR: _l(
        "C'est le rôle attribué aux personnes qui peuvent demander une « vue de liste » de sorte "
        "que la consultation sur les patients inclus est possible. Pour des raisons de "
        "confidentialité, le nombre de personnes ayant ce rôle doit être limité au strict minimum !"
    ),
}

DELETE_ACTION = "supprimer"


def _choices(labels: dict) -> list[SelectChoice]:
    """WTForms choices from a value → label mapping, in its order."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    """A set of checkboxes; the rules, not WTForms, judge the ticked values (messages in French)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class NissForm(FlaskForm):
    """3.10 / 4.10: the NISS of the person to add (one per region, told apart by a prefix)."""

    niss = StringField(_l("NISS"), render_kw={"autocomplete": "off", "inputmode": "numeric"})
    submit = SubmitField(_l("Suivant"))


class MemberDataForm(FlaskForm):
    """3.11 / 4.11-4.13: the new member's data; user name and password only the first time a NISS is seen."""

    niss = StringField(_l("NISS"))
    last_name = StringField(_l("Nom"), render_kw={"autocomplete": "family-name"})
    first_name = StringField(_l("Prénom"), render_kw={"autocomplete": "given-name"})
    email = EmailField(_l("Adresse e-mail"), render_kw={"autocomplete": "email"})
    phone = TelField(_l("Numéro de téléphone"), render_kw={"autocomplete": "tel"})
    language = SelectField(_l("Langue"), choices=_choices(LANGUAGE_LABELS), default="fr", validate_choice=False)
    username = StringField(_l("Nom d'utilisateur"), render_kw={"autocomplete": "off"})
    password = PasswordField(_l("Mot de passe"), render_kw={"autocomplete": "new-password"})
    applications = MultiCheckboxField(_l("Applications sécurisées"), choices=_choices(APPLICATION_LABELS))
    submit = SubmitField(_l("Enregistrer"))

    def for_rules(self) -> dict:
        """What was typed, in the shape rules.check_member_data reads."""
        return {
            "last_name": self.last_name.data,
            "first_name": self.first_name.data,
            "email": self.email.data,
            "phone": self.phone.data,
            "language": self.language.data,
            "username": self.username.data,
            "password": self.password.data,
            "applications": self.applications.data or [],
        }


class ConfirmForm(FlaskForm):
    """3.12 / 4.14: confirm, or cancel and store nothing."""

    confirm = SubmitField(_l("Confirmer"))
    cancel = SubmitField(_l("Annuler"))


class DeleteForm(FlaskForm):
    """4.22: the ticked members and the action to run on them."""

    selected = MultiCheckboxField(_l("Sélection"))
    action = SelectField(
        _l("Action"),
        choices=_choices({"": _l("— Choisissez —"), DELETE_ACTION: _l("Supprimer utilisateur(s)")}),
        validate_choice=False,
    )
    submit = SubmitField(_l("Exécuter"))


# Dates are typed as text (JJ/MM/AAAA): a browser's date control sends nothing at all for a day that does not
# exist (31/02), which a server would take for an empty optional date; typed text reaches the rules.
# The hint says the date order in the page's language's letters (JJ/MM/AAAA, DD/MM/JJJJ): both write dd/mm/yyyy.
DATE_INPUT = {"placeholder": _l("JJ/MM/AAAA"), "autocomplete": "off", "inputmode": "numeric"}
DATE_FORMAT = "%d/%m/%Y"


class RolesForm(FlaskForm):
    """4.17-4.19: functions and dates; dates stay text so that the rules give the French message."""

    functions = MultiCheckboxField(_l("Fonction"), choices=_choices(FUNCTION_LABELS))
    start_date = StringField(_l("Date de début"), render_kw=DATE_INPUT)
    end_date = StringField(_l("Date de fin"), render_kw=DATE_INPUT)
    submit = SubmitField(_l("Ajouter"))


class ApplicationsForm(FlaskForm):
    """The secure applications of someone already registered, changed afterwards."""

    applications = MultiCheckboxField(_l("Applications sécurisées"), choices=_choices(APPLICATION_LABELS))
    submit = SubmitField(_l("Enregistrer"))
