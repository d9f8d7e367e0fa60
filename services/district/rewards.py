"""The cash rewards of the monthly outpost ranking (排名奖励), in the district's own public accounts.

The district office (its coordinator) records what it paid once a month is over: to whom (a
person on that month's ranking, with the rank they held), for which month, how much (integer
fen). The book is the district's public accounts, readable by anyone without signing in, as a
community's public accounts are on its notice board, and under the same rule: public accounts
name no one. Anyone outside the district's roles sees each line's month, rank, title (快递员),
amount and reversals, with the recipient as initials ("刘**", as a report's reporter appears to
other residents); the district's own role holders, who run the ranking, see the full names.
Never a phone, never who entered it. A payment is written once per person and month (a replay
returns it; a different amount is a conflict); a mistake is a reversal, never an edit, after
which the corrected payment may be recorded.

Ties, the rule the book publishes (TIE_RULE, in the reader's language): the ranking is a
competition ranking (services.district.outpost.ranking): equal points hold the same rank and the
next rank is skipped (1, 2, 2, 4), and each person tied at a rank gets that rank's reward, in
full: no tie is broken by account order or by who was paid first, so two couriers tied second
both get the second prize, and the third prize goes to nobody (there is no third place). It is
the rule of a community's monthly ranking bonus too (points_engine.rules.Rules.ranking). `due`
applies a scale of amounts by rank to a ranking; `pay` refuses to pay someone tied at a rank an
amount other than what another person at that rank was paid.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.district import District, DistrictRoleKind, OutpostReward
from models.people import User
from points_engine.localtime import local_month
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.district import dispatch as flow
from services.district import outpost
from services.district.rollup import month_bounds
from services.district.scope import not_found, out_of_jurisdiction, scope_of
from services.errors import DomainError, ErrorCode
from services.fees.money import yuan
from services.reports.queries import initials

# ¥100,000 at most for one person's monthly reward: a typo of a few zeros is refused, not paid.
MAX_FEN = 10_000_000
# Published with the book (OutpostRewardBook.rule): how ties are paid.
TIE_RULE = N_(
    "Equal points share a rank and the next rank is skipped (1, 2, 2, 4); "
    "everyone tied at a rank gets that rank's reward in full."
)


@dataclass(frozen=True)
class BookLine:
    reward: OutpostReward
    name: str
    title: str
    reversed: bool  # a payment a later row reversed


@dataclass(frozen=True)
class Book:
    month: str
    lines: list[BookLine]

    @property
    def total_fen(self) -> int:
        """What the month's rewards cost the district, reversals netted."""
        return sum(line.reward.amount_fen for line in self.lines)


def due(ranked: Sequence[outpost.RankRow], scale_fen: Sequence[int]) -> list[tuple[outpost.RankRow, int]]:
    """Who a scale of rewards by rank (fen: the first place's, the second's, …) pays, and how
    much: everyone whose rank has an amount, at the amount of their rank, so people tied at a
    rank are paid alike (TIE_RULE). `ranked` is the month's ranking, best first."""
    return [(row, scale_fen[row.rank - 1]) for row in ranked if 1 <= row.rank <= len(scale_fen)]


def _standing(payments: Sequence[OutpostReward], reversed_ids: Collection[object]) -> list[OutpostReward]:
    """The payments no reversal has undone."""
    return [p for p in payments if p.reverses_id is None and p.id not in reversed_ids]


async def _tied_paid(
    district_id: int, month: str, ranked: Sequence[outpost.RankRow], user_id: int
) -> int | None:
    """What the others tied at this person's rank were paid (standing payments), if anyone."""
    rank = next(row.rank for row in ranked if row.user_id == user_id)
    tied = [row.user_id for row in ranked if row.rank == rank and row.user_id != user_id]
    if not tied:
        return None
    rows = await OutpostReward.filter(district_id=district_id, month=month, user_id__in=tied).order_by("id")
    reversed_ids = {r.reverses_id for r in rows if r.reverses_id is not None}
    standing = _standing(rows, reversed_ids)
    return standing[0].amount_fen if standing else None


async def _coordinated(viewer: Viewer, district_id: int) -> District:
    viewer.require_user()
    scope = await scope_of(viewer)
    district = await District.get_or_none(id=district_id)
    if district is None or not scope.in_district(district.id):
        raise not_found("districtId")
    if not scope.coordinates(district.id):
        raise out_of_jurisdiction(N_("Only the district office records the outpost's rewards."), "districtId")
    return district


def _closed_month(district: District, month: str, now: datetime) -> str:
    month_bounds(month, district.timezone)  # a typed error for a malformed month
    if month >= local_month(now, district.timezone):
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Rewards are paid for a month that is over."), "month")
    return month


async def pay(viewer: Viewer, district_id: int, month: str, user_id: int, amount_fen: int) -> BookLine:
    """Record a reward paid to someone on the month's ranking, at the rank they held; its line
    of the month's book."""
    district = await _coordinated(viewer, district_id)
    _closed_month(district, month, clock.now())
    if not 1 <= amount_fen <= MAX_FEN:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Enter an amount from 0.01 to {most} yuan."),
            "amountFen",
            most=MAX_FEN // 100,
        )
    ranking = await outpost.ranking(viewer, district.id, month, limit=500)
    ranked = {row.user_id: row for row in ranking}
    if user_id not in ranked:
        raise DomainError(ErrorCode.NOT_FOUND, N_("This person is not on the month's ranking."), "userId")
    base = f"{district.id}:{month}:{user_id}"
    payments = await OutpostReward.filter(
        district_id=district.id, month=month, user_id=user_id, reverses_id__isnull=True
    ).order_by("id")
    reversed_ids = set(
        await OutpostReward.filter(reverses_id__in=[p.id for p in payments]).values_list(
            "reverses_id", flat=True
        )
    )
    standing = _standing(payments, reversed_ids)
    ranked_row = ranked[user_id]
    if standing:
        if standing[0].amount_fen == amount_fen:
            return BookLine(standing[0], ranked_row.name, ranked_row.title, False)  # a replay
        raise DomainError(
            ErrorCode.CONFLICT,
            N_("This person's reward for the month is recorded already; reverse it first."),
            "userId",
        )
    tied_fen = await _tied_paid(district.id, month, ranking, user_id)
    if tied_fen is not None and tied_fen != amount_fen:
        raise DomainError(
            ErrorCode.CONFLICT,
            N_("Tied at rank {rank}, this person gets what the others at that rank got: {yuan} yuan."),
            "amountFen",
            rank=ranked_row.rank,
            yuan=yuan(tied_fen),
        )
    # After a reversal the corrected payment gets a key of its own: the reversed payment's id.
    key = f"{base}:{payments[-1].id}" if payments else base
    try:
        async with in_transaction():
            row = await OutpostReward.create(
                district_id=district.id,
                month=month,
                user_id=user_id,
                rank=ranked_row.rank,
                amount_fen=amount_fen,
                payment_key=key,
                entered_by_id=viewer.user_id,
                created_at=clock.now(),
            )
    except IntegrityError:
        # Recorded by someone else at the same moment: the book keeps the first.
        raise DomainError(
            ErrorCode.CONFLICT,
            N_("This person's reward for the month is recorded already; reverse it first."),
            "userId",
        ) from None
    return BookLine(row, ranked_row.name, ranked_row.title, False)


async def _line(row: OutpostReward) -> BookLine:
    """A reversal's line of the book: who, as the ranking names them."""
    user = await User.get(id=row.user_id)
    held = await outpost.titles(row.district_id, [row.user_id], DistrictRoleKind.OUTPOST_REPORTER)
    return BookLine(row, user.display_name, held[0]["title"] if held else "", False)


async def reverse(viewer: Viewer, reward_id: int, reason: str) -> BookLine:
    """A payment recorded by mistake: a reversal row with the negative amount, once; its line
    of the month's book."""
    viewer.require_user()
    reward = await OutpostReward.get_or_none(id=reward_id)
    scope = await scope_of(viewer)
    if reward is None or not scope.in_district(reward.district_id):
        raise not_found("outpostRewardId")
    await _coordinated(viewer, reward.district_id)
    flow.clean_text(reason, "reason")
    if reward.reverses_id is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, N_("A reversal cannot be reversed."), "outpostRewardId"
        )
    existing = await OutpostReward.get_or_none(reverses_id=reward.id)
    if existing is not None:
        return await _line(existing)  # a replay
    try:
        async with in_transaction():
            row = await OutpostReward.create(
                district_id=reward.district_id,
                month=reward.month,
                user_id=reward.user_id,
                rank=reward.rank,
                amount_fen=-reward.amount_fen,
                reverses_id=reward.id,
                entered_by_id=viewer.user_id,
                created_at=clock.now(),
            )
    except IntegrityError:
        row = await OutpostReward.get(reverses_id=reward.id)
    return await _line(row)


async def book(viewer: Viewer, district_id: int, month: str) -> Book:
    """The month's rewards, for anyone (signed in or not): the district's role holders see the
    names as on the ranking, everyone else initials; titles for all, never phones."""
    district = await District.get_or_none(id=district_id)
    if district is None:
        raise not_found("districtId")
    month_bounds(month, district.timezone)
    insider = viewer.user is not None and (await scope_of(viewer)).in_district(district.id)
    rows = await OutpostReward.filter(district_id=district.id, month=month).order_by("id")
    ids = sorted({r.user_id for r in rows})
    names = {u["id"]: u["display_name"] for u in await User.filter(id__in=ids).values("id", "display_name")}
    titles = {
        t["user_id"]: t["title"]
        for t in await outpost.titles(district.id, ids, DistrictRoleKind.OUTPOST_REPORTER)
    }
    reversed_ids = {r.reverses_id for r in rows if r.reverses_id is not None}
    return Book(
        month,
        [
            BookLine(
                r,
                names.get(r.user_id, "") if insider else initials(names.get(r.user_id, "")),
                titles.get(r.user_id, ""),
                r.id in reversed_ids,
            )
            for r in rows
        ],
    )
