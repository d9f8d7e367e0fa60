"""The teams the community runs, with their captains and members.

Staff create each team and appoint its captain; volunteers ask to join and the captain approves,
as in the app. A few requests to the printed captain's team are left waiting, for the captain's
first screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from models.teams import Team, TeamKind
from services import teams as team_service
from services.access import Viewer
from services.demo.story import Story


@dataclass(frozen=True)
class TeamPlan:
    name: str
    kind: TeamKind
    members: int  # besides the captain, drawn from the volunteers


# The six teams DESIGN.md names, in the order people.py gives their captains; then the cleaners'
# team, whose activities carry the cleaning log.
TEAMS = (
    TeamPlan("红色维修队", TeamKind.REPAIR, 0),  # the repairers join it: see below
    TeamPlan("银发巡河队", TeamKind.RIVER_PATROL, 28),
    TeamPlan("红色调解室", TeamKind.MEDIATION, 11),
    TeamPlan("邻里互助团", TeamKind.MUTUAL_AID, 60),
    TeamPlan("四点半课堂", TeamKind.TUTORING, 6),  # seven retired teachers with the captain
    TeamPlan("清雪突击队", TeamKind.SNOW_CLEARING, 45),
)
CLEANING_TEAM = TeamPlan("楼道保洁组", TeamKind.CLEANING, 0)
# Join requests the printed captain (银发巡河队) finds waiting.
PENDING_REQUESTS = 3


async def seed(story: Story) -> None:
    cast = story.cast
    admin = await story.viewer(cast.admin)
    story.at(story.month_start(2) - timedelta(days=20))
    plain = [v for v in cast.volunteers if v not in cast.captains and v not in cast.repairers]
    rng = story.rng
    shuffled = plain[:]
    rng.shuffle(shuffled)
    # The printed volunteer clears snow and helps neighbours: both teams have activities to show.
    printed = cast.logins["volunteer"]
    shuffled.remove(printed)
    shuffled.insert(0, printed)
    cursor = 1
    for index, plan in enumerate(TEAMS):
        team = await team_service.create_team(admin, story.community.id, plan.name, plan.kind)
        captain_id = cast.captains[index]
        await team_service.appoint_captain(admin, team, captain_id)
        story.teams[plan.kind] = team
        if plan.kind == TeamKind.REPAIR:
            members = [r for r in cast.repairers if r != captain_id]
        elif plan.kind in (TeamKind.SNOW_CLEARING, TeamKind.MUTUAL_AID):
            # The printed volunteer is in both; the rest of these big teams overlap the others.
            members = [printed, *rng.sample(shuffled[1:], plan.members - 1)]
        else:
            members = shuffled[cursor : cursor + plan.members]
            cursor += plan.members
        await _join(story, team, captain_id, members)
    cleaners = await _cleaning_team(story, admin)
    story.teams[TeamKind.CLEANING] = cleaners
    # Everyone else who volunteers lends a hand to 邻里互助团, the catch-all of the community.
    in_a_team = {m for members in story.members.values() for m in members}
    mutual = story.teams[TeamKind.MUTUAL_AID]
    rest = [v for v in plain if v not in in_a_team]
    await _join(story, mutual, cast.captains[3], rest, already=story.members[mutual.id])
    # Newcomers asking to patrol the river: the captain has not decided yet.
    patrol = story.teams[TeamKind.RIVER_PATROL]
    story.at(story.recent(days=2))
    for user_id in rng.sample([v for v in plain if v not in story.members[patrol.id]], PENDING_REQUESTS):
        await team_service.request_join(await story.viewer(user_id), patrol)


async def _join(
    story: Story, team: Team, captain_id: int, members: list[int], already: list[int] | None = None
) -> None:
    captain = await story.viewer(captain_id)
    joined = story.members.setdefault(team.id, already if already is not None else [captain_id])
    for user_id in members:
        request = await team_service.request_join(await story.viewer(user_id), team)
        await team_service.decide_join(captain, request.id, approve=True)
        joined.append(user_id)


async def _cleaning_team(story: Story, admin: Viewer) -> Team:
    cast = story.cast
    team = await team_service.create_team(admin, story.community.id, CLEANING_TEAM.name, CLEANING_TEAM.kind)
    # The second cleaner leads, so the printed cleaner's first screen is the inspections.
    captain_id = cast.cleaners[1]
    await team_service.appoint_captain(admin, team, captain_id)
    await _join(story, team, captain_id, [c for c in cast.cleaners if c != captain_id])
    return team
