"""Signals that someone games the points economy, raised for the community office to judge.

Three signals, each computed from facts the database already holds, inside the transaction of
the event that raised it (so a flag and the change that tripped it commit together):

- **pairing**: the same two people, one reporting and the other repairing (either way round),
  with at least `abuse_pair_repairs` confirmed repairs within `abuse_pair_days`. Two neighbours
  fixing each other's things twice is ordinary life; the default threshold is three.
- **self-dealing**: a repairer's fix of a report by (or for) themselves or their own household.
- **report burst**: at least `abuse_burst_reports` reports by one account within
  `abuse_burst_hours` (staff taking calls for others are exempt). Report points are capped per
  day, so a burst costs the economy little; the flag is for staff to look at the reports.

What a flag does to money, on purpose kept simple: the repair that trips a pairing or
self-dealing flag, and every later repair of the same people while the flag is open, is *held*:
its points are not paid, and staff see them with the flag. Dismissing the flag pays what was
held through the points engine, under the repair's own source keys, so it is paid exactly once
however often the decision is retried. Confirming forfeits what was held. Points paid before the
flag existed stay paid and are shown as evidence; taking them back is a deliberate staff act
(`pointsDeduct`), never automatic. After a decision, a pair is judged again only on repairs
confirmed after it, so a dismissed pair is not flagged again for the same history.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.abuse import AbuseFlag, AbuseFlagReport, AbuseFlagState, AbuseSignal
from models.enums import Role
from models.ledger import PointTransfer
from models.people import Membership, MembershipRole
from models.reports import Report, ReportState
from points_engine import earning, rules
from points_engine.errors import PointsError
from runtime import clock
from runtime.database import fetch
from runtime.i18n import N_
from runtime.labels import word
from runtime.settings import get_settings
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.events import DomainEvent

log = logging.getLogger("redsteward.abuse")

# A burst flag lists the most recent reports; staff need examples, not every row.
MAX_EVIDENCE = 50
NOTE_MAX = 500


@dataclass(frozen=True)
class FlagPage:
    flags: list[AbuseFlag]
    has_next: bool
    total: int


def _int(data: Mapping[str, Any], name: str) -> int | None:
    value = data.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def _open_flag(
    community_id: int, signal: AbuseSignal, user_id: int, partner_id: int | None, detail: str, now: datetime
) -> AbuseFlag:
    """The open flag of these people for this signal, created if there is none."""
    key = f"{signal}:{user_id}:{partner_id or ''}"
    existing = await AbuseFlag.get_or_none(open_key=key)
    if existing is None:
        try:
            async with in_transaction():  # a savepoint: losing the race must not abort the caller
                return await AbuseFlag.create(
                    community_id=community_id,
                    signal=signal,
                    user_id=user_id,
                    partner_id=partner_id,
                    open_key=key,
                    detail=detail,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            existing = await AbuseFlag.get(open_key=key)
    await AbuseFlag.filter(id=existing.id).update(detail=detail, updated_at=now)
    return existing


async def _attach(
    flag: AbuseFlag, report_ids: Sequence[int], held: Mapping[int, tuple[bool, int | None]]
) -> None:
    """Add reports as evidence; `held` maps the report whose payment is withheld to what pays it."""
    known = set(await AbuseFlagReport.filter(flag_id=flag.id).values_list("report_id", flat=True))
    for report_id in report_ids:
        if report_id in known:
            continue
        within, rating = held.get(report_id, (False, None))
        await AbuseFlagReport.create(
            flag_id=flag.id, report_id=report_id, held=report_id in held, within_clock=within, rating=rating
        )


# Raising -------------------------------------------------------------------------------------


# Hand-written: every report filed counts here (the ORM's count cost ~0.4 ms of worker CPU more).
_BURST_COUNT = (
    'SELECT COUNT(*) AS "n" FROM "report" '
    'WHERE "community_id" = $1 AND "reporter_id" = $2 AND "created_at" > $3'
)


async def on_report_opened(event: DomainEvent) -> None:
    reporter = _int(event.data, "reporter_user_id")
    if reporter is None:
        return
    settings = get_settings()
    since = event.occurred_at - timedelta(hours=settings.abuse_burst_hours)
    # The count first: below the burst nothing follows, so a filing pays one statement here, not
    # three (whether the reporter is staff, and the evidence, matter only past the burst).
    counted = await fetch(_BURST_COUNT, [event.community_id, reporter, since])
    count = int(counted[0]["n"])
    if count < settings.abuse_burst_reports:
        return
    staff = MembershipRole.filter(
        community_id=event.community_id, role=Role.STAFF, membership__user_id=reporter
    )
    if await staff.exists():
        return
    recent = (
        await Report.filter(community_id=event.community_id, reporter_id=reporter, created_at__gt=since)
        .order_by("-id")
        .limit(MAX_EVIDENCE)
        .values_list("id", flat=True)
    )
    detail = f"{count} reports in {settings.abuse_burst_hours} hours."
    flag = await _open_flag(
        event.community_id, AbuseSignal.REPORT_BURST, reporter, None, detail, event.occurred_at
    )
    await _attach(flag, [int(r) for r in recent], {})  # type: ignore[call-overload]


async def hold_repair(event: DomainEvent) -> bool:
    """Called on `report.confirmed` before the repairer is paid: raise pairing or self-dealing
    flags, and say whether this repair's points must be held for staff."""
    repairer = _int(event.data, "repairer_user_id")
    beneficiary = _int(event.data, "proxy_for_user_id") or _int(event.data, "reporter_user_id")
    if repairer is None or beneficiary is None:
        return False
    within = bool(event.data.get("within_clock", False))
    rating = _int(event.data, "rating")
    held = {event.subject_id: (within, rating)}
    now = event.occurred_at
    if repairer == beneficiary or await _same_household(event.community_id, repairer, beneficiary):
        detail = "The repairer fixed a report of their own household."
        flag = await _open_flag(
            event.community_id, AbuseSignal.SELF_DEALING, repairer, beneficiary, detail, now
        )
        await _attach(flag, [event.subject_id], held)
        return True
    low, high = sorted((repairer, beneficiary))
    pair_key = f"{AbuseSignal.PAIRING}:{low}:{high}"
    open_flag = await AbuseFlag.get_or_none(open_key=pair_key)
    repairs = await _pair_repairs(event.community_id, low, high, now)
    if open_flag is None and len(repairs) < get_settings().abuse_pair_repairs:
        return False
    days = get_settings().abuse_pair_days
    detail = f"{len(repairs)} confirmed repairs between the same two people in {days} days."
    # The partner is the lower id and the user the higher, so either direction finds one flag.
    flag = await _open_flag(event.community_id, AbuseSignal.PAIRING, high, low, detail, now)
    await _attach(flag, repairs, held)
    return True


async def _same_household(community_id: int, one: int, other: int) -> bool:
    households = await Membership.filter(
        community_id=community_id, user_id__in=[one, other], household_id__isnull=False
    ).values_list("household_id", flat=True)
    return len(households) == 2 and households[0] == households[1]


async def _pair_repairs(community_id: int, low: int, high: int, now: datetime) -> list[int]:
    """Confirmed repairs between the two within the window, after the pair's last decision."""
    since = now - timedelta(days=get_settings().abuse_pair_days)
    decided = (
        await AbuseFlag.filter(
            community_id=community_id,
            signal=AbuseSignal.PAIRING,
            user_id=high,
            partner_id=low,
            decided_at__isnull=False,
        )
        .order_by("-decided_at")
        .first()
    )
    if decided is not None and decided.decided_at is not None:
        since = max(since, decided.decided_at)
    between = Q(reporter_id=low, claimed_by_id=high) | Q(reporter_id=high, claimed_by_id=low)
    between |= Q(proxy_for_id=low, claimed_by_id=high) | Q(proxy_for_id=high, claimed_by_id=low)
    rows = await Report.filter(
        between, community_id=community_id, state=ReportState.CONFIRMED, closed_at__gt=since
    ).values_list("id", flat=True)
    return sorted(int(r) for r in rows)  # type: ignore[call-overload]


# Reading and deciding --------------------------------------------------------------------------


async def list_flags(
    viewer: Viewer, community_id: int, state: AbuseFlagState | None, first: int, after: int | None
) -> FlagPage:
    viewer.require_staff(community_id)
    rows = AbuseFlag.filter(community_id=community_id)
    if state is not None:
        rows = rows.filter(state=state)
    total = await rows.count()
    if after is not None:
        rows = rows.filter(id__lt=after)
    page = await rows.order_by("-id").limit(first + 1)
    return FlagPage(page[:first], len(page) > first, total)


async def get_flag(viewer: Viewer, flag_id: int) -> AbuseFlag:
    flag = await AbuseFlag.get_or_none(id=flag_id)
    if flag is None or not viewer.is_staff(flag.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No flag has this id."), "flagId")
    return flag


async def decide(viewer: Viewer, flag_id: int, confirm: bool, note: str) -> AbuseFlag:
    """Close an open flag. Dismissing pays what it held, exactly once; a retried decision
    returns the flag as it was decided."""
    flag = await get_flag(viewer, flag_id)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Keep the note under {note_max} characters."),
            "note",
            note_max=NOTE_MAX,
        )
    to = AbuseFlagState.CONFIRMED if confirm else AbuseFlagState.DISMISSED
    now = clock.now()
    async with in_transaction():
        won = await AbuseFlag.filter(id=flag.id, state=AbuseFlagState.OPEN).update(
            state=to,
            open_key=None,
            decided_by_id=viewer.user_id,
            decided_at=now,
            decision_note=note,
            updated_at=now,
        )
        if not won:
            decided = await AbuseFlag.get(id=flag.id)
            if decided.state is to:
                return decided
            raise DomainError(
                ErrorCode.ALREADY_DECIDED,
                N_("This flag was already {state}."),
                "flagId",
                state=word(decided.state),
            )
        if to is AbuseFlagState.DISMISSED:
            await _release(flag, now)
    return await AbuseFlag.get(id=flag.id)


async def _release(flag: AbuseFlag, now: datetime) -> None:
    held = await AbuseFlagReport.filter(flag_id=flag.id, held=True, released_at__isnull=True)
    for row in held:
        report = await Report.get(id=row.report_id)
        if report.claimed_by_id is None:
            continue
        try:
            await earning.repair_resolved(
                flag.community_id, report.id, report.claimed_by_id, row.within_clock
            )
            if row.rating is not None:
                await earning.repair_rated(flag.community_id, report.id, report.claimed_by_id, row.rating)
        except PointsError as exc:
            # A repairer who left the community is paid nothing, as for any earning; the
            # dismissal itself stands.
            log.warning("held points not paid", extra={"code": str(exc.code)})
            continue
        await AbuseFlagReport.filter(id=row.id).update(released_at=now)


async def held_prices(community_id: int, links: Sequence[AbuseFlagReport]) -> dict[int, int]:
    """What dismissing would pay for each held, unreleased repair, by today's rules (before any
    multiplier in force when it is paid)."""
    if not any(link.held and link.released_at is None for link in links):
        return {}
    current = await rules.current(community_id)
    return {
        link.id: current.repair(link.within_clock)
        + (0 if link.rating is None else current.rating_bonus(link.rating))
        for link in links
        if link.held and link.released_at is None
    }


async def points_paid(report_ids: Sequence[int]) -> dict[int, int]:
    """What each report has paid so far (the report's and its repair's earnings)."""
    keys = {f"report:{r}:validated": r for r in report_ids}
    keys |= {f"repair:{r}:resolved": r for r in report_ids} | {f"repair:{r}:rating": r for r in report_ids}
    paid = dict.fromkeys(report_ids, 0)
    rows = await PointTransfer.filter(source_key__in=list(keys)).values_list("source_key", "amount")
    for key, amount in rows:
        paid[keys[str(key)]] += int(amount)
    return paid
