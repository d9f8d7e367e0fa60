"""A patrol's finding that asks for a repair opens a real repair report at its place, filed by
the volunteer who logged it, linked back onto the finding, and not held back by the hourly limit."""

from __future__ import annotations

from itertools import product
from typing import Any

from models.enums import ReportCategory, Role
from models.reports import Report
from models.teams import PatrolFinding, TeamKind
from tests.api.teams import support
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person
from tests.support.reports import CREATE

PATROL = """
mutation Patrol($input: ActivityLogPatrolInput!) {
  activityLogPatrol(input: $input) {
    log { id ... on PatrolLog { findings { description wantsRepair place { id }
      report { id state category text place { id } } } } }
    errors { code field }
  }
}"""
INBOX = "query { myInbox(first: 30) { nodes { event report { id } } } }"


async def _patrol(api: GraphQLClient, squad: support.Squad, key: str, findings: list[dict[str, Any]]) -> Any:
    values = {
        "activityId": squad.activity_id,
        "idempotencyKey": key,
        "distanceKm": "2.50",
        "durationMinutes": 60,
        "findings": findings,
    }
    return await support.ok(api, PATROL, {"input": values}, squad.captain.token, "activityLogPatrol")


async def test_a_finding_that_wants_a_repair_opens_a_report_at_its_place(api: GraphQLClient) -> None:
    squad = await support.make_squad(api, kind=TeamKind.RIVER_PATROL)
    repairer = await make_person(squad.place.community, (Role.REPAIRER,), name="repairer")
    entrance = gid("Entrance", squad.place.entrance.id)
    compound = gid("Compound", squad.place.compound.id)
    findings = [
        {"placeId": entrance, "description": "楼道灯不亮", "wantsRepair": True, "repairCategory": "LIGHTING"},
        {"placeId": compound, "description": "河边护栏松动"},  # noted only
    ]
    logged = await _patrol(api, squad, "p1", findings)
    lamp, railing = logged["log"]["findings"]
    assert railing["report"] is None
    report = lamp["report"]
    assert (report["state"], report["category"], report["text"]) == ("OPEN", "LIGHTING", "楼道灯不亮")
    assert report["place"]["id"] == entrance
    [stored] = await Report.all()
    assert stored.reporter_id == squad.captain.user.id and stored.proxy_for_id is None
    assert (await PatrolFinding.get(description="楼道灯不亮")).report_id == stored.id
    # The repair team hears of the new order like any other.
    heard = (await api.data(INBOX, {}, repairer.token))["myInbox"]["nodes"]
    assert heard == [{"event": "report.opened", "report": {"id": report["id"]}}]

    # A retried log is the same log: no second report.
    replay = await _patrol(api, squad, "p1", findings)
    assert replay["log"]["findings"][0]["report"]["id"] == report["id"]
    assert await Report.all().count() == 1


async def test_a_finding_where_a_repair_is_already_open_joins_that_report(api: GraphQLClient) -> None:
    squad = await support.make_squad(api, kind=TeamKind.RIVER_PATROL)
    entrance = gid("Entrance", squad.place.entrance.id)
    filed = await api.data(
        CREATE,
        {"input": {"placeId": entrance, "category": "LIGHTING", "text": "灯坏了"}},
        squad.neighbour.token,
    )
    existing = filed["reportCreate"]["report"]["id"]
    logged = await _patrol(
        api,
        squad,
        "p1",
        [
            {
                "placeId": entrance,
                "description": "灯还是不亮",
                "wantsRepair": True,
                "repairCategory": "LIGHTING",
            }
        ],
    )
    assert logged["log"]["findings"][0]["report"]["id"] == existing
    assert await Report.all().count() == 1


async def test_findings_are_not_held_back_by_the_hourly_limit_nor_count_towards_it(
    api: GraphQLClient,
) -> None:
    squad = await support.make_squad(api, kind=TeamKind.RIVER_PATROL)
    places = [
        gid("Compound", squad.place.compound.id),
        gid("Building", squad.place.building.id),
        gid("Entrance", squad.place.entrance.id),
    ]
    combos = list(product(places, [c.name for c in ReportCategory]))

    def findings(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return [
            {
                "placeId": place,
                "description": f"{category} {n}",
                "wantsRepair": True,
                "repairCategory": category,
            }
            for n, (place, category) in enumerate(pairs)
        ]

    async def own(place: str, category: str) -> list[str]:
        data = await api.data(
            CREATE,
            {"input": {"placeId": place, "category": category, "text": "自己报的"}},
            squad.captain.token,
        )
        return [e["code"] for e in data["reportCreate"]["errors"]]

    # A long walk: more findings than the 10 reports an hour a resident may file.
    walk = await _patrol(api, squad, "walk-1", findings(combos[:12]))
    assert all(f["report"]["state"] == "OPEN" for f in walk["log"]["findings"])
    # They are not the volunteer's own complaints: all 10 of those still go through …
    for place, category in combos[12:22]:
        assert await own(place, category) == []
    # … and then the limit holds for their own reports,
    assert await own(*combos[22]) == ["RATE_LIMITED"]
    # but not for the next patrol's findings.
    walk = await _patrol(api, squad, "walk-2", findings(combos[23:27]))
    assert all(f["report"]["state"] == "OPEN" for f in walk["log"]["findings"])
    assert await Report.filter(reporter_id=squad.captain.user.id).count() == 12 + 10 + 4


async def test_a_refused_log_opens_no_report(api: GraphQLClient) -> None:
    squad = await support.make_squad(api, kind=TeamKind.RIVER_PATROL)
    values = {
        "activityId": squad.activity_id,
        "idempotencyKey": "bad",
        "distanceKm": "-1",
        "durationMinutes": 60,
        "findings": [
            {"placeId": gid("Entrance", squad.place.entrance.id), "description": "x", "wantsRepair": True}
        ],
    }
    assert await support.errors(api, PATROL, {"input": values}, squad.captain.token, "activityLogPatrol") == [
        "INVALID_INPUT"
    ]
    assert await Report.all().count() == 0 and await PatrolFinding.all().count() == 0
