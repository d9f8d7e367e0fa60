"""Photos of reports and of inspections: checking and cleaning uploads before anything is
stored, storing them so a failed change leaves no file, and signed links to serve them.

A photo is accepted only if Pillow recognises it as JPEG, PNG or WebP by its content (the name
and the declared type are ignored) and can decode it. It is then re-encoded from its pixels, so
EXIF (GPS position, camera serial, time) and any other metadata are dropped; the EXIF
orientation is applied first so the picture still stands the right way up.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from PIL import Image, ImageOps, UnidentifiedImageError

from runtime import clock
from runtime.i18n import N_
from runtime.settings import get_settings
from services.errors import DomainError, ErrorCode
from services.photo_storage import get_storage

MAX_PHOTOS = 6
MAX_PIXELS = 50_000_000  # decoding bombs: a 2 KB PNG can claim to be 100k × 100k pixels
MAX_SIDE = 4096  # bigger photos are scaled down; a phone screen never needs more
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


class PhotoOwner(StrEnum):
    """What a photo belongs to. Part of its storage key, its link and the link's signature, so
    a link to report photo 7 can never open inspection photo 7."""

    REPORT = "report"
    INSPECTION = "inspection"
    DISPATCH = "dispatch"
    VISIT = "visit"  # an observer's visit (services.observers)


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int

    def new_key(self, owner: PhotoOwner, community_id: int) -> str:
        return f"{owner.value}s/{community_id}/{secrets.token_hex(16)}.{self.extension}"


@dataclass
class PhotoWrites:
    """The files one change wrote. The caller stores photos inside its transaction and calls
    `remove` when the transaction fails, so a refused or rolled-back change leaves no file."""

    keys: list[str] = field(default_factory=list)

    async def put(self, owner: PhotoOwner, community_id: int, photo: CleanPhoto) -> str:
        key = photo.new_key(owner, community_id)
        self.keys.append(key)  # before the write: a failed write may have left a file
        await get_storage().put(key, photo.data)
        return key

    async def remove(self) -> None:
        storage = get_storage()
        for key in self.keys:
            await storage.delete(key)


def _invalid(index: int, field: str) -> DomainError:
    return DomainError(
        ErrorCode.PHOTO_INVALID,
        N_("Photo {number} is not a JPEG, PNG or WebP picture."),
        field,
        number=index + 1,
    )


def clean_photo(data: bytes, index: int = 0, field: str = "photos") -> CleanPhoto:
    limit = get_settings().photo_max_bytes
    if len(data) > limit:
        raise DomainError(
            ErrorCode.PHOTO_TOO_LARGE,
            N_("Photo {number} is larger than {megabytes} MB."),
            field,
            number=index + 1,
            megabytes=limit // (1024 * 1024),
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in FORMATS:
                raise _invalid(index, field)
            if probe.width * probe.height > MAX_PIXELS:
                raise _invalid(index, field)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _invalid(index, field) from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image holds pixels only: no info dict, no EXIF, no text chunks, no ICC profile.
    mode = upright.mode
    if kind == "JPEG" and mode not in ("RGB", "L"):
        mode = "RGB"
    elif mode not in ("RGB", "RGBA", "L", "LA"):
        mode = "RGBA" if "A" in mode or "transparency" in upright.info else "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, format="JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="WEBP", quality=85)
    content_type, extension = FORMATS[kind]
    return CleanPhoto(out.getvalue(), content_type, extension, clean.width, clean.height)


async def clean_photos(photos: Sequence[bytes], field: str = "photos") -> list[CleanPhoto]:
    """Every photo checked and cleaned, off the event loop; the first bad one fails them all."""
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            ErrorCode.TOO_MANY_PHOTOS, N_("Attach at most {max_photos} photos."), field, max_photos=MAX_PHOTOS
        )
    return [await asyncio.to_thread(clean_photo, data, i, field) for i, data in enumerate(photos)]


# ── links: photos are served by /photos/<id> (reports), /photos/inspection/<id>, ─────────
# ── /photos/visit/<id> and /photos/dispatch/<id> to whoever holds a fresh signed link ────

LINK_TTL_SECONDS = 3600
_PATHS = {
    PhotoOwner.REPORT: "/photos/",
    PhotoOwner.INSPECTION: "/photos/inspection/",
    PhotoOwner.VISIT: "/photos/visit/",
    PhotoOwner.DISPATCH: "/photos/dispatch/",
}


def _signature(owner: PhotoOwner, photo_id: int, expires: int) -> str:
    secret = get_settings().secret_key.encode()
    message = f"{owner.value}-photo:{photo_id}:{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def photo_link(photo_id: int, owner: PhotoOwner = PhotoOwner.REPORT) -> str:
    """A link that works for one to two hours. Handed out only by fields that checked the viewer
    may see the report, inspection, visit or dispatch; expiry is rounded to the hour so the app's image cache
    can reuse it."""
    now = int(clock.now().timestamp())
    expires = (now // LINK_TTL_SECONDS + 2) * LINK_TTL_SECONDS
    base = get_settings().public_base_url
    signature = _signature(owner, photo_id, expires)
    return f"{base}{_PATHS[owner]}{photo_id}?exp={expires}&sig={signature}"


async def open_photo(
    photo_id: int, expires: str, signature: str, owner: PhotoOwner = PhotoOwner.REPORT
) -> tuple[bytes, str] | None:
    """The bytes and content type behind a valid, unexpired link; None for anything else."""
    from models.boards import InspectionPhoto
    from models.district import DispatchPhoto
    from models.observers import ObserverVisitPhoto
    from models.reports import ReportPhoto

    if not expires.isdigit() or int(expires) < clock.now().timestamp():
        return None
    if not hmac.compare_digest(_signature(owner, photo_id, int(expires)), signature):
        return None
    models: dict[
        PhotoOwner, type[ReportPhoto] | type[InspectionPhoto] | type[ObserverVisitPhoto] | type[DispatchPhoto]
    ] = {
        PhotoOwner.REPORT: ReportPhoto,
        PhotoOwner.INSPECTION: InspectionPhoto,
        PhotoOwner.VISIT: ObserverVisitPhoto,
        PhotoOwner.DISPATCH: DispatchPhoto,
    }
    if owner not in models:
        return None
    photo = await models[owner].get_or_none(id=photo_id)
    if photo is None:
        return None
    data = await get_storage().get(photo.storage_key)
    return (data, photo.content_type) if data is not None else None
