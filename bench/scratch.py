"""Scratch PostgreSQL databases for the benchmarks: each run builds its data in a database of
its own (created from an admin URL) and drops it at the end, whatever happened."""

from __future__ import annotations

import uuid


async def scratch_pg(admin_url: str) -> str:
    import asyncpg

    name = f"rs_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    # Keep a query string: `?host=/var/run/postgresql` names a Unix socket directory.
    base, sep, query = admin_url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + sep + query


async def drop_pg(admin_url: str, url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))
    await conn.execute(f'DROP DATABASE IF EXISTS "{url.partition("?")[0].rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()
