"""Quotes: deposit policy (percent or fixed), promotions and their limits."""

from datetime import UTC, date, datetime

import pytest

from marketplace.models import BookingStatus, DepositKind, Promotion, PromotionKind, db
from marketplace.services.booking import pricing
from tests.support import factories

TODAY = date(2031, 3, 4)


@pytest.fixture
def clinic_and_service(app):
    clinic = factories.create_clinic(deposit_kind=DepositKind.PERCENT, deposit_value=20)
    service = factories.create_service(clinic, price_cents=11500)
    return clinic, service


def _promotion(clinic, **overrides):
    values = {"code": "ACU25", "title": "$25 off", "kind": PromotionKind.AMOUNT, "value": 2500}
    values.update(overrides)
    promotion = Promotion(clinic=clinic, **values)
    db.session.add(promotion)
    db.session.flush()
    return promotion


def test_percent_deposit_rounds_half_up(clinic_and_service):
    clinic, service = clinic_and_service
    q = pricing.quote(service, clinic)
    assert (q.price_cents, q.discount_cents, q.deposit_cents) == (11500, 0, 2300)
    assert q.due_at_clinic_cents == 9200
    service.price_cents = 11503
    assert pricing.quote(service, clinic).deposit_cents == 2301  # 2300.6 -> 2301


def test_fixed_deposit_never_exceeds_the_visit(clinic_and_service):
    clinic, service = clinic_and_service
    clinic.deposit_kind, clinic.deposit_value = DepositKind.FIXED, 3000
    assert pricing.quote(service, clinic).deposit_cents == 3000
    service.price_cents = 2500
    assert pricing.quote(service, clinic).deposit_cents == 2500


def test_amount_promotion_lowers_price_and_deposit(clinic_and_service):
    clinic, service = clinic_and_service
    promo = _promotion(clinic)
    q = pricing.quote(service, clinic, promo)
    assert (q.discount_cents, q.total_cents, q.deposit_cents) == (2500, 9000, 1800)
    assert pricing.describe(promo) == "$25 off"


def test_percent_promotion(clinic_and_service):
    clinic, service = clinic_and_service
    promo = _promotion(clinic, code="FIRST", kind=PromotionKind.PERCENT, value=15)
    assert pricing.quote(service, clinic, promo).discount_cents == 1725
    assert pricing.describe(promo) == "15% off"


def test_a_valid_code_is_found_whatever_its_case(clinic_and_service):
    clinic, service = clinic_and_service
    promo = _promotion(clinic)
    assert pricing.find_promotion(clinic, service, " acu25 ", today=TODAY) is promo


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({}, "NOPE", "has no promotion with the code NOPE"),
        ({"active": False}, "ACU25", "has no promotion"),
        ({"starts_on": date(2031, 4, 1)}, "ACU25", "valid from April 1, 2031"),
        ({"ends_on": date(2031, 3, 3)}, "ACU25", "expired on March 3, 2031"),
        ({"max_redemptions": 5, "redemptions_count": 5}, "ACU25", "fully redeemed"),
        ({}, "", "Enter a promotion code"),
    ],
)
def test_refused_codes_say_why(clinic_and_service, overrides, code, message):
    clinic, service = clinic_and_service
    _promotion(clinic, **overrides)
    with pytest.raises(pricing.PromotionRefused, match=message):
        pricing.find_promotion(clinic, service, code, today=TODAY)


def test_a_technique_promotion_refuses_other_services(clinic_and_service):
    clinic, service = clinic_and_service
    acupuncture = factories.create_modality("acupuncture", name="Acupuncture")
    _promotion(clinic, modality=acupuncture)
    with pytest.raises(pricing.PromotionRefused, match="only to Acupuncture"):
        pricing.find_promotion(clinic, service, "ACU25", today=TODAY)
    acu_service = factories.create_service(clinic, modality=acupuncture, name="Acupuncture")
    assert pricing.find_promotion(clinic, acu_service, "ACU25", today=TODAY).code == "ACU25"


def test_per_client_limit_counts_confirmed_bookings_only(app, create_bookable_clinic,
                                                          create_booking):
    b = create_bookable_clinic()
    client = factories.create_user()
    promo = _promotion(b.clinic, per_client_limit=1)
    held = create_booking(b, client=client, status=BookingStatus.HELD,
                          starts_at=datetime(2031, 3, 5, 15, 0, tzinfo=UTC))
    held.promotion = promo
    db.session.flush()
    assert pricing.find_promotion(b.clinic, b.service, "ACU25", today=TODAY, client_id=client.id)
    held.status = BookingStatus.CONFIRMED
    db.session.flush()
    with pytest.raises(pricing.PromotionRefused, match="already used"):
        pricing.find_promotion(b.clinic, b.service, "ACU25", today=TODAY, client_id=client.id)
    # ...but re-quoting that same booking (a reschedule, say) is fine.
    assert pricing.find_promotion(b.clinic, b.service, "ACU25", today=TODAY,
                                  client_id=client.id, exclude_booking_id=held.id)
