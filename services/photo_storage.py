"""Where report photos are kept: a small interface, and a local-disk default.

Keys are chosen by us (`reports/<community>/<random>.<ext>`), never by the uploader. A put is
atomic (write to a temporary file, then rename), so a reader never sees half a photo.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from runtime.settings import get_settings

_KEY = re.compile(r"^[a-z0-9]+(/[a-z0-9]+)*\.[a-z]{3,4}$")


class PhotoStorage(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes | None: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    async def keys(self, prefix: str) -> list[str]:
        """The keys under a folder (`"webdrafts"`), so short-lived files can be swept."""
        ...


class LocalDiskStorage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _get(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, key, data)

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    def _keys(self, prefix: str) -> list[str]:
        folder = self.root / prefix
        if not _KEY.match(f"{prefix}/x.jpg") or not folder.is_dir():
            return []
        found = (path.relative_to(self.root).as_posix() for path in folder.rglob("*") if path.is_file())
        return sorted(key for key in found if _KEY.match(key))  # a put's .part- file is no key

    async def keys(self, prefix: str) -> list[str]:
        return await asyncio.to_thread(self._keys, prefix)


_storage: PhotoStorage | None = None


def get_storage() -> PhotoStorage:
    """The storage of this process: local disk under RS_PHOTO_DIR unless one was installed."""
    global _storage
    if _storage is None:
        _storage = LocalDiskStorage(get_settings().photo_dir)
    return _storage


def use_storage(storage: PhotoStorage | None) -> PhotoStorage | None:
    """Install a storage (tests, another backend); returns the previous one."""
    global _storage
    previous, _storage = _storage, storage
    return previous
