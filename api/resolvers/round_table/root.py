"""The round table (幸福圆桌会): meetings, agenda topics, votes and check-in.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.round_table import operations as resolve
from api.schema.common import Connection
from api.schema.round_table.types import (
    AgendaTopicPayload,
    Meeting,
    MeetingAgenda,
    MeetingCheckInCode,
    MeetingCheckInPayload,
    MeetingPayload,
    ReportCluster,
)


@strawberry.type
class RoundTableQuery:
    meetings: Connection[Meeting] = strawberry.field(
        resolver=resolve.meetings_list, description="Members: round-tables, newest first."
    )
    meeting_agenda: MeetingAgenda = strawberry.field(
        resolver=resolve.meeting_agenda,
        description="Members: a round-table's topics with their results, decisions and attendance.",
    )
    round_table_suggestions: list[ReportCluster] = strawberry.field(
        resolver=resolve.round_table_suggestions,
        description="Staff: places with repeated reports of one category lately, as candidate topics.",
    )
    meeting_check_in_code: MeetingCheckInCode = strawberry.field(
        resolver=resolve.meeting_check_in_code,
        description="Staff: the meeting's rotating code to show as a QR; poll after `secondsToRotation`.",
    )


@strawberry.type
class RoundTableMutation:
    meeting_create: MeetingPayload = strawberry.mutation(
        resolver=resolve.meeting_create, description="Staff: set a round-table."
    )
    agenda_topic_add: AgendaTopicPayload = strawberry.mutation(
        resolver=resolve.agenda_topic_add,
        description="Staff: put a topic on the agenda, from an opinion, a suggested cluster, or directly.",
    )
    topic_vote: AgendaTopicPayload = strawberry.mutation(
        resolver=resolve.topic_vote, description="Members: vote once on an open topic."
    )
    topic_close: AgendaTopicPayload = strawberry.mutation(
        resolver=resolve.topic_close,
        description="Staff: close voting and record the decision and who follows it up.",
    )
    meeting_check_in: MeetingCheckInPayload = strawberry.mutation(
        resolver=resolve.meeting_check_in,
        description="Members: check in at a round-table with the code scanned from staff's screen.",
    )
