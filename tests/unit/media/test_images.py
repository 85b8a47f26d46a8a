"""The image pipeline: accepted formats by content, metadata stripped, orientation
applied, variants never upscaled, and every refusal with its message."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from marketplace.services.media.images import (
    VARIANT_WIDTHS,
    ImageLimits,
    ImageRefused,
    clean_image,
)
from tests.support.photos import (
    GPS_IFD,
    encoded,
    jpeg_with_gps,
    photo_bytes,
    two_tone,
)

LIMITS = ImageLimits(max_bytes=10 * 1024 * 1024, max_pixels=40_000_000)


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_each_accepted_format_becomes_webp_variants(fmt):
    clean = clean_image(photo_bytes(900, 600, fmt), limits=LIMITS)
    assert [v.width for v in clean.variants] == [400, 800, 900]
    for variant in clean.variants:
        image = _open(variant.data)
        assert image.format == "WEBP"
        assert image.size == (variant.width, variant.height)
        assert variant.height == round(600 * variant.width / 900)
    assert len(clean.digest) == 64


def test_transparency_is_kept_for_a_png():
    image = two_tone(500, 500, mode="RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 100, 100))  # a clear corner
    clean = clean_image(encoded(image, "PNG"), limits=LIMITS)
    shown = _open(clean.widest.data)
    assert shown.mode == "RGBA"
    assert shown.getpixel((10, 10))[3] == 0


def test_variants_are_the_three_widths_and_never_wider_than_the_photo():
    assert [v.width for v in clean_image(photo_bytes(3000, 2000), limits=LIMITS).variants] == \
        list(VARIANT_WIDTHS)
    assert [(v.width, v.height) for v in clean_image(photo_bytes(300, 150), limits=LIMITS)
            .variants] == [(300, 150)]
    assert [v.width for v in clean_image(photo_bytes(1600, 900), limits=LIMITS).variants] == \
        [400, 800, 1600]


def test_exif_with_the_gps_position_is_stripped():
    data = jpeg_with_gps()
    assert _open(data).getexif().get_ifd(GPS_IFD)  # the upload carries a position
    for variant in clean_image(data, limits=LIMITS).variants:
        image = _open(variant.data)
        assert not image.getexif()
        assert "exif" not in image.info
        assert "xmp" not in image.info
        assert b"Exif" not in variant.data
        assert b"PhoneMaker" not in variant.data


def test_the_exif_orientation_is_applied_before_the_metadata_goes():
    # Stored 300x200 (red left, blue right), to be turned 90 degrees clockwise when shown.
    clean = clean_image(jpeg_with_gps(300, 200, orientation=6), limits=LIMITS)
    image = _open(clean.widest.data).convert("RGB")
    assert image.size == (200, 300)
    top, bottom = image.getpixel((100, 20)), image.getpixel((100, 280))
    assert top[0] > 150 > top[2]  # red is at the top now
    assert bottom[2] > 150 > bottom[0]


def test_the_same_photo_gets_the_same_digest_and_another_a_different_one():
    one = clean_image(photo_bytes(500, 400), limits=LIMITS)
    assert clean_image(photo_bytes(500, 400), limits=LIMITS).digest == one.digest
    assert clean_image(photo_bytes(400, 500), limits=LIMITS).digest != one.digest


def _refusal(data: bytes, limits: ImageLimits = LIMITS) -> str:
    with pytest.raises(ImageRefused) as refused:
        clean_image(data, limits=limits)
    assert refused.value.field == "photo"
    assert refused.value.status == 422
    return str(refused.value)


def test_zero_bytes_are_refused():
    assert "empty" in _refusal(b"")


def test_a_file_over_the_byte_limit_is_refused():
    data = photo_bytes(600, 400)
    message = _refusal(data, ImageLimits(max_bytes=len(data) - 1, max_pixels=40_000_000))
    assert "too large" in message


def test_a_photo_over_the_pixel_limit_is_refused_before_it_is_decoded():
    message = _refusal(photo_bytes(600, 400), ImageLimits(max_bytes=10**7, max_pixels=200_000))
    assert "too many pixels" in message
    assert "0.2 megapixels" in message


@pytest.mark.parametrize("side", [40, 100])  # past Pillow's warning, and past its hard stop
def test_a_decompression_bomb_is_refused(monkeypatch, side):
    data = encoded(Image.new("L", (side, side)), "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert "too many pixels" in _refusal(data)


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    encoded(two_tone(60, 40).convert("P"), "GIF"),  # a GIF, whatever its name says
    encoded(two_tone(60, 40), "BMP"),
    b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
], ids=["pdf", "gif", "bmp", "svg"])
def test_other_types_are_refused_by_their_content(data):
    assert "not a photo we can use" in _refusal(data)


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = photo_bytes(900, 600)
    assert "damaged" in _refusal(data[: len(data) // 2])


def test_garbage_after_a_jpeg_header_is_refused_as_damaged():
    data = photo_bytes(200, 100)
    assert "damaged" in _refusal(data[:200] + b"\x00garbage" * 50)
