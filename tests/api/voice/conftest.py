from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.photo_storage import LocalDiskStorage, use_storage


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    """Repairs these tests run upload photos: keep them in the test's own folder, not the tree."""
    folder = tmp_path / "photos"
    previous = use_storage(LocalDiskStorage(folder))
    yield folder
    use_storage(previous)
