"""What a database's schema actually is: tables, columns, indexes, read from the database."""

from __future__ import annotations

import sqlite3

import asyncpg

Schema = dict[str, object]


def sqlite_schema(path: str) -> Schema:
    conn = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        result: Schema = {}
        for table in tables:
            columns = sorted(
                (name, col_type.upper(), bool(notnull), bool(pk))
                for _, name, col_type, notnull, _default, pk in conn.execute(f'PRAGMA table_info("{table}")')
            )
            indexes = sorted(
                (bool(unique), tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')))
                for _, name, unique, *_ in conn.execute(f'PRAGMA index_list("{table}")')
            )
            foreign_keys = sorted(
                (r[3], r[2], r[4], r[6]) for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')
            )
            result[table] = {"columns": columns, "indexes": indexes, "foreign_keys": foreign_keys}
        return result
    finally:
        conn.close()


async def postgres_schema(url: str) -> Schema:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        columns = await conn.fetch(
            "SELECT table_name, column_name, data_type, is_nullable, character_maximum_length, "
            "numeric_precision, numeric_scale FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, column_name"
        )
        indexes = await conn.fetch(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "ORDER BY tablename, indexdef"
        )
        constraints = await conn.fetch(
            "SELECT conrelid::regclass::text AS t, contype, pg_get_constraintdef(oid) AS def "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2, 3"
        )
    finally:
        await conn.close()
    result: dict[str, dict[str, list[tuple[object, ...]]]] = {}
    for row in columns:
        table = result.setdefault(row["table_name"], {"columns": [], "indexes": [], "constraints": []})
        table["columns"].append(tuple(row.values())[1:])
    for row in indexes:
        # Index names are generated; their definitions (columns, uniqueness) are what matters.
        definition = row["indexdef"].split(" ON ", 1)[1]
        result[row["tablename"]]["indexes"].append((row["indexdef"].startswith("CREATE UNIQUE"), definition))
    for row in constraints:
        result[row["t"].strip('"')]["constraints"].append((row["contype"], row["def"]))
    return {name: {k: sorted(v) for k, v in table.items()} for name, table in result.items()}
