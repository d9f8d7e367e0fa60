"""Home observers and the mediation room: an observer posted to each compound walks it a few
times a month, takes down residents' opinions and steps into disputes (most settled on the spot,
two referred to the room); the mediation room's team members are its mediators, and its cases
run through sessions, an agreement and a follow-up to settled, with one not settled and one
still being mediated. Everything on the story's clock, deterministically from its seed."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.mediation_room import CaseState, MediationCase
from models.places import Compound, Household
from models.teams import MediationCategory, TeamKind
from models.voice import OpinionKind, OpinionTopic
from services import mediation_room, observers
from services.access import load_viewer
from services.demo.story import Story

SPOTS = ("中心花园", "北门车棚", "垃圾分类点", "3号楼楼下", "健身器材旁")
SEEN = (
    "车棚顶棚漏雨，电动车充电线私拉",
    "老人们在花园晒太阳，反映缺长椅",
    "垃圾点周末满溢，有异味",
    "楼下有人遛狗不牵绳，邻居有意见",
    "健身器材螺丝松动，已拍照报修",
)
TAKEN = (
    (OpinionKind.SUGGESTION, OpinionTopic.FACILITIES, "花园里加几张长椅，方便老人歇脚"),
    (OpinionKind.COMPLAINT, OpinionTopic.SANITATION, "周末垃圾点没人管，请安排值守"),
    (OpinionKind.SUGGESTION, OpinionTopic.PARKING, "车棚里装集中充电桩，别再私拉电线"),
)
DISPUTES = (
    (MediationCategory.PETS, "遛狗不牵绳，两户在楼下争吵，劝说后同意牵绳"),
    (MediationCategory.NOISE, "楼上夜里装修，楼下上门理论，约定施工时段"),
    (MediationCategory.PARKING, "车位被占，两家车主争执"),
)
# (category, summary, how it ends): three settled, one not, one still being mediated.
CASES = (
    (MediationCategory.WATER_LEAK, "楼上卫生间漏水渗到楼下天花板，维修费谁出", "settled"),
    (MediationCategory.SHARED_SPACE, "楼道堆放杂物，邻居要求清理", "settled"),
    (MediationCategory.NOISE, "夜间广场舞音响扰民", "settled"),
    (MediationCategory.PROPERTY_FEES, "对物业费分摊有争议，拒缴电梯费", "not_settled"),
    (MediationCategory.PETS, "邻居家狗夜里叫，多次沟通无果", "open"),
)


async def seed(story: Story) -> None:
    staff = await story.viewer(story.cast.logins["staff"])
    community_id = story.community.id
    compounds = list(await Compound.filter(community_id=community_id).order_by("id"))
    households = [
        int(str(h))
        for h in await Household.filter(community_id=community_id).order_by("id").values_list("id", flat=True)
    ]
    # The mediation room's team are its mediators (retired party members, in the seed's words).
    team = story.teams[TeamKind.MEDIATION]
    mediators = story.members[team.id][:3]
    story.at(story.month_start(2))
    for mediator in mediators:
        await mediation_room.appoint_mediator(staff, community_id, mediator)
    watchers = story.cast.residents[: len(compounds)]
    for compound, watcher in zip(compounds, watchers, strict=False):
        await observers.appoint(staff, compound, watcher)
    referred = await _walks(story, compounds, watchers, households, mediators)
    await _cases(story, households, mediators, referred)


async def _walks(
    story: Story, compounds: list[Compound], watchers: list[int], households: list[int], mediators: list[int]
) -> list[int]:
    """Three walks a month per compound over the last two months; the case ids referred."""
    referred: list[int] = []
    for index, (compound, watcher) in enumerate(zip(compounds, watchers, strict=False)):
        observer = await load_viewer(watcher)  # with the role just granted
        for back in (1, 0):
            for walk in range(3):
                day = 3 + walk * 9 + index % 3
                if back == 0 and day > story.days_in(0):
                    continue
                moment = story.at(story.local(back, day, 9 + index % 4))
                n = story.counter("visit")
                visit = await observers.record_visit(
                    observer, compound, None, SPOTS[n % len(SPOTS)], SEEN[n % len(SEEN)], f"demo-visit-{n}"
                )
                if n % 3 == 0:
                    kind, topic, text = TAKEN[n % len(TAKEN)]
                    await observers.take_opinion(observer, visit, kind, topic, text)
                if n % 4 == 1:
                    category, summary = DISPUTES[n % len(DISPUTES)][:2]
                    refer = len(referred) < 2 and n % 8 == 5
                    stepped = await observers.step_in(
                        observer, visit, category, summary, settled_on_spot=not refer
                    )
                    if refer:
                        story.at(moment + timedelta(hours=1))
                        parties = story.rng.sample(households, 2)
                        case = await observers.refer(observer, stepped, parties, mediators[:1])
                        referred.append(case.id)
    return referred


async def _cases(story: Story, households: list[int], mediators: list[int], referred: list[int]) -> None:
    staff = await story.viewer(story.cast.logins["staff"])
    community_id = story.community.id
    for index, (category, summary, ending) in enumerate(CASES):
        opened_at = story.at(story.local(1, 2 + index * 4, 15))
        parties = story.rng.sample(households, 2)
        working = [mediators[index % len(mediators)], mediators[(index + 1) % len(mediators)]]
        case = await mediation_room.open_case(staff, community_id, category, summary, parties, working)
        await _work(story, case.id, working[0], opened_at, ending)
    # The observers' referrals: the first is settled, the next one is being mediated.
    for index, case_id in enumerate(referred):
        case = await MediationCase.get(id=case_id)
        await _work(story, case.id, mediators[0], case.opened_at, "settled" if index == 0 else "open")


async def _work(story: Story, case_id: int, mediator_id: int, opened_at: datetime, ending: str) -> None:
    mediator = await load_viewer(mediator_id)

    async def fresh() -> MediationCase:
        return await mediation_room.case_for(mediator, case_id)

    def local_day(moment: datetime) -> datetime:
        return story.at(moment)

    held = local_day(opened_at + timedelta(days=2))
    await mediation_room.record_session(
        mediator,
        await fresh(),
        held.astimezone(story.zone).date(),
        "双方户主、调解员",
        "听取双方意见，约定下次带齐材料",
        f"demo-session-{case_id}-1",
    )
    if ending == "open":
        return
    if ending == "not_settled":
        local_day(opened_at + timedelta(days=6))
        await mediation_room.close(
            mediator,
            await fresh(),
            CaseState.NOT_SETTLED,
            "一方不接受调解方案，建议走法律途径",
        )
        return
    signed = local_day(opened_at + timedelta(days=5))
    await mediation_room.record_agreement(
        mediator, await fresh(), "双方同意按协议分担费用，互相谅解", signed.astimezone(story.zone).date()
    )
    visited = local_day(opened_at + timedelta(days=12))
    await mediation_room.record_follow_up(
        mediator, await fresh(), visited.astimezone(story.zone).date(), "回访：协议已履行，两家关系和睦"
    )
    await mediation_room.close(mediator, await fresh(), CaseState.SETTLED, "")
