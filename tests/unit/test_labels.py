"""Status badges: every status has one label and one tone, and one macro draws them."""

import enum
import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from marketplace import models
from marketplace.models import BookingStatus, ClaimStatus, ClinicStatus, ReviewStatus
from marketplace.web.labels import STATUS_LABELS, TEMPLATE_ENUMS, Label, Tone, status_label

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
EVERY_STATUS = [member for enum_cls in STATUS_LABELS for member in enum_cls]


def status_enums_in_models() -> set[type[enum.Enum]]:
    return {
        value for name, value in vars(models).items()
        if isinstance(value, type) and issubclass(value, enum.Enum) and name.endswith("Status")
    }


def test_every_status_enum_in_the_models_has_a_table():
    assert status_enums_in_models() - set(STATUS_LABELS) == set()


@pytest.mark.parametrize("enum_cls", list(STATUS_LABELS), ids=lambda c: c.__name__)
def test_every_member_has_a_label_and_nothing_else_does(enum_cls):
    """Adding a member to a status enum fails here until it is given its words and tone."""
    assert set(STATUS_LABELS[enum_cls]) == set(enum_cls)


@pytest.mark.parametrize("status", EVERY_STATUS, ids=lambda s: f"{type(s).__name__}.{s.name}")
def test_each_label_has_words_and_a_tone(status):
    label = status_label(status)
    assert isinstance(label, Label)
    assert isinstance(label.tone, Tone)
    assert label.text.strip() == label.text
    assert label.text[0].isupper()
    assert "_" not in label.text


@pytest.mark.parametrize("enum_cls", list(STATUS_LABELS), ids=lambda c: c.__name__)
def test_labels_within_one_enum_are_distinct(enum_cls):
    texts = [label.text for label in STATUS_LABELS[enum_cls].values()]
    assert len(texts) == len(set(texts))


def test_the_chosen_wording_and_tones():
    """One wording for clients, owners and admins alike (see the module docstring)."""
    assert status_label(BookingStatus.CONFIRMED) == ("Confirmed", Tone.POSITIVE)
    assert status_label(BookingStatus.COMPLETED) == ("Completed", Tone.NEUTRAL)
    assert status_label(BookingStatus.NO_SHOW) == ("Missed", Tone.NEGATIVE)
    assert status_label(ClinicStatus.PENDING).text == "Waiting for verification"
    assert status_label(ClaimStatus.PENDING).text == "Waiting for an admin"
    assert status_label(ReviewStatus.REJECTED).text == "Not published"


def test_tones_are_the_badge_classes_in_the_stylesheet():
    css = (ROOT / "static" / "css" / "app.css").read_text()
    for tone in Tone:
        for cls in tone.css_class.split():
            assert re.search(rf"\.{cls}\b", css), cls
    assert Tone.NEUTRAL.css_class == "badge"
    assert Tone.POSITIVE.css_class == "badge badge-ok"


def test_a_status_without_a_row_is_an_error():
    class Unknown(enum.StrEnum):
        X = "x"

    with pytest.raises(KeyError):
        status_label(Unknown.X)


def test_the_one_macro_draws_the_label_with_its_tone():
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    env.globals["status_label"] = status_label
    badge = env.get_template("_badges.html").module.status_badge
    assert str(badge(BookingStatus.CONFIRMED)) == '<span class="badge badge-ok">Confirmed</span>'
    assert str(badge(BookingStatus.COMPLETED)) == '<span class="badge">Completed</span>'
    assert str(badge(ClinicStatus.SUSPENDED, Markup(" (since May)"))) == (
        '<span class="badge badge-danger">Suspended (since May)</span>'
    )


def test_templates_compare_statuses_with_enums_not_their_stored_strings():
    compared = re.compile(r"\.value\s*(==|!=|in\b)")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in TEMPLATES.rglob("*.*") if path.suffix in {".html", ".txt"}
        for n, line in enumerate(path.read_text().splitlines(), 1) if compared.search(line)
    ]
    assert found == []


def test_templates_see_the_enums_they_compare_with():
    names = {enum_cls.__name__ for enum_cls in TEMPLATE_ENUMS}
    used = set()
    for path in TEMPLATES.rglob("*.*"):
        used |= set(re.findall(r"\b([A-Z]\w+)\.[A-Z_]+\b", path.read_text()))
    assert used <= names
