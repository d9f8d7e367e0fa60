"""What the browser walk needs that production serves no document for yet (issue 18 adds the
office's): a tag on an entrance, a team with the demo's captain, and a gift in the catalogue, made
through the services as the office's staff would. Run as `python -m tests.api.web.world` with
RS_DATABASE_URL set; prints JSON with the tag's code."""

from __future__ import annotations

import asyncio
import json
import os

from models.people import User
from models.places import Community, Entrance
from models.rewards import RewardKind
from models.tags import Tag
from models.teams import TeamKind
from runtime import database
from services import tags, teams
from services.access import load_viewer
from services.points import create_reward


async def main() -> None:
    await database.open_database(os.environ["RS_DATABASE_URL"])
    try:
        community = await Community.get(slug="hongxing")
        staff = await User.get(phone="+8613900000002")
        viewer = await load_viewer(staff.id)
        entrance = await Entrance.filter(community_id=community.id).order_by("id").first()
        assert entrance is not None
        # The living demo already tags every entrance: use its tag, or print one where none hangs.
        tag = await Tag.filter(entrance_id=entrance.id, revoked_at=None).first()
        if tag is None:
            tag = await tags.create_tag(viewer, entrance)
        # The volunteers' team with the printed captain; the volunteer joins it in the walk.
        team = await teams.create_team(viewer, community.id, "楼道保洁队", TeamKind.CLEANING)
        captain = await User.get(phone="+8613900000012")
        await teams.appoint_captain(viewer, team, captain.id)
        reward = await create_reward(
            viewer,
            community.id,
            name="环保帆布袋",
            cost=20,
            stock=30,
            kind=RewardKind.GIFT,
            description="社区办公室领取",
        )
        print(json.dumps({"tag": tags.code_of(tag), "reward": reward.id}))
    finally:
        await database.close_database()


if __name__ == "__main__":
    asyncio.run(main())
