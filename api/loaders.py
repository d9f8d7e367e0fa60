"""DataLoaders, created once per request, named by what they load and by what key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models.places import Asset, Building, Community, Compound, Entrance, Household
from services.paging import Page, counts_by_parent, pages_by_parent
from services.places import care_tags_by_household, rows_by_ids
from services.points import rewards_by_ids
from services.tags import active_tags_by_key, locations_of

M = TypeVar("M", bound=Model)
PageKey = tuple[int, int, int | None]  # parent id, first, after id


def _pages(model: type[M], parent_column: str) -> Callable[[Sequence[PageKey]], Awaitable[list[Page[M]]]]:
    async def load(keys: Sequence[PageKey]) -> list[Page[M]]:
        # Keys asking for the same window (first, after) share one windowed query.
        groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        for parent_id, first, after in keys:
            groups[(first, after)].append(parent_id)
        answers: dict[PageKey, Page[M]] = {}
        for (first, after), parents in groups.items():
            pages = await pages_by_parent(model, parent_column, parents, first, after)
            for parent_id, page in pages.items():
                answers[(parent_id, first, after)] = page
        return [answers[key] for key in keys]

    return load


def _counts(model: type[Model], parent_column: str) -> Callable[[Sequence[int]], Awaitable[list[int]]]:
    async def load(parent_ids: Sequence[int]) -> list[int]:
        counts = await counts_by_parent(model, parent_column, parent_ids)
        return [counts[pid] for pid in parent_ids]

    return load


class Loaders:
    def __init__(self) -> None:
        self.community_by_id = DataLoader(partial(rows_by_ids, Community))
        self.compound_by_id = DataLoader(partial(rows_by_ids, Compound))
        self.building_by_id = DataLoader(partial(rows_by_ids, Building))
        self.entrance_by_id = DataLoader(partial(rows_by_ids, Entrance))
        self.household_by_id = DataLoader(partial(rows_by_ids, Household))
        self.asset_by_id = DataLoader(partial(rows_by_ids, Asset))
        self.compounds_by_community = DataLoader(_pages(Compound, "community_id"))
        self.buildings_by_compound = DataLoader(_pages(Building, "compound_id"))
        self.entrances_by_building = DataLoader(_pages(Entrance, "building_id"))
        self.households_by_entrance = DataLoader(_pages(Household, "entrance_id"))
        self.compound_count_by_community = DataLoader(_counts(Compound, "community_id"))
        self.building_count_by_compound = DataLoader(_counts(Building, "compound_id"))
        self.entrance_count_by_building = DataLoader(_counts(Entrance, "building_id"))
        self.household_count_by_entrance = DataLoader(_counts(Household, "entrance_id"))
        self.care_tags_by_household = DataLoader(care_tags_by_household)
        self.reward_by_id = DataLoader(rewards_by_ids)
        from api.report_loaders import ReportLoaders  # it builds on the helpers above

        self.reports = ReportLoaders()
        self.tag_location_by_tag = DataLoader(locations_of)
        self.active_tag_by_target = DataLoader(active_tags_by_key)
