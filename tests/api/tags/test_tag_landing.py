"""/t/<code> in a phone's browser without the app: where this is, the report form (tests/api/web),
and how to get the app."""

from __future__ import annotations

import re

import httpx

from models.places import Entrance
from services import signed_codes, tags
from services.access import load_viewer
from tests.api.tags.conftest import TagWorld


async def test_the_page_says_where_this_is(http: httpx.AsyncClient, world: TagWorld) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.place.entrance)
    response = await http.get(f"/t/{tags.code_of(tag)}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<h1>休闲小区 4号楼 2单元</h1>" in page
    assert "红星社区" in page
    assert "照明" in page and "安全隐患" in page and "其他问题" in page
    assert "「红管家」App" in page
    # Nothing from elsewhere: every script, style and link is a path on this server.
    assert re.findall(r'(?:src|href)="(?!/)[^"]*"', page) == []


async def test_the_code_may_arrive_in_lower_case(http: httpx.AsyncClient, world: TagWorld) -> None:
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.place.entrance)
    response = await http.get(f"/t/{tags.code_of(tag).lower()}")
    assert response.status_code == 200


async def test_names_are_escaped(http: httpx.AsyncClient, world: TagWorld) -> None:
    odd = await Entrance.create(
        community=world.place.community, building=world.place.building, name="<script>alert(1)</script>"
    )
    tag = await tags.create_tag(await load_viewer(world.staff.user.id), odd)
    page = (await http.get(f"/t/{tags.code_of(tag)}")).text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_a_revoked_code_says_it_was_withdrawn(http: httpx.AsyncClient, world: TagWorld) -> None:
    viewer = await load_viewer(world.staff.user.id)
    tag = await tags.revoke(viewer, await tags.create_tag(viewer, world.place.entrance))
    response = await http.get(f"/t/{tags.code_of(tag)}")
    assert response.status_code == 410
    assert "这个码已停用" in response.text
    assert "休闲小区" not in response.text


async def test_forged_and_unknown_codes_are_not_found(http: httpx.AsyncClient, world: TagWorld) -> None:
    for code in (
        signed_codes.sign("tag", (1, 1), "another-secret-0123456789-abcdef"),
        signed_codes.sign("tag", (515151, 1)),
        "hello",
    ):
        response = await http.get(f"/t/{code}")
        assert response.status_code == 404
        assert "无法识别这个码" in response.text


async def test_the_download_link_appears_when_configured(
    http: httpx.AsyncClient, world: TagWorld, monkeypatch: object
) -> None:
    import dataclasses

    from runtime import settings as runtime_settings

    current = runtime_settings.get_settings()
    runtime_settings.use_settings(
        dataclasses.replace(current, app_download_url="https://example.cn/app?a=1&b=2")
    )
    try:
        tag = await tags.create_tag(await load_viewer(world.staff.user.id), world.place.entrance)
        page = (await http.get(f"/t/{tags.code_of(tag)}")).text
    finally:
        runtime_settings.use_settings(current)
    assert 'href="https://example.cn/app?a=1&amp;b=2"' in page
