"""Tags (printed QR codes on places and assets), scanning them, and the staff mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from api.context import Info
from api.schema.corridor_flag.types import CorridorFlagStatus
from api.schema.places.types import Asset, Community, Place, place_at
from api.schema.reports.types import Report
from models import reports as m_reports
from models import tags as tag_models
from models.enums import ReportCategory, TagTargetKind
from services import corridor_flag as corridor_flag_service
from services import tags as tag_service

strawberry.enum(ReportCategory, description="What kind of problem a report is about.")
strawberry.enum(TagTargetKind, description="What a tag is stuck on.")


async def _place_of(row: tag_models.Tag, info: Info) -> Place:
    """The place a tag is on; for an asset, the place the asset is on."""
    if row.asset_id is not None:
        asset = await info.context.loaders.places.asset_by_id.load(row.asset_id)
        assert asset is not None
        return await place_at(info, asset.compound_id, asset.building_id, asset.entrance_id)
    return await place_at(info, row.compound_id, row.building_id, row.entrance_id)


async def _asset_of(row: tag_models.Tag, info: Info) -> Asset | None:
    if row.asset_id is None:
        return None
    asset = await info.context.loaders.places.asset_by_id.load(row.asset_id)
    assert asset is not None
    return Asset.of(asset)


@strawberry.type(description="A printed QR code on a place or an asset. Staff only.")
class Tag(relay.Node):
    id: relay.NodeID[int]
    target_kind: TagTargetKind
    version: int = strawberry.field(description="1 for a target's first tag, +1 for each re-issue.")
    created_at: datetime
    revoked_at: datetime | None
    url: str = strawberry.field(description="What the QR code holds: `<public base>/t/<code>`.")
    png_url: str = strawberry.field(description="The code with its label, as PNG.")
    svg_url: str = strawberry.field(description="The code with its label, as SVG.")
    row: strawberry.Private[tag_models.Tag]

    @classmethod
    def of(cls, row: tag_models.Tag) -> Tag:
        return cls(
            id=row.id,
            target_kind=row.target_kind,
            version=row.version,
            created_at=row.created_at,
            revoked_at=row.revoked_at,
            url=tag_service.url_of(row),
            png_url=tag_service.image_url_of(row, "png"),
            svg_url=tag_service.image_url_of(row, "svg"),
            row=row,
        )

    @strawberry.field
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @strawberry.field(
        description="The signed code the QR holds, without the URL around it: what `scanTag(code:)` "
        "and `inspectionRecord` take."
    )
    def code(self) -> str:
        return tag_service.code_of(self.row)

    @strawberry.field(description='Printed under the code, e.g. "休闲小区 4号楼 2单元".')
    async def label(self, info: Info) -> str:
        location = await info.context.loaders.tags.tag_location_by_tag.load(self.row)
        return location.label

    @strawberry.field(description="The place the tag is on; for an asset, the place the asset is on.")
    async def place(self, info: Info) -> Place:
        return await _place_of(self.row, info)

    @strawberry.field(description="The asset, when the tag is on one.")
    async def asset(self, info: Info) -> Asset | None:
        return await _asset_of(self.row, info)


@strawberry.type(
    description="A report being handled at a tag's place, as anyone who scans may see it: what and "
    "how far, never its text or who filed it."
)
class OpenReportSummary:
    category: ReportCategory
    state: m_reports.ReportState
    created_at: datetime

    @classmethod
    def of(cls, row: m_reports.Report) -> OpenReportSummary:
        return cls(
            category=ReportCategory(row.category),
            state=m_reports.ReportState(row.state),
            created_at=row.created_at,
        )


@strawberry.type(description="What scanning a tag tells: where you stand and what you can do there.")
class TagScan:
    label: str = strawberry.field(description='Where this is, e.g. "休闲小区 4号楼 2单元".')
    community_name: str
    compound_name: str | None
    building_name: str | None
    entrance_name: str | None
    asset_name: str | None
    may_report: bool = strawberry.field(
        description="Whether you may file a report here: members of the tag's community only."
    )
    categories: list[ReportCategory] = strawberry.field(description="What can be reported here.")
    office_phone: str = strawberry.field(
        description="The community office's phone, so someone without the app (or not yet a member) "
        "can call to report; empty until the office sets it. Public for a valid tag, as the number "
        "on the office's door is."
    )
    community_id: strawberry.Private[int]
    tag_row: strawberry.Private[tag_models.Tag]

    open_report_rows: strawberry.Private[list[m_reports.Report]]

    def _member(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer.user is not None and viewer.is_member(self.community_id)

    @strawberry.field(
        description="Reports still being handled right here (open, claimed or reopened), oldest "
        "first, for members of the community: offer 'me too' instead of a duplicate. Null for "
        "anyone else."
    )
    async def open_reports(self, info: Info) -> list[Report] | None:
        # Members of a community read its reports (reporters masked by the Report type's own fields).
        if not self._member(info):
            return None
        return [Report.of(row) for row in self.open_report_rows]

    @strawberry.field(
        description="What is being handled right here, for anyone (the web page a camera opens shows "
        "it signed out): category, state and age only. Public."
    )
    def open_report_summaries(self) -> list[OpenReportSummary]:
        return [OpenReportSummary.of(row) for row in self.open_report_rows]

    @strawberry.field(description="How many reports are being handled right here. Public.")
    def open_report_count(self) -> int:
        return len(self.open_report_rows)

    @strawberry.field(
        description="For an entrance's tag: whether it holds the civilized-corridor flag this month "
        "and its live provisional standing. Null for other tags. Public."
    )
    async def corridor_flag(self, info: Info) -> CorridorFlagStatus | None:
        entrance_id = self.tag_row.entrance_id
        if self.tag_row.target_kind != TagTargetKind.ENTRANCE or entrance_id is None:
            return None
        community = await info.context.loaders.places.community_by_id.load(self.community_id)
        if community is None:
            return None
        holds, month, standing = await corridor_flag_service.scan_status(community, entrance_id)
        return CorridorFlagStatus(
            holds_flag=holds,
            month=month,
            provisional_rank=standing.rank if standing else None,
            provisional_score=standing.score if standing else None,
            eligible=bool(standing and standing.eligible),
        )

    @strawberry.field(description="The community, for its members; null for anyone else.")
    async def community(self, info: Info) -> Community | None:
        if not self._member(info):
            return None
        row = await info.context.loaders.places.community_by_id.load(self.community_id)
        assert row is not None
        return Community.of(row)

    @strawberry.field(description="The place, for members of its community; null for anyone else.")
    async def place(self, info: Info) -> Place | None:
        return await _place_of(self.tag_row, info) if self._member(info) else None

    @strawberry.field(description="The asset, for members of its community, when the tag is on one.")
    async def asset(self, info: Info) -> Asset | None:
        return await _asset_of(self.tag_row, info) if self._member(info) else None

    @strawberry.field(description="The tag itself, for the community office; null for anyone else.")
    async def tag(self, info: Info) -> Tag | None:
        viewer = info.context.viewer
        if viewer.user is None or not viewer.manages(self.community_id):
            return None
        return Tag.of(self.tag_row)
