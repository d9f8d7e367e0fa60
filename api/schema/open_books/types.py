"""Open books (公开账目): the community's public accounts.

The GraphQL types of the area."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from api.schema.common import UserError
from models.open_books import AccountCategory

strawberry.enum(
    AccountCategory,
    description="Income: FEES, ADVERTISING, GRANTS, OTHER_INCOME. Spending: LABOUR, MATERIALS, "
    "OTHER_SPENDING.",
)


@strawberry.type(description="One line of the public accounts. Never changed; corrected by a new entry.")
class AccountEntry(relay.Node):
    id: relay.NodeID[int]
    month: str
    category: AccountCategory
    is_income: bool
    amount: Decimal
    memo: str
    brand_model: str
    corrects: relay.GlobalID | None = strawberry.field(description="The entry this one replaces.")
    created_at: datetime


@strawberry.type(description="Materials a repair used, counted in the month it was recorded.")
class RepairMaterialLine:
    report: relay.GlobalID
    item: str
    brand_model: str
    quantity: Decimal
    cost: Decimal


@strawberry.type
class AccountCategoryTotal:
    category: AccountCategory
    is_income: bool
    amount: Decimal
    share_percent: float = strawberry.field(description="Of its side (income or spending), 0–100.")


@strawberry.type(description="A month's public accounts: entries in force plus repair materials.")
class AccountStatement:
    month: str
    income: Decimal
    spending: Decimal
    balance: Decimal
    categories: list[AccountCategoryTotal]
    entries: list[AccountEntry] = strawberry.field(description="Entries in force (not corrected).")
    repair_materials: list[RepairMaterialLine]
    repair_materials_total: Decimal


@strawberry.input
class AccountEntryRecordInput:
    community_id: strawberry.ID
    month: str = strawberry.field(description="YYYY-MM")
    category: AccountCategory | None = strawberry.field(description="Required; null is refused.")
    amount: Decimal = strawberry.field(description="Yuan, above zero, at most two decimals.")
    memo: str = ""
    brand_model: str = strawberry.field(default="", description="For MATERIALS.")
    corrects_id: strawberry.ID | None = strawberry.field(
        default=None, description="The entry this one replaces in the statement."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A fresh key per action; a retry with it within 24 h returns the first result.",
    )


@strawberry.type
class AccountEntryPayload:
    entry: AccountEntry | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


# Satisfaction ----------------------------------------------------------------------------------
