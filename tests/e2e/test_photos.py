"""Photos in Chromium: an owner uploads a clinic photo and their therapist's photo with
htmx (the list updates in place), moves a photo up, and the public profile shows the
gallery and the portrait, each loaded lazily at a reserved size; the pages pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import db
from tests.e2e.test_reviews_and_admin import sign_in
from tests.support.a11y import assert_accessible
from tests.support.factories import TEST_PASSWORD, create_bookable_clinic
from tests.support.photos import jpeg_with_gps, photo_bytes


@pytest.fixture
def listed(live_app):
    with live_app.app_context():
        b = create_bookable_clinic()
        values = (b.owner.email, b.clinic.slug, b.therapist.id, b.therapist.name,
                  b.therapist.slug)
        db.session.commit()
        db.session.remove()
    return values


def _choose(form, name: str, data: bytes, mime: str = "image/jpeg") -> None:
    form.get_by_label("Photo", exact=True).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data})


def test_an_owner_uploads_photos_and_the_profile_shows_them(page: Page, listed):
    email, slug, therapist_id, therapist, therapist_slug = listed
    sign_in(page, email, TEST_PASSWORD)
    page.goto(f"/owner/clinics/{slug}/photos")
    url = page.url
    gallery = page.locator("#photos section").first
    form = gallery.locator("form[enctype='multipart/form-data']")
    _choose(form, "room.jpg", jpeg_with_gps(1200, 800, orientation=1))
    form.get_by_label("Description (alt text)").fill("Treatment room with a window")
    form.get_by_role("button", name="Add the photo").click()
    expect(page.get_by_role("status")).to_contain_text("Photo added.")
    assert page.url == url  # swapped in place
    form = page.locator("#photos section").first.locator("form[enctype='multipart/form-data']")
    _choose(form, "desk.png", photo_bytes(900, 600, "PNG"), "image/png")
    form.get_by_label("Description (alt text)").fill("Reception desk")
    form.get_by_role("button", name="Add the photo").click()
    expect(page.get_by_role("status")).to_contain_text("Photo added.")
    page.get_by_role("button", name="Move up photo 2").click()
    expect(page.get_by_role("status")).to_contain_text("Photo moved.")
    expect(page.locator(".photo-list img").first).to_have_attribute("alt", "Reception desk")

    portrait = page.locator(f"#therapist-photo-{therapist_id}")
    _choose(portrait, "me.heic", photo_bytes(600, 600, "HEIF"), "image/heic")
    portrait.get_by_label("Description (alt text)").fill(f"{therapist} smiling")
    portrait.get_by_role("button", name=f"Add {therapist}'s photo").click()
    expect(page.get_by_role("status")).to_contain_text(f"Photo of {therapist} saved.")
    # A wrong file is a message, and the photos stay.
    form = page.locator("#photos section").first.locator("form[enctype='multipart/form-data']")
    _choose(form, "notes.jpg", b"%PDF-1.4\n%%EOF\n")
    form.get_by_label("Description (alt text)").fill("Not a photo")
    form.get_by_role("button", name="Add the photo").click()
    expect(page.get_by_text("not a photo we can use")).to_be_visible()
    expect(page.locator(".photo-list img")).to_have_count(2)
    assert_accessible(page)

    page.goto(f"/clinics/{slug}")
    first = page.get_by_role("img", name="Reception desk")
    expect(first).to_be_visible()
    expect(page.get_by_role("img", name="Treatment room with a window")).to_have_attribute(
        "loading", "lazy")
    assert first.evaluate("img => img.complete && img.naturalWidth > 0")
    assert first.get_attribute("width") == "800"
    expect(page.get_by_role("img", name=f"{therapist} smiling")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Reception desk").click()  # the full photo, a plain link
    expect(page).to_have_url(re.compile(r"-900\.webp$"))

    page.goto(f"/therapists/{therapist_slug}")
    shown = page.get_by_role("img", name=f"{therapist} smiling")
    expect(shown).to_be_visible()
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0")
    assert shown.evaluate("img => img.currentSrc").endswith(".webp")  # a variant from srcset
