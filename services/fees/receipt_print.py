"""The printable receipt (收据): PNG or PDF drawn by Pillow with the font shipped in
services/fonts (as services/tag_printing does), so it looks the same on every machine.

It shows the community, the receipt number, the household's full label, each period paid with
its amount (and free months), the total in figures and in Chinese capitals, how it was paid, who
received it, and, once the payment is reversed, a 作废 stamp."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageDraw

from models.fees import FeeBill, FeePayment, FeePaymentLine, FeeReceipt, PaymentKind, PaymentMethod
from models.people import User
from models.places import Community
from points_engine.localtime import zone
from services.access import Viewer
from services.errors import DomainError, ErrorCode
from services.fees import households, payments
from services.fees.money import capitals, yuan
from services.fees.periods import Period
from services.fees.receipts import receipt_label
from services.tags.printing import font

METHOD_WORDS = {
    PaymentMethod.CASH: "现金",
    PaymentMethod.BANK_TRANSFER: "银行转账",
    PaymentMethod.WECHAT_TRANSFER: "微信转账",
}
WIDTH, MARGIN = 1240, 70  # A5 landscape-ish at 150 dpi
DPI = 150


@dataclass(frozen=True)
class ReceiptLine:
    period: str
    amount_fen: int
    discount_fen: int


@dataclass(frozen=True)
class ReceiptView:
    community_name: str
    number: str
    household_label: str
    issued_at: datetime
    lines: list[ReceiptLine]
    total_fen: int
    total_capitals: str
    method: str
    reference: str
    received_by: str
    voided: bool
    void_reason: str
    note: str


async def view(viewer: Viewer, payment_id: int) -> ReceiptView:
    payment = await payments.get(viewer, payment_id)
    if payment.kind != PaymentKind.PAYMENT or payment.receipt_id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "冲正记录没有收据；请看原缴费的收据。", "paymentId")
    return await view_of(payment)


async def view_of(payment: FeePayment) -> ReceiptView:
    receipt = await FeeReceipt.get(id=payment.receipt_id)
    community = await Community.get(id=payment.community_id)
    lines = await FeePaymentLine.filter(payment_id=payment.id).order_by("id")
    bills = {b.id: b for b in await FeeBill.filter(id__in=[line.bill_id for line in lines])}
    label = (await households.labels([payment.household_id])).get(payment.household_id, "")
    cashier = await User.get(id=payment.received_by_id)
    return ReceiptView(
        community_name=community.name,
        number=receipt_label(receipt.year, receipt.number),
        household_label=label,
        issued_at=receipt.issued_at.astimezone(zone(community.timezone)),
        lines=[
            ReceiptLine(
                Period(bills[line.bill_id].period_start, bills[line.bill_id].months).words,
                line.amount_fen,
                line.discount_fen,
            )
            for line in sorted(lines, key=lambda line: bills[line.bill_id].period_start)
        ],
        total_fen=payment.amount_fen,
        total_capitals=capitals(payment.amount_fen),
        method=METHOD_WORDS[payment.method],
        reference=payment.reference,
        received_by=cashier.display_name,
        voided=receipt.voided_at is not None,
        void_reason=receipt.void_reason,
        note=payment.note,
    )


def draw(receipt: ReceiptView) -> Image.Image:
    height = 640 + 56 * len(receipt.lines)
    page = Image.new("RGB", (WIDTH, height), "white")
    pen = ImageDraw.Draw(page)
    pen.text(
        (WIDTH // 2, 50), f"{receipt.community_name}物业服务费收据", font=font(46), fill="black", anchor="ma"
    )
    body, small = font(30), font(26)
    pen.text((MARGIN, 130), f"收据编号：{receipt.number}", font=body, fill="black")
    pen.text(
        (WIDTH - MARGIN, 130), f"日期：{receipt.issued_at:%Y-%m-%d}", font=body, fill="black", anchor="ra"
    )
    pen.text((MARGIN, 180), f"缴费户：{receipt.household_label}", font=body, fill="black")
    top = 240
    pen.line((MARGIN, top, WIDTH - MARGIN, top), fill="black", width=2)
    pen.text((MARGIN + 10, top + 12), "收费期间", font=body, fill="black")
    pen.text((WIDTH - MARGIN - 10, top + 12), "金额（元）", font=body, fill="black", anchor="ra")
    pen.text((WIDTH // 2 + 60, top + 12), "优惠（元）", font=body, fill="black", anchor="ma")
    y = top + 56
    for line in receipt.lines:
        pen.line((MARGIN, y, WIDTH - MARGIN, y), fill="gray", width=1)
        pen.text((MARGIN + 10, y + 12), f"物业服务费 {line.period}", font=body, fill="black")
        pen.text(
            (WIDTH // 2 + 60, y + 12),
            yuan(line.discount_fen) if line.discount_fen else "—",
            font=body,
            fill="black",
            anchor="ma",
        )
        pen.text((WIDTH - MARGIN - 10, y + 12), yuan(line.amount_fen), font=body, fill="black", anchor="ra")
        y += 56
    pen.line((MARGIN, y, WIDTH - MARGIN, y), fill="black", width=2)
    pen.text((MARGIN + 10, y + 16), f"合计（小写）：¥{yuan(receipt.total_fen)}", font=body, fill="black")
    pen.text((MARGIN + 10, y + 66), f"合计（大写）：人民币{receipt.total_capitals}", font=body, fill="black")
    paid_by = receipt.method + (f"（流水号 {receipt.reference}）" if receipt.reference else "")
    pen.text((MARGIN + 10, y + 126), f"缴费方式：{paid_by}", font=body, fill="black")
    pen.text((MARGIN + 10, y + 176), f"收款人：{receipt.received_by}", font=body, fill="black")
    if receipt.note:
        pen.text((MARGIN + 10, y + 226), f"备注：{receipt.note}", font=small, fill="black")
    pen.text((WIDTH - MARGIN, height - 50), "先服务后收费 · 账目公开", font=small, fill="gray", anchor="ra")
    if receipt.voided:
        stamp = font(100)
        # Beside the totals, where the page is empty, so the voided figures stay legible.
        pen.rectangle((WIDTH - 360, y + 10, WIDTH - 80, y + 170), outline="red", width=8)
        pen.text((WIDTH - 220, y + 35), "作废", font=stamp, fill="red", anchor="ma")
        pen.text((MARGIN + 10, height - 50), f"作废原因：{receipt.void_reason}", font=small, fill="red")
    return page


def png(receipt: ReceiptView) -> bytes:
    out = io.BytesIO()
    draw(receipt).save(out, format="PNG", optimize=True)
    return out.getvalue()


def pdf(receipt: ReceiptView) -> bytes:
    out = io.BytesIO()
    draw(receipt).save(out, format="PDF", resolution=DPI)
    return out.getvalue()
