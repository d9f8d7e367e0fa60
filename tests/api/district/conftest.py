from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.settings import Settings, use_settings
from services.photo_storage import LocalDiskStorage, use_storage
from tests.support.district import DistrictApi, Town, make_town
from tests.support.graphql import GraphQLClient


@pytest.fixture(autouse=True)
def long_tokens(settings: Settings) -> Iterator[None]:
    """These tests move the clock by days; tokens live 60 days from the moved clock's start."""
    use_settings(dataclasses.replace(settings, access_token_ttl_seconds=60 * 24 * 3600))
    yield
    use_settings(settings)


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "photos"
    previous = use_storage(LocalDiskStorage(folder))
    yield folder
    use_storage(previous)


@pytest.fixture
def district_api(api: GraphQLClient) -> DistrictApi:
    return DistrictApi(api)


@pytest.fixture
async def town() -> Town:
    return await make_town()
