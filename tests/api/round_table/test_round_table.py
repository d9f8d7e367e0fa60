"""The round-table: agenda from opinions and suggested report clusters, check-in by rotating
code, one vote per person (or household), decisions, and public results."""

from __future__ import annotations

from datetime import timedelta

from runtime import clock
from tests.support import voice
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person
from tests.support.reports import CANCEL, ReportsApi, make_cast

MEETING = """
mutation M($input: MeetingCreateInput!) {
  meetingCreate(input: $input) { meeting { id title } errors { code field } }
}
"""
TOPIC_FIELDS = (
    "topic { id title source opinion reportCategory reportPlace choices oneVotePerHousehold isOpen "
    "results { choice votes } myVote decision followUpBy followUp } errors { code field }"
)
ADD = f"mutation A($input: AgendaTopicAddInput!) {{ agendaTopicAdd(input: $input) {{ {TOPIC_FIELDS} }} }}"
VOTE = f"mutation V($input: TopicVoteInput!) {{ topicVote(input: $input) {{ {TOPIC_FIELDS} }} }}"
CLOSE = f"mutation C($input: TopicCloseInput!) {{ topicClose(input: $input) {{ {TOPIC_FIELDS} }} }}"
AGENDA = """
query G($id: ID!) {
  meetingAgenda(meetingId: $id) {
    meeting { title } attendanceCount topics { title isOpen results { choice votes } myVote decision }
  }
}"""
SUGGEST = "query S($c: ID!) { roundTableSuggestions(communityId: $c) { place category reports } }"
CODE = "query K($id: ID!) { meetingCheckInCode(meetingId: $id) { code secondsToRotation } }"
CHECK_IN = """
mutation I($input: MeetingCheckInInput!) {
  meetingCheckIn(input: $input) { checkedInAt errors { code field } }
}
"""


async def test_a_round_table_from_agenda_to_decision(api: GraphQLClient) -> None:
    cast = await make_cast()
    reports = ReportsApi(api)
    cid, staff = cast.community_id, cast.staff.token
    # Three lighting reports at the same entrance in the quarter: a cluster the app suggests.
    for _ in range(3):
        created = await reports.create(cast)
        await reports.move(CANCEL, cast.resident, reportId=created["report"]["id"])
    suggested = (await api.data(SUGGEST, {"c": cid}, staff))["roundTableSuggestions"]
    assert suggested == [{"place": cast.entrance_id, "category": "LIGHTING", "reports": 3}]
    assert await api.error_codes(SUGGEST, {"c": cid}, cast.resident.token) == ["FORBIDDEN"]

    opinion = await voice.ok(
        api,
        voice.POST,
        {"input": {"communityId": cid, "kind": "SUGGESTION", "topic": "PARKING", "text": "划定电动车停放区"}},
        cast.neighbour.token,
    )
    now = clock.now()
    meeting = await voice.ok(
        api,
        MEETING,
        {
            "input": {
                "communityId": cid,
                "title": "11月圆桌会",
                "location": "活动室",
                "startsAt": (now + timedelta(minutes=10)).isoformat(),
                "endsAt": (now + timedelta(hours=2)).isoformat(),
            }
        },
        staff,
    )
    meeting_id = meeting["meeting"]["id"]
    from_opinion = await voice.ok(
        api,
        ADD,
        {
            "input": {
                "meetingId": meeting_id,
                "title": "电动车停放",
                "opinionId": opinion["opinion"]["id"],
                "choices": ["北门", "南门"],
            }
        },
        staff,
    )
    assert from_opinion["topic"]["source"] == "OPINION"
    from_cluster = await voice.ok(
        api,
        ADD,
        {
            "input": {
                "meetingId": meeting_id,
                "title": "楼道灯总坏",
                "reportPlaceId": cast.entrance_id,
                "reportCategory": "LIGHTING",
                "oneVotePerHousehold": True,
            }
        },
        staff,
    )
    assert from_cluster["topic"]["choices"] == ["yes", "no", "abstain"]
    assert from_cluster["topic"]["reportPlace"] == cast.entrance_id

    code = (await api.data(CODE, {"id": meeting_id}, staff))["meetingCheckInCode"]["code"]
    checked = await voice.ok(
        api, CHECK_IN, {"input": {"meetingId": meeting_id, "code": code}}, cast.neighbour.token
    )
    again = await voice.ok(
        api, CHECK_IN, {"input": {"meetingId": meeting_id, "code": code}}, cast.neighbour.token
    )
    assert again["checkedInAt"] == checked["checkedInAt"]
    forged = {"input": {"meetingId": meeting_id, "code": code[:-2] + "AA"}}
    assert await voice.codes(api, CHECK_IN, forged, cast.resident.token) == ["CHECKIN_CODE_INVALID"]

    choice_topic, household_topic = from_opinion["topic"]["id"], from_cluster["topic"]["id"]
    voted = await voice.ok(
        api, VOTE, {"input": {"topicId": choice_topic, "choice": "北门"}}, cast.neighbour.token
    )
    assert voted["topic"]["myVote"] == "北门"
    assert await voice.codes(
        api, VOTE, {"input": {"topicId": choice_topic, "choice": "南门"}}, cast.neighbour.token
    ) == ["ALREADY_VOTED"]
    assert await voice.codes(
        api, VOTE, {"input": {"topicId": choice_topic, "choice": "yes"}}, cast.resident.token
    ) == ["INVALID_INPUT"]
    await voice.ok(api, VOTE, {"input": {"topicId": choice_topic, "choice": "北门"}}, cast.resident.token)
    await voice.ok(api, VOTE, {"input": {"topicId": household_topic, "choice": "yes"}}, cast.resident.token)
    # The neighbour's membership names no household: a by-household vote needs one.
    assert await voice.codes(
        api, VOTE, {"input": {"topicId": household_topic, "choice": "no"}}, cast.neighbour.token
    ) == ["NO_HOUSEHOLD"]
    assert await voice.codes(
        api, VOTE, {"input": {"topicId": household_topic, "choice": "no"}}, cast.outsider.token
    ) == ["NOT_FOUND"]

    closed = await voice.ok(
        api,
        CLOSE,
        {
            "input": {
                "topicId": choice_topic,
                "decision": "在北门划停放区",
                "followUpById": gid("User", cast.staff.user.id),
                "followUp": "12月15日前完成",
            }
        },
        staff,
    )
    assert closed["topic"]["isOpen"] is False
    assert await voice.codes(
        api, VOTE, {"input": {"topicId": choice_topic, "choice": "南门"}}, cast.repairer.token
    ) == ["VOTING_CLOSED"]
    assert await api.error_codes(
        CLOSE, {"input": {"topicId": household_topic, "decision": "x"}}, cast.resident.token
    ) == ["FORBIDDEN"]

    agenda = (await api.data(AGENDA, {"id": meeting_id}, cast.repairer.token))["meetingAgenda"]
    assert agenda["attendanceCount"] == 1
    assert agenda["topics"][0]["results"] == [{"choice": "北门", "votes": 2}, {"choice": "南门", "votes": 0}]
    assert agenda["topics"][0]["decision"] == "在北门划停放区"
    assert agenda["topics"][1]["results"] == [
        {"choice": "yes", "votes": 1},
        {"choice": "no", "votes": 0},
        {"choice": "abstain", "votes": 0},
    ]

    spouse = await make_person(cast.place.community, household=cast.place.households[0], name="王叔")
    by_household = {"input": {"topicId": household_topic, "choice": "no"}}
    assert await voice.codes(api, VOTE, by_household, spouse.token) == ["HOUSEHOLD_ALREADY_VOTED"]
    agenda = (await api.data(AGENDA, {"id": meeting_id}, spouse.token))["meetingAgenda"]
    assert agenda["topics"][1]["results"][1] == {"choice": "no", "votes": 0}
