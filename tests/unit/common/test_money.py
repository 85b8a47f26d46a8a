import pytest

from marketplace.models import per_60
from marketplace.services.common.money import format_cents, parse_dollars, percent_of


@pytest.mark.parametrize(
    ("cents", "text"),
    [(11500, "$115"), (5750, "$57.50"), (5, "$0.05"), (-2500, "-$25"), (123456700, "$1,234,567")],
)
def test_format_cents(cents, text):
    assert format_cents(cents) == text


@pytest.mark.parametrize(
    ("text", "cents"), [("115", 11500), ("$115.00", 11500), ("57.5", 5750), ("0.005", 1)]
)
def test_parse_dollars(text, cents):
    assert parse_dollars(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "-5", "NaN", "Infinity", "1e400"])
def test_parse_dollars_refuses_nonsense(text):
    with pytest.raises(ValueError, match="not an amount"):
        parse_dollars(text)


def test_percent_rounds_half_up():
    assert percent_of(11500, 20) == 2300
    assert percent_of(999, 15) == 150  # 149.85 -> 150


@pytest.mark.parametrize(
    ("price", "minutes", "expected"),
    [(11500, 60, 11500), (9000, 45, 12000), (14000, 90, 9333), (100, 30, 200)],
)
def test_price_per_60_minutes(price, minutes, expected):
    assert per_60(price, minutes) == expected


@pytest.mark.parametrize(("cents", "text"), [
    (10333, "$103"), (10350, "$104"), (10349, "$103"), (11500, "$115"), (None, ""),
    (123456, "$1,235"),
])
def test_prices_for_comparison_round_half_up_to_whole_dollars(cents, text):
    from marketplace.services.common.money import format_whole_dollars

    assert format_whole_dollars(cents) == text
