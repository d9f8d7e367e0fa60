"""Community, compounds, buildings, entrances, households."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from api.context import Info
from api.resolvers.places import fields as resolve
from api.schema.common import Connection
from models.enums import AssetKind, CareTagKind, TagTargetKind

if TYPE_CHECKING:
    # For the annotation only: the tags types name places, so Tag is reached through strawberry.lazy.
    from api.schema.tags.types import Tag

LazyTag = Annotated["Tag", strawberry.lazy("api.schema.tags.types")]

strawberry.enum(AssetKind, description="What kind of thing an asset is.")
strawberry.enum(
    CareTagKind, description="Sensitive marks on a household. Visible to the community's staff only."
)


@strawberry.interface(description="A compound, building, entrance or household.")
class Place(relay.Node):
    id: relay.NodeID[int]
    name: str
    community_id: strawberry.Private[int]

    @strawberry.field(
        description='Where it is, in full: "休闲小区 1号楼 1单元". Show this, not `name`: '
        "a community has many entrances named 1单元."
    )
    async def label(self, info: Info) -> str:
        return await resolve.label_of(self, info)


@strawberry.type(description="The tenant: a community office and the compounds it serves.")
class Community(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    timezone: str = strawberry.field(description="IANA time zone; months and days are counted in it.")
    office_phone: str = strawberry.field(
        description="The office's phone, offered to people without the app; empty until the office sets it."
    )

    @strawberry.field
    async def compounds(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Compound]:
        return await resolve.compounds_of(self, info, first, after)


@strawberry.type(description="A residential compound (小区).")
class Compound(Place):
    @strawberry.field
    async def community(self, info: Info) -> Community:
        return await resolve.community_of(self, info)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await resolve.active_tag_of(TagTargetKind.COMPOUND, self.id, self.community_id, info)

    @strawberry.field
    async def buildings(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Building]:
        return await resolve.buildings_of(self, info, first, after)


@strawberry.type(description="A building (楼栋) of a compound.")
class Building(Place):
    compound_id: strawberry.Private[int]

    @strawberry.field
    async def compound(self, info: Info) -> Compound:
        return await resolve.compound_of(self, info)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await resolve.active_tag_of(TagTargetKind.BUILDING, self.id, self.community_id, info)

    @strawberry.field
    async def entrances(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Entrance]:
        return await resolve.entrances_of(self, info, first, after)


@strawberry.type(description="An entrance (单元/楼道), the corridor the red flag is awarded to.")
class Entrance(Place):
    building_id: strawberry.Private[int]

    @strawberry.field
    async def building(self, info: Info) -> Building:
        return await resolve.building_of(self, info)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await resolve.active_tag_of(TagTargetKind.ENTRANCE, self.id, self.community_id, info)

    @strawberry.field(description="How many households the entrance serves. Visible to every member.")
    async def household_count(self, info: Info) -> int:
        return await resolve.household_count_of(self, info)

    @strawberry.field(description="The households of this entrance. The community office only.")
    async def households(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Household] | None:
        return await resolve.households_of(self, info, first, after)


@strawberry.type(description="A household (户). Visible to staff, and to the people who live there.")
class Household(Place):
    area_m2: Decimal | None
    entrance_id: strawberry.Private[int]

    @strawberry.field
    async def entrance(self, info: Info) -> Entrance:
        return await resolve.entrance_of(self, info)

    @strawberry.field(description="Care tags. Only the community's staff may ask; others get FORBIDDEN.")
    async def care_tags(self, info: Info) -> list[CareTagKind] | None:
        return await resolve.care_tags_of(self, info)


@strawberry.type(description="A thing on a place that can break: a lamp, a pipe, a camera, a door…")
class Asset(relay.Node):
    id: relay.NodeID[int]
    name: str
    kind: AssetKind
    community_id: strawberry.Private[int]
    compound_id: strawberry.Private[int]
    building_id: strawberry.Private[int | None]
    entrance_id: strawberry.Private[int | None]

    @strawberry.field(description='Where it is, in full: "休闲小区 4号楼 2单元 楼道灯".')
    async def label(self, info: Info) -> str:
        return await resolve.label_of(self, info)

    @strawberry.field(description="The most specific place it is on: its entrance, building or compound.")
    async def place(self, info: Info) -> Place:
        return await resolve.place_of_asset(self, info)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await resolve.active_tag_of(TagTargetKind.ASSET, self.id, self.community_id, info)
