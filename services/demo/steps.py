"""The demo's steps, in the order they run. Each story step is `async (Story) -> None`, runs at the
moments it chooses on the story's clock, and goes through the services.

Adding to the demo is adding a step here. Property fees (issue 20) come after the reports and
before the books: a year of quarterly bills per household up to the story's "now", payments with
receipts, the prepay offer and some arrears; the public accounts read each month's fee income from
those payments, as they read repair materials from the reports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.demo import (
    activities,
    books,
    fees,
    inspections,
    mediation,
    reports,
    rewards,
    tags,
    teams,
    voice,
)
from services.demo.story import Story


@dataclass(frozen=True)
class Step:
    name: str
    label: str  # shown on the progress bar
    run: Callable[[Story], Awaitable[None]]


STORY_STEPS: tuple[Step, ...] = (
    Step("tags", "二维码标签", tags.seed),
    Step("teams", "志愿队伍与队员", teams.seed),
    Step("activities", "活动、签到、审核、日志、暴雪动员", activities.seed),
    Step("reports", "报修工单", reports.seed),
    Step("inspections", "楼道检查、流动红旗、月度奖励", inspections.seed),
    Step("rewards", "积分商城与兑换", rewards.seed),
    Step("voice", "居民意见、议事会、满意度调查", voice.seed),
    Step("mediation", "家园观察员走访与红色调解室", mediation.seed),
    Step("fees", "一年的物业费账单与缴费", fees.seed),
    Step("books", "账目公开与公告栏", books.seed),
)
