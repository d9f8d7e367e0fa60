"""What a person reads when an operation refuses: the API's typed errors (stable English codes,
English messages for developers) said in Chinese, and which form field each one is about."""

from __future__ import annotations

from dataclasses import dataclass

from api.web.operations import Problem

TEXTS: dict[str, str] = {
    "UNAUTHENTICATED": "请先登录。",
    "FORBIDDEN": "您没有权限做这件事。",
    "INVALID_INPUT": "填写的内容有误，请检查。",
    "BAD_USER_INPUT": "填写的内容有误，请检查。",
    "INVALID_PHONE": "请填写正确的手机号，例如 138 0013 8000。",
    "WEAK_PASSWORD": "密码至少 8 位，并且要有字母和数字或符号。",
    "PHONE_TAKEN": "这个手机号已经注册过了，请直接登录。",
    "INVALID_CREDENTIALS": "手机号或密码不对。",
    "TOO_MANY_ATTEMPTS": "尝试次数太多，请稍后再试。",
    "INVALID_REFRESH_TOKEN": "登录已过期，请重新登录。",
    "INVITE_INVALID": "邀请码不对，请核对社区办公室给您的码。",
    "INVITE_EXPIRED": "邀请码已过期，请向社区办公室要一个新的。",
    "INVITE_USED_UP": "这个邀请码已经用完了，请向社区办公室要一个新的。",
    "ALREADY_MEMBER": "您已经是这个社区的成员了。",
    "NOT_FOUND": "没有找到，可能已被删除。",
    "INSUFFICIENT_POINTS": "积分不够。",
    "OUT_OF_STOCK": "这件礼品已经兑完了。",
    "OVER_MONTHLY_LIMIT": "这个月您已经兑换到上限了。",
    "REWARD_UNAVAILABLE": "这件礼品现在不能兑换。",
    "IDEMPOTENCY_KEY_REUSED": "这次提交和上一次的内容不同，请刷新页面后再提交。",
    "CONFLICT": "别人刚刚改过，请刷新后再试。",
    "INVALID_TRANSITION": "这条报修现在的状态不能这样操作，请刷新看看最新进度。",
    "NOT_REPORTER": "只有报修人自己可以这样操作。",
    "REOPEN_WINDOW_CLOSED": "修好已经超过 7 天，不能再退回；请重新报修。",
    "DUPLICATE_REPORT": "这里已经有人报了同样的问题。",
    "OWN_REPORT": "这是您自己报的问题。",
    "RATE_LIMITED": "操作太频繁，请稍后再试。",
    "PHOTO_INVALID": "照片无法读取，请换一张（JPEG、PNG 或 WebP）。",
    "PHOTO_TOO_LARGE": "照片太大了，请换一张小一点的。",
    "TOO_MANY_PHOTOS": "最多 6 张照片。",
    "TAG_CODE_INVALID": "无法识别这个码。",
    "TAG_REVOKED": "这个码已停用。",
    "NOT_TEAM_MEMBER": "您不是这支队伍的队员，请先加入队伍。",
    "CHECKIN_CODE_INVALID": "这不是签到码，请扫描队长手机上的码。",
    "CHECKIN_CODE_EXPIRED": "签到码已过期（每 30 秒更换一次），请重新扫描队长手机上的码。",
    "CHECKIN_CODE_WRONG_ACTIVITY": "这是另一个活动的签到码。",
    "OUTSIDE_ACTIVITY_WINDOW": "现在不在活动时间内。",
    "ACTIVITY_FULL": "活动人数已满。",
    "SIGNUP_REQUIRED": "这个活动需要先报名。",
    "NOT_CHECKED_IN": "您还没有签到。",
    "ATTENDANCE_OPEN": "您已经签到了。",
    "PERSISTED_QUERY_REQUIRED": "系统出错了，请稍后再试。",
    "INTERNAL_ERROR": "系统出错了，请稍后再试。",
}

# Where the API's `field` (a path into the operation's input) is shown in our forms.
FIELDS: dict[str, str] = {
    "phone": "phone",
    "password": "password",
    "displayName": "display_name",
    "code": "code",
    "text": "text",
    "category": "category",
    "photos": "photos",
    "rating": "rating",
    "comment": "comment",
    "reason": "reason",
}


@dataclass(frozen=True)
class Shown:
    """An error as a page shows it: the Chinese text and the form field it belongs to."""

    text: str
    field: str | None = None


def shown(problem: Problem) -> Shown:
    text = TEXTS.get(problem.code, f"操作没有成功（{problem.code}）。")
    if problem.code in ("RATE_LIMITED", "TOO_MANY_ATTEMPTS") and problem.retry_after_seconds:
        minutes = max(1, (problem.retry_after_seconds + 59) // 60)
        text = f"{text[:-1]}，约 {minutes} 分钟后可以再试。"
    # `input.text`, `photos.2`: the first part a form has; an input field the form does not
    # have (an id) is told in the summary only.
    parts = [part.split("[")[0] for part in (problem.field or "").split(".")]
    return Shown(text=text, field=next((FIELDS[p] for p in parts if p in FIELDS), None))


def shown_all(problems: list[Problem]) -> list[Shown]:
    return [shown(p) for p in problems]
