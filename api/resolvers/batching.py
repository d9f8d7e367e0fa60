"""The shapes of batched reads the areas' DataLoaders share: a page of children per parent, a
count of children per parent, and one question per user about many objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar, overload

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from services.paging import Page, PageKey, counts_by_parent, pages_by_parent

M = TypeVar("M", bound=Model)
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def pages(model: type[M], parent_column: str) -> Callable[[Sequence[PageKey]], Awaitable[list[Page[M]]]]:
    async def load(keys: Sequence[PageKey]) -> list[Page[M]]:
        # Keys asking for the same window (first, after) share one windowed query.
        groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        for parent_id, first, after in keys:
            groups[(first, after)].append(parent_id)
        answers: dict[PageKey, Page[M]] = {}
        for (first, after), parents in groups.items():
            found = await pages_by_parent(model, parent_column, parents, first, after)
            for parent_id, page in found.items():
                answers[(parent_id, first, after)] = page
        return [answers[key] for key in keys]

    return load


def counts(model: type[Model], parent_column: str) -> Callable[[Sequence[int]], Awaitable[list[int]]]:
    async def load(parent_ids: Sequence[int]) -> list[int]:
        found = await counts_by_parent(model, parent_column, parent_ids)
        return [found[pid] for pid in parent_ids]

    return load


def by_user(
    load_for_user: Callable[[int, Sequence[int]], Awaitable[list[T]]],
) -> Callable[[Sequence[tuple[int, int]]], Awaitable[list[T]]]:
    """Keys (user id, object id): one query per user asked about (in practice, the caller)."""

    async def load(keys: Sequence[tuple[int, int]]) -> list[T]:
        per_user: dict[int, list[int]] = defaultdict(list)
        for user_id, object_id in keys:
            per_user[user_id].append(object_id)
        answers: dict[tuple[int, int], T] = {}
        for user_id, object_ids in per_user.items():
            for object_id, value in zip(object_ids, await load_for_user(user_id, object_ids), strict=True):
                answers[(user_id, object_id)] = value
        return [answers[key] for key in keys]

    return load


class OnFirstUse(Generic[K, V]):
    """A DataLoader made the first time a resolver reads it, then kept on the request's loaders
    (as functools.cached_property keeps a value): one loader, so one cache, per request, and none
    made for fields nobody asked for. Declared on an area's loaders class:
    `report_by_id = OnFirstUse(reports_by_ids)`."""

    def __init__(self, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        self.load_fn = load_fn
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> OnFirstUse[K, V]: ...

    @overload
    def __get__(self, instance: object, owner: type) -> DataLoader[K, V]: ...

    def __get__(self, instance: object | None, owner: type) -> OnFirstUse[K, V] | DataLoader[K, V]:
        if instance is None:
            return self
        made: DataLoader[K, V] = DataLoader(self.load_fn)
        # Only __get__ is defined, so from now on the instance's own attribute answers directly.
        instance.__dict__[self.name] = made
        return made
