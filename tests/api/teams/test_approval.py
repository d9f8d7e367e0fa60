"""The captain's decision, the points it pays (once), emergencies, and the closing job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models.ledger import PointTransfer
from models.teams import Attendance, AttendanceStatus
from runtime import clock
from runtime.clock import MovableClock
from services.teams.attendance import close_overdue
from tests.api.teams import support
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

# Default rules: 10 points base + 1 a minute, from 30 minutes on.
BASE, PER_MINUTE = 10, 1


async def _served(api: GraphQLClient, squad: support.Squad, moved_clock: MovableClock, minutes: int) -> str:
    """The first volunteer checks in now and out `minutes` later; returns the attendance id."""
    attendance = (await support.check_in(api, squad, squad.volunteers[0]))["attendance"]["id"]
    moved_clock.advance(minutes=minutes)
    squad.renew_tokens()
    assert (await support.check_out(api, squad, squad.volunteers[0]))["errors"] == []
    return str(attendance)


async def _decide(api: GraphQLClient, query: str, field: str, token: str, **values: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await api.data(query, {"input": values}, token))[field]
    return payload


async def test_approval_pays_per_minute_once_however_often_it_is_sent(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    attendance_id = await _served(api, squad, moved_clock, 90)
    volunteer = squad.volunteers[0]
    assert await support.balance(api, squad, volunteer) == 0

    for _ in range(3):
        approved = await _decide(
            api, support.APPROVE, "attendanceApprove", squad.captain.token, attendanceId=attendance_id
        )
        assert approved["errors"] == []
        assert approved["attendance"]["status"] == "APPROVED"
        assert approved["attendance"]["creditedMinutes"] == 90
    assert await support.balance(api, squad, volunteer) == BASE + PER_MINUTE * 90
    assert await PointTransfer.filter(source_key__startswith="attendance:").count() == 1

    later = await _decide(
        api, support.ADJUST, "attendanceAdjust", squad.captain.token, attendanceId=attendance_id, minutes=30
    )
    assert [e["code"] for e in later["errors"]] == ["ALREADY_DECIDED"]
    assert await support.balance(api, squad, volunteer) == BASE + PER_MINUTE * 90


async def test_adjusting_pays_the_minutes_the_captain_sets_and_rejecting_pays_nothing(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    first, second = squad.volunteers
    a = (await support.check_in(api, squad, first))["attendance"]["id"]
    b = (await support.check_in(api, squad, second))["attendance"]["id"]
    moved_clock.advance(minutes=40)
    squad.renew_tokens()
    for person in (first, second):
        assert (await support.check_out(api, squad, person))["errors"] == []

    too_long = await _decide(
        api, support.ADJUST, "attendanceAdjust", squad.captain.token, attendanceId=a, minutes=500
    )
    assert [e["code"] for e in too_long["errors"]] == ["INVALID_INPUT"]
    adjusted = await _decide(
        api,
        support.ADJUST,
        "attendanceAdjust",
        squad.captain.token,
        attendanceId=a,
        minutes=60,
        note="stayed to salt",
    )
    assert adjusted["attendance"]["status"] == "ADJUSTED"
    assert await support.balance(api, squad, first) == BASE + PER_MINUTE * 60

    no_reason = await _decide(
        api, support.REJECT, "attendanceReject", squad.captain.token, attendanceId=b, reason=" "
    )
    assert [e["code"] for e in no_reason["errors"]] == ["INVALID_INPUT"]
    rejected = await _decide(
        api, support.REJECT, "attendanceReject", squad.captain.token, attendanceId=b, reason="was not there"
    )
    assert rejected["attendance"]["status"] == "REJECTED"
    assert await support.balance(api, squad, second) == 0
    approve_after = await _decide(
        api, support.APPROVE, "attendanceApprove", squad.captain.token, attendanceId=b
    )
    assert [e["code"] for e in approve_after["errors"]] == ["ALREADY_DECIDED"]


async def test_an_open_attendance_cannot_be_approved(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    attendance_id = (await support.check_in(api, squad, squad.volunteers[0]))["attendance"]["id"]
    result = await _decide(
        api, support.APPROVE, "attendanceApprove", squad.captain.token, attendanceId=attendance_id
    )
    assert [e["code"] for e in result["errors"]] == ["ATTENDANCE_OPEN"]


async def test_only_a_captain_of_that_team_approves(api: GraphQLClient, moved_clock: MovableClock) -> None:
    squad = await support.make_squad(api)
    other = await support.make_squad(api, slug="lanting")
    attendance_id = await _served(api, squad, moved_clock, 60)
    other.renew_tokens()
    variables = {"input": {"attendanceId": attendance_id}}
    # The volunteer sees their own attendance but may not approve it; staff are not captains.
    assert await api.error_codes(support.APPROVE, variables, squad.volunteers[0].token) == ["FORBIDDEN"]
    assert await api.error_codes(support.APPROVE, variables, squad.staff.token) == ["FORBIDDEN"]
    # A teammate cannot see someone else's attendance; another community's captain neither.
    for token in (squad.volunteers[1].token, other.captain.token):
        result = await _decide(api, support.APPROVE, "attendanceApprove", token, attendanceId=attendance_id)
        assert [e["code"] for e in result["errors"]] == ["NOT_FOUND"]
    row = await Attendance.get(id=int(_row_id(attendance_id)))
    assert row.status == AttendanceStatus.CLOSED
    assert await support.balance(api, squad, squad.volunteers[0]) == 0


def _row_id(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":", 1)[1]


async def test_an_emergency_opens_activities_to_everyone_and_multiplies_their_points(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    assert [e["code"] for e in (await support.check_in(api, squad, squad.neighbour))["errors"]] == [
        "NOT_TEAM_MEMBER"
    ]
    declare = {
        "communityId": squad.community_id,
        "title": "暴雪",
        "activityKind": "SNOW_CLEARING",
        "startsAt": clock.now().isoformat(),
        "endsAt": (clock.now() + timedelta(hours=48)).isoformat(),
        "multiplierPercent": 200,
        "idempotencyKey": "storm-1",
    }
    assert await api.error_codes(support.EMERGENCY, {"input": declare}, squad.captain.token) == ["FORBIDDEN"]
    declared = await support.ok(
        api, support.EMERGENCY, {"input": declare}, squad.staff.token, "emergencyDeclare"
    )
    assert declared["emergency"]["inForce"] is True and declared["emergency"]["rulesVersion"] == 1
    replay = await support.ok(
        api, support.EMERGENCY, {"input": declare}, squad.staff.token, "emergencyDeclare"
    )
    assert replay["emergency"]["id"] == declared["emergency"]["id"]
    rules = await api.data(
        "query R($c: ID!) { pointRules(communityId: $c) {"
        " version multipliers { kind activityKind percent } } }",
        {"c": squad.community_id},
        squad.neighbour.token,
    )
    assert rules["pointRules"]["version"] == 1
    assert rules["pointRules"]["multipliers"] == [
        {"kind": "ATTENDANCE", "activityKind": "snow_clearing", "percent": 200}
    ]

    joined = await support.check_in(api, squad, squad.neighbour)
    assert joined["errors"] == []
    moved_clock.advance(minutes=60)
    squad.renew_tokens()
    assert (await support.check_out(api, squad, squad.neighbour))["errors"] == []
    approved = await _decide(
        api,
        support.APPROVE,
        "attendanceApprove",
        squad.captain.token,
        attendanceId=joined["attendance"]["id"],
    )
    assert approved["errors"] == []
    assert await support.balance(api, squad, squad.neighbour) == 2 * (BASE + PER_MINUTE * 60)

    bad = {**declare, "idempotencyKey": "storm-2", "endsAt": declare["startsAt"]}
    assert await support.errors(
        api, support.EMERGENCY, {"input": bad}, squad.staff.token, "emergencyDeclare"
    ) == ["INVALID_INPUT"]


async def test_work_done_in_the_window_keeps_its_multiplier_when_approved_after_it(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    window = {
        "communityId": squad.community_id,
        "title": "暴雪",
        "startsAt": clock.now().isoformat(),
        "endsAt": (clock.now() + timedelta(hours=1, minutes=30)).isoformat(),
        "multiplierPercent": 300,
        "idempotencyKey": "storm",
    }
    await support.ok(api, support.EMERGENCY, {"input": window}, squad.staff.token, "emergencyDeclare")
    attendance_id = await _served(api, squad, moved_clock, 60)
    moved_clock.advance(hours=5)  # the captain approves the next morning
    squad.renew_tokens()
    await _decide(api, support.APPROVE, "attendanceApprove", squad.captain.token, attendanceId=attendance_id)
    assert await support.balance(api, squad, squad.volunteers[0]) == 3 * (BASE + PER_MINUTE * 60)


async def test_attendances_left_open_are_closed_at_the_end_and_flagged_once(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    attendance_id = (await support.check_in(api, squad, squad.volunteers[0]))["attendance"]["id"]
    moved_clock.advance(hours=2, minutes=59)  # end (2 h) + grace (60 min) not reached yet
    assert await close_overdue() == 0
    moved_clock.advance(minutes=1)
    assert await close_overdue() == 1
    assert await close_overdue() == 0
    squad.renew_tokens()
    review = await api.data(
        """query R($id: ID!) { team(id: $id) { attendancesToReview { totalCount
             nodes { id status flagged checkedOutAt } } } }""",
        {"id": squad.team_id},
        squad.captain.token,
    )
    queue = review["team"]["attendancesToReview"]
    assert queue["totalCount"] == 1
    node = queue["nodes"][0]
    assert node["id"] == attendance_id and node["status"] == "AUTO_CLOSED" and node["flagged"] is True
    assert node["checkedOutAt"].startswith("2026-11-23T04:00:00")  # the activity's end, not now
    approved = await _decide(
        api, support.APPROVE, "attendanceApprove", squad.captain.token, attendanceId=attendance_id
    )
    assert approved["attendance"]["creditedMinutes"] == 120
    out = await support.check_out(api, squad, squad.volunteers[0])
    assert out["attendance"]["status"] == "APPROVED"  # a late check-out changes nothing
    assert gid("User", squad.volunteers[0].user.id) == out["attendance"]["user"]["id"]
