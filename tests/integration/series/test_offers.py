"""Offering a series: the owner's rules (2 to 20 sessions, a price below as many single
visits, validity, the refund and late-cancel rules), the console page with and without
htmx, retiring, and the offer on the profile, in compare and in the JSON API."""

import pytest

from marketplace.models import LateRule, RefundRule, SeriesOffer, db
from marketplace.services.common.errors import FieldError
from marketplace.services.series import offers
from tests.support import factories
from tests.support.series import create_offer


def _data(b, **overrides):
    values = {"service_id": b.service.id, "sessions": 4, "price_cents": 40000, "validity_days": 84,
                  "refund_rule": RefundRule.PER_SESSION, "refund_fee_cents": 0,
                  "late_rule": LateRule.USED}
    values.update(overrides)
    return offers.OfferData(**values)


def test_an_offer_keeps_its_rules_and_says_what_it_saves(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now)
    assert (offer.sessions, offer.price_cents, offer.active) == (4, 40000, True)
    assert offers.per_session_cents(offer) == 10000
    assert offers.saving_cents(offer) == 4 * 11500 - 40000
    assert offers.validity_text(84) == "12 weeks"
    assert "refunded at $100 each" in offers.refund_text(offer)
    assert offers.live_offers(b.clinic) == [offer]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"sessions": 0}, "sessions"),
    ({"sessions": 1}, "sessions"),
    ({"sessions": 21}, "sessions"),
    ({"price_cents": 46000}, "price"),  # 4 single visits cost $460: no saving
    ({"price_cents": 0}, "price"),
    ({"validity_days": 3}, "validity"),
    ({"refund_rule": RefundRule.PER_SESSION_LESS_FEE, "refund_fee_cents": 0}, "refund_fee"),
    ({"refund_rule": RefundRule.PER_SESSION_LESS_FEE, "refund_fee_cents": 10000},
     "refund_fee"),
    ({"service_id": None}, "service_id"),
])
def test_bad_offers_are_refused_on_their_field(app, create_bookable_clinic, now, overrides,
                                               field):
    b = create_bookable_clinic()
    with pytest.raises(FieldError) as refused:
        offers.create_offer(clinic=b.clinic, data=_data(b, **overrides), actor=b.owner,
                            now=now)
    assert refused.value.field == field


def test_another_clinics_service_cannot_be_offered(app, create_bookable_clinic, now):
    b, other = create_bookable_clinic(), create_bookable_clinic()
    with pytest.raises(FieldError):
        offers.create_offer(clinic=b.clinic, data=_data(b, service_id=other.service.id),
                            actor=b.owner, now=now)


def _form(b, **overrides):
    values = {"service_id": str(b.service.id), "sessions": "6", "price": "600",
              "validity": "12", "validity_unit": "weeks", "refund_rule": "per_session_fee",
              "refund_fee": "20", "late_rule": "used"}
    values.update(overrides)
    return values


def test_the_owner_offers_edits_and_retires_a_series_without_javascript(
        client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    auth.login(b.owner)
    url = f"/owner/clinics/{b.clinic.slug}/series"
    assert "Offer a series" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=_form(b))
    assert response.status_code == 303
    offer = db.session.scalar(db.select(SeriesOffer))
    assert (offer.sessions, offer.price_cents, offer.validity_days, offer.refund_fee_cents) == (
        6, 60000, 84, 2000)
    page = client.get(url).get_data(as_text=True)
    assert "6 × Therapeutic massage with NMT" in page
    assert "saves $90" in page
    edit = f"{url}/{offer.id}/edit"
    assert client.get(edit).status_code == 200
    prefix = f"edit-{offer.id}-"
    response = client.post(edit, data={prefix + k: v for k, v in _form(b, price="580").items()})
    assert response.status_code == 303
    db.session.refresh(offer)
    assert offer.price_cents == 58000
    assert client.post(f"{url}/{offer.id}/retire").status_code == 303
    db.session.refresh(offer)
    assert not offer.active
    assert offers.live_offers(b.clinic) == []


def test_with_htmx_the_list_and_the_item_come_back_as_fragments(
        client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    auth.login(b.owner)
    url = f"/owner/clinics/{b.clinic.slug}/series"
    response = client.htmx("POST", url, data=_form(b))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert "Series of 6 sessions offered." in body
    offer = db.session.scalar(db.select(SeriesOffer))
    response = client.htmx("POST", f"{url}/{offer.id}/retire")
    assert response.status_code == 200
    assert "Retired" in response.get_data(as_text=True)


@pytest.mark.parametrize("overrides", [
    {"sessions": "0"}, {"sessions": "21"}, {"sessions": "many"}, {"price": "700"},
    {"price": "abc"}, {"validity": "-3"}, {"service_id": "999999"}, {"service_id": "x"},
    {"refund_rule": "sometimes"}, {"refund_fee": ""}, {"late_rule": "maybe"},
    {"validity": "99999999999999999999"},
])
def test_bad_input_is_a_422_with_a_message_never_a_500(client, auth, create_bookable_clinic,
                                                       overrides):
    b = create_bookable_clinic()
    auth.login(b.owner)
    url = f"/owner/clinics/{b.clinic.slug}/series"
    for send in (client.post, lambda u, **kw: client.htmx("POST", u, **kw)):
        response = send(url, data=_form(b, **overrides))
        assert response.status_code == 422, overrides
        assert "error" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SeriesOffer.id))) == 0


def test_another_owner_gets_a_404(client, auth, create_bookable_clinic, now):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now)
    auth.login(factories.create_user(role=b.owner.role))
    other = create_bookable_clinic()
    auth.login(other.owner)
    url = f"/owner/clinics/{b.clinic.slug}/series"
    assert client.get(url).status_code == 404
    assert client.post(f"/owner/clinics/{other.clinic.slug}/series/{offer.id}/retire"
                       ).status_code == 404


def test_the_profile_compare_and_api_show_live_series(client, create_bookable_clinic, now):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now)
    page = client.get(f"/clinics/{b.clinic.slug}").get_data(as_text=True)
    assert "Treatment series" in page
    assert "Save $60" in page
    assert f"/clinics/{b.clinic.slug}/series/{offer.id}/buy" in page
    compare = client.get(f"/compare?c={b.clinic.slug}").get_data(as_text=True)
    assert "4 × therapeutic massage with nmt: $400 (saves $60)" in compare
    detail = client.get(f"/api/v1/clinics/{b.clinic.slug}").get_json()
    assert detail["series"] == [{
        "id": offer.id, "service_id": b.service.id, "service": b.service.name,
        "sessions": 4, "price_cents": 40000, "per_session_cents": 10000,
        "saving_cents": 6000, "validity_days": 84, "refund_rule": "per_session",
        "refund_fee_cents": 0, "late_cancel": "used",
        "policy": detail["series"][0]["policy"]}]
    offers.retire_offer(offer=offer, actor=b.owner, now=now)
    db.session.commit()
    assert client.get(f"/api/v1/clinics/{b.clinic.slug}").get_json()["series"] == []
