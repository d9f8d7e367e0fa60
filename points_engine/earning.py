"""Earning: what each verified event pays, within the daily cap, and what staff enter by hand.

Source keys name the event, so an event delivered twice (a retried approval, a replayed job)
pays once: `attendance:<id>`, `report:<id>:validated`, `repair:<id>:resolved`,
`repair:<id>:rating`, `inspection:<id>`, `ranking:<period>:<user>`.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from models.ledger import AccountKind, PointTransfer, TransferKind
from points_engine import accounts, ledger, rules
from points_engine.errors import ErrorCode, PointsError
from points_engine.ledger import Posted
from points_engine.localtime import local_day, timezone_of
from runtime import clock
from runtime.i18n import N_

REASON_MAX = 200
IDEMPOTENCY_KEY_MAX = 64


async def earn(
    community_id: int,
    user_id: int,
    kind: TransferKind,
    source_key: str,
    price: int,
    rule_version: int,
    memo: str,
    *,
    activity_kind: str | None = None,
    occurred_at: datetime | None = None,
    priced_by: rules.Rules,
) -> Posted | None:
    """Pay `price` points (before multipliers and the daily cap). None when nothing is due."""
    async with in_transaction():
        existing = await PointTransfer.get_or_none(source_key=source_key)
        if existing is not None:
            return Posted(existing, False)
        at = occurred_at or clock.now()
        price = priced_by.multiplied(price, kind, activity_kind, at)
        if price <= 0:
            return None
        member = await accounts.member_account(community_id, user_id)
        assert member is not None
        cap = priced_by.cap(kind)
        zone = await timezone_of(community_id)
        if cap is not None:
            # The member's row lock makes "earned today" and the new earning one step.
            await accounts.lock(member)
            today = local_day(clock.now(), zone)
            # A capped day holds a handful of rows: summing them here is cheap and dialect-free.
            amounts = await PointTransfer.filter(credit_id=member.id, kind=kind, local_day=today).values_list(
                "amount", flat=True
            )
            price = min(price, cap - sum(int(a) for a in amounts))  # type: ignore[call-overload]
            if price <= 0:
                return None
        issuing = await accounts.system_account(community_id, AccountKind.ISSUING)
        return await ledger.post(
            debit=issuing,
            credit=member,
            amount=price,
            kind=kind,
            source_key=source_key,
            memo=memo,
            rule_version=rule_version,
            timezone=zone,
        )


async def attendance_approved(
    community_id: int,
    attendance_id: int,
    user_id: int,
    minutes: int,
    activity_kind: str | None,
    occurred_at: datetime | None = None,
) -> Posted | None:
    current = await rules.current(community_id)
    return await earn(
        community_id,
        user_id,
        TransferKind.ATTENDANCE,
        f"attendance:{attendance_id}",
        current.attendance(minutes),
        current.version,
        f"{minutes} minutes of {activity_kind or 'service'}",
        activity_kind=activity_kind,
        occurred_at=occurred_at,
        priced_by=current,
    )


async def report_validated(
    community_id: int, report_id: int, reporter_user_id: int, occurred_at: datetime | None = None
) -> Posted | None:
    current = await rules.current(community_id)
    return await earn(
        community_id,
        reporter_user_id,
        TransferKind.REPORT,
        f"report:{report_id}:validated",
        current.report_validated,
        current.version,
        f"report {report_id} validated",
        occurred_at=occurred_at,
        priced_by=current,
    )


async def repair_resolved(
    community_id: int,
    report_id: int,
    repairer_user_id: int,
    within_clock: bool,
    occurred_at: datetime | None = None,
) -> Posted | None:
    current = await rules.current(community_id)
    note = "within its clock" if within_clock else "after its clock"
    return await earn(
        community_id,
        repairer_user_id,
        TransferKind.REPAIR,
        f"repair:{report_id}:resolved",
        current.repair(within_clock),
        current.version,
        f"repair of report {report_id} resolved {note}",
        occurred_at=occurred_at,
        priced_by=current,
    )


async def repair_rated(
    community_id: int, report_id: int, repairer_user_id: int, rating: int, occurred_at: datetime | None = None
) -> Posted | None:
    current = await rules.current(community_id)
    return await earn(
        community_id,
        repairer_user_id,
        TransferKind.REPAIR,
        f"repair:{report_id}:rating",
        current.rating_bonus(rating),
        current.version,
        f"repair of report {report_id} rated {rating}",
        occurred_at=occurred_at,
        priced_by=current,
    )


async def inspection_recorded(
    community_id: int, inspection_id: int, cleaner_user_id: int, occurred_at: datetime | None = None
) -> Posted | None:
    current = await rules.current(community_id)
    return await earn(
        community_id,
        cleaner_user_id,
        TransferKind.INSPECTION,
        f"inspection:{inspection_id}",
        current.inspection,
        current.version,
        f"inspection {inspection_id}",
        occurred_at=occurred_at,
        priced_by=current,
    )


async def ranking_bonus(community_id: int, period: str, user_id: int, rank: int) -> Posted | None:
    current = await rules.current(community_id)
    return await earn(
        community_id,
        user_id,
        TransferKind.RANKING,
        f"ranking:{period}:{user_id}",
        current.ranking(rank),
        current.version,
        f"rank {rank} in {period}",
        priced_by=current,
    )


async def report_rejected(community_id: int, report_id: int, actor_user_id: int | None) -> list[Posted]:
    """Take back what a report paid (reporter and repairer). What the member already spent
    cannot be taken; the reversal takes what is left, and the rejection itself never fails."""
    keys = [f"report:{report_id}:validated", f"repair:{report_id}:resolved", f"repair:{report_id}:rating"]
    done: list[Posted] = []
    async with in_transaction():
        paid = await PointTransfer.filter(community_id=community_id, source_key__in=keys).order_by("id")
        for transfer in paid:
            if await PointTransfer.exists(reverses_id=transfer.id):
                continue
            posted = await ledger.reverse(
                community_id,
                transfer.id,
                actor_user_id,
                f"report {report_id} rejected",
                by_hand=False,
                clamp_to_balance=True,
            )
            if posted is not None:
                done.append(posted)
    return done


def _reason(reason: str) -> str:
    cleaned = " ".join((reason or "").split())
    if not 1 <= len(cleaned) <= REASON_MAX:
        raise PointsError(
            ErrorCode.INVALID_INPUT,
            N_("Give a reason of 1 to {reason_max} characters."),
            "reason",
            reason_max=REASON_MAX,
        )
    return cleaned


def _key(idempotency_key: str) -> str:
    if not 1 <= len(idempotency_key or "") <= IDEMPOTENCY_KEY_MAX:
        raise PointsError(
            ErrorCode.INVALID_INPUT,
            N_("The idempotency key must be 1 to {idempotency_key_max} characters."),
            "idempotencyKey",
            idempotency_key_max=IDEMPOTENCY_KEY_MAX,
        )
    return idempotency_key


async def manual(
    community_id: int,
    actor_user_id: int,
    user_id: int,
    amount: int,
    reason: str,
    idempotency_key: str,
    *,
    award: bool,
) -> Posted:
    """Staff award (from the adjustments account) or deduct (back to it), marked as by hand."""
    ledger.check_amount(amount)
    memo, key = _reason(reason), _key(idempotency_key)
    kind = TransferKind.MANUAL_AWARD if award else TransferKind.MANUAL_DEDUCT
    source_key = f"manual:{community_id}:{actor_user_id}:{key}"
    async with in_transaction():
        existing = await PointTransfer.get_or_none(source_key=source_key)
        if existing is not None:
            target = await accounts.member_account(community_id, user_id, create=False)
            touched = existing.credit_id if award else existing.debit_id
            if existing.kind != kind or existing.amount != amount or target is None or target.id != touched:
                # The same key for another person, amount or direction is not a retry.
                raise PointsError(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    N_("This key was used for another change."),
                    "idempotencyKey",
                )
            return Posted(existing, False)
        member = await accounts.member_account(community_id, user_id)
        assert member is not None
        adjustments = await accounts.system_account(community_id, AccountKind.ADJUSTMENTS)
        debit, credit = (adjustments, member) if award else (member, adjustments)
        return await ledger.post(
            debit=debit,
            credit=credit,
            amount=amount,
            kind=kind,
            source_key=source_key,
            memo=memo,
            actor_user_id=actor_user_id,
            by_hand=True,
        )


async def staff_reverse(community_id: int, actor_user_id: int, transfer_id: int, reason: str) -> Posted:
    posted = await ledger.reverse(community_id, transfer_id, actor_user_id, _reason(reason), by_hand=True)
    assert posted is not None
    return posted
