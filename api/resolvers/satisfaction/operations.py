"""Satisfaction (满意度): surveys and their tallies per month and per team.

Resolvers of the queries and mutations of the area."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.resolvers.payloads import guarded
from api.schema.common import Connection
from api.schema.connections import connection
from api.schema.satisfaction import types
from models.voice import Survey as SurveyRow
from services import satisfaction
from services.paging import clamp_first


def _community(value: str) -> int:
    return decode_global_id(value, "Community", "communityId")


def _survey(row: SurveyRow, answered: set[int]) -> types.Survey:
    return types.Survey(
        id=row.id,
        title=row.title,
        questions=list(row.questions),
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        team=None if row.team_id is None else relay.GlobalID("Team", str(row.team_id)),
        answered_by_me=row.id in answered,
    )


def _tally(tally: satisfaction.Tally) -> types.SatisfactionTally:
    return types.SatisfactionTally(count=tally.count, rate_percent=tally.rate_percent, average=tally.average)


async def satisfaction_by_month(
    info: Info, community_id: strawberry.ID, year: int
) -> list[types.MonthSatisfaction]:
    viewer = info.context.viewer
    viewer.require_user()
    rows = await satisfaction.by_month(viewer, _community(community_id), f"{year:04d}")
    return [
        types.MonthSatisfaction(
            month=r.month, repairs=_tally(r.repairs), surveys=_tally(r.surveys), overall=_tally(r.overall)
        )
        for r in rows
    ]


async def satisfaction_by_team(
    info: Info, community_id: strawberry.ID, year: int
) -> list[types.TeamSatisfaction]:
    viewer = info.context.viewer
    viewer.require_user()
    rows = await satisfaction.by_team(viewer, _community(community_id), f"{year:04d}")
    return [
        types.TeamSatisfaction(
            team=relay.GlobalID("Team", str(r.team_id)),
            team_name=r.team_name,
            month=r.month,
            tally=_tally(r.tally),
        )
        for r in rows
    ]


async def surveys_list(
    info: Info, community_id: strawberry.ID, first: int | None = None, after: str | None = None
) -> Connection[types.Survey]:
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


async def survey_create(info: Info, input: types.SurveyCreateInput) -> types.SurveyPayload:
    async def work() -> types.SurveyPayload:
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
        return types.SurveyPayload(survey=_survey(row, set()))

    return await guarded(types.SurveyPayload, work())


async def survey_answer(info: Info, input: types.SurveyAnswerInput) -> types.SurveyAnswerPayload:
    async def work() -> types.SurveyAnswerPayload:
        viewer = info.context.viewer
        viewer.require_user()
        survey = await satisfaction.get_survey(
            viewer, decode_global_id(input.survey_id, "Survey", "surveyId")
        )
        await satisfaction.answer(viewer, survey, input.scores)
        return types.SurveyAnswerPayload(answered=True)

    return await guarded(types.SurveyAnswerPayload, work())
