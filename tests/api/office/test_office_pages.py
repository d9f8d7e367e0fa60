"""The office console's pages through the ASGI app: every page renders for staff, residents are
refused, forms show the typed error next to their field, and the actions do their work once."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from models.places import Building, Community
from services.demo import DEMO_PASSWORD, seed_register
from tests.api.web.support import post_form, sign_in
from tests.conftest import QueryCounter
from tests.support.people import gid

PAGES = (
    "/office/",
    "/office/reports",
    "/office/reports?queue=OVERDUE",
    "/office/reports/new",
    "/office/reports/new?q=测试",
    "/office/members",
    "/office/members?q=1",
    "/office/pickups",
    "/office/opinions",
    "/office/accounts",
    "/office/month",
    "/office/places",
    "/office/teams",
    "/office/rewards",
    "/office/flags",
    "/office/inspections",
    "/office/appointments",
    "/office/observers",
    "/office/observers?month=2026-11",
    "/office/meetings",
    "/office/surveys",
    "/office/rules",
    "/office/invites",
    "/office/board",
)


async def _staff(http: httpx.AsyncClient) -> dict[str, str]:
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    signed = await sign_in(http, logins["staff"], DEMO_PASSWORD)
    assert signed.status_code == 303
    return logins


async def test_every_office_page_renders_for_staff(http: httpx.AsyncClient) -> None:
    await _staff(http)
    for path in PAGES:
        page = await http.get(path)
        assert page.status_code == 200, (path, page.text[:2000])
        assert "社区办公室" in page.text
        # Nothing from another host: every src and href is a path of this site.
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text), path


async def test_residents_and_strangers_do_not_get_the_console(http: httpx.AsyncClient) -> None:
    assert (await http.get("/office/")).headers["location"] == "/login?next=/office/"
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    await sign_in(http, logins["resident"], DEMO_PASSWORD)
    refused = await http.get("/office/")
    assert refused.status_code == 403 and "只有社区办公室的工作人员" in refused.text


async def test_a_team_form_shows_the_typed_error_next_to_its_field(http: httpx.AsyncClient) -> None:
    await _staff(http)
    created = await post_form(http, "/office/teams", {"name": "银发巡河队", "kind": "RIVER_PATROL"})
    assert created.status_code == 303
    again = await post_form(http, "/office/teams", {"name": "银发巡河队", "kind": "RIVER_PATROL"})
    assert again.status_code == 400
    assert 'id="name-error">这个名称已经有了' in again.text
    assert (await Community.get(slug="hongxing")) is not None


async def test_the_rest_of_the_office_forms_do_their_work(http: httpx.AsyncClient) -> None:
    logins = await _staff(http)
    # Round table: call it, add a topic with a vote, close it with the decision.
    called = await post_form(
        http,
        "/office/meetings",
        {
            "title": "十二月圆桌会",
            "location": "活动室",
            "startsAt": "2026-12-10T19:00",
            "endsAt": "2026-12-10T21:00",
        },
    )
    assert called.status_code == 303, called.text[:3000]
    meeting = called.headers["location"]
    added = await post_form(http, meeting, {"title": "北门划车位", "choices": "同意，反对"})
    assert added.status_code == 303
    page = (await http.get(meeting)).text
    topic_id = re.search(r'name="topicId" value="([^"]+)"', page)
    assert topic_id is not None and "北门划车位" in page
    closed = await post_form(
        http, meeting + "/close", {"topicId": topic_id[1], "decision": "划 20 个车位"}, from_page=meeting
    )
    assert closed.status_code == 303 and "决定：划 20 个车位" in (await http.get(meeting)).text
    # A survey, with a missing field said at the field first.
    empty = await post_form(http, "/office/surveys", {"title": "维修满意度"})
    assert empty.status_code == 400 and 'id="questions-error"' in empty.text
    made = await post_form(
        http,
        "/office/surveys",
        {
            "title": "维修满意度",
            "questions": "及时吗？\n态度好吗？",
            "opensAt": "2026-11-23T08:00",
            "closesAt": "2026-11-30T20:00",
        },
    )
    assert made.status_code == 303 and "及时吗？；态度好吗？" in (await http.get("/office/surveys")).text
    # Rules: a new version; clocks; a bad number at its field.
    bad = await post_form(http, "/office/rules", {"inspection": "x"})
    assert bad.status_code == 400 and 'id="inspection-error"' in bad.text
    rules_page = (await http.get("/office/rules")).text
    current = dict(re.findall(r'name="(\w+)" value="(\d+)"', rules_page))
    version = re.search(r"积分规则（第 (\d+) 版）", rules_page)
    assert version is not None
    saved = await post_form(http, "/office/rules", {**current, "inspection": "8"})
    assert (
        saved.status_code == 303 and f"第 {int(version[1]) + 1} 版" in (await http.get("/office/rules")).text
    )
    clocks = await post_form(
        http,
        "/office/rules/clocks",
        {"claimMinutes": "60", "resolveMinutes": "2880"},
        from_page="/office/rules",
    )
    assert clocks.status_code == 303
    unknown = await post_form(
        http,
        "/office/rules/reverse",
        {"transferId": "UG9pbnRUcmFuc2Zlcjo5OTk=", "reason": "录错"},
        from_page="/office/rules",
    )
    assert unknown.status_code == 400 and 'id="transferId-error"' in unknown.text
    # Invites: staff may invite residents; inviting staff needs an admin (said at the roles).
    resident_invite = await post_form(
        http, "/office/invites", {"roles": "RESIDENT", "maxUses": "5", "validDays": "7"}
    )
    assert resident_invite.status_code == 200 and 'data-testid="invite"' in resident_invite.text
    staff_invite = await post_form(
        http, "/office/invites", {"roles": "STAFF", "maxUses": "1", "validDays": "7"}
    )
    assert staff_invite.status_code in (400, 403)
    # The notice board's sections.
    shown = await post_form(http, "/office/board", {"flag": "on", "accounts": "on"})
    assert shown.status_code == 303
    board = (await http.get("/office/board")).text
    assert 'name="flag" checked' in board and 'name="volunteers" checked' not in board
    assert logins["staff"]


async def test_a_double_clicked_create_button_does_one_thing(http: httpx.AsyncClient) -> None:
    """The form carries one key; both posts of a double-click send it, the API makes one."""
    from models.open_books import AccountEntry
    from models.rewards import Reward
    from models.teams import Team

    await _staff(http)
    for path, form, model, where in (
        ("/office/teams", {"name": "互助队", "kind": "MUTUAL_AID"}, Team, {"name": "互助队"}),
        ("/office/rewards", {"name": "雨伞", "kind": "GIFT", "cost": "30"}, Reward, {"name": "雨伞"}),
        (
            "/office/accounts",
            {"month": "2026-11", "category": "LABOUR", "amount": "300.00", "memo": "保洁工资"},
            AccountEntry,
            {"memo": "保洁工资"},
        ),
    ):
        page = (await http.get(path)).text
        key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page)
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
        assert key is not None and token is not None, path
        body = {"csrf_token": token[1], "idempotency_key": key[1], **form}
        first, second = await http.post(path, data=body), await http.post(path, data=body)
        assert first.status_code == second.status_code == 303, (path, second.text[:2000])
        assert await model.filter(**where).count() == 1, path


async def test_staff_set_care_tags_on_an_entrance_page(http: httpx.AsyncClient) -> None:
    from models.places import Entrance, Household, HouseholdCareTag

    await _staff(http)
    entrance = await Entrance.filter(households__id__isnull=False).order_by("id").first()
    assert entrance is not None
    household = await Household.filter(entrance_id=entrance.id).order_by("id").first()
    assert household is not None
    from tests.support.people import gid

    path = f"/office/places/entrance/{gid('Entrance', entrance.id)}"
    assert (await http.get(path)).status_code == 200
    saved = await post_form(
        http, path, {"householdId": gid("Household", household.id), "tags": ["LIVING_ALONE", "HARDSHIP"]}
    )
    assert saved.status_code == 303
    assert {str(t.kind) for t in await HouseholdCareTag.filter(household_id=household.id)} >= {
        "living_alone",
        "hardship",
    }


async def test_the_office_prints_a_volunteer_card_for_a_team_member(http: httpx.AsyncClient) -> None:
    from models.people import User
    from models.teams import Team, TeamMember
    from services.phones import normalize_phone
    from tests.support.people import gid

    logins = await _staff(http)
    await post_form(http, "/office/teams", {"name": "银发巡河队", "kind": "RIVER_PATROL"})
    team = await Team.get(name="银发巡河队")
    volunteer = await User.get(phone=normalize_phone(logins["volunteer"]))
    appointed = await post_form(
        http,
        "/office/teams/captain",
        {"teamId": gid("Team", team.id), "userId": gid("User", volunteer.id)},
        from_page="/office/teams",
    )
    assert appointed.status_code == 303
    member = await TeamMember.get(team_id=team.id, user_id=volunteer.id)
    user = gid("User", member.user_id)
    page = await http.get("/office/card", params={"user": user, "name": "张大爷"})
    assert page.status_code == 200 and 'data-testid="volunteer-card"' in page.text
    image = await http.get("/office/card.png", params={"user": user})
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert (await http.get("/office/card.png", params={"user": "bm9wZQ=="})).status_code == 404


async def test_tags_are_made_reissued_and_revoked_from_the_place_tree(http: httpx.AsyncClient) -> None:
    from models.tags import Tag

    await _staff(http)
    building = await Building.filter(compound__community__slug="hongxing").order_by("id").first()
    assert building is not None
    made = await post_form(
        http,
        "/office/places/tags-for-building",
        {"buildingId": gid("Building", building.id)},
        from_page="/office/places",
    )
    assert made.status_code == 303 and made.headers["location"].startswith("/office/places/sheet?building=")
    sheet = await http.get(made.headers["location"])
    assert (
        sheet.status_code == 200
        and sheet.text.count("<figure>") == await Tag.filter(entrance__building_id=building.id).count()
    )
    tag = await Tag.filter(entrance__building_id=building.id, revoked_at=None).order_by("id").first()
    assert tag is not None
    reissued = await post_form(
        http, "/office/places/tag-reissue", {"tagId": gid("Tag", tag.id)}, from_page="/office/places"
    )
    assert reissued.status_code == 200 and "补发" in reissued.text
    fresh = await Tag.filter(revoked_at=None, entrance_id=tag.entrance_id).first()
    assert fresh is not None and fresh.id != tag.id
    revoked = await post_form(
        http, "/office/places/tag-revoke", {"tagId": gid("Tag", fresh.id)}, from_page="/office/places"
    )
    assert revoked.status_code == 303
    assert await Tag.filter(id=fresh.id, revoked_at=None).count() == 0


async def test_a_month_closed_earlier_shows_its_closed_card_and_no_button(http: httpx.AsyncClient) -> None:
    """Issue 18's "neither the button nor the closed card": the monthly job (or the demo) closes
    last month before anyone opens the page; the page then shows the closed card and the stored
    breakdown by full labels, and nothing to confirm."""
    from services.corridor_flag import close_month

    await _staff(http)
    community = await Community.get(slug="hongxing")
    before = (await http.get("/office/month")).text
    assert "确认结算" in before and 'data-testid="month-closed"' not in before
    month = re.search(r'name="month" value="(\d{4}-\d{2})"', before)
    assert month is not None
    assert (await close_month(community.id, month[1])).created
    after = await http.get("/office/month")
    assert after.status_code == 200
    assert 'data-testid="month-closed"' in after.text and f"{month[1]} 已结算" in after.text
    assert "这个月已经结算过" in after.text and "确认结算" not in after.text
    assert 'data-testid="breakdown"' in after.text
    building = await Building.filter(compound__community_id=community.id).prefetch_related("compound").first()
    assert building is not None and f"{building.compound.name} {building.name} " in after.text


async def test_the_office_registers_an_elder_without_a_phone_and_adds_one_later(
    http: httpx.AsyncClient,
) -> None:
    from models.people import User
    from models.places import Entrance, Household

    await _staff(http)
    household = await Household.filter(community__slug="hongxing").order_by("id").first()
    assert household is not None
    entrance = await Entrance.get(id=household.entrance_id)
    # A home that is not in the register is said at the number, and nobody is added.
    wrong = await post_form(
        http,
        "/office/members",
        {"displayName": "张大爷", "entranceId": gid("Entrance", entrance.id), "number": "不存在"},
    )
    assert wrong.status_code == 400 and 'id="number-error"' in wrong.text
    assert not await User.exists(display_name="张大爷")
    # Registered without a phone, at their home; a double-click registers one.
    page = (await http.get("/office/members")).text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert key is not None and token is not None
    body = {
        "csrf_token": token[1],
        "idempotency_key": key[1],
        "displayName": "张大爷",
        "phone": "",
        "entranceId": gid("Entrance", entrance.id),
        "number": household.number,
    }
    first, second = (
        await http.post("/office/members", data=body),
        await http.post("/office/members", data=body),
    )
    assert first.status_code == second.status_code == 303
    elder = await User.get(display_name="张大爷")
    assert elder.phone is None and await User.filter(display_name="张大爷").count() == 1
    found = (await http.get(first.headers["location"])).text
    assert "无手机（不能登录）" in found and f"{household.number}</td>" in found
    # A phone later: a bad number at its field, then a good one with a first password.
    form = f"/office/members?q=张大爷&phone_for={gid('User', elder.id)}"
    assert 'data-testid="phone-form"' in (await http.get(form)).text
    bad = await post_form(
        http,
        "/office/members/phone",
        {"q": "张大爷", "userId": gid("User", elder.id), "newPhone": "123", "password": "long-enough-9"},
        from_page=form,
    )
    assert bad.status_code == 400 and 'id="newPhone-error"' in bad.text
    done = await post_form(
        http,
        "/office/members/phone",
        {"userId": gid("User", elder.id), "newPhone": "13987654321", "password": "long-enough-9"},
        from_page=form,
    )
    assert done.status_code == 303
    assert (await User.get(id=elder.id)).phone == "+8613987654321"
    # Shown as the office dials it, not in E.164.
    assert "139 8765 4321" in (await http.get(done.headers["location"])).text


async def test_a_phoned_in_report_is_filed_for_the_resident_or_notes_a_caller(
    http: httpx.AsyncClient,
) -> None:
    from models.people import User
    from models.places import Entrance
    from models.reports import Report
    from services.phones import normalize_phone

    logins = await _staff(http)
    resident = await User.get(phone=normalize_phone(logins["resident"]))
    entrance = await Entrance.filter(building__compound__community__slug="hongxing").order_by("id").first()
    assert entrance is not None
    # The office finds the resident by name and picks them.
    search = (await http.get("/office/reports/new", params={"q": resident.display_name})).text
    assert 'data-testid="member-results"' in search and "为这位居民报修" in search
    chosen = f"/office/reports/new?for={gid('User', resident.id)}&name={resident.display_name}"
    picked = (await http.get(chosen)).text
    assert 'data-testid="chosen-resident"' in picked and resident.display_name in picked
    filed = await post_form(
        http,
        chosen,
        {
            "proxyForId": gid("User", resident.id),
            "proxyForName": resident.display_name,
            "placeId": gid("Entrance", entrance.id),
            "category": "LIGHTING",
            "text": "三楼楼道灯不亮",
        },
    )
    assert filed.status_code == 303, filed.text[:2000]
    report = await Report.get(text="三楼楼道灯不亮")
    # Theirs: in their 我的报修 (reporter or proxy_for) and so in their notifications.
    assert report.proxy_for_id == resident.id
    # A caller who is not a member: name and phone kept for staff, out of the report's text.
    empty = await post_form(http, "/office/reports/new", {"placeId": gid("Entrance", entrance.id)})
    assert empty.status_code == 400 and 'id="callerName-error"' in empty.text
    noted = await post_form(
        http,
        "/office/reports/new",
        {
            "callerName": "过路的刘师傅",
            "callerPhone": "13911112222",
            "placeId": gid("Entrance", entrance.id),
            "category": "PLUMBING",
            "text": "下水道堵了",
        },
    )
    assert noted.status_code == 303
    other = await Report.get(text="下水道堵了")
    assert other.proxy_for_id is None and "13911112222" in other.proxy_channel
    assert (
        "来电人：过路的刘师傅 13911112222" in (await http.get(noted.headers["location"].split("?")[0])).text
    )


async def test_the_overview_polls_its_live_numbers_cheaply(
    http: httpx.AsyncClient, queries: QueryCounter
) -> None:
    """Issue 18's live overview: the page names its script and keeps a refresh link (no
    JavaScript: a manual refresh); /office/live answers the numbers as JSON, a new report shows
    in the next poll, and one poll costs a fixed, small number of statements."""
    import time

    from models.places import Entrance

    await _staff(http)
    overview = (await http.get("/office/")).text
    assert "/static/office-live.js" in overview or "office-live" in overview
    assert 'data-testid="refresh"' in overview and 'data-live="unclaimed"' in overview
    first = await http.get("/office/live")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    numbers = first.json()["numbers"]
    assert set(numbers) >= {"unclaimed", "overdue", "escalated", "pickups", "flags", "opinions-open"}
    entrance = await Entrance.filter(building__compound__community__slug="hongxing").order_by("id").first()
    assert entrance is not None
    filed = await post_form(
        http,
        "/office/reports/new",
        {
            "callerName": "王阿姨",
            "placeId": gid("Entrance", entrance.id),
            "category": "LIGHTING",
            "text": "灯不亮",
        },
    )
    assert filed.status_code == 303
    polled = (await http.get("/office/live")).json()["numbers"]
    assert polled["unclaimed"] == numbers["unclaimed"] + 1
    costs, times = [], []
    for _ in range(5):
        before, started = queries.count, time.perf_counter()
        assert (await http.get("/office/live")).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
        costs.append(queries.count - before)
    print(f"\n/office/live: {costs[0]} statements, median {sorted(times)[2]:.1f} ms")
    # Measured on SQLite: 17 statements a poll (the viewer and its community; six counts; and the
    # connections' own page reads, which `first: 0` does not skip: the report queues, pickups,
    # abuse flags with their empty batch loads). Flat: it does not grow with the reports.
    assert len(set(costs)) == 1 and costs[0] <= 17, costs


async def test_the_adopted_count_is_the_adopted_list_it_links_to(http: httpx.AsyncClient) -> None:
    """The overview's "已采纳、待办结" badge links to the list of adopted opinions not done yet,
    and the page's script writes /office/live's number into it: both say what that list shows,
    not the API's `adopted` (which counts the ones done since as well)."""
    from models.people import User
    from models.voice import OpinionKind, OpinionStatus, OpinionTopic
    from services import opinions
    from services.access import load_viewer
    from services.phones import normalize_phone

    logins = await _staff(http)
    community = await Community.get(slug="hongxing")
    resident = await load_viewer((await User.get(phone=normalize_phone(logins["resident"]))).id)
    staff = await load_viewer((await User.get(phone=normalize_phone(logins["staff"]))).id)
    posted = [
        await opinions.post(resident, community.id, OpinionKind.SUGGESTION, OpinionTopic.FACILITIES, text)
        for text in ("花园里加几张长椅", "楼道里装扶手", "晚上路灯早点开")
    ]
    for opinion in posted[:2]:
        await opinions.answer(staff, opinion, OpinionStatus.ADOPTED, "", "社区安排施工")
    await opinions.mark_done(staff, posted[0])

    listed = (await http.get("/office/opinions?status=ADOPTED")).text
    waiting = listed.count("标记办结")  # one button a row still to be done
    overview = (await http.get("/office/")).text
    badge = re.search(r'data-live="opinions-adopted">(\d+)<', overview)
    assert badge is not None and int(badge[1]) == waiting == 1
    live = await http.get(re.search(r'data-live-url="([^"]+)"', overview)[1])  # type: ignore[index]
    assert live.json()["numbers"]["opinions-adopted"] == waiting


async def test_every_opinion_tab_counts_the_rows_its_list_shows(http: httpx.AsyncClient) -> None:
    """The opinions page's tabs (全部, 待答复, 已采纳, 已办结 …) each say how many rows the list
    behind them shows: "已采纳" lists the adopted opinions not done yet, so it does not count the
    ones done since (they are under "已办结"), whatever the API's `adopted` counts."""
    from models.people import User
    from models.voice import OpinionKind, OpinionStatus, OpinionTopic
    from services import opinions
    from services.access import load_viewer
    from services.phones import normalize_phone

    # Given three opinions: two adopted, one of them since done, and one still open
    logins = await _staff(http)
    community = await Community.get(slug="hongxing")
    resident = await load_viewer((await User.get(phone=normalize_phone(logins["resident"]))).id)
    staff = await load_viewer((await User.get(phone=normalize_phone(logins["staff"]))).id)
    posted = [
        await opinions.post(resident, community.id, OpinionKind.SUGGESTION, OpinionTopic.FACILITIES, text)
        for text in ("花园里加几张长椅", "楼道里装扶手", "晚上路灯早点开")
    ]
    for opinion in posted[:2]:
        await opinions.answer(staff, opinion, OpinionStatus.ADOPTED, "", "社区安排施工")
    await opinions.mark_done(staff, posted[0])

    # When the office opens the page and each tab's list
    page = (await http.get("/office/opinions")).text
    tab = r'<a href="/office/opinions(?:\?status=(\w+))?"[^>]*>\S+ (\d+)</a>'
    tabs = {key or "": int(number) for key, number in re.findall(tab, page)}

    # Then every tab's number is the rows of its list
    assert set(tabs) == {"", "OPEN", "ADOPTED", "DONE", "ANSWERED", "DECLINED"}
    for key, number in tabs.items():
        listed = (await http.get(f"/office/opinions?status={key}" if key else "/office/opinions")).text
        assert listed.count('data-label="意见"') == number, key
    assert (tabs["ADOPTED"], tabs["DONE"], tabs["OPEN"]) == (1, 1, 1)


async def test_the_live_numbers_are_for_the_office_only(http: httpx.AsyncClient) -> None:
    stranger = await http.get("/office/live")
    assert stranger.status_code in (303, 401) and "application/json" not in stranger.headers.get(
        "content-type", ""
    )
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    await sign_in(http, logins["resident"], DEMO_PASSWORD)
    refused = await http.get("/office/live")
    assert refused.status_code == 403 and "numbers" not in refused.text


async def test_renaming_a_building_updates_every_label_but_not_notifications_sent(
    http: httpx.AsyncClient,
) -> None:
    """Labels are computed from the names when read: the queue shows the new name at once. A
    notification already sent keeps the name it was sent with (what the person read then)."""
    from models.enums import ReportCategory
    from models.people import User
    from models.places import Entrance
    from models.reports import Notification
    from services import reports
    from services.access import load_viewer
    from services.phones import normalize_phone

    logins = await _staff(http)
    entrance = await Entrance.filter(building__compound__community__slug="hongxing").order_by("id").first()
    assert entrance is not None
    building = await Building.get(id=entrance.building_id).prefetch_related("compound")
    resident = await User.get(phone=normalize_phone(logins["resident"]))
    filed = await reports.file_report(
        await load_viewer(resident.id), entrance, ReportCategory.LIGHTING, "楼道灯坏了", rate_limited=False
    )
    sent = await Notification.filter(report_id=filed.report.id).first()
    old_label = f"{building.compound.name} {building.name} {entrance.name}"
    form = await http.get("/office/places/rename", params={"id": gid("Building", building.id)})
    assert form.status_code == 200 and old_label.rsplit(" ", 1)[0] in form.text
    empty = await post_form(
        http,
        "/office/places/rename",
        {"id": gid("Building", building.id), "name": " "},
        from_page="/office/places",
    )
    assert empty.status_code == 400 and 'id="name-error"' in empty.text
    renamed = await post_form(
        http,
        "/office/places/rename",
        {"id": gid("Building", building.id), "name": "东楼"},
        from_page="/office/places",
    )
    assert renamed.status_code == 303
    assert f"{building.compound.name} 东楼" in (await http.get(renamed.headers["location"])).text
    queue = (await http.get("/office/reports?queue=UNCLAIMED")).text
    assert f"{building.compound.name} 东楼 {entrance.name}" in queue
    assert sent is not None  # the repairers were told, with the label of the time
    await sent.refresh_from_db()
    assert old_label in str(sent.text_params)


async def test_the_month_page_folds_the_ranked_entrances_after_the_tenth(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo ranks 98 entrances: on a phone, 98 cards. The table holds the first ten; the rest
    fold under their count. The API's answer is made up here: this is a test of the view."""
    from api.web.office.common import Office
    from api.web.operations import Outcome

    entrances = [
        {
            "entranceId": f"e{n}",
            "entranceName": f"{n}单元",
            "entranceLabel": f"新华小区 1号楼 {n}单元",
            "eligible": True,
            "reason": None,
            "rank": n,
            "score": 100.0 - n,
            "inspections": 2,
            "averageInspection": 4.0,
            "households": 4,
            "volunteeringHouseholds": 1,
            "reportsCounted": 0,
            "reportsInTime": 0,
        }
        for n in range(1, 26)
    ]
    real = Office.run

    async def run(office: Office, name: str, variables: dict[str, Any] | None = None) -> Outcome:
        if name == "OfficeCorridorStanding":
            standing = {"month": "2026-11", "provisional": True, "entrances": entrances}
            return Outcome(data={"corridorStanding": {"standing": standing, "errors": []}})
        return await real(office, name, variables)

    monkeypatch.setattr(Office, "run", run)
    await _staff(http)
    page = (await http.get("/office/month?month=2026-11")).text
    table = page.split('data-testid="breakdown"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 11 and "新华小区 1号楼 10单元" in table  # the heading and ten
    assert "新华小区 1号楼 11单元" not in table
    assert 'data-testid="ranked-rest"' in page and "第 11 名以后（15 个单元）" in page
