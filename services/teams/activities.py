"""Activities: captains schedule them at a place; volunteers sign up; staff declare emergencies.

An emergency call-out (a snowstorm) has a window. While it is in force, activities of its kind
(or of every kind) take check-ins from anyone in the community, and the points rules carry a
multiplier for the same window, written through the engine's rules API as a new rules version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q, Subquery
from tortoise.transactions import in_transaction

from models.ledger import TransferKind
from models.places import Building, Compound, Entrance
from models.teams import Activity, ActivitySignup, Attendance, Emergency, Team, TeamKind, TeamMember
from points_engine import rules
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.events import DomainEvent, publish
from services.teams import is_captain, not_found, require_captain_or_manager

TITLE_MAX = 100
KEY_MAX = 64
MAX_ACTIVITY_HOURS = 24
MAX_CAPACITY = 1000
MAX_EMERGENCY_DAYS = 7
PLACE_MODELS: dict[str, type[Compound | Building | Entrance]] = {
    "Compound": Compound,
    "Building": Building,
    "Entrance": Entrance,
}


@dataclass(frozen=True)
class PlaceRef:
    type_name: str  # Compound, Building or Entrance
    id: int


def _invalid(message: str, field: str, **params: Any) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field, **params)


def _title(value: str, field: str = "title") -> str:
    cleaned = " ".join((value or "").split())
    if not 1 <= len(cleaned) <= TITLE_MAX:
        raise _invalid(N_("Enter a title of 1 to {title_max} characters."), field, title_max=TITLE_MAX)
    return cleaned


def _key(value: str) -> str:
    if not 1 <= len(value or "") <= KEY_MAX:
        raise _invalid(
            N_("The idempotency key must be 1 to {key_max} characters."), "idempotencyKey", key_max=KEY_MAX
        )
    return value


def _window(starts_at: datetime, ends_at: datetime, longest: timedelta) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise _invalid(N_("Give times with a time zone (ISO-8601, e.g. …Z)."), "startsAt")
    if ends_at <= starts_at:
        raise _invalid(N_("The end must come after the start."), "endsAt")
    if ends_at - starts_at > longest:
        raise _invalid(
            N_("It can last at most {hours} hours."), "endsAt", hours=round(longest.total_seconds() / 3600)
        )
    if ends_at <= clock.now():
        raise _invalid(N_("The end is in the past."), "endsAt")


async def get_activity(viewer: Viewer, activity_id: int, field: str = "activityId") -> Activity:
    viewer.require_user()
    row = await Activity.get_or_none(id=activity_id)
    if row is None or not viewer.is_member(row.community_id):
        raise not_found(field)
    return row


async def schedule(
    viewer: Viewer,
    team: Team,
    *,
    title: str,
    kind: TeamKind | None,
    place: PlaceRef,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int | None,
    requires_signup: bool,
    idempotency_key: str,
) -> Activity:
    await require_captain_or_manager(viewer, team)
    key = _key(idempotency_key)
    cleaned = _title(title)
    _window(starts_at, ends_at, timedelta(hours=MAX_ACTIVITY_HOURS))
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise _invalid(
            N_("Capacity must be 1 to {max_capacity}, or empty for no limit."),
            "capacity",
            max_capacity=MAX_CAPACITY,
        )
    if requires_signup and capacity is None:
        raise _invalid(N_("A sign-up list needs a capacity."), "capacity")
    model = PLACE_MODELS.get(place.type_name)
    if model is None:
        raise DomainError(
            ErrorCode.INVALID_PARENT,
            N_("An activity takes place at a compound, building or entrance."),
            "placeId",
        )
    found = await model.get_or_none(id=place.id)
    if found is None or found.community_id != team.community_id:
        raise not_found("placeId")
    column = {"Compound": "compound_id", "Building": "building_id", "Entrance": "entrance_id"}[
        place.type_name
    ]
    values: dict[str, Any] = {
        "title": cleaned,
        "kind": kind or team.kind,
        column: place.id,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "requires_signup": requires_signup,
    }
    existing = await Activity.get_or_none(team_id=team.id, idempotency_key=key)
    if existing is not None:
        return _replayed(existing, values)
    try:
        async with in_transaction():
            return await Activity.create(
                community_id=team.community_id,
                team_id=team.id,
                created_by_id=viewer.user_id,
                idempotency_key=key,
                created_at=clock.now(),
                **values,
            )
    except IntegrityError:
        return _replayed(await Activity.get(team_id=team.id, idempotency_key=key), values)


def _replayed(row: Activity, values: dict[str, object]) -> Activity:
    if any(getattr(row, name) != value for name, value in values.items()):
        raise DomainError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED, N_("This key was used for another activity."), "idempotencyKey"
        )
    return row


def place_of(row: Activity) -> PlaceRef:
    if row.entrance_id is not None:
        return PlaceRef("Entrance", row.entrance_id)
    if row.building_id is not None:
        return PlaceRef("Building", row.building_id)
    assert row.compound_id is not None
    return PlaceRef("Compound", row.compound_id)


# Emergencies -----------------------------------------------------------------------------------


async def in_force(community_id: int, at: datetime) -> list[Emergency]:
    return list(
        await Emergency.filter(community_id=community_id, starts_at__lte=at, ends_at__gt=at).order_by("id")
    )


def opens(emergencies: Sequence[Emergency], activity: Activity) -> bool:
    """Whether a call-out in force opens this activity to the whole community."""
    return any(e.activity_kind is None or e.activity_kind == activity.kind for e in emergencies)


async def declare_emergency(
    viewer: Viewer,
    community_id: int,
    *,
    title: str,
    activity_kind: TeamKind | None,
    starts_at: datetime,
    ends_at: datetime,
    multiplier_percent: int,
    idempotency_key: str,
) -> Emergency:
    """Staff declare a call-out; the rules gain a multiplier for its window, in the same change."""
    viewer.require_manager(community_id)
    key = _key(idempotency_key)
    cleaned = _title(title)
    _window(starts_at, ends_at, timedelta(days=MAX_EMERGENCY_DAYS))
    if not 100 <= multiplier_percent <= rules.MAX_PERCENT:
        raise _invalid(
            N_("The multiplier is a percent from 100 to {max_percent}."),
            "multiplierPercent",
            max_percent=rules.MAX_PERCENT,
        )
    existing = await Emergency.get_or_none(community_id=community_id, idempotency_key=key)
    if existing is not None:
        return existing
    try:
        async with in_transaction():
            base = await rules.current(community_id)
            added = rules.Multiplier(
                TransferKind.ATTENDANCE,
                multiplier_percent,
                starts_at,
                ends_at,
                None if activity_kind is None else str(activity_kind),
            )
            written = await rules.update(community_id, viewer.user_id, multipliers=(*base.multipliers, added))
            if written.version != base.version + 1:
                raise DomainError(ErrorCode.CONFLICT, N_("The rules changed meanwhile; try again."))
            emergency = await Emergency.create(
                community_id=community_id,
                title=cleaned,
                activity_kind=activity_kind,
                starts_at=starts_at,
                ends_at=ends_at,
                multiplier_percent=multiplier_percent,
                rules_version=written.version,
                declared_by_id=viewer.user_id,
                idempotency_key=key,
                created_at=clock.now(),
            )
            # The call-out itself: every volunteer's inbox gets it in this same transaction.
            await publish(
                DomainEvent(
                    name="emergency.declared",
                    community_id=community_id,
                    subject_id=emergency.id,
                    actor_user_id=viewer.user_id,
                    data={
                        "title": cleaned,
                        "activity_kind": None if activity_kind is None else str(activity_kind),
                        "starts_at": starts_at.isoformat(),
                        "ends_at": ends_at.isoformat(),
                        "multiplier_percent": multiplier_percent,
                    },
                )
            )
            return emergency
    except IntegrityError:
        return await Emergency.get(community_id=community_id, idempotency_key=key)


async def emergencies(viewer: Viewer, community_id: int, first: int, after_id: int | None) -> list[Emergency]:
    """Newest first."""
    viewer.require_member(community_id)
    query = Emergency.filter(community_id=community_id)
    if after_id is not None:
        query = query.filter(id__lt=after_id)
    return list(await query.order_by("-id").limit(first + 1))


async def emergency_count(community_id: int) -> int:
    return await Emergency.filter(community_id=community_id).count()


# Lists -----------------------------------------------------------------------------------------


async def _mine(viewer: Viewer, community_id: int, upcoming: bool) -> Q:
    user_id = viewer.user_id
    team_ids = await TeamMember.filter(user_id=user_id, community_id=community_id).values_list(
        "team_id", flat=True
    )
    attended = Subquery(Attendance.filter(user_id=user_id, community_id=community_id).values("activity_id"))
    mine = Q(team_id__in=list(team_ids)) | Q(id__in=attended)
    for emergency in await in_force(community_id, clock.now()):
        window = Q(starts_at__lt=emergency.ends_at, ends_at__gt=emergency.starts_at)
        if emergency.activity_kind is not None:
            window &= Q(kind=emergency.activity_kind)
        mine |= window
    condition = Q(community_id=community_id) & mine
    if upcoming:
        condition &= Q(ends_at__gte=clock.now())
    return condition


async def my_activities(
    viewer: Viewer, community_id: int, first: int, after_id: int | None, upcoming: bool
) -> list[Activity]:
    """Activities of my teams, the ones I attended, and those a call-out opens, by start time."""
    viewer.require_member(community_id)
    query = Activity.filter(await _mine(viewer, community_id, upcoming))
    if after_id is not None:
        after = await Activity.get_or_none(id=after_id, community_id=community_id)
        if after is None:
            raise _invalid(N_("This cursor is not valid."), "after")
        query = query.filter(Q(starts_at__gt=after.starts_at) | Q(starts_at=after.starts_at, id__gt=after.id))
    return list(await query.order_by("starts_at", "id").limit(first + 1))


async def my_activity_count(viewer: Viewer, community_id: int, upcoming: bool) -> int:
    return await Activity.filter(await _mine(viewer, community_id, upcoming)).count()


async def activities_by_ids(ids: Sequence[int]) -> list[Activity | None]:
    rows = {r.id: r for r in await Activity.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


# Sign-up ---------------------------------------------------------------------------------------


async def may_join(viewer: Viewer, activity: Activity) -> bool:
    """Team members always; anyone of the community while a call-out opens the activity."""
    if await TeamMember.exists(team_id=activity.team_id, user_id=viewer.user_id):
        return True
    return opens(await in_force(activity.community_id, clock.now()), activity)


async def sign_up(viewer: Viewer, activity: Activity) -> ActivitySignup:
    """Put me on the list; again returns the same place on it."""
    viewer.require_member(activity.community_id)
    existing = await ActivitySignup.get_or_none(activity_id=activity.id, user_id=viewer.user_id)
    if existing is not None:
        return existing
    if not await may_join(viewer, activity):
        raise DomainError(ErrorCode.NOT_TEAM_MEMBER, N_("Join the team to sign up."), "activityId")
    if activity.ends_at <= clock.now():
        raise DomainError(ErrorCode.OUTSIDE_ACTIVITY_WINDOW, N_("This activity is over."), "activityId")
    try:
        async with in_transaction():
            row = await ActivitySignup.create(
                community_id=activity.community_id,
                activity_id=activity.id,
                user_id=viewer.user_id,
                created_at=clock.now(),
            )
            taken = (
                await Activity.filter(id=activity.id)
                .filter(Q(capacity__isnull=True) | Q(signup_count__lt=F("capacity")))
                .update(signup_count=F("signup_count") + 1)
            )
            if not taken:
                raise DomainError(ErrorCode.ACTIVITY_FULL, N_("The list is full."), "activityId")
            return row
    except IntegrityError:
        return await ActivitySignup.get(activity_id=activity.id, user_id=viewer.user_id)


async def is_signed_up(user_id: int, activity_id: int) -> bool:
    return await ActivitySignup.exists(activity_id=activity_id, user_id=user_id)


async def can_manage(viewer: Viewer, activity: Activity) -> bool:
    return viewer.manages(activity.community_id) or await is_captain(viewer, activity.team_id)
