"""The notice board page over HTTP (in process): publicity, escaping, and the numbers it shows."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from models.open_books import BoardPublicity
from models.places import Community
from tests.support import voice
from tests.support.graphql import GraphQLClient


async def test_visitors_see_only_what_the_community_made_public(
    api: GraphQLClient, http: httpx.AsyncClient
) -> None:
    folk = await voice.make_folk()
    cid, staff = folk.community_id, folk.staff.token
    await voice.ok(
        api,
        voice.RECORD,
        {
            "input": {
                "communityId": cid,
                "month": voice.this_month(),
                "category": "FEES",
                "amount": "12345.60",
            }
        },
        staff,
    )
    private = await http.get("/board/hongxing")
    assert private.status_code == 200
    assert "社区尚未公开此栏目" in private.text and "12,345.60" not in private.text
    assert "<script" not in private.text

    publicity = {
        "input": {
            "communityId": cid,
            "flag": True,
            "volunteers": True,
            "repairs": True,
            "satisfaction": False,
            "accounts": True,
        }
    }
    assert await api.error_codes(voice.PUBLICITY_SET, publicity, folk.residents[0].token) == ["FORBIDDEN"]
    chosen = await voice.ok(api, voice.PUBLICITY_SET, publicity, staff)
    assert chosen["publicity"]["url"] == "/board/hongxing"
    public = await http.get("/board/hongxing")
    assert 'data-testid="accounts-income">12,345.60<' in public.text
    assert "本月流动红旗尚未评出" in public.text
    assert public.text.count("社区尚未公开此栏目") == 1  # satisfaction only
    assert public.headers["content-security-policy"].startswith("default-src 'none'")

    # Members presenting their token see every section.
    member = await http.get("/board/hongxing", headers={"authorization": f"Bearer {folk.residents[0].token}"})
    assert "社区尚未公开此栏目" not in member.text and 'data-testid="satisfaction-rate"' in member.text

    assert (await http.get("/board/nowhere")).status_code == 404
    assert (await http.get("/board/hongxing?month=2026-13")).status_code == 404


async def test_the_page_escapes_what_people_typed(http: httpx.AsyncClient) -> None:
    await Community.create(name="<script>alert(1)</script>社区", slug="xss")
    page = await http.get("/board/xss")
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;社区" in page.text


async def test_the_flag_holder_is_named_in_full_under_a_drawn_flag(http: httpx.AsyncClient) -> None:
    # given last month's flag won by 休闲小区 4号楼 2单元, hanging this month, and the flag made public
    folk = await voice.make_folk()
    await voice.hang_flag(folk.place)
    await BoardPublicity.create(community=folk.place.community, flag=True, updated_at=datetime.now(UTC))

    # when a passer-by opens the board
    page = (await http.get("/board/hongxing")).text

    # then the holder reads as the full place (a hundred entrances are called 2单元), after a flag
    # drawn in SVG: an emoji is a box where no emoji font is installed
    holder = page.split('data-testid="flag-holder">', 1)[1].split("</p>", 1)[0]
    assert holder.startswith('<svg class="flag-icon"') and holder.endswith("</svg>休闲小区 4号楼 2单元")
    assert "🚩" not in page
