"""The places of a community: compound ⊃ building ⊃ entrance ⊃ household, and assets on them.

Every row below the community carries `community_id` too, so a tenant filter is one indexed
column and never a join up the tree.
"""

from tortoise import fields
from tortoise.models import Model

from models.enums import AssetKind, CareTagKind


class Community(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    slug = fields.CharField(max_length=60, unique=True)
    timezone = fields.CharField(max_length=60, default="Asia/Shanghai")
    district = fields.CharField(max_length=100, default="")
    city = fields.CharField(max_length=100, default="")
    # The office's phone, set by the office: the tag landing page offers it to people without the
    # app. Empty until set.
    office_phone = fields.CharField(max_length=40, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community"


class Compound(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="compounds", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)

    community_id: int

    class Meta:
        table = "compound"
        unique_together = (("community", "name"),)


class Building(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="buildings", on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "models.Compound", related_name="buildings", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)

    community_id: int
    compound_id: int

    class Meta:
        table = "building"
        unique_together = (("compound", "name"),)


class Entrance(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="entrances", on_delete=fields.RESTRICT
    )
    building: fields.ForeignKeyRelation[Building] = fields.ForeignKeyField(
        "models.Building", related_name="entrances", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)

    community_id: int
    building_id: int

    class Meta:
        table = "entrance"
        unique_together = (("building", "name"),)


class Household(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="households", on_delete=fields.RESTRICT
    )
    entrance: fields.ForeignKeyRelation[Entrance] = fields.ForeignKeyField(
        "models.Entrance", related_name="households", on_delete=fields.RESTRICT
    )
    number = fields.CharField(max_length=40)
    area_m2 = fields.DecimalField(max_digits=8, decimal_places=2, null=True)

    community_id: int
    entrance_id: int

    class Meta:
        table = "household"
        unique_together = (("entrance", "number"),)


class HouseholdCareTag(Model):
    """Sensitive: readable by the community's staff only. Kept apart from `household` so no
    query that lists households can carry it along by accident."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="care_tags", on_delete=fields.RESTRICT
    )
    household: fields.ForeignKeyRelation[Household] = fields.ForeignKeyField(
        "models.Household", related_name="care_tags", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(CareTagKind, max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    community_id: int
    household_id: int

    class Meta:
        table = "household_care_tag"
        unique_together = (("household", "kind"),)


class Asset(Model):
    """A thing on a place that can break: attached to a compound, and optionally to a building
    or an entrance of it."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="assets", on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "models.Compound", related_name="assets", on_delete=fields.RESTRICT
    )
    building: fields.ForeignKeyNullableRelation[Building] = fields.ForeignKeyField(
        "models.Building", related_name="assets", null=True, on_delete=fields.RESTRICT
    )
    entrance: fields.ForeignKeyNullableRelation[Entrance] = fields.ForeignKeyField(
        "models.Entrance", related_name="assets", null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(AssetKind, max_length=20)
    name = fields.CharField(max_length=100)

    community_id: int
    compound_id: int
    building_id: int | None
    entrance_id: int | None

    class Meta:
        table = "asset"
