"""All models, importable from one place: ``from marketplace.models import Clinic``."""

from .audit import AuditLog
from .base import UTCDateTime, among, db, utcnow
from .booking import BLOCKING_STATUSES, Booking, BookingStatus, Party, ScreeningOutcome
from .calendar_feed import CalendarFeed
from .clinic import (
    ClaimStatus,
    Clinic,
    ClinicAmenity,
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
from .gift_card import EntryKind, GiftCard, GiftCardEntry, GiftCardStatus
from .intake import HealthProfile, IntakeRecord
from .message import Message, MessageReport, MessageReportReason, MessageThread
from .opening import OpeningRun, OpeningWindow
from .outbox import OutboxEmail, OutboxStatus
from .payment import Payment, PaymentEvent, PaymentStatus
from .photo import Photo
from .review import ReportReason, ReportStatus, Review, ReviewReport, ReviewStatus, VisitReport
from .schedule import TimeOff, WorkingHours
from .series import (
    LateRule,
    RefundRule,
    SeriesOffer,
    SeriesPurchase,
    SeriesStatus,
)
from .service import ANY_TECHNIQUE, ClinicPrice, Service, per_60, service_therapists
from .taxonomy import Condition, Intensity, Modality, ModalityAlias, condition_modalities
from .therapist import Therapist, TherapistLanguage, therapist_modalities
from .user import Role, User, UserStatus
from .waitlist import (
    DAY_PARTS,
    LIVE_ENTRY,
    LIVE_OFFER,
    EntryStatus,
    OfferState,
    WaitlistEntry,
    WaitlistOffer,
)

__all__ = [
    "BLOCKING_STATUSES",
    "DAY_PARTS",
    "LIVE_ENTRY",
    "LIVE_OFFER",
    "EntryStatus",
    "OfferState",
    "WaitlistEntry",
    "WaitlistOffer",
    "AuditLog",
    "Booking",
    "ANY_TECHNIQUE",
    "BookingStatus",
    "CalendarFeed",
    "ClaimStatus",
    "Clinic",
    "ClinicAmenity",
    "ClinicClaim",
    "ClinicMember",
    "ClinicStatus",
    "ClinicPrice",
    "Condition",
    "DepositKind",
    "EntryKind",
    "GiftCard",
    "GiftCardEntry",
    "GiftCardStatus",
    "HealthProfile",
    "IntakeRecord",
    "Intensity",
    "Location",
    "MemberRole",
    "Message",
    "MessageReport",
    "MessageReportReason",
    "MessageThread",
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
    "LateRule",
    "RefundRule",
    "SeriesOffer",
    "SeriesPurchase",
    "SeriesStatus",
    "Therapist",
    "TherapistLanguage",
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
