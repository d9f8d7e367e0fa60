"""The round table (幸福圆桌会): meetings, agenda topics, votes and check-in.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor, decode_global_id, split_global_id
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.round_table import types
from models.round_table import AgendaTopic as TopicRow
from models.round_table import Meeting as MeetingRow
from services import round_table
from services.access import Viewer
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def _meeting(row: MeetingRow) -> types.Meeting:
    return types.Meeting(
        id=row.id,
        title=row.title,
        location=row.location,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        community_id=row.community_id,
    )


def _place_gid(value: str) -> relay.GlobalID | None:
    kind, _, raw = value.partition(":")
    return relay.GlobalID(kind, raw) if kind and raw else None


def _topic(
    row: TopicRow, found: dict[int, list[round_table.TopicResult]], mine: dict[int, str]
) -> types.AgendaTopic:
    return types.AgendaTopic(
        id=row.id,
        title=row.title,
        source=types.TopicSource(row.source.value),
        opinion=None if row.opinion_id is None else relay.GlobalID("Opinion", str(row.opinion_id)),
        report_category=row.report_category,
        report_place=_place_gid(row.report_place),
        choices=list(round_table.allowed_choices(row)),
        one_vote_per_household=row.one_vote_per_household,
        is_open=row.closed_at is None,
        results=[types.VoteCount(choice=r.choice, votes=r.votes) for r in found.get(row.id, [])],
        my_vote=mine.get(row.id),
        decision=row.decision,
        follow_up_by=None
        if row.follow_up_by_id is None
        else relay.GlobalID("User", str(row.follow_up_by_id)),
        follow_up=row.follow_up,
    )


async def _topic_type(viewer: Viewer, row: TopicRow) -> types.AgendaTopic:
    return _topic(row, await round_table.results([row.id]), await round_table.my_votes(viewer, [row.id]))


async def _get_meeting(viewer: Viewer, value: str, field: str = "meetingId") -> MeetingRow:
    viewer.require_user()
    return await round_table.get_meeting(viewer, decode_global_id(value, "Meeting", field), field)


async def meetings_list(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.Meeting]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await round_table.meetings(viewer, cid, size, before_id)
    return connection(
        rows[:size], len(rows) > size, _meeting, lambda: round_table.meeting_count(cid), before_id
    )


async def meeting_agenda(info: Info, meeting_id: strawberry.ID) -> types.MeetingAgenda:
    viewer = info.context.viewer
    meeting = await _get_meeting(viewer, meeting_id)
    rows = await round_table.topics_of(viewer, meeting)
    ids = [row.id for row in rows]
    found, mine = await round_table.results(ids), await round_table.my_votes(viewer, ids)
    return types.MeetingAgenda(
        meeting=_meeting(meeting),
        attendance_count=await round_table.attendance_count(meeting.id),
        topics=[_topic(row, found, mine) for row in rows],
    )


async def round_table_suggestions(info: Info, community_id: strawberry.ID) -> list[types.ReportCluster]:
    viewer = info.context.viewer
    viewer.require_user()
    rows = await round_table.suggested_clusters(viewer, _community(community_id))
    return [
        types.ReportCluster(
            place=relay.GlobalID(r.place_type, str(r.place_id)), category=r.category, reports=r.reports
        )
        for r in rows
    ]


async def meeting_check_in_code(info: Info, meeting_id: strawberry.ID) -> types.MeetingCheckInCode:
    viewer = info.context.viewer
    code, seconds = round_table.meeting_code(viewer, await _get_meeting(viewer, meeting_id))
    return types.MeetingCheckInCode(code=code, seconds_to_rotation=seconds)


async def meeting_create(info: Info, input: types.MeetingCreateInput) -> types.MeetingPayload:
    async def work() -> types.MeetingPayload:
        viewer = info.context.viewer
        viewer.require_user()
        row = await round_table.create_meeting(
            viewer,
            _community(input.community_id),
            input.title,
            input.location,
            input.starts_at,
            input.ends_at,
        )
        return types.MeetingPayload(meeting=_meeting(row))

    return await guarded(types.MeetingPayload, work())


async def agenda_topic_add(info: Info, input: types.AgendaTopicAddInput) -> types.AgendaTopicPayload:
    async def work() -> types.AgendaTopicPayload:
        viewer = info.context.viewer
        meeting = await _get_meeting(viewer, input.meeting_id)
        opinion = (
            None if input.opinion_id is None else decode_global_id(input.opinion_id, "Opinion", "opinionId")
        )
        place = ""
        if input.report_place_id is not None:
            kind, _ = split_global_id(input.report_place_id, "reportPlaceId")
            place_id = decode_global_id(
                input.report_place_id, ("Compound", "Building", "Entrance"), "reportPlaceId"
            )
            place = f"{kind}:{place_id}"
        row = await round_table.add_topic(
            viewer,
            meeting,
            input.title,
            opinion_id=opinion,
            report_category=input.report_category,
            report_place=place,
            choices=input.choices,
            one_vote_per_household=input.one_vote_per_household,
        )
        return types.AgendaTopicPayload(topic=await _topic_type(viewer, row))

    return await guarded(types.AgendaTopicPayload, work())


async def _get_topic(viewer: Viewer, value: str) -> TopicRow:
    viewer.require_user()
    return await round_table.get_topic(viewer, decode_global_id(value, "AgendaTopic", "topicId"))


async def topic_vote(info: Info, input: types.TopicVoteInput) -> types.AgendaTopicPayload:
    async def work() -> types.AgendaTopicPayload:
        viewer = info.context.viewer
        topic = await _get_topic(viewer, input.topic_id)
        await round_table.vote(viewer, topic, input.choice)
        return types.AgendaTopicPayload(topic=await _topic_type(viewer, topic))

    return await guarded(types.AgendaTopicPayload, work())


async def topic_close(info: Info, input: types.TopicCloseInput) -> types.AgendaTopicPayload:
    async def work() -> types.AgendaTopicPayload:
        viewer = info.context.viewer
        topic = await _get_topic(viewer, input.topic_id)
        follow = (
            None
            if input.follow_up_by_id is None
            else decode_global_id(input.follow_up_by_id, "User", "followUpById")
        )
        row = await round_table.close(viewer, topic, input.decision, follow, input.follow_up)
        return types.AgendaTopicPayload(topic=await _topic_type(viewer, row))

    return await guarded(types.AgendaTopicPayload, work())


async def meeting_check_in(info: Info, input: types.MeetingCheckInInput) -> types.MeetingCheckInPayload:
    async def work() -> types.MeetingCheckInPayload:
        viewer = info.context.viewer
        row = await round_table.check_in(viewer, await _get_meeting(viewer, input.meeting_id), input.code)
        return types.MeetingCheckInPayload(checked_in_at=row.checked_in_at)

    return await guarded(types.MeetingCheckInPayload, work())
