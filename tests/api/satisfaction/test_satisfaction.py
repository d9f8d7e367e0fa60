"""Satisfaction: repair ratings and survey answers, per month and per team."""

from __future__ import annotations

from datetime import timedelta

from models.teams import Team, TeamKind, TeamMember
from runtime import clock
from runtime.clock import MovableClock
from services.tokens import issue_access_token
from tests.support import voice
from tests.support.graphql import GraphQLClient
from tests.support.people import gid
from tests.support.reports import ReportsApi, make_cast


async def test_ratings_and_surveys_roll_up_by_month_and_team(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    now = clock.now()
    team = await Team.create(
        community_id=cast.place.community.id, name="维修队", kind=TeamKind.REPAIR, created_at=now
    )
    await TeamMember.create(
        community_id=cast.place.community.id, team=team, user_id=cast.repairer.user.id, joined_at=now
    )
    reports = ReportsApi(api)
    await voice.repaired(reports, cast, rating=5)
    await voice.repaired(reports, cast, rating=2, category="PLUMBING")

    cid, staff = cast.community_id, cast.staff.token
    create = {
        "input": {
            "communityId": cid,
            "title": "维修队服务满意度",
            "questions": ["上门及时吗？", "修得好吗？"],
            "opensAt": now.isoformat(),
            "closesAt": (now + timedelta(days=7)).isoformat(),
            "teamId": gid("Team", team.id),
        }
    }
    assert await api.error_codes(voice.SURVEY_CREATE, create, cast.resident.token) == ["FORBIDDEN"]
    survey = (await voice.ok(api, voice.SURVEY_CREATE, create, staff))["survey"]
    answer = {"input": {"surveyId": survey["id"], "scores": [4, 6]}}
    assert await voice.codes(api, voice.SURVEY_ANSWER, answer, cast.resident.token) == ["INVALID_INPUT"]
    answer["input"]["scores"] = [4]
    assert await voice.codes(api, voice.SURVEY_ANSWER, answer, cast.resident.token) == ["INVALID_INPUT"]
    answer["input"]["scores"] = [4, 3]
    assert (await voice.ok(api, voice.SURVEY_ANSWER, answer, cast.resident.token))["answered"] is True
    assert await voice.codes(api, voice.SURVEY_ANSWER, answer, cast.resident.token) == ["ALREADY_ANSWERED"]
    assert await voice.codes(api, voice.SURVEY_ANSWER, answer, cast.outsider.token) == ["NOT_FOUND"]

    year = int(voice.this_month()[:4])
    months = (await api.data(voice.BY_MONTH, {"c": cid, "year": year}, cast.neighbour.token))[
        "satisfactionByMonth"
    ]
    assert len(months) == 1 and months[0]["month"] == voice.this_month()
    assert months[0]["repairs"] == {"count": 2, "ratePercent": 50.0, "average": 3.5}
    assert months[0]["surveys"] == {"count": 2, "ratePercent": 50.0}
    assert months[0]["overall"] == {"count": 4, "ratePercent": 50.0}
    teams = (await api.data(voice.BY_TEAM, {"c": cid, "year": year}, cast.neighbour.token))[
        "satisfactionByTeam"
    ]
    assert teams == [
        {
            "team": gid("Team", team.id),
            "teamName": "维修队",
            "month": voice.this_month(),
            "tally": {"count": 4, "ratePercent": 50.0},
        }
    ]

    moved_clock.advance(days=8)
    token, _ = issue_access_token(cast.neighbour.user.id)
    late = {"input": {"surveyId": survey["id"], "scores": [5, 5]}}
    assert await voice.codes(api, voice.SURVEY_ANSWER, late, token) == ["SURVEY_CLOSED"]
