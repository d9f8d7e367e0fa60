"""Checking in and out: the rotating code, the personal card, by hand; and what is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from models.teams import Attendance, VolunteerCard
from runtime import clock
from runtime.clock import MovableClock
from runtime.settings import Settings, use_settings
from services import signed_codes
from services.teams import checkin_codes
from tests.api.teams import support
from tests.support.graphql import GraphQLClient
from tests.support.people import gid


async def test_a_volunteer_checks_in_by_scanning_and_again_gets_the_same_attendance(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    shown = await api.data(support.CODE, {"activityId": squad.activity_id}, squad.captain.token)
    assert 1 <= shown["activityCheckInCode"]["secondsToRotation"] <= 30

    first = await support.check_in(api, squad, squad.volunteers[0])
    assert first["errors"] == []
    attendance = first["attendance"]
    assert attendance["status"] == "OPEN" and attendance["method"] == "SCAN"
    assert attendance["markedByHand"] is False
    assert attendance["user"]["id"] == gid("User", squad.volunteers[0].user.id)

    moved_clock.advance(minutes=5)
    again = await support.check_in(api, squad, squad.volunteers[0])
    assert again["attendance"]["id"] == attendance["id"]
    assert again["attendance"]["checkedInAt"] == attendance["checkedInAt"]

    moved_clock.advance(minutes=80)
    squad.renew_tokens()
    out = await support.check_out(api, squad, squad.volunteers[0])
    assert out["errors"] == [] and out["attendance"]["status"] == "CLOSED"
    moved_clock.advance(minutes=1)
    out_again = await support.check_out(api, squad, squad.volunteers[0])
    assert out_again["attendance"]["checkedOutAt"] == out["attendance"]["checkedOutAt"]


async def test_a_code_one_step_old_works_two_steps_old_is_expired_every_time(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    squad = await support.make_squad(api)
    code = await support.current_code(api, squad)
    moved_clock.advance(seconds=checkin_codes.STEP_SECONDS)
    late = await support.check_in(api, squad, squad.volunteers[0], code)
    assert late["errors"] == []

    moved_clock.advance(seconds=checkin_codes.STEP_SECONDS)
    for _ in range(2):
        stale = await support.check_in(api, squad, squad.volunteers[1], code)
        assert [e["code"] for e in stale["errors"]] == ["CHECKIN_CODE_EXPIRED"]
        assert stale["attendance"] is None


async def test_forged_mistyped_and_future_codes_are_invalid(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    code = await support.current_code(api, squad)
    activity, step, mac = code.split(".")
    forged_step = f"{activity}.{int(step) - 5}.{mac}"  # an old step with a recycled mac
    other_mac = f"{activity}.{step}.{'A' * len(mac)}"
    future = checkin_codes.rotating_code(int(activity), clock.now() + timedelta(minutes=5))
    for bad in (forged_step, other_mac, "hello", "", "1.2.３", future):
        result = await support.check_in(api, squad, squad.volunteers[0], bad or " ")
        assert [e["code"] for e in result["errors"]] == ["CHECKIN_CODE_INVALID"], bad


async def test_a_code_of_another_activity_is_refused(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    other = await support.schedule(api, squad, key="second")
    other_id = other["activitySchedule"]["activity"]["id"]
    code = await support.current_code(api, squad, other_id)
    result = await support.check_in(api, squad, squad.volunteers[0], code)
    assert [e["code"] for e in result["errors"]] == ["CHECKIN_CODE_WRONG_ACTIVITY"]
    # Without naming the activity on screen, the code simply checks into its own activity.
    data = await api.data(support.CHECK_IN, {"input": {"code": code}}, squad.volunteers[0].token)
    assert data["attendanceCheckIn"]["errors"] == []


async def test_check_in_outside_the_window_honours_the_configured_margin(
    api: GraphQLClient, moved_clock: MovableClock, settings: Settings
) -> None:
    squad = await support.make_squad(api)
    later = await support.schedule(api, squad, key="later", starts_at=clock.now() + timedelta(minutes=30))
    later_id = later["activitySchedule"]["activity"]["id"]

    async def attempt() -> list[str]:
        code = await support.current_code(api, squad, later_id)
        data = await api.data(
            support.CHECK_IN, {"input": {"code": code, "activityId": later_id}}, squad.volunteers[0].token
        )
        return [e["code"] for e in data["attendanceCheckIn"]["errors"]]

    assert await attempt() == ["OUTSIDE_ACTIVITY_WINDOW"]  # 30 min early, margin 15
    use_settings(replace(settings, checkin_margin_minutes=45))
    try:
        assert await attempt() == []
    finally:
        use_settings(settings)
    moved_clock.advance(hours=3)  # the first activity is over
    squad.renew_tokens()
    result = await support.check_in(api, squad, squad.volunteers[1])
    assert [e["code"] for e in result["errors"]] == ["OUTSIDE_ACTIVITY_WINDOW"]


async def test_check_out_without_check_in_is_a_typed_error(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    result = await support.check_out(api, squad, squad.volunteers[0])
    assert [e["code"] for e in result["errors"]] == ["NOT_CHECKED_IN"]
    captain_out = await api.data(
        support.CAPTAIN_OUT,
        {"input": {"activityId": squad.activity_id, "userId": gid("User", squad.volunteers[1].user.id)}},
        squad.captain.token,
    )
    assert [e["code"] for e in captain_out["attendanceCaptainCheckOut"]["errors"]] == ["NOT_CHECKED_IN"]


async def test_someone_outside_the_team_cannot_check_in_without_an_emergency(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    result = await support.check_in(api, squad, squad.neighbour)
    assert [e["code"] for e in result["errors"]] == ["NOT_TEAM_MEMBER"]


async def test_the_captain_checks_in_by_personal_card_or_by_hand(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    elder, other = squad.volunteers
    card = await support.ok(
        api, support.CARD, {"input": {"communityId": squad.community_id}}, elder.token, "volunteerCardIssue"
    )
    code = card["code"]
    # A signed code of the card (services.signed_codes, its own purpose): it names the card, not
    # the person, and verifies for no other purpose (a tag's code is not a card's).
    [issued] = await VolunteerCard.filter(user_id=elder.user.id)
    assert checkin_codes.card_id_of(code) == issued.id
    assert signed_codes.verify(checkin_codes.CARD_PURPOSE, code, 1) == (issued.id,)
    with pytest.raises(signed_codes.ForgedCode):
        signed_codes.verify("tag", code, 1)
    same = await support.ok(
        api, support.CARD, {"input": {"communityId": squad.community_id}}, elder.token, "volunteerCardIssue"
    )
    assert same["code"] == code

    by_card = await support.ok(
        api,
        support.CAPTAIN_IN,
        {"input": {"activityId": squad.activity_id, "cardCode": code}},
        squad.captain.token,
        "attendanceCaptainCheckIn",
    )
    assert by_card["attendance"]["method"] == "CARD"
    assert by_card["attendance"]["user"]["id"] == gid("User", elder.user.id)

    by_hand = await support.ok(
        api,
        support.CAPTAIN_IN,
        {"input": {"activityId": squad.activity_id, "userId": gid("User", other.user.id)}},
        squad.captain.token,
        "attendanceCaptainCheckIn",
    )
    assert by_hand["attendance"]["method"] == "HAND" and by_hand["attendance"]["markedByHand"] is True

    out = await support.ok(
        api,
        support.CAPTAIN_OUT,
        {"input": {"activityId": squad.activity_id, "cardCode": code}},
        squad.captain.token,
        "attendanceCaptainCheckOut",
    )
    assert out["attendance"]["status"] == "CLOSED"


async def test_forged_replaced_and_foreign_cards_are_refused(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    elsewhere = await support.make_squad(api, slug="lanting")
    elder = squad.volunteers[0]
    old = (
        await support.ok(
            api,
            support.CARD,
            {"input": {"communityId": squad.community_id}},
            elder.token,
            "volunteerCardIssue",
        )
    )["code"]
    new = await support.ok(
        api,
        support.CARD,
        {"input": {"communityId": squad.community_id, "replace": True}},
        elder.token,
        "volunteerCardIssue",
    )
    assert new["code"] != old
    foreign = (
        await support.ok(
            api,
            support.CARD,
            {"input": {"communityId": elsewhere.community_id}},
            elsewhere.volunteers[0].token,
            "volunteerCardIssue",
        )
    )["code"]
    code = new["code"]
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")  # one character off
    minted = signed_codes.sign(checkin_codes.CARD_PURPOSE, [10_000])  # well signed, no such card
    for bad in (old, foreign, altered, code[:-3], minted, "nonsense"):
        codes = await support.errors(
            api,
            support.CAPTAIN_IN,
            {"input": {"activityId": squad.activity_id, "cardCode": bad}},
            squad.captain.token,
            "attendanceCaptainCheckIn",
        )
        assert codes == ["CARD_INVALID"], bad


async def test_only_the_teams_captain_checks_people_in_by_hand(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    variables = {
        "input": {"activityId": squad.activity_id, "userId": gid("User", squad.volunteers[1].user.id)}
    }
    assert await api.error_codes(support.CAPTAIN_IN, variables, squad.volunteers[0].token) == ["FORBIDDEN"]
    assert await api.error_codes(
        support.CODE, {"activityId": squad.activity_id}, squad.volunteers[0].token
    ) == ["FORBIDDEN"]


async def test_capacity_is_kept_and_a_sign_up_list_is_enforced(api: GraphQLClient) -> None:
    squad = await support.make_squad(api)
    small = await support.schedule(api, squad, key="small", capacity=1)
    small_id = small["activitySchedule"]["activity"]["id"]
    first, second = squad.volunteers
    code = await support.current_code(api, squad, small_id)
    ok = await api.data(support.CHECK_IN, {"input": {"code": code, "activityId": small_id}}, first.token)
    assert ok["attendanceCheckIn"]["errors"] == []
    full = await api.data(support.CHECK_IN, {"input": {"code": code, "activityId": small_id}}, second.token)
    assert [e["code"] for e in full["attendanceCheckIn"]["errors"]] == ["ACTIVITY_FULL"]

    listed = await support.schedule(api, squad, key="listed", capacity=5, requiresSignup=True)
    listed_id = listed["activitySchedule"]["activity"]["id"]
    code = await support.current_code(api, squad, listed_id)
    refused = await api.data(
        support.CHECK_IN, {"input": {"code": code, "activityId": listed_id}}, first.token
    )
    assert [e["code"] for e in refused["attendanceCheckIn"]["errors"]] == ["SIGNUP_REQUIRED"]
    signed = await support.ok(
        api, support.SIGN_UP, {"input": {"activityId": listed_id}}, first.token, "activitySignUp"
    )
    assert signed["activity"]["signupCount"] == 1
    again = await support.ok(
        api, support.SIGN_UP, {"input": {"activityId": listed_id}}, first.token, "activitySignUp"
    )
    assert again["activity"]["signupCount"] == 1
    accepted = await api.data(
        support.CHECK_IN, {"input": {"code": code, "activityId": listed_id}}, first.token
    )
    assert accepted["attendanceCheckIn"]["errors"] == []


async def test_a_reused_code_never_makes_a_second_attendance_or_pays_twice(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    """The economy's side (OWASP API6): one code, scanned again and again by a script, in and
    out, before and after approval, makes one attendance and one payment; forged and stale
    codes are refused on every one of many tries, not just the first."""
    squad = await support.make_squad(api)
    volunteer = squad.volunteers[0]
    code = await support.current_code(api, squad)
    first = await support.check_in(api, squad, volunteer, code)
    for _ in range(5):
        again = await support.check_in(api, squad, volunteer, code)
        assert again["errors"] == [] and again["attendance"]["id"] == first["attendance"]["id"]

    moved_clock.advance(minutes=90)
    squad.renew_tokens()
    out_code = await support.current_code(api, squad)
    out = (await api.data(support.CHECK_OUT, {"input": {"code": out_code}}, volunteer.token))[
        "attendanceCheckOut"
    ]
    approved = await support.ok(
        api,
        support.APPROVE,
        {"input": {"attendanceId": first["attendance"]["id"]}},
        squad.captain.token,
        "attendanceApprove",
    )
    paid = await support.balance(api, squad, volunteer)
    assert out["errors"] == [] and approved["attendance"]["status"] == "APPROVED" and paid > 0

    # The check-out code scanned again to check in, and the check-in code from 90 minutes ago.
    for _ in range(5):
        reused = await support.check_in(api, squad, volunteer, out_code)
        assert reused["errors"] == [] and reused["attendance"]["id"] == first["attendance"]["id"]
        assert reused["attendance"]["status"] == "APPROVED"
        stale = await support.check_in(api, squad, volunteer, code)
        assert [e["code"] for e in stale["errors"]] == ["CHECKIN_CODE_EXPIRED"]
        activity, step, mac = out_code.split(".")
        forged = await support.check_in(api, squad, squad.volunteers[1], f"{activity}.{int(step) + 1}.{mac}")
        assert [e["code"] for e in forged["errors"]] == ["CHECKIN_CODE_INVALID"]
    assert await support.balance(api, squad, volunteer) == paid
    assert await Attendance.filter(user_id=volunteer.user.id).count() == 1
    assert await Attendance.filter(user_id=squad.volunteers[1].user.id).count() == 0
