"""What the operators' commands did, in sentences for the community office: never a Python repr.

`run-jobs` returns each job's own result object; `job_sentences` turns each into one line.
"""

from __future__ import annotations

from typing import Any

from models.places import Community
from points_engine.expiry import ExpiryRun
from services.corridor_flag import Closed
from services.places.labels import PlaceKind, labels_by_id
from services.reports.clocks import TickResult


async def job_sentences(results: dict[str, object]) -> list[str]:
    lines = []
    for name, result in results.items():
        describe = _JOBS.get(name)
        lines.append(await describe(result) if describe else f"{name}：已运行。")
    return lines


async def _report_clocks(result: Any) -> str:
    tick: TickResult = result
    if tick.total == 0:
        return "报修计时：没有超时的报修，也没有待自动确认的维修。"
    return (
        f"报修计时：{tick.claim_escalations} 单超过接单时限、已上报；"
        f"{tick.resolve_escalations} 单超过维修时限、已上报；"
        f"{tick.auto_confirmed} 单维修完成 7 天无人回应、已自动确认。"
    )


async def _close_attendances(result: Any) -> str:
    count = int(result)
    if count == 0:
        return "签到：没有活动结束后仍未签退的记录。"
    return f"签到：关闭了 {count} 条活动结束后仍未签退的记录，已标记请队长核对。"


async def _expire_redemptions(result: Any) -> str:
    count = int(result)
    if count == 0:
        return "兑换：没有逾期未领取的兑换。"
    return f"兑换：{count} 笔兑换逾期未领取，已取消，积分退回、库存恢复。"


async def _expire_points(result: Any) -> str:
    run: ExpiryRun = result
    if run.points == 0:
        return "积分过期：没有到期的积分。"
    return f"积分过期：{run.members} 位成员共 {run.points} 分到期，已转入过期账户（{run.transfers} 笔）。"


async def _close_months(result: Any) -> str:
    closes: list[Closed] = list(result)
    if not closes:
        return "月度评比：还没有社区。"
    names = dict(
        await Community.filter(id__in=[c.close.community_id for c in closes]).values_list("id", "name")
    )
    winners = await labels_by_id(
        PlaceKind.ENTRANCE, [c.close.entrance_id for c in closes if c.close.entrance_id]
    )
    parts = []
    for done in closes:
        close = done.close
        community = names.get(close.community_id, f"社区 {close.community_id}")
        if not done.created:
            parts.append(f"{community} {close.month} 已结算过，无变化")
            continue
        flag = (
            f"流动红旗（{close.holds_month}）归 {winners.get(close.entrance_id, close.entrance_id)}"
            if close.entrance_id
            else "没有符合条件的单元，红旗空缺"
        )
        parts.append(f"{community} {close.month} 已结算：{flag}，发放排名奖励 {len(close.ranks)} 项")
    return "月度评比：" + "；".join(parts) + "。"


async def _issue_fee_bills(result: Any) -> str:
    made: dict[int, int] = dict(result)
    if not any(made.values()):
        return "物业费：今天没有到期要开的账单。"
    names = dict(await Community.filter(id__in=list(made)).values_list("id", "name"))
    parts = [f"{names.get(cid, f'社区 {cid}')} {count} 张" for cid, count in made.items() if count]
    return "物业费：开出本期账单 " + "，".join(parts) + "。"


async def _forget_expired(result: Any) -> str:
    forgotten: dict[str, int] = dict(result)
    return (
        f"清理：删除了 {forgotten.get('idempotency-records', 0)} 条超过 24 小时的重试记录、"
        f"{forgotten.get('rate-counters', 0)} 个已结束的限流计数。"
    )


_JOBS = {
    "report-clocks": _report_clocks,
    "close-attendances": _close_attendances,
    "expire-redemptions": _expire_redemptions,
    "expire-points": _expire_points,
    "close-months": _close_months,
    "issue-fee-bills": _issue_fee_bills,
    "forget-expired": _forget_expired,
}
