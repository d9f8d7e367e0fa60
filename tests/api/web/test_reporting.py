"""The report path of the web pages, in process: what a tag's page shows to whom, me too, a report
with photos, a duplicate offered as me too, signing in or joining inside the form without losing
the text or the photos, CSRF, idempotency, and someone else's report staying private."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from models.enums import Role
from models.reports import Report, ReportPhoto
from runtime import clock
from services import tags
from services.access import load_viewer
from services.photo_storage import LocalDiskStorage, use_storage
from services.teams.checkin_codes import code_of_scan
from tests.api.web.support import csrf_of, post_form, sign_in
from tests.support.people import PASSWORD, Neighbourhood, Person, make_neighbourhood, make_person
from tests.support.photos import jpeg_with_gps, png

_DRAFT = re.compile(r'name="draft" value="([0-9a-f]{32})"')
_IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([0-9a-f]+)"')


@dataclass
class Stairwell:
    place: Neighbourhood
    code: str
    resident: Person
    neighbour: Person

    @property
    def url(self) -> str:
        return f"/t/{self.code}"


@pytest.fixture
async def stairwell() -> Stairwell:
    place = await make_neighbourhood()
    staff = await make_person(place.community, (Role.STAFF,), name="办公室")
    tag = await tags.create_tag(await load_viewer(staff.user.id), place.entrance)
    return Stairwell(
        place=place,
        code=tags.code_of(tag),
        resident=await make_person(place.community, household=place.households[0], name="王秀英"),
        neighbour=await make_person(place.community, household=place.households[1], name="李大爷"),
    )


def _report_form(page: str, **fields: str) -> dict[str, str]:
    found = _IDEMPOTENCY.search(page)
    assert found is not None
    return {"csrf_token": csrf_of(page), "action": "report", "idempotency_key": found[1], **fields}


async def _report(
    http: httpx.AsyncClient, spot: Stairwell, photos: list[bytes], **fields: str
) -> httpx.Response:
    page = (await http.get(spot.url)).text
    files = [("photos", (f"p{i}.jpg", data, "image/jpeg")) for i, data in enumerate(photos)]
    return await http.post(spot.url, data=_report_form(page, **fields), files=files or None)


async def test_a_member_reports_with_photos_and_a_neighbour_says_me_too(
    http: httpx.AsyncClient, stairwell: Stairwell
) -> None:
    await sign_in(http, stairwell.resident.phone, PASSWORD)
    sent = await _report(
        http,
        stairwell,
        [jpeg_with_gps(), jpeg_with_gps(colour="blue")],
        category="LIGHTING",
        text="三楼灯闪烁",
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("?done=sent")
    report = await Report.get(reporter_id=stairwell.resident.user.id)
    assert report.text == "三楼灯闪烁" and await ReportPhoto.filter(report_id=report.id).count() == 2
    shown = await http.get(sent.headers["location"])
    assert "报修已提交" in shown.text and shown.text.count("报修照片") == 2
    assert "休闲小区 4号楼 2单元" in shown.text  # the full label, never 2单元 alone
    assert "休闲小区 4号楼 2单元" in (await http.get("/me/reports")).text

    # Signed out, the page tells only how many problems are open here; a member sees them.
    await post_form(http, "/logout", {}, from_page="/me")
    anonymous = (await http.get(stairwell.url)).text
    assert "照明" in anonymous and "等待接单" in anonymous and "登录后点「我也遇到了」" in anonymous
    assert "三楼灯闪烁" not in anonymous and "王秀英" not in anonymous
    await sign_in(http, stairwell.neighbour.phone, PASSWORD)
    page = (await http.get(stairwell.url)).text
    assert "三楼灯闪烁" in page and "我也遇到了" in page
    report_id = re.search(r'name="report_id" value="([^"]+)"', page)[1]  # type: ignore[index]
    done = await http.post(
        stairwell.url, data={"csrf_token": csrf_of(page), "action": "metoo", "report_id": report_id}
    )
    assert done.status_code == 303
    after = (await http.get(done.headers["location"])).text
    assert "您也遇到了这个问题" in after and "已+1" in after and "1 人也遇到" in after

    # The neighbour files the same thing anyway: the page offers me too on the existing report.
    again = await _report(http, stairwell, [], category="LIGHTING", text="灯坏了")
    assert again.status_code == 400
    assert 'data-testid="duplicate"' in again.text and "这里已经有人报了同样的问题" in again.text
    assert await Report.all().count() == 1


async def test_signing_in_inside_the_form_keeps_the_text_and_the_photos(
    http: httpx.AsyncClient, stairwell: Stairwell
) -> None:
    wrong = await _report(
        http,
        stairwell,
        [png()],
        category="PLUMBING",
        text="水管漏水",
        phone=stairwell.resident.phone,
        password="not-it-123",
    )
    assert wrong.status_code == 400 and "手机号或密码不对" in wrong.text
    assert "水管漏水" in wrong.text and 'value="PLUMBING" checked' in wrong.text
    drafts = _DRAFT.findall(wrong.text)
    assert len(drafts) == 1 and "已保留您刚才选的 1 张照片" in wrong.text
    # The photo is not sent again: the kept one goes with the report.
    form = _report_form(
        wrong.text, category="PLUMBING", text="水管漏水", phone=stairwell.resident.phone, password=PASSWORD
    )
    sent = await http.post(stairwell.url, data={**form, "draft": drafts[0]})
    assert sent.status_code == 303, sent.text
    report = await Report.get(reporter_id=stairwell.resident.user.id)
    photos = await ReportPhoto.filter(report_id=report.id)
    assert len(photos) == 1 and photos[0].content_type == "image/png"


async def test_a_draft_name_from_elsewhere_is_ignored(http: httpx.AsyncClient, stairwell: Stairwell) -> None:
    await sign_in(http, stairwell.resident.phone, PASSWORD)
    page = (await http.get(stairwell.url)).text
    form = _report_form(page, category="OTHER", text="门坏了")
    sent = await http.post(stairwell.url, data={**form, "draft": ["../../secret", "0" * 32]})
    assert sent.status_code == 303
    assert await ReportPhoto.all().count() == 0 and await Report.all().count() == 1


async def test_a_non_member_joins_with_the_code_inside_the_form(
    http: httpx.AsyncClient, stairwell: Stairwell
) -> None:
    stranger = await make_person(None, name="新住户")
    await sign_in(http, stranger.phone, PASSWORD)
    page = (await http.get(stairwell.url)).text
    assert 'id="code"' in page  # the form asks for the office's code
    refused = await _report(http, stairwell, [], category="OTHER", text="门坏了")
    assert refused.status_code == 400 and "加入本社区后才能在这里报修" in refused.text
    assert await Report.all().count() == 0


async def test_the_form_needs_its_csrf_token_and_a_double_tap_files_once(
    http: httpx.AsyncClient, stairwell: Stairwell
) -> None:
    await sign_in(http, stairwell.resident.phone, PASSWORD)
    page = (await http.get(stairwell.url)).text
    form = _report_form(page, category="SANITATION", text="垃圾没清")
    forged = await http.post(stairwell.url, data={**form, "csrf_token": "f" * 40})
    assert forged.status_code == 403 and await Report.all().count() == 0
    first = await http.post(stairwell.url, data=form)
    second = await http.post(stairwell.url, data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await Report.all().count() == 1


async def test_missing_fields_are_named_in_chinese(http: httpx.AsyncClient, stairwell: Stairwell) -> None:
    await sign_in(http, stairwell.resident.phone, PASSWORD)
    empty = await _report(http, stairwell, [])
    assert empty.status_code == 400
    assert '<a href="#category">请选择问题的类型。</a>' in empty.text
    assert '<a href="#text">请简单写一下是什么问题。</a>' in empty.text


async def test_someone_elses_report_page_is_not_shown(http: httpx.AsyncClient, stairwell: Stairwell) -> None:
    await sign_in(http, stairwell.resident.phone, PASSWORD)
    sent = await _report(http, stairwell, [], category="LIGHTING", text="楼道灯不亮")
    other = await make_neighbourhood("binhe", "滨河社区")
    outsider = await make_person(other.community, name="外人")
    await post_form(http, "/logout", {}, from_page="/me")
    await sign_in(http, outsider.phone, PASSWORD)
    page = await http.get(sent.headers["location"])
    assert page.status_code in (403, 404) and "楼道灯不亮" not in page.text.replace("例如：楼道灯不亮", "")


async def test_reopening_needs_a_reason(http: httpx.AsyncClient, stairwell: Stairwell) -> None:
    await sign_in(http, stairwell.resident.phone, PASSWORD)
    sent = await _report(http, stairwell, [], category="LIGHTING", text="楼道灯不亮")
    path = sent.headers["location"].split("?")[0]
    page = (await http.get("/me")).text
    response = await http.post(path, data={"csrf_token": csrf_of(page), "action": "reopen", "reason": ""})
    assert response.status_code == 400 and "请说一下哪里还没修好" in response.text


async def test_unknown_and_revoked_codes_have_their_own_pages(
    http: httpx.AsyncClient, stairwell: Stairwell
) -> None:
    assert (await http.get("/t/NOTACODE")).status_code == 404


def test_the_captains_qr_url_carries_the_code() -> None:
    assert code_of_scan("https://hx.example.cn/c/12.345.ABCDEF") == "12.345.ABCDEF"
    assert code_of_scan(" 12.345.ABCDEF ") == "12.345.ABCDEF"
    assert code_of_scan("https://hx.example.cn/c/12.345.ABC?from=wechat") == "12.345.ABC"


async def test_a_signed_out_visitor_is_given_the_offices_phone(
    http: httpx.AsyncClient, stairwell: Stairwell
) -> None:
    # given an office that put its phone in the community's settings
    stairwell.place.community.office_phone = "0451-8888 6666"
    await stairwell.place.community.save(update_fields=["office_phone"])

    # when someone without an account scans the stairwell's code
    page = (await http.get(stairwell.url)).text

    # then the page offers the number to call, as a tel: link
    assert 'data-testid="office-phone"' in page
    assert '<a href="tel:045188886666">0451-8888 6666</a>' in page


async def test_kept_photos_live_in_the_photo_storage_for_an_hour(
    http: httpx.AsyncClient, stairwell: Stairwell, tmp_path: Path, moved_clock: clock.MovableClock
) -> None:
    # given a photo storage of the server's own (report photos and drafts go to the same place)
    storage = LocalDiskStorage(tmp_path / "storage")
    previous = use_storage(storage)
    try:
        # when a wrong password sends the form back with its photo kept
        wrong = await _report(
            http, stairwell, [png()], category="PLUMBING", text="水管漏水", phone="13900009999", password="x"
        )
        [name] = _DRAFT.findall(wrong.text)

        # then the draft is in that storage, under a key the server chose
        assert await storage.keys("webdrafts") == [f"webdrafts/{name}.jpg"]

        # and an hour later its name means nothing, and the next kept photo sweeps it away
        moved_clock.advance(minutes=61)
        later = await _report(
            http,
            stairwell,
            [png((40, 40))],
            category="PLUMBING",
            text="水管漏水",
            phone="13900009999",
            password="x",
            draft=name,
        )
        [fresh] = _DRAFT.findall(later.text)
        assert fresh != name and "已保留您刚才选的 1 张照片" in later.text
        assert await storage.keys("webdrafts") == [f"webdrafts/{fresh}.jpg"]
    finally:
        use_storage(previous)
