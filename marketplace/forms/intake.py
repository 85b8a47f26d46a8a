"""The health intake questionnaire: one checkbox per contraindication, pregnancy,
surgery and chemotherapy dates, medicines and notes, and the clearance confirmation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from wtforms import BooleanField, DateField, Label, RadioField
from wtforms.validators import ValidationError

from ..services.intake.screening import (
    ASKED_SEPARATELY,
    CONTRAINDICATIONS,
    IntakeAnswers,
    Screening,
)
from .base import BaseForm, text_area

MEDICATIONS_MAX = 1000
NOTES_MAX = 2000
EARLIEST = date(1900, 1, 1)
#: Keys asked as a checkbox named after the key (pregnancy is the ``pregnant`` field).
CHECKBOX_KEYS = tuple(key for key in CONTRAINDICATIONS if key != "pregnancy")
#: The plain "does this apply to you" checkboxes, without extra fields.
CONDITION_KEYS = tuple(key for key in CONTRAINDICATIONS if key not in ASKED_SEPARATELY)
TRIMESTERS = [
    ("1", "First (weeks 1 to 13)"),
    ("2", "Second (weeks 14 to 27)"),
    ("3", "Third (week 28 on)"),
]


class OptionalDateField(DateField):
    """A date that may be left empty, with a message that says what to type."""

    def process_formdata(self, valuelist):
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter the date as year-month-day, for example 2026-03-14.") from None


class IntakeForm(BaseForm):
    """The questionnaire. Pass ``today`` (the clinic's date) to judge "not in the future"."""

    pregnant = BooleanField(
        CONTRAINDICATIONS["pregnancy"].label, description=CONTRAINDICATIONS["pregnancy"].help
    )
    trimester = RadioField("Trimester", choices=TRIMESTERS, validate_choice=False)
    surgery_date = OptionalDateField(
        "Date of the operation", description="Needed if you ticked surgery above."
    )
    chemo_end_date = OptionalDateField(
        "Date of your last chemotherapy treatment",
        description="Leave it empty if you are still in treatment.",
    )
    medications = text_area(
        "Medicines you take", MEDICATIONS_MAX, rows=3,
        description="Prescriptions and regular medicines, blood thinners especially. "
        f"Up to {MEDICATIONS_MAX} characters.",
    )
    notes = text_area(
        "Anything else your therapist should know", NOTES_MAX, rows=4,
        description="Injuries, where it hurts, the pressure you like. "
        f"Up to {NOTES_MAX} characters.",
    )
    clearance_confirmed = BooleanField(
        "My doctor has cleared me for massage",
        description="Tick this only if your doctor has told you massage is safe for you. "
        "The clinic sees that you confirmed it and may ask for a note.",
    )
    answers_confirmed = BooleanField(
        "These answers are true today",
        description="Some answers were filled in from your last visit: tick this once you "
        "have checked every one, and changed any that are no longer true.",
    )

    def __init__(self, *args, today: date | None = None, prefilled: bool = False, **kwargs):
        """``prefilled``: the form showed answers from an earlier visit, so the client
        must confirm them (``answers_confirmed``) before they count."""
        super().__init__(*args, **kwargs)
        self.today = today or datetime.now(UTC).date()
        self.prefilled = prefilled

    # --- validation ---------------------------------------------------------------

    def validate_trimester(self, field):
        if field.data not in (None, "", *(value for value, _ in TRIMESTERS)):
            raise ValidationError("Choose the first, second or third trimester.")
        if self.pregnant.data and not field.data:
            raise ValidationError("Choose the trimester you are in.")

    def validate_answers_confirmed(self, field):
        if self.prefilled and not field.data:
            raise ValidationError(
                "Tick this once you have checked that every answer is still true today."
            )

    def validate_surgery_date(self, field):
        if not self.recent_surgery.data:  # a date left under an unticked box is ignored
            field.data = None
            return
        if field.data is None:
            if self.recent_surgery.data and not field.errors:
                raise ValidationError("Give the date of your operation.")
            return
        self._check_past(field.data, "The operation's date cannot be in the future.")

    def validate_chemo_end_date(self, field):
        if field.data is not None:
            self._check_past(
                field.data, "If you are still having chemotherapy, leave the end date empty."
            )

    def _check_past(self, value: date, future_message: str) -> None:
        # One day of slack: the client's calendar may be ahead of the clinic's.
        if value > self.today + timedelta(days=1):
            raise ValidationError(future_message)
        if value < EARLIEST:
            raise ValidationError("Check the year of this date.")

    def check_clearance(self, screening: Screening) -> bool:
        """False (with an error on the field) when the outcome needs clearance not confirmed."""
        if not screening.needs_clearance or self.clearance_confirmed.data:
            return True
        self.clearance_confirmed.errors = [
            *self.clearance_confirmed.errors,
            "Tick this once your doctor has cleared you for massage, or choose not to book now.",
        ]
        return False

    # --- answers in and out -------------------------------------------------------

    def condition_fields(self) -> list:
        """The plain condition checkboxes, in the rules' order."""
        return [self[key] for key in CONDITION_KEYS]

    def to_answers(self) -> IntakeAnswers:
        """The validated answers (trimester only when pregnant)."""
        pregnant = bool(self.pregnant.data)
        trimester = self.trimester.data if pregnant else None
        return IntakeAnswers(
            contraindications=frozenset(key for key in CHECKBOX_KEYS if self[key].data),
            medications=self.medications.data or "",
            pregnant=pregnant,
            trimester=int(trimester) if trimester in ("1", "2", "3") else None,
            surgery_date=self.surgery_date.data if self.recent_surgery.data else None,
            chemo_end_date=self.chemo_end_date.data,
            notes=self.notes.data or "",
        )

    @staticmethod
    def prefill_data(answers: IntakeAnswers) -> dict:
        """Field values showing ``answers`` (a reused intake, for the client to review)."""
        data = {key: key in answers.contraindications for key in CHECKBOX_KEYS}
        pregnant = answers.pregnant or "pregnancy" in answers.contraindications
        data.update(
            pregnant=pregnant,
            trimester=str(answers.trimester) if pregnant and answers.trimester else None,
            surgery_date=answers.surgery_date,
            chemo_end_date=answers.chemo_end_date,
            medications=answers.medications,
            notes=answers.notes,
        )
        return data

    @classmethod
    def from_answers(cls, answers: IntakeAnswers, **kwargs) -> IntakeForm:
        """A form showing ``answers``; submitted data, if any, still wins."""
        return cls(data=cls.prefill_data(answers), **kwargs)


for _key in CHECKBOX_KEYS:
    setattr(
        IntakeForm,
        _key,
        BooleanField(CONTRAINDICATIONS[_key].label, description=CONTRAINDICATIONS[_key].help),
    )


class BookingIntakeForm(IntakeForm):
    """The questionnaire on a booking's intake step: with the consent to share the answers
    with the clinic (required, naming it) and whether to keep them as the health profile.

    Pass ``clinic_name`` and ``access_days`` (how long after the visit the clinic may
    still read them) for the consent's wording.
    """

    share_consent = BooleanField("Share my answers with the clinic for this booking")
    keep_profile = BooleanField(
        "Keep my health profile up to date with these answers",
        default=True,
        description="Your profile is kept in your account for your next booking; only you "
        "read it. Untick this to use these answers for this booking only.",
    )

    def __init__(self, *args, clinic_name: str = "the clinic", access_days: int = 90,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic_name = clinic_name
        self.share_consent.label = Label(
            self.share_consent.id, f"Share my answers with {clinic_name} for this booking"
        )
        self.share_consent.description = (
            f"{clinic_name} can read them from now until {access_days} days after your visit, "
            "to treat you safely; each time they open them is recorded and shown to you. "
            "You can withdraw this at any time from My bookings."
        )

    def validate_share_consent(self, field):
        if not field.data:
            raise ValidationError(
                f"Tick this to share your answers with {self.clinic_name}: the clinic needs "
                "them to treat you safely, so the booking cannot go on without it."
            )
