"""Forms of the photos an owner shows: upload one, describe it, move it (the admin's
removal is ``admin.RemovePhotoForm``). The photo's content is checked by the media
service, never here."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from ..services.media.images import ACCEPTED_NAMES
from ..services.media.photos import ALT_TEXT_MAX
from .base import BaseForm

ALT_HELP = ("What the photo shows, for people who cannot see it "
            "(for example: “Treatment room with a massage table by a window”).")


def _alt_field():
    return StringField("Description (alt text)", description=ALT_HELP, validators=[
        InputRequired("Describe the photo for people who cannot see it."),
        Length(max=ALT_TEXT_MAX, message=f"Keep the description under {ALT_TEXT_MAX} "
                                         "characters."),
    ])


class PhotoForm(BaseForm):
    photo = FileField("Photo", description=f"A {ACCEPTED_NAMES} file.",
                      validators=[FileRequired("Choose a photo to upload.")])
    alt_text = _alt_field()

    def photo_bytes(self) -> bytes:
        """The uploaded file's bytes (the size was bounded by the request limit)."""
        return self.photo.data.read()


class AltTextForm(BaseForm):
    alt_text = _alt_field()


class MovePhotoForm(BaseForm):
    direction = RadioField("Move", choices=[("up", "Earlier"), ("down", "Later")],
                           validators=[InputRequired("Move a photo up or down.")])
