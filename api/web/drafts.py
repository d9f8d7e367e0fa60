"""Photos kept between two posts of the report form, so signing in (or a typo in the text) never
makes a resident take the photos again (FixMyStreet keeps uploads the same way, by id, in the
re-rendered form).

A draft is kept in the photo storage (services.photo_storage, as report photos are, so a server
whose photos live elsewhere keeps its drafts there too) under `webdrafts/<name>.<ext>`. The name is
32 hex digits: the second it was kept (8), then 96 random bits; the form carries only the name. A
name older than an hour is unknown, and each new draft sweeps away the expired ones. A filed
report leaves its drafts to the sweep: a double-tapped 提交 must send the same photos again, or
its idempotency key would be refused as reused. The service checks and cleans the photo as for
any upload (format, size, metadata)."""

from __future__ import annotations

import io
import re
import secrets

from starlette.datastructures import Headers, UploadFile

from runtime import clock
from runtime.settings import get_settings
from services.photo_storage import get_storage

KEEP_SECONDS = 3600
MAX_DRAFTS = 6
FOLDER = "webdrafts"
_NAME = re.compile(r"^[0-9a-f]{32}$")
_KEY = re.compile(rf"^{FOLDER}/(?P<name>[0-9a-f]{{32}})\.[a-z]+$")
_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_BY_SUFFIX = {suffix: media for media, suffix in _TYPES.items()}


def _now() -> int:
    return int(clock.now().timestamp())


def _fresh(name: str) -> bool:
    """A name of ours, kept less than an hour ago (its first 8 digits are the second it was kept;
    they are part of the key, so a visitor who changes them names nothing)."""
    return bool(_NAME.match(name)) and 0 <= _now() - int(name[:8], 16) < KEEP_SECONDS


async def _sweep() -> None:
    storage = get_storage()
    for key in await storage.keys(FOLDER):
        found = _KEY.match(key)
        if found and not _fresh(found["name"]):
            await storage.delete(key)


async def keep(uploads: list[UploadFile]) -> list[str]:
    """Store the uploaded photos; returns their draft names (at most six, none over the limit)."""
    await _sweep()
    storage = get_storage()
    limit = get_settings().photo_max_bytes
    names: list[str] = []
    for upload in uploads[:MAX_DRAFTS]:
        data = await upload.read(limit + 1)
        await upload.seek(0)
        suffix = _TYPES.get((upload.content_type or "").lower())
        if suffix is None or not data or len(data) > limit:
            continue  # the service would refuse it anyway; the summary asks for another photo
        name = f"{_now():08x}{secrets.token_hex(12)}"
        await storage.put(f"{FOLDER}/{name}.{suffix}", data)
        names.append(name)
    return names


async def _key_of(name: str) -> str | None:
    if not _fresh(name):
        return None
    storage = get_storage()
    for suffix in _BY_SUFFIX:
        key = f"{FOLDER}/{name}.{suffix}"
        if await storage.exists(key):
            return key
    return None


async def load(names: list[str]) -> list[UploadFile]:
    """Kept photos as uploads again; unknown or expired names are skipped."""
    storage = get_storage()
    uploads: list[UploadFile] = []
    for name in names[:MAX_DRAFTS]:
        key = await _key_of(name)
        data = await storage.get(key) if key else None
        if key is None or data is None:
            continue
        uploads.append(
            UploadFile(
                io.BytesIO(data),
                filename=key.rsplit("/", 1)[1],
                headers=Headers({"content-type": _BY_SUFFIX[key.rsplit(".", 1)[1]]}),
            )
        )
    return uploads


async def known(names: list[str]) -> list[str]:
    return [name for name in names[:MAX_DRAFTS] if await _key_of(name) is not None]
