"""A report's life pays red points through the engine: the reporter when the report proves valid,
the repairer only when the fix is confirmed; a rejection takes the reporter's points back."""

from __future__ import annotations

from typing import Any

from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid
from tests.support.reports import CLAIM, CONFIRM, REJECT, ReportsApi, make_cast

BALANCE = (
    "query($c: ID!) { myPoints(communityId: $c) { balance history(first: 10) { nodes { kind amount } } } }"
)


async def balance(api: GraphQLClient, person: Person, community_id: int) -> int:
    data: dict[str, Any] = await api.data(BALANCE, {"c": gid("Community", community_id)}, person.token)
    value: int = data["myPoints"]["balance"]
    return value


async def test_the_reporter_earns_on_claim_and_the_repairer_on_confirmation(
    reports_api: ReportsApi, api: GraphQLClient
) -> None:
    cast = await make_cast()
    community = cast.place.community.id
    report = (await reports_api.create(cast))["report"]

    assert await balance(api, cast.resident, community) == 0
    await reports_api.move(CLAIM, cast.repairer, reportId=report["id"])
    after_claim = await balance(api, cast.resident, community)
    resolved = await reports_api.resolve(report["id"], cast.repairer)
    assert resolved["errors"] == []
    assert await balance(api, cast.repairer, community) == 0  # a fix nobody confirmed earns nothing
    confirmed = await reports_api.move(CONFIRM, cast.resident, reportId=report["id"], rating=5)
    assert confirmed["errors"] == []

    assert after_claim > 0
    assert await balance(api, cast.resident, community) == after_claim  # paid once, not again on resolve
    assert await balance(api, cast.repairer, community) > 0


async def test_a_rejected_report_takes_back_what_it_paid(reports_api: ReportsApi, api: GraphQLClient) -> None:
    cast = await make_cast()
    community = cast.place.community.id
    report = (await reports_api.create(cast))["report"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report["id"])
    assert await balance(api, cast.resident, community) > 0

    rejected = await reports_api.move(REJECT, cast.staff, reportId=report["id"], reason="INVALID")

    assert rejected["errors"] == []
    assert await balance(api, cast.resident, community) == 0
