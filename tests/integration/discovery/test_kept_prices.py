"""Each clinic's lowest prices kept as data (``clinic_prices``) always equal what its
active services give.

Hypothesis builds two clinics with services of three techniques and then applies any
sequence of the changes the product makes to services: one added, repriced (price and
length), moved to another technique, made inactive or active, deleted, or moved to the
other clinic, sometimes several in one flush. After the sequence the kept rows equal a
computation in Python from the services, search's statement reads the same prices
(one technique, a condition's several, any technique), and ``prices.check`` finds
nothing to add or remove.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from marketplace.models import ANY_TECHNIQUE, ClinicPrice, Service, db
from marketplace.services.common import geo
from marketplace.services.discovery import prices
from marketplace.services.discovery import sql as search_sql
from tests.support import factories

NOW = datetime(2027, 3, 1, 14, 7, tzinfo=UTC)
LENGTHS = (30, 45, 60, 75, 90)
PRICES = st.integers(10, 400).map(lambda dollars: dollars * 100 + 50)


def _world(data):
    clinics = [factories.create_clinic(), factories.create_clinic()]
    techniques = [factories.create_modality(slug) for slug in
                  ("neuromuscular-therapy", "myofascial-release", "swedish-massage")]
    services = []
    for clinic in clinics:
        for _ in range(data.draw(st.integers(0, 3), label="services")):
            services.append(_add(data, clinic, techniques))
    db.session.flush()
    return clinics, techniques, services


def _add(data, clinic, techniques) -> Service:
    service = factories.create_service(
        clinic, modality=data.draw(st.sampled_from(techniques), label="technique"),
        duration_min=data.draw(st.sampled_from(LENGTHS), label="length"),
        price_cents=data.draw(PRICES, label="price"))
    return service


def _apply(data, clinics, techniques, services) -> None:
    kind = data.draw(st.sampled_from(
        ["add", "price", "technique", "active", "delete", "move"]), label="change")
    if kind == "add" or not services:
        services.append(_add(data, data.draw(st.sampled_from(clinics), label="clinic"),
                             techniques))
        return
    service = data.draw(st.sampled_from(services), label="service")
    if kind == "price":
        service.set_price(price_cents=data.draw(PRICES, label="price"),
                          duration_min=data.draw(st.sampled_from(LENGTHS), label="length"))
    elif kind == "technique":
        service.modality = data.draw(st.sampled_from(techniques), label="technique")
    elif kind == "active":
        service.active = not service.active
    elif kind == "delete":
        services.remove(service)
        db.session.delete(service)
    else:
        service.clinic = clinics[1] if service.clinic is clinics[0] else clinics[0]


def _expected(services, clinics) -> set[tuple]:
    """The rows in Python, from the services as they are now."""
    best: dict[tuple[int, int], tuple[int, int]] = {}
    for service in services:
        if not service.active:
            continue
        for technique in (service.modality_id, ANY_TECHNIQUE):
            key = (service.clinic_id, technique)
            per_60, price = best.get(key, (None, None))
            best[key] = (min(service.price_per_60_cents, per_60 or service.price_per_60_cents),
                         min(service.price_cents, price or service.price_cents))
    wanted = {c.id for c in clinics}
    return {(cid, mid, *values) for (cid, mid), values in best.items() if cid in wanted}


def _kept(clinics) -> set[tuple]:
    rows = db.session.execute(select(
        ClinicPrice.clinic_id, ClinicPrice.modality_id, ClinicPrice.per_60_cents,
        ClinicPrice.price_cents).where(ClinicPrice.clinic_id.in_([c.id for c in clinics])))
    return {tuple(r) for r in rows}


def _searched(clinics, modality_ids) -> dict[int, tuple[int, int]]:
    """What search's statement reads for these clinics near 33701."""
    filters = search_sql.Filters(modality_ids=modality_ids, place=geo.geocode("33701"),
                                 radius_mi=25)
    rows = db.session.execute(search_sql.candidates(filters, db.session.get_bind().dialect.name))
    wanted = {c.id for c in clinics}
    return {r.id: (r.per_60, r.price) for r in rows if r.id in wanted and r.per_60 is not None}


def _lowest(expected: set[tuple], modality_ids) -> dict[int, tuple[int, int]]:
    out: dict[int, tuple[int, int]] = {}
    for cid, mid, per_60, price in expected:
        if (mid == ANY_TECHNIQUE) != (modality_ids is None):
            continue
        if modality_ids is not None and mid not in modality_ids:
            continue
        old = out.get(cid, (per_60, price))
        out[cid] = (min(old[0], per_60), min(old[1], price))
    return out


@settings(max_examples=40, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_kept_prices_equal_the_services_after_any_sequence_of_changes(app, data):
    savepoint = db.session.begin_nested()
    try:
        clinics, techniques, services = _world(data)
        for _ in range(data.draw(st.integers(1, 10), label="changes")):
            _apply(data, clinics, techniques, services)
            if data.draw(st.booleans(), label="flush"):
                db.session.flush()
        db.session.flush()
        expected = _expected(services, clinics)
        assert _kept(clinics) == expected
        assert prices.check(db.session) == (0, 0)
        ids = [t.id for t in techniques]
        for modality_ids in (None, {ids[0]}, {ids[0], ids[2]}):
            assert _searched(clinics, modality_ids) == _lowest(expected, modality_ids)
    finally:
        savepoint.rollback()
        db.session.expunge_all()


def test_a_price_cap_still_picks_the_cheapest_session_under_it(app):
    clinic = factories.create_clinic()
    nmt = factories.create_modality()
    factories.create_service(clinic, modality=nmt, duration_min=30, price_cents=8000)  # 160/h
    factories.create_service(clinic, modality=nmt, duration_min=90, price_cents=15000)  # 100/h
    db.session.flush()
    filters = search_sql.Filters(modality_ids={nmt.id}, place=geo.geocode("33701"),
                                 max_price_cents=12000)
    rows = db.session.execute(search_sql.candidates(filters, db.session.get_bind().dialect.name))
    assert [(r.per_60, r.price) for r in rows if r.id == clinic.id] == [(10000, 15000)]
    uncapped = search_sql.Filters(modality_ids={nmt.id}, place=geo.geocode("33701"))
    rows = db.session.execute(search_sql.candidates(uncapped,
                                                    db.session.get_bind().dialect.name))
    assert [(r.per_60, r.price) for r in rows if r.id == clinic.id] == [(10000, 8000)]


def test_rebuild_and_check_find_rows_written_past_the_orm(app):
    clinic = factories.create_clinic()
    factories.create_service(clinic)
    db.session.flush()
    db.session.execute(ClinicPrice.__table__.delete().where(ClinicPrice.clinic_id == clinic.id))
    assert prices.check(db.session) == (2, 0)
    prices.rebuild(db.session)
    assert prices.check(db.session) == (0, 0)
