"""Satisfaction (满意度): surveys and their tallies per month and per team.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.satisfaction import operations as resolve
from api.schema.common import Connection
from api.schema.satisfaction.types import (
    MonthSatisfaction,
    Survey,
    SurveyAnswerPayload,
    SurveyPayload,
    TeamSatisfaction,
)


@strawberry.type
class SatisfactionQuery:
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


@strawberry.type
class SatisfactionMutation:
    survey_create: SurveyPayload = strawberry.mutation(
        resolver=resolve.survey_create, description="Staff: a short satisfaction survey."
    )
    survey_answer: SurveyAnswerPayload = strawberry.mutation(
        resolver=resolve.survey_answer, description="Members: answer an open survey, once."
    )
