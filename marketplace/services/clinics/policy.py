"""A clinic's deposit and cancellation policy in plain words, for profiles, the
compare table and the API. The words are derived from the policy fields, so
they can never disagree with what booking enforces."""

from __future__ import annotations

from ...models import Clinic, DepositKind
from ..common.money import format_cents


def window_words(hours: int) -> str:
    """24 -> "24 hours (1 day)"; 36 -> "36 hours"; 1 -> "1 hour"."""
    unit = "hour" if hours == 1 else "hours"
    if hours >= 24 and hours % 24 == 0:
        days = hours // 24
        return f"{hours} {unit} ({days} day{'' if days == 1 else 's'})"
    return f"{hours} {unit}"


def deposit_words(clinic: Clinic) -> str:
    """What the deposit is: "20% of the price" or "$30 (the whole price if it is less)"."""
    if clinic.deposit_kind == DepositKind.PERCENT:
        if clinic.deposit_value == 0:
            return "No deposit"
        if clinic.deposit_value >= 100:
            return "The full price"
        return f"{clinic.deposit_value}% of the price"
    if clinic.deposit_value == 0:
        return "No deposit"
    return f"{format_cents(clinic.deposit_value)} (the whole price if it is less)"


def deposit_covers(clinic: Clinic) -> str:
    """What the deposit pays for and when."""
    if clinic.deposit_value == 0:
        return "Nothing is paid when you book; you pay the whole price at the clinic."
    return (
        "Paid online when you book, it holds your therapist's time and counts toward the "
        "price of the visit; you pay the rest at the clinic."
    )


def cancellation_words(clinic: Clinic) -> str:
    """When the deposit comes back, and when it does not."""
    hours = clinic.cancellation_window_hours
    if hours == 0:
        return (
            "Cancel or move your appointment any time before it starts and the deposit is "
            "refunded in full. If you do not come, the clinic keeps it."
        )
    return (
        f"Cancel or move your appointment at least {window_words(hours)} before it starts "
        "and the deposit is refunded in full. Later than that, or if you do not come, the "
        "clinic keeps the deposit."
    )


def policy_text(kind: DepositKind, value: int, hours: int, extra: str = "") -> str:
    """A clinic's written policy, drafted from its deposit and cancellation rules.

    A new clinic starts with this text (the owner may rewrite it); ``extra`` is
    appended, for a clinic's own further terms.
    """
    if kind is DepositKind.PERCENT:
        deposit = f"a deposit of {value}% of the price"
    else:
        deposit = f"a {format_cents(value)} deposit"
    text = (
        f"We take {deposit} when you book; the rest is paid at the clinic. Cancel or move "
        f"your appointment at least {hours} hours before it starts and the deposit is "
        f"refunded in full. Later than that, or if you do not come, we keep the deposit "
        f"for the therapist's reserved time."
    )
    return f"{text} {extra}".strip()
