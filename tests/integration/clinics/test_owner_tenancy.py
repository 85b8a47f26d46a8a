"""Tenancy of the owner console: every ``owner.*`` rule in the URL map, with every
method, as the owner of another clinic, as a client and anonymously, gets a
404, a 403 or the sign-in page, and changes nothing. Rows of one clinic named
under another clinic's address are a 404 too."""

from datetime import UTC, datetime

import pytest
from werkzeug.routing import AnyConverter

from marketplace.models import (
    ClinicMember,
    LateRule,
    MemberRole,
    Photo,
    Promotion,
    PromotionKind,
    RefundRule,
    Role,
    SeriesOffer,
    TimeOff,
    db,
)
from tests.integration.test_hostile_input import _fingerprint
from tests.support.factories import (
    create_bookable_clinic,
    create_booking,
    create_completed_visit,
    create_review,
    create_thread,
    create_user,
)

#: Pages about no clinic in particular: any owner's own, never anyone else's.
NOT_CLINIC_SCOPED = {"owner.dashboard", "owner.start", "owner.new_clinic", "owner.claim"}


#: Served to anyone holding its private address (a calendar app signs in to nothing);
#: ``test_calendar_feeds.py`` holds when that address stops working.
KEYED_BY_ADDRESS = {"owner.calendar_feed"}


def owner_rules(app):
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint.startswith("owner.") and r.endpoint not in KEYED_BY_ADDRESS]
    assert len(rules) >= 28
    return sorted(rules, key=lambda r: r.rule)


def cases(app):
    for rule in owner_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@pytest.fixture
def clinics(app):
    """Clinic X with one of everything a route can name, and clinic Y with its owner."""
    x, y = create_bookable_clinic(), create_bookable_clinic()
    booking = create_booking(x, starts_at=datetime(2031, 5, 6, 15, tzinfo=UTC),
                             client=create_user())
    promotion = Promotion(clinic=x.clinic, code="XONLY", title="X", kind=PromotionKind.AMOUNT,
                          value=500)
    off = TimeOff(therapist=x.therapist, starts_at=datetime(2031, 6, 1, tzinfo=UTC),
                  ends_at=datetime(2031, 6, 2, tzinfo=UTC))
    db.session.add_all([promotion, off])
    review = create_review(create_completed_visit(x))
    thread = create_thread(x.clinic, answer="Yes.")
    photo = Photo(clinic=x.clinic, alt_text="A room", digest="0" * 64, widths=[400], width=400,
                  height=300)
    db.session.add(photo)
    offer = SeriesOffer(clinic_id=x.clinic.id, service_id=x.service.id, sessions=4,
                        price_cents=40000, validity_days=84, refund_rule=RefundRule.NONE,
                        late_rule=LateRule.USED)
    db.session.add(offer)
    db.session.commit()
    ids = {
        "slug": x.clinic.slug, "reference": booking.reference, "location_id": x.location.id,
        "therapist_id": x.therapist.id, "service_id": x.service.id,
        "hours_id": x.therapist.working_hours[0].id, "time_off_id": off.id,
        "promotion_id": promotion.id, "review_id": review.id, "thread_id": thread.id,
        "photo_id": photo.id, "offer_id": offer.id,
    }
    return x, y, ids


def build(app, rule, ids) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = sorted(converter.items)[0] if isinstance(converter, AnyConverter) \
            else ids[name]
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def send(client, url: str, method: str):
    data = {"name": "Taken over", "code": "HIJACK", "message": "mine now", "weekdays": ["0"],
            "starts": "01:00", "ends": "02:00", "starts_on": "2031-06-05",
            "ends_on": "2031-06-05", "date_from": "2031-01-01", "date_to": "2031-12-31"}
    return client.open(url, method=method, data=data if method == "POST" else None)


@pytest.mark.parametrize("who", ["other_owner", "client", "anonymous"])
def test_every_owner_route_refuses_strangers(app, client, auth, clinics, who):
    x, y, ids = clinics
    visitor = {"other_owner": y.owner, "client": create_user(), "anonymous": None}[who]
    db.session.commit()
    before = _fingerprint()
    checked = 0
    for rule, method in cases(app):
        if visitor is not None:
            auth.session_for(visitor)
        url = build(app, rule, ids)
        response = send(client, url, method)
        label = f"{method} {url} as {who}"
        if who == "anonymous":
            assert response.status_code in (302, 303), label
            assert "/login?next=" in response.headers["Location"], label
        elif who == "client":
            expected = {200, 303} if rule.endpoint == "owner.start" else {403}
            assert response.status_code in expected, f"{label}: {response.status_code}"
        elif rule.endpoint in NOT_CLINIC_SCOPED:
            assert response.status_code < 500, label
            assert x.clinic.name not in response.get_data(as_text=True), label
        else:
            assert response.status_code == 404, f"{label}: {response.status_code}"
        checked += 1
    db.session.expire_all()
    if who != "client":  # a client may switch to an owner account (owner.start)
        assert _fingerprint() == before, f"{who} changed something"
    assert checked >= 40


def test_rows_of_another_clinic_are_hidden_under_ones_own_address(app, client, auth, clinics):
    x, y, ids = clinics
    auth.session_for(y.owner)
    checked = 0
    for rule, method in cases(app):
        named = set(rule.arguments) - {"slug", "outcome"}
        if "slug" not in rule.arguments or not named:
            continue
        url = build(app, rule, {**ids, "slug": y.clinic.slug})
        response = send(client, url, method)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        checked += 1
    assert checked >= 14


def test_staff_members_and_admins_reach_the_console(app, client, auth, clinics):
    x, _, ids = clinics
    staff = create_user(role=Role.OWNER)
    db.session.add(ClinicMember(clinic=x.clinic, user=staff, role=MemberRole.STAFF))
    db.session.commit()
    for user in (staff, create_user(role=Role.ADMIN)):
        db.session.commit()
        auth.session_for(user)
        assert client.get(f"/owner/clinics/{x.clinic.slug}/schedule").status_code == 200
