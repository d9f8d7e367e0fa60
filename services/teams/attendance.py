"""Check-in, check-out, the captain's decision, the closing job and service hours.

One attendance per volunteer and activity (a unique key), so a second check-in, a retried one, or
two racing from two phones return the same row. Capacity is taken by a conditional update of the
activity's counter in the same transaction as the insert, so it holds on PostgreSQL too.

Approval publishes `attendance.approved` with `user_id`, `minutes` and `activity_kind` (see
services/points/wiring.py), in the approving transaction: points and approval commit together.
The event's `occurred_at` is the check-in time, so the multiplier of the window the work was done
in applies, not the one in force when the captain got round to approving it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from models.people import Membership, User
from models.places import Community
from models.teams import (
    Activity,
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Team,
    TeamKind,
    TeamMember,
    VolunteerCard,
)
from points_engine.localtime import local_month, timezone_of
from runtime import clock
from runtime.i18n import N_
from runtime.settings import get_settings
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.events import DomainEvent, publish
from services.teams import activities, checkin_codes, not_found, require_captain, require_captain_or_manager

UNDECIDED = (AttendanceStatus.OPEN, AttendanceStatus.CLOSED, AttendanceStatus.AUTO_CLOSED)
PAID = (AttendanceStatus.APPROVED, AttendanceStatus.ADJUSTED)
REASON_MAX = 200


def _margin() -> timedelta:
    return timedelta(minutes=get_settings().checkin_margin_minutes)


def _grace() -> timedelta:
    return timedelta(minutes=get_settings().attendance_grace_minutes)


def served_minutes(row: Attendance, activity: Activity) -> int:
    """Minutes between check-in and check-out, counted within the activity's own window."""
    if row.checked_out_at is None:
        return 0
    start = max(row.checked_in_at, activity.starts_at)
    end = min(row.checked_out_at, activity.ends_at)
    return max(0, int((end - start).total_seconds() // 60))


# Checking in -----------------------------------------------------------------------------------


async def check_in_by_code(viewer: Viewer, code: str, activity_id: int | None) -> Attendance:
    """The volunteer scanned the captain's rotating code."""
    viewer.require_user()
    scanned = checkin_codes.verify_rotating_code(code, clock.now())
    if activity_id is not None and scanned != activity_id:
        raise DomainError(
            ErrorCode.CHECKIN_CODE_WRONG_ACTIVITY, N_("This code belongs to another activity."), "code"
        )
    activity = await activities.get_activity(viewer, scanned, "code")
    return await _check_in(viewer, activity, viewer.user_id, CheckInMethod.SCAN, None)


async def check_in_by_captain(
    viewer: Viewer, activity: Activity, card_code: str | None, user_id: int | None
) -> Attendance:
    """The captain scanned a volunteer's card, or checks them in by hand (marked as such)."""
    team = await Team.get(id=activity.team_id)
    await require_captain(viewer, team)
    volunteer, method = await _volunteer(activity, card_code, user_id)
    return await _check_in(viewer, activity, volunteer, method, viewer.user_id)


async def _volunteer(
    activity: Activity, card_code: str | None, user_id: int | None
) -> tuple[int, CheckInMethod]:
    if (card_code is None) == (user_id is None):
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Give either the card's code or the volunteer."), "cardCode"
        )
    if card_code is not None:
        card_id = checkin_codes.card_id_of(card_code)
        card = None if card_id is None else await VolunteerCard.get_or_none(id=card_id, revoked_at=None)
        if card is None or card.community_id != activity.community_id:
            raise DomainError(ErrorCode.CARD_INVALID, N_("This card is not valid here."), "cardCode")
        return card.user_id, CheckInMethod.CARD
    assert user_id is not None
    if not await Membership.exists(user_id=user_id, community_id=activity.community_id):
        raise not_found("userId")
    return user_id, CheckInMethod.HAND


async def _check_in(
    viewer: Viewer, activity: Activity, user_id: int, method: CheckInMethod, by_user_id: int | None
) -> Attendance:
    existing = await Attendance.get_or_none(activity_id=activity.id, user_id=user_id)
    if existing is not None:
        return existing
    now = clock.now()
    if not activity.starts_at - _margin() <= now < activity.ends_at:
        raise DomainError(
            ErrorCode.OUTSIDE_ACTIVITY_WINDOW, N_("This activity does not take check-ins now."), "activityId"
        )
    member = await TeamMember.exists(team_id=activity.team_id, user_id=user_id)
    if not member and not activities.opens(await activities.in_force(activity.community_id, now), activity):
        raise DomainError(
            ErrorCode.NOT_TEAM_MEMBER, N_("Only the team's members can check in here."), "activityId"
        )
    if activity.requires_signup and not await activities.is_signed_up(user_id, activity.id):
        raise DomainError(
            ErrorCode.SIGNUP_REQUIRED, N_("This activity takes the people on its list."), "activityId"
        )
    month = local_month(now, await timezone_of(activity.community_id))
    try:
        async with in_transaction():
            row = await Attendance.create(
                community_id=activity.community_id,
                activity_id=activity.id,
                team_id=activity.team_id,
                kind=activity.kind,
                user_id=user_id,
                method=method,
                checked_in_by_id=by_user_id,
                checked_in_at=now,
                local_month=month,
            )
            taken = (
                await Activity.filter(id=activity.id)
                .filter(Q(capacity__isnull=True) | Q(attendee_count__lt=F("capacity")))
                .update(attendee_count=F("attendee_count") + 1)
            )
            if not taken:
                raise DomainError(ErrorCode.ACTIVITY_FULL, N_("This activity is full."), "activityId")
            return row
    except IntegrityError:
        return await Attendance.get(activity_id=activity.id, user_id=user_id)


# Checking out ----------------------------------------------------------------------------------


async def check_out_by_code(viewer: Viewer, code: str, activity_id: int | None) -> Attendance:
    viewer.require_user()
    scanned = checkin_codes.verify_rotating_code(code, clock.now())
    if activity_id is not None and scanned != activity_id:
        raise DomainError(
            ErrorCode.CHECKIN_CODE_WRONG_ACTIVITY, N_("This code belongs to another activity."), "code"
        )
    activity = await activities.get_activity(viewer, scanned, "code")
    return await _check_out(activity, viewer.user_id, CheckInMethod.SCAN)


async def check_out_by_captain(
    viewer: Viewer, activity: Activity, card_code: str | None, user_id: int | None
) -> Attendance:
    team = await Team.get(id=activity.team_id)
    await require_captain(viewer, team)
    volunteer, method = await _volunteer(activity, card_code, user_id)
    return await _check_out(activity, volunteer, method)


async def _check_out(activity: Activity, user_id: int, method: CheckInMethod) -> Attendance:
    row = await Attendance.get_or_none(activity_id=activity.id, user_id=user_id)
    if row is None:
        raise DomainError(ErrorCode.NOT_CHECKED_IN, N_("There is no check-in to close here."), "activityId")
    if row.status != AttendanceStatus.OPEN:
        return row  # checked out before (or closed by the job): the first check-out stands
    now = clock.now()
    if now >= activity.ends_at + _grace():
        await _close_overdue_of(activity)
    else:
        await Attendance.filter(id=row.id, status=AttendanceStatus.OPEN).update(
            checked_out_at=now, out_method=method, status=AttendanceStatus.CLOSED
        )
    return await Attendance.get(id=row.id)


# Closing what was left open --------------------------------------------------------------------


async def _close_overdue_of(activity: Activity) -> int:
    return await Attendance.filter(activity_id=activity.id, status=AttendanceStatus.OPEN).update(
        checked_out_at=activity.ends_at, status=AttendanceStatus.AUTO_CLOSED, flagged=True
    )


async def close_overdue() -> int:
    """Close attendances still open at their activity's end plus grace, at the activity's end,
    flagged for the captain. Idempotent: run it as often as you like (CLI and scheduler)."""
    cutoff = clock.now() - _grace()
    ids = await (
        Attendance.filter(status=AttendanceStatus.OPEN, activity__ends_at__lte=cutoff)
        .distinct()
        .values_list("activity_id", flat=True)
    )
    closed = 0
    for activity in await Activity.filter(id__in=list(ids)).order_by("id"):
        closed += await _close_overdue_of(activity)
    return closed


# Deciding --------------------------------------------------------------------------------------


def can_see(viewer: Viewer, row: Attendance, captain: bool) -> bool:
    return viewer.is_member(row.community_id) and (
        captain or viewer.manages(row.community_id) or row.user_id == viewer.user_id
    )


async def get_attendance(viewer: Viewer, attendance_id: int, field: str = "attendanceId") -> Attendance:
    viewer.require_user()
    row = await Attendance.get_or_none(id=attendance_id)
    if row is None or not viewer.is_member(row.community_id):
        raise not_found(field)
    captain = await TeamMember.exists(team_id=row.team_id, user_id=viewer.user_id, is_captain=True)
    if not can_see(viewer, row, captain):
        raise not_found(field)
    return row


async def approve(viewer: Viewer, row: Attendance) -> Attendance:
    activity = await Activity.get(id=row.activity_id)
    if row.status == AttendanceStatus.OPEN:
        await _require_captain_of(viewer, row)
        raise DomainError(
            ErrorCode.ATTENDANCE_OPEN, N_("The volunteer has not checked out yet."), "attendanceId"
        )
    return await _decide(viewer, row, AttendanceStatus.APPROVED, served_minutes(row, activity), "")


async def adjust(viewer: Viewer, row: Attendance, minutes: int, note: str) -> Attendance:
    activity = await Activity.get(id=row.activity_id)
    longest = int((activity.ends_at - activity.starts_at).total_seconds() // 60)
    if not 0 <= minutes <= longest:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Minutes must be from 0 to {longest}, the length of the activity."),
            "minutes",
            longest=longest,
        )
    return await _decide(viewer, row, AttendanceStatus.ADJUSTED, minutes, _reason(note, required=False))


async def reject(viewer: Viewer, row: Attendance, reason: str) -> Attendance:
    return await _decide(viewer, row, AttendanceStatus.REJECTED, 0, _reason(reason, required=True))


def _reason(text: str, required: bool) -> str:
    cleaned = " ".join((text or "").split())
    if len(cleaned) > REASON_MAX or (required and not cleaned):
        low = 1 if required else 0
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("Give a note of {low} to {reason_max} characters."),
            "note",
            low=low,
            reason_max=REASON_MAX,
        )
    return cleaned


async def _require_captain_of(viewer: Viewer, row: Attendance) -> None:
    await require_captain(viewer, await Team.get(id=row.team_id))


async def _decide(
    viewer: Viewer, row: Attendance, status: AttendanceStatus, minutes: int, note: str
) -> Attendance:
    await _require_captain_of(viewer, row)
    now = clock.now()
    async with in_transaction():
        changed = await Attendance.filter(id=row.id, status__in=UNDECIDED).update(
            status=status, credited_minutes=minutes, decided_at=now, decided_by_id=viewer.user_id, note=note
        )
        current = await Attendance.get(id=row.id)
        if not changed:
            if current.status == status and current.credited_minutes == minutes:
                return current  # a replay: the first decision stands, nothing is paid twice
            raise DomainError(
                ErrorCode.ALREADY_DECIDED, N_("This attendance was decided otherwise."), "attendanceId"
            )
        if status in PAID:
            await publish(
                DomainEvent(
                    name="attendance.approved",
                    community_id=current.community_id,
                    subject_id=current.id,
                    actor_user_id=viewer.user_id,
                    data={
                        "user_id": current.user_id,
                        "minutes": minutes,
                        "activity_kind": str(current.kind),
                        "activity_id": current.activity_id,
                        "team_id": current.team_id,
                    },
                    occurred_at=current.checked_in_at,
                )
            )
    return current


# Lists and hours -------------------------------------------------------------------------------


async def to_review(viewer: Viewer, team: Team, first: int, after_id: int | None) -> list[Attendance]:
    """The captain's queue: checked out or closed by the job, not yet decided; flagged ones too."""
    await require_captain_or_manager(viewer, team)
    query = Attendance.filter(team_id=team.id, status__in=UNDECIDED[1:])
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return list(await query.order_by("id").limit(first + 1))


async def to_review_count(team_id: int) -> int:
    return await Attendance.filter(team_id=team_id, status__in=UNDECIDED[1:]).count()


async def mine_by_activity(user_id: int, activity_ids: Sequence[int]) -> list[Attendance | None]:
    rows = {
        r.activity_id: r
        for r in await Attendance.filter(user_id=user_id, activity_id__in=list(set(activity_ids)))
    }
    return [rows.get(a) for a in activity_ids]


@dataclass(frozen=True)
class Hours:
    kind: TeamKind
    month: str
    minutes: int
    attendances: int
    user_id: int | None = None


async def my_hours(viewer: Viewer, community_id: int, year: int | None) -> list[Hours]:
    """Approved service of the caller, by kind and month (the community's months)."""
    viewer.require_member(community_id)
    query = Attendance.filter(user_id=viewer.user_id, community_id=community_id, status__in=PAID)
    if year is not None:
        query = query.filter(local_month__startswith=f"{year:04d}-")
    rows = await (
        query.annotate(minutes=Sum("credited_minutes"), n=Count("id"))
        .group_by("kind", "local_month")
        .order_by("local_month", "kind")
        .values("kind", "local_month", "minutes", "n")
    )
    return [Hours(TeamKind(r["kind"]), r["local_month"], int(r["minutes"] or 0), int(r["n"])) for r in rows]


async def team_hours(viewer: Viewer, team: Team, month: str | None) -> list[Hours]:
    """Approved service of a team's volunteers, by person, kind and month. Captains and staff."""
    await require_captain_or_manager(viewer, team)
    query = Attendance.filter(team_id=team.id, status__in=PAID)
    if month is not None:
        if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
            raise DomainError(ErrorCode.INVALID_INPUT, N_("Give the month as YYYY-MM."), "month")
        query = query.filter(local_month=month)
    rows = await (
        query.annotate(minutes=Sum("credited_minutes"), n=Count("id"))
        .group_by("user_id", "kind", "local_month")
        .order_by("local_month", "user_id", "kind")
        .values("user_id", "kind", "local_month", "minutes", "n")
    )
    return [
        Hours(TeamKind(r["kind"]), r["local_month"], int(r["minutes"] or 0), int(r["n"]), int(r["user_id"]))
        for r in rows
    ]


# Personal cards --------------------------------------------------------------------------------


async def card(viewer: Viewer, community_id: int, replace: bool, user_id: int | None = None) -> str:
    """A personal card's code: the current one, or a new one (which voids the old card) when
    asked. Your own; or, for the community office printing cards for elderly volunteers without
    a smartphone, any member's."""
    viewer.require_member(community_id)
    holder = viewer.user_id if user_id is None else user_id
    if holder != viewer.user_id:
        viewer.require_manager(community_id)
    async with in_transaction():
        # One card at a time per person: the membership row serializes concurrent issues.
        membership = (
            await Membership.filter(user_id=holder, community_id=community_id).select_for_update().first()
        )
        if membership is None:
            raise not_found("userId")
        current = await VolunteerCard.filter(
            user_id=holder, community_id=community_id, revoked_at=None
        ).first()
        if current is not None and not replace:
            return checkin_codes.card_code(current.id)
        now = clock.now()
        await VolunteerCard.filter(user_id=holder, community_id=community_id, revoked_at=None).update(
            revoked_at=now
        )
        fresh = await VolunteerCard.create(
            # The code no longer carries the nonce; the column stays unique and filled until a
            # migration drops it.
            community_id=community_id,
            user_id=holder,
            nonce=secrets.token_hex(12),
            issued_at=now,
        )
        return checkin_codes.card_code(fresh.id)


@dataclass(frozen=True)
class PrintableCard:
    code: str
    holder_name: str
    community_name: str


async def printable_card(viewer: Viewer, community_id: int, user_id: int) -> PrintableCard:
    """The active card of a member, to print: the holder, or the community office."""
    viewer.require_member(community_id)
    if user_id != viewer.user_id:
        viewer.require_manager(community_id)
    current = await VolunteerCard.filter(user_id=user_id, community_id=community_id, revoked_at=None).first()
    if current is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No card has been issued yet; issue one first."), "userId")
    holder = await User.get(id=user_id)
    community = await Community.get(id=community_id)
    return PrintableCard(checkin_codes.card_code(current.id), holder.display_name, community.name)


async def rotating_code(viewer: Viewer, activity: Activity) -> tuple[str, int]:
    """The code for the captain's screen, and the seconds until it changes."""
    await require_captain(viewer, await Team.get(id=activity.team_id))
    now = clock.now()
    return checkin_codes.rotating_code(activity.id, now), checkin_codes.seconds_to_rotation(now)


async def attendances_of(viewer: Viewer, activity: Activity) -> None:
    """Who may list an activity's attendances: its team's captains and the office."""
    await require_captain_or_manager(viewer, await Team.get(id=activity.team_id))
