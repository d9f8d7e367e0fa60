from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.settings import Settings, use_settings
from services.events import DomainEvent, subscribe, unsubscribe
from services.photo_storage import LocalDiskStorage, use_storage
from tests.support.graphql import GraphQLClient
from tests.support.reports import ReportsApi

REPORT_EVENTS = (
    "report.opened",
    "report.claimed",
    "report.resolved",
    "report.confirmed",
    "report.reopened",
    "report.rejected",
    "report.cancelled",
    "report.escalated",
)


@pytest.fixture(autouse=True)
def long_tokens(settings: Settings) -> Iterator[None]:
    """Access tokens are checked against the wall clock (pyjwt) and ours; these tests move ours
    by days, so their tokens live 60 days from the moved clock's start."""
    use_settings(dataclasses.replace(settings, access_token_ttl_seconds=60 * 24 * 3600))
    yield
    use_settings(settings)


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    """Each test stores photos in its own folder, so 'nothing left on disk' can be checked."""
    folder = tmp_path / "photos"
    previous = use_storage(LocalDiskStorage(folder))
    yield folder
    use_storage(previous)


@pytest.fixture
def reports_api(api: GraphQLClient) -> ReportsApi:
    return ReportsApi(api)


@pytest.fixture
def published() -> Iterator[list[DomainEvent]]:
    """Every report event published during the test, in order."""
    seen: list[DomainEvent] = []

    async def record(event: DomainEvent) -> None:
        seen.append(event)

    for name in REPORT_EVENTS:
        subscribe(name, record)
    yield seen
    for name in REPORT_EVENTS:
        unsubscribe(name, record)


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
