"""Owners' photos through the site: upload (page and htmx), every refusal with nothing
lost, the 12-photo gallery, describe, reorder, remove (files gone after the commit),
therapists' photos, tenancy, and the photo-sized body limit of these routes only."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace.models import AuditLog, Photo, db
from marketplace.services.media import photos as media_photos
from marketplace.services.media.images import ImageLimits
from tests.support.factories import create_bookable_clinic
from tests.support.photos import encoded, photo_bytes, two_tone


@pytest.fixture
def x(app):
    return create_bookable_clinic()


@pytest.fixture
def media_root(app) -> Path:
    return Path(app.config["MEDIA_ROOT"])


def _upload(client, url, data=None, *, alt="Treatment room by the window", prefix="clinic",
            htmx=False, name="room.jpg"):
    body = {f"{prefix}-photo": (io.BytesIO(photo_bytes() if data is None else data), name),
            f"{prefix}-alt_text": alt}
    if htmx:
        return client.htmx("POST", url, data=body, content_type="multipart/form-data")
    return client.post(url, data=body, content_type="multipart/form-data")


def _multipart(data: bytes, alt: str, prefix: str = "clinic") -> bytes:
    """A photo form's body as a browser sends it (the test client would spool a large
    one to a temporary file it never closes)."""
    return (f'--b0undary\r\nContent-Disposition: form-data; name="{prefix}-alt_text"\r\n\r\n'
            f'{alt}\r\n--b0undary\r\nContent-Disposition: form-data; name="{prefix}-photo"; '
            'filename="big.png"\r\nContent-Type: image/png\r\n\r\n').encode() \
        + data + b"\r\n--b0undary--\r\n"


def _gallery(clinic):
    db.session.expire_all()
    return db.session.scalars(select(Photo).where(
        Photo.clinic_id == clinic.id, Photo.therapist_id.is_(None))
        .order_by(Photo.position, Photo.id)).all()


def _files(root: Path, photo: Photo) -> list[Path]:
    return [root / f"photos/{photo.digest}-{w}.webp" for w in photo.widths]


def _page(x) -> str:
    return f"/owner/clinics/{x.clinic.slug}/photos"


def test_an_owner_uploads_a_photo_without_javascript(client, auth, x, media_root):
    auth.session_for(x.owner)
    response = _upload(client, _page(x))
    assert response.status_code == 303
    [photo] = _gallery(x.clinic)
    assert photo.alt_text == "Treatment room by the window"
    assert photo.widths == [400, 800, 900]
    assert all(path.is_file() for path in _files(media_root, photo))
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "photo.add")).all()
    assert [a.object_id for a in audit] == [photo.id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Photo added." in page
    assert f"photos/{photo.digest}-400.webp" in page


def test_an_owner_uploads_a_photo_with_htmx_and_gets_the_list_back(client, auth, x):
    auth.session_for(x.owner)
    response = _upload(client, _page(x), htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Photo added." in html
    assert "<html" not in html
    assert 'alt="Treatment room by the window"' in html
    assert response.headers["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize(("data", "message"), [
    (b"", "That file is empty"),
    (encoded(two_tone(40, 30).convert("P"), "GIF"), "not a photo we can use"),
    (b"%PDF-1.4\n%%EOF\n", "not a photo we can use"),
    (photo_bytes()[:3000], "damaged"),
], ids=["zero-bytes", "gif-named-jpg", "pdf", "truncated"])
def test_a_refused_file_is_a_clear_message_and_loses_nothing(client, auth, x, data, message):
    auth.session_for(x.owner)
    assert _upload(client, _page(x), alt="Kept").status_code == 303
    before = [(p.id, p.digest) for p in _gallery(x.clinic)]
    for htmx in (False, True):
        response = _upload(client, _page(x), data, htmx=htmx)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert [(p.id, p.digest) for p in _gallery(x.clinic)] == before


def test_a_photo_over_the_byte_limit_is_refused_with_a_message(client, auth, x, app,
                                                                monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 60_000)
    auth.session_for(x.owner)
    noise = Image.frombytes("RGB", (200, 150), os.urandom(200 * 150 * 3))
    data = encoded(noise, "PNG")
    assert 60_000 < len(data) < 60_000 + 64 * 1024  # within the body limit, over the photo's
    response = _upload(client, _page(x), data)
    assert response.status_code == 422
    assert "too large (at most 58 KB)" in response.get_data(as_text=True)
    assert _gallery(x.clinic) == []


def test_a_photo_with_too_many_pixels_is_refused(client, auth, x, app, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_PIXELS", 100_000)
    auth.session_for(x.owner)
    response = _upload(client, _page(x), photo_bytes(900, 600))
    assert response.status_code == 422
    assert "too many pixels" in response.get_data(as_text=True)


@pytest.mark.parametrize("alt", ["", "   ", "x" * 251])
def test_the_description_is_required_and_bounded(client, auth, x, alt):
    auth.session_for(x.owner)
    response = _upload(client, _page(x), alt=alt)
    assert response.status_code == 422
    assert "Describe the photo" in response.get_data(as_text=True) or \
        "under 250 characters" in response.get_data(as_text=True)
    assert _gallery(x.clinic) == []


def test_a_post_without_a_file_asks_for_one(client, auth, x):
    auth.session_for(x.owner)
    response = client.post(_page(x), data={"clinic-photo": "not a file",
                                           "clinic-alt_text": "Room"})
    assert response.status_code == 422
    assert "Choose a photo to upload." in response.get_data(as_text=True)


def test_the_gallery_holds_twelve_photos(client, auth, x, app):
    limits = ImageLimits.from_config(app.config)
    storage = app.extensions["media_storage"]
    for n in range(media_photos.MAX_CLINIC_PHOTOS):
        media_photos.add_clinic_photo(clinic=x.clinic, data=photo_bytes(120 + n, 90),
                                      alt_text=f"Photo {n}", storage=storage, limits=limits,
                                      actor=x.owner, now=x.clinic.created_at)
    db.session.commit()
    auth.session_for(x.owner)
    page = client.get(_page(x)).get_data(as_text=True)
    assert "The gallery is full" in page
    assert 'name="clinic-photo"' not in page
    response = _upload(client, _page(x))
    assert response.status_code == 409
    assert "at most 12 photos" in response.get_data(as_text=True)
    assert len(_gallery(x.clinic)) == 12


def _three(client, x) -> list[Photo]:
    for n, alt in enumerate(("Front", "Room", "Garden")):
        assert _upload(client, _page(x), photo_bytes(500 + n, 300), alt=alt).status_code == 303
    return _gallery(x.clinic)


def test_photos_move_up_and_down_with_and_without_htmx(client, auth, x):
    auth.session_for(x.owner)
    front, room, garden = _three(client, x)
    move = f"{_page(x)}/{garden.id}/move"
    assert client.post(move, data={"direction": "up"}).status_code == 303
    assert [p.alt_text for p in _gallery(x.clinic)] == ["Front", "Garden", "Room"]
    response = client.htmx("POST", f"{_page(x)}/{front.id}/move", data={"direction": "down"})
    assert response.status_code == 200
    assert "Photo moved." in response.get_data(as_text=True)
    assert [p.alt_text for p in _gallery(x.clinic)] == ["Garden", "Front", "Room"]
    # At an end: nothing moves; a direction that is neither is a message.
    assert client.post(f"{_page(x)}/{room.id}/move", data={"direction": "down"}).status_code == 303
    assert [p.alt_text for p in _gallery(x.clinic)] == ["Garden", "Front", "Room"]
    assert client.post(move, data={"direction": "sideways"}).status_code == 422


def test_the_description_is_changed_in_place(client, auth, x):
    auth.session_for(x.owner)
    front, *_ = _three(client, x)
    url = f"{_page(x)}/{front.id}/edit"
    response = client.htmx("POST", url, data={f"photo-{front.id}-alt_text": "Reception desk"})
    assert response.status_code == 200
    assert "Description saved." in response.get_data(as_text=True)
    assert _gallery(x.clinic)[0].alt_text == "Reception desk"
    assert client.post(url, data={f"photo-{front.id}-alt_text": ""}).status_code == 422
    assert _gallery(x.clinic)[0].alt_text == "Reception desk"


def test_removing_a_photo_deletes_its_files_once_saved(client, auth, x, media_root):
    auth.session_for(x.owner)
    front, room, _ = _three(client, x)
    files = _files(media_root, room)
    response = client.htmx("POST", f"{_page(x)}/{room.id}/delete")
    assert response.status_code == 200
    assert "Photo removed." in response.get_data(as_text=True)
    assert [p.alt_text for p in _gallery(x.clinic)] == ["Front", "Garden"]
    assert not any(path.exists() for path in files)
    assert all(path.exists() for path in _files(media_root, front))
    removed = db.session.scalars(select(AuditLog).where(AuditLog.action == "photo.remove")).one()
    assert removed.detail["alt_text"] == "Room"


def test_files_another_photo_uses_are_kept(client, auth, x, media_root, app):
    auth.session_for(x.owner)
    other = create_bookable_clinic()
    shared = media_photos.add_clinic_photo(
        clinic=other.clinic, data=photo_bytes(), alt_text="Same picture",
        storage=app.extensions["media_storage"], limits=ImageLimits.from_config(app.config),
        actor=other.owner, now=other.clinic.created_at)
    db.session.commit()
    assert _upload(client, _page(x)).status_code == 303
    [mine] = _gallery(x.clinic)
    assert mine.digest == shared.digest
    assert client.post(f"{_page(x)}/{mine.id}/delete").status_code == 303
    assert all(path.exists() for path in _files(media_root, shared))


def test_a_therapist_gets_one_photo_and_a_new_one_replaces_it(client, auth, x, media_root):
    auth.session_for(x.owner)
    url = f"/owner/clinics/{x.clinic.slug}/therapists/{x.therapist.id}/photo"
    prefix = f"therapist-{x.therapist.id}"
    assert _upload(client, url, photo_bytes(600, 600), alt="Portrait", prefix=prefix) \
        .status_code == 303
    db.session.expire_all()
    first = x.therapist.photo
    old_files = _files(media_root, first)
    response = _upload(client, url, photo_bytes(640, 600), alt="New portrait", prefix=prefix,
                       htmx=True)
    assert response.status_code == 200
    db.session.expire_all()
    photo = db.session.scalars(select(Photo).where(Photo.therapist_id == x.therapist.id)).one()
    assert photo.alt_text == "New portrait"
    assert not any(path.exists() for path in old_files)
    assert _gallery(x.clinic) == []  # a therapist's photo is not in the clinic's gallery
    refused = _upload(client, url, b"GIF89a", alt="Bad", prefix=prefix)
    assert refused.status_code == 422
    db.session.expire_all()
    assert x.therapist.photo.id == photo.id  # the photo they had is kept


def test_another_owner_cannot_touch_the_photos(client, auth, x):
    auth.session_for(x.owner)
    front, *_ = _three(client, x)
    y = create_bookable_clinic()
    auth.session_for(y.owner)
    for slug in (x.clinic.slug, y.clinic.slug):
        base = f"/owner/clinics/{slug}/photos/{front.id}"
        assert client.post(f"{base}/delete").status_code == 404
        assert client.post(f"{base}/move", data={"direction": "down"}).status_code == 404
        assert client.post(f"{base}/edit", data={f"photo-{front.id}-alt_text": "Mine"}) \
            .status_code == 404
    assert _upload(client, f"/owner/clinics/{x.clinic.slug}/photos").status_code == 404
    assert client.get(f"/owner/clinics/{x.clinic.slug}/photos").status_code == 404
    assert [p.alt_text for p in _gallery(x.clinic)] == ["Front", "Room", "Garden"]


def test_only_photo_routes_take_a_photo_sized_body(client, auth, x):
    auth.session_for(x.owner)
    noise = Image.frombytes("RGB", (1000, 900), os.urandom(1000 * 900 * 3))
    data = encoded(noise, "PNG")
    assert len(data) > 2 * 1024 * 1024  # over MAX_CONTENT_LENGTH
    response = client.post(_page(x), data=_multipart(data, "Noise"),
                           content_type="multipart/form-data; boundary=b0undary")
    assert response.status_code == 303
    assert [p.alt_text for p in _gallery(x.clinic)] == ["Noise"]
    assert client.post("/login", data={"email": "x" * len(data)}).status_code == 413
    assert client.post(f"/owner/clinics/{x.clinic.slug}/profile",
                       data={"name": "x" * len(data)}).status_code == 413


def test_a_body_over_the_photo_limit_is_a_413_on_photo_routes_too(client, auth, x, app,
                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 100_000)
    auth.session_for(x.owner)
    response = client.post(_page(x), data=_multipart(b"\xff" * 400_000, "Big"),
                           content_type="multipart/form-data; boundary=b0undary")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
