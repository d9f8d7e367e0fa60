"""Reports over the story, in every state, through the report workflow and its clocks.

Each report follows a script (filed, claimed, fixed with photos and materials, confirmed and rated;
or reopened, rejected, cancelled, left waiting, left unclaimed until it escalates). The moves of all
reports run in time order, and the clock job runs before each, so a missed clock escalates when it
would have, and a fix nobody confirmed in seven days confirms itself.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from PIL import Image

from models.enums import ReportCategory
from models.places import Entrance
from models.reports import RejectReason, Report, ReportState
from models.teams import PatrolFinding
from services import reports as report_service
from services.demo.story import Story
from services.reports import MaterialInput
from services.reports.clocks import run_clock_tick

# What residents report, and what a repair of it uses.
CASES: dict[ReportCategory, tuple[tuple[str, ...], tuple[tuple[str, str, str, str], ...]]] = {
    ReportCategory.LIGHTING: (
        ("楼道灯不亮，晚上上下楼看不清", "声控灯坏了，拍手也不亮", "单元门口的灯一直闪"),
        (("LED声控灯泡", "雷士 NVC-5W", "2", "36.00"), ("灯座", "公牛 E27", "1", "12.50")),
    ),
    ReportCategory.PLUMBING: (
        ("楼道水管滴水，地面结冰", "暖气管漏水，楼下墙面湿了", "下水管堵塞，返味严重"),
        (("PPR水管接头", "联塑 20mm", "4", "18.00"), ("生料带", "伟星", "2", "6.00")),
    ),
    ReportCategory.ELECTRICAL: (
        ("楼道电表箱门坏了，电线外露", "单元门禁没电了"),
        (("空气开关", "正泰 DZ47-63", "1", "28.00"), ("电线", "熊猫 BV2.5", "10", "45.00")),
    ),
    ReportCategory.PUBLIC_FACILITY: (
        ("单元门闭门器坏了，门关不上", "楼道扶手松动", "信报箱门掉了"),
        (("闭门器", "固力 GL-65", "1", "85.00"), ("膨胀螺丝", "M8", "6", "9.00")),
    ),
    ReportCategory.SANITATION: (
        ("楼道里堆放杂物好几天了", "垃圾桶满了没人清"),
        (("垃圾袋", "大号加厚", "1", "15.00"),),
    ),
    ReportCategory.SAFETY_HAZARD: (
        ("楼道里有人给电动车充电，飞线下楼", "消防通道被堵"),
        (("警示标识", "不干胶 A4", "2", "10.00"),),
    ),
    ReportCategory.PARKING: (("电动车停在楼道口，挡住通道",), ()),
}
# How reports end, by weight; the recent ones (last days) are set apart below.
PAST_ENDINGS = (("confirmed", 14), ("auto", 2), ("reopened", 2), ("rejected", 2), ("cancelled", 1))
RECENT = (
    "open_fresh",
    "open_fresh",
    "open_escalated",
    "open_escalated",
    "open_escalated",
    "claimed",
    "claimed",
    "claimed_overdue",
    "resolved",
    "resolved",
    "resolved",
    "reopened_waiting",
)
PAST_REPORTS = 66
# The printed resident's own reports, one of each kind worth showing.
RESIDENT_SCRIPTS = ("confirmed", "resolved", "open_escalated", "claimed")

Action = Callable[[], Awaitable[object]]


@dataclass
class _Case:
    reporter: int
    entrance: int
    category: ReportCategory
    text: str
    filed_at: datetime
    script: str
    photo: bool
    report_id: int = 0
    repairer: int = 0
    moves: list[tuple[datetime, Action]] = field(default_factory=list)


def _photo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 72), colour).save(out, format="JPEG", quality=80)
    return out.getvalue()


async def seed(story: Story) -> None:
    rng = story.rng
    entrances = story.entrances
    reporters = [*story.cast.residents, *story.cast.volunteers]
    categories = list(CASES)
    cases: list[_Case] = []
    begin, span = story.month_start(2), story.now - story.month_start(2) - timedelta(days=9)
    endings = [name for name, weight in PAST_ENDINGS for _ in range(weight)]
    scripts = [rng.choice(endings) for _ in range(PAST_REPORTS)]
    for index, script in enumerate([*scripts, *RECENT, *RESIDENT_SCRIPTS]):
        category = categories[index % len(categories)]
        texts = CASES[category][0]
        if index < PAST_REPORTS:
            filed = begin + timedelta(seconds=rng.randint(0, int(span.total_seconds())))
        else:
            filed = _recent_filing(story, script)
        resident = index >= PAST_REPORTS + len(RECENT)
        cases.append(
            _Case(
                reporter=story.cast.logins["resident"] if resident else rng.choice(reporters),
                # 13 and the entrance count share no factor: no two reports land on one place.
                entrance=entrances[(index * 13) % len(entrances)],
                category=category,
                text=rng.choice(texts),
                filed_at=_daytime(story, filed),
                script=script,
                photo=index % 3 == 0,
            )
        )
    cases.extend(await _patrol_cases(story))
    photos = [_photo((200, 60 + 40 * i, 40)) for i in range(3)]
    for case in cases:
        _script(story, case, photos)
    moves = sorted(
        ((moment, order, action) for order, case in enumerate(cases) for moment, action in case.moves),
        key=lambda move: (move[0], move[1]),
    )
    for moment, _order, action in moves:
        if moment >= story.now:
            break  # not yet happened: the story ends now
        story.at(moment)
        await run_clock_tick()
        await action()
    story.at(story.now)
    await run_clock_tick()


def _daytime(story: Story, moment: datetime) -> datetime:
    """People report between seven in the morning and ten at night."""
    local = moment.astimezone(story.zone)
    if 7 <= local.hour < 22:
        return moment
    return min(moment + timedelta(hours=9), story.now - timedelta(minutes=5))


def _recent_filing(story: Story, script: str) -> datetime:
    rng = story.rng
    if script == "open_fresh":
        return story.recent(minutes=rng.randint(5, 20))
    if script == "open_escalated":
        return story.recent(days=rng.randint(3, 4), hours=rng.randint(0, 6))
    if script == "claimed_overdue":
        return story.recent(days=3, hours=rng.randint(0, 5))
    if script in ("claimed",):
        return story.recent(hours=rng.randint(4, 30))
    if script == "confirmed":
        return story.recent(days=rng.randint(8, 12))
    if script == "reopened_waiting":
        return story.recent(days=5, hours=rng.randint(0, 10))
    return story.recent(days=rng.randint(2, 5))  # resolved


def _script(story: Story, case: _Case, photos: list[bytes]) -> None:
    rng = story.rng
    repairers = story.cast.repairers
    case.repairer = story.cast.logins["repairer"] if rng.random() < 0.3 else rng.choice(repairers)
    staff_id = story.cast.logins["staff"]
    materials = [
        MaterialInput(item, brand, Decimal(quantity), Decimal(cost))
        for item, brand, quantity, cost in CASES[case.category][1]
    ]
    t = case.filed_at
    add = case.moves.append

    async def file() -> None:
        viewer = await story.viewer(case.reporter)
        place = await Entrance.get(id=case.entrance)
        filed = await report_service.file_report(
            viewer,
            place,
            case.category,
            case.text,
            photos=[photos[case.entrance % len(photos)]] if case.photo else (),
            idempotency_key=f"demo-report-{case.entrance}",
        )
        case.report_id = filed.report.id

    async def claim() -> None:
        await report_service.claim(await story.viewer(case.repairer), case.report_id)

    async def resolve() -> None:
        await report_service.resolve(
            await story.viewer(case.repairer),
            case.report_id,
            "已修好，请查看",
            [photos[(case.entrance + 1) % len(photos)]],
            materials,
        )

    def confirm(rating: int, comment: str) -> Action:
        async def run() -> None:
            await report_service.confirm(await story.viewer(case.reporter), case.report_id, rating, comment)

        return run

    async def reopen() -> None:
        await report_service.reopen(await story.viewer(case.reporter), case.report_id, "还是不行，又坏了")

    async def me_too() -> None:
        report = await Report.get(id=case.report_id)
        if report.state in (ReportState.OPEN, ReportState.CLAIMED, ReportState.REOPENED):
            neighbour = rng.choice(story.cast.residents)
            if neighbour != case.reporter:
                await report_service.me_too(await story.viewer(neighbour), case.report_id)

    async def reject() -> None:
        reason = RejectReason.DUPLICATE if case.entrance % 2 else RejectReason.INVALID
        note = "与同楼栋已有报修重复" if reason == RejectReason.DUPLICATE else "属于住户室内自行维修范围"
        await report_service.reject(await story.viewer(staff_id), case.report_id, reason, note)

    async def cancel() -> None:
        await report_service.cancel(await story.viewer(case.reporter), case.report_id, "自己已经处理好了")

    if not case.report_id:
        add((t, file))
    script = case.script
    if script == "open_fresh" or script == "open_escalated":
        add((t + timedelta(minutes=3), me_too))
        return
    if script == "cancelled":
        add((t + timedelta(minutes=rng.randint(3, 15)), cancel))
        return
    if script == "rejected":
        add((t + timedelta(minutes=rng.randint(10, 25)), reject))
        return
    claimed = t + timedelta(minutes=rng.randint(8, 26) if rng.random() < 0.85 else rng.randint(40, 120))
    add((claimed, claim))
    add((claimed + timedelta(minutes=5), me_too))
    if script == "claimed_overdue" or script == "claimed":
        return
    late = rng.random() < 0.12
    fixed = claimed + timedelta(hours=rng.randint(50, 70) if late else rng.randint(2, 30))
    if script in ("resolved", "reopened_waiting"):
        fixed = min(
            fixed, story.recent(days=2 if script == "reopened_waiting" else 0, hours=rng.randint(2, 20))
        )
    add((fixed, resolve))
    if script in ("resolved", "auto"):
        return  # waiting for the resident, or for the clock to confirm it after seven days
    if script in ("reopened", "reopened_waiting"):
        again = fixed + timedelta(hours=rng.randint(20, 40))
        add((again, reopen))
        if script == "reopened_waiting":
            return
        fixed = again + timedelta(hours=rng.randint(3, 20))
        add((fixed, resolve))
    rating = rng.choice((5, 5, 5, 4, 4, 3))
    comment = {5: "修得又快又好，谢谢师傅！", 4: "挺好的", 3: "修好了，就是等得有点久"}[rating]
    add((fixed + timedelta(hours=rng.randint(2, 40)), confirm(rating, comment)))


async def _patrol_cases(story: Story) -> list[_Case]:
    """The river patrol's findings opened repair orders: the repair team takes them like any other."""
    opened = await PatrolFinding.filter(
        community_id=story.community.id, report_id__not_isnull=True
    ).values_list("report_id", flat=True)
    rows = await Report.filter(id__in=list(opened), state=ReportState.OPEN).order_by("id")
    return [
        _Case(
            reporter=row.reporter_id,
            # Filed already (at the finding's building): only picks the fix's photo here.
            entrance=row.building_id or 0,
            category=row.category,
            text=row.text,
            filed_at=row.created_at,
            script="confirmed",
            photo=False,
            report_id=row.id,
        )
        for row in rows
    ]
