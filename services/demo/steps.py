"""The demo's steps, in the order they run. Each story step is `async (Story) -> None`, runs at the
moments it chooses on the story's clock, and goes through the services.

Adding to the demo is adding a step here. Property fees (issue 20) go in where marked: a year of
fee schedules, bills per household (areas in m² are in the register), payments with receipts and
some arrears — after the reports (the accounts read repair materials) and before the books, so
that the monthly FEES income of services.demo.books can come from the payments instead of a sum.
services.fees.demo.seed_fees(community_id, staff_user_id, year, seed) exists since the fees merge;
it is not wired in yet because it writes a whole calendar year on its own dates, not on the
story's clock (payments would land after the story's "now"): the step should pass `story.now`
as the latest day, then `books` can read the month's fee income from the payments.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.demo import activities, books, inspections, reports, rewards, tags, teams, voice
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
    # Step("fees", "一年的物业费账单与缴费", fees.seed),  ← issue 20 adds its step here
    Step("books", "账目公开与公告栏", books.seed),
)
