"""One database per test session (SQLite by default, PostgreSQL when RS_TEST_DATABASE_URL names
one), migrated with our migrations, emptied before each test."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("RS_ARGON2_FAST", "1")
os.environ.setdefault("RS_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnop")

import httpx
import pytest
from tortoise import Tortoise, connections

from api.app import create_app
from runtime import clock
from runtime.database import close_database, open_database
from runtime.migrations import upgrade
from runtime.settings import Settings, load_settings, use_settings
from tests.support import postgres
from tests.support.graphql import GraphQLClient

TEST_DATABASE_URL = os.environ.get("RS_TEST_DATABASE_URL", "")


def pytest_report_header() -> str:
    return f"database: {'postgres' if TEST_DATABASE_URL.startswith('postgres') else 'sqlite'}"


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    if TEST_DATABASE_URL.startswith("postgres"):
        if not await postgres.server_answers():
            pytest.exit(f"RS_TEST_DATABASE_URL names PostgreSQL but none answers at {postgres.ADMIN_URL}", 3)
        url = await postgres.create_database("rs_suite")
        yield url
        await postgres.drop_database(url)
    else:
        folder = Path(tempfile.mkdtemp(prefix="rs-tests-"))
        yield f"sqlite://{folder / 'suite.sqlite3'}"


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    loaded = load_settings(env={**os.environ, "RS_DATABASE_URL": database_url})
    use_settings(loaded)
    return loaded


@pytest.fixture(scope="session", autouse=True)
async def database(settings: Settings) -> AsyncIterator[None]:
    await upgrade(settings.database_url)
    await open_database(settings.database_url)
    yield
    await close_database()


@pytest.fixture(autouse=True)
async def empty_tables(database: None) -> None:
    conn = connections.get("default")
    tables = [m._meta.db_table for m in Tortoise.apps["models"].values() if m._meta.db_table != "aerich"]
    if conn.capabilities.dialect == "postgres":
        quoted = ", ".join(f'"{t}"' for t in tables)
        await conn.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    else:
        script = "".join(f'DELETE FROM "{t}";' for t in tables)
        await conn.execute_script(f"PRAGMA foreign_keys=OFF;{script}PRAGMA foreign_keys=ON;")


@pytest.fixture(autouse=True)
def moved_clock() -> Iterator[clock.MovableClock]:
    """The process clock, set to a fixed moment before anything else in every test (tokens
    issued later then agree with it); tests advance it instead of sleeping."""
    movable = clock.MovableClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    previous = clock.use_clock(movable)
    yield movable
    clock.use_clock(previous)


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


class _Capture(logging.Handler):
    def __init__(self, counter: QueryCounter) -> None:
        super().__init__(logging.DEBUG)
        self.counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            self.counter.statements.append(message)


@pytest.fixture
def queries() -> Iterator[QueryCounter]:
    """Counts SQL statements through tortoise's own SQL logger."""
    counter = QueryCounter()
    logger = logging.getLogger("tortoise.db_client")
    handler = _Capture(counter)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield counter
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for tests that must run there (migrations, races)."""
    await postgres.skip_unless_server()
    url = await postgres.create_database()
    yield url
    await postgres.drop_database(url)
