"""Forms of the admin console: decisions with reasons, and the search filters."""

from __future__ import annotations

from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import ClinicStatus, Role, UserStatus
from ..services.common.text import plain_text
from .base import BaseForm, GetForm, text_area

REASON_MAX = 500
MAX_ID = 2**31 - 1


def _reason_field(label: str, *, required: bool, description: str = "") -> TextAreaField:
    first = DataRequired(message="Give a reason.") if required else Optional()
    return text_area(label, REASON_MAX, rows=2, first=(first,), description=description)


class RejectReviewForm(BaseForm):
    reason = _reason_field(
        "Reason for rejecting", required=True, description="The author sees this."
    )


class HideReviewForm(BaseForm):
    reason = _reason_field(
        "Reason for hiding (optional)", required=False, description="The author sees this."
    )


class SuspendForm(BaseForm):
    reason = _reason_field("Reason", required=True, description="Kept in the audit log.")


class RemovePhotoForm(BaseForm):
    reason = _reason_field("Reason for removing", required=True,
                           description="Kept in the audit log; the owner sees it there.")


class RejectClaimForm(BaseForm):
    reason = _reason_field(
        "Reason for rejecting", required=True, description="The claimant is told."
    )


class ResolveVisitReportForm(BaseForm):
    outcome = RadioField(
        "Outcome",
        choices=[("upheld", "Upheld: we acted on it"), ("dismissed", "Dismissed")],
        validators=[DataRequired(message="Choose an outcome.")],
    )
    note = text_area("Note for the record (optional)", 1000, rows=2, first=(Optional(),))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LicenceCheckForm(BaseForm):
    therapists = MultiCheckboxField(
        "Licences I checked with the state board",
        coerce=int,
        validate_choice=True,
    )


def _text_filter(value):
    return plain_text(value)[:200] if isinstance(value, str) else value


class UserSearchForm(GetForm):
    q = SearchField("Name or e-mail", filters=[_text_filter], validators=[Optional()])
    role = SelectField(
        "Role",
        choices=[("", "Any role")] + [(r.value, r.value.title()) for r in Role],
        validators=[Optional()],
    )
    status = SelectField(
        "Status",
        choices=[("", "Any status")] + [(s.value, s.value.title()) for s in UserStatus],
        validators=[Optional()],
    )


class ClinicSearchForm(GetForm):
    q = SearchField("Name, slug or phone", filters=[_text_filter], validators=[Optional()])
    status = SelectField(
        "Status",
        choices=[("", "Any status")] + [(s.value, s.value.title()) for s in ClinicStatus],
        validators=[Optional()],
    )


class AuditFilterForm(GetForm):
    actor = StringField(
        "Actor",
        filters=[_text_filter],
        validators=[Optional()],
        description='Part of an e-mail or name, or "system".',
    )
    action = StringField(
        "Action",
        filters=[_text_filter],
        validators=[Optional()],
        description='e.g. "review.reject", or "review" for all review actions.',
        render_kw={"list": "audit-actions"},
    )
    object_type = StringField(
        "Object type",
        filters=[_text_filter],
        validators=[Optional()],
        render_kw={"list": "audit-object-types"},
    )
    object_id = IntegerField(
        "Object id",
        validators=[Optional(), NumberRange(min=1, max=MAX_ID, message="Enter an id number.")],
    )
    date_from = DateField("From (UTC)", validators=[Optional()])
    date_to = DateField("To (UTC)", validators=[Optional()])

    def validate_date_from(self, field):
        _plausible(field.data)

    def validate_date_to(self, field):
        _plausible(field.data)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date is before the start date.")


def _plausible(day) -> None:
    if day is not None and not 2000 <= day.year <= 2100:
        raise ValidationError("Enter a date between 2000 and 2100.")
