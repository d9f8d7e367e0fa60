"""Households as fees show them: with their full label (休闲小区 1号楼 1单元 101)."""

from __future__ import annotations

from collections.abc import Sequence

from models.places import Household
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode


async def labels(household_ids: Sequence[int]) -> dict[int, str]:
    rows = await Household.filter(id__in=list(set(household_ids))).values(
        "id", "number", "entrance__name", "entrance__building__name", "entrance__building__compound__name"
    )
    return {
        row["id"]: " ".join(
            (
                row["entrance__building__compound__name"],
                row["entrance__building__name"],
                row["entrance__name"],
                row["number"],
            )
        )
        for row in rows
    }


async def get(viewer: Viewer, household_id: int, field: str = "householdId") -> Household:
    """A household of a community the viewer belongs to; any other id is not found."""
    viewer.require_user()
    household = await Household.get_or_none(id=household_id)
    if household is None or not viewer.is_member(household.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such household."), field)
    return household


async def lock(household_id: int) -> None:
    """Inside a transaction: hold the household's row until it ends (PostgreSQL; SQLite lets one
    writer in at a time anyway). A payment's reversal and a hardship reduction of the household
    take it before they read its bills and reductions, so whichever comes second reads what the
    first wrote: a reduction never misses a bill a reversal just opened again, and a reversal
    never misses a reduction granted a moment before. FOR NO KEY UPDATE, so rows that merely
    name the household (a payment, a reduction) are still written meanwhile."""
    await Household.filter(id=household_id).select_for_update(no_key=True).first()
