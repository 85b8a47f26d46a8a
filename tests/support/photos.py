"""Photos made in memory for tests: every accepted format, EXIF with a GPS position
and an orientation, and the files that must be refused."""

from __future__ import annotations

import io

import pillow_heif
from PIL import Image

pillow_heif.register_heif_opener()

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def two_tone(width: int, height: int, *, mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue (so a rotation shows)."""
    image = Image.new(mode, (width, height), (200, 30, 30, 255)[: len(mode)])
    image.paste((30, 30, 200, 255)[: len(mode)], (width // 2, 0, width, height))
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def photo_bytes(width: int = 900, height: int = 600, fmt: str = "JPEG") -> bytes:
    return encoded(two_tone(width, height, mode="RGBA" if fmt == "PNG" else "RGB"), fmt)


def jpeg_with_gps(width: int = 300, height: int = 200, *, orientation: int = 1) -> bytes:
    """A JPEG whose EXIF holds a GPS position, a camera and an orientation."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (27.0, 46.0, 12.5)
    gps[3] = "W"
    gps[4] = (82.0, 38.0, 2.0)
    return encoded(two_tone(width, height), "JPEG", exif=exif)
