"""The one conditional state change every clocked workflow goes through.

`UPDATE … SET state = :to, … WHERE id = :id AND state IN (:allowed)`: the row count says whether
this call won, so two people acting at once (two repairers claiming, a liaison and the clock)
leave exactly one winner on PostgreSQL and SQLite alike. Community reports and the district's
dispatches (services.district) both move this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

from tortoise.models import Model

from runtime import clock

M = TypeVar("M", bound=Model)


async def conditional_move(
    model: type[M], row_id: int, allowed: Sequence[StrEnum], to: StrEnum, **changes: Any
) -> M | None:
    """Move the row to `to` if it still is in one of `allowed`; None when another call won."""
    moved = await model.filter(id=row_id, state__in=list(allowed)).update(
        state=to, updated_at=clock.now(), **changes
    )
    return await model.get(id=row_id) if moved else None
