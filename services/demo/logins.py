"""The demo logins printed after seeding: one account per role, and for each the first thing to
try — an operation of the app's contract (mobile-contract/operations) with what it shows."""

from __future__ import annotations

from dataclasses import dataclass

from services.demo.people import DEMO_PASSWORD, LOGIN_LABELS, DemoLogin


@dataclass(frozen=True)
class TryFirst:
    operation: str  # a file of mobile-contract/operations, without .graphql
    arguments: str  # what to pass, in words an operator can follow
    shows: str


ROLE_NAMES = {
    "admin": "管理员",
    "staff": "社区工作人员",
    "captain": "队长（银发巡河队）",
    "volunteer": "志愿者",
    "repairer": "维修员",
    "cleaner": "保洁员",
    "resident": "居民",
    "binhe staff": "滨河社区工作人员",
}
TRY_FIRST = {
    "admin": TryFirst("EconomySummary", "communityId=红星社区", "积分发放、兑换与结余，按月"),
    "staff": TryFirst("ReportQueue", "queue=ESCALATED", "超时未处理、已升级的报修"),
    "captain": TryFirst("TeamReview", "teamId=银发巡河队", "待审核的签到时长和入队申请"),
    "volunteer": TryFirst("MyActivities", "upcoming=true", "即将开始的互助与清雪活动"),
    "repairer": TryFirst("ReportQueue", "queue=UNCLAIMED", "等待接单的报修"),
    "cleaner": TryFirst("Inspections", "communityId=红星社区", "自己做过的楼道检查"),
    "resident": TryFirst("MyReports", "", "自己的报修：处理中、待确认、已完成"),
    "binhe staff": TryFirst("CommunityCompounds", "communityId=滨河社区", "只看到滨河社区的小区（社区隔离）"),
}
# Without signing in: the notice board the community made public.
PUBLIC_PAGE = "/board/hongxing"


def logins(phones: dict[str, str]) -> list[DemoLogin]:
    return [
        DemoLogin(label, phones[label], DEMO_PASSWORD, TRY_FIRST[label].operation) for label in LOGIN_LABELS
    ]


def table(rows: list[DemoLogin]) -> str:
    """The printed table: role (its id, then in words), phone, password, and what to open first."""
    lines = ["演示账号（角色 / 手机号 / 密码 / 中文角色 / 先试试）："]
    for row in rows:
        first = TRY_FIRST[row.role]
        arguments = f"（{first.arguments}）" if first.arguments else ""
        lines.append(
            f"  {row.role:<12} {row.phone}  {row.password}  {ROLE_NAMES[row.role]}  "
            f"先试试 {first.operation}{arguments}：{first.shows}"
        )
    lines.append(f"  {'(无需登录)':<12} 公告栏 {PUBLIC_PAGE}：流动红旗、志愿者榜、报修、满意度、账目")
    return "\n".join(lines)
