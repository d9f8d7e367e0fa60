"""The live inbox stream (services.notifications.inbox_bus.watch) sends each committed notification once, also
when transactions commit out of the order of their ids."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from models.reports import Notification
from runtime import clock
from runtime.database import dialect
from services.notifications import inbox_bus
from tests.support.people import make_neighbourhood, make_person


async def test_a_notification_committed_after_a_newer_one_is_still_sent() -> None:
    """Two call-outs for one volunteer at once: the first INSERT takes the smaller id but its
    transaction commits last. The stream has already sent the larger id by then, and must still
    send the smaller one."""
    if dialect() != "postgres":
        pytest.skip("SQLite serializes writers, so ids always commit in order")
    place = await make_neighbourhood()
    person = await make_person(place.community)
    user_id, community_id = person.user.id, place.community.id

    async def write(text: str, inserted: asyncio.Event, commit: asyncio.Event) -> int:
        async with in_transaction():
            row = await Notification.create(
                user_id=user_id,
                community_id=community_id,
                event="emergency.declared",
                text=text,
                created_at=clock.now(),
            )
            inserted.set()
            await commit.wait()
            await inbox_bus.announce([user_id])
        return row.id

    stream = inbox_bus.watch(user_id, after_id=0)
    slow_inserted, slow_commit = asyncio.Event(), asyncio.Event()
    slow = asyncio.create_task(write("暴雪 1", slow_inserted, slow_commit))
    await slow_inserted.wait()
    go = asyncio.Event()
    go.set()
    fast_id = await write("暴雪 2", asyncio.Event(), go)
    try:
        first = await asyncio.wait_for(anext(stream), 10)
        slow_commit.set()
        slow_id = await slow
        second = await asyncio.wait_for(anext(stream), 10)
    finally:
        slow_commit.set()
        await stream.aclose()  # type: ignore[attr-defined]
    assert slow_id < fast_id
    assert [first.id, second.id] == [fast_id, slow_id]
