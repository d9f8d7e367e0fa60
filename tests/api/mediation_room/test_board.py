"""The public notice board shows the mediation room's count of the year, by category, with the
residents' voice; never a name, a household or a summary."""

from __future__ import annotations

import httpx

from tests.api.mediation_room import support as m
from tests.support import voice
from tests.support.graphql import GraphQLClient


async def test_the_board_shows_cases_settled_this_year_and_no_names(
    api: GraphQLClient, http: httpx.AsyncClient
) -> None:
    room = await m.make_room(api)
    mediator = room.mediators[0]
    case = await m.open_case(api, room, mediator)
    steps = [
        (m.SESSION, {"heldOn": "2026-11-20", "attended": "301王先生、302李女士", "idempotencyKey": "s"}),
        (m.AGREE, {"agreement": "301承担维修费", "signedOn": "2026-11-21"}),
        (m.FOLLOW_UP, {"visitedOn": "2026-11-23", "note": "已和好"}),
        (m.CLOSE, {"outcome": "SETTLED"}),
    ]
    for query, values in steps:
        await m.ok(api, query, {"input": {"caseId": case["id"], **values}}, mediator.token)

    private = await http.get("/board/hongxing")
    assert "mediation-settled" not in private.text  # the residents' voice is not public yet
    publicity = {"flag": False, "volunteers": False, "repairs": False, "accounts": False}
    chosen = {"input": {"communityId": room.cid, "satisfaction": True, **publicity}}
    await voice.ok(api, voice.PUBLICITY_SET, chosen, room.staff.token)
    page = (await http.get("/board/hongxing")).text
    assert 'data-testid="mediation-settled">1<' in page
    assert "data-testid='mediation-settled-water_leak'>1<" in page
    for secret in ("301漏水", "王先生", "老张", "301承担"):
        assert secret not in page
