"""The intake questionnaire and screening result as a browser shows them: rendered
inside the site's layout with its real CSS and scripts, checked with axe on a desktop
and a phone, and photographed (test-artifacts/intake-*.png). No route serves them
yet: the booking flow hosts them, so this test serves the page itself."""

from __future__ import annotations

import mimetypes
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from marketplace.forms.intake import IntakeForm
from marketplace.services.intake.screening import screen
from tests.support.a11y import assert_accessible

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://intake.test"
PAGE = """{% extends "base.html" %}
{% from "booking/_intake.html" import intake_fields, screening_result %}
{% block content %}
<section class="narrow panel">
  <h1>A few health questions</h1>
  {% if screening %}{{ screening_result(screening) }}{% endif %}
  <form method="post" action="/" novalidate hx-history="false">
    {{ intake_fields(form, screening) }}
    <button type="submit" class="button">Continue</button>
  </form>
</section>
{% endblock %}"""

CASES = {
    "empty": {},
    "errors": {"recent_surgery": "y", "surgery_date": "soon", "pregnant": "y"},
    "clearance": {"stroke": "y", "advanced_osteoporosis": "y", "medications": "Plavix"},
    "not-now": {"chemotherapy": "y", "chemo_end_date": str(date.today() - timedelta(days=30))},
}


def render_page(app, fields: dict) -> str:
    with app.test_request_context(method="POST", data=MultiDict(fields)):
        form = IntakeForm(meta={"csrf": False})
        screening = None
        if fields and form.validate():
            screening = screen(form.to_answers(), visit_date=form.today)
            form.check_clearance(screening)
        return render_template_string(PAGE, form=form, screening=screening)


def serve(page, html: str) -> None:
    def handle(route):
        path = route.request.url.removeprefix(ORIGIN).split("?")[0]
        if path.startswith("/static/"):
            file = ROOT / path.lstrip("/")
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            route.fulfill(status=200, body=file.read_bytes(), content_type=kind)
        else:
            route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

    page.route(f"{ORIGIN}/**", handle)
    page.goto(f"{ORIGIN}/")


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_intake_macros_are_accessible_on_desktop_and_phone(
    app, browser, artifacts_dir, case, device, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        serve(page, render_page(app, CASES[case]))
        assert page.locator(".intake fieldset").count() >= 5
        if case == "not-now":
            assert page.locator(".screening-not-now").is_visible()
        assert_accessible(page)
        # Nothing wider than the screen on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow
        page.screenshot(path=str(artifacts_dir / f"intake-{case}-{device}.png"), full_page=True)
    finally:
        context.close()


def test_the_questionnaire_works_without_javascript(app, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        serve(page, render_page(app, CASES["errors"]))
        assert page.locator("#surgery_date-error").is_visible()
        assert page.locator("#trimester-error").is_visible()
        page.get_by_label("Second (weeks 14 to 27)").check()
        page.get_by_label("Date of the operation").fill("2026-03-02")
        serve(page, render_page(app, CASES["clearance"]))
        assert page.get_by_role("heading", name="Your doctor's clearance is needed").is_visible()
        assert page.locator("#clearance_confirmed-error").is_visible()
        page.get_by_label("My doctor has cleared me for massage").check()
    finally:
        context.close()
