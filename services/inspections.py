"""Inspections of entrances: a cleaner or staff member scans an entrance's tag and scores it
(1 to 5) with notes and photos, at most once a day each. The corridor flag's formula reads them
(services/corridor_flag.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.boards import Inspection, InspectionPhoto
from models.enums import Role, TagTargetKind
from models.places import Community
from points_engine.localtime import local_day
from runtime import clock
from services import events, tags
from services.access import Viewer
from services.errors import DomainError, ErrorCode, Forbidden
from services.leaderboards import check_period
from services.reports.photos import PhotoOwner, PhotoWrites, clean_photos

NOTES_MAX = 1000


# ---- recording and reading ------------------------------------------------------------------------


async def record_inspection(
    viewer: Viewer, code: str, score: int, notes: str = "", photos: Sequence[bytes] = ()
) -> Inspection:
    """Photos are checked and cleaned like a report's (services.reports.photos), stored in the
    same transaction, and their files removed again when the inspection is refused."""
    viewer.require_user()
    tag = await tags.tag_by_code(code)
    if not viewer.is_member(tag.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No tag has this code.", "code")
    if not viewer.has_role(tag.community_id, Role.CLEANER, Role.STAFF):
        raise Forbidden("Only cleaners and staff record inspections.")
    if tag.target_kind != TagTargetKind.ENTRANCE or tag.entrance_id is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Inspections are of entrances: scan an entrance's tag.", "code"
        )
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(ErrorCode.INVALID_INPUT, "Cleanliness is scored from 1 to 5.", "score")
    if len(notes) > NOTES_MAX:
        raise DomainError(ErrorCode.INVALID_INPUT, f"Notes are at most {NOTES_MAX} characters.", "notes")
    community = await Community.get(id=tag.community_id)
    now = clock.now()
    day = local_day(now, community.timezone)
    # Checked before decoding photos; the unique index decides races.
    if await Inspection.exists(inspector_id=viewer.user_id, entrance_id=tag.entrance_id, local_day=day):
        raise _already_inspected()
    cleaned = await clean_photos(photos)
    written = PhotoWrites()
    try:
        async with in_transaction():
            inspection = await Inspection.create(
                community_id=community.id,
                entrance_id=tag.entrance_id,
                inspector_id=viewer.user_id,
                score=score,
                notes=notes.strip(),
                local_day=day,
                local_month=day[:7],
                created_at=now,
            )
            for photo in cleaned:
                await InspectionPhoto.create(
                    inspection_id=inspection.id,
                    storage_key=await written.put(PhotoOwner.INSPECTION, community.id, photo),
                    content_type=photo.content_type,
                    size=len(photo.data),
                    width=photo.width,
                    height=photo.height,
                    created_at=now,
                )
            await events.publish(
                events.DomainEvent(
                    "inspection.recorded",
                    community.id,
                    inspection.id,
                    viewer.user_id,
                    {"cleaner_user_id": viewer.user_id, "entrance_id": tag.entrance_id, "score": score},
                    now,
                )
            )
    except IntegrityError:
        await written.remove()
        raise _already_inspected() from None
    except BaseException:
        await written.remove()
        raise
    return inspection


def _already_inspected() -> DomainError:
    return DomainError(ErrorCode.ALREADY_INSPECTED, "You already inspected this entrance today.", "code")


async def inspections(
    viewer: Viewer, community_id: int, month: str | None, size: int, after_id: int | None
) -> list[Inspection]:
    """Newest first. Staff and admins see every inspection of the community; anyone else only
    the ones they made (a resident sees none). Returns up to size + 1 rows (has a next page)."""
    query = _visible_inspections(viewer, community_id, month)
    if after_id is not None:
        query = query.filter(id__lt=after_id)
    # The entrance's building and compound come along: the list shows each entrance's full label.
    return await query.order_by("-id").limit(size + 1).select_related("entrance__building__compound")


async def inspection_count(viewer: Viewer, community_id: int, month: str | None) -> int:
    return await _visible_inspections(viewer, community_id, month).count()


def _visible_inspections(viewer: Viewer, community_id: int, month: str | None) -> QuerySet[Inspection]:
    viewer.require_member(community_id)
    query = Inspection.filter(community_id=community_id)
    if not viewer.manages(community_id):
        query = query.filter(inspector_id=viewer.user_id)
    if month is not None:
        query = query.filter(local_month=check_period(month))
    return query


async def photos_by_inspection(inspection_ids: Sequence[int]) -> list[list[InspectionPhoto]]:
    grouped: dict[int, list[InspectionPhoto]] = defaultdict(list)
    for row in await InspectionPhoto.filter(inspection_id__in=list(set(inspection_ids))).order_by("id"):
        grouped[row.inspection_id].append(row)
    return [grouped[i] for i in inspection_ids]
