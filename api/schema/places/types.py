"""Community, compounds, buildings, entrances, households, and their rows to these types.

Children inherit the community their parent was checked for; a field narrower than its parent
(households, care tags, the active tag) checks the caller itself."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from api.context import Info
from api.schema.common import Connection
from api.schema.connections import children
from api.schema.places.labels import label_by_id
from models import places as place_models
from models.enums import AssetKind, CareTagKind, TagTargetKind
from services.places.labels import PlaceKind
from services.tags import active_key

if TYPE_CHECKING:
    # For the annotation only: the tags types name places, so Tag is reached through strawberry.lazy.
    from api.schema.tags.types import Tag

LazyTag = Annotated["Tag", strawberry.lazy("api.schema.tags.types")]

strawberry.enum(AssetKind, description="What kind of thing an asset is.")
strawberry.enum(
    CareTagKind, description="Sensitive marks on a household. Visible to the community's staff only."
)


async def _label(root: Place | Asset, info: Info) -> str:
    """The full label. The kind is the GraphQL type's name (Compound, Building, Entrance,
    Household, Asset)."""
    label = await label_by_id(info, PlaceKind(type(root).__name__.lower()), int(root.id))
    return label or root.name


async def _active_tag(kind: TagTargetKind, target_id: int, community_id: int, info: Info) -> Tag | None:
    info.context.viewer.require_manager(community_id)
    row = await info.context.loaders.tags.active_tag_by_target.load(active_key(kind, target_id))
    if row is None:
        return None
    # Imported here: a true cycle between two schema areas (a Tag names its place; LazyTag above).
    from api.schema.tags.types import Tag

    return Tag.of(row)


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
        return await _label(self, info)


@strawberry.type(description="The tenant: a community office and the compounds it serves.")
class Community(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    timezone: str = strawberry.field(description="IANA time zone; months and days are counted in it.")
    office_phone: str = strawberry.field(
        description="The office's phone, offered to people without the app; empty until the office sets it."
    )

    @classmethod
    def of(cls, row: place_models.Community) -> Community:
        return cls(
            id=row.id, name=row.name, slug=row.slug, timezone=row.timezone, office_phone=row.office_phone
        )

    @strawberry.field
    async def compounds(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Compound]:
        loaders = info.context.loaders.places
        return await children(
            self.id,
            loaders.compounds_by_community,
            loaders.compound_count_by_community,
            Compound.of,
            first,
            after,
        )


@strawberry.type(description="A residential compound (小区).")
class Compound(Place):
    @classmethod
    def of(cls, row: place_models.Compound) -> Compound:
        return cls(id=row.id, name=row.name, community_id=row.community_id)

    @strawberry.field
    async def community(self, info: Info) -> Community:
        row = await info.context.loaders.places.community_by_id.load(self.community_id)
        assert row is not None
        return Community.of(row)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await _active_tag(TagTargetKind.COMPOUND, self.id, self.community_id, info)

    @strawberry.field
    async def buildings(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Building]:
        loaders = info.context.loaders.places
        return await children(
            self.id,
            loaders.buildings_by_compound,
            loaders.building_count_by_compound,
            Building.of,
            first,
            after,
        )


@strawberry.type(description="A building (楼栋) of a compound.")
class Building(Place):
    compound_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: place_models.Building) -> Building:
        return cls(id=row.id, name=row.name, community_id=row.community_id, compound_id=row.compound_id)

    @strawberry.field
    async def compound(self, info: Info) -> Compound:
        row = await info.context.loaders.places.compound_by_id.load(self.compound_id)
        assert row is not None
        return Compound.of(row)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await _active_tag(TagTargetKind.BUILDING, self.id, self.community_id, info)

    @strawberry.field
    async def entrances(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Entrance]:
        loaders = info.context.loaders.places
        return await children(
            self.id,
            loaders.entrances_by_building,
            loaders.entrance_count_by_building,
            Entrance.of,
            first,
            after,
        )


@strawberry.type(description="An entrance (单元/楼道), the corridor the red flag is awarded to.")
class Entrance(Place):
    building_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: place_models.Entrance) -> Entrance:
        return cls(id=row.id, name=row.name, community_id=row.community_id, building_id=row.building_id)

    @strawberry.field
    async def building(self, info: Info) -> Building:
        row = await info.context.loaders.places.building_by_id.load(self.building_id)
        assert row is not None
        return Building.of(row)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await _active_tag(TagTargetKind.ENTRANCE, self.id, self.community_id, info)

    @strawberry.field(description="How many households the entrance serves. Visible to every member.")
    async def household_count(self, info: Info) -> int:
        return await info.context.loaders.places.household_count_by_entrance.load(self.id)

    @strawberry.field(description="The households of this entrance. The community office only.")
    async def households(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Household] | None:
        info.context.viewer.require_manager(self.community_id)
        loaders = info.context.loaders.places
        return await children(
            self.id,
            loaders.households_by_entrance,
            loaders.household_count_by_entrance,
            Household.of,
            first,
            after,
        )


@strawberry.type(description="A household (户). Visible to staff, and to the people who live there.")
class Household(Place):
    area_m2: Decimal | None
    entrance_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: place_models.Household) -> Household:
        return cls(
            id=row.id,
            name=row.number,
            area_m2=row.area_m2,
            community_id=row.community_id,
            entrance_id=row.entrance_id,
        )

    @strawberry.field
    async def entrance(self, info: Info) -> Entrance:
        row = await info.context.loaders.places.entrance_by_id.load(self.entrance_id)
        assert row is not None
        return Entrance.of(row)

    @strawberry.field(description="Care tags. Only the community's staff may ask; others get FORBIDDEN.")
    async def care_tags(self, info: Info) -> list[CareTagKind] | None:
        info.context.viewer.require_staff(self.community_id)
        return await info.context.loaders.places.care_tags_by_household.load(self.id)


@strawberry.type(description="A thing on a place that can break: a lamp, a pipe, a camera, a door…")
class Asset(relay.Node):
    id: relay.NodeID[int]
    name: str
    kind: AssetKind
    community_id: strawberry.Private[int]
    compound_id: strawberry.Private[int]
    building_id: strawberry.Private[int | None]
    entrance_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, row: place_models.Asset) -> Asset:
        return cls(
            id=row.id,
            name=row.name,
            kind=row.kind,
            community_id=row.community_id,
            compound_id=row.compound_id,
            building_id=row.building_id,
            entrance_id=row.entrance_id,
        )

    @strawberry.field(description='Where it is, in full: "休闲小区 4号楼 2单元 楼道灯".')
    async def label(self, info: Info) -> str:
        return await _label(self, info)

    @strawberry.field(description="The most specific place it is on: its entrance, building or compound.")
    async def place(self, info: Info) -> Place:
        return await place_at(info, self.compound_id, self.building_id, self.entrance_id)

    @strawberry.field(description="The printed QR tag here, if it has one. The community office only.")
    async def active_tag(self, info: Info) -> LazyTag | None:
        return await _active_tag(TagTargetKind.ASSET, self.id, self.community_id, info)


_TYPE_OF_ROW: dict[type, Any] = {
    place_models.Compound: Compound,
    place_models.Building: Building,
    place_models.Entrance: Entrance,
    place_models.Household: Household,
}


def place_of_row(row: Any) -> Place:
    """A compound, building, entrance or household row as its type."""
    place: Place = _TYPE_OF_ROW[type(row)].of(row)
    return place


async def place_at(
    info: Info, compound_id: int | None, building_id: int | None, entrance_id: int | None
) -> Place:
    """The most specific of the places a row names (an asset, a report, a tag): its entrance,
    else its building, else its compound, through the loaders. Reports and assets fill the
    columns down to their level; a tag fills only its own, so the compound may be missing."""
    loaders = info.context.loaders.places
    if entrance_id is not None:
        entrance = await loaders.entrance_by_id.load(entrance_id)
        assert entrance is not None
        return Entrance.of(entrance)
    if building_id is not None:
        building = await loaders.building_by_id.load(building_id)
        assert building is not None
        return Building.of(building)
    assert compound_id is not None  # neither an entrance nor a building: the row is on a compound
    compound = await loaders.compound_by_id.load(compound_id)
    assert compound is not None
    return Compound.of(compound)
