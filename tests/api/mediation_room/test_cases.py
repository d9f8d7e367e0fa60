"""A mediation case from opening to outcome: sessions, the agreement, the follow-up, settled; each
step only from its own state, with its timeline; names only for its mediators and the office;
counts for everyone, from the cases and from the anonymous logs of before."""

from __future__ import annotations

from models.enums import Role
from models.mediation_room import MediationCase, MediationCaseEvent, MediationSession
from runtime.clock import MovableClock
from tests.api.mediation_room import support as m
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person


async def test_a_case_walks_from_opening_to_settled_with_its_timeline(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    room = await m.make_room(api)
    first, second = room.mediators
    case = await m.open_case(api, room, first)
    assert case["state"] == "OPEN" and [p["label"] for p in case["parties"]] == [
        "休闲小区 4号楼 2单元 301",
        "休闲小区 4号楼 2单元 302",
    ]
    assert [x["displayName"] for x in case["mediators"]] == ["老张"]
    case_id = case["id"]

    # No agreement before anyone met; no settling before the follow-up.
    agree = {"input": {"caseId": case_id, "agreement": "301承担维修费的六成", "signedOn": "2026-11-22"}}
    assert await m.codes(api, m.AGREE, agree, first.token) == ["INVALID_TRANSITION"]
    settle = {"input": {"caseId": case_id, "outcome": "SETTLED"}}
    assert await m.codes(api, m.CLOSE, settle, first.token) == ["INVALID_TRANSITION"]

    session = {
        "input": {
            "caseId": case_id,
            "heldOn": "2026-11-20",
            "attended": "301王先生、302李女士、老张",
            "notes": "双方同意先请物业查明漏点",
            "idempotencyKey": "s-1",
        }
    }
    recorded = await m.ok(api, m.SESSION, session, first.token)
    again = await m.ok(api, m.SESSION, session, first.token)  # a retry: the same session
    assert again["session"]["id"] == recorded["session"]["id"]
    assert await MediationSession.all().count() == 1

    agreed = (await m.ok(api, m.AGREE, agree, first.token))["case"]
    assert (agreed["state"], agreed["agreementSignedOn"]) == ("AGREED", "2026-11-22")
    assert await m.codes(api, m.AGREE, agree, first.token) == ["INVALID_TRANSITION"]  # once

    early = {"input": {"caseId": case_id, "visitedOn": "2026-11-21", "note": "回访"}}
    assert await m.codes(api, m.FOLLOW_UP, early, first.token) == ["INVALID_INPUT"]  # before signing
    followed = await m.ok(
        api,
        m.FOLLOW_UP,
        {"input": {"caseId": case_id, "visitedOn": "2026-11-23", "note": "已修好，两家和好"}},
        first.token,
    )
    assert followed["case"]["state"] == "FOLLOWED_UP"
    closed = (await m.ok(api, m.CLOSE, settle, first.token))["case"]
    assert closed["state"] == "SETTLED" and closed["closedAt"] is not None
    assert [e["kind"] for e in closed["timeline"]] == [
        "OPENED",
        "SESSION",
        "AGREED",
        "FOLLOWED_UP",
        "SETTLED",
    ]
    assert closed["timeline"][0]["actorName"] == "社区主任" and closed["timeline"][-1]["actorName"] == "老张"
    assert await m.codes(
        api, m.CLOSE, {"input": {"caseId": case_id, "outcome": "REFERRED", "note": "x"}}, first.token
    ) == ["ALREADY_DECIDED"]

    # The other mediator is not on this case: refused, and their list is empty.
    assert await api.error_codes(m.CASE, {"id": case_id}, second.token) == ["FORBIDDEN"]
    listed = (await api.data(m.CASES, {"c": room.cid}, second.token))["mediationCases"]
    assert listed["totalCount"] == 0 and listed["nodes"] == []
    mine = (await api.data(m.CASES, {"c": room.cid}, first.token))["mediationCases"]
    assert [c["id"] for c in mine["nodes"]] == [case_id]

    counts = (await api.data(m.COUNTS, {"c": room.cid}, room.residents[0].token))["mediationCounts"]
    assert (counts["year"], counts["settled"]) == (2026, 1)
    assert {c["category"]: c["settled"] for c in counts["byCategory"]}["WATER_LEAK"] == 1
    last_year = (await api.data(m.COUNTS, {"c": room.cid, "year": 2025}, room.staff.token))["mediationCounts"]
    assert last_year["settled"] == 0


async def test_not_settled_and_referred_need_a_reason_and_end_the_case(api: GraphQLClient) -> None:
    room = await m.make_room(api)
    case = await m.open_case(api, room, *room.mediators, category="NOISE")
    no_reason = {"input": {"caseId": case["id"], "outcome": "NOT_SETTLED", "note": " "}}
    assert await m.codes(api, m.CLOSE, no_reason, room.mediators[1].token) == ["INVALID_INPUT"]
    no_reason["input"]["note"] = "302不同意调整作息，建议走诉讼"
    closed = (await m.ok(api, m.CLOSE, no_reason, room.mediators[1].token))["case"]
    assert closed["state"] == "NOT_SETTLED"
    late = {
        "input": {"caseId": case["id"], "heldOn": "2026-11-23", "attended": "老李", "idempotencyKey": "k"}
    }
    assert await m.codes(api, m.SESSION, late, room.mediators[0].token) == ["INVALID_TRANSITION"]
    counts = (await api.data(m.COUNTS, {"c": room.cid}, room.staff.token))["mediationCounts"]
    assert counts["settled"] == 0


async def test_names_are_for_the_case_mediators_and_the_office_only(api: GraphQLClient) -> None:
    room = await m.make_room(api)
    case = await m.open_case(api, room)
    resident = room.residents[0]
    assert await api.error_codes(m.CASE, {"id": case["id"]}, resident.token) == ["FORBIDDEN"]
    assert await api.error_codes(m.CASES, {"c": room.cid}, resident.token) == ["FORBIDDEN"]
    # A mediator of another community: the case does not exist for them.
    other = await make_neighbourhood(slug="binhe", name="滨河社区")
    stranger = await make_person(other.community, name="外社区调解员")
    await m.ok(
        api,
        m.APPOINT_MEDIATOR,
        {
            "input": {
                "communityId": gid("Community", other.community.id),
                "userId": gid("User", stranger.user.id),
            }
        },
        (await make_person(other.community, (Role.STAFF,))).token,
    )
    assert await api.error_codes(m.CASE, {"id": case["id"]}, stranger.token) == ["NOT_FOUND"]
    assert await api.error_codes(m.CASES, {"c": room.cid}, stranger.token) == ["NOT_FOUND"]
    step = {"input": {"caseId": case["id"], "outcome": "REFERRED", "note": "转街道"}}
    assert await m.codes(api, m.CLOSE, step, stranger.token) == ["NOT_FOUND"]
    assert await api.error_codes(m.CLOSE, step, resident.token) == ["FORBIDDEN"]
    assert (await MediationCase.get()).state == "open"
    office = (await api.data(m.CASE, {"id": case["id"]}, room.staff.token))["mediationCase"]
    assert office["summary"].startswith("301漏水")


async def test_bad_input_is_a_typed_error_and_writes_nothing(api: GraphQLClient) -> None:
    room = await m.make_room(api)
    other = await make_neighbourhood(slug="binhe", name="滨河社区")
    base = {
        "communityId": room.cid,
        "category": "PARKING",
        "summary": "车位之争",
        "partyHouseholdIds": room.households,
        "mediatorIds": room.mediator_ids(room.mediators[0]),
    }
    bad = [
        ({**base, "summary": "  "}, "summary", "INVALID_INPUT"),
        ({**base, "summary": "长" * 1001}, "summary", "INVALID_INPUT"),
        ({**base, "partyHouseholdIds": []}, "partyHouseholdIds", "INVALID_INPUT"),
        (
            {**base, "partyHouseholdIds": [gid("Household", other.households[0].id)]},
            "partyHouseholdIds",
            "NOT_FOUND",
        ),
        ({**base, "mediatorIds": []}, "mediatorIds", "INVALID_INPUT"),
        ({**base, "mediatorIds": [gid("User", room.residents[0].user.id)]}, "mediatorIds", "INVALID_INPUT"),
        ({**base, "partyHouseholdIds": ["not-an-id"]}, "partyHouseholdIds.0", "INVALID_INPUT"),
        (
            {**base, "mediatorIds": [*room.mediator_ids(room.mediators[0]), "bm9wZQ=="]},
            "mediatorIds.1",
            "INVALID_INPUT",
        ),
    ]
    for values, field, code in bad:
        found = await m.payload(api, m.OPEN, {"input": values}, room.staff.token)
        assert [(e["code"], e["field"]) for e in found["errors"]] == [(code, field)], values
    assert await api.error_codes(m.OPEN, {"input": base}, room.mediators[0].token) == ["FORBIDDEN"]
    assert await MediationCase.all().count() == 0 and await MediationCaseEvent.all().count() == 0

    case = await m.open_case(api, room)
    future = {
        "input": {"caseId": case["id"], "heldOn": "2026-12-01", "attended": "老张", "idempotencyKey": "f"}
    }
    assert await m.codes(api, m.SESSION, future, room.mediators[0].token) == ["INVALID_INPUT"]
    nobody = {"input": {"caseId": case["id"], "heldOn": "2026-11-01", "attended": " ", "idempotencyKey": "n"}}
    assert await m.codes(api, m.SESSION, nobody, room.mediators[0].token) == ["INVALID_INPUT"]
    assert await MediationSession.all().count() == 0
    assert await api.error_codes(m.COUNTS, {"c": room.cid, "year": 1999}, room.staff.token) == [
        "INVALID_INPUT"
    ]


async def test_a_retried_opening_with_its_key_opens_one_case(api: GraphQLClient) -> None:
    """A double-clicked 开立 or a request retried after a timeout: the first case, not a second."""
    room = await m.make_room(api)
    values = {
        "communityId": room.cid,
        "category": "NOISE",
        "summary": "楼上夜里装修",
        "partyHouseholdIds": room.households,
        "mediatorIds": room.mediator_ids(room.mediators[0]),
        "idempotencyKey": "open-1",
    }
    first = await m.ok(api, m.OPEN, {"input": values}, room.staff.token)
    again = await m.ok(api, m.OPEN, {"input": values}, room.staff.token)
    assert again["case"]["id"] == first["case"]["id"]
    assert await MediationCase.all().count() == 1 and await MediationCaseEvent.all().count() == 1
    # The same key for another dispute is a mistake of the caller's, refused, nothing written.
    other = {**values, "summary": "楼下烧烤油烟"}
    assert await m.codes(api, m.OPEN, {"input": other}, room.staff.token) == ["IDEMPOTENCY_KEY_REUSED"]
    # Without a key each call opens a case, as before.
    keyless = {k: v for k, v in other.items() if k != "idempotencyKey"}
    await m.ok(api, m.OPEN, {"input": keyless}, room.staff.token)
    assert await MediationCase.all().count() == 2
