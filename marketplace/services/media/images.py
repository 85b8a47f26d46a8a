"""The image pipeline: an upload's bytes in, clean resized WebP variants out.

The type is decided by the content (Pillow sniffs it; the file name and the declared
type are never read). JPEG, PNG, WebP and HEIC/HEIF (the pillow-heif plugin) are
accepted. The EXIF orientation is applied to the pixels, then the pixels are
re-encoded with nothing else: no EXIF (so no GPS position), no XMP, no ICC profile,
no comments. Variants are made at ``VARIANT_WIDTHS`` and never upscaled: a photo
narrower than a width gets one variant at its own width instead.

Every refusal is an ``ImageRefused`` (a ``FieldError`` on the form's ``photo``),
raised before anything is stored.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from ..common.errors import FieldError

pillow_heif.register_heif_opener()

#: card (result cards, 400), profile (a gallery, 800), full (opened on its own, 1600)
VARIANT_WIDTHS = (400, 800, 1600)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
ACCEPTED_NAMES = "JPEG, PNG, WebP or HEIC"
WEBP_QUALITY = 82


class ImageRefused(FieldError):
    """The upload is not a photo we can take; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__("photo", message)


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int
    max_pixels: int

    @classmethod
    def from_config(cls, config) -> ImageLimits:
        return cls(max_bytes=int(config["PHOTO_MAX_BYTES"]),
                   max_pixels=int(config["PHOTO_MAX_PIXELS"]))


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    data: bytes  # WebP


@dataclass(frozen=True)
class CleanImage:
    """What an upload became: its variants, narrowest first, and a digest of the pixels."""

    digest: str
    variants: tuple[Variant, ...]

    @property
    def widest(self) -> Variant:
        return self.variants[-1]


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _open(data: bytes, limits: ImageLimits) -> Image.Image:
    """Open ``data`` as one of the accepted formats, its size checked before decoding."""
    with warnings.catch_warnings():
        # Pillow warns (and past twice the limit refuses) on huge images: both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(limits) from None
        except UnidentifiedImageError:
            raise ImageRefused(
                f"That file is not a photo we can use. Upload a {ACCEPTED_NAMES} image."
            ) from None
        except (OSError, ValueError, SyntaxError):
            raise _corrupt() from None
    if image.width * image.height > limits.max_pixels:
        raise _too_many_pixels(limits)
    return image


def _too_many_pixels(limits: ImageLimits) -> ImageRefused:
    megapixels = limits.max_pixels / 1_000_000
    return ImageRefused(f"That photo has too many pixels (at most {megapixels:g} megapixels). "
                        "Export it smaller and try again.")


def _corrupt() -> ImageRefused:
    return ImageRefused("That photo could not be read: the file looks damaged or cut short. "
                        "Try exporting it again.")


def _decode(image: Image.Image, limits: ImageLimits) -> Image.Image:
    """The pixels, upright, as RGB (or RGBA when the photo has transparency)."""
    if image.format == "JPEG":
        image.draft("RGB", (VARIANT_WIDTHS[-1], VARIANT_WIDTHS[-1]))  # decode no larger than needed
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(limits) from None
        except (OSError, ValueError, SyntaxError, EOFError):
            raise _corrupt() from None
    alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info)
    return upright.convert("RGBA" if alpha else "RGB")


def _widths(width: int) -> list[int]:
    """The variant widths for a photo ``width`` wide: never wider than the photo."""
    made = [w for w in VARIANT_WIDTHS if w < width]
    if len(made) < len(VARIANT_WIDTHS):
        made.append(min(width, VARIANT_WIDTHS[-1]))
    return made


def _encode(pixels: Image.Image, width: int) -> Variant:
    height = max(1, round(pixels.height * width / pixels.width))
    resized = pixels if width == pixels.width else pixels.resize(
        (width, height), Image.Resampling.LANCZOS)
    resized.info = {}  # nothing of the original's metadata rides along
    out = io.BytesIO()
    resized.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return Variant(width=width, height=height, data=out.getvalue())


def clean_image(data: bytes, *, limits: ImageLimits) -> CleanImage:
    """Check an upload and make its variants; ``ImageRefused`` says why one is not taken."""
    if not data:
        raise ImageRefused("That file is empty. Choose the photo again.")
    if len(data) > limits.max_bytes:
        raise ImageRefused(f"That file is too large (at most {_megabytes(limits.max_bytes)}). "
                           "Export the photo smaller and try again.")
    pixels = _decode(_open(data, limits), limits)
    variants = tuple(_encode(pixels, width) for width in _widths(pixels.width))
    digest = hashlib.sha256(variants[-1].data).hexdigest()
    return CleanImage(digest=digest, variants=variants)
