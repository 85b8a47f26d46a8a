"""Forms for writing to a clinic, answering, and reporting a message."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..models import MessageReportReason
from ..services.common.text import plain_text
from ..services.messages import BODY_MAX, SUBJECT_MAX
from ..services.messages.reports import REASON_LABELS, REPORT_TEXT_MAX
from .base import BaseForm, text_area

_BODY_HELP = (
    f"Plain text, up to {BODY_MAX} characters. Only you and the clinic's team read it; "
    "share health details only if the clinic needs them to answer."
)


def _body(label: str):
    return text_area(label, BODY_MAX, rows=5,
                     first=(DataRequired(message="Write a message before sending it."),),
                     description=_BODY_HELP)


class MessageForm(BaseForm):
    body = _body("Your message")


class AskForm(BaseForm):
    subject = StringField(
        "Subject (optional)", filters=[plain_text],
        validators=[Length(max=SUBJECT_MAX)], render_kw={"maxlength": SUBJECT_MAX},
        description="A few words the clinic sees in its inbox.",
    )
    body = _body("Your question")


class ReportMessageForm(BaseForm):
    reason = SelectField(
        "What is wrong with it?",
        choices=[(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[InputRequired()],
    )
    text = text_area("Anything the admins should know (optional)", REPORT_TEXT_MAX, rows=3)

    def validate_text(self, field):
        if self.reason.data == MessageReportReason.OTHER.value and not field.data:
            raise ValidationError("Tell us what is wrong with the message.")
