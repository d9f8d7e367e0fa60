"""What a walk through the resident pages at 390×844 found, held in Debian's Chromium against the
app served in process (the test's own database): nothing wider than the phone, every button and
column heading on one line, a redeem button the member cannot use looks unusable, the photo
picker speaks Chinese whatever the phone's UI language, and the office's phone stays one piece."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from models.enums import Role
from models.rewards import RewardKind
from points_engine import redemption
from runtime.settings import Settings
from services import points, tags
from services.access import load_viewer
from tests.support.people import PASSWORD, make_neighbourhood, make_person
from tests.support.photos import png
from tests.support.server import serving_in_process
from tests.support.voice import hang_flag

CHROMIUM = "/usr/bin/chromium"
FONTS = Path(__file__).resolve().parents[3] / "services" / "fonts"
pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="chromium is not installed")

# Elements wider than the page, and text blocks broken over more lines than they should be.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LINES = """(selector) => [...document.querySelectorAll(selector)].map(e => {
  const s = getComputedStyle(e), px = (v) => parseFloat(v) || 0;
  const line = px(s.lineHeight) || px(s.fontSize) * 1.6;
  const inner = e.getBoundingClientRect().height - px(s.paddingTop) - px(s.paddingBottom)
    - px(s.borderTopWidth) - px(s.borderBottomWidth);
  return [e.textContent.trim(), Math.round(inner / line)];
})"""
BACKGROUNDS = (
    "(selector) => [...document.querySelectorAll(selector)].map(e => getComputedStyle(e).backgroundColor)"
)
ROW = """(selector) => document.querySelector(selector).insertAdjacentHTML('beforeend',
  '<tr><td>1. 休闲小区 4号楼 2单元<br><span class="note">本月检查少于 2 次，暂不参评</span></td>'
  + '<td class="n">100%</td><td class="n">0/4</td><td class="n">0/0</td><td class="n">—</td></tr>')"""
INLINE_LINES = "(selector) => [...document.querySelectorAll(selector)].map(e => e.getClientRects().length)"


def _chinese_fonts(tmp_path: Path) -> dict[str, str]:
    """The repository's Noto Sans SC through fontconfig, beside the machine's fonts: a CI machine
    may have no Chinese font, and widths measured on boxes would mean little."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONTS}</dir><cachedir>{tmp_path / 'fontcache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


async def test_the_resident_pages_fit_a_phone(settings: Settings, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    # given a member with 30 points, a catalogue with one gift they can afford, one too dear and
    # one gone, last month's flag hanging at their entrance, and an office with its phone set
    place = await make_neighbourhood()
    place.community.office_phone = "0451-8888 6666"
    await place.community.save(update_fields=["office_phone"])
    staff = await make_person(place.community, (Role.STAFF,))
    member = await make_person(place.community, household=place.households[0], name="王秀英")
    office = await load_viewer(staff.user.id)
    # (long descriptions: the demo's squeezed its buttons to "100 / 分兑 / 换")
    described = "随全年预缴物业费赠送，也可用红色积分兑换，凭码到社区服务站领取"
    for name, cost, stock in (("毛巾", 20, 5), ("东北大米 5kg", 300, 3), ("环保购物袋", 100, 0)):
        await redemption.create_reward(
            place.community.id, kind=RewardKind.GIFT, name=name, cost=cost, stock=stock, description=described
        )
    await points.manual(office, place.community.id, member.user.id, 30, "楼道清扫", "award-1", award=True)
    await hang_flag(place)
    code = tags.code_of(await tags.create_tag(office, place.entrance))

    app = create_app(settings, manage_database=False)
    async with serving_in_process(app) as base, async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--lang=en-US"],
            env=_chinese_fonts(tmp_path),
        )
        try:
            page = await browser.new_page(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
            )

            async def measure(selector: str) -> Any:
                return await page.evaluate(LINES, selector)

            # Signed out at the tag: our photo button (the browser's own says "Choose Files" on an
            # English phone), the count of chosen photos, the office's number on one line.
            await page.goto(f"{base}/t/{code}")
            assert await page.evaluate(OVERFLOW) == 0
            assert await page.locator("label.pick").inner_text() == "拍照或选择照片"
            assert (await page.locator("#photos").bounding_box() or {"width": 99})["width"] <= 1
            await page.set_input_files(
                "#photos", [{"name": "a.png", "mimeType": "image/png", "buffer": png()}]
            )
            assert await page.locator(".picked").inner_text() == "已选 1 张照片"
            assert await page.evaluate(INLINE_LINES, 'a[href^="tel:"]') == [1]

            await page.goto(f"{base}/login?next=/me")
            await page.fill("#phone", member.phone)
            await page.fill("#password", PASSWORD)
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{base}/me")
            assert "休闲小区 4号楼 2单元 301" in await page.inner_text("main")  # the household in full

            # Points: each button on one line; those the member cannot use look it.
            await page.goto(f"{base}/me/points")
            assert await page.evaluate(OVERFLOW) == 0
            buttons = await measure("button.small")
            assert [text for text, _ in buttons] == ["20 分兑换", "300 分兑换", "已兑完"]
            assert all(lines == 1 for _, lines in buttons), buttons
            colours = await page.evaluate(BACKGROUNDS, "button.small")
            assert colours[1] == colours[2] != colours[0]
            assert await page.locator("[data-testid=short]").all_inner_texts() == ["还差 270 分"]

            # The board: column headings on one line, not a character per line.
            await page.goto(f"{base}/me/board")
            assert await page.evaluate(OVERFLOW) == 0
            # A row as the demo's month shows them (this world's month has no standing rows yet):
            # a long label and note squeeze the number columns to their narrowest.
            await page.evaluate(ROW, "[data-testid=flag-breakdown]")
            headings = await measure("th")
            assert headings and all(lines == 1 for _, lines in headings), headings
        finally:
            await browser.close()
