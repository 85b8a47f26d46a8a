"""Contraindication screening: health-intake answers in, one outcome per booking out.

Pure, no database and no Flask. The rules are data in ``rules``
(re-exported here as ``CONTRAINDICATIONS``); each rule judges the answers on
its own, and ``screen`` keeps the most restrictive outcome and every reason.
Dates are judged against the visit date, not today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from ...models.booking import ScreeningOutcome
from ...models.taxonomy import Intensity
from .answers import IntakeAnswers
from .rules import (
    ASKED_SEPARATELY,
    CLEARANCE,
    CONTRAINDICATIONS,
    GENTLE_ONLY,
    NOT_NOW,
    PROCEED,
    Cause,
    Finding,
    Rule,
    add_months,
)

__all__ = [
    "ASKED_SEPARATELY",
    "CONTRAINDICATIONS",
    "Cause",
    "OUTCOME_TEXT",
    "RANK",
    "Finding",
    "IntakeAnswers",
    "Rule",
    "Screening",
    "add_months",
    "allowed_intensities",
    "findings",
    "is_at_least_as_restrictive",
    "screen",
    "service_allowed",
]

#: Precedence: a higher rank is more restrictive and wins.
RANK = MappingProxyType({PROCEED: 0, GENTLE_ONLY: 1, CLEARANCE: 2, NOT_NOW: 3})


# --- screening --------------------------------------------------------------------------

OUTCOME_TEXT: Mapping[ScreeningOutcome, tuple[str, str]] = MappingProxyType(
    {
        PROCEED: ("You can book", "Nothing in your answers stands in the way of this booking."),
        GENTLE_ONLY: (
            "Gentle techniques only",
            "Deep and moderate techniques are not safe for you right now; gentle ones are.",
        ),
        CLEARANCE: (
            "Your doctor's clearance is needed",
            "You can book once you confirm that your doctor has cleared you for massage.",
        ),
        NOT_NOW: (
            "Please don't book a massage right now",
            "Massage could harm you at the moment, so this booking cannot go ahead.",
        ),
    }
)


@dataclass(frozen=True)
class Screening:
    """One outcome per booking, with the reasons and the next step shown to the client.

    ``gentle_only`` is True when any rule limits the client to gentle work, even
    when a stricter outcome (clearance) wins; ``keys`` are the rules that fired.
    ``causes`` runs alongside ``reasons``: for each reason, the answers that caused
    it in the client's words (empty for screenings stored before they were kept).
    """

    outcome: ScreeningOutcome
    reasons: tuple[str, ...] = ()
    advice: str = ""
    gentle_only: bool = False
    keys: tuple[str, ...] = ()
    causes: tuple[tuple[Cause, ...], ...] = ()

    @property
    def explained(self) -> list[tuple[str, tuple[Cause, ...]]]:
        """Each reason with the answers that caused it."""
        causes = self.causes if len(self.causes) == len(self.reasons) else ()
        return [(reason, causes[i] if causes else ()) for i, reason in enumerate(self.reasons)]

    @property
    def answers_to_change(self) -> tuple[Cause, ...]:
        """Every answer behind this outcome, each once, in the order the reasons give them."""
        return tuple(dict.fromkeys(c for group in self.causes for c in group))

    @property
    def title(self) -> str:
        return OUTCOME_TEXT[self.outcome][0]

    @property
    def summary(self) -> str:
        return OUTCOME_TEXT[self.outcome][1]

    @property
    def needs_clearance(self) -> bool:
        return self.outcome is CLEARANCE

    def to_dict(self) -> dict:
        """A JSON-safe mapping."""
        return {
            "outcome": self.outcome.value,
            "reasons": list(self.reasons),
            "advice": self.advice,
            "gentle_only": self.gentle_only,
            "keys": list(self.keys),
            "causes": [[{"field": c.field, "said": c.said} for c in group]
                       for group in self.causes],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Screening:
        """The inverse of ``to_dict``."""
        return cls(
            outcome=ScreeningOutcome(data["outcome"]),
            reasons=tuple(str(r) for r in data.get("reasons") or ()),
            advice=str(data.get("advice") or ""),
            gentle_only=bool(data.get("gentle_only")),
            keys=tuple(str(k) for k in data.get("keys") or ()),
            causes=tuple(
                tuple(Cause(str(c["field"]), str(c["said"])) for c in group)
                for group in data.get("causes") or ()
            ),
        )


def findings(answers: IntakeAnswers, *, visit_date: date) -> list[Finding]:
    """Every rule's finding on ``answers``, in table order (rules that do not apply left out)."""
    found = (rule.finding(key, answers, visit_date) for key, rule in CONTRAINDICATIONS.items())
    return [f for f in found if f is not None]


def screen(answers: IntakeAnswers, *, visit_date: date) -> Screening:
    """The booking's outcome: the most restrictive finding wins, every reason is kept."""
    found = findings(answers, visit_date=visit_date)
    if not found:
        return Screening(PROCEED)
    outcome = max((f.outcome for f in found), key=RANK.__getitem__)
    advice = dict.fromkeys(f.advice for f in found if f.outcome is outcome and f.advice)
    because: dict[str, dict[Cause, None]] = {}
    for f in found:
        because.setdefault(f.reason, {}).update(dict.fromkeys(f.causes))
    return Screening(
        outcome=outcome,
        reasons=tuple(because),
        advice=" ".join(advice),
        gentle_only=any(f.outcome is GENTLE_ONLY for f in found),
        keys=tuple(f.key for f in found),
        causes=tuple(tuple(causes) for causes in because.values()),
    )


def service_allowed(screening: Screening, intensity: Intensity) -> bool:
    """May a service of ``intensity`` be booked under ``screening``?

    Not at all when the outcome is not-now; gentle only when any rule says so
    (also under clearance, which the booking flow checks separately).
    """
    if screening.outcome is NOT_NOW:
        return False
    if screening.outcome is GENTLE_ONLY or screening.gentle_only:
        return Intensity(intensity) is Intensity.GENTLE
    return True


def allowed_intensities(screening: Screening) -> frozenset[Intensity]:
    """The service intensities ``service_allowed`` accepts, e.g. to filter a service query."""
    return frozenset(i for i in Intensity if service_allowed(screening, i))


def is_at_least_as_restrictive(a: ScreeningOutcome, b: ScreeningOutcome) -> bool:
    """True when outcome ``a`` is ``b`` or stricter."""
    return RANK[a] >= RANK[b]
