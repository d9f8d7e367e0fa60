"""The office changes who mediates an open case, stands a mediator down and an observer down:
each an atomic, repeatable change with its record (the case's timeline, the appointments'
record), and typed errors that write nothing. Someone stood down sees no more names."""

from __future__ import annotations

from models.enums import Role
from models.mediation_room import CaseMediator, MediationCaseEvent
from models.observers import AppointedAs, AppointmentEvent, AppointmentEventKind, ObserverPost
from models.people import MembershipRole
from models.places import Compound
from tests.api.mediation_room import support as m
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid

MEDIATORS_SET = f"""
mutation MM($input: MediationCaseMediatorsSetInput!) {{
  mediationCaseMediatorsSet(input: $input) {{ case {{ {m.CASE_FIELDS} }} errors {{ code field }} }}
}}"""
MEDIATOR_DOWN = """
mutation MD($input: MediatorStandDownInput!) {
  mediatorStandDown(input: $input) { stoodDown errors { code field } }
}"""
OBSERVER_DOWN = """
mutation OD($input: ObserverStandDownInput!) {
  observerStandDown(input: $input) { stoodDown errors { code field } }
}"""


def _user(person: Person) -> str:
    return gid("User", person.user.id)


async def test_the_office_changes_an_open_cases_mediators(api: GraphQLClient) -> None:
    room = await m.make_room(api)
    first, second = room.mediators
    case = await m.open_case(api, room, first)
    change = {"caseId": case["id"], "mediatorIds": [_user(second)]}

    # only the office: not the case's own mediator, not a resident
    assert await api.error_codes(MEDIATORS_SET, {"input": change}, first.token) == ["FORBIDDEN"]
    assert await api.error_codes(MEDIATORS_SET, {"input": change}, room.residents[0].token) == ["FORBIDDEN"]

    changed = (await m.ok(api, MEDIATORS_SET, {"input": change}, room.staff.token))["case"]
    assert [p["user"] for p in changed["mediators"]] == [_user(second)]
    assert [e["kind"] for e in changed["timeline"]] == ["OPENED", "MEDIATORS_CHANGED"]
    assert changed["timeline"][-1]["actorName"] == "社区主任"
    # the new mediator reads it, the one taken off does not any more
    assert (await api.data(m.CASE, {"id": case["id"]}, second.token))["mediationCase"]["id"] == case["id"]
    assert await api.error_codes(m.CASE, {"id": case["id"]}, first.token) == ["FORBIDDEN"]
    # again: nothing changes, no second line
    again = (await m.ok(api, MEDIATORS_SET, {"input": change}, room.staff.token))["case"]
    assert len(again["timeline"]) == 2

    # bad input writes nothing
    before = (await CaseMediator.all().count(), await MediationCaseEvent.all().count())
    for wrong, code in (
        ([], "INVALID_INPUT"),
        ([_user(room.residents[0])], "INVALID_INPUT"),  # not a mediator
        ([_user(p) for p in (first, second, *room.residents, room.observer, room.staff)], "INVALID_INPUT"),
    ):
        bad = {"caseId": case["id"], "mediatorIds": wrong}
        assert await m.codes(api, MEDIATORS_SET, {"input": bad}, room.staff.token) == [code]
    assert await m.codes(
        api, MEDIATORS_SET, {"input": {**change, "mediatorIds": ["bm90IGFuIGlk"]}}, room.staff.token
    ) == ["INVALID_INPUT"]  # "not an id": badly formed (api.ids)
    # a closed case keeps its mediators
    await m.ok(
        api, m.CLOSE, {"input": {"caseId": case["id"], "outcome": "REFERRED", "note": "转街道"}}, second.token
    )
    closed = {"caseId": case["id"], "mediatorIds": [_user(first)]}
    assert await m.codes(api, MEDIATORS_SET, {"input": closed}, room.staff.token) == ["ALREADY_DECIDED"]
    assert (await CaseMediator.all().count(), await MediationCaseEvent.all().count()) == (
        before[0],
        before[1] + 1,
    )


async def test_a_mediator_stands_down_once_their_open_cases_have_others(api: GraphQLClient) -> None:
    room = await m.make_room(api)
    first, second = room.mediators
    case = await m.open_case(api, room, first)
    down = {"communityId": room.cid, "userId": _user(first), "reason": "年事已高"}
    assert await api.error_codes(MEDIATOR_DOWN, {"input": down}, first.token) == ["FORBIDDEN"]
    # an open case still rests on them
    assert await m.codes(api, MEDIATOR_DOWN, {"input": down}, room.staff.token) == ["CONFLICT"]
    assert await MembershipRole.exists(role=Role.MEDIATOR, membership__user_id=first.user.id)
    await m.ok(
        api,
        MEDIATORS_SET,
        {"input": {"caseId": case["id"], "mediatorIds": [_user(second)]}},
        room.staff.token,
    )
    # a closed case of theirs does not hold them back, and its names are closed to them after
    other = await m.open_case(api, room, first)
    await m.ok(
        api,
        m.CLOSE,
        {"input": {"caseId": other["id"], "outcome": "NOT_SETTLED", "note": "不同意"}},
        first.token,
    )
    assert (await m.ok(api, MEDIATOR_DOWN, {"input": down}, room.staff.token))["stoodDown"] is True
    assert (await m.ok(api, MEDIATOR_DOWN, {"input": down}, room.staff.token))["stoodDown"] is True  # again
    records = await AppointmentEvent.filter(
        user_id=first.user.id, appointed_as=AppointedAs.MEDIATOR
    ).order_by("id")
    assert [(r.kind, r.reason) for r in records] == [
        (AppointmentEventKind.APPOINTED, ""),
        (AppointmentEventKind.STOOD_DOWN, "年事已高"),
    ]
    assert await api.error_codes(m.CASE, {"id": other["id"]}, first.token) == ["FORBIDDEN"]
    assert await api.error_codes(m.CASES, {"c": room.cid}, first.token) == ["FORBIDDEN"]
    # someone who never mediated, and a caller from nowhere
    never = {"communityId": room.cid, "userId": _user(room.residents[0])}
    assert await m.codes(api, MEDIATOR_DOWN, {"input": never}, room.staff.token) == ["INVALID_INPUT"]
    assert await api.error_codes(MEDIATOR_DOWN, {"input": never}) == ["UNAUTHENTICATED"]
    # appointed again, they read their cases again
    await m.ok(
        api,
        m.APPOINT_MEDIATOR,
        {"input": {"communityId": room.cid, "userId": _user(first)}},
        room.staff.token,
    )
    assert (await api.data(m.CASE, {"id": other["id"]}, first.token))["mediationCase"]["id"] == other["id"]


async def test_an_observer_stands_down_from_a_compound(api: GraphQLClient) -> None:
    room = await m.make_room(api)
    compound = gid("Compound", room.place.compound.id)
    visit_input = {"compoundId": compound, "spot": "门口", "seen": "正常", "idempotencyKey": "v-1"}
    visit = (await m.ok(api, m.VISIT, {"input": visit_input}, room.observer.token))["visit"]
    stepped = (
        await m.ok(
            api,
            m.STEP_IN,
            {
                "input": {
                    "visitId": visit["id"],
                    "category": "NOISE",
                    "summary": "301噪音",
                    "settledOnSpot": False,
                }
            },
            room.observer.token,
        )
    )["intervention"]
    # a second compound the observer also watches
    second = await Compound.create(community_id=room.place.community.id, name="幸福小区")
    await m.ok(
        api,
        m.OBSERVER_APPOINT,
        {"input": {"compoundId": gid("Compound", second.id), "userId": _user(room.observer)}},
        room.staff.token,
    )
    down = {"compoundId": compound, "userId": _user(room.observer), "reason": "搬走了"}
    assert await api.error_codes(OBSERVER_DOWN, {"input": down}, room.observer.token) == ["FORBIDDEN"]
    assert (await m.ok(api, OBSERVER_DOWN, {"input": down}, room.staff.token))["stoodDown"] is True
    # still observing the other compound: the role stays
    assert await MembershipRole.exists(role=Role.OBSERVER, membership__user_id=room.observer.user.id)
    posts = (await api.data(m.POSTS, {"c": room.cid}, room.residents[0].token))["observerPosts"]
    assert [p["compoundName"] for p in posts] == ["幸福小区"]
    assert await api.error_codes(
        m.VISIT, {"input": {**visit_input, "idempotencyKey": "v-2"}}, room.observer.token
    ) == ["FORBIDDEN"]
    # the last post: the role goes, and with it the visits and the dispute it named
    last = {"compoundId": gid("Compound", second.id), "userId": _user(room.observer)}
    assert (await m.ok(api, OBSERVER_DOWN, {"input": last}, room.staff.token))["stoodDown"] is True
    assert (await m.ok(api, OBSERVER_DOWN, {"input": last}, room.staff.token))["stoodDown"] is True  # again
    assert not await MembershipRole.exists(role=Role.OBSERVER, membership__user_id=room.observer.user.id)
    assert not await ObserverPost.exists(user_id=room.observer.user.id)
    assert await api.error_codes(m.VISITS, {"c": room.cid}, room.observer.token) == ["FORBIDDEN"]
    take = {"visitId": visit["id"], "kind": "COMPLAINT", "topic": "NOISE", "text": "吵"}
    assert await api.error_codes(m.TAKE, {"input": take}, room.observer.token) == ["FORBIDDEN"]
    refer = {
        "interventionId": stepped["id"],
        "partyHouseholdIds": room.households,
        "mediatorIds": room.mediator_ids(room.mediators[0]),
    }
    assert await api.error_codes(m.REFER, {"input": refer}, room.observer.token) == ["FORBIDDEN"]
    # what they recorded stays for the office
    listed = (await api.data(m.VISITS, {"c": room.cid}, room.staff.token))["observerVisits"]
    assert listed["totalCount"] == 1
    kinds = (
        await AppointmentEvent.filter(user_id=room.observer.user.id, appointed_as=AppointedAs.OBSERVER)
        .order_by("id")
        .values_list("kind", "compound_id", "reason")
    )
    assert [(str(k), c, r) for k, c, r in kinds] == [
        ("appointed", room.place.compound.id, ""),
        ("appointed", second.id, ""),
        ("stood_down", room.place.compound.id, "搬走了"),
        ("stood_down", second.id, ""),
    ]
    # someone who never observed here
    never = {"compoundId": compound, "userId": _user(room.residents[0])}
    assert await m.codes(api, OBSERVER_DOWN, {"input": never}, room.staff.token) == ["INVALID_INPUT"]
    too_long = {**never, "userId": _user(room.observer), "reason": "长" * 301}
    assert await m.codes(api, OBSERVER_DOWN, {"input": too_long}, room.staff.token) == ["INVALID_INPUT"]
