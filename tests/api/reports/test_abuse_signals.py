"""Abuse of the economy (OWASP API6): bursts earn no more than the cap, and collusion signals
(the same two people again and again, a repairer's own household, a burst of reports) are
flagged for staff with the points behind them, and held repairs are paid only on dismissal, once."""

from __future__ import annotations

import base64
from typing import Any

from api.contract import operation_documents
from models.enums import ReportCategory, Role
from models.ledger import PointTransfer, TransferKind
from models.people import Membership
from runtime.clock import MovableClock
from tests.api.reports.test_points_paid import balance
from tests.conftest import QueryCounter
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, make_person
from tests.support.reports import CLAIM, CONFIRM, Cast, ReportsApi, make_cast

CATEGORIES = [c.name for c in ReportCategory]
FLAGS = operation_documents()["AbuseFlags"]
DECIDE = operation_documents()["AbuseFlagDecide"]


async def repair(reports_api: ReportsApi, cast: Cast, reporter: Person, repairer: Person, i: int) -> str:
    """One report from filing to a confirmed fix rated 5; its id."""
    created = await reports_api.create(cast, person=reporter, category=CATEGORIES[i % 10], text=f"问题 {i}")
    assert created["errors"] == [], created["errors"]
    report_id: str = created["report"]["id"]
    assert (await reports_api.move(CLAIM, repairer, reportId=report_id))["errors"] == []
    assert (await reports_api.resolve(report_id, repairer))["errors"] == []
    assert (await reports_api.move(CONFIRM, reporter, reportId=report_id, rating=5))["errors"] == []
    return report_id


async def flags(api: GraphQLClient, cast: Cast, state: str | None = "OPEN") -> list[dict[str, Any]]:
    data = await api.data(FLAGS, {"communityId": cast.community_id, "state": state}, cast.staff.token)
    nodes: list[dict[str, Any]] = data["abuseFlags"]["nodes"]
    return nodes


async def decide(
    api: GraphQLClient, cast: Cast, flag_id: str, decision: str, who: Person | None = None
) -> Any:
    variables = {"input": {"flagId": flag_id, "decision": decision, "note": "checked at the door"}}
    return (await api.data(DECIDE, variables, (who or cast.staff).token))["abuseFlagDecide"]


async def test_two_neighbours_fixing_each_others_things_twice_is_not_a_signal(
    reports_api: ReportsApi, api: GraphQLClient
) -> None:
    cast = await make_cast()
    await repair(reports_api, cast, cast.resident, cast.repairer, 0)
    await repair(reports_api, cast, cast.resident, cast.repairer, 1)

    assert await flags(api, cast, state=None) == []
    assert await balance(api, cast.repairer, cast.place.community.id) == 2 * (20 + 10 + 10)


async def test_repeated_pairing_is_flagged_held_and_paid_once_when_staff_dismiss_it(
    reports_api: ReportsApi, api: GraphQLClient
) -> None:
    cast = await make_cast()
    community = cast.place.community.id
    ids = [await repair(reports_api, cast, cast.resident, cast.repairer, i) for i in range(3)]

    [flag] = await flags(api, cast)
    assert flag["signal"] == "PAIRING" and flag["state"] == "OPEN"
    assert {flag["user"]["displayName"], flag["partner"]["displayName"]} == {"王阿姨", "张师傅"}
    evidence = {e["reportId"]: e for e in flag["evidence"]}
    assert list(evidence) == ids
    assert [evidence[i]["held"] for i in ids] == [False, False, True]
    # The first two paid the reporter 5 and the repairer 40; the third only the reporter.
    assert [evidence[i]["pointsPaid"] for i in ids] == [45, 45, 5]
    assert [evidence[i]["pointsHeld"] for i in ids] == [0, 0, 40]  # what dismissing would pay
    assert await balance(api, cast.repairer, community) == 80

    dismissed = await decide(api, cast, flag["id"], "DISMISS")
    assert dismissed["errors"] == [] and dismissed["flag"]["state"] == "DISMISSED"
    assert dismissed["flag"]["evidence"][2] == {
        "reportId": ids[2],
        "pointsPaid": 45,
        "pointsHeld": 0,
        "held": True,
        "released": True,
        "__typename": "AbuseEvidence",  # the documents carry Apollo's __typename (api/contract.py)
    }
    again = await decide(api, cast, flag["id"], "DISMISS")
    assert again["errors"] == [] and again["flag"]["decidedAt"] == dismissed["flag"]["decidedAt"]
    assert await balance(api, cast.repairer, community) == 120
    assert await PointTransfer.filter(source_key=f"repair:{_row(ids[2])}:resolved").count() == 1

    # Dismissed: the pair is judged again only on repairs after the decision.
    await repair(reports_api, cast, cast.resident, cast.repairer, 3)
    assert await flags(api, cast) == []
    assert await balance(api, cast.repairer, community) == 160


async def test_a_confirmed_flag_never_pays_what_it_held(reports_api: ReportsApi, api: GraphQLClient) -> None:
    cast = await make_cast()
    community = cast.place.community.id
    ids = [await repair(reports_api, cast, cast.resident, cast.repairer, i) for i in range(3)]
    [flag] = await flags(api, cast)
    # While the flag is open, later repairs of the pair are held too.
    ids.append(await repair(reports_api, cast, cast.resident, cast.repairer, 3))
    [flag] = await flags(api, cast)
    assert [e["held"] for e in flag["evidence"]] == [False, False, True, True]

    confirmed = await decide(api, cast, flag["id"], "CONFIRM")
    assert confirmed["errors"] == [] and confirmed["flag"]["state"] == "CONFIRMED"
    assert [e["released"] for e in confirmed["flag"]["evidence"]] == [False] * 4
    assert await balance(api, cast.repairer, community) == 80
    dismiss_after = await decide(api, cast, flag["id"], "DISMISS")
    assert [e["code"] for e in dismiss_after["errors"]] == ["ALREADY_DECIDED"]
    assert await balance(api, cast.repairer, community) == 80
    assert await flags(api, cast, state="CONFIRMED") != []


async def test_the_pair_counts_either_way_round_and_only_within_the_window(
    reports_api: ReportsApi, api: GraphQLClient, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    handy_neighbour = await make_person(cast.place.community, (Role.REPAIRER,), name="赵师傅")
    await repair(reports_api, cast, cast.resident, handy_neighbour, 0)
    moved_clock.advance(days=20)
    await repair(reports_api, cast, cast.resident, handy_neighbour, 1)
    moved_clock.advance(days=20)  # the first repair is now 40 days old
    await repair(reports_api, cast, cast.resident, handy_neighbour, 2)
    assert await flags(api, cast) == []

    # Two repairers who also report: it is the same pair whichever of them fixes.
    handy_resident = cast.repairer
    await repair(reports_api, cast, handy_resident, handy_neighbour, 3)
    await repair(reports_api, cast, handy_resident, handy_neighbour, 4)
    await repair(reports_api, cast, handy_neighbour, handy_resident, 5)
    [flag] = await flags(api, cast)
    assert flag["signal"] == "PAIRING" and len(flag["evidence"]) == 3


async def test_a_repairer_fixing_their_own_households_report_is_held(
    reports_api: ReportsApi, api: GraphQLClient
) -> None:
    cast = await make_cast()
    husband = await make_person(
        cast.place.community, (Role.REPAIRER,), household=cast.place.households[0], name="王师傅"
    )
    report_id = await repair(reports_api, cast, cast.resident, husband, 0)

    [flag] = await flags(api, cast)
    assert flag["signal"] == "SELF_DEALING"
    assert flag["evidence"] == [
        {
            **flag["evidence"][0],
            "reportId": report_id,
            "held": True,
            "pointsPaid": 5,
            "pointsHeld": 40,
            "released": False,
        }
    ]
    assert await balance(api, husband, cast.place.community.id) == 0
    # Someone of another household is no signal.
    await repair(reports_api, cast, cast.neighbour, husband, 1)
    assert len(await flags(api, cast)) == 1


async def test_a_burst_of_100_reports_is_rate_limited_earns_the_daily_cap_and_is_flagged(
    reports_api: ReportsApi, api: GraphQLClient
) -> None:
    cast = await make_cast()
    codes: list[str] = []
    for i in range(100):
        created = await reports_api.create(cast, category=CATEGORIES[i % 10], text=f"第{i}个问题")
        codes += [e["code"] for e in created["errors"]] or ["FILED"]
        if created["report"]:
            await reports_api.move(CLAIM, cast.repairer, reportId=created["report"]["id"])

    assert codes.count("FILED") == 10 and codes.count("RATE_LIMITED") == 90
    earned = await PointTransfer.filter(kind=TransferKind.REPORT).values_list("amount", flat=True)
    assert sum(earned) == 20  # type: ignore[arg-type]  # the default daily cap of report points
    assert await balance(api, cast.resident, cast.place.community.id) == 20
    [flag] = await flags(api, cast)
    assert flag["signal"] == "REPORT_BURST" and flag["user"]["displayName"] == "王阿姨"
    assert len(flag["evidence"]) == 10 and flag["partner"] is None

    # Staff taking calls for others are no burst.
    for i in range(11):
        await reports_api.create(cast, person=cast.staff, category=CATEGORIES[i % 10], text=f"电话 {i}")
    assert len(await flags(api, cast)) == 1


async def test_only_the_communitys_staff_see_and_decide_flags(
    reports_api: ReportsApi, api: GraphQLClient
) -> None:
    cast = await make_cast()
    ids = [await repair(reports_api, cast, cast.resident, cast.repairer, i) for i in range(3)]
    [flag] = await flags(api, cast)
    # Members are forbidden; to another community's staff this community is not there.
    for who, refusal in (
        (cast.resident, "FORBIDDEN"),
        (cast.repairer, "FORBIDDEN"),
        (cast.outsider, "NOT_FOUND"),
    ):
        codes = await api.error_codes(FLAGS, {"communityId": cast.community_id}, who.token)
        assert codes == [refusal], who.user.display_name
        decided = await decide(api, cast, flag["id"], "DISMISS", who)
        assert [e["code"] for e in decided["errors"]] == ["NOT_FOUND"]
    assert await balance(api, cast.repairer, cast.place.community.id) == 80
    assert len(ids) == 3


def _row(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def test_the_flag_list_costs_the_same_for_one_flag_or_three(
    reports_api: ReportsApi, api: GraphQLClient, queries: QueryCounter
) -> None:
    cast = await make_cast()
    for i in range(3):
        await repair(reports_api, cast, cast.resident, cast.repairer, i)
    queries.statements.clear()
    assert len(await flags(api, cast)) == 1
    one = queries.count

    husband = await make_person(
        cast.place.community, (Role.REPAIRER,), household=cast.place.households[0], name="王师傅"
    )
    await repair(reports_api, cast, cast.resident, husband, 3)
    for i in range(10):
        await reports_api.create(cast, person=cast.neighbour, category=CATEGORIES[i], text=f"连报 {i}")
    queries.statements.clear()
    listed = await flags(api, cast)
    assert sorted(f["signal"] for f in listed) == ["PAIRING", "REPORT_BURST", "SELF_DEALING"]
    assert queries.count == one


async def test_dismissing_a_flag_of_a_repairer_who_has_left_pays_nothing_and_stands(
    reports_api: ReportsApi, api: GraphQLClient
) -> None:
    cast = await make_cast()
    husband = await make_person(
        cast.place.community, (Role.REPAIRER,), household=cast.place.households[0], name="王师傅"
    )
    await repair(reports_api, cast, cast.resident, husband, 0)  # his first earning, held
    [flag] = await flags(api, cast)
    await Membership.filter(user_id=husband.user.id).delete()

    dismissed = await decide(api, cast, flag["id"], "DISMISS")

    assert dismissed["errors"] == [] and dismissed["flag"]["state"] == "DISMISSED"
    assert [(e["released"], e["pointsPaid"]) for e in dismissed["flag"]["evidence"]] == [(False, 5)]


COUNT_ONLY = (
    "query F($c: ID!, $first: Int) { abuseFlags(communityId: $c, first: $first) "
    "{ totalCount pageInfo { hasNextPage } nodes { id } } }"
)


async def test_counting_the_flags_reads_no_evidence(
    reports_api: ReportsApi, api: GraphQLClient, queries: QueryCounter
) -> None:
    """The office's live poll asks `first: 0` for the total: a page of no flags needs no
    evidence, reports, payments or people. The one-row read that answers hasNextPage stays."""
    # Given an open pairing flag with three repairs as its evidence
    cast = await make_cast()
    for i in range(3):
        await repair(reports_api, cast, cast.resident, cast.repairer, i)

    # When the office counts the flags without listing any
    queries.statements.clear()
    asked = {"c": cast.community_id, "first": 0}
    counted = (await api.data(COUNT_ONLY, asked, cast.staff.token))["abuseFlags"]

    # Then it has the total and whether a page follows, and read nothing behind a flag: no
    # evidence, and no read by an empty list of ids (which tortoise sends as WHERE 1=0)
    assert (counted["totalCount"], counted["pageInfo"]["hasNextPage"], counted["nodes"]) == (1, True, [])
    assert [s for s in queries.statements if 'FROM "abuse_flag_report"' in s or "1=0" in s] == []
    # while a page of the flag still reads them
    queries.statements.clear()
    listed = (await api.data(COUNT_ONLY, {**asked, "first": 5}, cast.staff.token))["abuseFlags"]
    assert len(listed["nodes"]) == 1
    assert [s for s in queries.statements if 'FROM "abuse_flag_report"' in s] != []
