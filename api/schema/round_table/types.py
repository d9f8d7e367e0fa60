"""The round table (幸福圆桌会): meetings, agenda topics, votes and check-in.

The GraphQL types of the area."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay

from api.schema.common import UserError
from models.enums import ReportCategory


@strawberry.enum(description="Where an agenda topic came from.")
class TopicSource(Enum):
    STAFF = "staff"
    OPINION = "opinion"
    REPORTS = "reports"


@strawberry.type(description="A round-table: the residents' consultation meeting.")
class Meeting(relay.Node):
    id: relay.NodeID[int]
    title: str
    location: str
    starts_at: datetime
    ends_at: datetime
    community_id: strawberry.Private[int]


@strawberry.type
class VoteCount:
    choice: str
    votes: int


@strawberry.type(description="A topic on a meeting's agenda, its votes, and the decision.")
class AgendaTopic(relay.Node):
    id: relay.NodeID[int]
    title: str
    source: TopicSource
    opinion: relay.GlobalID | None
    report_category: ReportCategory | None
    report_place: relay.GlobalID | None
    choices: list[str] = strawberry.field(description="What a vote may say: yes/no/abstain or the choices.")
    one_vote_per_household: bool
    is_open: bool
    results: list[VoteCount]
    my_vote: str | None
    decision: str
    follow_up_by: relay.GlobalID | None
    follow_up: str


@strawberry.type(description="Repeated reports of one category at one place: a candidate topic.")
class ReportCluster:
    place: relay.GlobalID
    category: ReportCategory
    reports: int


@strawberry.type(description="The round-table's agenda and attendance.")
class MeetingAgenda:
    meeting: Meeting
    attendance_count: int
    topics: list[AgendaTopic]


@strawberry.type
class MeetingCheckInCode:
    code: str
    seconds_to_rotation: int


@strawberry.input
class MeetingCreateInput:
    community_id: strawberry.ID
    title: str
    location: str = ""
    starts_at: datetime
    ends_at: datetime


@strawberry.type
class MeetingPayload:
    meeting: Meeting | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AgendaTopicAddInput:
    meeting_id: strawberry.ID
    title: str
    opinion_id: strawberry.ID | None = None
    report_place_id: strawberry.ID | None = strawberry.field(
        default=None, description="With reportCategory: a cluster the app suggested."
    )
    report_category: ReportCategory | None = None
    choices: list[str] = strawberry.field(default_factory=list, description="Empty: yes/no/abstain.")
    one_vote_per_household: bool = False


@strawberry.type
class AgendaTopicPayload:
    topic: AgendaTopic | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TopicVoteInput:
    topic_id: strawberry.ID
    choice: str


@strawberry.input
class TopicCloseInput:
    topic_id: strawberry.ID
    decision: str
    follow_up_by_id: strawberry.ID | None = None
    follow_up: str = ""


@strawberry.input
class MeetingCheckInInput:
    meeting_id: strawberry.ID
    code: str


@strawberry.type
class MeetingCheckInPayload:
    checked_in_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
