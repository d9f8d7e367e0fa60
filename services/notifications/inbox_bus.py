"""Waking the live inbox subscriptions of every server process when someone's inbox grows.

The bus carries only "user N has something new", never the notification itself: a woken
subscription reads the user's rows newer than the last it sent, so it only ever sends what
committed.

- PostgreSQL: `announce` runs `pg_notify('rs_inbox', '<user id>')` inside the writing
  transaction; PostgreSQL delivers it when (and only if) that transaction commits, to every
  process LISTENing — each process keeps one listening connection, opened with its first
  subscription.
- SQLite: one process, so the bus is in-process. It wakes subscriptions at once; their read then
  waits on tortoise's SQLite lock, which the writing transaction holds until it commits or rolls
  back, so they still see committed rows only.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterable
from typing import Any

from tortoise import connections

from models.reports import Notification
from runtime.database import is_postgres
from runtime.settings import get_settings

log = logging.getLogger("redsteward.inbox")

CHANNEL = "rs_inbox"

_waiters: dict[int, set[asyncio.Event]] = defaultdict(set)
_listener: Any = None  # the asyncpg connection LISTENing in this process
_listener_lock = asyncio.Lock()


def _wake(user_id: int) -> None:
    for event in list(_waiters.get(user_id, ())):
        event.set()


async def announce(user_ids: Iterable[int]) -> None:
    """Call inside the transaction that wrote the users' notifications."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return
    if is_postgres():
        conn = connections.get("default")
        await conn.execute_query(
            "SELECT pg_notify($1, u) FROM unnest($2::text[]) AS u", [CHANNEL, [str(u) for u in wanted]]
        )
    else:
        for user_id in wanted:
            _wake(user_id)


def _on_notify(connection: Any, pid: int, channel: str, payload: str) -> None:
    if payload.isdigit():
        _wake(int(payload))


async def _ensure_listener() -> None:
    global _listener
    if not is_postgres():
        return
    async with _listener_lock:
        if _listener is not None and not _listener.is_closed():
            return
        import asyncpg

        url = get_settings().database_url.replace("postgres://", "postgresql://", 1)
        _listener = await asyncpg.connect(url)
        await _listener.add_listener(CHANNEL, _on_notify)


async def stop() -> None:
    """Close this process's listening connection (server shutdown)."""
    global _listener
    if _listener is not None:
        await _listener.close()
        _listener = None


# How long a transaction that wrote a notification may take to commit and still be sent: ids are
# taken at INSERT, so on PostgreSQL a row with a smaller id can commit after a larger one was sent.
LATE_COMMIT_SECONDS = 60.0


async def watch(user_id: int, after_id: int | None = None) -> AsyncIterator[Notification]:
    """Yields the user's notifications newer than `after_id` (when given) and then each new one
    as it commits, each once; without `after_id`, only those written after the watch began.

    The waiter is registered (and on PostgreSQL, LISTEN running) before the first read, so a
    notification committed in between is read, never lost. Each read starts below the newest id
    sent, at what that was LATE_COMMIT_SECONDS ago, and skips what was sent since: a row whose
    id is smaller than one already sent but whose transaction committed later is still sent."""
    event = asyncio.Event()
    _waiters[user_id].add(event)
    try:
        await _ensure_listener()
        if after_id is None:
            last = await Notification.filter(user_id=user_id).order_by("-id").first()
            floor = last.id if last else 0
        else:
            floor = after_id
            event.set()  # replay what is already newer than the cursor before waiting
        sent: set[int] = set()
        newest: deque[tuple[float, int]] = deque()  # (when, newest id sent then), oldest first
        loop = asyncio.get_running_loop()
        while True:
            await event.wait()
            event.clear()
            while newest and newest[0][0] < loop.time() - LATE_COMMIT_SECONDS:
                floor = max(floor, newest.popleft()[1])
            sent = {i for i in sent if i > floor}
            for row in await Notification.filter(user_id=user_id, id__gt=floor).order_by("id"):
                if row.id in sent:
                    continue
                sent.add(row.id)
                newest.append((loop.time(), max(sent)))
                yield row
    finally:
        _waiters[user_id].discard(event)
        if not _waiters[user_id]:
            del _waiters[user_id]
