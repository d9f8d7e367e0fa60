"""The Query and Mutation fields of residents' voice and open books, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers import voice as resolve
from api.schema.common import Connection
from api.schema.voice import (
    AccountEntryPayload,
    AccountStatement,
    AgendaTopicPayload,
    BoardPublicity,
    BoardPublicityPayload,
    Meeting,
    MeetingAgenda,
    MeetingCheckInCode,
    MeetingCheckInPayload,
    MeetingPayload,
    MonthSatisfaction,
    Opinion,
    OpinionCounts,
    OpinionPayload,
    RepairsDone,
    ReportCluster,
    Survey,
    SurveyAnswerPayload,
    SurveyPayload,
    TeamSatisfaction,
)


@strawberry.type
class VoiceQuery:
    opinions: Connection[Opinion] = strawberry.field(
        resolver=resolve.opinions_list, description="Members: the community's opinions, newest first."
    )
    opinion_counts: OpinionCounts = strawberry.field(
        resolver=resolve.opinion_counts, description="Members: opinions collected, adopted, done …"
    )
    account_statement: AccountStatement = strawberry.field(
        resolver=resolve.account_statement,
        description="Members: a month's public accounts (YYYY-MM), repair materials included.",
    )
    satisfaction_by_month: list[MonthSatisfaction] = strawberry.field(
        resolver=resolve.satisfaction_by_month, description="Members: satisfaction per month of a year."
    )
    satisfaction_by_team: list[TeamSatisfaction] = strawberry.field(
        resolver=resolve.satisfaction_by_team,
        description="Members: satisfaction per team and month, where scores are attributable to a team.",
    )
    surveys: Connection[Survey] = strawberry.field(
        resolver=resolve.surveys_list, description="Members: the community's surveys, newest first."
    )
    board_publicity: BoardPublicity = strawberry.field(
        resolver=resolve.board_publicity, description="Members: what the notice board shows to anyone."
    )
    repairs_done: RepairsDone = strawberry.field(
        resolver=resolve.repairs_done, description="Members: repairs fixed in a month, and on time."
    )
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
class VoiceMutation:
    opinion_post: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_post, description="Members: a suggestion or complaint (not a repair)."
    )
    opinion_support: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_support, description="Members: support someone else's opinion, once."
    )
    opinion_answer: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_answer,
        description="Staff: adopt (with the action), answer, or decline (with the reason) an open opinion.",
    )
    opinion_done: OpinionPayload = strawberry.mutation(
        resolver=resolve.opinion_done, description="Staff: the action of an adopted opinion is carried out."
    )
    account_entry_record: AccountEntryPayload = strawberry.mutation(
        resolver=resolve.account_entry_record,
        description="Staff: record income or spending; with `correctsId` it replaces that entry.",
    )
    survey_create: SurveyPayload = strawberry.mutation(
        resolver=resolve.survey_create, description="Staff: a short satisfaction survey."
    )
    survey_answer: SurveyAnswerPayload = strawberry.mutation(
        resolver=resolve.survey_answer, description="Members: answer an open survey, once."
    )
    board_publicity_set: BoardPublicityPayload = strawberry.mutation(
        resolver=resolve.board_publicity_set,
        description="Staff: choose which notice-board sections anyone may see without signing in.",
    )
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
