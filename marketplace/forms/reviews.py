"""Forms for writing, reporting and answering reviews."""

from __future__ import annotations

from wtforms import RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from ..models import ReportReason
from ..services.reviews.moderation import REASON_LABELS, REPORT_TEXT_MAX, VISIT_REPORT_MIN
from ..services.reviews.posting import BODY_MAX, BODY_MIN, RESPONSE_MAX
from .base import BaseForm, text_area

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
    body = text_area(
        "Your review", BODY_MAX, rows=7, min_length=BODY_MIN,
        length_message=f"Write between {BODY_MIN} and {BODY_MAX} characters.",
        first=(DataRequired(message="Tell others about the visit."),),
        description=(
            "What was treated, how it went, how you felt afterwards. Plain text; "
            f"up to {BODY_MAX} characters. Please leave out health details you would not share."
        ),
    )

    ASPECTS = ("rating_pressure", "rating_communication", "rating_cleanliness", "rating_value")


class ReportReviewForm(BaseForm):
    reason = SelectField(
        "What is wrong with it?",
        choices=[(r.value, label) for r, label in REASON_LABELS.items()],
        validators=[InputRequired()],
    )
    text = text_area("Anything the moderators should know (optional)", REPORT_TEXT_MAX, rows=3)

    def validate_text(self, field):
        if self.reason.data == ReportReason.OTHER.value and not field.data:
            raise ValidationError("Tell us what is wrong with the review.")


class VisitReportForm(BaseForm):
    text = text_area(
        "What happened?", REPORT_TEXT_MAX, rows=6, min_length=VISIT_REPORT_MIN,
        first=(DataRequired(message="Describe what happened."),),
        description=(
            "Only Kneaded's admins read this; the clinic does not see it. "
            f"Up to {REPORT_TEXT_MAX} characters."
        ),
    )


class ResponseForm(BaseForm):
    body = text_area(
        "Your public response", RESPONSE_MAX, rows=4,
        first=(DataRequired(message="Write a response before sending it."),),
        description=(
            f"Shown under the review, once: it cannot be edited. Up to {RESPONSE_MAX} characters."
        ),
    )
