"""Each kind of activity keeps its own log; impossible values are typed errors and store nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from models.teams import ActivityLog, PatrolFinding, TeamKind
from services.events import DomainEvent, subscribe, unsubscribe
from tests.api.teams import support
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

LOG_FIELDS = """
log {
  id kind author { id }
  ... on PatrolLog { distanceKm durationMinutes note findings { description wantsRepair place { id name } } }
  ... on TutoringLog { pupils subject }
  ... on MediationLog { settled category }
  ... on SnowClearingLog { areaM2 volumeM3 }
  ... on CleaningLog { cleanedAreaM2 bags note }
}
errors { code field }
"""


def _mutation(name: str, input_type: str) -> str:
    return f"mutation L($input: {input_type}!) {{ {name}(input: $input) {{ {LOG_FIELDS} }} }}"


PATROL = _mutation("activityLogPatrol", "ActivityLogPatrolInput")
TUTORING = _mutation("activityLogTutoring", "ActivityLogTutoringInput")
MEDIATION = _mutation("activityLogMediation", "ActivityLogMediationInput")
SNOW = _mutation("activityLogSnowClearing", "ActivityLogSnowClearingInput")
CLEANING = _mutation("activityLogCleaning", "ActivityLogCleaningInput")
LOGS = """
query Logs($id: ID!) {
  activity(id: $id) { logs(first: 10) { totalCount nodes { kind ... on SnowClearingLog { areaM2 } } } }
}
"""


async def _log(api: GraphQLClient, query: str, token: str, **values: Any) -> dict[str, Any]:
    data = await api.data(query, {"input": values}, token)
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


def _codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


@pytest.fixture
async def findings_published() -> AsyncIterator[list[DomainEvent]]:
    seen: list[DomainEvent] = []

    async def record(event: DomainEvent) -> None:
        seen.append(event)

    subscribe("patrol.finding_recorded", record)
    yield seen
    unsubscribe("patrol.finding_recorded", record)


async def test_a_patrol_logs_distance_duration_and_findings_at_places(
    api: GraphQLClient, findings_published: list[DomainEvent]
) -> None:
    squad = await support.make_squad(api, kind=TeamKind.RIVER_PATROL)
    entrance = gid("Entrance", squad.place.entrance.id)
    values = {
        "activityId": squad.activity_id,
        "idempotencyKey": "p1",
        "distanceKm": "3.40",
        "durationMinutes": 95,
        "findings": [
            {"placeId": entrance, "description": "楼道灯不亮", "wantsRepair": True},
            {"placeId": gid("Compound", squad.place.compound.id), "description": "河边护栏松动"},
        ],
    }
    logged = await _log(api, PATROL, squad.captain.token, **values)
    assert logged["errors"] == []
    log = logged["log"]
    assert log["kind"] == "PATROL" and log["distanceKm"] == "3.40" and log["durationMinutes"] == 95
    assert [f["place"]["id"] for f in log["findings"]] == [entrance, gid("Compound", squad.place.compound.id)]
    # The reports workflow opens a repair report from this event; the finding keeps its place.
    assert [e.data["place_type"] for e in findings_published] == ["Entrance"]
    assert findings_published[0].data["place_id"] == squad.place.entrance.id
    assert await PatrolFinding.filter(wants_repair=True, report_id__isnull=False).count() == 1

    replay = await _log(api, PATROL, squad.captain.token, **values)
    assert replay["log"]["id"] == log["id"]
    assert await ActivityLog.all().count() == 1 and len(findings_published) == 1


async def test_impossible_patrol_values_change_nothing(api: GraphQLClient) -> None:
    squad = await support.make_squad(api, kind=TeamKind.RIVER_PATROL)
    elsewhere = await support.make_squad(api, slug="lanting")
    base = {"activityId": squad.activity_id, "distanceKm": "2", "durationMinutes": 60}
    cases = [
        ({"durationMinutes": 30 * 60}, ("INVALID_INPUT", "durationMinutes")),  # 30 hours
        ({"durationMinutes": 121}, ("INVALID_INPUT", "durationMinutes")),  # longer than the activity
        ({"distanceKm": "-1"}, ("INVALID_INPUT", "distanceKm")),
        ({"distanceKm": "1.234"}, ("INVALID_INPUT", "distanceKm")),
        (
            {"findings": [{"placeId": gid("Entrance", elsewhere.place.entrance.id), "description": "x"}]},
            ("NOT_FOUND", "findings.0.placeId"),
        ),
        (
            {"findings": [{"placeId": gid("Household", squad.place.households[0].id), "description": "x"}]},
            ("INVALID_PARENT", "findings.0.placeId"),
        ),
        (
            {"findings": [{"placeId": gid("Entrance", squad.place.entrance.id), "description": " "}]},
            ("INVALID_INPUT", "findings.0.description"),
        ),
    ]
    for n, (change, expected) in enumerate(cases):
        payload = await _log(
            api, PATROL, squad.captain.token, **{**base, "idempotencyKey": f"k{n}", **change}
        )
        assert _codes(payload) == [expected], change
    assert await ActivityLog.all().count() == 0 and await PatrolFinding.all().count() == 0


async def test_tutoring_mediation_snow_and_cleaning_logs(api: GraphQLClient) -> None:
    tutoring = await support.make_squad(api, slug="class", kind=TeamKind.TUTORING)
    logged = await _log(
        api,
        TUTORING,
        tutoring.captain.token,
        activityId=tutoring.activity_id,
        idempotencyKey="a",
        pupils=12,
        subject="数学",
    )
    assert logged["log"] == {**logged["log"], "kind": "TUTORING", "pupils": 12, "subject": "数学"}
    for bad, field in (
        ({"pupils": 0}, "pupils"),
        ({"pupils": 500}, "pupils"),
        ({"subject": "  "}, "subject"),
    ):
        values = {
            "activityId": tutoring.activity_id,
            "idempotencyKey": f"b{field}{bad}",
            "pupils": 5,
            "subject": "语文",
        }
        assert _codes(await _log(api, TUTORING, tutoring.captain.token, **{**values, **bad})) == [
            ("INVALID_INPUT", field)
        ]

    mediation = await support.make_squad(api, slug="room", kind=TeamKind.MEDIATION)
    logged = await _log(
        api,
        MEDIATION,
        mediation.captain.token,
        activityId=mediation.activity_id,
        idempotencyKey="a",
        settled=True,
        category="NOISE",
    )
    assert logged["log"]["settled"] is True and logged["log"]["category"] == "NOISE"

    snow = await support.make_squad(api, slug="snow", kind=TeamKind.SNOW_CLEARING)
    logged = await _log(
        api,
        SNOW,
        snow.captain.token,
        activityId=snow.activity_id,
        idempotencyKey="a",
        areaM2="1200.5",
        volumeM3="600",
    )
    assert logged["log"]["areaM2"] == "1200.50" and logged["log"]["volumeM3"] == "600.00"
    for n, (bad, field) in enumerate(
        (
            ({"areaM2": "-5"}, "areaM2"),
            ({"areaM2": "0"}, "areaM2"),
            ({"volumeM3": "100000000"}, "volumeM3"),
            ({"areaM2": "10", "volumeM3": "500"}, "volumeM3"),  # 50 m of snow
        )
    ):
        values = {
            "activityId": snow.activity_id,
            "idempotencyKey": f"b{n}",
            "areaM2": "100",
            "volumeM3": "50",
        }
        assert _codes(await _log(api, SNOW, snow.captain.token, **{**values, **bad})) == [
            ("INVALID_INPUT", field)
        ]

    cleaning = await support.make_squad(api, slug="clean", kind=TeamKind.CLEANING)
    logged = await _log(
        api,
        CLEANING,
        cleaning.captain.token,
        activityId=cleaning.activity_id,
        idempotencyKey="a",
        bags=6,
        note="楼道",
    )
    assert logged["log"]["bags"] == 6 and logged["log"]["cleanedAreaM2"] is None
    empty = await _log(
        api, CLEANING, cleaning.captain.token, activityId=cleaning.activity_id, idempotencyKey="b"
    )
    assert _codes(empty) == [("INVALID_INPUT", "areaM2")]

    listed = await api.data(LOGS, {"id": snow.activity_id}, snow.volunteers[1].token)
    assert listed["activity"]["logs"]["totalCount"] == 1
    assert listed["activity"]["logs"]["nodes"] == [{"kind": "SNOW_CLEARING", "areaM2": "1200.50"}]


async def test_a_log_must_fit_the_activity_and_come_from_its_people(api: GraphQLClient) -> None:
    squad = await support.make_squad(api, kind=TeamKind.SNOW_CLEARING)
    mismatch = await _log(
        api,
        TUTORING,
        squad.captain.token,
        activityId=squad.activity_id,
        idempotencyKey="a",
        pupils=3,
        subject="x",
    )
    assert _codes(mismatch) == [("LOG_KIND_MISMATCH", "activityId")]
    values = {"activityId": squad.activity_id, "idempotencyKey": "b", "areaM2": "10", "volumeM3": "5"}
    # A teammate who did not take part may not log it; after checking in they may.
    assert await api.error_codes(SNOW, {"input": values}, squad.volunteers[0].token) == ["FORBIDDEN"]
    assert (await support.check_in(api, squad, squad.volunteers[0]))["errors"] == []
    assert (await _log(api, SNOW, squad.volunteers[0].token, **values))["errors"] == []
    other = await support.make_squad(api, slug="lanting")
    assert _codes(await _log(api, SNOW, other.captain.token, **values)) == [("NOT_FOUND", "activityId")]
