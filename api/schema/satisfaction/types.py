"""Satisfaction (满意度): surveys and their tallies per month and per team.

The GraphQL types of the area."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from api.schema.common import UserError


@strawberry.type(description="Scores of 1–5; the rate is the share of 4s and 5s.")
class SatisfactionTally:
    count: int
    rate_percent: float | None
    average: float | None


@strawberry.type
class MonthSatisfaction:
    month: str
    repairs: SatisfactionTally = strawberry.field(description="Ratings of confirmed repairs.")
    surveys: SatisfactionTally = strawberry.field(description="Survey answers.")
    overall: SatisfactionTally


@strawberry.type(description="Satisfaction attributable to one team in one month.")
class TeamSatisfaction:
    team: relay.GlobalID
    team_name: str
    month: str
    tally: SatisfactionTally


@strawberry.type(description="A short survey; every question is answered 1 (poor) to 5 (very good).")
class Survey(relay.Node):
    id: relay.NodeID[int]
    title: str
    questions: list[str]
    opens_at: datetime
    closes_at: datetime
    team: relay.GlobalID | None
    answered_by_me: bool


@strawberry.input
class SurveyCreateInput:
    community_id: strawberry.ID
    title: str
    questions: list[str]
    opens_at: datetime
    closes_at: datetime
    team_id: strawberry.ID | None = None


@strawberry.input
class SurveyAnswerInput:
    survey_id: strawberry.ID
    scores: list[int] = strawberry.field(description="One score 1–5 per question, in order.")


@strawberry.type
class SurveyPayload:
    survey: Survey | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SurveyAnswerPayload:
    answered: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


# Notice board ----------------------------------------------------------------------------------
