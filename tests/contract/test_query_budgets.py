"""Every operation the app sends runs under a fixed budget of SQL statements, and the hot lists
cost the same number of statements with 2 items as with 10: no N+1, per operation.

The budgets are measured on the day in the life (tests/contract/test_day_in_the_life.py), which
sends every document of mobile-contract/operations/ through the real HTTP stack: each request's
statements are counted through tortoise's SQL logger (the `queries` fixture) and charged to the
operation the request ran. A new operation without a budget fails here; so does one over its
budget. Subscriptions (`subscription` documents) are not in the manifest's HTTP path: they run
over WebSockets and cost one query per event, covered by their own tests in tests/api/.

The budgets are what the operation costs today on SQLite and PostgreSQL (the larger of the two);
raise one only with a reason in the commit, never to hide a statement per item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from api.app import create_app
from api.contract import operation_documents
from api.gate import document_hash
from models.enums import ReportCategory, Role
from models.places import Household
from points_engine import earning, redemption
from runtime.clock import MovableClock
from runtime.logging import current_operation
from runtime.settings import Settings
from services import reports, tags
from services.access import load_viewer
from services.photo_storage import LocalDiskStorage, use_storage
from tests.conftest import QueryCounter
from tests.contract import test_day_in_the_life as day
from tests.support.people import Person, gid, make_neighbourhood, make_person

# Statements per request, by operation (the most any one request of it took in the walk).
BUDGETS: dict[str, int] = {
    "AccountEntryRecord": 4,
    "AccountStatement": 7,
    "ActivityCheckInCode": 6,
    "ActivityLogCleaning": 8,
    "ActivityLogMediation": 8,
    "ActivityLogPatrol": 27,
    "ActivityLogSnowClearing": 8,
    "ActivityLogTutoring": 8,
    "ActivityLogs": 13,
    "ActivitySchedule": 11,
    "ActivitySignUp": 12,
    "AgendaTopicAdd": 9,
    "AttendanceAdjust": 23,
    "AttendanceApprove": 25,
    "AttendanceCaptainCheckIn": 13,
    "AttendanceCaptainCheckOut": 11,
    "AttendanceCheckIn": 10,
    "AttendanceCheckOut": 8,
    "AttendanceReject": 10,
    "BoardPrivacySet": 5,
    "BoardPublicity": 5,
    "BoardPublicitySet": 7,
    "CommunityCompounds": 6,
    "CompoundBuildings": 8,
    "CorridorFlagHistory": 5,
    "CorridorStanding": 11,
    "CorridorWeightsSet": 6,
    "EconomySummary": 4,
    "Emergencies": 5,
    "EmergencyDeclare": 14,
    "EntranceBoard": 5,
    "EntranceFlagScan": 14,
    "EntranceHouseholds": 7,
    "HouseholdCareTagsSet": 8,
    "InspectionRecord": 21,
    "InviteCreate": 5,
    "JoinCommunity": 11,
    "Leaderboard": 6,
    "Me": 6,
    "MeetingAgenda": 9,
    "MeetingCheckIn": 6,
    "MeetingCheckInCode": 4,
    "MeetingCreate": 4,
    "Meetings": 5,
    "MonthClose": 47,
    "MyActivities": 13,
    "MyInbox": 7,
    "MyPointsBalance": 5,
    "MyPointsHistory": 6,
    "MyRedemptions": 6,
    "MyReports": 11,
    "MyServiceHours": 4,
    "NotificationMarkRead": 5,
    "OpinionAnswer": 7,
    "OpinionCounts": 4,
    "OpinionDone": 7,
    "OpinionPost": 5,
    "OpinionSupport": 8,
    "Opinions": 6,
    "PendingPickups": 6,
    "PlaceCreate": 5,
    "PlaceRename": 5,
    "PointsAward": 19,
    "PointsDeduct": 15,
    "RedemptionCancel": 21,
    "RedemptionFulfil": 7,
    "RefreshSession": 4,
    "Register": 7,
    "RepairsDone": 5,
    "ReportCancel": 13,
    "ReportClaim": 33,
    "ReportConfirm": 41,
    "ReportCreate": 29,
    "ReportDetail": 12,
    "ReportMeToo": 11,
    "ReportQueue": 11,
    "ReportReject": 16,
    "ReportReopen": 16,
    "ReportResolve": 19,
    "RewardCatalog": 5,
    "RewardRedeem": 27,
    "RoundTableSuggestions": 4,
    "SatisfactionByMonth": 6,
    "SatisfactionByTeam": 9,
    "ScanTag": 16,
    "SignIn": 7,
    "SignOut": 2,
    "SurveyAnswer": 6,
    "SurveyCreate": 5,
    "Surveys": 6,
    "TeamHours": 7,
    "TeamJoinDecide": 9,
    "TeamJoinRequest": 7,
    "TeamLeaderboard": 13,
    "TeamReview": 14,
    "Teams": 6,
    "TopicClose": 10,
    "TopicVote": 10,
    "VolunteerCardIssue": 7,
}


def operations() -> set[str]:
    return {name for name, text in operation_documents().items() if not _is_subscription(text)}


def _is_subscription(text: str) -> bool:
    return any(line.lstrip().startswith("subscription ") for line in text.splitlines())


class ChargeToOperation:
    """Counts the statements of each /graphql request and charges them to the operation it ran
    (the name strawberry put into the log context), keeping the most any one request took."""

    def __init__(self, app: ASGIApp, counter: QueryCounter) -> None:
        self.app = app
        self.counter = counter
        self.most: dict[str, int] = defaultdict(int)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        before = self.counter.count
        await self.app(scope, receive, send)
        if scope["type"] == "http" and scope["path"] == "/graphql":
            name = current_operation()
            self.most[name] = max(self.most[name], self.counter.count - before)


@pytest.fixture
def photos(tmp_path: Path) -> Iterator[Path]:
    previous = use_storage(LocalDiskStorage(tmp_path / "photos"))
    yield tmp_path / "photos"
    use_storage(previous)


async def test_every_operation_has_a_budget() -> None:
    assert sorted(operations() - set(BUDGETS)) == [], "operations without a statement budget"
    assert sorted(set(BUDGETS) - operations()) == [], "budgets of operations that are gone"


async def test_every_operation_stays_within_its_budget_through_the_day(
    settings: Settings, queries: QueryCounter, moved_clock: MovableClock, photos: Path
) -> None:
    charged = ChargeToOperation(create_app(settings, manage_database=False), queries)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=charged), base_url="http://testserver"
    ) as http:
        await day.test_a_day_in_the_life_runs_every_operation_of_the_app(http, moved_clock, photos)
    measured = {name: count for name, count in charged.most.items() if name in operations()}
    assert sorted(operations() - set(measured)) == [], "operations the day never charged"
    over = {
        name: (count, BUDGETS.get(name))
        for name, count in sorted(measured.items())
        if count > BUDGETS.get(name, -1)
    }
    assert over == {}, "operations over their statement budget: name → (statements, budget)"


# --- The hot lists at two sizes -------------------------------------------------------------

SIZES = (2, 10)
CATEGORIES = tuple(ReportCategory)


@dataclass
class Town:
    """A neighbourhood of one size: `size` of every list the scenarios read."""

    size: int
    community: str
    entrance: str
    tag_code: str
    staff: Person
    repairer: Person
    resident: Person


async def build_town(size: int) -> Town:
    place = await make_neighbourhood(f"town{size}", f"社区{size}")
    cid = place.community.id
    staff = await make_person(place.community, (Role.STAFF,))
    repairer = await make_person(place.community, (Role.REPAIRER,))
    resident = await make_person(place.community, household=place.households[0])
    tag = await tags.create_tag(await load_viewer(staff.user.id), place.entrance)
    viewer = await load_viewer(resident.user.id)
    await earning.manual(cid, staff.user.id, resident.user.id, 100 * size, "start", "start", award=True)
    for n in range(size):
        # open reports at the tagged entrance, one per category (a second one would be a duplicate)
        await reports.file_report(viewer, place.entrance, CATEGORIES[n], f"问题 {n}", rate_limited=False)
        # the resident's transfers and redemptions, the catalogue, neighbours on the board
        await earning.manual(cid, staff.user.id, resident.user.id, 1, "thanks", f"thanks-{n}", award=True)
        reward = await redemption.create_reward(cid, kind="gift", name=f"gift {n}", cost=1, stock=5)
        await redemption.redeem(cid, resident.user.id, reward.id, f"redeem-{n}")
        neighbour = await make_person(place.community)
        await earning.manual(cid, staff.user.id, neighbour.user.id, 1 + n, "help", f"help-{n}", award=True)
        await Household.create(community_id=cid, entrance=place.entrance, number=f"9{n:02}", area_m2="50.00")
    return Town(
        size,
        gid("Community", cid),
        gid("Entrance", place.entrance.id),
        tags.code_of(tag),
        staff,
        repairer,
        resident,
    )


def _length(data: Any, path: str) -> int:
    for key in path.split("."):
        data = data[key]
    return len(data)


# operation, who sends it, its variables, where its list is in `data`, how long it is at `size`
HOT: dict[str, tuple[str, Callable[[Town], dict[str, Any]], str, Callable[[int], int]]] = {
    "ScanTag": ("resident", lambda t: {"code": t.tag_code}, "scanTag.scan.openReports", lambda n: n),
    "MyReports": ("resident", lambda t: {"first": 20}, "myReports.nodes", lambda n: n),
    "ReportQueue": (
        "repairer",
        lambda t: {"communityId": t.community, "queue": "UNCLAIMED", "first": 20},
        "reportQueue.nodes",
        lambda n: n,
    ),
    "Leaderboard": (
        "resident",
        lambda t: {"communityId": t.community, "first": 20},
        "leaderboard.board.entries.edges",
        lambda n: n + 1,
    ),
    "MyPointsHistory": (
        "resident",
        lambda t: {"communityId": t.community, "first": 30},
        "myPoints.history.nodes",
        lambda n: 2 * n + 1,
    ),
    "RewardCatalog": (
        "resident",
        lambda t: {"communityId": t.community, "first": 20},
        "rewardCatalog.nodes",
        lambda n: n,
    ),
    "MyRedemptions": (
        "resident",
        lambda t: {"communityId": t.community, "first": 20},
        "myRedemptions.nodes",
        lambda n: n,
    ),
    "PendingPickups": ("staff", lambda t: {"communityId": t.community}, "pendingPickups.nodes", lambda n: n),
    "EntranceHouseholds": (
        "staff",
        lambda t: {"entranceId": t.entrance},
        "node.households.nodes",
        lambda n: n + 2,
    ),
}


@pytest.mark.parametrize("name", sorted(HOT))
async def test_a_hot_list_costs_the_same_with_2_and_10_items(
    name: str, http: httpx.AsyncClient, queries: QueryCounter
) -> None:
    who, variables, path, expected = HOT[name]
    counts = []
    for size in SIZES:
        town = await build_town(size)
        person: Person = getattr(town, who)
        body = {
            "operationName": name,
            "variables": variables(town),
            "extensions": {
                "persistedQuery": {"version": 1, "sha256Hash": document_hash(operation_documents()[name])}
            },
        }
        queries.statements.clear()
        response = await http.post("/graphql", json=body, headers={"authorization": f"Bearer {person.token}"})
        counts.append(queries.count)
        data = response.json()
        assert "errors" not in data, data
        assert _length(data["data"], path) == expected(size), "the list is not as long as the town"
    assert counts[0] == counts[1] <= BUDGETS[name], f"statements with {SIZES} items: {counts}"
