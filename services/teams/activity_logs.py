"""What an activity did, one log form per kind, each with fields checked against reality.

A patrol's finding is stored with its place and, when it asks for a repair, published as
`patrol.finding_recorded` (data: `finding_id`, `place_type`, `place_id`, `description`,
`category`) inside the logging transaction; services.teams.patrol_repairs subscribes to it to open a
repair report at that place and writes the report's id back onto the finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.enums import ReportCategory
from models.teams import (
    Activity,
    ActivityLog,
    Attendance,
    LogKind,
    MediationCategory,
    PatrolFinding,
    TeamKind,
)
from runtime import clock
from runtime.i18n import N_
from runtime.labels import word
from runtime.settings import get_settings
from services.access import Viewer
from services.errors import DomainError, ErrorCode, Forbidden
from services.events import DomainEvent, publish
from services.teams import is_captain, not_found
from services.teams.activities import PLACE_MODELS, PlaceRef

# Which activities each log form fits.
FITS: dict[LogKind, frozenset[TeamKind]] = {
    LogKind.PATROL: frozenset({TeamKind.RIVER_PATROL, TeamKind.OBSERVERS}),
    LogKind.TUTORING: frozenset({TeamKind.TUTORING}),
    LogKind.MEDIATION: frozenset({TeamKind.MEDIATION}),
    LogKind.SNOW_CLEARING: frozenset({TeamKind.SNOW_CLEARING}),
    LogKind.CLEANING: frozenset({TeamKind.CLEANING}),
}
MAX_DISTANCE_KM = Decimal(100)
MAX_PUPILS = 200
SUBJECT_MAX = 60
MAX_AREA_M2 = Decimal(1_000_000)
MAX_VOLUME_M3 = Decimal(100_000)
# Snow deeper than two metres over the cleared area is a typing error, not a storm.
MAX_SNOW_DEPTH_M = Decimal(2)
MAX_BAGS = 500
NOTE_MAX = 500
MAX_FINDINGS = 20
KEY_MAX = 64


@dataclass(frozen=True)
class Finding:
    place: PlaceRef
    description: str
    wants_repair: bool
    # What kind of repair the report it opens is about; only read when it wants a repair.
    category: ReportCategory = ReportCategory.OTHER


def _invalid(message: str, field: str, **params: Any) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message, field, **params)


def _decimal(
    value: Decimal | str | float | None, field: str, high: Decimal, *, required: bool = True
) -> Decimal | None:
    if value is None:
        if required:
            raise _invalid(N_("This value is needed."), field)
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(N_("Enter a number."), field) from None
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int) or exponent < -2 or not 0 < number <= high:
        raise _invalid(
            N_("Enter a number above 0 and at most {high}, with at most 2 decimals."), field, high=high
        )
    # Stored with two decimals; the log returned now reads the same as when it is read back.
    return number.quantize(Decimal("0.01"))


def _int(value: int | None, field: str, low: int, high: int) -> int:
    if value is None or not low <= value <= high:
        raise _invalid(N_("Enter a whole number from {low} to {high}."), field, low=low, high=high)
    return value


def _text(value: str | None, field: str, high: int, *, required: bool) -> str:
    cleaned = " ".join((value or "").split())
    if len(cleaned) > high or (required and not cleaned):
        raise _invalid(N_("Enter {low} to {high} characters."), field, low=1 if required else 0, high=high)
    return cleaned


async def _may_log(viewer: Viewer, activity: Activity) -> None:
    viewer.require_member(activity.community_id)
    if await is_captain(viewer, activity.team_id):
        return
    if await Attendance.exists(activity_id=activity.id, user_id=viewer.user_id):
        return
    raise Forbidden(N_("Only the team's captain or someone who took part can log this activity."))


async def _place(community_id: int, ref: PlaceRef, field: str) -> dict[str, Any]:
    model = PLACE_MODELS.get(ref.type_name)
    if model is None:
        raise DomainError(
            ErrorCode.INVALID_PARENT, N_("A finding is at a compound, building or entrance."), field
        )
    found = await model.get_or_none(id=ref.id)
    if found is None or found.community_id != community_id:
        raise not_found(field)
    return {f"{ref.type_name.lower()}_id": ref.id}


async def write(
    viewer: Viewer,
    activity: Activity,
    kind: LogKind,
    idempotency_key: str,
    values: dict[str, Any],
    findings: Sequence[Finding] = (),
) -> ActivityLog:
    """Validate the fields of `kind` and store the log (and its findings) in one transaction.
    A retry with the same key returns the first log."""
    await _may_log(viewer, activity)
    if not 1 <= len(idempotency_key or "") <= KEY_MAX:
        raise _invalid(
            N_("The idempotency key must be 1 to {key_max} characters."), "idempotencyKey", key_max=KEY_MAX
        )
    existing = await ActivityLog.get_or_none(
        activity_id=activity.id, author_id=viewer.user_id, idempotency_key=idempotency_key
    )
    if existing is not None:
        if existing.kind != kind:
            raise DomainError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED, N_("This key was used for another log."), "idempotencyKey"
            )
        return existing
    if TeamKind(activity.kind) not in FITS[kind]:
        raise DomainError(
            ErrorCode.LOG_KIND_MISMATCH,
            N_("A {kind} log does not fit this activity."),
            "activityId",
            kind=word(kind),
        )
    margin = timedelta(minutes=get_settings().checkin_margin_minutes)
    if clock.now() < activity.starts_at - margin:
        raise DomainError(
            ErrorCode.OUTSIDE_ACTIVITY_WINDOW, N_("The activity has not started yet."), "activityId"
        )
    fields = _validated(kind, values, activity)
    places = [
        await _place(activity.community_id, f.place, f"findings.{i}.placeId") for i, f in enumerate(findings)
    ]
    if findings and kind != LogKind.PATROL:
        raise _invalid(N_("Only a patrol records findings."), "findings")
    if len(findings) > MAX_FINDINGS:
        raise _invalid(
            N_("At most {max_findings} findings in one log."), "findings", max_findings=MAX_FINDINGS
        )
    descriptions = [
        _text(f.description, f"findings.{i}.description", NOTE_MAX, required=True)
        for i, f in enumerate(findings)
    ]
    try:
        async with in_transaction():
            log = await ActivityLog.create(
                community_id=activity.community_id,
                activity_id=activity.id,
                kind=kind,
                author_id=viewer.user_id,
                idempotency_key=idempotency_key,
                created_at=clock.now(),
                **fields,
            )
            if kind == LogKind.MEDIATION:
                # The mediation room counts it as a case without names (services.mediation_room).
                await publish(
                    DomainEvent(
                        name="mediation.logged",
                        community_id=activity.community_id,
                        subject_id=log.id,
                        actor_user_id=viewer.user_id,
                        data={"category": str(fields["category"]), "settled": bool(fields["settled"])},
                    )
                )
            for finding, place, description in zip(findings, places, descriptions, strict=True):
                row = await PatrolFinding.create(
                    community_id=activity.community_id,
                    log_id=log.id,
                    description=description,
                    wants_repair=finding.wants_repair,
                    created_at=clock.now(),
                    **place,
                )
                if finding.wants_repair:
                    await publish(
                        DomainEvent(
                            name="patrol.finding_recorded",
                            community_id=activity.community_id,
                            subject_id=row.id,
                            actor_user_id=viewer.user_id,
                            data={
                                "finding_id": row.id,
                                "place_type": finding.place.type_name,
                                "place_id": finding.place.id,
                                "description": description,
                                "category": str(finding.category),
                            },
                        )
                    )
            return log
    except IntegrityError:
        return await ActivityLog.get(
            activity_id=activity.id, author_id=viewer.user_id, idempotency_key=idempotency_key
        )


def _validated(kind: LogKind, values: dict[str, Any], activity: Activity) -> dict[str, Any]:
    longest = int((activity.ends_at - activity.starts_at).total_seconds() // 60)
    if kind == LogKind.PATROL:
        return {
            "distance_km": _decimal(values.get("distance_km"), "distanceKm", MAX_DISTANCE_KM),
            # No patrol lasts longer than its activity (and no activity longer than a day).
            "duration_minutes": _int(
                values.get("duration_minutes"), "durationMinutes", 1, min(longest, 24 * 60)
            ),
            "note": _text(values.get("note"), "note", NOTE_MAX, required=False),
        }
    if kind == LogKind.TUTORING:
        return {
            "pupils": _int(values.get("pupils"), "pupils", 1, MAX_PUPILS),
            "subject": _text(values.get("subject"), "subject", SUBJECT_MAX, required=True),
        }
    if kind == LogKind.MEDIATION:
        settled = values.get("settled")
        if not isinstance(settled, bool):
            raise _invalid(N_("Say whether the dispute was settled."), "settled")
        category = values.get("category")
        if category is None:
            raise _invalid(N_("Choose the kind of dispute."), "category")
        return {"settled": settled, "category": MediationCategory(category)}
    if kind == LogKind.SNOW_CLEARING:
        area = _decimal(values.get("area_m2"), "areaM2", MAX_AREA_M2)
        volume = _decimal(values.get("volume_m3"), "volumeM3", MAX_VOLUME_M3)
        assert area is not None and volume is not None
        if volume > area * MAX_SNOW_DEPTH_M:
            raise _invalid(
                N_("That is snow deeper than {max_snow_depth_m} m over the area: check both."),
                "volumeM3",
                max_snow_depth_m=MAX_SNOW_DEPTH_M,
            )
        return {"area_m2": area, "volume_m3": volume}
    area = _decimal(values.get("area_m2"), "areaM2", MAX_AREA_M2, required=False)
    bags = values.get("bags")
    if bags is not None:
        _int(bags, "bags", 0, MAX_BAGS)
    if area is None and bags is None:
        raise _invalid(N_("Give the area cleaned, the bags filled, or both."), "areaM2")
    return {
        "area_m2": area,
        "bags": bags,
        "note": _text(values.get("note"), "note", NOTE_MAX, required=False),
    }


async def logs_of(viewer: Viewer, activity: Activity, first: int, after_id: int | None) -> list[ActivityLog]:
    viewer.require_member(activity.community_id)
    query = ActivityLog.filter(activity_id=activity.id)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return list(await query.order_by("id").limit(first + 1))


async def log_count(activity_id: int) -> int:
    return await ActivityLog.filter(activity_id=activity_id).count()


async def findings_by_log(log_ids: Sequence[int]) -> list[list[PatrolFinding]]:
    grouped: dict[int, list[PatrolFinding]] = {i: [] for i in log_ids}
    for row in await PatrolFinding.filter(log_id__in=list(set(log_ids))).order_by("id"):
        grouped[row.log_id].append(row)
    return [grouped[i] for i in log_ids]


def place_of_finding(row: PatrolFinding) -> PlaceRef:
    if row.entrance_id is not None:
        return PlaceRef("Entrance", row.entrance_id)
    if row.building_id is not None:
        return PlaceRef("Building", row.building_id)
    assert row.compound_id is not None
    return PlaceRef("Compound", row.compound_id)
