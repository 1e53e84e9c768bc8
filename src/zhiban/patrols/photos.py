"""Patrol photos (PAT-2): only images Pillow can read, within the centre's size limit, stored
under MEDIA_ROOT with a random name and no execute bit, read back only through the round's
scoped view."""

from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from zhiban.core.errors import InvalidInput

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
FOLDER = "patrols"
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str
    extension: str


def check(data: bytes, centre) -> Checked:
    """The upload as an image of an allowed kind and size, or 422 on ``photo`` naming PAT-2."""
    limit_kb = centre.setting("patrols.photo_max_kb")
    if len(data) > limit_kb * 1024:
        raise _refused(_("The photo is larger than %(kb)s KB (PAT-2).") % {"kb": limit_kb})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if image.width * image.height > MAX_PIXELS:
                raise _refused(_("The photo has too many pixels (PAT-2)."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refused(_("Only a photo (JPEG, PNG or WebP) can be kept (PAT-2).")) from None
    if kind not in FORMATS:
        raise _refused(_("Only a photo (JPEG, PNG or WebP) can be kept (PAT-2)."))
    content_type, extension = FORMATS[kind]
    return Checked(data, content_type, extension)


def _refused(message: str) -> InvalidInput:
    return InvalidInput(rule="PAT-2", fields={"photo": [message]})


def store(checked: Checked) -> str:
    """Write the image under MEDIA_ROOT/patrols/ with a random name (rw for the owner and
    group only); returns the name."""
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{checked.extension}"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as f:
        f.write(checked.data)
    return name


def path_of(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER / Path(name).name
