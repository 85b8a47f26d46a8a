"""The intake questionnaire: validation, answers out, prefill for reuse, and the
macros that render it and the screening result."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import render_template_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from marketplace.forms.intake import CHECKBOX_KEYS, CONDITION_KEYS, IntakeForm
from marketplace.models import ScreeningOutcome
from marketplace.services.intake.screening import (
    CONTRAINDICATIONS,
    IntakeAnswers,
    Screening,
    screen,
)

TODAY = date(2026, 5, 4)


@pytest.fixture
def make_form(app):
    """``make_form(**fields)`` posts the fields to a fresh IntakeForm and validates it."""
    contexts = []

    def make(formdata=None, **fields):
        data = MultiDict(formdata or {})
        for name, value in fields.items():
            data.add(name, value)
        ctx = app.test_request_context(method="POST", data=data)
        ctx.push()
        contexts.append(ctx)
        form = IntakeForm(meta={"csrf": False}, today=TODAY)
        form.validate()
        return form

    yield make
    for ctx in reversed(contexts):
        ctx.pop()


def test_an_empty_questionnaire_is_valid_and_means_no_contraindications(make_form):
    form = make_form()
    assert form.errors == {}
    assert form.to_answers() == IntakeAnswers()


def test_every_contraindication_has_a_checkbox_with_its_label_and_help(make_form):
    form = make_form()
    assert set(CHECKBOX_KEYS) == set(CONTRAINDICATIONS) - {"pregnancy"}
    for key in CHECKBOX_KEYS:
        assert form[key].label.text == CONTRAINDICATIONS[key].label
        assert form[key].description == CONTRAINDICATIONS[key].help
    assert form.pregnant.label.text == CONTRAINDICATIONS["pregnancy"].label
    assert [f.name for f in form.condition_fields()] == list(CONDITION_KEYS)


def test_full_answers_come_out_as_intake_answers(make_form):
    form = make_form(
        stroke="y",
        cancer="y",
        recent_surgery="y",
        surgery_date="2026-04-01",
        chemotherapy="y",
        chemo_end_date="2025-12-24",
        pregnant="y",
        trimester="2",
        medications="  Warfarin\x00 5 mg  ",
        notes="Left shoulder.\r\nLikes firm pressure.",
    )
    assert form.errors == {}
    assert form.to_answers() == IntakeAnswers(
        contraindications=frozenset({"stroke", "cancer", "recent_surgery", "chemotherapy"}),
        medications="Warfarin 5 mg",
        pregnant=True,
        trimester=2,
        surgery_date=date(2026, 4, 1),
        chemo_end_date=date(2025, 12, 24),
        notes="Left shoulder.\nLikes firm pressure.",
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"pregnant": "y"}, "trimester", "Choose the trimester you are in."),
        ({"pregnant": "y", "trimester": "4"}, "trimester", "first, second or third"),
        ({"trimester": "zero"}, "trimester", "first, second or third"),
        ({"recent_surgery": "y"}, "surgery_date", "Give the date of your operation."),
        ({"recent_surgery": "y", "surgery_date": "2026-05-09"}, "surgery_date",
         "cannot be in the future"),
        ({"recent_surgery": "y", "surgery_date": "1850-01-01"}, "surgery_date", "Check the year"),
        ({"surgery_date": "yesterday"}, "surgery_date", "year-month-day"),
        ({"surgery_date": "2026-02-30"}, "surgery_date", "year-month-day"),
        ({"surgery_date": "99999-01-01"}, "surgery_date", "year-month-day"),
        ({"chemo_end_date": "2027-01-01"}, "chemo_end_date", "leave the end date empty"),
        ({"chemo_end_date": "'; DROP TABLE"}, "chemo_end_date", "year-month-day"),
        ({"medications": "x" * 1001}, "medications", "1000"),
        ({"notes": "x" * 2001}, "notes", "2000"),
    ],
)
def test_bad_answers_get_a_clear_message_on_their_field(make_form, fields, field, message):
    form = make_form(**fields)
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    if field in fields:
        assert form[field].raw_data == [fields[field]]  # what was typed is kept


def test_a_mistyped_date_gets_one_message_not_two(make_form):
    form = make_form(recent_surgery="y", surgery_date="last week")
    assert form.errors == {
        "surgery_date": ["Enter the date as year-month-day, for example 2026-03-14."]
    }


def test_a_date_tomorrow_is_allowed_for_clients_ahead_of_the_clinic(make_form):
    assert make_form(surgery_date="2026-05-05").errors == {}


def test_a_trimester_without_pregnancy_is_dropped(make_form):
    form = make_form(trimester="1")
    assert form.errors == {}
    assert form.to_answers().trimester is None


def test_chemotherapy_without_an_end_date_means_still_in_treatment(make_form):
    form = make_form(chemotherapy="y")
    assert form.errors == {}
    answers = form.to_answers()
    assert answers.chemo_end_date is None
    assert screen(answers, visit_date=TODAY).outcome is ScreeningOutcome.NOT_NOW


def test_unknown_fields_are_ignored(make_form):
    form = make_form(contraindications="everything", admin="1")
    assert form.errors == {}
    assert form.to_answers() == IntakeAnswers()


def test_clearance_is_required_only_when_the_screening_asks_for_it(make_form):
    clearance = Screening(ScreeningOutcome.CLEARANCE)
    form = make_form()
    assert form.check_clearance(Screening(ScreeningOutcome.PROCEED))
    assert form.check_clearance(Screening(ScreeningOutcome.GENTLE_ONLY))
    assert not form.check_clearance(clearance)
    assert "cleared you" in form.clearance_confirmed.errors[0]
    assert make_form(clearance_confirmed="y").check_clearance(clearance)


def test_a_form_prefilled_from_answers_gives_the_same_answers_back(app):
    answers = IntakeAnswers(
        contraindications=frozenset({"hepatitis", "chemotherapy"}),
        medications="Metformin",
        pregnant=True,
        trimester=3,
        chemo_end_date=date(2025, 10, 1),
        notes="Reused.",
    )
    with app.test_request_context():
        form = IntakeForm.from_answers(answers, meta={"csrf": False}, today=TODAY)
        assert form.hepatitis.data is True
        assert form.stroke.data is False
        assert form.trimester.data == "3"
        assert form.to_answers() == answers
        html = render_intake(form)
    assert re.search(r'<input[^>]*checked[^>]*id="hepatitis"|id="hepatitis"[^>]*checked', html)
    assert 'value="2025-10-01"' in html
    assert "Metformin" in html
    assert "intake-reused" not in html
    with app.test_request_context():
        html = render_intake(form, reused_from="March 2, 2026")
    assert "From your last visit on March 2, 2026: check these are still true" in html


def test_submitted_answers_win_over_the_prefill(app):
    answers = IntakeAnswers(contraindications=frozenset({"hepatitis"}))
    with app.test_request_context(method="POST", data={"stroke": "y"}):
        form = IntakeForm.from_answers(answers, meta={"csrf": False}, today=TODAY)
        assert form.to_answers().contraindications == frozenset({"stroke"})


# --- the macros ------------------------------------------------------------------------


def render_intake(form, screening=None, reused_from=None) -> str:
    source = '{% from "booking/_intake.html" import intake_fields %}'
    return render_template_string(
        source + "{{ intake_fields(form, screening, reused_from) }}",
        form=form,
        screening=screening,
        reused_from=reused_from,
    )


def render_result(screening) -> str:
    return render_template_string(
        '{% from "booking/_intake.html" import screening_result %}{{ screening_result(s, 3) }}',
        s=screening,
    )


def test_the_questionnaire_is_grouped_labelled_and_explained(make_form):
    html = render_intake(make_form())
    assert html.count("<fieldset") == 6  # five groups and the trimester radios
    assert html.count("<legend") == 6
    for key in CHECKBOX_KEYS:
        assert f'id="{key}"' in html
        assert f'aria-describedby="{key}-help"' in html
        assert f'id="{key}-help"' in html
    assert 'type="date"' in html
    assert "clearance_confirmed" not in html
    assert "<script" not in html
    assert "style=" not in html


def test_errors_are_linked_to_their_fields(make_form):
    form = make_form(recent_surgery="y", surgery_date="soon")
    html = render_intake(form)
    assert 'aria-describedby="surgery_date-help surgery_date-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="surgery_date-error"' in html
    assert 'value="soon"' in html


def test_the_clearance_question_appears_when_the_screening_needs_it(make_form):
    form = make_form(stroke="y")
    html = render_intake(form, screen(form.to_answers(), visit_date=TODAY))
    assert 'name="clearance_confirmed"' in html
    assert "<legend>Your doctor's clearance</legend>" in html


@pytest.mark.parametrize(
    ("keys", "css", "title"),
    [
        ((), "screening-proceed", "You can book"),
        (("immune_deficiency",), "screening-gentle-only", "Gentle techniques only"),
        (("stroke",), "screening-clearance", "clearance is needed"),
        (("acute_infection",), "screening-not-now", "right now"),
    ],
)
def test_the_result_names_the_outcome_reasons_and_next_step(app, keys, css, title):
    result = screen(IntakeAnswers(contraindications=frozenset(keys)), visit_date=TODAY)
    with app.test_request_context():
        html = render_result(result)
    assert f'class="screening {css}"' in html
    assert title in html.replace("&#39;", "'")
    assert "<h3" in html
    for reason in result.reasons:
        assert reason.replace("'", "&#39;") in html
    if result.advice:
        assert "What to do next" in html
    else:
        assert "What to do next" not in html


def test_the_result_warns_that_gentle_limits_survive_clearance(app):
    result = screen(
        IntakeAnswers(contraindications=frozenset({"stroke", "advanced_osteoporosis"})),
        visit_date=TODAY,
    )
    with app.test_request_context():
        html = render_result(result)
    assert "only gentle techniques" in html
    assert "Because of these answers:" in html


def test_typed_text_is_escaped_when_shown_again(make_form):
    form = make_form(notes='<script>alert(1)</script>"><img src=x onerror=alert(1)>')
    html = render_intake(form)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


FIELD_NAMES = [*CHECKBOX_KEYS, "pregnant", "trimester", "surgery_date", "chemo_end_date",
               "medications", "notes", "clearance_confirmed"]  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=st.dictionaries(st.sampled_from(FIELD_NAMES), st.text(max_size=30), max_size=8))
def test_any_input_validates_or_fails_cleanly_and_screens_without_error(app, fields):
    with app.test_request_context(method="POST", data=fields):
        form = IntakeForm(meta={"csrf": False}, today=TODAY)
        if form.validate():
            answers = form.to_answers()
            screen(answers, visit_date=TODAY)
            assert IntakeAnswers.from_dict(answers.to_dict()) == answers
        else:
            assert all(isinstance(m, str) for ms in form.errors.values() for m in ms)
        render_intake(form)


def test_a_value_under_an_unticked_box_is_ignored(make_form):
    """A remembered surgery date or trimester left in place after unticking its box
    (issue 'Trust') neither stops the booking nor is kept."""
    form = make_form(surgery_date="2026-11-20", trimester="2")
    assert form.validate()
    answers = form.to_answers()
    assert answers.surgery_date is None
    assert answers.trimester is None
    assert screen(answers, visit_date=TODAY).outcome is ScreeningOutcome.PROCEED


def test_prefilled_answers_must_be_confirmed_and_fresh_ones_need_not(app):
    """Issue 'Trust': answers filled in from the last visit count only once the client
    says they are true today; a form not prefilled asks nothing of the kind."""
    posted = MultiDict({"medications": "Warfarin"})
    with app.test_request_context(method="POST", data=posted):
        prefilled = IntakeForm(meta={"csrf": False}, today=TODAY, prefilled=True)
        assert not prefilled.validate()
        assert "still true today" in prefilled.answers_confirmed.errors[0]
        assert prefilled.medications.data == "Warfarin"  # nothing typed is lost
        html = render_intake(prefilled, reused_from="March 2, 2026")
        assert 'name="answers_confirmed"' in html
        assert "These answers are true today" in html
        assert 'aria-describedby="answers_confirmed-help answers_confirmed-error"' in html
        fresh = IntakeForm(meta={"csrf": False}, today=TODAY)
        assert fresh.validate()
        assert 'name="answers_confirmed"' not in render_intake(fresh)
    with app.test_request_context(method="POST", data={"answers_confirmed": "y"}):
        assert IntakeForm(meta={"csrf": False}, today=TODAY, prefilled=True).validate()


def test_the_answer_to_change_is_marked_focused_and_described(make_form):
    html = render_template_string(
        '{% from "booking/_intake.html" import intake_fields %}'
        '{{ intake_fields(form, none, none, "medications") }}', form=make_form())
    assert re.search(r'<textarea[^>]*autofocus[^>]*id="medications"|'
                     r'id="medications"[^>]*autofocus', html)
    assert 'aria-describedby="medications-changing medications-help"' in html
    assert 'id="medications-changing"' in html
    assert html.count("autofocus") == 1


def test_the_result_names_each_answer_with_a_link_to_change_it(app):
    result = screen(IntakeAnswers(medications="Warfarin 5 mg"), visit_date=TODAY)
    with app.test_request_context():
        html = render_template_string(
            '{% from "booking/_intake.html" import screening_result %}'
            '{{ screening_result(s, change_url="/book/ABCD2345/intake") }}', s=result)
        in_page = render_template_string(
            '{% from "booking/_intake.html" import screening_result %}'
            '{{ screening_result(s, change_url="") }}', s=result)
        clinic_view = render_result(result)
    assert "Your medicines list names warfarin, a blood thinner." in html
    assert 'href="/book/ABCD2345/intake?change=medications#medications"' in html
    assert "Change this answer" in html
    assert 'href="#medications"' in in_page
    assert "Your medicines list names warfarin" in clinic_view
    assert "Change this answer" not in clinic_view
