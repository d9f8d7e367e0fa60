"""The printable hours certificate: a volunteer's approved service, by kind, over a span of months,
as a PNG with the community's name, the volunteer's name and a certificate number.

Who may have one: the volunteer themself, and the community's office (staff, admin) for any
member. The hours are the approved (or adjusted) attendances counted by the community's months,
the same numbers `myHours` shows.

The certificate number is a signed code (services.signed_codes, purpose "hours-certificate") of
the community, the volunteer, the span and the total minutes: the office can check a printed
certificate against the server (`verify_number`) without storing anything, and a number altered
by hand, or a total edited on a copy, does not verify.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont
from PIL.ImageFont import FreeTypeFont
from tortoise.functions import Sum

from models.people import Membership, User
from models.places import Community
from models.teams import Attendance, TeamKind
from runtime import clock
from runtime.i18n import N_
from services import signed_codes
from services.access import Viewer
from services.errors import DomainError, ErrorCode, Forbidden
from services.tags.printing import font
from services.teams.attendance import PAID

PURPOSE = "hours-certificate"
MAX_MONTHS = 36
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

KIND_WORDS: dict[TeamKind, str] = {
    TeamKind.REPAIR: "义务维修",
    TeamKind.RIVER_PATROL: "河道巡逻",
    TeamKind.TUTORING: "课后辅导",
    TeamKind.MEDIATION: "矛盾调解",
    TeamKind.SNOW_CLEARING: "扫雪除冰",
    TeamKind.MUTUAL_AID: "邻里互助",
    TeamKind.OBSERVERS: "平安观察",
    TeamKind.CLEANING: "环境清洁",
}

# A4 landscape at 150 dpi: prints full page, and stays a small PNG.
SIZE = (1754, 1240)
TEXT_WIDTH = SIZE[0] - 400
RED = (176, 28, 32)
INK = (33, 33, 33)
GREY = (110, 110, 110)


@dataclass(frozen=True)
class Certificate:
    community_name: str
    volunteer_name: str
    first_month: str  # YYYY-MM
    last_month: str
    minutes_by_kind: tuple[tuple[TeamKind, int], ...]  # kinds with service, in the enum's order
    number: str
    issued_on: str  # YYYY-MM-DD in the community's time zone

    @property
    def total_minutes(self) -> int:
        return sum(m for _, m in self.minutes_by_kind)


def _month(value: str, field: str) -> tuple[int, int]:
    found = _MONTH.match(value or "")
    if found is None:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Give the month as YYYY-MM."), field)
    return int(found[1]), int(found[2])


def _span(first: str, last: str) -> int:
    (y1, m1), (y2, m2) = _month(first, "from"), _month(last, "to")
    months = (y2 * 12 + m2) - (y1 * 12 + m1) + 1
    if months < 1:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("The first month comes before the last."), "to")
    if months > MAX_MONTHS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("A certificate covers at most {max_months} months."),
            "from",
            max_months=MAX_MONTHS,
        )
    return months


def _yyyymm(month: str) -> int:
    return int(month.replace("-", ""))


def _sign(community_id: int, user_id: int, first: str, last: str, minutes: int) -> str:
    return signed_codes.sign(PURPOSE, [community_id, user_id, _yyyymm(first), _yyyymm(last), minutes])


def verify_number(number: str) -> tuple[int, int, str, str, int]:
    """(community id, user id, first month, last month, total minutes) a genuine number carries;
    raises signed_codes.SignedCodeError otherwise."""
    community_id, user_id, first, last, minutes = signed_codes.verify(PURPOSE, number.replace("-", ""), 5)
    return (
        community_id,
        user_id,
        f"{first // 100:04d}-{first % 100:02d}",
        f"{last // 100:04d}-{last % 100:02d}",
        minutes,
    )


async def certificate(
    viewer: Viewer, community_id: int, user_id: int, first_month: str, last_month: str
) -> Certificate:
    viewer.require_member(community_id)
    if user_id != viewer.user_id and not viewer.manages(community_id):
        raise Forbidden(N_("Only the volunteer and the community office can print this certificate."))
    _span(first_month, last_month)
    user = await User.get_or_none(id=user_id)
    if user is None or not await Membership.exists(user_id=user_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No member of this community has this id."), "userId")
    community = await Community.get(id=community_id)
    rows = await (
        Attendance.filter(
            user_id=user_id,
            community_id=community_id,
            status__in=PAID,
            local_month__gte=first_month,
            local_month__lte=last_month,
        )
        .annotate(minutes=Sum("credited_minutes"))
        .group_by("kind")
        .values("kind", "minutes")
    )
    by_kind = {TeamKind(r["kind"]): int(r["minutes"] or 0) for r in rows}
    minutes = tuple((kind, by_kind[kind]) for kind in TeamKind if by_kind.get(kind))
    total = sum(m for _, m in minutes)
    now: datetime = clock.now()
    return Certificate(
        community_name=community.name,
        volunteer_name=user.display_name,
        first_month=first_month,
        last_month=last_month,
        minutes_by_kind=minutes,
        number=_sign(community_id, user_id, first_month, last_month, total),
        issued_on=now.astimezone(ZoneInfo(community.timezone)).strftime("%Y-%m-%d"),
    )


# Drawing -----------------------------------------------------------------------------------------


def hours_text(minutes: int) -> str:
    """Hours with one decimal, as the office writes them: 90 minutes → 1.5."""
    return f"{minutes / 60:.1f}"


def _month_words(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def _period_words(cert: Certificate) -> str:
    if cert.first_month == cert.last_month:
        return _month_words(cert.first_month)
    return f"{_month_words(cert.first_month)}至{_month_words(cert.last_month)}"


def _grouped(number: str) -> str:
    return "-".join(number[i : i + 4] for i in range(0, len(number), 4))


def _char_lines(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy lines broken between any two characters (Chinese has no spaces to break at)."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and face.getlength(line + char) > width:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    return [*lines, line] if line else lines


def _fit(text: str, width: float, size: int, min_size: int, max_lines: int) -> tuple[FreeTypeFont, list[str]]:
    """The largest size from `size` down to `min_size` at which `text` wraps into `max_lines`
    lines of `width`; at the smallest size, the last line ends in "…" if it still does not fit.
    Long names shrink and wrap inside the frame rather than run off it. A newline in `text` is
    where a line should break anyway (between clauses), so short texts never split mid-word."""
    for candidate in range(size, min_size - 1, -2):
        face = font(candidate)
        lines = [line for part in text.split("\n") for line in _char_lines(part, face, width)]
        if len(lines) <= max_lines:
            return face, lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    return face, [*lines[:-1], last + "…"]


def _paragraph(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    size: int,
    fill: tuple[int, int, int],
    *,
    min_size: int,
    max_lines: int,
    width: float = TEXT_WIDTH,
) -> int:
    """Centred lines from `y`; returns the y below them."""
    face, lines = _fit(text, width, size, min_size, max_lines)
    step = round(face.size * 1.5)
    for line in lines:
        draw.text((SIZE[0] / 2, y), line, font=face, fill=fill, anchor="ma")
        y += step
    return y


def render_png(cert: Certificate) -> bytes:
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    draw.rectangle((40, 40, width - 41, height - 41), outline=RED, width=10)
    draw.rectangle((70, 70, width - 71, height - 71), outline=RED, width=3)

    y = _paragraph(draw, 110, cert.community_name, 44, RED, min_size=28, max_lines=2)
    y = _paragraph(draw, max(y, 180), "志愿服务时长证明", 84, INK, min_size=84, max_lines=1)
    sentence = (
        f"兹证明 {cert.volunteer_name} 于{_period_words(cert)}在本社区参加志愿服务，\n"
        f"经队长审核，累计服务 {hours_text(cert.total_minutes)} 小时。"
    )
    y = _paragraph(draw, y + 10, sentence, 40, INK, min_size=30, max_lines=4)

    # The table: one row per kind of service, the total last.
    footer = height - 230
    top = y + 20
    rows = [(KIND_WORDS[kind], hours_text(minutes)) for kind, minutes in cert.minutes_by_kind]
    if not rows:
        rows = [("（此期间无已审核的服务）", "0.0")]
    # The issuing office, bottom left, over at most two lines that grow upwards.
    office_face, office_lines = _fit(f"发证单位：{cert.community_name}", 760, 32, 24, 2)
    office_step = round(office_face.size * 1.4)
    footer_top = footer - (len(office_lines) - 1) * office_step
    # Eight kinds of service still fit above the footer: rows get shorter, never overlap it.
    left, right = 420, width - 420
    row_height = min(62, (footer_top - 30 - top) // (len(rows) + 2))
    face = font(min(34, round(row_height * 0.62)))

    def row(y: int, label: str, hours: str, fill: tuple[int, int, int]) -> None:
        # Anchored at the middle of the row, so text sits centred whatever the row height.
        middle = y + row_height // 2
        draw.text((left + 20, middle), label, font=face, fill=fill, anchor="lm")
        draw.text((right - 20, middle), hours, font=face, fill=fill, anchor="rm")

    draw.line((left, top, right, top), fill=INK, width=3)
    row(top, "服务类别", "小时", GREY)
    y = top + row_height
    draw.line((left, y, right, y), fill=INK, width=1)
    for label, hours in rows:
        row(y, label, hours, INK)
        y += row_height
        draw.line((left, y, right, y), fill=(200, 200, 200), width=1)
    draw.line((left, y, right, y), fill=INK, width=3)
    row(y, "合计", hours_text(cert.total_minutes), INK)
    draw.line((left, y + row_height, right, y + row_height), fill=INK, width=3)

    for n, line in enumerate(office_lines):
        draw.text((140, footer_top + n * office_step), line, font=office_face, fill=INK)
    draw.text((140, footer + 56), f"发证日期：{cert.issued_on}", font=font(32), fill=INK)
    number = f"证书编号：{_grouped(cert.number)}"
    small = font(26)
    draw.text((width - 140 - small.getlength(number), footer + 62), number, font=small, fill=GREY)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
