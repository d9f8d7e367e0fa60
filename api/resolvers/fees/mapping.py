"""Rows and service answers to the fees' schema types.

Most of a fee type is the row's own columns under the same names; `mapped` copies those and
takes the rest (global ids, yuan texts, labels) from its keywords, so each mapping says only
what differs from the row."""

from __future__ import annotations

import base64
from typing import Any, TypeVar

from strawberry import relay

from api.schema.fees import inputs, types
from models import fees as fees_models
from services.fees import adjustments, households, payments, receipt_print, resident
from services.fees.arrears import Arrear
from services.fees.money import yuan
from services.fees.periods import Period
from services.fees.receipts import receipt_label

T = TypeVar("T")


def mapped(kind: type[T], row: object, **computed: Any) -> T:
    """`kind` filled from `row`'s attributes of the same names, `computed` overriding or adding
    (a strawberry.Private too); fields with their own resolver are left to it."""
    definition = kind.__strawberry_definition__  # type: ignore[attr-defined]
    names = [f.python_name for f in definition.fields if f.base_resolver is None]
    values = {name: getattr(row, name) for name in names if name not in computed}
    return kind(**values, **computed)


def gid(type_name: str, row_id: int | None) -> relay.GlobalID | None:
    return None if row_id is None else relay.GlobalID(type_name, str(row_id))


def household(row_id: int) -> relay.GlobalID:
    return relay.GlobalID("Household", str(row_id))


def schedule(row: fees_models.FeeSchedule) -> types.FeeSchedule:
    return mapped(types.FeeSchedule, row, unit_price_yuan=yuan(row.unit_price_fen))


def bill(row: fees_models.FeeBill, labels: dict[int, str]) -> types.FeeBill:
    return mapped(
        types.FeeBill,
        row,
        household=household(row.household_id),
        household_label=labels.get(row.household_id, ""),
        period_words=Period(row.period_start, row.months).words,
        amount_yuan=yuan(row.amount_fen),
        owed_fen=0 if row.state == fees_models.BillState.WAIVED else row.amount_fen - row.paid_fen,
    )


async def payments_of(rows: list[fees_models.FeePayment]) -> list[types.FeePayment]:
    """Several payments with their lines and receipts in two statements, whatever their number."""
    lines = await payments.lines_of([row.id for row in rows])
    receipts = await payments.receipts_of(rows)
    by_payment: dict[int, list[types.FeePaymentLine]] = {}
    for line in lines:
        by_payment.setdefault(line.payment_id, []).append(
            mapped(types.FeePaymentLine, line, bill=gid("FeeBill", line.bill_id))
        )
    mapped_rows = []
    for row in rows:
        receipt = receipts.get(row.receipt_id) if row.receipt_id else None
        mapped_rows.append(
            mapped(
                types.FeePayment,
                row,
                household=household(row.household_id),
                amount_yuan=yuan(row.amount_fen),
                reverses=gid("FeePayment", row.reverses_id),
                receipt_number=receipt_label(receipt.year, receipt.number) if receipt else None,
                receipt_voided=bool(receipt and receipt.voided_at),
                gift=gid("Redemption", row.gift_redemption_id),
                lines=by_payment.get(row.id, []),
            )
        )
    return mapped_rows


def offer(row: fees_models.FeeOffer) -> types.FeeOffer:
    return mapped(types.FeeOffer, row, id=str(row.id), gift_reward=gid("Reward", row.gift_reward_id))


def reduction(row: fees_models.FeeReduction, labels: dict[int, str]) -> types.FeeReduction:
    return mapped(
        types.FeeReduction,
        row,
        household=household(row.household_id),
        household_label=labels.get(row.household_id, ""),
    )


def arrear(row: Arrear) -> types.FeeArrear:
    return mapped(
        types.FeeArrear,
        row,
        household=household(row.household_id),
        household_label=row.label,
        compound=gid("Compound", row.compound_id),
        building=gid("Building", row.building_id),
        owed_yuan=yuan(row.owed_fen),
        reminded_periods=list(row.reminded_periods),
    )


async def my_fees(mine: resident.MyFees) -> types.MyFees:
    labels = {mine.household_id: mine.household_label} if mine.household_id else {}
    return mapped(
        types.MyFees,
        mine,
        household=gid("Household", mine.household_id),
        owed_yuan=yuan(mine.owed_fen),
        bills=[bill(row, labels) for row in mine.bills],
        payments=await payments_of(mine.payments),
        offer=offer(mine.offer) if mine.offer else None,
    )


def receipt(view: receipt_print.ReceiptView, payment_id: int) -> types.FeeReceipt:
    return mapped(
        types.FeeReceipt,
        view,
        payment=gid("FeePayment", payment_id),
        lines=[mapped(types.FeeReceiptLine, line) for line in view.lines],
        total_yuan=yuan(view.total_fen),
        _png=lambda: base64.b64encode(receipt_print.png(view)).decode(),
        _pdf=lambda: base64.b64encode(receipt_print.pdf(view)).decode(),
    )


def quote(found: payments.Quote) -> types.FeePaymentQuote:
    return mapped(types.FeePaymentQuote, found, due_yuan=yuan(found.due_fen))


async def household_fees(found: resident.MyFees) -> types.FeeHousehold:
    labels = {found.household_id: found.household_label} if found.household_id else {}
    return mapped(
        types.FeeHousehold,
        found,
        household=gid("Household", found.household_id),
        owed_yuan=yuan(found.owed_fen),
        bills=[bill(row, labels) for row in found.bills],
        payments=await payments_of(found.payments),
    )


def entry(row: adjustments.Entry) -> types.FeeBillEntry:
    return mapped(
        types.FeeBillEntry, row, amount_yuan=yuan(row.amount_fen), payment=gid("FeePayment", row.payment_id)
    )


async def bill_payload(row: fees_models.FeeBill) -> inputs.FeeBillPayload:
    labels = await households.labels([row.household_id])
    return inputs.FeeBillPayload(bill=bill(row, labels))
