"""Pure pieces of discovery: words for the index, dominance of slot rules, the tray,
and policies in plain words."""

from datetime import timedelta

import pytest
from hypothesis import given, settings

from marketplace.models import Clinic, DepositKind
from marketplace.services.availability import openings
from marketplace.services.availability.engine import SlotRules, first_slot, therapist_slots
from marketplace.services.clinics import policy as policy_words
from marketplace.services.discovery import index as search_index
from marketplace.services.discovery import tray as compare_tray
from tests.unit.availability.test_engine import scenarios


@pytest.mark.parametrize(("text", "folded"), [
    ("S.E.T. / Cross-fibre", "set cross fibre"),
    ("Golfer's  Élbow", "golfers elbow"),
    ("  Trigger-Point   THERAPY ", "trigger point therapy"),
    ("<script>alert(1)</script>", "script alert 1 script"),
    (None, ""),
])
def test_fold(text, folded):
    assert search_index.fold(text) == folded


def test_query_tokens_are_singular_distinct_and_bounded():
    assert search_index.query_tokens("Massages for knees, knees!") == ["massage", "for", "knee"]
    assert search_index.query_tokens("therapies stress") == ["therapy", "stress"]
    assert search_index.query_tokens("a b c") == []
    assert len(search_index.query_tokens(" ".join(f"w{i}x" for i in range(20)))) == 8


def test_match_expressions_use_only_safe_words():
    tokens = search_index.query_tokens('trig" OR 1=1 -- poin*')
    assert search_index.match_expression(tokens, "sqlite") == '"trig"* "or"* "poin"*'
    assert search_index.match_expression(tokens, "postgresql") == "trig:* & or:* & poin:*"


def _rules(minutes, before=0, after=0):
    return SlotRules(duration=timedelta(minutes=minutes), buffer_before=timedelta(minutes=before),
                     buffer_after=timedelta(minutes=after))


def test_only_undominated_rules_are_tried():
    kept = openings._undominated([_rules(90), _rules(60), _rules(60, after=15), _rules(30, 20)])
    assert kept == [_rules(30, 20), _rules(60)]


def _clinic(slug="a-clinic", **kw):
    return Clinic(slug=slug, name=slug.replace("-", " ").title(), **kw)


def test_the_tray_holds_three_distinct_well_formed_slugs():
    assert compare_tray.clean(["a", "a", "B!", 3, "b", "c", "d"]) == ["a", "b", "c"]
    assert compare_tray.clean("a") == []
    assert compare_tray.add(["a"], _clinic("b")) == ["a", "b"]
    assert compare_tray.add(["a", "b"], _clinic("a")) == ["a", "b"]
    with pytest.raises(compare_tray.TrayFull, match="up to 3 clinics"):
        compare_tray.add(["a", "b", "c"], _clinic("d"))
    assert compare_tray.remove(["a", "b"], "a") == ["b"]


@pytest.mark.parametrize(("kind", "value", "words"), [
    (DepositKind.PERCENT, 20, "20% of the price"),
    (DepositKind.PERCENT, 0, "No deposit"),
    (DepositKind.PERCENT, 100, "The full price"),
    (DepositKind.FIXED, 2500, "$25 (the whole price if it is less)"),
])
def test_deposit_words(kind, value, words):
    assert policy_words.deposit_words(_clinic(deposit_kind=kind, deposit_value=value)) == words


@pytest.mark.parametrize(("hours", "words"), [
    (24, "at least 24 hours (1 day) before"), (36, "at least 36 hours before"),
    (1, "at least 1 hour before"), (0, "any time before it starts"),
])
def test_cancellation_words(hours, words):
    clinic = _clinic(cancellation_window_hours=hours, deposit_value=20)
    assert words in policy_words.cancellation_words(clinic)


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_first_slot_is_the_first_of_all_slots(scenario):
    schedule, rules, window, now = scenario
    everything = therapist_slots(schedule, rules, window=window, now=now)
    assert first_slot(schedule, rules, window=window, now=now) == (
        everything[0] if everything else None)
