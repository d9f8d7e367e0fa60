"""Reaching the PostgreSQL server for tests: fresh databases, and skipping only when none answers."""

from __future__ import annotations

import os
import uuid

import asyncpg
import pytest

ADMIN_URL = os.environ.get("RS_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")


def required() -> bool:
    """CI sets RS_REQUIRE_POSTGRES=1: then a missing server fails the run instead of skipping."""
    return os.environ.get("RS_REQUIRE_POSTGRES", "").strip() in {"1", "true", "yes"}


def _asyncpg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def server_answers() -> bool:
    try:
        conn = await asyncpg.connect(_asyncpg_url(ADMIN_URL), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


async def skip_unless_server() -> None:
    if not await server_answers():
        if required():
            pytest.fail(f"RS_REQUIRE_POSTGRES is set but no PostgreSQL answers at {ADMIN_URL}")
        pytest.skip(f"no PostgreSQL server answers at {ADMIN_URL}")


async def create_database(prefix: str = "rs_test", template: str | None = None) -> str:
    """A new empty database, or a copy of the database at the URL `template` (which nobody may be
    connected to); returns its tortoise URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    copying = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
    conn = await asyncpg.connect(_asyncpg_url(ADMIN_URL))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"{copying}')
    finally:
        await conn.close()
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_asyncpg_url(ADMIN_URL))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def without_commit_flush(url: str) -> None:
    """Commits in the database at `url` no longer wait for the WAL to reach the disk
    (`synchronous_commit = off`, for new connections to it only): what a commit makes visible is
    the same, only a crash of the server itself could lose the last ones. For the suite's own
    throwaway database, never the fault harness's."""
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_asyncpg_url(ADMIN_URL))
    try:
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await conn.close()
