"""The one builder of Relay connections: rows of a page, each with its cursor, and a lazy total."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from api.ids import decode_cursor, encode_cursor
from api.schema.common import Connection, Edge, PageInfo
from services.paging import Page, PageKey, clamp_first

T = TypeVar("T")


def _row_cursor(row: Any) -> str:
    return encode_cursor(row.pk)


def connection(
    rows: list[Any],
    has_next: bool,
    convert: Callable[[Any], T],
    count: Callable[[], Awaitable[int]],
    after: object | None,
    cursor_of: Callable[[Any], str] = _row_cursor,
) -> Connection[T]:
    """`rows` are the page already cut to size; `has_next` whether more follow; `after` the
    cursor the page started after (a previous page exists when there is one); `count` is awaited
    only when the client asks for totalCount."""
    edges = [Edge(cursor=cursor_of(row), node=convert(row)) for row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=count,
    )


async def children(
    parent_id: int,
    pages: DataLoader[PageKey, Page[Any]],
    counts: DataLoader[int, int],
    convert: Callable[[Any], T],
    first: int | None,
    after: str | None,
) -> Connection[T]:
    """One page of a parent's children through the request's loaders (one query per level for a
    whole page of parents): `pages` is the area's `xsByParent` loader, `counts` its
    `xCountByParent`."""
    size, after_id = clamp_first(first), decode_cursor(after)
    page = await pages.load((parent_id, size, after_id))
    return connection(page.items, page.has_next, convert, lambda: counts.load(parent_id), after_id)
