"""Tortoise configuration and the connection lifecycle, shared by the server, the CLI and tests."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise, connections

from models import MODEL_MODULES

APP = "models"


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
