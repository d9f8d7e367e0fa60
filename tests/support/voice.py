"""Operations of the residents' voice and open-books screens, and a community to run them in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from models.boards import MonthClose
from models.enums import Role
from points_engine.localtime import local_month
from runtime import clock
from services.corridor_flag import DEFAULT_WEIGHTS
from services.photo_storage import LocalDiskStorage, use_storage
from tests.support.graphql import GraphQLClient
from tests.support.people import Neighbourhood, Person, gid, make_neighbourhood, make_person
from tests.support.reports import CLAIM, CONFIRM, Cast, ReportsApi

OPINION_FIELDS = (
    "opinion { id kind topic text status supportCount answer action isMine supportedByMe } "
    "errors { code field }"
)
POST = f"mutation P($input: OpinionPostInput!) {{ opinionPost(input: $input) {{ {OPINION_FIELDS} }} }}"
SUPPORT = (
    f"mutation S($input: OpinionSupportInput!) {{ opinionSupport(input: $input) {{ {OPINION_FIELDS} }} }}"
)
ANSWER = f"mutation A($input: OpinionAnswerInput!) {{ opinionAnswer(input: $input) {{ {OPINION_FIELDS} }} }}"
DONE = f"mutation D($input: OpinionDoneInput!) {{ opinionDone(input: $input) {{ {OPINION_FIELDS} }} }}"
COUNTS = (
    "query C($c: ID!) { opinionCounts(communityId: $c) { collected open adopted done answered declined } }"
)
LIST = """
query L($c: ID!, $status: OpinionStatus, $first: Int) {
  opinions(communityId: $c, status: $status, first: $first) {
    totalCount nodes { id status supportCount supportedByMe isMine }
  }
}"""
RECORD = """
mutation R($input: AccountEntryRecordInput!) {
  accountEntryRecord(input: $input) {
    entry { id month category isIncome amount memo brandModel corrects }
    errors { code field }
  }
}"""
STATEMENT = """
query St($c: ID!, $month: String!) {
  accountStatement(communityId: $c, month: $month) {
    month income spending balance
    categories { category isIncome amount sharePercent }
    entries { id category amount brandModel corrects }
    repairMaterials { report item brandModel quantity cost }
    repairMaterialsTotal
  }
}"""
SURVEY_CREATE = """
mutation SC($input: SurveyCreateInput!) {
  surveyCreate(input: $input) { survey { id title questions team answeredByMe } errors { code field } }
}"""
SURVEY_ANSWER = """
mutation SA($input: SurveyAnswerInput!) { surveyAnswer(input: $input) { answered errors { code field } } }
"""
BY_MONTH = """
query BM($c: ID!, $year: Int!) {
  satisfactionByMonth(communityId: $c, year: $year) {
    month repairs { count ratePercent average } surveys { count ratePercent } overall { count ratePercent }
  }
}"""
BY_TEAM = """
query BT($c: ID!, $year: Int!) {
  satisfactionByTeam(communityId: $c, year: $year) { team teamName month tally { count ratePercent } }
}"""
PUBLICITY_SET = """
mutation PS($input: BoardPublicitySetInput!) {
  boardPublicitySet(input: $input) {
    publicity { flag volunteers repairs satisfaction accounts url } errors { code }
  }
}"""
REPAIRS_DONE = (
    "query RD($c: ID!, $m: String!) { repairsDone(communityId: $c, month: $m) { done onTime onTimePercent } }"
)


@dataclass
class Folk:
    place: Neighbourhood
    staff: Person
    residents: list[Person]

    @property
    def community_id(self) -> str:
        return gid("Community", self.place.community.id)


async def make_folk(slug: str = "hongxing") -> Folk:
    place = await make_neighbourhood(slug=slug)
    staff = await make_person(place.community, (Role.STAFF,), name="office")
    residents = [
        await make_person(place.community, (Role.RESIDENT,), household=place.households[i % 2], name=f"r{i}")
        for i in range(3)
    ]
    return Folk(place, staff, residents)


async def payload(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    data = await api.data(query, variables, token)
    return next(iter(data.values()))  # type: ignore[no-any-return]


async def ok(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    found = await payload(api, query, variables, token)
    assert found["errors"] == [], found["errors"]
    return found


async def codes(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> list[str]:
    return [e["code"] for e in (await payload(api, query, variables, token))["errors"]]


async def repaired(reports: ReportsApi, cast: Cast, rating: int, category: str = "LIGHTING") -> str:
    """A report filed, claimed, fixed with a bulb (25.80 yuan) and confirmed with `rating`."""
    created = await reports.create(cast, category=category)
    report_id: str = created["report"]["id"]
    assert (await reports.move(CLAIM, cast.repairer, reportId=report_id))["errors"] == []
    assert (await reports.resolve(report_id, cast.repairer))["errors"] == []
    confirmed = await reports.move(CONFIRM, cast.resident, reportId=report_id, rating=rating)
    assert confirmed["errors"] == [], confirmed["errors"]
    return report_id


def this_month() -> str:
    return local_month(clock.now(), "Asia/Shanghai")


async def hang_flag(place: Neighbourhood) -> None:
    """Last month's civilized-corridor flag won by the place's entrance (休闲小区 4号楼 2单元), so
    it hangs there this month."""
    month = this_month()
    year, number = int(month[:4]), int(month[5:])
    before = f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    await MonthClose.create(
        community=place.community,
        month=before,
        holds_month=month,
        entrance=place.entrance,
        score=91.5,
        weights=dict(DEFAULT_WEIGHTS),
        breakdown=[],
        ranks=[],
        closed_at=clock.now(),
    )


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    """Autouse in the conftest of each voice area: repairs these tests run upload photos;
    keep them in the test's own folder, not the tree."""
    folder = tmp_path / "photos"
    previous = use_storage(LocalDiskStorage(folder))
    yield folder
    use_storage(previous)
