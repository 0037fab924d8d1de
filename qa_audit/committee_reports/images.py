"""Images for the committee report (a child's drawing): PNG or JPEG alone, judged by their
content rather than their name, then decoded and saved afresh so that nothing of the original
file but its pixels is kept (no EXIF, no GPS position, no comments, nothing appended)."""

from __future__ import annotations

import io
import warnings
from typing import NamedTuple

from PIL import Image, ImageOps, UnidentifiedImageError

from qa_audit.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
# Pixels beyond this are refused before decoding: a small file can claim an enormous image.
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
FIELD = "image"


class CleanImage(NamedTuple):
    content: bytes
    media_type: str
    width: int
    height: int


def clean(data: bytes) -> CleanImage:
    """The image re-encoded without metadata; DomainError (on the image field) when the
    file is empty, too large, or not a PNG or JPEG picture."""
    if not data:
        raise DomainError("Select an image", FIELD)
    if len(data) > MAX_BYTES:
        raise DomainError("The selected file must be smaller than 5MB", FIELD)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # verify() reads the whole file and its checksums: a file cut short or damaged
            # part-way, which load() may still decode, is refused.
            with Image.open(io.BytesIO(data)) as checked:
                checked.verify()
            with Image.open(io.BytesIO(data)) as opened:
                kind = opened.format
                if kind not in FORMATS:
                    raise DomainError("The selected file must be a PNG or JPG", FIELD)
                if opened.width * opened.height > MAX_PIXELS:
                    raise DomainError(
                        "The selected image is too large: it has too many pixels", FIELD
                    )
                opened.load()
                # A photo of a drawing turned by its camera's EXIF tag stays upright once
                # the tag is gone.
                upright = ImageOps.exif_transpose(opened)
                return _reencoded(upright, kind)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError("The selected file must be a PNG or JPG", FIELD) from None
    except (OSError, SyntaxError, ValueError):
        # Truncated or corrupt: the decoder gives up part-way.
        raise DomainError("The selected file must be a PNG or JPG that opens", FIELD) from None


def _reencoded(image: Image.Image, kind: str) -> CleanImage:
    # A fresh image holding the pixels alone: the original's info (EXIF, XMP, ICC, text
    # chunks) is not carried over, because save() is given none of it.
    mode = image.mode
    if kind == "JPEG" and mode not in ("RGB", "L"):
        mode = "RGB"
    if kind == "PNG" and mode not in ("RGB", "RGBA", "L", "LA", "P"):
        mode = "RGBA"
    pixels = image.convert(mode) if mode != image.mode else image
    bare = Image.new(pixels.mode, pixels.size)
    if pixels.mode == "P":
        palette = pixels.getpalette()
        if palette is not None:
            bare.putpalette(palette)
    bare.paste(pixels)
    out = io.BytesIO()
    if kind == "JPEG":
        bare.save(out, format="JPEG", quality=90)
    else:
        bare.save(out, format="PNG", optimize=True)
    return CleanImage(out.getvalue(), FORMATS[kind], bare.width, bare.height)
