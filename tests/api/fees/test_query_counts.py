"""No statement per item: the fee lists cost the same with few rows as with many."""

from __future__ import annotations

from datetime import date

from models.fees import FeeBill, PaymentMethod
from models.places import Household
from services.fees import billing, payments
from tests.api.fees.support import run
from tests.conftest import QueryCounter
from tests.services.fees.support import FeeWorld, fee_world
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

TODAY = date(2026, 11, 23)


async def _statements(
    queries: QueryCounter, api: GraphQLClient, name: str, token: str, **variables: object
) -> int:
    before = queries.count
    await run(api, name, token, **variables)
    return queries.count - before


async def _grow(world: FeeWorld, households: int, payments_each: int) -> None:
    for n in range(households):
        await Household.create(
            community_id=world.community_id, entrance=world.place.entrance, number=f"9{n:02d}", area_m2="60"
        )
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    bill = await FeeBill.get(household_id=world.home.id)
    for _ in range(payments_each):
        await payments.record(
            world.staff_viewer, world.home.id, bill_ids=[bill.id], amount_fen=100, method=PaymentMethod.CASH
        )


async def test_fee_lists_cost_the_same_at_two_sizes(api: GraphQLClient, queries: QueryCounter) -> None:
    counts = []
    for slug, households, paid in (("small", 2, 1), ("large", 10, 6)):
        world = await fee_world(slug=slug, name=f"{slug}社区")
        await _grow(world, households, paid)
        cid = gid("Community", world.community_id)
        staff, resident = world.staff.token, world.resident.token
        counts.append(
            (
                await _statements(queries, api, "FeeBills", staff, communityId=cid, first=50),
                await _statements(queries, api, "FeeArrears", staff, communityId=cid),
                await _statements(queries, api, "MyFees", resident, communityId=cid),
                await _statements(queries, api, "FeeCollectionRates", resident, communityId=cid, year=2026),
            )
        )
    assert counts[0] == counts[1], counts
