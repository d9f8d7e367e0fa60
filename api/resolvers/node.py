"""`node(id)`: any object by its global id, looked up by the area that owns its type, after the
same access checks as the object's own field. Anything not there for the caller is null, the
same for a wrong id, an unknown type and another community's object.

An area adds its types to LOOKUPS: type name → async (info, type name, row id) → object.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from api.context import Info
from api.ids import decode_global_id, split_global_id
from api.resolvers.places import operations as place_mutations
from api.resolvers.points import operations as points
from api.schema.reports.types import Report
from api.schema.tags.types import Tag
from services import tags as tag_service
from services.errors import DomainError
from services.reports import queries as report_queries

Lookup = Callable[[Info, str, int], Awaitable[Any]]


async def _tag(info: Info, type_name: str, row_id: int) -> Any:
    return Tag.of(await tag_service.get_tag(info.context.viewer, row_id))


async def _report(info: Info, type_name: str, row_id: int) -> Any:
    return Report.of(await report_queries.get_report(info.context.viewer, row_id))


LOOKUPS: dict[str, Lookup] = {
    **{name: place_mutations.place_node for name in place_mutations.NODE_TYPES},
    **{name: points.points_node for name in points.NODE_TYPES},
    "Tag": _tag,
    "Report": _report,
}


async def node(info: Info, id: str) -> Any:
    # Signed out is said before anything about the id, so a bad id never masks it.
    info.context.viewer.require_user()
    try:
        type_name, _ = split_global_id(id, "id")
        lookup = LOOKUPS.get(type_name)
        if lookup is None:
            return None
        return await lookup(info, type_name, decode_global_id(id, type_name, "id"))
    except DomainError:
        return None
