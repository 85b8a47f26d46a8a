"""Demo photos, drawn here with Pillow (nothing is copied from anywhere): soft
gradients with a few simple shapes and the clinic's or therapist's initials. They go
through the same pipeline and storage as an owner's upload, so the demo shows
galleries, result-card photos and portraits. Only clinics and therapists without
photos get them (a re-run adds nothing); the synthetic catalogue gets none."""

from __future__ import annotations

import io
import zlib
from datetime import datetime

from PIL import Image, ImageDraw, ImageFont, ImageOps

from ..models import Clinic, User
from ..services.media import photos as media_photos
from ..services.media.images import ImageLimits
from ..services.media.storage import Storage

#: Calm colour pairs (top-left, bottom-right) a clinic's photos are drawn in.
PALETTES = (
    ((214, 234, 228), (120, 170, 160)), ((238, 226, 210), (184, 150, 120)),
    ((222, 230, 242), (120, 140, 180)), ((240, 228, 232), (176, 128, 146)),
    ((230, 238, 214), (140, 166, 110)),
)
SCENES = ("Treatment room", "Reception and waiting area", "Stretching and assessment space")
# Small enough to keep the seed to a few seconds: the three real seed clinics get three
# photos with a card and a gallery variant; invented clinics two card-sized ones.
GALLERY_SIZE, SMALL_SIZE, PORTRAIT_SIZE = (800, 600), (400, 300), (240, 240)
_TURNS = (None, Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180,
          Image.Transpose.ROTATE_270)
LIMITS = ImageLimits(max_bytes=10 * 1024 * 1024, max_pixels=40_000_000)


def initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or "K"


def _pick(seed: str, n: int) -> int:
    return zlib.crc32(seed.encode()) % n


def _gradient(size: tuple[int, int], palette, *, turn: int) -> Image.Image:
    ramp = Image.linear_gradient("L")
    if _TURNS[turn % 4] is not None:
        ramp = ramp.transpose(_TURNS[turn % 4])
    return ImageOps.colorize(ramp, palette[0], palette[1]).resize(size)


def draw_scene(name: str, scene: int, size=SMALL_SIZE) -> bytes:
    """A clinic's picture: a gradient, a few soft shapes, its initials. JPEG bytes."""
    palette = PALETTES[_pick(name, len(PALETTES))]
    image = _gradient(size, palette, turn=scene + _pick(name, 4))
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = size
    for i in range(3):  # overlapping circles and a rounded "table"
        r = h // (3 + i)
        cx, cy = (w * (i + 1)) // 4 + scene * 40, h // 3 + (i * h) // 6
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, 46 + 18 * i))
    draw.rounded_rectangle((w // 6, h * 2 // 3, w * 5 // 6, h * 2 // 3 + h // 10),
                           radius=h // 20, fill=(255, 255, 255, 120))
    font = ImageFont.load_default(size=h // 4)
    draw.text((w - h // 12, h // 12), initials(name), font=font, anchor="ra",
              fill=(255, 255, 255, 210))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def draw_portrait(name: str) -> bytes:
    """A therapist's placeholder portrait: a circle with their initials. JPEG bytes."""
    palette = PALETTES[_pick(name, len(PALETTES))]
    image = _gradient(PORTRAIT_SIZE, (palette[1], palette[0]), turn=2)
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = PORTRAIT_SIZE
    draw.ellipse((w // 6, h // 6, w * 5 // 6, h * 5 // 6), fill=(255, 255, 255, 90))
    font = ImageFont.load_default(size=h // 4)
    draw.text((w // 2, h // 2), initials(name), font=font, anchor="mm", fill=(40, 60, 70, 230))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def ensure_demo_photos(clinics: list[Clinic], *, storage: Storage, owner: User | None,
                       now: datetime) -> int:
    """Photos for every clinic and therapist that has none; returns how many were made."""
    made = 0
    for clinic in clinics:
        if not clinic.gallery:
            size, count = (SMALL_SIZE, 2) if clinic.is_illustrative else (GALLERY_SIZE, 3)
            for scene in range(count):
                media_photos.add_clinic_photo(
                    clinic=clinic, data=draw_scene(clinic.name, scene, size),
                    alt_text=f"{SCENES[scene % len(SCENES)]} at {clinic.name} (illustration)",
                    storage=storage, limits=LIMITS, actor=owner, now=now)
                made += 1
        for therapist in clinic.therapists:
            if therapist.photo is None:
                media_photos.set_therapist_photo(
                    therapist=therapist, data=draw_portrait(therapist.name),
                    alt_text=f"Portrait placeholder for {therapist.name}", storage=storage,
                    limits=LIMITS, actor=owner, now=now)
                made += 1
    return made
