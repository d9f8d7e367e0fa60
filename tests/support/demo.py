"""The living demo, seeded once per test session and copied to every test that walks it.

`redsteward seed-demo` tells two months of a community through the services: about a minute on
SQLite and a minute and a half on PostgreSQL on the shared 2-core machine. Nine tests walk the
demo; seeding it for each cost CI 21 seeds a run (docs/ARCHITECTURE.md, "CI stages"). Now:

- Tests that drive a real server or the CLI get a *copy* of a template seeded once per session by
  the CLI itself: the SQLite file and its photo folder copied, or on PostgreSQL a database made
  with `CREATE DATABASE … TEMPLATE` (PostgreSQL copies the files; no statement is replayed). The
  two pytest-xdist workers share the template: the first that needs it seeds it under a file lock,
  the other waits and copies. The template keeps the CLI's output (the table of logins), which
  `tests/runtime/test_cli.py` checks as the CLI's first run.
- Tests inside the suite's own database (`demo` fixture) get the demo restored from a snapshot taken
  after one `seed_demo()` per worker, at the suite's fixed moment (`SUITE_MOMENT`), with a copy of
  its photos.

Every test gets its own copy, so a test that changes the demo changes nobody else's.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient

from runtime import clock
from services.demo import DemoSeedResult, seed_demo
from services.photo_storage import LocalDiskStorage, use_storage
from tests.support import postgres

# The moment every test starts at (conftest's `moved_clock`), and the in-suite demo was seeded at.
SUITE_MOMENT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
# Set by conftest.py in the controlling process before the xdist workers start, so they inherit it.
SHARED_DIR_VARIABLE = "RS_TEST_SHARED_DIR"
# Which pytest run this process belongs to (set the same way): .ci/run runs several at once on one
# shared folder, and only the run that made a PostgreSQL template drops it.
RUN_VARIABLE = "RS_TEST_RUN"
# One seed took 94 s on PostgreSQL with the machine shared; a second worker waits for it.
SEED_TIMEOUT = 900
_LOGIN_ROW = re.compile(r"^\s+(\w+)\s+(\d{11})\s+(\S+)", re.MULTILINE)


def shared_dir() -> Path:
    return Path(os.environ[SHARED_DIR_VARIABLE])


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between the worker processes of one pytest run (Linux flock)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ── templates seeded by the CLI, copied for tests that run a server or the CLI ─────────────────


@dataclass(frozen=True)
class Template:
    database_url: str
    photo_dir: Path
    stdout: str  # what `redsteward seed-demo` printed: the counts and the table of logins
    stderr: str  # its progress bar


@dataclass(frozen=True)
class DemoCopy:
    """A test's own seeded database (and photo folder), made from the session's template."""

    database_url: str
    photo_dir: Path
    template: Template

    @property
    def seed_output(self) -> str:
        return self.template.stdout

    def logins(self) -> dict[str, tuple[str, str]]:
        """Role → (phone, password), the first row of each role of the printed table."""
        found: dict[str, tuple[str, str]] = {}
        for role, phone, password in _LOGIN_ROW.findall(self.template.stdout):
            found.setdefault(role, (phone, password))
        return found


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=SEED_TIMEOUT,
    )


def _template(kind: str, make_database: Callable[[], str]) -> Template:
    """The session's template of `kind`, seeded by the first worker to ask, under a lock."""
    folder = shared_dir() / f"demo-{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "template.json"
    with _locked(folder / "lock"):
        if not record.exists():
            _seed_template(record, folder / "photos", make_database)
        saved = json.loads(record.read_text(encoding="utf-8"))
    if "failed" in saved:
        raise AssertionError(f"seeding the demo template failed:\n{saved['failed']}")
    return Template(saved["database_url"], Path(saved["photo_dir"]), saved["stdout"], saved["stderr"])


def _seed_template(record: Path, photo_dir: Path, make_database: Callable[[], str]) -> None:
    url = make_database()
    # The CLI as the office runs it: its own language (Chinese), the suite's fast password hashing.
    env = {k: v for k, v in os.environ.items() if k != "RS_LANGUAGE"}
    env.update({"RS_DATABASE_URL": url, "RS_PHOTO_DIR": str(photo_dir)})
    saved = {"database_url": url, "photo_dir": str(photo_dir), "run": os.environ.get(RUN_VARIABLE, "")}
    for command in ("migrate", "seed-demo"):
        done = _cli(env, command)
        if done.returncode != 0:
            # Written down so the other worker fails at once instead of seeding again.
            saved["failed"] = f"redsteward {command} exited {done.returncode}:\n{done.stderr}"
            break
        saved["stdout"], saved["stderr"] = done.stdout, done.stderr
    record.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")


def sqlite_template() -> Template:
    return _template("sqlite", lambda: f"sqlite://{shared_dir() / 'demo-sqlite' / 'demo.sqlite3'}")


def postgres_template() -> Template:
    """Needs a PostgreSQL server; the controlling process drops the template at the end."""

    return _template("postgres", lambda: asyncio.run(postgres.create_database("rs_demo_template")))


def sqlite_copy(folder: Path) -> DemoCopy:
    """A copy of the SQLite template in `folder` (made if missing): `demo.sqlite3` and `photos/`."""
    template = sqlite_template()
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(template.database_url.removeprefix("sqlite://"))
    target = folder / "demo.sqlite3"
    shutil.copyfile(source, target)
    photos = folder / "photos"
    shutil.copytree(template.photo_dir, photos, dirs_exist_ok=True)
    return DemoCopy(f"sqlite://{target}", photos, template)


def postgres_copy(folder: Path, prefix: str = "rs_demo") -> DemoCopy:
    """A new PostgreSQL database made from the template (drop it with postgres.drop_database), and
    its photos copied into `folder/photos`. For tests outside an event loop (they drive servers)."""
    template = postgres_template()
    # Under the template's lock: PostgreSQL refuses a template someone is connected to.
    with _locked(shared_dir() / "demo-postgres" / "lock"):
        url = asyncio.run(postgres.create_database(prefix, template=template.database_url))
    photos = folder / "photos"
    shutil.copytree(template.photo_dir, photos, dirs_exist_ok=True)
    return DemoCopy(url, photos, template)


def drop_postgres_template() -> None:
    """In the controlling process once every worker is done: the template this run made, not one
    another run beside it (`make fuzz` beside the PostgreSQL pass in .ci/run) still copies."""
    folder = shared_dir() / "demo-postgres"
    record = folder / "template.json"
    if not record.exists():
        return
    with _locked(folder / "lock"):
        saved = json.loads(record.read_text(encoding="utf-8"))
        if saved.get("run") != os.environ.get(RUN_VARIABLE, ""):
            return
        if "database_url" in saved:
            asyncio.run(postgres.drop_database(saved["database_url"]))
        record.unlink()  # a later run sharing the folder (.ci/run's passes) seeds a new one


# ── the demo inside the suite's own database, restored from a snapshot ──────────────────────


def suite_tables() -> list[str]:
    return [m._meta.db_table for m in Tortoise.apps["models"].values() if m._meta.db_table != "aerich"]


async def empty_tables() -> None:
    """Every table of the models emptied (the suite does it before each test)."""
    conn = connections.get("default")
    tables = suite_tables()
    if conn.capabilities.dialect == "postgres":
        # DELETE of every table with foreign-key triggers off, then the sequences back to 1: the
        # same empty tables and ids as TRUNCATE … RESTART IDENTITY CASCADE, in ~30 ms instead of
        # ~340 ms (TRUNCATE makes new files for ~90 tables and their indexes, while a test writes
        # a few rows). Measured with psql on 2026-12-06.
        deletes = "".join(f'DELETE FROM "{t}";' for t in tables)
        _, rows = await conn.execute_query(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
        )
        resets = ", ".join(f"setval('\"{row['sequencename']}\"', 1, false)" for row in rows)
        await conn.execute_script(
            "BEGIN; SET LOCAL session_replication_role = replica;"
            f"{deletes}{f'SELECT {resets};' if resets else ''}COMMIT;"
        )
    else:
        script = "".join(f'DELETE FROM "{t}";' for t in tables)
        await conn.execute_script(f"PRAGMA foreign_keys=OFF;{script}PRAGMA foreign_keys=ON;")


@dataclass(frozen=True)
class Snapshot:
    """Every row of the suite database at one moment, kept to be put back into it, and a copy of
    the photos then stored: in a schema of the suite database on PostgreSQL, a file on SQLite."""

    name: str  # the PostgreSQL schema (and the SQLite file's stem)
    photo_dir: Path
    sqlite_file: Path | None = None

    async def restore(self, photo_dir: Path) -> None:
        """Put the rows back into the (emptied) suite database and the photos into `photo_dir`."""
        conn = connections.get("default")
        tables = suite_tables()
        if conn.capabilities.dialect == "postgres":
            await _restore_postgres(conn, tables, self.name)
        else:
            assert self.sqlite_file is not None
            await _restore_sqlite(conn, tables, self.sqlite_file)
        shutil.copytree(self.photo_dir, photo_dir, dirs_exist_ok=True)


async def take_snapshot(name: str, folder: Path, photo_dir: Path) -> Snapshot:
    """A snapshot of the suite database as it is now, and of the photos in `photo_dir`."""
    conn = connections.get("default")
    tables = suite_tables()
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(
            f"DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name};"
            + "".join(f'CREATE TABLE {name}."{t}" AS TABLE public."{t}";' for t in tables)
        )
        return Snapshot(name, photo_dir)
    snapshot = folder / f"{name}.sqlite3"
    snapshot.unlink(missing_ok=True)
    await conn.execute_script(f"VACUUM INTO '{snapshot}'")
    return Snapshot(name, photo_dir, snapshot)


@dataclass
class InSuiteDemo:
    """What `seed_demo()` returned in the suite's database, and its snapshot."""

    result: DemoSeedResult
    clock_after: datetime  # the project's clock when seed_demo returned: it must be put back
    snapshot: Snapshot

    async def restore(self, photo_dir: Path) -> DemoSeedResult:
        """Put the seeded rows back into the (emptied) suite database and its photos into
        `photo_dir`; returns what the seed returned."""
        await self.snapshot.restore(photo_dir)
        return self.result


async def seed_in_suite(folder: Path) -> InSuiteDemo:
    """Empty the suite database, seed the demo at SUITE_MOMENT, and keep a snapshot of it."""
    await empty_tables()
    photo_dir = folder / "photos"
    previous_storage = use_storage(LocalDiskStorage(photo_dir))
    previous_clock = clock.use_clock(clock.MovableClock(SUITE_MOMENT))
    try:
        result = await seed_demo()
        clock_after = clock.now()
    finally:
        clock.use_clock(previous_clock)
        use_storage(previous_storage)
    return InSuiteDemo(result, clock_after, await take_snapshot("rs_demo_snapshot", folder, photo_dir))


async def _restore_sqlite(conn: BaseDBAsyncClient, tables: list[str], snapshot: Path) -> None:
    # ATTACH and DETACH cannot stand inside a transaction; the copying can, and is quicker there.
    copy = "".join(f'INSERT INTO main."{t}" SELECT * FROM snapshot."{t}";' for t in tables)
    await conn.execute_script(
        f"PRAGMA foreign_keys=OFF; ATTACH DATABASE '{snapshot}' AS snapshot; BEGIN; {copy} COMMIT;"
        " DETACH DATABASE snapshot; PRAGMA foreign_keys=ON;"
    )


async def _restore_postgres(conn: BaseDBAsyncClient, tables: list[str], schema: str) -> None:
    # Foreign keys are triggers on PostgreSQL; `replica` skips them while the rows go back in any
    # order (the suite connects as the superuser that created its database). Identity sequences
    # were reset by TRUNCATE … RESTART IDENTITY: they move past the restored ids.
    copy = "".join(f'INSERT INTO public."{t}" SELECT * FROM {schema}."{t}";' for t in tables)
    sequences = "".join(
        f"SELECT setval(pg_get_serial_sequence('public.\"{t}\"', '{pk}'),"
        f' COALESCE((SELECT max("{pk}") FROM public."{t}"), 0) + 1, false);'
        for t, pk in _serial_keys(tables)
    )
    await conn.execute_script(
        f"BEGIN; SET LOCAL session_replication_role = replica; {copy} {sequences} COMMIT;"
    )


def _serial_keys(tables: list[str]) -> list[tuple[str, str]]:
    """(table, key column) of the models whose integer key the database numbers."""
    found = []
    for model in Tortoise.apps["models"].values():
        meta = model._meta
        if meta.db_table in tables and meta.pk.generated:
            found.append((meta.db_table, meta.db_pk_column))
    return found
