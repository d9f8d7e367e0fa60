"""The district roles in the authorization matrix: who reads a dispatch, who acts on it at each
step, who sees the ranking and the roll-up — and that nothing private (phones, care tags,
households) reaches a street or district role."""

from __future__ import annotations

import json
from typing import Any

from models.enums import CareTagKind
from models.places import HouseholdCareTag
from tests.support.district import (
    ASSIGN,
    DEPARTMENT_CLAIM,
    FEEDBACK,
    RANKING,
    ROLLUP,
    STREET_CLAIM,
    DistrictApi,
    Town,
)
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid
from tests.support.photos import jpeg_with_gps

PHOTOS = "query R($id: ID!) { dispatch(id: $id) { photos { kind url } } }"
REFUSED = {"NOT_FOUND", "OUT_OF_JURISDICTION", "FORBIDDEN", "UNAUTHENTICATED"}


def _people(town: Town) -> dict[str, Person]:
    return {
        "courier": town.courier,
        "liaison": town.liaison,
        "east_liaison": town.east_liaison,
        "builder": town.builder,
        "sweeper": town.sweeper,
        "coordinator": town.coordinator,
        "stranger": town.stranger,
        "resident": town.resident,
        "staff": town.staff,
    }


async def _codes(district_api: DistrictApi, query: str, person: Person, **payload: Any) -> set[str]:
    result = await district_api.move(query, person, **payload)
    return {e["code"] for e in result["errors"]}


async def test_who_reads_a_street_dispatch_at_each_step(district_api: DistrictApi, town: Town) -> None:
    dispatch = (await district_api.snap(town))["dispatch"]["id"]
    people = _people(town)

    async def readers() -> set[str]:
        return {
            name for name, person in people.items() if await district_api.read(dispatch, person) is not None
        }

    # the reporter, the street's liaison and the coordinator; no community holds a street spot
    assert await readers() == {"courier", "liaison", "coordinator"}
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch)
    await district_api.move(
        ASSIGN, town.liaison, dispatchId=dispatch, departmentId=gid("Department", town.zhujian.id)
    )
    # and the department it went to, not the others
    assert await readers() == {"courier", "liaison", "coordinator", "builder"}


async def test_who_sees_a_dispatchs_photos_and_the_departments_proof(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    dispatch = (await district_api.snap(town))["dispatch"]["id"]
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch)
    await district_api.move(
        ASSIGN, town.liaison, dispatchId=dispatch, departmentId=gid("Department", town.zhujian.id)
    )
    await district_api.move(DEPARTMENT_CLAIM, town.builder, dispatchId=dispatch)
    fed = await district_api.move(
        FEEDBACK, town.builder, photos=[jpeg_with_gps()], dispatchId=dispatch, note="已修复"
    )
    assert fed["errors"] == []
    shown: dict[str, list[str]] = {}
    for name, person in _people(town).items():
        found = (await api.data(PHOTOS, {"id": dispatch}, person.token))["dispatch"]
        if found is not None:
            shown[name] = [p["kind"] for p in found["photos"] if p["url"]]
    # the readers of the dispatch, each with the courier's photo and the proof; nobody else
    assert shown == {name: ["REPORT", "PROOF"] for name in ("courier", "liaison", "builder", "coordinator")}


async def test_who_may_take_each_step(district_api: DistrictApi, town: Town) -> None:
    people = _people(town)
    dispatch = (await district_api.snap(town))["dispatch"]["id"]
    # the street claim: the street's own liaison only
    for name, person in people.items():
        if name == "liaison":
            continue
        assert await _codes(district_api, STREET_CLAIM, person, dispatchId=dispatch) & REFUSED, name
    assert await _codes(district_api, STREET_CLAIM, town.liaison, dispatchId=dispatch) == set()
    department = gid("Department", town.zhujian.id)
    for name, person in people.items():
        if name == "liaison":
            continue
        codes = await _codes(district_api, ASSIGN, person, dispatchId=dispatch, departmentId=department)
        assert codes & REFUSED, name
    assert (
        await _codes(district_api, ASSIGN, town.liaison, dispatchId=dispatch, departmentId=department)
        == set()
    )
    # the department claim: members of the department it went to
    for name, person in people.items():
        if name == "builder":
            continue
        assert await _codes(district_api, DEPARTMENT_CLAIM, person, dispatchId=dispatch) & REFUSED, name
    assert await _codes(district_api, DEPARTMENT_CLAIM, town.builder, dispatchId=dispatch) == set()


async def test_ranking_and_rollup_by_role_without_private_data(
    district_api: DistrictApi, api: GraphQLClient, town: Town
) -> None:
    await HouseholdCareTag.create(
        community_id=town.place.community.id,
        household_id=town.place.households[0].id,
        kind=CareTagKind.HARDSHIP,
    )
    dispatch = (await district_api.snap(town))["dispatch"]["id"]
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch)
    month = {"d": town.district_id, "m": "2026-11"}
    seen: list[Any] = []
    for name, person in _people(town).items():
        ranking = await api.post(RANKING, month, person.token)
        rollup = await api.post(ROLLUP, month, person.token)
        in_district = name not in ("stranger", "resident", "staff")
        assert (
            (ranking.get("data") or {}).get("outpostRanking") is not None
            if in_district
            else "errors" in ranking
        )
        shows_rollup = name in ("liaison", "east_liaison", "builder", "sweeper", "coordinator")
        assert ("errors" not in rollup) is shows_rollup, name
        seen += [ranking, rollup, await district_api.read(dispatch, person)]
    text = json.dumps(seen, ensure_ascii=False)
    for person in _people(town).values():
        assert person.phone not in text and person.phone[3:] not in text
    assert "HARDSHIP" not in text and "hardship" not in text and "301" not in text
