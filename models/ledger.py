"""The red points ledger: accounts and the transfers between them (double entry).

An account's balance is credits minus debits. Earning moves points from the community's issuing
account to a member, so the issuing account runs negative by exactly what was issued and every
community's accounts sum to zero.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community


class AccountKind(StrEnum):
    MEMBER = "member"
    ISSUING = "issuing"
    REDEMPTION = "redemption"
    ADJUSTMENTS = "adjustments"
    EXPIRY = "expiry"


class TransferKind(StrEnum):
    ATTENDANCE = "attendance"
    REPORT = "report"
    REPAIR = "repair"
    INSPECTION = "inspection"
    RANKING = "ranking"
    MANUAL_AWARD = "manual_award"
    MANUAL_DEDUCT = "manual_deduct"
    REDEMPTION = "redemption"
    REDEMPTION_REFUND = "redemption_refund"
    REVERSAL = "reversal"
    EXPIRY = "expiry"


class PointAccount(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="point_accounts", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(AccountKind, max_length=20)
    user: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="point_accounts", null=True, on_delete=fields.RESTRICT
    )
    # "member:<community>:<user>" or "<kind>:<community>": one account each, enforced by the index.
    key = fields.CharField(max_length=80, unique=True)
    balance = fields.BigIntField(default=0)
    created_at = fields.DatetimeField()

    community_id: int
    user_id: int | None

    class Meta:
        table = "point_account"
        indexes = (("community", "kind"),)


class PointTransfer(Model):
    """One movement of points. Never edited: a correction is a reversal, a new linked transfer."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="point_transfers", on_delete=fields.RESTRICT
    )
    debit: fields.ForeignKeyRelation[PointAccount] = fields.ForeignKeyField(
        "models.PointAccount", related_name="debits", on_delete=fields.RESTRICT
    )
    credit: fields.ForeignKeyRelation[PointAccount] = fields.ForeignKeyField(
        "models.PointAccount", related_name="credits", on_delete=fields.RESTRICT
    )
    amount = fields.BigIntField()
    kind = fields.CharEnumField(TransferKind, max_length=24)
    memo = fields.CharField(max_length=200, default="")
    actor: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="point_transfers_made", null=True, on_delete=fields.SET_NULL
    )
    # The event that caused it (`report:12:validated`, `attendance:7`, `redemption:3`): at most once.
    source_key = fields.CharField(max_length=160, unique=True)
    # The rules version that priced an earning; null for transfers no rule priced.
    rule_version = fields.IntField(null=True)
    # Entered by staff by hand, not earned through a verified check-in or report.
    by_hand = fields.BooleanField(default=False)
    # The transfer this one reverses; unique, so a transfer is reversed at most once. A plain
    # column: aerich cannot create a table with a foreign key to itself, and transfers are never
    # deleted, so the reference cannot dangle.
    reverses_id = fields.IntField(null=True, unique=True)
    created_at = fields.DatetimeField()
    # The day in the community's time zone (YYYY-MM-DD): daily caps and monthly summaries group by it.
    local_day = fields.CharField(max_length=10)

    community_id: int
    debit_id: int
    credit_id: int
    actor_id: int | None

    class Meta:
        table = "point_transfer"
        indexes = (
            ("debit", "id"),
            ("credit", "id"),
            ("credit", "kind", "local_day"),
            ("community", "local_day"),
        )


class PointLot(Model):
    """Points that reached a member together (one earning or award), spent oldest first.

    A member's lots with points left always sum to the account's balance: every transfer that
    moves a member's points moves its lots in the same transaction, while the account row is
    locked (points_engine.lots). Expiry takes exactly what is left of a lot past `expires_at`.
    """

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation["Community"] = fields.ForeignKeyField(
        "models.Community", related_name="point_lots", on_delete=fields.RESTRICT
    )
    account: fields.ForeignKeyRelation[PointAccount] = fields.ForeignKeyField(
        "models.PointAccount", related_name="lots", on_delete=fields.RESTRICT
    )
    # The credit that brought these points (an earning, an award, a reversed deduction's rest).
    transfer: fields.ForeignKeyNullableRelation[PointTransfer] = fields.ForeignKeyField(
        "models.PointTransfer", related_name="lots", null=True, on_delete=fields.RESTRICT
    )
    amount = fields.BigIntField()
    remaining = fields.BigIntField()
    earned_at = fields.DatetimeField()
    # Null: these points never expire (the community's rules said so when they were earned).
    expires_at = fields.DatetimeField(null=True)

    community_id: int
    account_id: int
    transfer_id: int | None

    class Meta:
        table = "point_lot"
        indexes = (("account", "remaining", "id"), ("expires_at", "remaining"))


class PointLotMove(Model):
    """One change of a lot's points by one transfer: +amount when earned or put back, −amount
    when spent, deducted or expired. A refund or a reversal puts back exactly what the undone
    transfer took from each lot, so these rows are what makes that possible."""

    id = fields.IntField(primary_key=True)
    lot: fields.ForeignKeyRelation[PointLot] = fields.ForeignKeyField(
        "models.PointLot", related_name="moves", on_delete=fields.RESTRICT
    )
    transfer: fields.ForeignKeyRelation[PointTransfer] = fields.ForeignKeyField(
        "models.PointTransfer", related_name="lot_moves", on_delete=fields.RESTRICT
    )
    amount = fields.BigIntField()

    lot_id: int
    transfer_id: int

    class Meta:
        table = "point_lot_move"
        indexes = (("transfer", "lot"),)
