"""The compare tray's buttons and the compare page's filters."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from .base import BaseForm, GetForm


class TrayForm(BaseForm):
    """Add a clinic to (or remove it from) the compare tray."""

    clinic = HiddenField("Clinic", validators=[DataRequired(), Length(max=120)])
    next = HiddenField("Back to", validators=[Optional(), Length(max=2000)])
    source = HiddenField("From", validators=[Optional(), Length(max=10)])


class CompareForm(GetForm):
    """Which technique to price, and where the client is, on the compare page."""

    technique = SelectField("Price per 60 minutes for", choices=[("", "Any technique")],
                            validate_choice=False)
    near = StringField("Distance from", validators=[Optional(), Length(
        max=80, message="Enter a ZIP code or a city and state, like Denver, CO.")],
        render_kw={"placeholder": "ZIP or City, ST", "autocomplete": "postal-code"})

    def vocabulary_choices(self, vocabulary) -> None:
        self.technique.choices = [("", "Any technique")] + [
            (m.slug, m.name) for m in vocabulary.modalities]
