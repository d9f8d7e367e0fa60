"""The office's record of appointments (appointment_event) is read by the community's staff: who
was appointed or stood down as observer (of which compound) or mediator, by whom, when and why,
newest first, a page at a time; nobody else gets it, not even an admin alone (a stand-down's
reason can be personal). The office console shows it at /office/appointments."""

from __future__ import annotations

import httpx

from models.enums import Role
from tests.api.mediation_room import support as m
from tests.api.web.support import sign_in
from tests.support.graphql import GraphQLClient
from tests.support.people import PASSWORD, gid, make_person

HISTORY = """
query H($c: ID!, $first: Int, $after: String) {
  appointmentEvents(communityId: $c, first: $first, after: $after) {
    totalCount
    nodes { id kind appointedAs user displayName compound compoundLabel reason byName at }
    pageInfo { hasNextPage endCursor }
  }
}"""
MEDIATOR_DOWN = """
mutation MD($input: MediatorStandDownInput!) {
  mediatorStandDown(input: $input) { stoodDown errors { code field } }
}"""
OBSERVER_DOWN = """
mutation OD($input: ObserverStandDownInput!) {
  observerStandDown(input: $input) { stoodDown errors { code field } }
}"""


async def test_the_staff_read_who_was_appointed_and_stood_down_newest_first(api: GraphQLClient) -> None:
    # Given an office that appointed two mediators and an observer, then stood two of them down
    room = await m.make_room(api)
    second = room.mediators[1]
    await m.ok(
        api,
        OBSERVER_DOWN,
        {
            "input": {
                "compoundId": gid("Compound", room.place.compound.id),
                "userId": gid("User", room.observer.user.id),
                "reason": "搬家离开小区",
            }
        },
        room.staff.token,
    )
    await m.ok(
        api,
        MEDIATOR_DOWN,
        {"input": {"communityId": room.cid, "userId": gid("User", second.user.id), "reason": "身体原因"}},
        room.staff.token,
    )
    # and another community's office, whose record is its own
    await m.make_room(api, slug="xinxing", name="新兴社区")

    # When the staff read the record two at a time
    first = (await api.data(HISTORY, {"c": room.cid, "first": 2}, room.staff.token))["appointmentEvents"]
    rest = (
        await api.data(
            HISTORY, {"c": room.cid, "first": 2, "after": first["pageInfo"]["endCursor"]}, room.staff.token
        )
    )["appointmentEvents"]
    last = (
        await api.data(
            HISTORY, {"c": room.cid, "first": 2, "after": rest["pageInfo"]["endCursor"]}, room.staff.token
        )
    )["appointmentEvents"]

    # Then the stand-downs come first, with their reasons, the observer's with the compound
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"] is True
    assert [
        (e["kind"], e["appointedAs"], e["displayName"], e["compoundLabel"], e["reason"], e["byName"])
        for e in first["nodes"]
    ] == [
        ("STOOD_DOWN", "MEDIATOR", "老李", None, "身体原因", "社区主任"),
        ("STOOD_DOWN", "OBSERVER", "观察员王", "休闲小区", "搬家离开小区", "社区主任"),
    ]
    assert first["nodes"][1]["compound"] == gid("Compound", room.place.compound.id)
    assert first["nodes"][0]["user"] == gid("User", second.user.id)
    # and the appointments after them, oldest last, every line once
    assert [(e["kind"], e["appointedAs"], e["displayName"]) for e in rest["nodes"] + last["nodes"]] == [
        ("APPOINTED", "OBSERVER", "观察员王"),
        ("APPOINTED", "MEDIATOR", "老李"),
        ("APPOINTED", "MEDIATOR", "老张"),
    ]
    assert last["pageInfo"]["hasNextPage"] is False
    assert len({e["id"] for e in first["nodes"] + rest["nodes"] + last["nodes"]}) == 5
    moments = [e["at"] for e in first["nodes"] + rest["nodes"] + last["nodes"]]
    assert moments == sorted(moments, reverse=True)

    # A page is capped
    too_many = await api.post(HISTORY, {"c": room.cid, "first": 101}, room.staff.token)
    assert [e["extensions"]["code"] for e in too_many["errors"]] == ["INVALID_INPUT"]


async def test_nobody_but_the_communitys_staff_reads_the_record(api: GraphQLClient) -> None:
    room = await m.make_room(api)
    other = await m.make_room(api, slug="xinxing", name="新兴社区")
    admin = await make_person(room.place.community, (Role.ADMIN,), name="系统管理员")
    for person, code in (
        (admin, "FORBIDDEN"),  # the office's admin alone: reasons can be personal
        (room.mediators[0], "FORBIDDEN"),
        (room.observer, "FORBIDDEN"),
        (room.residents[0], "FORBIDDEN"),
        (other.staff, "NOT_FOUND"),  # another community's office: as if it did not exist
    ):
        refused = await api.post(HISTORY, {"c": room.cid}, person.token)
        assert refused.get("data") is None or refused["data"].get("appointmentEvents") is None
        assert [e["extensions"]["code"] for e in refused["errors"]] == [code], person.user.display_name
    anonymous = await api.post(HISTORY, {"c": room.cid})
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]


async def test_the_office_console_shows_the_record_to_staff(
    api: GraphQLClient, http: httpx.AsyncClient
) -> None:
    room = await m.make_room(api)
    await m.ok(
        api,
        OBSERVER_DOWN,
        {
            "input": {
                "compoundId": gid("Compound", room.place.compound.id),
                "userId": gid("User", room.observer.user.id),
                "reason": "搬家离开小区",
            }
        },
        room.staff.token,
    )
    await sign_in(http, room.staff.phone, PASSWORD)
    page = await http.get("/office/appointments")
    assert page.status_code == 200 and 'aria-current="page">任免记录' in page.text
    table = page.text.split('data-testid="appointment-list"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 4 and "共 4 条" in page.text
    newest = ("观察员王", "免去", "家园观察员（休闲小区）", "搬家离开小区", "社区主任")
    assert all(word in rows[0] for word in newest)
    assert "任命" in rows[-1] and "红色调解员" in rows[-1] and "老张" in rows[-1]

    # An admin alone is told it is for staff, not shown it
    admin = await make_person(room.place.community, (Role.ADMIN,), name="系统管理员")
    http.cookies.clear()
    await sign_in(http, admin.phone, PASSWORD)
    shown = await http.get("/office/appointments")
    assert shown.status_code == 200 and 'data-testid="appointments-staff-only"' in shown.text
    assert "搬家离开小区" not in shown.text
