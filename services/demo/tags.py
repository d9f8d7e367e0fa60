"""QR tags on every compound, building and entrance, and on the main assets (lamps, doors, pipes,
cameras, garden beds), created by the office as it would before printing the sheets."""

from __future__ import annotations

from datetime import timedelta

from models.places import Building, Compound
from services import tags as tag_service
from services.demo.story import Story


async def seed(story: Story) -> None:
    staff = await story.viewer(story.cast.logins["staff"])
    story.at(story.month_start(2) - timedelta(days=25))
    community_id = story.community.id
    for compound in await Compound.filter(community_id=community_id).order_by("id"):
        await tag_service.create_tag(staff, compound)
        await tag_service.create_for_compound_assets(staff, compound)
    for building in await Building.filter(community_id=community_id).order_by("id"):
        await tag_service.create_tag(staff, building)
        await tag_service.create_for_building(staff, building)
