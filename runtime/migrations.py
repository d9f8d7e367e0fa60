"""Bring a database to the current schema with aerich, on SQLite and PostgreSQL alike.

aerich writes SQL for one dialect. Our migration files carry the SQL of both dialects
(`UPGRADE = {"sqlite": ..., "postgres": ...}`) and pick by the connection's dialect, so one
ordered history serves the embedded default and production. `redsteward makemigration NAME`
writes such a file; see runtime/migration_author.py.
"""

from __future__ import annotations

from pathlib import Path

from aerich import Command
from tortoise import Tortoise

from runtime.database import APP, tortoise_config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


async def upgrade(database_url: str) -> list[str]:
    """Apply every migration the database has not seen; returns the files applied."""
    command = Command(tortoise_config=tortoise_config(database_url), app=APP, location=str(MIGRATIONS_DIR))
    try:
        await command.init()
        applied = await command.upgrade(run_in_transaction=True)
    finally:
        await Tortoise.close_connections()
    return applied


def migration_files() -> list[Path]:
    folder = MIGRATIONS_DIR / APP
    files = [p for p in folder.glob("*.py") if p.stem.split("_", 1)[0].isdigit()]
    return sorted(files, key=lambda p: int(p.stem.split("_", 1)[0]))
