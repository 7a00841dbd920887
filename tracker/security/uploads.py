"""The one rule for an uploaded picture, whichever way it arrives (the app's forms, the admin).

It is the image field's model validator (`validate_image_upload`), so every ModelForm and every
`full_clean()` runs it, and the stored name's suffix comes from what the file is
(`image_upload_suffix`), never from what it was called: a PNG named x.pdf is stored and served
as a PNG, a JPEG with HTML after it as a JPEG (docs/security.md).
"""

from typing import Any

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000
# Pillow's format name -> the Content-Type the picture is served with.
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Stored suffix -> Content-Type; ".jpg" for pictures stored before the suffix followed the content.
IMAGE_SUFFIXES = {f".{name.lower()}": kind for name, kind in IMAGE_FORMATS.items()} | {
    ".jpg": "image/jpeg"
}


def image_upload_format(upload: Any) -> str:
    """The format (JPEG, PNG or WEBP) of an uploaded picture within the limits, else a
    ValidationError in words for the person uploading it."""
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError("The picture is too big: the limit is 2 MB.", code="too_big")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            "Upload a valid image: the file is not a picture or is damaged.", code="invalid_image"
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError("Use a JPEG, PNG or WebP picture.", code="format")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ValidationError(
            f"The picture is too large: at most {MAX_IMAGE_SIDE} px a side.", code="too_large"
        )
    return image_format


def validate_image_upload(value: Any) -> None:
    """Model-field validator: a new upload must pass `image_upload_format`."""
    if not value or isinstance(value, str) or getattr(value, "_committed", False):
        # Nothing, a stored name (the history's copy), or the picture already stored: it
        # passed when it was uploaded.
        return
    image_upload_format(getattr(value, "file", value))


def image_upload_suffix(value: Any) -> str:
    """The stored name's suffix for a picture: from its content (".png"), never its name."""
    try:
        return f".{image_upload_format(getattr(value, 'file', value)).lower()}"
    except ValidationError:
        # Only code that skipped validation gets here; such a file is never served as a page.
        return ".bin"
