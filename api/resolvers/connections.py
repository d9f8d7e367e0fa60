"""The one builder of Relay connections: rows of a page, each with its cursor, and a lazy total."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from api.ids import encode_cursor
from api.schema.common import Connection, Edge, PageInfo

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
