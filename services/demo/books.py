"""Public accounts for each month of the story and the notice board made public.

Income is the fees collected, a grant from the street office and the rent of advertising space;
spending is the wages of the cleaners and repairers (about 68% of all spending, as in the real
community), the materials the repairs recorded (read from the reports, not invented here) and the
electricity of the corridors. One entry is corrected, as happens, to show the trail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from models.open_books import AccountCategory
from services import notice_board, open_books
from services.demo.story import Story

LABOUR_SHARE = Decimal("0.68")
OTHER_SPENDING = Decimal("3260.00")  # corridor lights and pumps, a month
INCOME = (
    (AccountCategory.FEES, Decimal("41280.00"), "物业费收入"),
    (AccountCategory.GRANTS, Decimal("15000.00"), "街道红色物业补贴"),
    (AccountCategory.ADVERTISING, Decimal("1800.00"), "小区宣传栏广告位租金"),
)
CENT = Decimal("0.01")


async def seed(story: Story) -> None:
    community_id = story.community.id
    staff = await story.viewer(story.cast.logins["staff"])
    for back in (2, 1, 0):
        month = story.month_name(back)
        # Recorded when the month's bills are in: at its end, or today for the current one.
        story.at(min(story.month_start(back - 1) - timedelta(hours=10), story.now))
        materials = sum(
            (line.cost for line in await open_books.repair_materials(community_id, month)), Decimal(0)
        )
        for category, amount, memo in INCOME:
            await open_books.record(
                staff, community_id, month=month, category=category, amount=amount, memo=memo
            )
        # Labour is 68% of all spending: spending = (materials + other) / (1 − 68%).
        spending = (materials + OTHER_SPENDING) / (1 - LABOUR_SHARE)
        labour = (spending * LABOUR_SHARE).quantize(CENT)
        wrong = await open_books.record(
            staff,
            community_id,
            month=month,
            category=AccountCategory.LABOUR,
            amount=labour + (Decimal("1000.00") if back == 1 else 0),
            memo="保洁员、维修工工资",
        )
        if back == 1:
            # Typed a thousand too much; the correction replaces it in the statement.
            await open_books.record(
                staff,
                community_id,
                month=month,
                category=AccountCategory.LABOUR,
                amount=labour,
                memo="保洁员、维修工工资（更正：多录入1000元）",
                corrects_id=wrong.id,
            )
        await open_books.record(
            staff,
            community_id,
            month=month,
            category=AccountCategory.OTHER_SPENDING,
            amount=OTHER_SPENDING,
            memo="楼道照明及水泵电费",
        )
    story.at(story.now)
    everything = notice_board.Publicity(
        flag=True, volunteers=True, repairs=True, satisfaction=True, accounts=True
    )
    await notice_board.set_publicity(staff, community_id, everything)
