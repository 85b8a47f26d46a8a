"""Forms for writing, reporting and answering reviews."""

from __future__ import annotations

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..models import ReportReason
from ..services.common.text import plain_text
from ..services.reviews.moderation import REASON_LABELS, REPORT_TEXT_MAX, VISIT_REPORT_MIN
from ..services.reviews.posting import BODY_MAX, BODY_MIN, RESPONSE_MAX
from .base import BaseForm

STARS = [("5", "5"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1")]


def _aspect(label: str, description: str) -> RadioField:
    return RadioField(
        label, choices=STARS, coerce=int, validators=[Optional()], description=description
    )


class ReviewForm(BaseForm):
    rating = RadioField(
        "Overall",
        choices=STARS,
        coerce=int,
        validators=[InputRequired(message="Choose an overall rating from 1 to 5 stars.")],
        description="5 is excellent, 1 is poor.",
    )
    rating_pressure = _aspect("Pressure and technique", "Was the pressure right for you?")
    rating_communication = _aspect(
        "Listening and communication", "Did they ask, explain and listen?"
    )
    rating_cleanliness = _aspect("Cleanliness and comfort", "The room, linens and table.")
    rating_value = _aspect("Value", "For the price you paid.")
    body = TextAreaField(
        "Your review",
        filters=[plain_text],
        validators=[
            DataRequired(message="Tell others about the visit."),
            Length(
                min=BODY_MIN,
                max=BODY_MAX,
                message=f"Write between {BODY_MIN} and {BODY_MAX} characters.",
            ),
        ],
        description=(
            "What was treated, how it went, how you felt afterwards. Plain text; "
            f"up to {BODY_MAX} characters. Please leave out health details you would not share."
        ),
        render_kw={"rows": 7, "maxlength": BODY_MAX},
    )

    ASPECTS = ("rating_pressure", "rating_communication", "rating_cleanliness", "rating_value")


class ReportReviewForm(BaseForm):
    reason = SelectField(
        "What is wrong with it?",
        choices=[(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[InputRequired()],
    )
    text = TextAreaField(
        "Anything the moderators should know (optional)",
        filters=[plain_text],
        validators=[Length(max=REPORT_TEXT_MAX)],
        render_kw={"rows": 3, "maxlength": REPORT_TEXT_MAX},
    )

    def validate_text(self, field):
        if self.reason.data == ReportReason.OTHER.value and not field.data:
            raise ValidationError("Tell us what is wrong with the review.")


class VisitReportForm(BaseForm):
    text = TextAreaField(
        "What happened?",
        filters=[plain_text],
        validators=[
            DataRequired(message="Describe what happened."),
            Length(min=VISIT_REPORT_MIN, max=REPORT_TEXT_MAX),
        ],
        description=(
            "Only Kneaded's admins read this; the clinic does not see it. "
            f"Up to {REPORT_TEXT_MAX} characters."
        ),
        render_kw={"rows": 6, "maxlength": REPORT_TEXT_MAX},
    )


class ResponseForm(BaseForm):
    body = TextAreaField(
        "Your public response",
        filters=[plain_text],
        validators=[
            DataRequired(message="Write a response before sending it."),
            Length(max=RESPONSE_MAX),
        ],
        description=(
            f"Shown under the review, once: it cannot be edited. Up to {RESPONSE_MAX} characters."
        ),
        render_kw={"rows": 4, "maxlength": RESPONSE_MAX},
    )
