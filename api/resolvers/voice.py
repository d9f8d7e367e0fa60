"""Queries and mutations of opinions, public accounts, satisfaction and the notice board."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor, decode_global_id, split_global_id
from api.resolvers.payloads import guarded
from api.resolvers.points_mapping import connection
from api.schema import voice as s
from api.schema.common import Connection
from models.open_books import INCOME_CATEGORIES
from models.open_books import AccountEntry as EntryRow
from models.round_table import AgendaTopic as TopicRow
from models.round_table import Meeting as MeetingRow
from models.voice import Opinion as OpinionRow
from models.voice import OpinionStatus
from models.voice import Survey as SurveyRow
from services import board, open_books, opinions, round_table, satisfaction
from services.access import Viewer
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def _opinion(row: OpinionRow, viewer: Viewer, supported: set[int]) -> s.Opinion:
    return s.Opinion(
        id=row.id,
        kind=row.kind,
        topic=row.topic,
        text=row.text,
        status=row.status,
        support_count=row.support_count,
        answer=row.answer,
        action=row.action,
        answered_at=row.answered_at,
        done_at=row.done_at,
        created_at=row.created_at,
        is_mine=viewer.user is not None and row.author_id == viewer.user.id,
        supported_by_me=row.id in supported,
    )


def _entry(row: EntryRow) -> s.AccountEntry:
    return s.AccountEntry(
        id=row.id,
        month=row.month,
        category=row.category,
        is_income=row.category in INCOME_CATEGORIES,
        amount=row.amount,
        memo=row.memo,
        brand_model=row.brand_model,
        corrects=None if row.corrects_id is None else relay.GlobalID("AccountEntry", str(row.corrects_id)),
        created_at=row.created_at,
    )


def _survey(row: SurveyRow, answered: set[int]) -> s.Survey:
    return s.Survey(
        id=row.id,
        title=row.title,
        questions=list(row.questions),
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        team=None if row.team_id is None else relay.GlobalID("Team", str(row.team_id)),
        answered_by_me=row.id in answered,
    )


def _tally(tally: satisfaction.Tally) -> s.SatisfactionTally:
    return s.SatisfactionTally(count=tally.count, rate_percent=tally.rate_percent, average=tally.average)


def statement_type(found: open_books.Statement) -> s.AccountStatement:
    return s.AccountStatement(
        month=found.month,
        income=found.income,
        spending=found.spending,
        balance=found.balance,
        categories=[
            s.AccountCategoryTotal(
                category=c.category, is_income=c.is_income, amount=c.amount, share_percent=c.share_percent
            )
            for c in found.categories
        ],
        entries=[_entry(row) for row in found.entries],
        repair_materials=[
            s.RepairMaterialLine(
                report=relay.GlobalID("Report", str(m.report_id)),
                item=m.item,
                brand_model=m.brand_model,
                quantity=m.quantity,
                cost=m.cost,
            )
            for m in found.repair_materials
        ],
        repair_materials_total=found.repair_materials_total,
    )


def _publicity(shown: board.Publicity, slug: str) -> s.BoardPublicity:
    return s.BoardPublicity(
        flag=shown.flag,
        volunteers=shown.volunteers,
        repairs=shown.repairs,
        satisfaction=shown.satisfaction,
        accounts=shown.accounts,
        url=f"/board/{slug}",
    )


# Opinions --------------------------------------------------------------------------------------


async def opinions_list(
    info: Info,
    community_id: strawberry.ID,
    status: OpinionStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[s.Opinion]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await opinions.opinions(viewer, cid, status, size, before_id)
    supported = await opinions.supported_by_me(viewer, [r.id for r in rows[:size]])
    return connection(
        rows[:size],
        len(rows) > size,
        lambda row: _opinion(row, viewer, supported),
        lambda: opinions.opinion_count(cid, status),
        before_id,
    )


async def opinion_counts(info: Info, community_id: strawberry.ID) -> s.OpinionCounts:
    viewer = info.context.viewer
    viewer.require_user()
    found = await opinions.counts(viewer, _community(community_id))
    return s.OpinionCounts(
        collected=found.collected,
        open=found.open,
        adopted=found.adopted,
        done=found.done,
        answered=found.answered,
        declined=found.declined,
    )


async def _opinion_payload(viewer: Viewer, row: OpinionRow) -> s.OpinionPayload:
    supported = await opinions.supported_by_me(viewer, [row.id])
    return s.OpinionPayload(opinion=_opinion(row, viewer, supported))


async def _get_opinion(viewer: Viewer, value: str) -> OpinionRow:
    viewer.require_user()
    return await opinions.get_opinion(viewer, decode_global_id(value, "Opinion", "opinionId"))


async def opinion_post(info: Info, input: s.OpinionPostInput) -> s.OpinionPayload:
    async def work() -> s.OpinionPayload:
        viewer = info.context.viewer
        viewer.require_user()
        row = await opinions.post(viewer, _community(input.community_id), input.kind, input.topic, input.text)
        return await _opinion_payload(viewer, row)

    return await guarded(s.OpinionPayload, work())


async def opinion_support(info: Info, input: s.OpinionSupportInput) -> s.OpinionPayload:
    async def work() -> s.OpinionPayload:
        viewer = info.context.viewer
        row = await opinions.support(viewer, await _get_opinion(viewer, input.opinion_id))
        return await _opinion_payload(viewer, row)

    return await guarded(s.OpinionPayload, work())


async def opinion_answer(info: Info, input: s.OpinionAnswerInput) -> s.OpinionPayload:
    async def work() -> s.OpinionPayload:
        viewer = info.context.viewer
        row = await opinions.answer(
            viewer,
            await _get_opinion(viewer, input.opinion_id),
            OpinionStatus(input.outcome.value),
            input.answer,
            input.action,
        )
        return await _opinion_payload(viewer, row)

    return await guarded(s.OpinionPayload, work())


async def opinion_done(info: Info, input: s.OpinionDoneInput) -> s.OpinionPayload:
    async def work() -> s.OpinionPayload:
        viewer = info.context.viewer
        row = await opinions.mark_done(viewer, await _get_opinion(viewer, input.opinion_id))
        return await _opinion_payload(viewer, row)

    return await guarded(s.OpinionPayload, work())


# Public accounts -------------------------------------------------------------------------------


async def account_statement(info: Info, community_id: strawberry.ID, month: str) -> s.AccountStatement:
    viewer = info.context.viewer
    viewer.require_user()
    return statement_type(await open_books.statement(viewer, _community(community_id), month))


async def account_entry_record(info: Info, input: s.AccountEntryRecordInput) -> s.AccountEntryPayload:
    async def work() -> s.AccountEntryPayload:
        viewer = info.context.viewer
        viewer.require_user()
        corrects = (
            None
            if input.corrects_id is None
            else decode_global_id(input.corrects_id, "AccountEntry", "correctsId")
        )
        row = await open_books.record(
            viewer,
            _community(input.community_id),
            month=input.month,
            category=input.category,
            amount=input.amount,
            memo=input.memo,
            brand_model=input.brand_model,
            corrects_id=corrects,
            idempotency_key=input.idempotency_key,
        )
        return s.AccountEntryPayload(entry=_entry(row))

    return await guarded(s.AccountEntryPayload, work())


# Satisfaction ----------------------------------------------------------------------------------


async def satisfaction_by_month(
    info: Info, community_id: strawberry.ID, year: int
) -> list[s.MonthSatisfaction]:
    viewer = info.context.viewer
    viewer.require_user()
    rows = await satisfaction.by_month(viewer, _community(community_id), f"{year:04d}")
    return [
        s.MonthSatisfaction(
            month=r.month, repairs=_tally(r.repairs), surveys=_tally(r.surveys), overall=_tally(r.overall)
        )
        for r in rows
    ]


async def satisfaction_by_team(
    info: Info, community_id: strawberry.ID, year: int
) -> list[s.TeamSatisfaction]:
    viewer = info.context.viewer
    viewer.require_user()
    rows = await satisfaction.by_team(viewer, _community(community_id), f"{year:04d}")
    return [
        s.TeamSatisfaction(
            team=relay.GlobalID("Team", str(r.team_id)),
            team_name=r.team_name,
            month=r.month,
            tally=_tally(r.tally),
        )
        for r in rows
    ]


async def surveys_list(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[s.Survey]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await satisfaction.surveys(viewer, cid, size, before_id)
    answered = await satisfaction.answered_by_me(viewer, [r.id for r in rows[:size]])
    return connection(
        rows[:size],
        len(rows) > size,
        lambda row: _survey(row, answered),
        lambda: satisfaction.survey_count(cid),
        before_id,
    )


async def survey_create(info: Info, input: s.SurveyCreateInput) -> s.SurveyPayload:
    async def work() -> s.SurveyPayload:
        viewer = info.context.viewer
        viewer.require_user()
        team = None if input.team_id is None else decode_global_id(input.team_id, "Team", "teamId")
        row = await satisfaction.create_survey(
            viewer,
            _community(input.community_id),
            input.title,
            input.questions,
            input.opens_at,
            input.closes_at,
            team,
        )
        return s.SurveyPayload(survey=_survey(row, set()))

    return await guarded(s.SurveyPayload, work())


async def survey_answer(info: Info, input: s.SurveyAnswerInput) -> s.SurveyAnswerPayload:
    async def work() -> s.SurveyAnswerPayload:
        viewer = info.context.viewer
        viewer.require_user()
        survey = await satisfaction.get_survey(
            viewer, decode_global_id(input.survey_id, "Survey", "surveyId")
        )
        await satisfaction.answer(viewer, survey, input.scores)
        return s.SurveyAnswerPayload(answered=True)

    return await guarded(s.SurveyAnswerPayload, work())


# Notice board ----------------------------------------------------------------------------------


async def board_publicity(info: Info, community_id: strawberry.ID) -> s.BoardPublicity:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_member(cid)
    community = await board.community_of(cid)
    return _publicity(await board.publicity(cid), community.slug)


async def board_publicity_set(info: Info, input: s.BoardPublicitySetInput) -> s.BoardPublicityPayload:
    async def work() -> s.BoardPublicityPayload:
        viewer, cid = info.context.viewer, _community(input.community_id)
        viewer.require_user()
        chosen = board.Publicity(
            flag=input.flag,
            volunteers=input.volunteers,
            repairs=input.repairs,
            satisfaction=input.satisfaction,
            accounts=input.accounts,
        )
        shown = await board.set_publicity(viewer, cid, chosen)
        community = await board.community_of(cid)
        return s.BoardPublicityPayload(publicity=_publicity(shown, community.slug))

    return await guarded(s.BoardPublicityPayload, work())


async def repairs_done(info: Info, community_id: strawberry.ID, month: str) -> s.RepairsDone:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_member(cid)
    open_books.check_month(month)
    found = await board.repairs_done(cid, month)
    return s.RepairsDone(
        month=found.month, done=found.done, on_time=found.on_time, on_time_percent=found.on_time_percent
    )


# Round-table -----------------------------------------------------------------------------------


def _meeting(row: MeetingRow) -> s.Meeting:
    return s.Meeting(
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
) -> s.AgendaTopic:
    return s.AgendaTopic(
        id=row.id,
        title=row.title,
        source=s.TopicSource(row.source.value),
        opinion=None if row.opinion_id is None else relay.GlobalID("Opinion", str(row.opinion_id)),
        report_category=row.report_category,
        report_place=_place_gid(row.report_place),
        choices=list(round_table.allowed_choices(row)),
        one_vote_per_household=row.one_vote_per_household,
        is_open=row.closed_at is None,
        results=[s.VoteCount(choice=r.choice, votes=r.votes) for r in found.get(row.id, [])],
        my_vote=mine.get(row.id),
        decision=row.decision,
        follow_up_by=None
        if row.follow_up_by_id is None
        else relay.GlobalID("User", str(row.follow_up_by_id)),
        follow_up=row.follow_up,
    )


async def _topic_type(viewer: Viewer, row: TopicRow) -> s.AgendaTopic:
    return _topic(row, await round_table.results([row.id]), await round_table.my_votes(viewer, [row.id]))


async def _get_meeting(viewer: Viewer, value: str, field: str = "meetingId") -> MeetingRow:
    viewer.require_user()
    return await round_table.get_meeting(viewer, decode_global_id(value, "Meeting", field), field)


async def meetings_list(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[s.Meeting]:
    viewer, cid = info.context.viewer, _community(community_id)
    viewer.require_user()
    size, before_id = clamp_first(first), decode_cursor(after)
    rows = await round_table.meetings(viewer, cid, size, before_id)
    return connection(
        rows[:size], len(rows) > size, _meeting, lambda: round_table.meeting_count(cid), before_id
    )


async def meeting_agenda(info: Info, meeting_id: strawberry.ID) -> s.MeetingAgenda:
    viewer = info.context.viewer
    meeting = await _get_meeting(viewer, meeting_id)
    rows = await round_table.topics_of(viewer, meeting)
    ids = [row.id for row in rows]
    found, mine = await round_table.results(ids), await round_table.my_votes(viewer, ids)
    return s.MeetingAgenda(
        meeting=_meeting(meeting),
        attendance_count=await round_table.attendance_count(meeting.id),
        topics=[_topic(row, found, mine) for row in rows],
    )


async def round_table_suggestions(info: Info, community_id: strawberry.ID) -> list[s.ReportCluster]:
    viewer = info.context.viewer
    viewer.require_user()
    rows = await round_table.suggested_clusters(viewer, _community(community_id))
    return [
        s.ReportCluster(
            place=relay.GlobalID(r.place_type, str(r.place_id)), category=r.category, reports=r.reports
        )
        for r in rows
    ]


async def meeting_check_in_code(info: Info, meeting_id: strawberry.ID) -> s.MeetingCheckInCode:
    viewer = info.context.viewer
    code, seconds = round_table.meeting_code(viewer, await _get_meeting(viewer, meeting_id))
    return s.MeetingCheckInCode(code=code, seconds_to_rotation=seconds)


async def meeting_create(info: Info, input: s.MeetingCreateInput) -> s.MeetingPayload:
    async def work() -> s.MeetingPayload:
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
        return s.MeetingPayload(meeting=_meeting(row))

    return await guarded(s.MeetingPayload, work())


async def agenda_topic_add(info: Info, input: s.AgendaTopicAddInput) -> s.AgendaTopicPayload:
    async def work() -> s.AgendaTopicPayload:
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
        return s.AgendaTopicPayload(topic=await _topic_type(viewer, row))

    return await guarded(s.AgendaTopicPayload, work())


async def _get_topic(viewer: Viewer, value: str) -> TopicRow:
    viewer.require_user()
    return await round_table.get_topic(viewer, decode_global_id(value, "AgendaTopic", "topicId"))


async def topic_vote(info: Info, input: s.TopicVoteInput) -> s.AgendaTopicPayload:
    async def work() -> s.AgendaTopicPayload:
        viewer = info.context.viewer
        topic = await _get_topic(viewer, input.topic_id)
        await round_table.vote(viewer, topic, input.choice)
        return s.AgendaTopicPayload(topic=await _topic_type(viewer, topic))

    return await guarded(s.AgendaTopicPayload, work())


async def topic_close(info: Info, input: s.TopicCloseInput) -> s.AgendaTopicPayload:
    async def work() -> s.AgendaTopicPayload:
        viewer = info.context.viewer
        topic = await _get_topic(viewer, input.topic_id)
        follow = (
            None
            if input.follow_up_by_id is None
            else decode_global_id(input.follow_up_by_id, "User", "followUpById")
        )
        row = await round_table.close(viewer, topic, input.decision, follow, input.follow_up)
        return s.AgendaTopicPayload(topic=await _topic_type(viewer, row))

    return await guarded(s.AgendaTopicPayload, work())


async def meeting_check_in(info: Info, input: s.MeetingCheckInInput) -> s.MeetingCheckInPayload:
    async def work() -> s.MeetingCheckInPayload:
        viewer = info.context.viewer
        row = await round_table.check_in(viewer, await _get_meeting(viewer, input.meeting_id), input.code)
        return s.MeetingCheckInPayload(checked_in_at=row.checked_in_at)

    return await guarded(s.MeetingCheckInPayload, work())
