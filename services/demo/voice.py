"""What residents say and decide: opinions in every state (some supported by neighbours), a
round-table meeting with check-ins, votes and decisions, one coming up, and the monthly
satisfaction surveys with their answers (scores rising month by month, as they did)."""

from __future__ import annotations

from datetime import timedelta

from models.enums import ReportCategory
from models.teams import TeamKind
from models.voice import OpinionKind, OpinionStatus, OpinionTopic
from services import opinions, round_table, satisfaction
from services.demo.story import Story

OPINIONS = (
    (
        OpinionKind.SUGGESTION,
        OpinionTopic.PARKING,
        "建议在休闲小区东侧空地划电动车停车位，加装充电桩",
        "adopted",
    ),
    (OpinionKind.SUGGESTION, OpinionTopic.GREENING, "幸福小区3号楼前的花坛可以种点月季", "done"),
    (OpinionKind.COMPLAINT, OpinionTopic.NOISE, "晚上广场舞音响太大，十点后还在跳", "answered"),
    (OpinionKind.SUGGESTION, OpinionTopic.FACILITIES, "希望在和平小区加几把休息长椅", "open"),
    (OpinionKind.COMPLAINT, OpinionTopic.SANITATION, "垃圾分类点周末没人值守，经常满溢", "open"),
    (OpinionKind.SUGGESTION, OpinionTopic.FEES, "物业费能不能用手机缴纳", "adopted"),
    (OpinionKind.COMPLAINT, OpinionTopic.SAFETY, "光明小区西门晚上没有灯，老人走路不安全", "done"),
    (OpinionKind.SUGGESTION, OpinionTopic.SERVICE, "四点半课堂能不能增加周三下午", "declined"),
    (OpinionKind.SUGGESTION, OpinionTopic.OTHER, "想组织一个老年合唱队", "open"),
    (OpinionKind.COMPLAINT, OpinionTopic.PARKING, "外来车辆占用消防通道", "answered"),
    (OpinionKind.SUGGESTION, OpinionTopic.GREENING, "冬天能不能给小区的树刷白防虫", "open"),
)
ANSWERS = {
    "adopted": ("已采纳，下月议事会讨论具体方案", "社区组织施工队现场勘查并报街道审批"),
    "done": ("已采纳", "已完成，欢迎居民监督"),
    "answered": ("已联系广场舞队，约定晚九点半前结束并调低音量", ""),
    "declined": ("周三下午老师人手不足，暂不增加，欢迎退休教师报名", ""),
}
SURVEY_QUESTIONS = ["您对报修处理速度满意吗？", "您对楼道卫生满意吗？", "您对社区账目公开满意吗？"]
# Average score of each month's answers, oldest first: satisfaction grew as reports got answers.
SURVEY_MOODS = (3.6, 4.1, 4.5)
SURVEY_ANSWERS = 45


async def seed(story: Story) -> None:
    await _opinions(story)
    await _meetings(story)
    await _surveys(story)


async def _opinions(story: Story) -> None:
    rng = story.rng
    community_id = story.community.id
    staff = await story.viewer(story.cast.logins["staff"])
    people = [*story.cast.residents, *story.cast.volunteers]
    span = story.now - story.month_start(2) - timedelta(days=3)
    for index, (kind, topic, text, ending) in enumerate(OPINIONS):
        posted = story.month_start(2) + span * (index / len(OPINIONS))
        story.at(posted)
        author = people[(index * 17) % len(people)]
        opinion = await opinions.post(await story.viewer(author), community_id, kind, topic, text)
        for supporter in story.pick([p for p in people if p != author], rng.randint(2, 12)):
            story.at(posted + timedelta(hours=rng.randint(1, 48)))
            await opinions.support(await story.viewer(supporter), opinion)
        if ending == "open":
            continue
        story.at(posted + timedelta(days=3))
        outcome = OpinionStatus.ADOPTED if ending in ("adopted", "done") else OpinionStatus(ending)
        answer, action = ANSWERS[ending]
        await opinions.answer(staff, opinion, outcome, answer, action)
        if ending == "done":
            story.at(posted + timedelta(days=10))
            await opinions.mark_done(staff, opinion)
        story.opinions[ending] = opinion.id


async def _meetings(story: Story) -> None:
    rng = story.rng
    community_id = story.community.id
    staff = await story.viewer(story.cast.logins["staff"])
    starts = story.local(1, 25, 19)
    story.at(starts - timedelta(days=7))
    meeting = await round_table.create_meeting(
        staff,
        community_id,
        "红色议事会：停车与照明",
        "社区党群服务中心二楼",
        starts,
        starts + timedelta(hours=2),
    )
    parking = await round_table.add_topic(
        staff,
        meeting,
        "电动车停车与充电方案",
        opinion_id=story.opinions.get("adopted"),
        choices=["划线停车并加装充电桩", "只划线停车", "维持现状"],
        one_vote_per_household=True,
    )
    lights = await round_table.add_topic(
        staff,
        meeting,
        "休闲小区楼道灯统一更换为声控LED",
        report_category=ReportCategory.LIGHTING,
        report_place="休闲小区",
    )
    fund = await round_table.add_topic(staff, meeting, "设立楼道自治基金，每户每年自愿缴纳20元")
    attendees = story.pick(story.cast.volunteers, 32)
    for index, user_id in enumerate(attendees):
        moment = story.at(starts + timedelta(minutes=index % 15))
        code, _ = round_table.meeting_code(staff, meeting)
        viewer = await story.viewer(user_id)
        await round_table.check_in(viewer, meeting, code)
        story.at(moment + timedelta(minutes=30))
        await round_table.vote(
            viewer, parking, rng.choice(["划线停车并加装充电桩"] * 3 + ["只划线停车", "维持现状"])
        )
        await round_table.vote(viewer, lights, rng.choice(["yes"] * 5 + ["no", "abstain"]))
        await round_table.vote(viewer, fund, rng.choice(["yes", "yes", "no", "abstain"]))
    story.at(starts + timedelta(hours=1, minutes=50))
    follow = story.cast.captains[0]
    await round_table.close(
        staff, parking, "多数赞成划线停车并加装充电桩，报街道审批", follow, "红色维修队月底前出方案"
    )
    await round_table.close(staff, lights, "通过，分批更换，先换休闲小区", follow, "材料费从公共收益列支")
    await round_table.close(staff, fund, "意见分歧较大，下次议事会再议", None, "")
    # The next meeting is announced, its topic open.
    story.at(story.now)
    upcoming = story.now + timedelta(days=9)
    nxt = await round_table.create_meeting(
        staff,
        community_id,
        "红色议事会：冬季清雪与供暖",
        "社区党群服务中心二楼",
        upcoming,
        upcoming + timedelta(hours=2),
    )
    await round_table.add_topic(staff, nxt, "清雪突击队扩编，各楼栋推荐队员")


async def _surveys(story: Story) -> None:
    rng = story.rng
    community_id = story.community.id
    staff = await story.viewer(story.cast.logins["staff"])
    people = [*story.cast.residents, *story.cast.volunteers]
    for back, mood in zip((2, 1, 0), SURVEY_MOODS, strict=True):
        opens = story.month_start(back)
        story.at(opens)
        survey = await satisfaction.create_survey(
            staff,
            community_id,
            f"{story.month_name(back)} 居民满意度调查",
            SURVEY_QUESTIONS,
            opens,
            story.month_start(back - 1),
        )
        window = min(story.now, story.month_start(back - 1)) - opens
        for user_id in story.pick(people, SURVEY_ANSWERS):
            story.at(opens + window * rng.random())
            scores = [max(1, min(5, round(rng.gauss(mood, 0.8)))) for _ in SURVEY_QUESTIONS]
            await satisfaction.answer(await story.viewer(user_id), survey, scores)
    # One survey of a team's service: the repair team, rated by the people it served.
    opens = story.month_start(1)
    story.at(opens)
    repair_team = story.teams[TeamKind.REPAIR]
    survey = await satisfaction.create_survey(
        staff,
        community_id,
        "红色维修队服务评价",
        ["上门是否准时？", "维修质量如何？"],
        opens,
        story.month_start(0),
        team_id=repair_team.id,
    )
    for user_id in story.pick(people, 20):
        story.at(opens + (story.month_start(0) - opens) * rng.random())
        await satisfaction.answer(
            await story.viewer(user_id), survey, [rng.choice((4, 5, 5)), rng.choice((4, 5))]
        )
