"""Two office computers at once: bulk creation never prints two codes for one place, and of two
re-issues of one tag exactly one wins. Real races on PostgreSQL; serialized on SQLite."""

from __future__ import annotations

import asyncio

from models.places import Entrance
from models.tags import Tag
from services import tags
from services.access import load_viewer
from services.errors import DomainError, ErrorCode
from tests.api.tags.conftest import TagWorld


async def test_concurrent_bulk_runs_create_each_tag_once(world: TagWorld) -> None:
    for number in range(3, 13):
        await Entrance.create(
            community=world.place.community, building=world.place.building, name=f"{number}单元"
        )
    viewer = await load_viewer(world.staff.user.id)
    results = await asyncio.gather(
        *(tags.create_for_building(viewer, world.place.building) for _ in range(4))
    )
    assert sum(len(r.created) for r in results) == 12
    assert all(len(r.tags) == 12 for r in results)
    assert await Tag.filter(revoked_at__isnull=True).count() == 12


async def test_of_two_concurrent_reissues_one_wins(world: TagWorld) -> None:
    viewer = await load_viewer(world.staff.user.id)
    tag = await tags.create_tag(viewer, world.place.entrance)
    copies = [await Tag.get(id=tag.id) for _ in range(2)]
    outcomes = await asyncio.gather(*(tags.reissue(viewer, c) for c in copies), return_exceptions=True)
    winners = [o for o in outcomes if isinstance(o, Tag)]
    losers = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code in (ErrorCode.TAG_REVOKED, ErrorCode.TAG_EXISTS)
    active = await Tag.filter(entrance_id=world.place.entrance.id, revoked_at__isnull=True)
    assert [t.id for t in active] == [winners[0].id]
    assert winners[0].version == 2
