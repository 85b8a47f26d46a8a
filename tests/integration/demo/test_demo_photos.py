"""Demo photos: drawn and stored through the same pipeline as an upload, for every
clinic and therapist without one, and a re-run adds nothing."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from marketplace.demo import photos as demo_photos
from marketplace.models import Photo, db
from tests.support.factories import create_bookable_clinic


def test_the_seed_draws_gallery_photos_and_portraits_once(app, now):
    real, invented = create_bookable_clinic(), create_bookable_clinic(is_illustrative=True)
    storage = app.extensions["media_storage"]
    made = demo_photos.ensure_demo_photos([real.clinic, invented.clinic], storage=storage,
                                          owner=None, now=now)
    db.session.commit()
    assert made == 3 + 2 + 2
    db.session.expire_all()
    assert [p.widths for p in real.clinic.gallery] == [[400, 800]] * 3
    assert [p.widths for p in invented.clinic.gallery] == [[400]] * 2
    assert "(illustration)" in real.clinic.gallery[0].alt_text
    portrait = real.therapist.photo
    assert portrait.widths == [240]
    assert real.therapist.name in portrait.alt_text
    root = Path(app.config["MEDIA_ROOT"])
    with Image.open(root / f"photos/{portrait.digest}-240.webp") as image:
        assert image.size == (240, 240)
    assert demo_photos.ensure_demo_photos([real.clinic, invented.clinic], storage=storage,
                                          owner=None, now=now) == 0
    assert db.session.query(Photo).count() == made


def test_initials_come_from_the_name():
    assert demo_photos.initials("Solely Therapeutic Massage") == "ST"
    assert demo_photos.initials("Flex Spine & Sport") == "FS"
    assert demo_photos.initials("  ") == "K"
