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


def dialect() -> str:
    return str(connections.get("default").capabilities.dialect)


async def ping() -> bool:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True
