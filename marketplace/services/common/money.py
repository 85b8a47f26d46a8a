"""Money is integer cents everywhere; these turn it into words and back."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: No price on this marketplace comes near this; anything larger is a typo.
MAX_DOLLARS = Decimal(100_000)


def format_cents(cents: int | None, *, currency: str = "usd") -> str:
    """$115 for whole dollars, $57.50 otherwise."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    dollars, rem = divmod(abs(int(cents)), 100)
    symbol = "$" if currency.lower() == "usd" else currency.upper() + " "
    if rem == 0:
        return f"{sign}{symbol}{dollars:,}"
    return f"{sign}{symbol}{dollars:,}.{rem:02d}"


def whole_dollars(cents: int) -> int:
    """Cents rounded half up to whole dollars: 10333 -> 103, 10350 -> 104."""
    return int((Decimal(int(cents)) / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_whole_dollars(cents: int | None) -> str:
    """A price shown for comparison, rounded half up to whole dollars: $103.33 -> $103.

    Only for figures nobody is charged (a price per 60 minutes); what is charged
    is always shown to the cent with ``format_cents``.
    """
    if cents is None:
        return ""
    return format_cents(whole_dollars(cents) * 100)


def parse_dollars(text: str) -> int:
    """"115", "$115.00", "57.5" -> cents. Raises ValueError on anything else."""
    cleaned = text.strip().replace("$", "").replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not an amount of money") from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_DOLLARS:
        raise ValueError(f"{text!r} is not an amount of money")
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def percent_of(cents: int, percent: int) -> int:
    """``percent`` % of ``cents``, rounded half up to the cent."""
    return (cents * percent * 2 + 100) // 200
