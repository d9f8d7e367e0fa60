"""Keyset pages of child rows for many parents at once, so a nested list costs one query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise import connections
from tortoise.models import Model

from runtime.database import placeholder
from runtime.i18n import N_

M = TypeVar("M", bound=Model)

MAX_PAGE = 100
DEFAULT_PAGE = 20


# What a page of children is asked by: parent id, first, after id (a DataLoader's key).
PageKey = tuple[int, int, int | None]


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    has_next: bool


def clamp_first(first: int | None) -> int:
    from services.errors import DomainError, ErrorCode

    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("`first` must be between 0 and {max_page}."),
            "first",
            max_page=MAX_PAGE,
        )
    return first


async def pages_by_parent(
    model: type[M], parent_column: str, parent_ids: Sequence[int], first: int, after_id: int | None
) -> dict[int, Page[M]]:
    """The first `first` rows after `after_id` (by id) for each parent, in one query.

    A window function numbers the rows within each parent so the database returns at most
    first+1 rows per parent (the extra one tells whether there is a next page).
    """
    result: dict[int, Page[M]] = {pid: Page([], False) for pid in parent_ids}
    # `first: 0` still asks the database for one row: the page is empty, but whether a next
    # page exists is not.
    if not parent_ids:
        return result
    table = model._meta.db_table
    ids = sorted(set(parent_ids))
    placeholders, params = _in_clause(ids)
    after_clause = ""
    if after_id is not None:
        after_clause = f" AND id > {placeholder(len(params) + 1)}"
        params.append(after_id)
    limit_param = placeholder(len(params) + 1)
    params.append(first + 1)
    # Table and column names come from our own models, never from input.
    window = f'ROW_NUMBER() OVER (PARTITION BY "{parent_column}" ORDER BY id) AS rs_rank'
    sql = (
        f"SELECT * FROM (SELECT t.*, {window} "  # noqa: S608
        f'FROM "{table}" t WHERE "{parent_column}" IN ({placeholders}){after_clause}) ranked '
        f'WHERE rs_rank <= {limit_param} ORDER BY "{parent_column}", id'
    )
    rows = await connections.get("default").execute_query_dict(sql, params)
    grouped: dict[int, list[M]] = {pid: [] for pid in ids}
    for row in rows:
        row.pop("rs_rank", None)
        grouped[row[parent_column]].append(model._init_from_db(**row))
    for pid, items in grouped.items():
        result[pid] = Page(items[:first], len(items) > first)
    return result


async def counts_by_parent(
    model: type[Model], parent_column: str, parent_ids: Sequence[int]
) -> dict[int, int]:
    from tortoise.functions import Count

    rows = (
        await model.filter(**{f"{parent_column}__in": list(set(parent_ids))})
        .annotate(n=Count("id"))
        .group_by(parent_column)
        .values(parent_column, "n")
    )
    counts = {pid: 0 for pid in parent_ids}
    for row in rows:
        counts[row[parent_column]] = row["n"]
    return counts


def _in_clause(values: list[int]) -> tuple[str, list[int]]:
    return ", ".join(placeholder(i + 1) for i in range(len(values))), list(values)
