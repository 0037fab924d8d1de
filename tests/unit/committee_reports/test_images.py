"""Images: PNG or JPEG by their content, size-capped, re-encoded without their metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from qa_audit.committee_reports import images
from qa_audit.core.errors import DomainError
from tests.factories.committee_reports import png


def test_a_png_is_re_encoded_as_png() -> None:
    clean = images.clean(png((40, 30)))
    assert (clean.media_type, clean.width, clean.height) == ("image/png", 40, 30)
    assert Image.open(io.BytesIO(clean.content)).format == "PNG"


def test_a_jpeg_loses_its_exif_and_gps_position() -> None:
    original = png((64, 48), exif=True, kind="JPEG")
    assert Image.open(io.BytesIO(original)).getexif()  # the test's picture does carry them
    clean = images.clean(original)
    stored = Image.open(io.BytesIO(clean.content))
    assert clean.media_type == "image/jpeg"
    assert not stored.getexif()
    assert b"Phone Camera Co" not in clean.content
    assert "exif" not in stored.info


def test_a_png_loses_its_text_chunks() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Taken at 12 Acacia Avenue")
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG", pnginfo=info)
    clean = images.clean(out.getvalue())
    assert b"Acacia" not in clean.content


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + b"\x00" * 40,
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"%PDF-1.4 not a picture",
        png()[:45],  # a PNG cut short in its pixel data
    ],
    ids=["gif-header", "svg", "pdf", "truncated-png"],
)
def test_anything_but_a_whole_png_or_jpeg_is_refused(data: bytes) -> None:
    with pytest.raises(DomainError) as refused:
        images.clean(data)
    assert refused.value.field == "image"
    assert "PNG or JPG" in refused.value.message


def test_a_gif_picture_is_refused_though_pillow_reads_it() -> None:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(DomainError, match="must be a PNG or JPG"):
        images.clean(out.getvalue())


def test_a_file_over_5mb_is_refused_before_it_is_read() -> None:
    with pytest.raises(DomainError, match="smaller than 5MB"):
        images.clean(b"\x89PNG" + b"\x00" * images.MAX_BYTES)


def test_no_file_is_refused() -> None:
    with pytest.raises(DomainError, match="Select an image"):
        images.clean(b"")
