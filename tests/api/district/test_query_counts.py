"""A queue of dispatches costs the same number of statements with 2 items as with 10, each with
its timeline, street, department and district: no N+1."""

from __future__ import annotations

from tests.conftest import QueryCounter
from tests.support.district import ASSIGN, DISPATCH_FIELDS, STREET_CLAIM, DistrictApi, Town
from tests.support.graphql import GraphQLClient
from tests.support.people import gid

QUEUE = f"query Q {{ dispatchQueue(queue: MINE, first: 50) {{ nodes {{ {DISPATCH_FIELDS} }} }} }}"


async def _snaps(district_api: DistrictApi, town: Town, n: int) -> None:
    department = gid("Department", town.zhujian.id)
    for _ in range(n):
        dispatch = (await district_api.snap(town))["dispatch"]["id"]
        await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch)
        await district_api.move(ASSIGN, town.liaison, dispatchId=dispatch, departmentId=department)


async def test_the_queue_costs_the_same_for_two_or_ten(
    district_api: DistrictApi, api: GraphQLClient, town: Town, queries: QueryCounter
) -> None:
    await _snaps(district_api, town, 2)
    queries.statements.clear()
    small = await api.data(QUEUE, token=town.courier.token)
    few = queries.count
    await _snaps(district_api, town, 8)
    queries.statements.clear()
    large = await api.data(QUEUE, token=town.courier.token)
    assert len(small["dispatchQueue"]["nodes"]) == 2 and len(large["dispatchQueue"]["nodes"]) == 10
    assert all(len(d["timeline"]) == 3 for d in large["dispatchQueue"]["nodes"])
    assert queries.count == few
