"""All models, importable from one place: ``from marketplace.models import Clinic``."""

from .audit import AuditLog
from .base import UTCDateTime, among, db, utcnow
from .booking import BLOCKING_STATUSES, Booking, BookingStatus, Party, ScreeningOutcome
from .clinic import (
    ClaimStatus,
    Clinic,
    ClinicClaim,
    ClinicMember,
    ClinicStatus,
    DepositKind,
    Location,
    MemberRole,
    Partner,
    Promotion,
    PromotionKind,
)
from .intake import IntakeRecord
from .opening import OpeningRun, OpeningWindow
from .outbox import OutboxEmail, OutboxStatus
from .payment import Payment, PaymentEvent, PaymentStatus
from .photo import Photo
from .review import ReportReason, ReportStatus, Review, ReviewReport, ReviewStatus, VisitReport
from .schedule import TimeOff, WorkingHours
from .service import Service, per_60, service_therapists
from .taxonomy import Condition, Intensity, Modality, ModalityAlias, condition_modalities
from .therapist import Therapist, therapist_modalities
from .user import Role, User, UserStatus

__all__ = [
    "BLOCKING_STATUSES",
    "AuditLog",
    "Booking",
    "BookingStatus",
    "ClaimStatus",
    "Clinic",
    "ClinicClaim",
    "ClinicMember",
    "ClinicStatus",
    "Condition",
    "DepositKind",
    "IntakeRecord",
    "Intensity",
    "Location",
    "MemberRole",
    "Modality",
    "ModalityAlias",
    "OpeningRun",
    "OpeningWindow",
    "OutboxEmail",
    "OutboxStatus",
    "Partner",
    "Party",
    "Payment",
    "PaymentEvent",
    "PaymentStatus",
    "Photo",
    "Photo",
    "Promotion",
    "PromotionKind",
    "ReportReason",
    "ReportStatus",
    "Review",
    "ReviewReport",
    "ReviewStatus",
    "Role",
    "ScreeningOutcome",
    "Service",
    "Therapist",
    "TimeOff",
    "User",
    "UserStatus",
    "UTCDateTime",
    "VisitReport",
    "WorkingHours",
    "among",
    "condition_modalities",
    "db",
    "per_60",
    "service_therapists",
    "therapist_modalities",
    "utcnow",
]
