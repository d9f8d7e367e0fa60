"""The outpost (前哨队伍): couriers and community workers registered at street or district level
snap problems anywhere in their area (随手拍), earn points on the district's ledger, and appear on
a monthly district ranking.

A snap finds its place by a tag when there is one, else by the phone's location and/or an
address line, and a photo. A spot inside a compound becomes a report of that compound's
community (the community handles it as any report); a spot outside every compound becomes a
dispatch waiting for the street's liaison. The reporter earns the district's "report
validated" points once, when the problem is taken up (the street's liaison or a community's
repairer claims it), so a snap nobody takes up earns nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.boards import BoardEarning
from models.district import (
    Dispatch,
    DispatchSource,
    District,
    DistrictRole,
    DistrictRoleKind,
    OutpostSnap,
    StreetCommunity,
)
from models.enums import ReportCategory
from models.places import Building, Compound, Entrance
from models.reports import Report
from models.tags import Tag
from points_engine.localtime import local_day
from runtime import clock
from runtime.i18n import N_
from services import idempotency
from services import reports as report_flow
from services import tags as tag_service
from services.access import Viewer
from services.district import dispatch as flow
from services.district.geo import Located, check_point, locate
from services.district.scope import DistrictScope, not_found, out_of_jurisdiction, scope_of
from services.errors import DomainError, ErrorCode
from services.reports.photos import PhotoWrites, clean_photos

ADDRESS_MAX = 200


@dataclass(frozen=True)
class Snapped:
    """Where a snap went: a community's report, or a dispatch on the street."""

    snap: OutpostSnap
    report: Report | None
    dispatch: Dispatch | None


async def _require_outpost(viewer: Viewer, district_id: int) -> tuple[District, DistrictScope]:
    viewer.require_user()
    scope = await scope_of(viewer)
    district = await District.get_or_none(id=district_id)
    if district is None or not scope.in_district(district.id):
        raise not_found("districtId")
    if not scope.has(district.id, DistrictRoleKind.OUTPOST_REPORTER):
        raise out_of_jurisdiction(
            N_("Only registered outpost reporters can snap problems here."), "districtId"
        )
    return district, scope


def _beat(scope: DistrictScope, district_id: int) -> set[int] | None:
    """The streets an outpost reporter may report in; None for the whole district."""
    streets: set[int] = set()
    for held in scope.held:
        if held.district_id == district_id and held.role is DistrictRoleKind.OUTPOST_REPORTER:
            if held.street_id is None:
                return None
            streets.add(held.street_id)
    return streets


async def _replayed(user_id: int, key: str | None) -> Snapped | None:
    if key is None:
        return None
    snap = await OutpostSnap.get_or_none(user_id=user_id, idempotency_key=key)
    if snap is None:
        return None
    report = await Report.get(id=snap.report_id) if snap.report_id else None
    dispatch = await Dispatch.get(id=snap.dispatch_id) if snap.dispatch_id else None
    return Snapped(snap, report, dispatch)


async def _tag_place(code: str) -> tuple[Compound | Building | Entrance, int | None]:
    """The place (and asset) a tag hangs on, whoever scans it: the tag's signature is checked
    by services.tags.scan, which also refuses a revoked code."""
    scanned = await tag_service.scan(Viewer(), code)
    tag: Tag = scanned.tag
    if tag.entrance_id is not None:
        return await Entrance.get(id=tag.entrance_id), tag.asset_id
    if tag.building_id is not None:
        return await Building.get(id=tag.building_id), tag.asset_id
    if tag.compound_id is not None:
        return await Compound.get(id=tag.compound_id), tag.asset_id
    from models.places import Asset

    asset = await Asset.get(id=tag.asset_id)
    place: Compound | Building | Entrance
    if asset.entrance_id is not None:
        place = await Entrance.get(id=asset.entrance_id)
    elif asset.building_id is not None:
        place = await Building.get(id=asset.building_id)
    else:
        place = await Compound.get(id=asset.compound_id)
    return place, asset.id


async def snap(
    viewer: Viewer,
    district_id: int,
    category: ReportCategory,
    text: str,
    photos: Sequence[bytes],
    tag_code: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    idempotency_key: str | None = None,
) -> Snapped:
    district, scope = await _require_outpost(viewer, district_id)
    me = viewer.user_id
    key = idempotency.clean_key(idempotency_key)
    first = await _replayed(me, key)
    if first is not None:
        return first
    text = flow.clean_text(text, "text")
    address = (address or "").strip()
    if len(address) > ADDRESS_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Write at most {limit} characters."), "address", limit=ADDRESS_MAX
        )
    point = check_point(latitude, longitude)
    beat = _beat(scope, district.id)
    month = local_day(clock.now(), district.timezone)[:7]
    if tag_code:
        place, asset_id = await _tag_place(tag_code)
        link = await StreetCommunity.get_or_none(community_id=place.community_id)
        if link is None or link.district_id != district.id:
            raise DomainError(
                ErrorCode.OUTSIDE_DISTRICT,
                N_("This tag hangs in a compound outside your district."),
                "tagCode",
            )
        if beat is not None and link.street_id not in beat:
            raise out_of_jurisdiction(N_("This place is outside the streets you report for."), "tagCode")
        return await _into_community(viewer, district, place, asset_id, category, text, photos, key, month)
    if point is None and not address:
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("Scan a tag, or give a location or an address."), "latitude"
        )
    if not photos:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Without a tag, add at least one photo."), "photos")
    located: Located = await locate(district, point, address)
    if beat is not None and located.street.id not in beat:
        raise out_of_jurisdiction(
            N_("This place is outside the streets you report for."), "latitude" if point else "address"
        )
    if located.compound_area is not None:
        compound = await Compound.get(id=located.compound_area.compound_id)
        return await _into_community(viewer, district, compound, None, category, text, photos, key, month)
    cleaned = await clean_photos(photos)
    written = PhotoWrites()
    try:
        async with in_transaction():
            dispatch = await flow.open_dispatch(
                district_id=district.id,
                street_id=located.street.id,
                community_id=None,
                report_id=None,
                source=DispatchSource.OUTPOST,
                category=category,
                text=text,
                reporter_id=me,
                actor_id=me,
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
                address=address,
                idempotency_key=key,
                photos=cleaned,
                written=written,
            )
            row = await OutpostSnap.create(
                district_id=district.id,
                user_id=me,
                dispatch_id=dispatch.id,
                idempotency_key=key,
                month=month,
                created_at=clock.now(),
            )
    except IntegrityError:
        await written.remove()
        raced = await _replayed(me, key)
        if raced is not None:
            return raced
        raise
    except BaseException:
        await written.remove()
        raise
    return Snapped(row, None, dispatch)


async def _into_community(
    viewer: Viewer,
    district: District,
    place: Compound | Building | Entrance,
    asset_id: int | None,
    category: ReportCategory,
    text: str,
    photos: Sequence[bytes],
    key: str | None,
    month: str,
) -> Snapped:
    async with in_transaction():
        filed = await report_flow.file_report(
            viewer, place, category, text, photos, asset_id=asset_id, idempotency_key=key, outpost=True
        )
        existing = await OutpostSnap.get_or_none(report_id=filed.report.id)
        row = existing or await OutpostSnap.create(
            district_id=district.id,
            user_id=viewer.user_id,
            report_id=filed.report.id,
            idempotency_key=key,
            month=month,
            created_at=clock.now(),
        )
    return Snapped(row, filed.report, None)


# ── the monthly ranking ──────────────────────────────────────────────────────────────────


async def titles(district_id: int, user_ids: Sequence[int], role: DistrictRoleKind) -> list[dict[str, Any]]:
    """Who the people are at the outpost (快递员, 社区工作者): rows of user_id and title."""
    return await DistrictRole.filter(district_id=district_id, role=role, user_id__in=list(user_ids)).values(
        "user_id", "title"
    )


@dataclass(frozen=True)
class RankRow:
    rank: int
    user_id: int
    name: str
    title: str
    points: int
    snaps: int


async def ranking(viewer: Viewer, district_id: int, month: str, limit: int = 50) -> list[RankRow]:
    """Points earned on the district's ledger in the month, best first, with the number of
    snaps: for everyone holding a role in the district (the outpost sees where it stands; the
    office pays the cash rewards by it). Names only, never phones. A competition ranking: equal
    points share a rank and the next rank is skipped (1, 2, 2, 4); the rows of a tie are listed
    by account, which decides nothing (services.district.rewards pays each its rank's reward)."""
    viewer.require_user()
    district = await District.get_or_none(id=district_id)
    if district is None or not (await scope_of(viewer)).in_district(district.id):
        raise not_found("districtId")
    rows: list[dict[str, Any]] = (
        await BoardEarning.filter(community_id=district.ledger_community_id, period=month, points__gt=0)
        .order_by("-points", "user_id")
        .limit(limit)
        .values("user_id", "points", "user__display_name")
    )
    ids = [r["user_id"] for r in rows]
    counts: dict[int, int] = {}
    for user_id in await OutpostSnap.filter(
        district_id=district.id, month=month, user_id__in=ids
    ).values_list("user_id", flat=True):
        counts[int(user_id)] = counts.get(int(user_id), 0) + 1  # type: ignore[call-overload]
    held = {
        r["user_id"]: r["title"] for r in await titles(district.id, ids, DistrictRoleKind.OUTPOST_REPORTER)
    }
    ranked: list[RankRow] = []
    for i, row in enumerate(rows):
        rank = ranked[-1].rank if ranked and ranked[-1].points == row["points"] else i + 1
        ranked.append(
            RankRow(
                rank,
                row["user_id"],
                row["user__display_name"],
                held.get(row["user_id"], ""),
                int(row["points"]),
                counts.get(row["user_id"], 0),
            )
        )
    return ranked
