"""Open books (公开账目): the community's public accounts.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_global_id
from api.resolvers.payloads import guarded
from api.schema.open_books import types
from models.open_books import INCOME_CATEGORIES
from models.open_books import AccountEntry as EntryRow
from services import open_books


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def _entry(row: EntryRow) -> types.AccountEntry:
    return types.AccountEntry(
        id=row.id,
        month=row.month,
        category=row.category,
        is_income=row.category in INCOME_CATEGORIES,
        amount=row.amount,
        memo=row.memo,
        brand_model=row.brand_model,
        corrects=None if row.corrects_id is None else relay.GlobalID("AccountEntry", str(row.corrects_id)),
        created_at=row.created_at,
    )


def statement_type(found: open_books.Statement) -> types.AccountStatement:
    return types.AccountStatement(
        month=found.month,
        income=found.income,
        spending=found.spending,
        balance=found.balance,
        categories=[
            types.AccountCategoryTotal(
                category=c.category, is_income=c.is_income, amount=c.amount, share_percent=c.share_percent
            )
            for c in found.categories
        ],
        entries=[_entry(row) for row in found.entries],
        repair_materials=[
            types.RepairMaterialLine(
                report=relay.GlobalID("Report", str(m.report_id)),
                item=m.item,
                brand_model=m.brand_model,
                quantity=m.quantity,
                cost=m.cost,
            )
            for m in found.repair_materials
        ],
        repair_materials_total=found.repair_materials_total,
    )


async def account_statement(info: Info, community_id: strawberry.ID, month: str) -> types.AccountStatement:
    viewer = info.context.viewer
    viewer.require_user()
    return statement_type(await open_books.statement(viewer, _community(community_id), month))


async def account_entry_record(info: Info, input: types.AccountEntryRecordInput) -> types.AccountEntryPayload:
    async def work() -> types.AccountEntryPayload:
        viewer = info.context.viewer
        viewer.require_user()
        corrects = (
            None
            if input.corrects_id is None
            else decode_global_id(input.corrects_id, "AccountEntry", "correctsId")
        )
        row = await open_books.record(
            viewer,
            _community(input.community_id),
            month=input.month,
            category=input.category,
            amount=input.amount,
            memo=input.memo,
            brand_model=input.brand_model,
            corrects_id=corrects,
            idempotency_key=input.idempotency_key,
        )
        return types.AccountEntryPayload(entry=_entry(row))

    return await guarded(types.AccountEntryPayload, work())
