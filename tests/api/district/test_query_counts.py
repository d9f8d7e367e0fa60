"""A queue of dispatches costs the same number of statements with 2 items as with 10, each with
its timeline, street, department, district and photos: no N+1. Photos are read only when asked
for: one statement for the page, none for an answer without them."""

from __future__ import annotations

from tests.conftest import QueryCounter
from tests.support.district import (
    ASSIGN,
    CONFIRM,
    DEPARTMENT_CLAIM,
    DISPATCH_FIELDS,
    FEEDBACK,
    READ,
    STREET_CLAIM,
    DistrictApi,
    Town,
)
from tests.support.graphql import GraphQLClient
from tests.support.people import gid
from tests.support.photos import png

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


PHOTO_QUEUE = (
    "query Q { dispatchQueue(queue: MINE, first: 50) "
    f"{{ nodes {{ {DISPATCH_FIELDS} photos {{ id kind url }} }} }} }}"
)


async def _fed_back(district_api: DistrictApi, town: Town, n: int) -> None:
    """`n` snaps, each with the courier's photo and 住建's proof."""
    department = gid("Department", town.zhujian.id)
    for _ in range(n):
        dispatch = (await district_api.snap(town))["dispatch"]["id"]
        await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch)
        await district_api.move(ASSIGN, town.liaison, dispatchId=dispatch, departmentId=department)
        await district_api.move(DEPARTMENT_CLAIM, town.builder, dispatchId=dispatch)
        await district_api.move(FEEDBACK, town.builder, photos=[png()], dispatchId=dispatch, note="已修复")


async def test_the_queue_with_photos_costs_the_same_for_two_or_ten(
    district_api: DistrictApi, api: GraphQLClient, town: Town, queries: QueryCounter
) -> None:
    await _fed_back(district_api, town, 2)
    queries.statements.clear()
    await api.data(QUEUE, token=town.courier.token)
    without = queries.count
    queries.statements.clear()
    small = await api.data(PHOTO_QUEUE, token=town.courier.token)
    few = queries.count
    await _fed_back(district_api, town, 8)
    queries.statements.clear()
    large = await api.data(PHOTO_QUEUE, token=town.courier.token)
    assert len(small["dispatchQueue"]["nodes"]) == 2 and len(large["dispatchQueue"]["nodes"]) == 10
    assert all(
        [p["kind"] for p in d["photos"]] == ["REPORT", "PROOF"] for d in large["dispatchQueue"]["nodes"]
    )
    # one batched read of the page's photos when asked for, whatever its size
    assert few == without + 1 and queries.count == few
    assert sum('"dispatch_photo"' in s for s in queries.statements) == 1


def _photo_reads(queries: QueryCounter) -> int:
    return sum('"dispatch_photo"' in s for s in queries.statements)


async def test_a_dispatch_answer_without_photos_reads_no_photo(
    district_api: DistrictApi, api: GraphQLClient, town: Town, queries: QueryCounter
) -> None:
    # given a dispatch with the courier's photo and 住建's proof
    await _fed_back(district_api, town, 1)
    dispatch = (await api.data(QUEUE, token=town.courier.token))["dispatchQueue"]["nodes"][0]["id"]
    # when the courier reads it, then confirms it, without selecting photos
    queries.statements.clear()
    read = await api.data(READ, {"id": dispatch}, town.courier.token)
    assert read["dispatch"]["id"] == dispatch
    read_statements = queries.count
    assert _photo_reads(queries) == 0
    queries.statements.clear()
    confirmed = await district_api.move(CONFIRM, town.courier, dispatchId=dispatch, rating=5)
    assert confirmed["errors"] == [] and confirmed["dispatch"]["state"] == "CONFIRMED"
    # then neither touched dispatch_photo; asking for photos is the one statement more
    assert _photo_reads(queries) == 0
    queries.statements.clear()
    with_photos = await api.data(
        f"query R($id: ID!) {{ dispatch(id: $id) {{ {DISPATCH_FIELDS} photos {{ kind }} }} }}",
        {"id": dispatch},
        town.courier.token,
    )
    assert [p["kind"] for p in with_photos["dispatch"]["photos"]] == ["REPORT", "PROOF"]
    assert _photo_reads(queries) == 1 and queries.count == read_statements + 1
