"""Photos on public pages: result cards, the clinic's gallery, a therapist's profile and
compare, with srcset, reserved sizes and lazy loading; the local media route; a clinic
not yet verified shows nothing; an admin's removal is audited and the owners told."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from marketplace.models import AuditLog, ClinicStatus, OutboxEmail, Photo, Role, db
from marketplace.services.media import photos as media_photos
from marketplace.services.media.images import ImageLimits
from tests.support.factories import create_bookable_clinic, create_user
from tests.support.photos import photo_bytes


def _add(app, x, *, width=1200, height=900, alt="Treatment room", therapist=None):
    kw = {"data": photo_bytes(width, height), "alt_text": alt,
              "storage": app.extensions["media_storage"],
              "limits": ImageLimits.from_config(app.config), "actor": x.owner,
              "now": x.clinic.created_at}
    if therapist is not None:
        photo = media_photos.set_therapist_photo(therapist=therapist, **kw)
    else:
        photo = media_photos.add_clinic_photo(clinic=x.clinic, **kw)
    db.session.commit()
    return photo


@pytest.fixture
def x(app):
    return create_bookable_clinic()


def _img(html: str, alt: str) -> str:
    found = re.search(rf'<img [^>]*alt="{re.escape(alt)}"[^>]*>', html)
    assert found, f"no image {alt!r}"
    return found.group(0)


def test_the_clinic_profile_shows_its_gallery_with_the_full_photo_a_link_away(client, app, x):
    first = _add(app, x, alt="Reception")
    second = _add(app, x, width=700, height=500, alt="Garden room")
    html = client.get(f"/clinics/{x.clinic.slug}").get_data(as_text=True)
    img = _img(html, "Garden room")
    assert 'loading="lazy"' in img
    assert 'width="700"' in img
    assert 'height="500"' in img
    assert f"/media/photos/{second.digest}-400.webp 400w" in img
    assert f"/media/photos/{second.digest}-700.webp 700w" in img
    assert "sizes=" in img
    assert f'href="/media/photos/{first.digest}-1200.webp"' in html  # the full variant
    assert html.index('alt="Reception"') < html.index('alt="Garden room"')  # owner's order
    assert 'width="800"' in _img(html, "Reception")


def test_a_therapist_photo_shows_on_their_profile_and_the_clinic_page(client, app, x):
    photo = _add(app, x, width=600, height=600, alt="Dana smiling", therapist=x.therapist)
    html = client.get(f"/therapists/{x.therapist.slug}").get_data(as_text=True)
    img = _img(html, "Dana smiling")
    assert f"/media/photos/{photo.digest}-600.webp" in img
    assert 'width="600"' in img
    assert 'height="600"' in img
    clinic_page = client.get(f"/clinics/{x.clinic.slug}").get_data(as_text=True)
    assert f"/media/photos/{photo.digest}-400.webp" in _img(clinic_page, "Dana smiling")
    assert 'id="photos"' not in clinic_page  # a portrait is not a gallery photo


def test_result_cards_and_compare_show_the_first_photo_as_a_card(client, app, x):
    _add(app, x, alt="Second")
    first = _add(app, x, alt="Front door")
    media_photos.move_photo(photo=first, direction="up", actor=x.owner, now=x.clinic.created_at)
    db.session.commit()
    results = client.get("/search?near=33701").get_data(as_text=True)
    card = _img(results, "Front door")
    assert f'src="/media/photos/{first.digest}-400.webp"' in card
    assert 'loading="lazy"' in card
    assert 'width="400"' in card
    assert 'height="300"' in card
    assert 'alt="Second"' not in results
    compare = client.get(f"/compare?c={x.clinic.slug}").get_data(as_text=True)
    assert f"/media/photos/{first.digest}-400.webp" in _img(compare, "Front door")


def test_the_search_page_reads_photos_in_one_query_for_all_cards(client, app, count_queries):
    counts = []
    for _ in range(2):  # three clinics with photos, then six
        for c in [create_bookable_clinic() for _ in range(3)]:
            _add(app, c)
            _add(app, c, width=500, height=500, alt="Portrait", therapist=c.therapist)
        client.get("/search?near=33701")
        with count_queries() as queries:
            html = client.get("/search?near=33701").get_data(as_text=True)
        counts.append(queries.count)
    assert html.count('class="photo photo-card"') == 6
    assert counts[0] == counts[1], counts


def test_a_clinic_not_yet_verified_shows_no_photo_anywhere(client, app):
    pending = create_bookable_clinic(status=ClinicStatus.PENDING)
    _add(app, pending, alt="Hidden room")
    assert client.get(f"/clinics/{pending.clinic.slug}").status_code == 404
    assert "Hidden room" not in client.get("/search?near=33701").get_data(as_text=True)
    assert client.get(f"/therapists/{pending.therapist.slug}").status_code == 404


def test_the_media_route_serves_a_file_for_good_and_never_sniffed(client, app, x):
    photo = _add(app, x)
    response = client.get(f"/media/photos/{photo.digest}-400.webp")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data[:4] == b"RIFF"
    again = client.get(f"/media/photos/{photo.digest}-400.webp",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    for bad in (f"photos/{photo.digest}-401.webp", "photos/../../marketplace.db",
                f"photos/{photo.digest[:10]}-400.webp", "photos/x.webp", "etc/passwd"):
        assert client.get(f"/media/{bad}").status_code == 404, bad


def test_an_admin_removes_a_photo_with_a_reason_audited_and_the_owners_told(client, auth, app,
                                                                            x):
    photo = _add(app, x, alt="Client on the table")
    kept = _add(app, x, width=500, height=400, alt="Room")
    admin = create_user(role=Role.ADMIN)
    auth.session_for(admin)
    page = client.get(f"/admin/clinics/{x.clinic.id}").get_data(as_text=True)
    assert 'alt="Client on the table"' in page
    url = f"/admin/clinics/{x.clinic.id}/photos/{photo.id}/remove"
    refused = client.post(url, data={f"photo-{photo.id}-reason": ""})
    assert refused.status_code == 422
    assert "Give a reason." in refused.get_data(as_text=True)
    photo_id = photo.id
    response = client.post(url, data={f"photo-{photo.id}-reason": "Shows a client's face."})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalars(select(Photo.alt_text).where(Photo.clinic_id == x.clinic.id)) \
        .all() == ["Room"]
    entry = db.session.scalars(select(AuditLog).where(
        AuditLog.action == "photo.admin_remove")).one()
    assert (entry.actor_id, entry.object_id, entry.clinic_id) == (admin.id, photo_id, x.clinic.id)
    assert entry.detail["reason"] == "Shows a client's face."
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_addr == x.owner.email)) \
        .all()
    assert any("A photo was removed" in m.subject for m in mail)
    # A photo of another clinic under this clinic's address is a 404.
    other = create_bookable_clinic()
    theirs = _add(app, other)
    assert client.post(f"/admin/clinics/{x.clinic.id}/photos/{theirs.id}/remove",
                       data={f"photo-{theirs.id}-reason": "x"}).status_code == 404
    assert kept.id


def test_the_csp_allows_only_the_site_for_images_with_local_storage(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    # the site itself, and the search map's tile server (tests/.../test_search_map.py)
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in csp
