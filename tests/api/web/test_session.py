"""Signing in to the web pages: the API's session in an HttpOnly cookie, CSRF on every form,
signing out, expiry, the API's rate limits, errors in Chinese next to their fields."""

from __future__ import annotations

import httpx

from models.enums import Role
from models.sessions import RefreshToken
from runtime import clock
from services.access import load_viewer
from services.accounts import memberships
from tests.api.web.support import csrf_of, post_form, sign_in
from tests.support.people import PASSWORD, make_neighbourhood, make_person


async def test_signing_in_keeps_the_apis_session_in_an_httponly_lax_cookie(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community, name="王阿姨")
    assert (await http.get("/me")).headers["location"] == "/login?next=/me"

    response = await sign_in(http, person.phone, PASSWORD)

    assert response.status_code == 303 and response.headers["location"] == "/me"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("rs_web="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # development over plain http; production adds it (browser test)
    assert await RefreshToken.filter(user_id=person.user.id, revoked_at=None).count() == 1
    home = await http.get("/me")
    assert home.status_code == 200 and "王阿姨" in home.text and "红星社区" in home.text


async def test_a_form_without_the_csrf_token_or_from_another_site_is_refused(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    await http.get("/login")  # the CSRF cookie
    bare = await http.post("/login", data={"phone": person.phone, "password": PASSWORD})
    assert bare.status_code == 403 and "页面已过期" in bare.text
    forged = await http.post(
        "/login", data={"csrf_token": "0" * 40, "phone": person.phone, "password": PASSWORD}
    )
    assert forged.status_code == 403
    token = csrf_of((await http.get("/login")).text)
    elsewhere = await http.post(
        "/login",
        data={"csrf_token": token, "phone": person.phone, "password": PASSWORD},
        headers={"origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403
    assert "rs_web" not in http.cookies
    assert await RefreshToken.filter(user_id=person.user.id).count() == 0
    # The token of another browser (another CSRF cookie) does not work here either.
    other = httpx.AsyncClient(transport=http._transport, base_url="http://testserver")
    theirs = csrf_of((await other.get("/login")).text)
    assert theirs != token
    mixed = await http.post(
        "/login", data={"csrf_token": theirs, "phone": person.phone, "password": PASSWORD}
    )
    assert mixed.status_code == 403


async def test_wrong_password_shows_a_chinese_summary_and_keeps_the_phone(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    response = await sign_in(http, person.phone, "not-the-password-1")
    assert response.status_code == 400
    assert "请检查以下问题" in response.text and "手机号或密码不对" in response.text
    assert f'value="{person.phone}"' in response.text
    empty = await post_form(http, "/login", {"phone": "", "password": ""})
    assert '<a href="#phone">请填写手机号。</a>' in empty.text
    assert 'id="password-error">请填写密码。' in empty.text


async def test_sign_in_has_the_apis_rate_limit(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)

    for _ in range(12):
        response = await sign_in(http, person.phone, "not-the-password-1")

        if "稍后再试" in response.text:
            break
    assert "稍后再试" in response.text, "twelve wrong passwords in a row were all answered"


async def test_signing_out_ends_the_apis_session(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    await sign_in(http, person.phone, PASSWORD)
    out = await post_form(http, "/logout", {}, from_page="/me")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert "rs_web" not in http.cookies
    assert await RefreshToken.filter(user_id=person.user.id, revoked_at=None).count() == 0
    assert (await http.get("/me")).status_code == 303


async def test_an_expired_access_token_is_refreshed_and_an_expired_session_signs_out(
    http: httpx.AsyncClient, moved_clock: clock.MovableClock
) -> None:
    place = await make_neighbourhood()
    person = await make_person(place.community, name="王阿姨")
    await sign_in(http, person.phone, PASSWORD)
    first = http.cookies["rs_web"]

    moved_clock.advance(minutes=20)  # past the 15-minute access token
    page = await http.get("/me")
    assert page.status_code == 200 and "王阿姨" in page.text
    assert http.cookies["rs_web"] != first  # rotated through the app's RefreshSession

    moved_clock.advance(days=31)  # past the refresh token too
    lapsed = await http.get("/login")
    assert "登录已过期" in lapsed.text
    assert "rs_web" not in http.cookies


async def test_registering_with_the_offices_code_joins_the_community(http: httpx.AsyncClient) -> None:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,))
    _, code = await memberships.create_invite(
        await load_viewer(staff.user.id),
        place.community.id,
        [Role.RESIDENT],
        household_id=place.households[1].id,
    )
    bad = await post_form(
        http,
        "/login",
        {"phone": "13812345678", "password": "laoli-2026", "display_name": "李大爷", "code": "NOPE"},
    )
    assert bad.status_code == 400 and "邀请码不对" in bad.text
    assert "rs_web" in http.cookies  # the account was made: signed in, only the code is left
    home = await post_form(http, "/me", {"code": code})
    assert home.status_code == 303
    page = (await http.get("/me")).text
    assert "红星社区 · 休闲小区 4号楼 2单元 302" in page and "李大爷" in page  # the home in full
    again = await post_form(http, "/me", {"code": code})
    assert again.status_code == 400 and "已经是这个社区的成员" in again.text
