"""Each team's activities over the story: scheduled by the captain days before, volunteers checking
in and out with the rotating code (a few by hand, one forgetting to check out), each kind's log
written, attendance approved the next day (a few adjusted or rejected); the last week's still
waiting for the captain. Then the snowstorm call-out, and the activities coming up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from models.enums import ReportCategory
from models.teams import Activity, Attendance, AttendanceStatus, LogKind, MediationCategory, Team, TeamKind
from services.demo.story import Story
from services.teams import activities as activity_service
from services.teams import activity_logs, attendance, checkin_codes
from services.teams.activities import PlaceRef
from services.teams.activity_logs import Finding

# Attendance of the last days waits for the captain: the captain's first screen shows it.
UNDECIDED_DAYS = 7
HAND_CHECK_IN_EVERY = 9  # the captain checks in one volunteer in nine by hand (no phone with them)
FORGETS_EVERY = 31  # one in 31 leaves without checking out: the job closes it, flagged
ADJUST_EVERY = 13
REJECT_EVERY = 47


@dataclass(frozen=True)
class Rhythm:
    kind: TeamKind
    title: str
    weekdays: tuple[int, ...]  # local weekdays, Monday 0
    hour: int
    minute: int
    minutes: int
    attendees: int
    place: str  # Compound, Building or Entrance


RHYTHMS = (
    Rhythm(TeamKind.RIVER_PATROL, "沿河巡查", (5,), 8, 0, 120, 8, "Compound"),
    Rhythm(TeamKind.TUTORING, "四点半课堂：作业辅导", (0, 3), 16, 30, 90, 5, "Building"),
    Rhythm(TeamKind.MEDIATION, "红色调解室接待日", (1,), 14, 0, 120, 3, "Compound"),
    Rhythm(TeamKind.MUTUAL_AID, "邻里互助：为独居老人送菜", (4,), 9, 0, 120, 10, "Building"),
    Rhythm(TeamKind.REPAIR, "义务维修日", (6,), 9, 0, 180, 5, "Compound"),
    Rhythm(TeamKind.CLEANING, "楼道大扫除", (0,), 7, 0, 120, 4, "Entrance"),
    Rhythm(TeamKind.SNOW_CLEARING, "清雪备勤：工具检修与演练", (2,), 15, 0, 60, 6, "Compound"),
)
SUBJECTS = ("数学", "语文", "英语", "书法", "科学")
PATROL_NOTES = ("河道水位正常", "岸边垃圾已清理", "护栏完好", "劝离钓鱼人员两名", "河面无结冰")
FINDINGS = (
    ("护栏松动，需要加固", ReportCategory.PUBLIC_FACILITY),
    ("路灯不亮，夜间巡河有隐患", ReportCategory.LIGHTING),
    ("岸边有人倾倒建筑垃圾", ReportCategory.SANITATION),
)
MEDIATIONS = tuple(MediationCategory)
# The snowstorm: a call-out of two days, snow-clearing points doubled.
SNOW_DAY = 18
SNOW_SHIFTS = ((0, 7, 4), (0, 14, 4), (1, 7, 4))  # (day after the first, local hour, hours)
SNOW_CREW = 26
UPCOMING_DAYS = 14


async def seed(story: Story) -> None:
    start = story.month_start(2)
    held: list[tuple[Rhythm, datetime]] = []
    coming: list[tuple[Rhythm, datetime]] = []
    day = start
    while day < story.now + timedelta(days=UPCOMING_DAYS):
        local = day.astimezone(story.zone)
        for rhythm in RHYTHMS:
            if local.weekday() in rhythm.weekdays:
                begins = local.replace(hour=rhythm.hour, minute=rhythm.minute).astimezone(day.tzinfo)
                ends = begins + timedelta(minutes=rhythm.minutes)
                (held if ends < story.now else coming).append((rhythm, begins))
        day += timedelta(days=1)
    for index, (rhythm, begins) in enumerate(held):
        if begins > story.now - timedelta(minutes=rhythm.minutes):
            continue
        await _hold(story, rhythm, begins, index)
    await _snowstorm(story)
    for index, (rhythm, begins) in enumerate(coming):
        if begins > story.now:
            story.at(story.now)
            await _schedule(
                story,
                rhythm.kind,
                rhythm.title,
                _place(story, rhythm.place, index),
                begins,
                rhythm.minutes,
                f"up-{index}",
            )
    story.at(story.now)
    await attendance.close_overdue()


def _place(story: Story, kind: str, index: int) -> PlaceRef:
    rows = {"Compound": story.compounds, "Building": story.buildings, "Entrance": story.entrances}[kind]
    return PlaceRef(kind, rows[(index * 7) % len(rows)])


async def _schedule(
    story: Story, kind: TeamKind, title: str, place: PlaceRef, begins: datetime, minutes: int, key: str
) -> Activity:
    team = story.teams[kind]
    captain = await story.viewer(story.members[team.id][0])
    return await activity_service.schedule(
        captain,
        team,
        title=title,
        kind=kind,
        place=place,
        starts_at=begins,
        ends_at=begins + timedelta(minutes=minutes),
        capacity=None,
        requires_signup=False,
        idempotency_key=f"demo-{key}",
    )


async def _hold(story: Story, rhythm: Rhythm, begins: datetime, index: int) -> None:
    team = story.teams[rhythm.kind]
    story.at(begins - timedelta(days=3))
    activity = await _schedule(
        story,
        rhythm.kind,
        rhythm.title,
        _place(story, rhythm.place, index),
        begins,
        rhythm.minutes,
        f"a-{index}",
    )
    members = story.members[team.id]
    crew = [members[0], *story.pick(members[1:], rhythm.attendees - 1)]
    await _attend(story, team, activity, crew)
    await _log(story, rhythm.kind, activity, index)
    await _decide(story, team, activity)


async def _attend(story: Story, team: Team, activity: Activity, crew: list[int]) -> None:
    captain = await story.viewer(story.members[team.id][0])
    rng = story.rng
    for position, user_id in enumerate(crew):
        moment = story.at(activity.starts_at + timedelta(minutes=rng.randint(-10, 12)))
        if position and position % HAND_CHECK_IN_EVERY == 0:
            await attendance.check_in_by_captain(captain, activity, None, user_id)
        else:
            code = checkin_codes.rotating_code(activity.id, moment)
            await attendance.check_in_by_code(await story.viewer(user_id), code, activity.id)
    for user_id in crew:
        if story.counter("attendance") % FORGETS_EVERY == 0:
            continue  # left without checking out: the overdue job closes it, flagged
        moment = story.at(activity.ends_at - timedelta(minutes=rng.randint(-5, 20)))
        code = checkin_codes.rotating_code(activity.id, moment)
        await attendance.check_out_by_code(await story.viewer(user_id), code, activity.id)


async def _decide(story: Story, team: Team, activity: Activity) -> None:
    if activity.ends_at > story.now - timedelta(days=UNDECIDED_DAYS):
        return  # the captain has not looked yet
    story.at(activity.ends_at + timedelta(hours=2))
    await attendance.close_overdue()
    story.at(activity.ends_at + timedelta(hours=story.rng.randint(10, 30)))
    captain = await story.viewer(story.members[team.id][0])
    rows = await Attendance.filter(activity_id=activity.id).order_by("id")
    longest = int((activity.ends_at - activity.starts_at).total_seconds() // 60)
    for row in rows:
        if row.status not in (AttendanceStatus.CLOSED, AttendanceStatus.AUTO_CLOSED):
            continue
        turn = story.counter("decision")
        if row.user_id == captain.user_id:
            await attendance.approve(captain, row)
        elif turn % REJECT_EVERY == 0:
            await attendance.reject(captain, row, "签到后未参加活动，经核实不计时长")
        elif turn % ADJUST_EVERY == 0 or row.status == AttendanceStatus.AUTO_CLOSED:
            await attendance.adjust(captain, row, longest // 2, "提前离开，按实际服务时长计")
        else:
            await attendance.approve(captain, row)


async def _log(story: Story, kind: TeamKind, activity: Activity, index: int) -> None:
    team = story.teams[kind]
    captain = await story.viewer(story.members[team.id][0])
    rng = story.rng
    story.at(activity.ends_at - timedelta(minutes=5))
    values: dict[str, Any]
    findings: list[Finding] = []
    if kind == TeamKind.RIVER_PATROL:
        log_kind = LogKind.PATROL
        values = {
            "distance_km": Decimal(rng.randint(25, 60)) / 10,
            "duration_minutes": rng.randint(90, 115),
            "note": rng.choice(PATROL_NOTES),
        }
        if index % 3 == 0:
            text, category = FINDINGS[index % len(FINDINGS)]
            place = PlaceRef("Building", story.buildings[index % len(story.buildings)])
            findings.append(Finding(place, text, wants_repair=True, category=category))
        findings.append(
            Finding(
                PlaceRef("Compound", activity.compound_id or story.compounds[0]),
                "河边步道积水，已提醒居民绕行",
                wants_repair=False,
            )
        )
    elif kind == TeamKind.TUTORING:
        log_kind = LogKind.TUTORING
        values = {"pupils": rng.randint(8, 22), "subject": rng.choice(SUBJECTS)}
    elif kind == TeamKind.MEDIATION:
        log_kind = LogKind.MEDIATION
        values = {"settled": index % 5 != 0, "category": str(rng.choice(MEDIATIONS))}
    elif kind == TeamKind.CLEANING:
        log_kind = LogKind.CLEANING
        values = {
            "area_m2": Decimal(rng.randint(150, 400)),
            "bags": rng.randint(3, 12),
            "note": "清理楼道杂物和小广告",
        }
    else:
        return  # mutual aid and repair days keep no log of their own
    await activity_logs.write(captain, activity, log_kind, f"demo-log-{activity.id}", values, findings)


async def _snowstorm(story: Story) -> None:
    staff = await story.viewer(story.cast.logins["staff"])
    first_day = story.local(1, SNOW_DAY, 6)
    story.at(first_day)
    emergency = await activity_service.declare_emergency(
        staff,
        story.community.id,
        title="暴雪紧急动员：全体志愿者清雪",
        activity_kind=TeamKind.SNOW_CLEARING,
        starts_at=first_day,
        ends_at=first_day + timedelta(hours=48),
        multiplier_percent=200,
        idempotency_key="demo-snowstorm",
    )
    team = story.teams[TeamKind.SNOW_CLEARING]
    squad = story.members[team.id]
    # The call-out opens the shifts to everyone: volunteers of other teams come too.
    others = [v for v in story.cast.volunteers if v not in squad]
    for shift, (day, hour, hours) in enumerate(SNOW_SHIFTS):
        begins = story.local(1, SNOW_DAY + day, hour)
        story.at(emergency.starts_at + timedelta(minutes=10 + shift))
        activity = await _schedule(
            story,
            TeamKind.SNOW_CLEARING,
            f"暴雪清雪第{shift + 1}班",
            PlaceRef("Compound", story.compounds[shift % len(story.compounds)]),
            begins,
            hours * 60,
            f"snow-{shift}",
        )
        crew = [squad[0], *story.pick(squad[1:], SNOW_CREW - 8), *story.pick(others, 7)]
        await _attend(story, team, activity, crew)
        captain = await story.viewer(squad[0])
        story.at(activity.ends_at - timedelta(minutes=5))
        area = Decimal(story.rng.randint(7000, 9000))
        await activity_logs.write(
            captain,
            activity,
            LogKind.SNOW_CLEARING,
            f"demo-log-{activity.id}",
            {"area_m2": area, "volume_m3": (area * Decimal("0.5")).quantize(Decimal(1))},
        )
        await _decide(story, team, activity)
