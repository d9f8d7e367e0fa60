"""An attendance the clock gives 0 minutes says why, before and after the captain approves it,
instead of paying 0 points silently."""

from __future__ import annotations

from datetime import timedelta

from runtime import clock
from runtime.clock import MovableClock
from tests.api.teams import support
from tests.support.graphql import GraphQLClient

FIELDS = "attendance { status creditedMinutes zeroMinutesReason } errors { code }"
APPROVE = f"""
mutation Approve($input: AttendanceApproveInput!) {{ attendanceApprove(input: $input) {{ {FIELDS} }} }}"""
# What the captain's screen reads (mobile-contract TeamReview).
REVIEW = """
query R($id: ID!) {
  team(id: $id) { attendancesToReview(first: 5) { nodes { id creditedMinutes zeroMinutesReason } } }
}
"""


async def test_checking_out_before_the_activity_began_is_explained(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    # A short activity starting in 10 minutes: the volunteer comes early and leaves before it begins.
    created = await support.schedule(
        api, squad, key="short", starts_at=clock.now() + timedelta(minutes=10), hours=0.25
    )
    squad.activity_id = created["activitySchedule"]["activity"]["id"]
    volunteer = squad.volunteers[0]
    attendance_id = (await support.check_in(api, squad, volunteer))["attendance"]["id"]
    moved_clock.advance(minutes=6)
    squad.renew_tokens()
    assert (await support.check_out(api, squad, volunteer))["errors"] == []

    # The captain's screen says it before the decision…
    review = await api.data(REVIEW, {"id": squad.team_id}, squad.captain.token)
    [pending] = [n for n in review["team"]["attendancesToReview"]["nodes"] if n["id"] == attendance_id]
    assert pending["creditedMinutes"] is None
    assert pending["zeroMinutesReason"].startswith("签退时活动还没开始（早了 4 分钟）")
    # …and the approval's payload says why it paid nothing.
    approved = (await api.data(APPROVE, {"input": {"attendanceId": attendance_id}}, squad.captain.token))[
        "attendanceApprove"
    ]
    assert approved["errors"] == []
    assert approved["attendance"]["creditedMinutes"] == 0
    assert "「调整」" in approved["attendance"]["zeroMinutesReason"]
    assert await support.balance(api, squad, volunteer) == 0


async def test_real_minutes_need_no_explanation(api: GraphQLClient, moved_clock: MovableClock) -> None:
    squad = await support.make_squad(api)
    volunteer = squad.volunteers[0]
    attendance_id = (await support.check_in(api, squad, volunteer))["attendance"]["id"]
    moved_clock.advance(minutes=45)
    squad.renew_tokens()
    await support.check_out(api, squad, volunteer)
    approved = (await api.data(APPROVE, {"input": {"attendanceId": attendance_id}}, squad.captain.token))[
        "attendanceApprove"
    ]
    assert approved["attendance"] == {"status": "APPROVED", "creditedMinutes": 45, "zeroMinutesReason": None}
