"""One database per test session (SQLite by default, PostgreSQL when RS_TEST_DATABASE_URL names
one), migrated with our migrations, emptied before each test; the living demo seeded once per
session and copied to the tests that walk it (tests/support/demo.py)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

os.environ.setdefault("RS_ARGON2_FAST", "1")
os.environ.setdefault("RS_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnop")

import httpx
import pytest
from starlette.types import ASGIApp

from api.app import create_app
from runtime import clock
from runtime.database import close_database, open_database
from runtime.migrations import upgrade
from runtime.settings import Settings, load_settings, use_settings
from services import subscribers
from services.photo_storage import LocalDiskStorage, use_storage
from tests.support import demo as demo_support
from tests.support import postgres
from tests.support.graphql import GraphQLClient

TEST_DATABASE_URL = os.environ.get("RS_TEST_DATABASE_URL", "")
_OWN_SHARED_DIR = pytest.StashKey[str]()


def pytest_report_header() -> str:
    return f"database: {'postgres' if TEST_DATABASE_URL.startswith('postgres') else 'sqlite'}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "own_sqlite: runs on its own SQLite file whatever the suite's database is, so CI runs it in"
        " the SQLite pass only (as it runs `postgres` tests in the PostgreSQL pass only)",
    )
    # pytest-xdist registers it, but not under `-p no:xdist`.
    config.addinivalue_line("markers", "xdist_group(name): run on one worker under --dist loadgroup")
    # In the controlling process, before pytest-xdist starts its workers (they inherit the
    # environment): the folder where the workers share the demo's templates.
    if hasattr(config, "workerinput"):
        return
    os.environ[demo_support.RUN_VARIABLE] = uuid.uuid4().hex
    if demo_support.SHARED_DIR_VARIABLE not in os.environ:
        folder = tempfile.mkdtemp(prefix="rs-shared-")
        os.environ[demo_support.SHARED_DIR_VARIABLE] = folder
        config.stash[_OWN_SHARED_DIR] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    folder = config.stash.get(_OWN_SHARED_DIR, None)
    try:
        # Also when .ci/run shares the folder between its passes: a PostgreSQL template is not
        # left behind on the server.
        if demo_support.SHARED_DIR_VARIABLE in os.environ:
            demo_support.drop_postgres_template()
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
            del os.environ[demo_support.SHARED_DIR_VARIABLE]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if uses & {"pg_url", "demo_postgres"}:
            item.add_marker(pytest.mark.postgres)
        if "demo_sqlite" in uses:
            item.add_marker(pytest.mark.own_sqlite)
        if item.get_closest_marker("postgres") and item.get_closest_marker("own_sqlite"):
            # CI's SQLite pass leaves out `postgres` tests and its PostgreSQL pass `own_sqlite` ones.
            raise pytest.UsageError(f"{item.nodeid} is marked both postgres and own_sqlite")
    # The demo's walks first (a stable sort): they are the longest, and started last they would keep
    # one worker busy while the other waits at the end. The in-suite group first, so that one worker
    # seeds it while the other seeds the CLI's template.
    items.sort(key=_demo_walks_first)


def _demo_walks_first(item: pytest.Item) -> int:
    uses = set(getattr(item, "fixturenames", ()))
    if "demo" in uses:
        return 0
    # The authorization matrix's world (tests/api/authz/conftest.py) is built by the first of them.
    if uses & {"demo_sqlite", "demo_postgres", "world"} or item.get_closest_marker("own_sqlite"):
        return 1
    return 2


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    if TEST_DATABASE_URL.startswith("postgres"):
        if not await postgres.server_answers():
            pytest.exit(f"RS_TEST_DATABASE_URL names PostgreSQL but none answers at {postgres.ADMIN_URL}", 3)
        url = await postgres.create_database("rs_suite")
        await postgres.without_commit_flush(url)
        yield url
        await postgres.drop_database(url)
    else:
        folder = Path(tempfile.mkdtemp(prefix="rs-tests-"))
        # A throwaway file: no fsync at each commit (tortoise passes the URL's parameters to
        # SQLite as PRAGMAs). The places tests took 15.7 s and 11.4 s of CPU with it, 9.7 s and
        # 9.4 s without; what SQLite answers is the same, only a power cut could lose a commit.
        yield f"sqlite://{folder / 'suite.sqlite3'}?synchronous=OFF"


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
    await demo_support.empty_tables()


@pytest.fixture(autouse=True)
def moved_clock() -> Iterator[clock.MovableClock]:
    """The process clock, set to a fixed moment before anything else in every test (tokens
    issued later then agree with it); tests advance it instead of sleeping."""
    movable = clock.MovableClock(demo_support.SUITE_MOMENT)
    previous = clock.use_clock(movable)
    yield movable
    clock.use_clock(previous)


@pytest.fixture(scope="session")
def shared_app(settings: Settings) -> ASGIApp:
    """One app per worker for every test's `http`: building it (its strawberry schema) cost
    ~0.09 s of CPU, paid by ~1,000 tests a pass. It keeps nothing between requests, and what it
    reads at creation (the session's settings) is the same for every test; a test that needs
    other settings builds its own app."""
    return create_app(settings, manage_database=False)


@pytest.fixture
async def http(shared_app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    # What create_app does besides building: the event listeners, which a test may have taken
    # down (tests/points_engine/test_earning.py) and the next one's app put back.
    subscribers.install()
    transport = httpx.ASGITransport(app=shared_app)
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


# ── the living demo (tests/support/demo.py) ──────────────────────────────────────────────────


@pytest.fixture(scope="session")
async def seeded_in_suite(
    database: None, tmp_path_factory: pytest.TempPathFactory
) -> demo_support.InSuiteDemo:
    """`seed_demo()` once per worker in the suite's database, at SUITE_MOMENT, kept as a snapshot."""
    return await demo_support.seed_in_suite(tmp_path_factory.mktemp("demo-in-suite"))


@pytest.fixture
async def demo(
    empty_tables: None, seeded_in_suite: demo_support.InSuiteDemo, tmp_path: Path
) -> AsyncIterator[demo_support.InSuiteDemo]:
    """The living demo in the suite's database (this test's own copy of the rows and photos), at
    the moment `moved_clock` starts from. Mark the module `xdist_group("demo")` so one worker
    seeds it for all of them."""
    photos = tmp_path / "demo-photos"
    previous = use_storage(LocalDiskStorage(photos))
    await seeded_in_suite.restore(photos)
    yield seeded_in_suite
    use_storage(previous)


@pytest.fixture
def demo_sqlite(tmp_path: Path) -> demo_support.DemoCopy:
    """This test's own copy of the demo, seeded by `redsteward seed-demo` into SQLite once a run."""
    return demo_support.sqlite_copy(tmp_path / "demo")


@pytest.fixture
def demo_postgres(tmp_path: Path) -> Iterator[demo_support.DemoCopy]:
    """This test's own PostgreSQL database holding the demo, copied from a template seeded by
    `redsteward seed-demo` once a run; fails instead of skipping under RS_REQUIRE_POSTGRES."""
    if not asyncio.run(postgres.server_answers()):
        if postgres.required():
            pytest.fail(f"RS_REQUIRE_POSTGRES is set but no PostgreSQL answers at {postgres.ADMIN_URL}")
        pytest.skip(f"no PostgreSQL server answers at {postgres.ADMIN_URL}")
    copied = demo_support.postgres_copy(tmp_path / "demo")
    yield copied
    asyncio.run(postgres.drop_database(copied.database_url))
