"""The office sets its phone through the API; the tag landing page offers it to people without
the app. Only the office may set it; a number that is not one is refused with the field."""

from __future__ import annotations

from typing import Any

import httpx

from models.enums import Role
from models.places import Community
from services import tags
from services.access import load_viewer
from services.community.office import dial_link
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_neighbourhood, make_person

SET = """
mutation P($input: CommunityOfficePhoneSetInput!) {
  communityOfficePhoneSet(input: $input) { community { officePhone } errors { code field } }
}"""


async def _set(api: GraphQLClient, token: str, community_id: str, phone: str) -> Any:
    body = await api.post(SET, {"input": {"communityId": community_id, "phone": phone}}, token)
    return body


async def test_the_office_sets_its_phone_and_the_landing_page_offers_it(
    api: GraphQLClient, http: httpx.AsyncClient
) -> None:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,))
    cid = gid("Community", place.community.id)
    tag = await tags.create_tag(await load_viewer(staff.user.id), place.entrance)

    body = await _set(api, staff.token, cid, "  0451-8888   6666 转 801 ")
    assert body["data"]["communityOfficePhoneSet"] == {
        "community": {"officePhone": "0451-8888 6666 转 801"},
        "errors": [],
    }
    again = await _set(api, staff.token, cid, "0451-8888 6666 转 801")
    assert again["data"]["communityOfficePhoneSet"]["errors"] == []

    # The dial link the web tag page uses (api/web/words.py `dial`): digits only, no extension.
    assert dial_link("0451-8888 6666 转 801") == "tel:045188886666"
    assert (await http.get(f"/t/{tags.code_of(tag)}")).status_code == 200

    cleared = await _set(api, staff.token, cid, "")
    assert cleared["data"]["communityOfficePhoneSet"]["community"] == {"officePhone": ""}
    assert (await Community.get(id=place.community.id)).office_phone == ""


async def test_only_the_office_sets_it_and_only_a_phone_number(api: GraphQLClient) -> None:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,))
    resident = await make_person(place.community, household=place.households[0])
    cid = gid("Community", place.community.id)

    refused = await _set(api, resident.token, cid, "0451-8888 6666")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for bad in ("call us", "<a href=x>1234567</a>", "12", "javascript:alert(1)", "1" * 25):
        body = await _set(api, staff.token, cid, bad)
        assert body["data"]["communityOfficePhoneSet"]["errors"] == [
            {"code": "INVALID_PHONE", "field": "phone"}
        ]
    assert (await Community.get(id=place.community.id)).office_phone == ""
