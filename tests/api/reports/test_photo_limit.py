"""A photo at the size limit is taken; one byte more is a typed error (not a 413, not a 500)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from runtime.settings import get_settings, use_settings
from tests.support.photos import jpeg_with_gps
from tests.support.reports import ReportsApi, make_cast


@pytest.fixture
def small_photos() -> Iterator[int]:
    settings = get_settings()
    limit = len(jpeg_with_gps()) + 100
    use_settings(replace(settings, photo_max_bytes=limit))
    yield limit
    use_settings(settings)


async def test_a_photo_at_the_size_limit_is_taken_and_one_byte_more_is_refused(
    reports_api: ReportsApi, small_photos: int
) -> None:
    cast = await make_cast()
    photo = jpeg_with_gps()
    at_limit = await reports_api.create(cast, photos=[photo + b"\0" * (small_photos - len(photo))])
    assert at_limit["errors"] == []
    past = await reports_api.create(
        cast, photos=[photo + b"\0" * (small_photos + 1 - len(photo))], category="OTHER"
    )
    assert [e["code"] for e in past["errors"]] == ["PHOTO_TOO_LARGE"]
