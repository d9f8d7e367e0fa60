"""Every operation the app sends runs under a fixed budget of SQL statements, and the hot lists
cost the same number of statements with 2 items as with 10: no N+1, per operation.

The budgets are measured on the day in the life (tests/contract/test_day_in_the_life.py), which
sends every document of mobile-contract/operations/ through the real HTTP stack: each request's
statements are counted through tortoise's SQL logger (the `queries` fixture) and charged to the
operation the request ran (ChargeToOperation), and the day's own test holds them to BUDGETS
(assert_every_operation_within_its_budget), on each pass's database, so the day is walked once a
pass. A new operation without a budget fails here; one over its budget fails the day.
Subscription documents would be left out: they run over a WebSocket, not the HTTP path counted
here (operations/ holds none today).

The day has one or two items in most lists, so a statement per item would hide in a budget; the
hot lists (HOT below) are therefore also sent in towns of 2 and of 10 items of every list they
return, and must cost the same. The other lists' growth is asserted by the per-area
tests/api/*/test_query_counts.py.

The budgets are what the operation costs today on SQLite and PostgreSQL (the larger of the two);
raise one only with a reason in the commit, never to hide a statement per item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from api.contract import operation_documents
from api.gate import document_hash
from models.enums import ReportCategory, Role
from models.places import Building, Compound, Household
from points_engine import earning, redemption
from runtime.logging import current_operation
from services import reports, tags
from services.access import load_viewer
from tests.conftest import QueryCounter
from tests.support.people import Person, gid, make_neighbourhood, make_person

# Statements per request, by operation (the most any one request of it took in the walk).
BUDGETS: dict[str, int] = {
    # Home observers and the mediation room
    "MediationAgreementRecord": 14,
    "MediationCase": 8,
    "MediationCaseClose": 12,
    "MediationCaseOpen": 13,
    "MediationCases": 9,  # the page, its total, parties, mediators, sessions, timeline, labels, names
    "MediationCounts": 3,
    "MediationFollowUpRecord": 13,
    "MediationSessionRecord": 15,
    "MediatorAppoint": 5,  # and the appointment in the office's record
    "MediatorStandDown": 6,  # the role taken back and the stand-down recorded, in one transaction
    "MediationCaseMediatorsSet": 14,  # the case touched conditionally, the set changed, its timeline line
    "ObserverStandDown": 8,  # the post, the role with the last post, the stand-down recorded
    "ObserverAppoint": 10,  # and the appointment in the office's record
    "ObserverDisputeRefer": 16,  # opens the case and links it, conditionally, in one transaction
    "ObserverDisputeStepIn": 3,
    "ObserverMonthCounts": 5,
    "ObserverOpinionTake": 4,
    "ObserverPosts": 4,
    "ObserverVisitRecord": 9,  # and its photos (one statement for the page)
    "ObserverVisits": 8,  # the page, its total, opinions, interventions, photos, supports, names
    # Property fees
    "FeeArrears": 5,
    "FeeBills": 5,
    "FeeBillHistory": 6,
    "FeeBillWaive": 9,  # the bill locked, the entry, the key; answered with the locked row
    # and the waiver it names; the household locked first and the reductions granted since issue
    # read (one taken off adds its update and entry: none in the day)
    "FeeBillWaiverUndo": 12,
    "FeeHousehold": 7,
    "FeeBillsIssue": 13,  # bills go in by bulk insert, 500 a statement
    "FeeCollectionRates": 3,
    "FeeOfferCreate": 2,
    "FeeOffers": 2,
    "FeePaymentQuote": 11,  # prices the prepaid periods in a transaction it rolls back
    "FeePaymentRecord": 25,  # a prepayment: bills made ahead, locked, receipt counter, lines, idempotency
    # The household locked first (a reduction at the same moment waits, or is waited for), and
    # its reductions read when a bill is owed again; a reduction the payment kept off a bill is
    # one UPDATE per such bill and one insert of their entries.
    "FeePaymentReverse": 15,
    "FeeReceipt": 8,
    # The household's issued open bills of its window locked, one UPDATE each (a household has a
    # handful), their entries in one insert, the bills read back.
    "FeeReductionSet": 13,
    "FeeReductions": 3,
    "FeeRemindersSend": 10,  # reminders and notifications by bulk insert
    "FeeSchedule": 3,
    "FeeScheduleSet": 5,
    "FeeUnbillable": 3,
    "MyFees": 8,
    "AccountEntryRecord": 2,
    "AbuseFlagDecide": 35,  # a dismissal pays each held repair through the engine
    "AbuseFlags": 8,
    "AccountStatement": 6,  # fee income, summed from the payments of the month
    "ActivityCheckInCode": 4,
    "ActivityLogCleaning": 6,
    "ActivityLogMediation": 7,  # and its case without names for the mediation room's counts
    "ActivityLogPatrol": 25,  # a finding files a report: the burst check
    "ActivityLogSnowClearing": 6,
    "ActivityLogTutoring": 6,
    "ActivityLogs": 11,
    "ActivitySchedule": 9,
    "ActivitySignUp": 10,
    "AgendaTopicAdd": 7,
    "AttendanceAdjust": 21,
    "AttendanceApprove": 23,
    "AttendanceCaptainCheckIn": 11,
    "AttendanceCaptainCheckOut": 10,  # the activity, to say why the clock gives 0 minutes
    "AttendanceCheckIn": 8,
    "AttendanceCheckOut": 7,  # the activity, to say why the clock gives 0 minutes
    "AttendanceReject": 8,
    "BoardPrivacySet": 3,
    "BoardPublicity": 3,
    "BoardPublicitySet": 5,
    "CommunityCompounds": 4,
    "CompoundBuildings": 6,
    "CommunityOfficePhoneSet": 4,
    "CorridorFlagHistory": 4,  # the breakdown's entrances' full labels, one joined statement
    "CorridorStanding": 9,
    "CorridorWeightsSet": 4,
    "DispatchAssign": 16,
    "DispatchConfirm": 12,  # DispatchFields selects photos: one batched read (+1 each Dispatch op)
    "DispatchDepartmentClaim": 15,
    "DispatchDetail": 7,
    "DispatchDispute": 16,
    "DispatchFeedback": 17,  # a referred report is resolved on the community side too
    "DispatchQueue": 8,
    "DispatchSendBack": 16,  # the community's staff are told; PostgreSQL counts one more
    "DispatchStreetClaim": 33,  # an outpost snap pays its reporter through the engine
    # snaps, mediations, the communities billing fees, and one collection rate for each of them
    "DistrictRollup": 11,
    "DistrictRollupCsv": 11,
    "EconomySummary": 2,
    "Emergencies": 3,
    # 12 of its own; on PostgreSQL the open NotificationAdded subscription of the day reads the inbox
    # (2) when the NOTIFY lands, which may fall inside this request's window and is charged to it.
    "EmergencyDeclare": 14,
    "EntranceBoard": 4,  # the entrances' full labels, one joined statement for every row
    "EntranceFlagScan": 14,
    "EntranceHouseholds": 5,
    "HouseholdCareTagsSet": 6,
    "InspectionRecord": 22,  # with a photo: the photo row and the inspection's photos read back
    "Inspections": 4,
    "InviteCreate": 3,
    "JoinCommunity": 9,
    "Leaderboard": 2,  # the viewer, then page + my rank + count in one statement
    "Me": 4,
    "MeetingAgenda": 7,
    "MeetingCheckIn": 4,
    "MeetingCheckInCode": 2,
    "MeetingCreate": 2,
    "Meetings": 3,
    "MonthClose": 45,
    "MyActivities": 11,
    "MyDistrictRoles": 4,
    "MyInbox": 6,  # myInboxCursor: the newest notification id, for the subscription's `after`
    "MyPointsBalance": 3,
    "MyPointsHistory": 3,  # the first page carries its total (a window count)
    "MyRedemptions": 4,
    "MyReports": 9,
    "MyServiceHours": 2,
    "NotificationMarkRead": 3,
    "OpinionAnswer": 5,
    "OpinionCounts": 2,
    "OpinionDone": 5,
    "OpinionPost": 3,
    "OpinionSupport": 6,
    "Opinions": 4,
    "OutpostRanking": 7,
    "OutpostRewardPay": 11,  # the month's ranking read to check the recipient and their rank
    "OutpostRewardReverse": 9,
    "OutpostRewards": 6,
    "DistrictReports": 9,  # roles, district, street links, page, total, dispatches, labels, names
    "OutpostReport": 21,  # locates the spot, stores the photo, tells the liaisons
    "PendingPickups": 4,
    "PlaceCreate": 4,  # the new place's full label (its parents, joined)
    "PlaceRename": 4,  # the place's full label (its parents, joined)
    "PointsAward": 17,
    "PointsDeduct": 14,  # a deduction lowers the board: the member's board rows
    "RedemptionCancel": 19,
    "RedemptionFulfil": 5,
    "RefreshSession": 4,
    "Register": 7,
    "RepairsDone": 3,
    "ReportCancel": 11,
    "ReportClaim": 34,  # place label, me-too people told; the district pays an outpost snap
    "ReportConfirm": 46,  # pairing, self-dealing; place label, me-too; the dispatch, if any
    "ReportCreate": 17,  # hand-written: what filing knows in 2 reads (PostgreSQL; SQLite 15, no lock)
    "ReportDetail": 10,
    "ReportMeToo": 9,
    "ReportQueue": 9,
    "ReportRefer": 17,  # as PostgreSQL counts it (SQLite one fewer)
    "ReportReject": 15,
    "ReportReopen": 15,
    "ReportResolve": 19,  # notifications name the place; me-too people are told
    "RewardCatalog": 3,
    "RewardRedeem": 16,  # hand-written: replay, accounts, rules in 1 read; answer not re-read
    "RoundTableSuggestions": 2,
    "SatisfactionByMonth": 4,
    "SatisfactionByTeam": 7,
    "ScanTag": 4,
    "SignIn": 7,
    "SignOut": 2,
    "SurveyAnswer": 4,
    "SurveyCreate": 3,
    "Surveys": 4,
    "TeamHours": 5,
    "TeamJoinDecide": 7,
    "TeamJoinRequest": 5,
    "TeamLeaderboard": 11,
    "TeamReview": 12,
    "Teams": 4,
    "TopicClose": 8,
    "TopicVote": 8,
    "VolunteerCardIssue": 5,
}


@cache  # the documents take ~0.3 s of CPU to print; this was asked once per operation measured
def documents() -> dict[str, str]:
    return operation_documents()


@cache
def operations() -> frozenset[str]:
    return frozenset(name for name, text in documents().items() if not _is_subscription(text))


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


async def test_every_operation_has_a_budget() -> None:
    assert sorted(operations() - set(BUDGETS)) == [], "operations without a statement budget"
    assert sorted(set(BUDGETS) - operations()) == [], "budgets of operations that are gone"


def assert_every_operation_within_its_budget(most: dict[str, int]) -> None:
    """`most`: the most statements any one request of each operation took through the day (the
    day's test, tests/contract/test_day_in_the_life.py, charges them with ChargeToOperation)."""
    measured = {name: count for name, count in most.items() if name in operations()}
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
    compound: str
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
        await Compound.create(community_id=cid, name=f"小区 {n}")
        await Building.create(community_id=cid, compound=place.compound, name=f"{n + 10}号楼")
    return Town(
        size,
        gid("Community", cid),
        gid("Compound", place.compound.id),
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
        "leaderboard.board.entries.nodes",
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
    "CommunityCompounds": (
        "staff",
        lambda t: {"communityId": t.community, "first": 20},
        "community.compounds.nodes",
        lambda n: n + 1,
    ),
    "CompoundBuildings": (
        "staff",
        lambda t: {"compoundId": t.compound, "first": 20},
        "node.buildings.nodes",
        lambda n: n + 1,
    ),
    "MyInbox": ("repairer", lambda t: {"first": 20}, "myInbox.nodes", lambda n: n),
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
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(documents()[name])}},
        }
        queries.statements.clear()
        response = await http.post("/graphql", json=body, headers={"authorization": f"Bearer {person.token}"})
        counts.append(queries.count)
        data = response.json()
        assert "errors" not in data, data
        assert _length(data["data"], path) == expected(size), "the list is not as long as the town"
    assert counts[0] == counts[1] <= BUDGETS[name], f"statements with {SIZES} items: {counts}"
