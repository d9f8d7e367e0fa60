"""Arrears: the office's list of households with bills unpaid past their due date, by compound
and building, and reminders to the household's members — a notification at most once per
period (a unique row per household and period), polite, in Chinese. Never public: staff and
admins of the community only, and the list shows amounts and places, never care tags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.fees import BillState, FeeBill, FeeReminder
from models.people import Membership
from models.places import Building, Community, Compound
from models.reports import Notification
from points_engine.localtime import zone
from runtime import clock
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees import households
from services.fees.money import yuan
from services.fees.periods import Period
from services.notifications import inbox_bus

OPEN_STATES = (BillState.UNPAID, BillState.PART_PAID)


@dataclass(frozen=True)
class Arrear:
    household_id: int
    label: str
    compound_id: int
    building_id: int
    bills: int
    owed_fen: int
    oldest_period: str  # as words: 2026年1月—3月
    oldest_label: str  # as stored: 2026-01~2026-03; a reminder is sent once for it
    oldest_due: date
    reminded_periods: tuple[str, ...]


async def overdue(
    community_id: int, today: date, compound_id: int | None, building_id: int | None
) -> list[Arrear]:
    query = FeeBill.filter(community_id=community_id, state__in=OPEN_STATES, due_date__lt=today)
    if compound_id is not None:
        query = query.filter(compound_id=compound_id)
    if building_id is not None:
        query = query.filter(building_id=building_id)
    rows = await query.order_by("period_start", "id").values(
        "household_id", "compound_id", "building_id", "period_start", "months", "period_label",
        "amount_fen", "paid_fen", "due_date",
    )  # fmt: skip
    grouped: dict[int, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        grouped[int(row["household_id"])].append(row)
    labels = await households.labels(list(grouped))
    reminded: dict[int, list[str]] = defaultdict(list)
    for reminder in await FeeReminder.filter(household_id__in=list(grouped)).values(
        "household_id", "period_label"
    ):
        reminded[reminder["household_id"]].append(reminder["period_label"])
    found = []
    for household_id, bills in grouped.items():
        first = bills[0]
        found.append(
            Arrear(
                household_id=household_id,
                label=labels.get(household_id, ""),
                compound_id=int(str(first["compound_id"])),
                building_id=int(str(first["building_id"])),
                bills=len(bills),
                owed_fen=sum(int(str(b["amount_fen"])) - int(str(b["paid_fen"])) for b in bills),
                oldest_period=Period(first["period_start"], int(str(first["months"]))).words,  # type: ignore[arg-type]
                oldest_label=str(first["period_label"]),
                oldest_due=first["due_date"],  # type: ignore[arg-type]
                reminded_periods=tuple(sorted(reminded[household_id])),
            )
        )
    return sorted(found, key=lambda a: a.label)


async def _today(community_id: int) -> date:
    community = await Community.get(id=community_id)
    return clock.now().astimezone(zone(community.timezone)).date()


async def list_for_office(
    viewer: Viewer, community_id: int, compound_id: int | None = None, building_id: int | None = None
) -> list[Arrear]:
    viewer.require_manager(community_id)
    if compound_id is not None and not await Compound.exists(id=compound_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, "本社区没有这个小区。", "compoundId")
    if building_id is not None and not await Building.exists(id=building_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, "本社区没有这栋楼。", "buildingId")
    return await overdue(community_id, await _today(community_id), compound_id, building_id)


def reminder_text(arrear: Arrear, community_name: str) -> str:
    return (
        f"您好！{community_name}提醒：您家（{arrear.label}）{arrear.oldest_period}起的物业费"
        f"尚有{yuan(arrear.owed_fen)}元未缴。物业服务先服务后收费，感谢您一直以来的理解和支持。"
        "方便时请到社区办公室缴纳，或通过转账缴费；如有困难，欢迎随时与我们联系。"
    )


async def _remind(
    community_id: int, community_name: str, due: list[tuple[Arrear, list[int]]], now: datetime
) -> None:
    await FeeReminder.bulk_create(
        [
            FeeReminder(
                community_id=community_id,
                household_id=arrear.household_id,
                period_label=arrear.oldest_label,
                sent_at=now,
                recipients=len(recipients),
            )
            for arrear, recipients in due
        ]
    )
    await Notification.bulk_create(
        [
            Notification(
                user_id=user_id,
                community_id=community_id,
                event="fee.reminder",
                text=reminder_text(arrear, community_name)[:300],
                created_at=now,
            )
            for arrear, recipients in due
            for user_id in recipients
        ],
        batch_size=500,
    )
    await inbox_bus.announce([user_id for _, recipients in due for user_id in recipients])


async def send_reminders(viewer: Viewer, community_id: int) -> int:
    """Remind every overdue household once for its oldest overdue period; a household reminded
    for that period already is skipped. Returns how many households were reminded now."""
    viewer.require_manager(community_id)
    community = await Community.get(id=community_id)
    today = await _today(community_id)
    arrears = await overdue(community_id, today, None, None)
    members: dict[int, list[int]] = defaultdict(list)
    for row in await Membership.filter(
        community_id=community_id, household_id__in=[a.household_id for a in arrears]
    ).values("household_id", "user_id"):
        members[row["household_id"]].append(row["user_id"])
    now = clock.now()
    due = [
        (arrear, sorted(set(members[arrear.household_id])))
        for arrear in arrears
        if members[arrear.household_id] and arrear.oldest_label not in arrear.reminded_periods
    ]
    try:
        # All at once: a few statements whatever the number of households.
        async with in_transaction():
            await _remind(community_id, community.name, due, now)
        return len(due)
    except IntegrityError:
        pass  # another run reminded some of them a moment ago: one by one, skipping those
    sent = 0
    for one in due:
        try:
            async with in_transaction():
                await _remind(community_id, community.name, [one], now)
            sent += 1
        except IntegrityError:
            continue
    return sent
