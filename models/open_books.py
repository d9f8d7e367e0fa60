"""Public accounts: what the property service took in and spent, month by month, and what each
community chose to show on its notice board without sign-in.

Entries are append-only like the points ledger: a mistake is fixed by a new entry that names the
one it corrects; the statement counts only entries nobody corrected.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User
    from models.places import Community


class AccountCategory(StrEnum):
    # income
    FEES = "fees"
    ADVERTISING = "advertising"
    GRANTS = "grants"
    OTHER_INCOME = "other_income"
    # spending
    LABOUR = "labour"
    MATERIALS = "materials"
    OTHER_SPENDING = "other_spending"


INCOME_CATEGORIES = frozenset(
    {AccountCategory.FEES, AccountCategory.ADVERTISING, AccountCategory.GRANTS, AccountCategory.OTHER_INCOME}
)


class AccountEntry(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="account_entries", on_delete=fields.RESTRICT
    )
    month = fields.CharField(max_length=7)  # YYYY-MM the entry belongs to
    category = fields.CharEnumField(AccountCategory, max_length=20)
    amount = fields.DecimalField(max_digits=12, decimal_places=2)  # yuan, always > 0
    memo = fields.CharField(max_length=300, default="")
    brand_model = fields.CharField(max_length=100, default="")  # for materials
    # Set on a correction: the entry it replaces. An entry is corrected at most once.
    # Set on a correction: the id of the entry it replaces (a plain column: tortoise cannot create
    # a table whose foreign key points at itself). Unique: an entry is corrected at most once.
    corrects_id = fields.IntField(null=True, unique=True)
    entered_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="account_entries", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    community_id: int
    entered_by_id: int

    class Meta:
        table = "account_entry"
        indexes = (("community", "month"),)


class BoardPublicity(Model):
    """Which sections of the notice board anyone may see without signing in. Without a row,
    nothing is public: the community office opts in."""

    id = fields.IntField(primary_key=True)
    community: fields.OneToOneRelation[Community] = fields.OneToOneField(
        "models.Community", related_name="board_publicity", on_delete=fields.CASCADE
    )
    flag = fields.BooleanField(default=False)
    volunteers = fields.BooleanField(default=False)
    repairs = fields.BooleanField(default=False)
    satisfaction = fields.BooleanField(default=False)
    accounts = fields.BooleanField(default=False)
    updated_at = fields.DatetimeField()

    community_id: int

    class Meta:
        table = "board_publicity"
