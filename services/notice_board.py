"""The community notice board: what it shows, and which parts anyone may see without signing in.

The civilized-corridor flag and the month's top volunteers belong to the leaderboard work (issue
6), built elsewhere. The board reads them through `flag_holder` and `top_volunteers` below, which
return "not yet awarded" (None / []) until that work connects its own source here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.open_books import BoardPublicity
from models.places import Community
from models.reports import Report
from points_engine import statements
from points_engine.localtime import local_month
from runtime import clock
from runtime.i18n import N_
from services import mediation_room, open_books, opinions, satisfaction
from services.access import Viewer
from services.corridor_flag import previous_month
from services.errors import DomainError, ErrorCode
from services.fees import collection_rate

SECTIONS = ("flag", "volunteers", "repairs", "satisfaction", "accounts")


@dataclass(frozen=True)
class FlagHolder:
    """Who holds the civilized-corridor flag this month, and why."""

    place_name: str  # the full label, e.g. "休闲小区 4号楼 2单元"
    reason: str


@dataclass(frozen=True)
class TopVolunteer:
    display_name: str  # as the volunteer chose to be shown (the board issue's privacy choice)
    minutes: int


# The leaderboard work sets these (community id, month) → answer. Until then: not yet awarded.
FlagSource = Callable[[int, str], Awaitable[FlagHolder | None]]
VolunteerSource = Callable[[int, str], Awaitable[list[TopVolunteer]]]


async def _no_flag_yet(community_id: int, month: str) -> FlagHolder | None:
    return None


async def _no_volunteers_yet(community_id: int, month: str) -> list[TopVolunteer]:
    return []


flag_source: FlagSource = _no_flag_yet
volunteer_source: VolunteerSource = _no_volunteers_yet


async def flag_holder(community_id: int, month: str) -> FlagHolder | None:
    return await flag_source(community_id, month)


async def top_volunteers(community_id: int, month: str) -> list[TopVolunteer]:
    return await volunteer_source(community_id, month)


@dataclass(frozen=True)
class Publicity:
    flag: bool = False
    volunteers: bool = False
    repairs: bool = False
    satisfaction: bool = False
    accounts: bool = False


@dataclass(frozen=True)
class RepairsDone:
    month: str
    done: int  # resolved in the month (fixed, whether confirmed yet or not)
    on_time: int  # of those, fixed before the resolution clock ran out

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.done, 1) if self.done else None


@dataclass(frozen=True)
class Board:
    community: Community
    month: str
    publicity: Publicity
    visible: frozenset[str]  # the SECTIONS this viewer may see
    flag: FlagHolder | None
    volunteers: list[TopVolunteer] | None
    repairs: RepairsDone | None
    satisfaction: list[satisfaction.MonthSatisfaction] | None
    opinions: opinions.OpinionCounts | None
    statement: open_books.Statement | None
    economy: statements.Economy | None
    # Property fees' collection rate by month of the board's year (part of the public accounts).
    fee_rates: list[collection_rate.Rate] | None = None
    # Mediation cases settled in the board's year, by category (no names), beside the opinions.
    mediation: mediation_room.SettledCounts | None = None
    # The month the volunteers are of: the board's, or the one before while the board's own
    # month has no approved service time yet (its first days, before captains approve).
    volunteers_month: str = ""


async def publicity(community_id: int) -> Publicity:
    row = await BoardPublicity.get_or_none(community_id=community_id)
    if row is None:
        return Publicity()
    return Publicity(**{name: bool(getattr(row, name)) for name in SECTIONS})


async def set_publicity(viewer: Viewer, community_id: int, chosen: Publicity) -> Publicity:
    viewer.require_manager(community_id)
    values = {name: getattr(chosen, name) for name in SECTIONS}
    async with in_transaction():
        updated = await BoardPublicity.filter(community_id=community_id).update(
            **values, updated_at=clock.now()
        )
        if not updated:
            await BoardPublicity.create(community_id=community_id, updated_at=clock.now(), **values)
    return await publicity(community_id)


async def repairs_done(community_id: int, month: str) -> RepairsDone:
    timezone = (await Community.get(id=community_id)).timezone
    rows = await Report.filter(community_id=community_id, resolved_at__not_isnull=True).values(
        "resolved_at", "resolve_due_at"
    )
    in_month = [r for r in rows if local_month(r["resolved_at"], timezone) == month]
    on_time = sum(1 for r in in_month if r["resolved_at"] <= r["resolve_due_at"])
    return RepairsDone(month, len(in_month), on_time)


async def community_of(community_id: int) -> Community:
    return await Community.get(id=community_id)


async def community_by_slug(slug: str) -> Community:
    community = await Community.get_or_none(slug=slug)
    if community is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such community."), "slug")
    return community


async def board(community: Community, viewer: Viewer, month: str | None = None) -> Board:
    """Members see every section; anyone else sees the sections the community made public."""
    shown = await publicity(community.id)
    member = viewer.is_member(community.id)

    def visible(section: str) -> bool:
        return member or bool(getattr(shown, section))

    at = month or local_month(clock.now(), community.timezone)
    open_books.check_month(at)
    volunteers, volunteers_month = None, at
    if visible("volunteers"):
        volunteers = await top_volunteers(community.id, at)
        if not volunteers and month is None:
            # A month's first days have no approved time: the current board shows last month's
            # stars, named by their month, rather than an empty section.
            volunteers_month = previous_month(at)
            volunteers = await top_volunteers(community.id, volunteers_month)
    return Board(
        community=community,
        month=at,
        publicity=shown,
        visible=frozenset(section for section in SECTIONS if visible(section)),
        flag=await flag_holder(community.id, at) if visible("flag") else None,
        volunteers=volunteers,
        volunteers_month=volunteers_month,
        repairs=await repairs_done(community.id, at) if visible("repairs") else None,
        satisfaction=await satisfaction.by_month(None, community.id, at[:4])
        if visible("satisfaction")
        else None,
        opinions=await opinions.counts(None, community.id) if visible("satisfaction") else None,
        mediation=await mediation_room.counts(community.id, int(at[:4]), community.timezone)
        if visible("satisfaction")
        else None,
        statement=await open_books.statement(None, community.id, at) if visible("accounts") else None,
        economy=await statements.economy(community.id) if visible("accounts") else None,
        fee_rates=await collection_rate.rates(
            community.id,
            community.name,
            int(at[:4]),
            collection_rate.Scope.COMMUNITY,
            collection_rate.Granularity.MONTH,
        )
        if visible("accounts")
        else None,
    )
