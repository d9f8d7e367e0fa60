"""What points buy: the catalog, redemptions, and the versioned earning rules of a community."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.ledger import PointAccount
    from models.people import User
    from models.places import Community


class RewardKind(StrEnum):
    GIFT = "gift"
    SERVICE = "service"


class RedemptionStatus(StrEnum):
    PENDING = "pending"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Reward(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="rewards", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(RewardKind, max_length=20)
    name = fields.CharField(max_length=100)
    description = fields.CharField(max_length=500, default="")
    cost = fields.IntField()
    # Null: not counted (a service voucher the repair team can always honour).
    stock = fields.IntField(null=True)
    monthly_limit = fields.IntField(null=True)
    active_from = fields.DatetimeField(null=True)
    active_until = fields.DatetimeField(null=True)
    image_url = fields.CharField(max_length=500, default="")
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    community_id: int

    class Meta:
        table = "reward"
        indexes = (("community", "is_active"),)


class Redemption(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="redemptions", on_delete=fields.RESTRICT
    )
    reward: fields.ForeignKeyRelation[Reward] = fields.ForeignKeyField(
        "models.Reward", related_name="redemptions", on_delete=fields.RESTRICT
    )
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="redemptions", on_delete=fields.RESTRICT
    )
    account: fields.ForeignKeyRelation["PointAccount"] = fields.ForeignKeyField(
        "models.PointAccount", related_name="redemptions", on_delete=fields.RESTRICT
    )
    cost = fields.IntField()
    status = fields.CharEnumField(RedemptionStatus, max_length=20, default=RedemptionStatus.PENDING)
    idempotency_key = fields.CharField(max_length=64)
    # Random; the pickup code is this nonce signed with the server's key, so the code says nothing.
    pickup_nonce = fields.CharField(max_length=32, unique=True)
    # YYYY-MM in the community's time zone: the per-member monthly limit counts by it.
    local_month = fields.CharField(max_length=7)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    fulfilled_at = fields.DatetimeField(null=True)
    fulfilled_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="redemptions_fulfilled", null=True, on_delete=fields.SET_NULL
    )
    closed_at = fields.DatetimeField(null=True)
    closed_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="redemptions_closed", null=True, on_delete=fields.SET_NULL
    )

    community_id: int
    reward_id: int
    user_id: int
    account_id: int
    fulfilled_by_id: int | None
    closed_by_id: int | None

    class Meta:
        table = "redemption"
        unique_together = (("user", "community", "idempotency_key"),)
        indexes = (
            ("community", "status", "id"),
            ("user", "community", "id"),
            ("user", "reward", "local_month"),
            ("status", "expires_at"),
        )


class PointRules(Model):
    """One version of a community's earning rules. A change writes a new version; transfers keep
    the version that priced them."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="point_rules", on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    config: Any = fields.JSONField()
    created_at = fields.DatetimeField()
    created_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="point_rules_written", null=True, on_delete=fields.SET_NULL
    )

    community_id: int

    class Meta:
        table = "point_rules"
        unique_together = (("community", "version"),)
