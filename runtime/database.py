"""Tortoise configuration and the connection lifecycle, shared by the server, the CLI and tests."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from tortoise import Tortoise, connections
from tortoise.models import Model

from models import MODEL_MODULES

APP = "models"
M = TypeVar("M", bound=Model)


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            APP: {"models": [*MODEL_MODULES, "aerich.models"], "default_connection": "default"},
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str) -> None:
    # The global fallback lets code outside the initialising task (Starlette handlers,
    # background jobs) see the connections; tortoise 1.x keeps them in context variables.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await connections.close_all()


# The one place that asks which database runs: raw SQL differs between the two only in its
# placeholders and a few statements PostgreSQL alone has (NOTIFY, ANALYZE).


def dialect() -> str:
    """The default connection's dialect: "postgres" or "sqlite"."""
    return str(connections.get("default").capabilities.dialect)


def is_postgres() -> bool:
    return dialect() == "postgres"


def placeholder(index: int) -> str:
    """The SQL placeholder of the index-th parameter (1-based): $1 on PostgreSQL, ? on SQLite,
    where parameters bind in the order they stand in the text."""
    return f"${index}" if is_postgres() else "?"


def numbered_placeholder(index: int) -> str:
    """A numbered placeholder, which may stand in a statement more than once ($1 / ?1)."""
    return f"${index}" if is_postgres() else f"?{index}"


async def ping() -> bool:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True


# Hand-written statements for the hot write paths. Each statement through tortoise's query
# builder costs ~0.4–0.7 ms of worker CPU however simple (pypika building it, values converted
# field by field, a model made per row); the same statement as text with its values costs the
# driver's share only. They are written once, with PostgreSQL's numbered placeholders ($1, $2, …,
# each may stand more than once), and run on either database.

_DOLLAR = re.compile(r"\$(\d+)")


@lru_cache(maxsize=512)
def _sqlite_placeholders(sql: str) -> str:
    return _DOLLAR.sub(r"?\1", sql)


def in_dialect(sql: str) -> str:
    """A statement written with $1, $2, … as the running database takes it (SQLite: ?1, ?2, …)."""
    return sql if is_postgres() else _sqlite_placeholders(sql)


async def fetch(sql: str, values: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of a statement written with $n placeholders (a SELECT, or a write with
    RETURNING), on the current transaction's connection if there is one."""
    return await connections.get("default").execute_query_dict(in_dialect(sql), list(values))


async def execute(sql: str, values: Sequence[Any]) -> int:
    """Run a write written with $n placeholders (no RETURNING); the number of rows it changed."""
    changed, _ = await connections.get("default").execute_query(in_dialect(sql), list(values))
    return int(changed)


@lru_cache(maxsize=64)
def columns(model: type[Model], alias: str) -> str:
    """Every column of `model` from the table aliased `alias`, each as "<alias>__<column>", for
    `row_of` to make the model back from a joined record."""
    return ", ".join(
        f'{alias}."{column}" AS "{alias}__{column}"' for column in model._meta.fields_db_projection.values()
    )


@lru_cache(maxsize=64)
def _keys(model: type[Model], alias: str) -> tuple[tuple[str, str], ...]:
    return tuple((f"{alias}__{column}", column) for column in model._meta.fields_db_projection.values())


def row_of(model: type[M], record: Mapping[str, Any], alias: str) -> M | None:
    """The `model` selected with `columns(model, alias)`; None where a left join found none."""
    values = {column: record[key] for key, column in _keys(model, alias)}
    if values[model._meta.db_pk_column] is None:
        return None
    return model._init_from_db(**values)


@lru_cache(maxsize=64)
def _insert_plan(model: type[Model], unique: tuple[str, ...] = ()) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The INSERT of one row of `model` with every column but its generated key, RETURNING
    that key, and each column's field (whose to_db_value the ORM would have applied). With
    `unique` (the columns of a unique key) a row that key already holds makes it do nothing."""
    meta = model._meta
    pk = meta.db_pk_column
    plan = tuple(
        (column, meta.fields_map[name]) for name, column in meta.fields_db_projection.items() if column != pk
    )
    names = ", ".join(f'"{column}"' for column, _ in plan)
    marks = ", ".join(f"${i}" for i in range(1, len(plan) + 1))
    conflict = ""
    if unique:
        conflict = " ON CONFLICT (" + ", ".join(f'"{column}"' for column in unique) + ") DO NOTHING"
    sql = f'INSERT INTO "{meta.db_table}" ({names}) VALUES ({marks}){conflict} RETURNING "{pk}"'  # noqa: S608 - names of the model only
    return sql, plan


async def insert(model: type[M], values: Mapping[str, Any]) -> M:
    """Insert one row of `model` in one hand-written statement, `values` by column name (every
    column but the key: the models' defaults are Python's, not the database's), and return it
    as the ORM reads it back."""
    made = await _insert(model, values, ())
    assert made is not None
    return made


async def insert_new(model: type[M], values: Mapping[str, Any], unique: tuple[str, ...]) -> M | None:
    """`insert`, or None when a row with the same `unique` key is there (committed first by a
    concurrent transaction, on PostgreSQL after waiting for it): no error, which on PostgreSQL
    would abort the transaction, so no savepoint is needed around it."""
    return await _insert(model, values, unique)


async def _insert(model: type[M], values: Mapping[str, Any], unique: tuple[str, ...]) -> M | None:
    sql, plan = _insert_plan(model, unique)
    # As the ORM does: the value as the model holds it (a datetime in UTC), then as stored.
    held = {column: field.to_python_value(values[column]) for column, field in plan}
    inserted = await fetch(sql, [field.to_db_value(held[column], model) for column, field in plan])
    if not inserted:
        return None
    return model._init_from_db(**{model._meta.db_pk_column: inserted[0][model._meta.db_pk_column]}, **held)


@lru_cache(maxsize=128)
def _insert_many_sql(model: type[Model], count: int) -> str:
    sql, plan = _insert_plan(model)
    width = len(plan)
    head = sql[: sql.index(" VALUES ")]
    rows = ", ".join(
        "(" + ", ".join(f"${row * width + i}" for i in range(1, width + 1)) + ")" for row in range(count)
    )
    return f"{head} VALUES {rows}"


async def insert_many(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows of `model` in one hand-written statement, each as `insert` takes it."""
    if not rows:
        return
    _, plan = _insert_plan(model)
    values = [
        field.to_db_value(field.to_python_value(row[column]), model) for row in rows for column, field in plan
    ]
    await execute(_insert_many_sql(model, len(rows)), values)


@lru_cache(maxsize=64)
def _by_id_sql(model: type[Model]) -> str:
    meta = model._meta
    return f'SELECT {columns(model, "t")} FROM "{meta.db_table}" t WHERE t."{meta.db_pk_column}" = $1'  # noqa: S608 - names of the model only


async def by_id(model: type[M], row_id: int) -> M | None:
    """The row of `model` with this key, read by a hand-written statement (as `get_or_none(id=…)`
    reads it, without pypika building the statement each time)."""
    found = await fetch(_by_id_sql(model), [row_id])
    return row_of(model, found[0], "t") if found else None
