"""The member's other web pages in process: checking in and out with the captain's QR URL (and
the app's scanner sending that URL), an expired code, points and redeeming (a double tap spends
once; too few points said in Chinese), the board."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx

from models.enums import Role
from models.rewards import Redemption, RewardKind
from points_engine import redemption
from runtime import clock
from services import points
from services.access import load_viewer
from tests.api.teams.support import CHECK_IN, make_squad
from tests.api.web.support import csrf_of, post_form, sign_in
from tests.support.graphql import GraphQLClient
from tests.support.people import PASSWORD, make_neighbourhood, make_person
from tests.support.voice import hang_flag

URL_CODE = "query($a: ID!) { activityCheckInCode(activityId: $a) { code url secondsToRotation } }"


async def test_the_captains_qr_opens_a_page_that_checks_in_and_out(
    http: httpx.AsyncClient, api: GraphQLClient, moved_clock: clock.MovableClock
) -> None:
    squad = await make_squad(api)
    shown = (await api.data(URL_CODE, {"a": squad.activity_id}, squad.captain.token))["activityCheckInCode"]
    assert shown["url"].endswith(f"/c/{shown['code']}")
    path = urlsplit(shown["url"]).path

    assert (await http.get(path)).headers["location"] == f"/login?next={path}"
    await sign_in(http, squad.volunteers[0].phone, PASSWORD)
    page = await http.get(path)
    assert "签到" in page.text and "签退" in page.text
    checked = await http.post(path, data={"csrf_token": csrf_of(page.text), "action": "in"})
    assert checked.status_code == 200 and "签到成功" in checked.text and "扫雪 4号楼" in checked.text
    assert '<span class="sub">休闲小区 4号楼</span>' in checked.text  # where, in full

    moved_clock.advance(minutes=40)
    squad.renew_tokens()
    late = await http.post(path, data={"csrf_token": csrf_of(page.text), "action": "out"})
    assert late.status_code == 400 and "签到码已过期" in late.text
    fresh = (await api.data(URL_CODE, {"a": squad.activity_id}, squad.captain.token))["activityCheckInCode"]
    out = await http.post(
        urlsplit(fresh["url"]).path, data={"csrf_token": csrf_of(page.text), "action": "out"}
    )
    assert "签退成功" in out.text


async def test_the_apps_scanner_may_send_the_url_as_the_code(api: GraphQLClient) -> None:
    squad = await make_squad(api)
    shown = (await api.data(URL_CODE, {"a": squad.activity_id}, squad.captain.token))["activityCheckInCode"]
    done = (
        await api.data(
            CHECK_IN,
            {"input": {"code": shown["url"], "activityId": squad.activity_id}},
            squad.volunteers[1].token,
        )
    )["attendanceCheckIn"]
    assert done["errors"] == [] and done["attendance"]["status"] == "OPEN"


async def test_redeeming_spends_once_and_shows_the_pickup_code(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,))
    member = await make_person(place.community, household=place.households[0], name="王秀英")
    office = await load_viewer(staff.user.id)
    await redemption.create_reward(place.community.id, kind=RewardKind.GIFT, name="毛巾", cost=30, stock=5)
    await redemption.create_reward(place.community.id, kind=RewardKind.GIFT, name="电饭煲", cost=500, stock=1)
    await points.manual(office, place.community.id, member.user.id, 50, "楼道清扫", "award-1", award=True)
    await sign_in(http, member.phone, PASSWORD)

    page = (await http.get("/me/points")).text
    assert 'data-testid="balance">50<' in page and "毛巾" in page
    cooker_id = re.search(r'<strong>电饭煲</strong>.*?name="reward_id" value="([^"]+)"', page, re.S)
    assert cooker_id is not None
    towel = re.search(
        r'name="reward_id" value="([^"]+)"><input type="hidden" name="idempotency_key" value="([^"]+)"', page
    )
    assert towel is not None
    form = {"csrf_token": csrf_of(page), "reward_id": towel[1], "idempotency_key": towel[2]}
    first = await http.post("/me/points", data=form)
    second = await http.post("/me/points", data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await Redemption.all().count() == 1
    shown = (await http.get(first.headers["location"])).text
    assert "兑换成功" in shown and 'data-testid="pickup-code">RP-' in shown and "/pickup/" in shown
    assert 'data-testid="balance">20<' in (await http.get("/me/points")).text

    cooker = await post_form(http, "/me/points", {"reward_id": cooker_id[1], "idempotency_key": "k-cooker"})
    assert cooker.status_code == 400 and "积分不够" in cooker.text


async def test_the_board_shows_my_rank_and_the_flag(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    await hang_flag(place)
    member = await make_person(place.community, household=place.households[0])
    await sign_in(http, member.phone, PASSWORD)
    page = await http.get("/me/board")
    assert page.status_code == 200
    assert "我的排名" in page.text and "文明楼道流动红旗" in page.text
    # The holder and the standing's rows by their full label (2单元 alone names dozens of
    # entrances), the holder after a drawn flag rather than an emoji a phone may not have.
    holder = page.text.split('data-testid="flag-holder">', 1)[1].split("</p>", 1)[0]
    assert holder.startswith('<svg class="flag-icon"') and "</svg>休闲小区 4号楼 2单元（" in holder
    assert "🚩" not in page.text
    standing = page.text.split('data-testid="flag-breakdown">', 1)[1]
    assert "休闲小区 4号楼 2单元" in standing.split("</tr>", 2)[1]
