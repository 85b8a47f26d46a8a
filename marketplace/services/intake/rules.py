"""The contraindication rules, as data: one ``Rule`` per contraindication.

Each rule says how the intake form asks about it (label, help), what it
triggers when it applies (outcome, the reason shown to the client, the next
step) and, in one line, why. A few outcomes depend on other answers (the
trimester, the surgery date, when chemotherapy ended): those rules carry a
``judge``. ``screening.screen`` combines them; the package's README.md shows the table.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from ...models.booking import ScreeningOutcome
from .answers import IntakeAnswers

PROCEED = ScreeningOutcome.PROCEED
GENTLE_ONLY = ScreeningOutcome.GENTLE_ONLY
CLEARANCE = ScreeningOutcome.CLEARANCE
NOT_NOW = ScreeningOutcome.NOT_NOW

#: Surgery this recent stops the booking; up to the second limit needs clearance.
SURGERY_NOT_NOW = timedelta(weeks=6)
SURGERY_CLEARANCE = timedelta(weeks=12)
#: Chemotherapy can return from fat tissue into the body: wait this long after it ends.
CHEMO_WAIT_MONTHS = 3

#: Blood thinners recognised in the free-text medicines answer (lower case, whole words).
BLOOD_THINNERS = (
    "warfarin", "coumadin", "jantoven", "heparin", "enoxaparin", "lovenox", "apixaban",
    "eliquis", "rivaroxaban", "xarelto", "dabigatran", "pradaxa", "edoxaban", "savaysa",
    "clopidogrel", "plavix", "prasugrel", "effient", "ticagrelor", "brilinta",
)  # fmt: skip
_THINNER_RE = re.compile(r"\b(" + "|".join(BLOOD_THINNERS) + r")\b", re.IGNORECASE)

_GENTLE_ADVICE = (
    "Choose a gentle service (for example Swedish, lymphatic drainage or prenatal "
    "massage); deep and moderate techniques are not offered to you for now."
)
_CLEARANCE_ADVICE = (
    "Ask your doctor whether massage is safe for you, then confirm that you have their "
    "clearance; the clinic will see that you confirmed it and may ask to see it."
)

#: The next step for a rule that gives none of its own: the same for every rule with
#: that outcome (see a doctor first; choose gentle work).
STANDARD_ADVICE = MappingProxyType({GENTLE_ONLY: _GENTLE_ADVICE, CLEARANCE: _CLEARANCE_ADVICE})


@dataclass(frozen=True)
class Cause:
    """The answer behind a finding, in the client's words, and the form field holding it
    (so the outcome can offer "Change this answer" right there)."""

    field: str
    said: str


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one set of answers, with the answers that caused it."""

    key: str
    outcome: ScreeningOutcome
    reason: str
    advice: str = ""
    causes: tuple[Cause, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One contraindication: how the form asks about it and what it triggers.

    ``outcome``/``reason``/``advice`` apply when the client ticks it; a rule
    whose outcome depends on other answers (dates, trimester) has a ``judge``
    that returns its finding, or None when it does not apply.
    """

    label: str  # the question on the form
    help: str  # a short plain-language explanation under it
    outcome: ScreeningOutcome
    reason: str  # shown to the client when the rule applies
    why: str  # one line: why this outcome (for the docs and the clinic)
    advice: str = ""  # empty: the outcome's standard advice (STANDARD_ADVICE)
    judge: Callable[[str, Rule, IntakeAnswers, date], Finding | None] | None = field(
        default=None, repr=False
    )

    def __post_init__(self) -> None:
        if not self.advice:
            object.__setattr__(self, "advice", STANDARD_ADVICE.get(self.outcome, ""))

    def finding(self, key: str, answers: IntakeAnswers, visit_date: date) -> Finding | None:
        """This rule's verdict on ``answers`` for a visit on ``visit_date``."""
        if self.judge is not None:
            return self.judge(key, self, answers, visit_date)
        if key in answers.contraindications:
            return Finding(key, self.outcome, self.reason, self.advice, (self.ticked(key),))
        return None

    def ticked(self, key: str, detail: str = "") -> Cause:
        """The client ticked this rule's box (``detail``: what they gave with it)."""
        field = "pregnant" if key == "pregnancy" else key
        return Cause(field, f"You ticked: {self.label}{detail}")


# --- the answer-dependent rules ---------------------------------------------------------


def _judge_surgery(key: str, rule: Rule, answers: IntakeAnswers, visit: date) -> Finding | None:
    when = answers.surgery_date
    if when is None or when > visit:
        if key not in answers.contraindications:
            return None
        # Ticked, but with no usable date: the body may still be healing.
        detail = " (no date given)" if when is None else f" (date {when.isoformat()})"
        return Finding(key, CLEARANCE, rule.reason, _CLEARANCE_ADVICE,
                       (rule.ticked(key, detail),))
    since = visit - when
    if key in answers.contraindications:
        causes = (rule.ticked(key, f" (date {when.isoformat()})"),)
    else:
        causes = (Cause("surgery_date", f"You gave a surgery date: {when.isoformat()}"),)
    if since < SURGERY_NOT_NOW:
        return Finding(
            key,
            NOT_NOW,
            f"You had surgery {since.days} days before this visit: your body is still "
            "putting its energy into healing.",
            rule.advice,
            causes,
        )
    if since < SURGERY_CLEARANCE:
        return Finding(
            key,
            CLEARANCE,
            f"You had surgery {since.days // 7} weeks before this visit: your surgeon or "
            "doctor should confirm you have healed enough for massage.",
            _CLEARANCE_ADVICE,
            causes,
        )
    return None


def _judge_pregnancy(key: str, rule: Rule, answers: IntakeAnswers, visit: date) -> Finding | None:
    if not (answers.pregnant or key in answers.contraindications):
        return None
    which = _TRIMESTER_WORDS.get(answers.trimester, "trimester not given")
    causes = (rule.ticked(key, f" ({which})"),)
    if answers.trimester in (2, 3):
        return Finding(
            key,
            GENTLE_ONLY,
            "You are pregnant: only gentle and prenatal massage, with a therapist trained "
            "in pregnancy massage, is offered.",
            "Choose a prenatal (pregnancy) massage or another gentle service.",
            causes,
        )
    # First trimester, or a trimester we were not told: the careful answer.
    return Finding(key, NOT_NOW, rule.reason, rule.advice, causes)


_TRIMESTER_WORDS = {1: "first trimester", 2: "second trimester", 3: "third trimester"}


def _judge_chemo(key: str, rule: Rule, answers: IntakeAnswers, visit: date) -> Finding | None:
    ended = answers.chemo_end_date
    if ended is None:
        if key not in answers.contraindications:
            return None
        return Finding(key, NOT_NOW, "You are still having chemotherapy.", rule.advice,
                       (rule.ticked(key, " with no end date (still in treatment)"),))
    ready = add_months(ended, CHEMO_WAIT_MONTHS)
    if visit >= ready:
        return None
    if ended > visit:
        reason = "You will still be having chemotherapy on the day of this visit."
    else:
        reason = rule.reason
    advice = f"{rule.advice} You can book again from {ready:%B} {ready.day}, {ready.year}."
    if key in answers.contraindications:
        cause = rule.ticked(key, f" (last treatment {ended.isoformat()})")
    else:
        cause = Cause("chemo_end_date",
                      f"You gave your last chemotherapy date: {ended.isoformat()}")
    return Finding(key, NOT_NOW, reason, advice, (cause,))


def _judge_bleeding(key: str, rule: Rule, answers: IntakeAnswers, visit: date) -> Finding | None:
    named = blood_thinners_named(answers.medications)
    listed = ()
    if named:
        which = _and(named)
        kind = "a blood thinner" if len(named) == 1 else "blood thinners"
        listed = (Cause("medications", f"Your medicines list names {which}, {kind}"),)
    if key in answers.contraindications:
        return Finding(key, rule.outcome, rule.reason, rule.advice,
                       (rule.ticked(key), *listed))
    if not named:
        return None
    return Finding(
        key,
        rule.outcome,
        f"Your medicines include a blood thinner ({named[0]}): deep "
        "pressure can cause bruising and bleeding under the skin.",
        rule.advice,
        listed,
    )


def blood_thinners_named(medications: str | None) -> tuple[str, ...]:
    """The blood thinners the medicines text names (lower case, each once, in its order)."""
    found = (m.group(1).lower() for m in _THINNER_RE.finditer(medications or ""))
    return tuple(dict.fromkeys(found))


def _and(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- the table ------------------------------------------------------------------------

_RULES: dict[str, Rule] = {
    "acute_infection": Rule(
        label="An infection or a fever right now",
        help="For example flu, a cold with fever, or an infected cut or skin area.",
        outcome=NOT_NOW,
        reason="You have an infection or a fever: massage speeds up circulation and can "
        "spread it or make it worse.",
        why="Raising circulation can spread a systemic or local infection.",
        advice="Please book once you have fully recovered and have had no fever for a day.",
    ),
    "congestive_heart_failure": Rule(
        label="Congestive heart failure",
        help="A heart that struggles to pump, often with swelling in the legs.",
        outcome=CLEARANCE,
        reason="You have congestive heart failure: massage pushes fluid towards a heart "
        "that already struggles with it.",
        why="Massage moves fluid into a system struggling with oedema; fine with a "
        "doctor's clearance.",
    ),
    "vascular_disease": Rule(
        label="Peripheral vascular disease, a blood clot or deep vein thrombosis (DVT)",
        help="Narrowed or damaged blood vessels, or a clot now or recently.",
        outcome=CLEARANCE,
        reason="You have a blood-vessel condition or a clot: pressure on weak vessels can "
        "damage them or move a clot.",
        why="Soft-tissue work, deep work most of all, can damage diseased vessels or "
        "dislodge a clot; a doctor must say what is safe.",
    ),
    "stroke": Rule(
        label="A stroke",
        help="At any time, including a mini-stroke (TIA).",
        outcome=CLEARANCE,
        reason="You have had a stroke: whether massage is safe depends on your condition "
        "and the medicines you take.",
        why="Whether it is safe depends on the medicines (often blood thinners) the client is on.",
    ),
    "hepatitis": Rule(
        label="Hepatitis",
        help="Any inflammation of the liver, including viral hepatitis.",
        outcome=CLEARANCE,
        reason="You have hepatitis: massage adds to the work of a liver that is already inflamed.",
        why="The liver clears what massage releases into the blood, and viral hepatitis "
        "may be contagious; a doctor must judge it.",
    ),
    "pneumonia": Rule(
        label="Pneumonia",
        help="Now, or still recovering from it.",
        outcome=NOT_NOW,
        reason="You have pneumonia: it is an acute infection, and massage can make it worse.",
        why="An acute infection of the lungs: same reasoning as any acute infection.",
        advice="Please book once your doctor says you have recovered.",
    ),
    "immune_deficiency": Rule(
        label="A weakened immune system",
        help="From an illness or from medicines that suppress the immune system.",
        outcome=GENTLE_ONLY,
        reason="Your immune system is weakened: deep work can cause a flare-up, gentle "
        "work is generally fine.",
        why="Deep tissue work can cause a flare-up; gentle work is generally fine.",
    ),
    "advanced_osteoporosis": Rule(
        label="Advanced osteoporosis",
        help="Bones made thin and brittle, with a risk of fractures.",
        outcome=GENTLE_ONLY,
        reason="You have advanced osteoporosis: deep pressure could injure brittle bones.",
        why="Deep work risks fractures; gentle massage with gentle stretching helps "
        "circulation and mobility.",
    ),
    "recent_surgery": Rule(
        label="Surgery in the last 3 months",
        help="Give the date of the operation below.",
        outcome=CLEARANCE,
        reason="You had surgery recently and did not give its date: your doctor should "
        "confirm you have healed enough for massage.",
        why="Wait until healed (under 6 weeks: not now; 6 to 12 weeks: clearance); "
        "post-operative lymphatic drainage is the exception.",
        advice="Please book once you have healed. If your surgeon recommends post-operative "
        "lymphatic drainage, ask the clinic about it directly.",
        judge=_judge_surgery,
    ),
    "pregnancy": Rule(
        label="I am pregnant",
        help="Tell us the trimester below.",
        outcome=NOT_NOW,
        reason="You are in the first trimester of pregnancy (or did not say which "
        "trimester): therapeutic massage waits until the second.",
        why="First trimester: wait for the second before therapeutic work; later "
        "trimesters: gentle or prenatal massage only.",
        advice="From your second trimester (week 14), book a prenatal massage with a "
        "therapist trained in pregnancy massage.",
        judge=_judge_pregnancy,
    ),
    "renal_disease": Rule(
        label="Kidney (renal) disease",
        help="Kidneys that do not filter the blood fully, or dialysis.",
        outcome=CLEARANCE,
        reason="You have kidney disease: massage releases waste that your kidneys may not "
        "be able to clear.",
        why="If the kidneys cannot filter the wastes massage releases, massage is "
        "contraindicated; a doctor decides case by case.",
    ),
    "bleeding_disorder": Rule(
        label="A bleeding disorder, or blood-thinning medicine",
        help="For example haemophilia, or warfarin, heparin or apixaban. Alcohol and THC "
        "(cannabis) thin the blood too: avoid them for 24 hours before your visit.",
        outcome=GENTLE_ONLY,
        reason="You bleed or bruise easily (a bleeding disorder or blood thinners): deep "
        "pressure can cause bleeding under the skin.",
        why="No deep tissue work with bleeding disorders or blood thinners, alcohol and "
        "THC included.",
        advice=_GENTLE_ADVICE + " Avoid alcohol and THC for 24 hours before your visit.",
        judge=_judge_bleeding,
    ),
    "cancer": Rule(
        label="Cancer",
        help="Now or in treatment; tell us about chemotherapy separately below.",
        outcome=CLEARANCE,
        reason="You have cancer: your doctor should confirm massage is safe and when it "
        "fits between treatments.",
        why="Clearance from the doctor, and timing around treatments.",
    ),
    "chemotherapy": Rule(
        label="Chemotherapy now or in the last 3 months",
        help="Give the date of your last treatment below; leave it empty if you are still "
        "in treatment.",
        outcome=NOT_NOW,
        reason="Your chemotherapy ended less than 3 months before this visit: its drugs "
        "can be released again from the tissues and make you ill.",
        why="Chemotherapy is fat-soluble and can be re-released into the tissues: wait "
        "3 months after treatment.",
        advice="Massage can resume 3 months after your last treatment, with your doctor's "
        "agreement.",
        judge=_judge_chemo,
    ),
}

#: key -> Rule, in the order the form asks.
CONTRAINDICATIONS: Mapping[str, Rule] = MappingProxyType(_RULES)

#: Rules asked with their own fields on the form rather than a plain checkbox.
ASKED_SEPARATELY = frozenset({"pregnancy", "recent_surgery", "chemotherapy"})


# --- dates ----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's end (date.max on overflow)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
