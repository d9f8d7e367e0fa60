"""What every office page shares: the community the signed-in staff member works for, the menu,
typed errors shown next to their field in Chinese, times in the community's own zone, and the
key each form carries so a double-click does one thing.

Pages run the contract's `office` documents for the viewer (api/web/operations.py); they never
read models themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from starlette.responses import Response

from api.web.core import Handler, Page
from api.web.messages import TEXTS, Shown
from api.web.office.labels import ALL, say
from api.web.operations import Outcome, Problem
from runtime import clock

MANAGER_ROLES = ("STAFF", "ADMIN")

NAV: tuple[tuple[str, str, str], ...] = (
    ("/office/", "overview", "概览"),
    ("/office/reports", "reports", "报修工单"),
    ("/office/pickups", "pickups", "兑换领取"),
    ("/office/opinions", "opinions", "居民意见"),
    ("/office/meetings", "meetings", "圆桌会"),
    ("/office/surveys", "surveys", "满意度问卷"),
    ("/office/accounts", "accounts", "账目公开"),
    ("/office/fees", "fees", "物业费"),
    ("/office/month", "month", "月末评比"),
    ("/office/flags", "flags", "积分异常"),
    ("/office/inspections", "inspections", "楼道检查"),
    ("/office/observers", "observers", "观察员与调解"),
    ("/office/appointments", "appointments", "任免记录"),
    ("/office/places", "places", "房屋与二维码"),
    ("/office/members", "members", "居民登记"),
    ("/office/teams", "teams", "志愿队伍"),
    ("/office/rewards", "rewards", "积分礼品"),
    ("/office/rules", "rules", "积分规则与时限"),
    ("/office/invites", "invites", "邀请码"),
    ("/office/board", "board", "公示栏"),
)

# The office's own codes, said in Chinese (the resident pages' TEXTS hold the shared ones).
OFFICE_TEXTS: dict[str, str] = {
    "INVALID_INPUT": "这一项填写有误，请检查。",
    "NAME_TAKEN": "这个名称已经有了，请换一个。",
    "INVALID_PARENT": "不能加在这一级下面。",
    "INVALID_AMOUNT": "数额不对，请填写正整数或正确金额。",
    "ALREADY_FULFILLED": "这件礼品已经领走了。",
    "REDEMPTION_CLOSED": "这张兑换单已经取消或过期。",
    "ALREADY_REVERSED": "这笔积分已经冲正过了。",
    "NOT_REVERSIBLE": "这笔积分不能冲正。",
    "INVALID_RULES": "规则填写有误，请检查。",
    "TAG_EXISTS": "这里已经有一个在用的二维码。",
    "ALREADY_DECIDED": "已经处理过了。",
    "ALREADY_CORRECTED": "这条账目已经更正过了。",
    "ALREADY_ANSWERED": "这条意见已经答复过了。",
    "MONTH_NOT_ENDED": "这个月还没有结束，不能结算。",
    "NOT_FOUND": "没有找到，请核对后再填。",
    "INVALID_TRANSITION": "这条报修现在的状态不能这样处理，请刷新看看最新进度。",
    "DUPLICATE_REPORT": "这里已经有同类报修在处理中。",
    "INVITE_INVALID": "邀请码不对。",
}


@dataclass
class Office:
    """One office page visit: the page, and the community it works on."""

    page: Page
    community: dict[str, Any]
    roles: list[str]

    @property
    def cid(self) -> str:
        return str(self.community["id"])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.community.get("timezone") or "Asia/Shanghai")

    @property
    def is_admin(self) -> bool:
        return "ADMIN" in self.roles

    @property
    def is_staff(self) -> bool:
        return "STAFF" in self.roles

    async def run(self, name: str, variables: dict[str, Any] | None = None) -> Outcome:
        return await self.page.run(name, variables, client="office")

    def now(self) -> datetime:
        return clock.now().astimezone(self.zone)

    def when(self, value: str | None, with_time: bool = True) -> str:
        """An ISO timestamp from the API as the office reads it: 2026-11-23 10:05 (local)."""
        if not value:
            return ""
        moment = datetime.fromisoformat(value).astimezone(self.zone)
        return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")

    def render(
        self,
        template: str,
        section: str,
        title: str,
        status: int = 200,
        errors: list[Shown] | None = None,
        **context: Any,
    ) -> Response:
        context.setdefault("values", {})
        return self.page.render(
            template,
            status,
            errors,
            title=title,
            section=section,
            office_nav=NAV,
            community=self.community,
            office=self,
            when=self.when,
            path_of=path_of,
            phone_shown=phone_shown,
            say=say,
            labels=ALL,
            **context,
        )

    def done(self, url: str) -> Response:
        return self.page.redirect(url)


def new_key() -> str:
    """The key a form carries: made when the form is shown, sent again by a double-click."""
    return uuid.uuid4().hex


def phone_shown(phone: str | None) -> str:
    """A stored phone as the office dials it: "+8613900000018" → "139 0000 0018"."""
    if not phone:
        return ""
    local = phone[3:] if phone.startswith("+86") else phone
    if len(local) == 11 and local.isdigit():
        return f"{local[:3]} {local[3:7]} {local[7:]}"
    return phone


def path_of(url: str) -> str:
    """Our own absolute URL (a tag's image) as a path, so the page never names another host."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def office_errors(
    problems: list[Problem], fields: tuple[str, ...] = (), default: str | None = None
) -> list[Shown]:
    """The API's typed errors as the office reads them: Chinese, next to the form field that has
    the API's name (the last part of `input.field`), else at `default` (a form of one field: the
    API may name the object, e.g. `id`, where the form asked for its code), else in the summary."""
    shown: list[Shown] = []
    for problem in problems:
        text = (
            OFFICE_TEXTS.get(problem.code) or TEXTS.get(problem.code) or f"操作没有成功（{problem.code}）。"
        )
        parts = [part.split("[")[0] for part in (problem.field or "").split(".") if part and part != "input"]
        field = next((p for p in reversed(parts) if p in fields), default)
        shown.append(Shown(text=text, field=field))
    return shown


def missing(page: Page, *names: str) -> list[Problem]:
    """Required fields left empty, said before anything runs."""
    return [Problem("INVALID_INPUT", "", name) for name in names if not page.value(name)]


def required_errors(problems: list[Problem]) -> list[Shown]:
    return [Shown("这一项必须填写。", p.field) for p in problems]


async def office_of(page: Page) -> Office | Response:
    """The community the signed-in person runs as staff or admin, or the way there."""
    if not page.visit.signed_in:
        return page.sign_in_first()
    me = (await page.run("OfficeMe", client="office")).data.get("me") or {}
    chosen = page.request.query_params.get("c")
    managed = [m for m in me.get("memberships") or [] if set(m["roles"]) & set(MANAGER_ROLES)]
    if not managed:
        return page.render(
            "problem.html",
            403,
            title="没有权限",
            message="只有社区办公室的工作人员可以使用办公室系统。居民请用「我的」页面。",
            link="/me",
            link_text="去「我的」页面",
        )
    membership = next((m for m in managed if m["community"]["id"] == chosen), managed[0])
    return Office(page=page, community=membership["community"], roles=list(membership["roles"]))


OfficeHandler = Callable[[Office], Awaitable[Response]]


def office_page(handler: OfficeHandler) -> Handler:
    async def serve(page: Page) -> Response:
        office = await office_of(page)
        if isinstance(office, Response):
            return office
        return await handler(office)

    return serve


def numbers(
    page: Page, *names: str, optional: tuple[str, ...] = ()
) -> tuple[dict[str, int | None], list[Problem]]:
    """Whole numbers typed in a form; one that is not a number is said next to its field before
    anything runs (the API would refuse the variable as a whole, with no field)."""
    values: dict[str, int | None] = {}
    problems: list[Problem] = []
    for name in (*names, *optional):
        raw = page.value(name)
        if not raw and name in optional:
            values[name] = None
            continue
        try:
            values[name] = int(raw)
        except ValueError:
            problems.append(Problem("INVALID_INPUT", "", name))
    return values, problems


async def entrance_choices(office: Office) -> list[tuple[str, str]]:
    """Every entrance as a choice, by its full label."""
    tree = (await office.run("OfficePlaceTree", {"communityId": office.cid, "first": 10})).data.get(
        "community"
    ) or {}
    options: list[tuple[str, str]] = []
    for compound in (tree.get("compounds") or {}).get("nodes") or []:
        for building in compound["buildings"]["nodes"]:
            for entrance in building["entrances"]["nodes"]:
                options.append((entrance["id"], f"{compound['name']} {building['name']} {entrance['name']}"))
    return options


async def search_members(office: Office, text: str) -> list[dict[str, Any]]:
    """Members whose name, phone or home holds `text` (the office finding a resident)."""
    if not text.strip():
        return []
    found = await office.run("OfficeMembersSearch", {"communityId": office.cid, "search": text})
    return list(found.data.get("membersSearch") or [])
