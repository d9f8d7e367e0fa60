"""Tags: printed QR codes bound to one place (compound, building, entrance) or one asset.

A tag's code is signed over (id, version) and never stored: it can be recomputed from the row,
and a code that verifies names exactly one row. Re-issuing revokes the row and creates a new one,
so an old sticker keeps saying "revoked" instead of silently pointing somewhere else.
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.enums import TagTargetKind

if TYPE_CHECKING:
    from models.people import User
    from models.places import Asset, Building, Community, Compound, Entrance


class Tag(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="tags", on_delete=fields.RESTRICT
    )
    target_kind = fields.CharEnumField(TagTargetKind, max_length=20)
    # Exactly one of these four is set, the one `target_kind` names.
    compound: fields.ForeignKeyNullableRelation["Compound"] = fields.ForeignKeyField(
        "models.Compound", related_name="tags", null=True, on_delete=fields.RESTRICT
    )
    building: fields.ForeignKeyNullableRelation["Building"] = fields.ForeignKeyField(
        "models.Building", related_name="tags", null=True, on_delete=fields.RESTRICT
    )
    entrance: fields.ForeignKeyNullableRelation["Entrance"] = fields.ForeignKeyField(
        "models.Entrance", related_name="tags", null=True, on_delete=fields.RESTRICT
    )
    asset: fields.ForeignKeyNullableRelation["Asset"] = fields.ForeignKeyField(
        "models.Asset", related_name="tags", null=True, on_delete=fields.RESTRICT
    )
    # 1 for the first tag of a target, +1 for each re-issue; signed into the code.
    version = fields.IntField(default=1)
    # "entrance:12" while the tag is active, NULL once revoked: the unique index allows one active
    # tag per target (NULLs never collide), so concurrent bulk runs cannot print two codes.
    active_key = fields.CharField(max_length=40, null=True, unique=True)
    created_at = fields.DatetimeField()
    created_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="tags_created", null=True, on_delete=fields.SET_NULL
    )
    revoked_at = fields.DatetimeField(null=True)
    revoked_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="tags_revoked", null=True, on_delete=fields.SET_NULL
    )

    community_id: int
    compound_id: int | None
    building_id: int | None
    entrance_id: int | None
    asset_id: int | None
    created_by_id: int | None
    revoked_by_id: int | None

    class Meta:
        table = "tag"
        # Lookups by target: the sheet of a building, bulk creation, "is there an active tag here".
        indexes = (("community", "target_kind"), ("compound",), ("building",), ("entrance",), ("asset",))
