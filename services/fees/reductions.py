"""Hardship reductions (减免): a percentage off a household's bills whose period starts in its
window. Only staff read the reduction itself (its note may come from a care tag); the household
and its bills show the amount alone.

A reduction reaches every bill of its window: those issued later carry it from the start
(services.fees.billing), and those already issued and still open get an adjustment entry in
the same transaction (services.fees.adjustments.reduce_issued), never an edit of their price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.fees import FeeBill, FeeReduction
from models.places import Household
from runtime import clock
from runtime.i18n import N_
from services import idempotency
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees import adjustments

NOTE_MAX = 200
OPERATION = "feeReductionSet"


@dataclass(frozen=True)
class Granted:
    reduction: FeeReduction
    adjusted: list[FeeBill]  # issued bills it took something off now
    created: bool  # False: a replay of the same idempotency key


def _checked(percent: int, valid_from: date, valid_until: date | None, note: str) -> str:
    if isinstance(percent, bool) or not 1 <= percent <= 100:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("The reduction must be from 1% to 100%."), "percent")
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("The end date must come after the start date."), "validUntil"
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The explanation is at most {note_max} characters."),
            "note",
            note_max=NOTE_MAX,
        )
    return note


async def _replayed(user_id: int, key: str | None, digest: str) -> Granted | None:
    if key is None:
        return None
    first_id = await idempotency.replayed(user_id, key, OPERATION, digest)
    if first_id is None:
        return None
    first = await FeeReduction.get(id=first_id)
    return Granted(first, await adjustments.adjusted_by(first.id), False)


async def set_reduction(
    viewer: Viewer,
    household: Household,
    *,
    percent: int,
    valid_from: date,
    valid_until: date | None,
    note: str,
    idempotency_key: str | None = None,
) -> Granted:
    viewer.require_staff(household.community_id)
    key = idempotency.clean_key(idempotency_key)
    digest = idempotency.input_hash(
        {
            "household": household.id,
            "percent": percent,
            "from": valid_from,
            "until": valid_until,
            "note": note,
        }
    )
    first = await _replayed(viewer.user_id, key, digest)
    if first is not None:
        return first
    note = _checked(percent, valid_from, valid_until, note)
    try:
        async with in_transaction():
            reduction = await FeeReduction.create(
                community_id=household.community_id,
                household_id=household.id,
                percent=percent,
                valid_from=valid_from,
                valid_until=valid_until,
                note=note,
                created_at=clock.now(),
                created_by_id=viewer.user_id,
            )
            adjusted = await adjustments.reduce_issued(reduction, viewer.user_id)
            if key is not None:
                await idempotency.remember(viewer.user_id, key, OPERATION, digest, reduction.id)
    except IntegrityError:
        replayed = await _replayed(viewer.user_id, key, digest)
        if replayed is None:
            raise
        return replayed
    return Granted(reduction, adjusted, True)


async def reductions(viewer: Viewer, community_id: int) -> list[FeeReduction]:
    viewer.require_staff(community_id)
    return await FeeReduction.filter(community_id=community_id).order_by("-id")
