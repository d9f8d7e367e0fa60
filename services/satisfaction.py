"""Satisfaction: the 1–5 ratings residents give confirmed repairs, and the answers to the office's
periodic surveys, rolled up into a rate per month and per team.

The rate is the share of scores of 4 or 5 ("satisfied" or "very satisfied"), the measure the
community reports; the average is given beside it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.places import Community
from models.reports import Report, ReportState
from models.teams import Team, TeamKind, TeamMember
from models.voice import Survey, SurveyResponse
from points_engine.localtime import local_month
from runtime import clock
from runtime.i18n import N_
from services.access import Viewer
from services.errors import DomainError, ErrorCode

SATISFIED = 4
MAX_QUESTIONS = 10


@dataclass
class Tally:
    scores: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def rate_percent(self) -> float | None:
        if not self.scores:
            return None
        return round(100 * sum(1 for s in self.scores if s >= SATISFIED) / len(self.scores), 1)

    @property
    def average(self) -> float | None:
        return round(sum(self.scores) / len(self.scores), 2) if self.scores else None


@dataclass(frozen=True)
class MonthSatisfaction:
    month: str
    repairs: Tally
    surveys: Tally
    overall: Tally


@dataclass(frozen=True)
class TeamSatisfaction:
    team_id: int
    team_name: str
    month: str
    tally: Tally


async def create_survey(
    viewer: Viewer,
    community_id: int,
    title: str,
    questions: list[str],
    opens_at: datetime,
    closes_at: datetime,
    team_id: int | None = None,
) -> Survey:
    viewer.require_manager(community_id)
    name = title.strip()
    if not name or len(name) > 200:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Give the survey a title (at most 200)."), "title")
    asked = [q.strip() for q in questions]
    if not 1 <= len(asked) <= MAX_QUESTIONS or any(not q or len(q) > 200 for q in asked):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("1 to {max_questions} questions, each 1–200 characters."),
            "questions",
            max_questions=MAX_QUESTIONS,
        )
    if closes_at <= opens_at:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("A survey closes after it opens."), "closesAt")
    if team_id is not None and not await Team.exists(id=team_id, community_id=community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such team."), "teamId")
    return await Survey.create(
        community_id=community_id,
        team_id=team_id,
        title=name,
        questions=asked,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by_id=viewer.user_id,
        created_at=clock.now(),
    )


async def get_survey(viewer: Viewer, survey_id: int, field: str = "surveyId") -> Survey:
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None or not viewer.is_member(survey.community_id):
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such survey."), field)
    return survey


async def answer(viewer: Viewer, survey: Survey, scores: list[int]) -> SurveyResponse:
    viewer.require_member(survey.community_id)
    now = clock.now()
    if not survey.opens_at <= now < survey.closes_at:
        raise DomainError(ErrorCode.SURVEY_CLOSED, N_("This survey is not open."), "surveyId")
    if len(scores) != len(survey.questions):
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Answer every question once."), "scores")
    if any(not 1 <= s <= 5 for s in scores):
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Each answer is 1 to 5."), "scores")
    timezone = (await Community.get(id=survey.community_id)).timezone
    try:
        async with in_transaction():
            return await SurveyResponse.create(
                survey_id=survey.id,
                community_id=survey.community_id,
                user_id=viewer.user_id,
                scores=list(scores),
                month=local_month(now, timezone),
                created_at=now,
            )
    except IntegrityError as exc:
        raise DomainError(ErrorCode.ALREADY_ANSWERED, N_("You answered this survey."), "surveyId") from exc


async def surveys(viewer: Viewer, community_id: int, first: int, before_id: int | None) -> list[Survey]:
    viewer.require_member(community_id)
    query = Survey.filter(community_id=community_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(await query.order_by("-id").limit(first + 1))


async def survey_count(community_id: int) -> int:
    return await Survey.filter(community_id=community_id).count()


async def answered_by_me(viewer: Viewer, survey_ids: list[int]) -> set[int]:
    if viewer.user is None or not survey_ids:
        return set()
    rows = await SurveyResponse.filter(survey_id__in=survey_ids, user_id=viewer.user.id).values_list(
        "survey_id", flat=True
    )
    return {int(str(row)) for row in rows}


async def _repair_ratings(community_id: int, timezone: str, year: str) -> list[tuple[str, int, int | None]]:
    """(month, rating, repairer) of rated confirmed repairs, by the month they were confirmed."""
    rows = await Report.filter(
        community_id=community_id, state=ReportState.CONFIRMED, rating__not_isnull=True
    ).values("closed_at", "rating", "claimed_by_id")
    found = []
    for row in rows:
        month = local_month(row["closed_at"], timezone)
        if month.startswith(year):
            found.append((month, int(row["rating"]), row["claimed_by_id"]))
    return found


async def by_month(viewer: Viewer | None, community_id: int, year: str) -> list[MonthSatisfaction]:
    """`viewer` None: the public notice board, which checked publicity itself."""
    if viewer is not None:
        viewer.require_member(community_id)
    timezone = (await Community.get(id=community_id)).timezone
    repairs: dict[str, Tally] = defaultdict(Tally)
    surveyed: dict[str, Tally] = defaultdict(Tally)
    for month, rating, _ in await _repair_ratings(community_id, timezone, year):
        repairs[month].scores.append(rating)
    for row in await SurveyResponse.filter(community_id=community_id, month__startswith=year).values(
        "month", "scores"
    ):
        surveyed[row["month"]].scores.extend(int(s) for s in row["scores"])
    months = sorted(set(repairs) | set(surveyed))
    return [
        MonthSatisfaction(m, repairs[m], surveyed[m], Tally(repairs[m].scores + surveyed[m].scores))
        for m in months
    ]


async def by_team(viewer: Viewer | None, community_id: int, year: str) -> list[TeamSatisfaction]:
    """Repair ratings go to the repair teams the repairer belongs to; survey answers to the team a
    survey is about. Ratings of repairs by someone in no repair team are not attributable."""
    if viewer is not None:
        viewer.require_member(community_id)
    timezone = (await Community.get(id=community_id)).timezone
    teams = {t.id: t for t in await Team.filter(community_id=community_id)}
    repair_teams_of: dict[int, list[int]] = defaultdict(list)
    for member in await TeamMember.filter(
        community_id=community_id, team_id__in=[t.id for t in teams.values() if t.kind == TeamKind.REPAIR]
    ).values("team_id", "user_id"):
        repair_teams_of[member["user_id"]].append(member["team_id"])
    tallies: dict[tuple[int, str], Tally] = defaultdict(Tally)
    for month, rating, repairer in await _repair_ratings(community_id, timezone, year):
        for team_id in repair_teams_of.get(repairer or 0, []):
            tallies[(team_id, month)].scores.append(rating)
    survey_team = dict(
        await Survey.filter(community_id=community_id, team_id__not_isnull=True).values_list("id", "team_id")
    )
    if survey_team:
        for row in await SurveyResponse.filter(
            survey_id__in=list(survey_team), month__startswith=year
        ).values("survey_id", "month", "scores"):
            tallies[(survey_team[row["survey_id"]], row["month"])].scores.extend(
                int(s) for s in row["scores"]
            )
    return [
        TeamSatisfaction(team_id, teams[team_id].name, month, tally)
        for (team_id, month), tally in sorted(tallies.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
