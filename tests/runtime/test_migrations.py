"""`redsteward migrate` brings fresh SQLite and PostgreSQL databases to exactly the schema the
models describe; the migration history has no drift from the models."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from aerich.utils import decompress_dict, get_models_describe

from runtime.migrations import migration_files
from tests.support import postgres
from tests.support.schema import postgres_schema, sqlite_schema

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RS_DATABASE_URL": database_url, "RS_LANGUAGE": "en"}  # "applied …" is read
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True, timeout=120
    )


def render_models_sql(database_url: str) -> str:
    """The CREATE statements tortoise writes for the current models in the URL's dialect,
    rendered by a child process so this session's own connection is untouched."""
    render = subprocess.run(
        [sys.executable, "-c", _RENDER_SQL, database_url], capture_output=True, text=True, timeout=120
    )
    assert render.returncode == 0, render.stderr
    return render.stdout


def test_every_model_change_is_recorded_in_a_migration() -> None:
    """The state aerich recorded with the newest migration equals what the models describe now;
    a model edited without `redsteward makemigration` fails here."""
    newest = migration_files()[-1]
    namespace: dict[str, object] = {}
    exec(compile(newest.read_text(), str(newest), "exec"), namespace)  # noqa: S102 - our own file
    recorded = decompress_dict("".join(namespace["MODELS_STATE"]))  # type: ignore[arg-type]
    # Through JSON, as aerich stores it: tuples become lists.
    current = json.loads(json.dumps(get_models_describe("models"), default=str))
    assert recorded.keys() == current.keys(), "models added or removed without a migration"
    for name in current:
        assert recorded[name] == current[name], f"{name} changed without a migration"


@pytest.mark.own_sqlite
def test_migrate_brings_a_fresh_sqlite_file_to_the_models_schema(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    result = run_cli("migrate", database_url=f"sqlite://{migrated}")
    assert result.returncode == 0, result.stderr
    assert "applied 0_" in result.stdout

    generated = tmp_path / "generated.sqlite3"
    conn = sqlite3.connect(generated)
    conn.executescript(render_models_sql(f"sqlite://{tmp_path / 'scratch.sqlite3'}"))
    conn.close()

    assert sqlite_schema(str(migrated)) == sqlite_schema(str(generated))


@pytest.mark.own_sqlite
def test_migrating_again_applies_nothing(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert run_cli("migrate", database_url=url).returncode == 0
    again = run_cli("migrate", database_url=url)
    assert again.returncode == 0
    assert "(0 applied" in again.stdout


@pytest.mark.postgres
async def test_migrate_brings_a_fresh_postgres_database_to_the_models_schema(pg_url: str) -> None:
    result = run_cli("migrate", database_url=pg_url)
    assert result.returncode == 0, result.stderr
    migrated = await postgres_schema(pg_url)

    generated_url = await postgres.create_database("rs_generated")
    try:
        conn = await asyncpg.connect(generated_url.replace("postgres://", "postgresql://", 1))
        try:
            await conn.execute(render_models_sql(generated_url))
        finally:
            await conn.close()
        generated = await postgres_schema(generated_url)
    finally:
        await postgres.drop_database(generated_url)

    assert migrated == generated


_RENDER_SQL = """
import asyncio, sys
from tortoise import Tortoise, connections
from tortoise.utils import get_schema_sql
from runtime.database import tortoise_config

async def main(url):
    await Tortoise.init(config=tortoise_config(url))
    print(get_schema_sql(connections.get("default"), safe=False))
    await Tortoise.close_connections()

asyncio.run(main(sys.argv[1]))
"""
