"""DataLoaders, created once per request, named by what they load and by what key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models.places import Asset, Building, Community, Compound, Entrance, Household
from models.teams import Activity, ActivityLog, Attendance, Emergency, TeamMember
from services import inspections, teams
from services.access import user_names_by_ids
from services.paging import Page, counts_by_parent, pages_by_parent
from services.places import care_tags_by_household, rows_by_ids
from services.places.labels import labels as place_labels
from services.places.labels import rows_with_parents
from services.points import rewards_by_ids
from services.tags import active_tags_by_key, locations_of
from services.teams import activities, activity_logs, attendance

M = TypeVar("M", bound=Model)
T = TypeVar("T")
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


def _by_user(
    load_for_user: Callable[[int, Sequence[int]], Awaitable[list[T]]],
) -> Callable[[Sequence[tuple[int, int]]], Awaitable[list[T]]]:
    """Keys (user id, object id): one query per user asked about (in practice, the caller)."""

    async def load(keys: Sequence[tuple[int, int]]) -> list[T]:
        by_user: dict[int, list[int]] = defaultdict(list)
        for user_id, object_id in keys:
            by_user[user_id].append(object_id)
        answers: dict[tuple[int, int], T] = {}
        for user_id, object_ids in by_user.items():
            for object_id, value in zip(object_ids, await load_for_user(user_id, object_ids), strict=True):
                answers[(user_id, object_id)] = value
        return [answers[key] for key in keys]

    return load


async def _emergencies_in_force(community_ids: Sequence[int]) -> list[list[Emergency]]:
    from runtime import clock

    now = clock.now()
    return [list(await activities.in_force(cid, now)) for cid in community_ids]


async def _captain_team_ids(user_ids: Sequence[int]) -> list[frozenset[int]]:
    rows = await TeamMember.filter(user_id__in=list(set(user_ids)), is_captain=True).values_list(
        "user_id", "team_id"
    )
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in rows:
        found[int(user_id)].add(int(team_id))
    return [frozenset(found.get(u, set())) for u in user_ids]


class Loaders:
    def __init__(self) -> None:
        self.community_by_id = DataLoader(partial(rows_by_ids, Community))
        # Places come with the places above them in the same statement: their full labels
        # ("休闲小区 1号楼 1单元") then cost nothing more.
        self.compound_by_id = DataLoader(partial(rows_with_parents, Compound))
        self.building_by_id = DataLoader(partial(rows_with_parents, Building))
        self.entrance_by_id = DataLoader(partial(rows_with_parents, Entrance))
        self.household_by_id = DataLoader(partial(rows_with_parents, Household))
        self.asset_by_id = DataLoader(partial(rows_with_parents, Asset))
        # For places some other read put in the loaders above without their parents.
        self.label_by_place = DataLoader(place_labels)
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
        self.user_by_id = DataLoader(user_names_by_ids)
        self.team_by_id = DataLoader(teams.teams_by_ids)
        self.activity_by_id = DataLoader(activities.activities_by_ids)
        self.members_by_team = DataLoader(_pages(TeamMember, "team_id"))
        self.member_count_by_team = DataLoader(_counts(TeamMember, "team_id"))
        self.activities_by_team = DataLoader(_pages(Activity, "team_id"))
        self.activity_count_by_team = DataLoader(_counts(Activity, "team_id"))
        self.attendances_by_activity = DataLoader(_pages(Attendance, "activity_id"))
        self.attendance_count_by_activity = DataLoader(_counts(Attendance, "activity_id"))
        self.logs_by_activity = DataLoader(_pages(ActivityLog, "activity_id"))
        self.log_count_by_activity = DataLoader(_counts(ActivityLog, "activity_id"))
        self.findings_by_log = DataLoader(activity_logs.findings_by_log)
        self.team_membership_by_user = DataLoader(_by_user(teams.memberships_of))
        self.attendance_by_user = DataLoader(_by_user(attendance.mine_by_activity))
        self.captain_team_ids_by_user = DataLoader(_captain_team_ids)
        self.emergencies_in_force_by_community = DataLoader(_emergencies_in_force)
        self.photos_by_inspection = DataLoader(inspections.photos_by_inspection)
