"""The contraindication rules: every rule's outcome, date boundaries, precedence, and
properties over arbitrary answers."""

import dataclasses
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.models import Intensity, ScreeningOutcome
from marketplace.services.intake.screening import (
    CONTRAINDICATIONS,
    IntakeAnswers,
    Screening,
    add_months,
    allowed_intensities,
    is_at_least_as_restrictive,
    screen,
    service_allowed,
)

VISIT = date(2026, 6, 15)
P, G, C, N = (
    ScreeningOutcome.PROCEED,
    ScreeningOutcome.GENTLE_ONLY,
    ScreeningOutcome.CLEARANCE,
    ScreeningOutcome.NOT_NOW,
)


def ticked(*keys, **answers) -> IntakeAnswers:
    return IntakeAnswers(contraindications=frozenset(keys), **answers)


# --- the table ----------------------------------------------------------------------------


def test_the_table_covers_the_fourteen_contraindications_of_the_source():
    assert list(CONTRAINDICATIONS) == [
        "acute_infection",
        "congestive_heart_failure",
        "vascular_disease",
        "stroke",
        "hepatitis",
        "pneumonia",
        "immune_deficiency",
        "advanced_osteoporosis",
        "recent_surgery",
        "pregnancy",
        "renal_disease",
        "bleeding_disorder",
        "cancer",
        "chemotherapy",
    ]


@pytest.mark.parametrize("key", list(CONTRAINDICATIONS))
def test_every_rule_explains_itself_in_plain_words(key):
    rule = CONTRAINDICATIONS[key]
    for text in (rule.label, rule.help, rule.reason, rule.why, rule.advice):
        assert text
        assert text.strip() == text
    assert rule.outcome is not P


# --- each contraindication on its own (simple ticks) ----------------------------------------


@pytest.mark.parametrize(
    ("key", "outcome"),
    [
        ("acute_infection", N),
        ("congestive_heart_failure", C),
        ("vascular_disease", C),
        ("stroke", C),
        ("hepatitis", C),
        ("pneumonia", N),
        ("immune_deficiency", G),
        ("advanced_osteoporosis", G),
        ("renal_disease", C),
        ("bleeding_disorder", G),
        ("cancer", C),
    ],
)
def test_a_ticked_contraindication_gives_its_outcome_reason_and_advice(key, outcome):
    result = screen(ticked(key), visit_date=VISIT)
    assert result.outcome is outcome
    assert result.reasons == (CONTRAINDICATIONS[key].reason,)
    assert result.advice == CONTRAINDICATIONS[key].advice
    assert result.keys == (key,)


def test_no_answers_means_proceed_with_nothing_to_say():
    result = screen(IntakeAnswers(), visit_date=VISIT)
    assert result == Screening(P)
    assert result.reasons == ()
    assert result.advice == ""
    assert result.title == "You can book"


def test_medicines_and_notes_alone_do_not_stop_a_booking():
    answers = IntakeAnswers(medications="ibuprofen, vitamin D", notes="Stiff left shoulder.")
    assert screen(answers, visit_date=VISIT).outcome is P


# --- pregnancy ----------------------------------------------------------------------------


def test_first_trimester_stops_the_booking_and_points_to_the_second():
    result = screen(IntakeAnswers(pregnant=True, trimester=1), visit_date=VISIT)
    assert result.outcome is N
    assert "first trimester" in result.reasons[0]
    assert "second trimester" in result.advice


@pytest.mark.parametrize("trimester", [2, 3])
def test_later_trimesters_are_gentle_or_prenatal_only(trimester):
    result = screen(IntakeAnswers(pregnant=True, trimester=trimester), visit_date=VISIT)
    assert result.outcome is G
    assert "prenatal" in result.advice
    assert result.gentle_only


@pytest.mark.parametrize("trimester", [None, 0, 4, -1, 99])
def test_pregnant_without_a_usable_trimester_is_treated_as_the_first(trimester):
    result = screen(IntakeAnswers(pregnant=True, trimester=trimester), visit_date=VISIT)
    assert result.outcome is N


def test_a_trimester_without_pregnancy_is_ignored():
    assert screen(IntakeAnswers(trimester=1), visit_date=VISIT).outcome is P


def test_the_pregnancy_key_counts_like_the_pregnant_answer():
    assert screen(ticked("pregnancy", trimester=2), visit_date=VISIT).outcome is G


# --- recent surgery: judged against the visit date -----------------------------------------


@pytest.mark.parametrize(
    ("days_before", "outcome"),
    [
        (0, N),
        (14, N),
        (41, N),  # one day short of 6 weeks
        (42, C),  # 6 weeks exactly
        (83, C),
        (84, P),  # 12 weeks exactly: healed enough
        (183, P),  # six months
    ],
)
def test_surgery_outcome_depends_on_time_before_the_visit(days_before, outcome):
    answers = ticked("recent_surgery", surgery_date=VISIT - timedelta(days=days_before))
    assert screen(answers, visit_date=VISIT).outcome is outcome


def test_the_same_surgery_judged_for_a_later_visit_is_no_longer_recent():
    answers = ticked("recent_surgery", surgery_date=date(2026, 6, 1))
    assert screen(answers, visit_date=date(2026, 6, 15)).outcome is N
    assert screen(answers, visit_date=date(2026, 12, 15)).outcome is P


def test_surgery_reason_says_how_long_ago():
    answers = ticked("recent_surgery", surgery_date=VISIT - timedelta(days=14))
    result = screen(answers, visit_date=VISIT)
    assert "14 days" in result.reasons[0]
    assert "lymphatic drainage" in result.advice


def test_surgery_ticked_without_a_date_needs_clearance():
    assert screen(ticked("recent_surgery"), visit_date=VISIT).outcome is C


def test_surgery_date_after_the_visit_with_the_box_ticked_needs_clearance():
    answers = ticked("recent_surgery", surgery_date=VISIT + timedelta(days=3))
    assert screen(answers, visit_date=VISIT).outcome is C


def test_surgery_date_after_the_visit_without_the_box_is_ignored():
    answers = IntakeAnswers(surgery_date=VISIT + timedelta(days=3))
    assert screen(answers, visit_date=VISIT).outcome is P


def test_a_surgery_date_counts_even_when_the_box_was_not_ticked():
    answers = IntakeAnswers(surgery_date=VISIT - timedelta(days=10))
    assert screen(answers, visit_date=VISIT).outcome is N


# --- chemotherapy: 3 calendar months after the last treatment --------------------------------


@pytest.mark.parametrize(
    ("ended", "outcome"),
    [
        (date(2026, 4, 15), N),  # 2 months before the visit
        (date(2026, 3, 16), N),  # one day short of 3 months
        (date(2026, 3, 15), P),  # 3 months exactly
        (date(2026, 2, 15), P),  # 4 months before
    ],
)
def test_chemotherapy_waits_three_months_before_the_visit(ended, outcome):
    answers = ticked("chemotherapy", chemo_end_date=ended)
    assert screen(answers, visit_date=VISIT).outcome is outcome


def test_chemotherapy_advice_names_the_first_day_to_book_again():
    answers = ticked("chemotherapy", chemo_end_date=date(2026, 4, 30))
    result = screen(answers, visit_date=VISIT)
    assert "July 30, 2026" in result.advice


def test_chemotherapy_without_an_end_date_means_still_in_treatment():
    result = screen(ticked("chemotherapy"), visit_date=VISIT)
    assert result.outcome is N
    assert "still having chemotherapy" in result.reasons[0]


def test_chemotherapy_ending_after_the_visit_is_still_treatment():
    answers = ticked("chemotherapy", chemo_end_date=VISIT + timedelta(days=20))
    result = screen(answers, visit_date=VISIT)
    assert result.outcome is N
    assert "on the day of this visit" in result.reasons[0]


def test_an_old_chemotherapy_with_cancer_still_needs_clearance():
    answers = ticked("cancer", "chemotherapy", chemo_end_date=date(2025, 1, 10))
    result = screen(answers, visit_date=VISIT)
    assert result.outcome is C
    assert result.keys == ("cancer",)


def test_add_months_clamps_to_the_month_end_and_never_overflows():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(9999, 11, 1), 3) == date.max


# --- blood thinners named in the medicines -----------------------------------------------


# Every drug the product promises to recognise, written out here (not imported from the
# code), so dropping one from the code's list fails a test: generics and their brands.
EVERY_BLOOD_THINNER = (
    "warfarin", "coumadin", "jantoven", "heparin", "enoxaparin", "lovenox", "apixaban",
    "eliquis", "rivaroxaban", "xarelto", "dabigatran", "pradaxa", "edoxaban", "savaysa",
    "clopidogrel", "plavix", "prasugrel", "effient", "ticagrelor", "brilinta",
)  # fmt: skip


def test_the_list_written_here_is_twenty_distinct_drugs():
    assert len(set(EVERY_BLOOD_THINNER)) == 20


@pytest.mark.parametrize("drug", EVERY_BLOOD_THINNER)
def test_every_listed_blood_thinner_is_recognised_in_any_case_and_named(drug):
    for written in (drug, drug.upper(), drug.capitalize()):
        result = screen(IntakeAnswers(medications=f"Vitamin D, {written} 5 mg daily"),
                        visit_date=VISIT)
        assert result.outcome is G, written
        assert f"blood thinner ({drug})" in result.reasons[0]


@pytest.mark.parametrize("medications", ["Warfarin 5 mg", "eliquis daily", "takes XARELTO"])
def test_a_blood_thinner_in_the_medicines_means_gentle_only(medications):
    result = screen(IntakeAnswers(medications=medications), visit_date=VISIT)
    assert result.outcome is G
    assert "blood thinner" in result.reasons[0]
    assert "alcohol and THC" in result.advice


def test_a_blood_thinner_must_be_a_whole_word():
    assert screen(IntakeAnswers(medications="Plavixxy tea"), visit_date=VISIT).outcome is P


# --- each reason names the answer that caused it (issue 'Trust') ---------------------------


def said(result) -> list[tuple[str, str]]:
    """(field, words) of every answer behind ``result``, in order."""
    return [(c.field, c.said) for c in result.answers_to_change]


def test_a_ticked_box_is_named_by_its_question():
    result = screen(ticked("renal_disease"), visit_date=VISIT)
    assert said(result) == [("renal_disease", "You ticked: Kidney (renal) disease")]
    assert result.explained == [(result.reasons[0], result.answers_to_change)]


def test_a_medicine_keeps_screening_and_is_named_even_with_the_box_unticked():
    result = screen(IntakeAnswers(medications="Warfarin 5 mg, vitamin D"), visit_date=VISIT)
    assert result.outcome is G
    assert said(result) == [
        ("medications", "Your medicines list names warfarin, a blood thinner")]


def test_every_blood_thinner_listed_is_named_and_the_ticked_box_too():
    result = screen(ticked("bleeding_disorder", medications="eliquis; Plavix, eliquis"),
                    visit_date=VISIT)
    assert said(result) == [
        ("bleeding_disorder", "You ticked: A bleeding disorder, or blood-thinning medicine"),
        ("medications", "Your medicines list names eliquis and plavix, blood thinners"),
    ]


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        (ticked("recent_surgery", surgery_date=date(2026, 6, 1)), "recent_surgery",
         "You ticked: Surgery in the last 3 months (date 2026-06-01)"),
        (ticked("recent_surgery", surgery_date=date(2026, 4, 20)), "recent_surgery",
         "You ticked: Surgery in the last 3 months (date 2026-04-20)"),
        (ticked("recent_surgery"), "recent_surgery",
         "You ticked: Surgery in the last 3 months (no date given)"),
        (IntakeAnswers(surgery_date=date(2026, 6, 1)), "surgery_date",
         "You gave a surgery date: 2026-06-01"),
    ],
)
def test_a_surgery_reason_names_the_box_and_the_date(answers, field, words):
    assert said(screen(answers, visit_date=VISIT)) == [(field, words)]


@pytest.mark.parametrize(
    ("trimester", "words"),
    [(1, "first trimester"), (2, "second trimester"), (None, "trimester not given")],
)
def test_a_pregnancy_reason_names_the_trimester_given(trimester, words):
    result = screen(IntakeAnswers(pregnant=True, trimester=trimester), visit_date=VISIT)
    assert said(result) == [("pregnant", f"You ticked: I am pregnant ({words})")]


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        (ticked("chemotherapy"), "chemotherapy", "You ticked: Chemotherapy now or in the "
         "last 3 months with no end date (still in treatment)"),
        (ticked("chemotherapy", chemo_end_date=date(2026, 5, 1)), "chemotherapy",
         "You ticked: Chemotherapy now or in the last 3 months (last treatment 2026-05-01)"),
        (IntakeAnswers(chemo_end_date=date(2026, 5, 1)), "chemo_end_date",
         "You gave your last chemotherapy date: 2026-05-01"),
    ],
)
def test_a_chemotherapy_reason_names_the_box_and_the_date(answers, field, words):
    assert said(screen(answers, visit_date=VISIT)) == [(field, words)]


def test_each_reason_keeps_its_own_answers():
    result = screen(ticked("acute_infection", medications="heparin"), visit_date=VISIT)
    assert [[c.field for c in causes] for _, causes in result.explained] == [
        ["acute_infection"], ["medications"]]


def test_a_screening_stored_without_causes_still_reads():
    stored = screen(ticked("stroke"), visit_date=VISIT).to_dict()
    del stored["causes"]
    old = Screening.from_dict(stored)
    assert old.causes == ()
    assert old.explained == [(old.reasons[0], ())]


# --- precedence and service choice ---------------------------------------------------------


def test_the_most_restrictive_outcome_wins_and_every_reason_is_kept():
    answers = ticked("advanced_osteoporosis", "cancer", "acute_infection")
    result = screen(answers, visit_date=VISIT)
    assert result.outcome is N
    assert len(result.reasons) == 3
    # The advice is the next step for the outcome that won.
    assert result.advice == CONTRAINDICATIONS["acute_infection"].advice


def test_clearance_beats_gentle_only_but_remembers_the_gentle_limit():
    result = screen(ticked("advanced_osteoporosis", "stroke"), visit_date=VISIT)
    assert result.outcome is C
    assert result.gentle_only
    assert service_allowed(result, Intensity.GENTLE)
    assert not service_allowed(result, Intensity.DEEP)


def test_the_same_advice_is_given_once():
    result = screen(ticked("stroke", "hepatitis"), visit_date=VISIT)
    assert result.advice == CONTRAINDICATIONS["stroke"].advice


@pytest.mark.parametrize(
    ("outcome", "allowed"),
    [
        (P, {Intensity.GENTLE, Intensity.MODERATE, Intensity.DEEP}),
        (G, {Intensity.GENTLE}),
        (C, {Intensity.GENTLE, Intensity.MODERATE, Intensity.DEEP}),
        (N, set()),
    ],
)
def test_service_allowed_by_outcome(outcome, allowed):
    for intensity in Intensity:
        assert service_allowed(Screening(outcome), intensity) is (intensity in allowed)


def test_allowed_intensities_filter_services_the_same_way():
    assert allowed_intensities(Screening(P)) == frozenset(Intensity)
    assert allowed_intensities(Screening(G)) == {Intensity.GENTLE}
    assert allowed_intensities(Screening(C, gentle_only=True)) == {Intensity.GENTLE}
    assert allowed_intensities(Screening(N)) == frozenset()


def test_service_allowed_accepts_the_stored_string_value():
    assert service_allowed(Screening(G), "gentle")
    assert not service_allowed(Screening(G), "deep")


def test_outcome_texts_exist_for_every_outcome():
    for outcome in ScreeningOutcome:
        s = Screening(outcome)
        assert s.title
        assert s.summary
    assert Screening(C).needs_clearance
    assert not Screening(G).needs_clearance


# --- serialisation --------------------------------------------------------------------------


def test_answers_round_trip_through_a_json_safe_dict():
    answers = IntakeAnswers(
        contraindications=frozenset({"cancer", "stroke"}),
        medications="Aspirin",
        pregnant=True,
        trimester=2,
        surgery_date=date(2026, 1, 2),
        chemo_end_date=date(2025, 12, 1),
        notes="Left knee — ça va",
    )
    data = json.loads(json.dumps(answers.to_dict()))
    assert data["contraindications"] == ["cancer", "stroke"]
    assert IntakeAnswers.from_dict(data) == answers


def test_answers_from_an_older_or_partial_dict_take_defaults():
    assert IntakeAnswers.from_dict({}) == IntakeAnswers()
    assert IntakeAnswers.from_dict({"surgery_date": "", "extra": 1}) == IntakeAnswers()


def test_screening_round_trips():
    result = screen(ticked("stroke", "immune_deficiency"), visit_date=VISIT)
    assert Screening.from_dict(result.to_dict()) == result


# --- properties over any answers -------------------------------------------------------------

KEYS = [*CONTRAINDICATIONS, "not-a-rule"]
dates = st.one_of(st.none(), st.dates())
answers_strategy = st.builds(
    IntakeAnswers,
    contraindications=st.frozensets(st.sampled_from(KEYS)),
    medications=st.one_of(st.text(max_size=40), st.sampled_from(EVERY_BLOOD_THINNER)),
    pregnant=st.booleans(),
    trimester=st.one_of(st.none(), st.integers(min_value=-5, max_value=9)),
    surgery_date=dates,
    chemo_end_date=dates,
    notes=st.text(max_size=40),
)


@settings(max_examples=400, deadline=None)
@given(answers=answers_strategy, visit=st.dates())
def test_screen_never_crashes_and_is_at_least_as_strict_as_every_rule(answers, visit):
    result = screen(answers, visit_date=visit)
    assert isinstance(result, Screening)
    for key, rule in CONTRAINDICATIONS.items():
        alone = rule.finding(key, answers, visit)
        if alone is not None:
            assert is_at_least_as_restrictive(result.outcome, alone.outcome)
            assert alone.reason in result.reasons
    assert (result.outcome is P) == (result.reasons == ())
    assert (result.outcome is P) == (result.advice == "")
    assert service_allowed(result, Intensity.GENTLE) is (result.outcome is not N)
    deep_ok = result.outcome is not N and not result.gentle_only
    assert service_allowed(result, Intensity.DEEP) is deep_ok
    assert Screening.from_dict(result.to_dict()) == result


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy, extra=st.sampled_from(list(CONTRAINDICATIONS)), visit=st.dates())
def test_ticking_one_more_box_never_makes_the_outcome_less_strict(answers, extra, visit):
    before = screen(answers, visit_date=visit)
    more = dataclasses.replace(answers, contraindications=answers.contraindications | {extra})
    assert is_at_least_as_restrictive(screen(more, visit_date=visit).outcome, before.outcome)


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy)
def test_answers_round_trip_whatever_they_hold(answers):
    assert IntakeAnswers.from_dict(answers.to_dict()) == answers
