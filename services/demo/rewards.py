"""The reward catalogue (gifts with stock, repair-service vouchers) and what people redeemed with
the points they earned: handed over at the office by a scan of the pickup code, waiting to be
picked up, or cancelled and refunded — all through the points engine, so the ledger holds it."""

from __future__ import annotations

from datetime import timedelta

from models.rewards import Reward, RewardKind
from points_engine import pickup, statements
from services import points
from services.demo.story import Story

CATALOGUE = (
    (RewardKind.GIFT, "东北大米 5kg", "社区超市提供，凭码到社区服务站领取", 300, 40),
    (RewardKind.GIFT, "花生油 1.8L", "凭码到社区服务站领取", 400, 30),
    (RewardKind.GIFT, "洗衣液 2kg", "凭码到社区服务站领取", 150, 60),
    (RewardKind.GIFT, "纯棉毛巾两条", "凭码到社区服务站领取", 80, 100),
    (RewardKind.GIFT, "保温杯", "红星社区志愿者纪念款", 250, 2),
    (RewardKind.SERVICE, "上门维修一次（含工时）", "红色维修队上门，材料费另计", 500, None),
    (RewardKind.SERVICE, "疏通下水道一次", "红色维修队上门疏通", 300, None),
    (RewardKind.SERVICE, "理发券", "社区理发室，老年人优先", 120, None),
)
FULFILLED = 24
CANCELLED = 2
WAITING = 8


async def seed(story: Story) -> None:
    rng = story.rng
    community_id = story.community.id
    staff = await story.viewer(story.cast.logins["staff"])
    story.at(story.month_start(1) + timedelta(days=2))
    for kind, name, text, cost, stock in CATALOGUE:
        await points.create_reward(
            staff, community_id, kind=kind, name=name, description=text, cost=cost, stock=stock
        )
    # Who can afford something: those who earned most, the printed volunteer among them.
    volunteer = story.cast.logins["volunteer"]
    people = [volunteer, *story.pick([v for v in story.cast.volunteers if v != volunteer], 60)]
    plan = ["fulfilled"] * FULFILLED + ["cancelled"] * CANCELLED + ["waiting"] * WAITING
    span = (story.now - timedelta(days=4)) - story.month_start(1) - timedelta(days=3)
    done = 0
    for turn, user_id in enumerate(people):
        if done == len(plan):
            break
        how = plan[done] if user_id != volunteer else "waiting"
        if how == "waiting":
            moment = story.recent(days=rng.randint(0, 3), hours=rng.randint(1, 8))
        else:
            moment = story.month_start(1) + timedelta(
                days=3, seconds=rng.randint(0, int(span.total_seconds()))
            )
        story.at(moment)
        balance = await statements.balance(community_id, user_id)
        rewards = await Reward.filter(community_id=community_id).order_by("id")  # stock as it is now
        affordable = [r for r in rewards if r.cost <= balance and (r.stock is None or r.stock > 0)]
        if not affordable:
            continue
        reward = await points.get_reward(staff, rng.choice(affordable).id)
        viewer = await story.viewer(user_id)
        row = await points.redeem(viewer, reward, f"demo-redeem-{turn}")
        done += 1
        if how == "fulfilled":
            story.at(moment + timedelta(hours=rng.randint(1, 48)))
            await points.fulfil(staff, pickup.code_for(row.pickup_nonce))
        elif how == "cancelled":
            story.at(moment + timedelta(hours=rng.randint(1, 20)))
            await points.cancel(viewer, row.id)
