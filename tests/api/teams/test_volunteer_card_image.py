"""The printable personal card: a QR a captain's phone reads back as the card's code, with the
holder's name under it; the office prints cards for elderly volunteers without a smartphone."""

from __future__ import annotations

import io

import httpx
from PIL import Image, ImageChops

from models.enums import Role
from services.tags import printing as tag_printing
from tests.api.teams import support
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person
from tests.support.qr import decode_all

ROUTE = "/cards/volunteer.png"


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def test_the_card_png_reads_back_as_the_code_that_checks_the_holder_in(
    api: GraphQLClient, http: httpx.AsyncClient
) -> None:
    squad = await support.make_squad(api)
    elder = squad.volunteers[0]
    # The office issues the card for the elder, who has no smartphone, and prints it.
    issued = await support.ok(
        api,
        support.CARD,
        {"input": {"communityId": squad.community_id, "userId": gid("User", elder.user.id)}},
        squad.staff.token,
        "volunteerCardIssue",
    )
    params = {"community": squad.community_id, "user": gid("User", elder.user.id)}
    got = await http.get(ROUTE, params=params, headers={"authorization": f"Bearer {squad.staff.token}"})
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    assert "no-store" in got.headers["cache-control"]
    image = _image(got.content)
    assert image.format == "PNG" and image.height > image.width  # the name sits under the code
    assert decode_all(image) == [issued["code"]]

    # The name is drawn under the symbol: the same card without a label differs only below it.
    unlabeled = _image(tag_printing.tag_png(tag_printing.PrintedTag(url=issued["code"], label="")))
    symbol_side = image.width
    changed = ImageChops.difference(image.convert("L"), unlabeled.convert("L")).getbbox()
    assert changed is not None and changed[1] >= symbol_side - 20

    # What the captain's phone read checks the elder in.
    checked = await support.ok(
        api,
        support.CAPTAIN_IN,
        {"input": {"activityId": squad.activity_id, "cardCode": decode_all(image)[0]}},
        squad.captain.token,
        "attendanceCaptainCheckIn",
    )
    assert checked["attendance"]["method"] == "CARD"
    assert checked["attendance"]["user"]["id"] == gid("User", elder.user.id)

    # The holder fetches the same card; nobody else may.
    mine = await http.get(
        ROUTE, params={"community": squad.community_id}, headers={"authorization": f"Bearer {elder.token}"}
    )
    assert mine.status_code == 200 and decode_all(_image(mine.content)) == [issued["code"]]
    other = await http.get(
        ROUTE, params=params, headers={"authorization": f"Bearer {squad.volunteers[1].token}"}
    )
    assert (other.status_code, other.json()["code"]) == (403, "FORBIDDEN")
    assert (await http.get(ROUTE, params=params)).status_code == 401


async def test_only_the_office_issues_cards_for_others_and_no_card_means_no_image(
    api: GraphQLClient, http: httpx.AsyncClient
) -> None:
    squad = await support.make_squad(api)
    elder, other = squad.volunteers
    for_elder = {"communityId": squad.community_id, "userId": gid("User", elder.user.id)}
    assert await api.error_codes(support.CARD, {"input": for_elder}, other.token) == ["FORBIDDEN"]
    outsider = await make_person((await make_neighbourhood(slug="other")).community, (Role.VOLUNTEER,))
    stranger = {"communityId": squad.community_id, "userId": gid("User", outsider.user.id)}
    assert await support.errors(
        api, support.CARD, {"input": stranger}, squad.staff.token, "volunteerCardIssue"
    ) == ["NOT_FOUND"]
    none_yet = await http.get(
        ROUTE, params={"community": squad.community_id}, headers={"authorization": f"Bearer {elder.token}"}
    )
    assert (none_yet.status_code, none_yet.json()["code"]) == (404, "NOT_FOUND")
