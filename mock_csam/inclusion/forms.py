"""Forms of the inclusion application: include a patient, exclude one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField

from ..access.forms import DATE_INPUT
from ..i18n import _l


class InclusionForm(FlaskForm):
    """A «Gestionnaire» includes a patient: NISS and start date (typed as text, see DATE_INPUT)."""

    niss = StringField(_l("NISS du patient"), render_kw={"autocomplete": "off", "inputmode": "numeric"})
    start_date = StringField(_l("Date de début"), render_kw=DATE_INPUT)
    submit = SubmitField(_l("Inclure"))


class ExclusionForm(FlaskForm):
    """A «Gestionnaire» excludes an included patient: NISS and end date."""

    niss = StringField(_l("NISS du patient"), render_kw={"autocomplete": "off", "inputmode": "numeric"})
    end_date = StringField(_l("Date de fin"), render_kw=DATE_INPUT)
    submit = SubmitField(_l("Exclure"))
