"""Photos kept between two posts of the report form, so signing in (or a typo in the text) never
makes a resident take the photos again (FixMyStreet keeps uploads the same way, by id, in the
re-rendered form).

A draft is a file under the photo directory's `web-drafts/`, named by 128 random bits; the form
carries only that name. It is read back once the report is created and removed after an hour.
The service checks and cleans the photo as for any upload (format, size, metadata)."""

from __future__ import annotations

import io
import re
import secrets
import time
from pathlib import Path

from starlette.datastructures import Headers, UploadFile

from runtime.settings import get_settings

KEEP_SECONDS = 3600
MAX_DRAFTS = 6
_NAME = re.compile(r"^[0-9a-f]{32}$")
_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_BY_SUFFIX = {suffix: media for media, suffix in _TYPES.items()}


def _folder() -> Path:
    folder = Path(get_settings().photo_dir) / "web-drafts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another worker swept it first


async def keep(uploads: list[UploadFile]) -> list[str]:
    """Store the uploaded photos; returns their draft names (at most six, none over the limit)."""
    folder = _folder()
    _sweep(folder)
    limit = get_settings().photo_max_bytes
    names: list[str] = []
    for upload in uploads[:MAX_DRAFTS]:
        data = await upload.read(limit + 1)
        await upload.seek(0)
        suffix = _TYPES.get((upload.content_type or "").lower())
        if suffix is None or not data or len(data) > limit:
            continue  # the service would refuse it anyway; the summary asks for another photo
        name = secrets.token_hex(16)
        (folder / f"{name}.{suffix}").write_bytes(data)
        names.append(name)
    return names


def _path(name: str) -> Path | None:
    if not _NAME.match(name):
        return None
    for suffix in _BY_SUFFIX:
        path = _folder() / f"{name}.{suffix}"
        if path.is_file():
            return path
    return None


def load(names: list[str]) -> list[UploadFile]:
    """Kept photos as uploads again; unknown or expired names are skipped."""
    uploads: list[UploadFile] = []
    for name in names[:MAX_DRAFTS]:
        path = _path(name)
        if path is None:
            continue
        media = _BY_SUFFIX[path.suffix[1:]]
        uploads.append(
            UploadFile(
                io.BytesIO(path.read_bytes()),
                filename=path.name,
                headers=Headers({"content-type": media}),
            )
        )
    return uploads


def known(names: list[str]) -> list[str]:
    return [name for name in names[:MAX_DRAFTS] if _path(name) is not None]


def discard(names: list[str]) -> None:
    for name in names:
        path = _path(name)
        if path is not None:
            path.unlink(missing_ok=True)
