"""Home observers: posted by the office, they record visits, take down residents' opinions (which
the office answers like any other) and step into disputes, referring one to the mediation room;
the month's counts for the 家园议事会."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from api.ids import decode_global_id
from models.mediation_room import MediationCase
from models.observers import DisputeIntervention, ObserverVisit, VisitOpinion
from models.voice import Opinion
from runtime.clock import MovableClock
from tests.api.mediation_room import support as m
from tests.support import voice
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood


async def test_an_observer_visits_takes_opinions_and_refers_a_dispute(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    room = await m.make_room(api)
    compound = gid("Compound", room.place.compound.id)
    posts = (await api.data(m.POSTS, {"c": room.cid}, room.residents[0].token))["observerPosts"]
    assert [(p["compoundName"], p["observerName"]) for p in posts] == [("休闲小区", "观察员王")]

    visit_input = {
        "compoundId": compound,
        "spot": "4号楼北侧车棚",
        "seen": "车棚顶棚漏雨，两户为停车位争吵",
        "idempotencyKey": "v-1",
    }
    visit = (await m.ok(api, m.VISIT, {"input": visit_input}, room.observer.token))["visit"]
    again = (await m.ok(api, m.VISIT, {"input": visit_input}, room.observer.token))["visit"]
    assert again["id"] == visit["id"] and visit["observerName"] == "观察员王"

    taken = {"visitId": visit["id"], "kind": "SUGGESTION", "topic": "FACILITIES", "text": "车棚顶棚请尽快修"}
    opinion = (await m.ok(api, m.TAKE, {"input": taken}, room.observer.token))["opinion"]
    await voice.ok(
        api,
        voice.ANSWER,
        {"input": {"opinionId": opinion["id"], "outcome": "ADOPTED", "action": "本月内更换顶棚"}},
        room.staff.token,
    )
    settled = {
        "visitId": visit["id"],
        "category": "NOISE",
        "summary": "装修噪音，劝说后改时段",
        "settledOnSpot": True,
    }
    on_spot = (await m.ok(api, m.STEP_IN, {"input": settled}, room.observer.token))["intervention"]
    parking = {
        "visitId": visit["id"],
        "category": "PARKING",
        "summary": "301与302争车位",
        "settledOnSpot": False,
    }
    stepped = (await m.ok(api, m.STEP_IN, {"input": parking}, room.observer.token))["intervention"]

    refer = {
        "interventionId": stepped["id"],
        "partyHouseholdIds": room.households,
        "mediatorIds": room.mediator_ids(room.mediators[0]),
    }
    case = (await m.ok(api, m.REFER, {"input": refer}, room.observer.token))["case"]
    assert (case["category"], case["state"], case["summary"]) == ("PARKING", "OPEN", "301与302争车位")
    assert await m.codes(api, m.REFER, {"input": refer}, room.staff.token) == ["ALREADY_DECIDED"]
    assert await m.codes(
        api, m.REFER, {"input": {**refer, "interventionId": on_spot["id"]}}, room.observer.token
    ) == ["INVALID_TRANSITION"]
    assert await MediationCase.all().count() == 1
    # The case's mediator now sees it; the observer who referred it does not.
    assert (await api.data(m.CASE, {"id": case["id"]}, room.mediators[0].token))["mediationCase"][
        "id"
    ] == case["id"]
    assert await api.error_codes(m.CASE, {"id": case["id"]}, room.observer.token) == ["FORBIDDEN"]

    listed = (await api.data(m.VISITS, {"c": room.cid}, room.staff.token))["observerVisits"]
    assert listed["totalCount"] == 1
    node = listed["nodes"][0]
    assert [o["status"] for o in node["opinions"]] == ["ADOPTED"]
    assert [(i["settledOnSpot"], i["case"]) for i in node["interventions"]] == [
        (True, None),
        (False, case["id"]),
    ]

    counts = (await api.data(m.MONTH, {"c": room.cid, "m": "2026-11"}, room.residents[1].token))[
        "observerMonthCounts"
    ]
    assert counts == {
        "month": "2026-11",
        "visits": 1,
        "opinionsCollected": 1,
        "opinionsTakenUp": 1,
        "disputesSteppedInto": 2,
        "disputesSettledOnSpot": 1,
        "disputesReferred": 1,
    }
    elsewhere = await make_neighbourhood(slug="binhe", name="滨河社区")
    theirs = {"c": room.cid, "compound": gid("Compound", elsewhere.compound.id)}
    assert await api.error_codes(m.VISITS, theirs, room.staff.token) == ["NOT_FOUND"]
    december = (await api.data(m.MONTH, {"c": room.cid, "m": "2026-12"}, room.staff.token))[
        "observerMonthCounts"
    ]
    assert december["visits"] == 0


async def test_only_the_compound_observer_records_and_only_they_and_the_office_read(
    api: GraphQLClient,
) -> None:
    room = await m.make_room(api)
    compound = gid("Compound", room.place.compound.id)
    visit_input = {"compoundId": compound, "spot": "门口", "seen": "正常", "idempotencyKey": "v"}
    resident = room.residents[0]
    assert await api.error_codes(m.VISIT, {"input": visit_input}, resident.token) == ["FORBIDDEN"]
    assert await api.error_codes(m.VISIT, {"input": visit_input}, room.mediators[0].token) == ["FORBIDDEN"]
    visit = (await m.ok(api, m.VISIT, {"input": visit_input}, room.observer.token))["visit"]
    take = {"visitId": visit["id"], "kind": "COMPLAINT", "topic": "NOISE", "text": "吵"}
    assert await api.error_codes(m.TAKE, {"input": take}, resident.token) == ["FORBIDDEN"]
    assert await api.error_codes(m.VISITS, {"c": room.cid}, resident.token) == ["FORBIDDEN"]
    appoint = {"compoundId": compound, "userId": gid("User", resident.user.id)}
    assert await api.error_codes(m.OBSERVER_APPOINT, appoint and {"input": appoint}, room.observer.token) == [
        "FORBIDDEN"
    ]
    assert await ObserverVisit.all().count() == 1 and await Opinion.all().count() == 0


async def test_bad_visits_are_typed_errors_and_write_nothing(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    room = await m.make_room(api)
    compound = gid("Compound", room.place.compound.id)
    base = {"compoundId": compound, "spot": "车棚", "seen": "正常", "idempotencyKey": "v"}
    now = moved_clock.now()
    bad = [
        ({**base, "spot": " "}, "spot"),
        ({**base, "seen": "长" * 1001}, "seen"),
        ({**base, "idempotencyKey": ""}, "idempotencyKey"),
        ({**base, "visitedAt": (now + timedelta(hours=1)).isoformat()}, "visitedAt"),
        ({**base, "visitedAt": (now - timedelta(days=8)).isoformat()}, "visitedAt"),
    ]
    for values, field in bad:
        found = await m.payload(api, m.VISIT, {"input": values}, room.observer.token)
        assert [(e["code"], e["field"]) for e in found["errors"]] == [("INVALID_INPUT", field)], values
    visit = (await m.ok(api, m.VISIT, {"input": base}, room.observer.token))["visit"]
    empty = {"visitId": visit["id"], "category": "PETS", "summary": "  ", "settledOnSpot": True}
    assert await m.codes(api, m.STEP_IN, {"input": empty}, room.observer.token) == ["INVALID_INPUT"]
    silent = {"visitId": visit["id"], "kind": "COMPLAINT", "topic": "NOISE", "text": ""}
    assert await m.codes(api, m.TAKE, {"input": silent}, room.observer.token) == ["INVALID_INPUT"]
    assert await m.codes(
        api, m.STEP_IN, {"input": {**empty, "summary": "狗叫", "visitId": "bad"}}, room.observer.token
    ) == ["INVALID_INPUT"]  # no id at all: badly formed (api.ids)
    assert await api.error_codes(m.MONTH, {"c": room.cid, "m": "2026-13"}, room.staff.token) == [
        "INVALID_INPUT"
    ]
    stepped = (
        await m.ok(
            api,
            m.STEP_IN,
            {"input": {**empty, "summary": "狗叫", "settledOnSpot": False}},
            room.observer.token,
        )
    )["intervention"]
    refer = {
        "interventionId": stepped["id"],
        "partyHouseholdIds": [],
        "mediatorIds": room.mediator_ids(*room.mediators),
    }
    assert await m.codes(api, m.REFER, {"input": refer}, room.observer.token) == ["INVALID_INPUT"]
    assert await ObserverVisit.all().count() == 1 and await VisitOpinion.all().count() == 0
    assert await DisputeIntervention.filter(case_id__isnull=False).count() == 0
    assert await MediationCase.all().count() == 0


PAGED_VISITS = """
query V($c: ID!, $first: Int, $after: String) {
  observerVisits(communityId: $c, first: $first, after: $after) {
    totalCount nodes { id visitedAt spot } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}"""


async def test_visits_come_by_visit_time_newest_first_and_page_across_equal_times(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    """Visits are recorded up to a week late, so they are listed by when they happened, not by
    when they were written down; several at the same moment (one typed in Beijing time, one in
    UTC) come newest record first and no page loses or repeats one."""
    room = await m.make_room(api)
    compound = gid("Compound", room.place.compound.id)
    now = moved_clock.now().replace(microsecond=0)
    beijing = timezone(timedelta(hours=8))
    same = now - timedelta(days=3, hours=2, microseconds=250)
    # Recorded in this order: 2 days ago, the same moment three times, 1 day ago, 5 days ago.
    times = [
        now - timedelta(days=2),
        same,
        same.astimezone(beijing),
        same,
        now - timedelta(days=1),
        now - timedelta(days=5),
    ]
    recorded: list[dict[str, Any]] = []
    for number, at in enumerate(times):
        values = {
            "compoundId": compound,
            "spot": f"第{number}处",
            "seen": "正常",
            "idempotencyKey": f"v-{number}",
            "visitedAt": at.isoformat(),
        }
        recorded.append((await m.ok(api, m.VISIT, {"input": values}, room.observer.token))["visit"])
    expected = [
        v["id"]
        for v in sorted(
            recorded,
            key=lambda v: (
                datetime.fromisoformat(v["visitedAt"]),
                decode_global_id(v["id"], "ObserverVisit", "id"),
            ),
            reverse=True,
        )
    ]
    for size in (1, 2, 4):
        seen: list[str] = []
        after: str | None = None
        for _ in range(len(times)):
            page = (
                await api.data(PAGED_VISITS, {"c": room.cid, "first": size, "after": after}, room.staff.token)
            )["observerVisits"]
            assert page["totalCount"] == len(times)
            assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
            seen += [v["id"] for v in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert seen == expected, size
    spots = [
        v["spot"]
        for v in (await api.data(PAGED_VISITS, {"c": room.cid, "first": 10}, room.staff.token))[
            "observerVisits"
        ]["nodes"]
    ]
    # 1 day ago, 2 days ago, the three at the same moment (last recorded first), 5 days ago.
    assert spots == ["第4处", "第0处", "第3处", "第2处", "第1处", "第5处"]
    # A cursor of the old kind (a bare row id) or a made-up one is a typed error, not a page.
    for bad in ("Yzox", "dDox", "dDp4OjE=", "not a cursor"):
        assert await api.error_codes(PAGED_VISITS, {"c": room.cid, "after": bad}, room.staff.token) == [
            "INVALID_INPUT"
        ], bad
