from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from runtime.settings import Settings, use_settings
from tests.support.graphql import GraphQLClient
from tests.support.reports import ReportsApi


@pytest.fixture(autouse=True)
def long_tokens(settings: Settings) -> Iterator[None]:
    """These tests move the clock past the claim deadline; their tokens outlive the move."""
    use_settings(dataclasses.replace(settings, access_token_ttl_seconds=24 * 3600))
    yield
    use_settings(settings)


@pytest.fixture
def reports_api(api: GraphQLClient) -> ReportsApi:
    return ReportsApi(api)
