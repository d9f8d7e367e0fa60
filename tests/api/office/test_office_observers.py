"""观察员与调解 (/office/observers) through the ASGI app: the office appoints an observer and a
mediator from its members, stands them down after a confirmation with the reason, is refused
with the typed error (and nothing written) for a mediator who still mediates an open case, and
sets a case's mediators on the case's page; residents, observers, mediators and another
community's staff get none of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from models.enums import Role
from models.mediation_room import CaseMediator, CaseState, MediationCase, MediationParty
from models.observers import AppointmentEvent, ObserverPost
from models.people import Membership, MembershipRole, User
from models.places import Community, Compound, Household
from models.teams import MediationCategory
from runtime import clock
from runtime.clock import MovableClock
from services import mediation_room, observers
from services.access import load_viewer
from services.demo import DEMO_PASSWORD, seed_register
from services.phones import normalize_phone
from tests.api.web.support import post_form, sign_in
from tests.support.people import gid


@dataclass
class Room:
    """红星社区 of the register with two mediators (one working an open case, one free), an
    observer posted to the first compound with a visit this month, and a closed case."""

    logins: dict[str, str]
    compound: Compound
    busy: User  # mediates the open case
    free: User  # mediates nothing open
    observer: User
    open_case: MediationCase
    closed_case: MediationCase


async def _room(moved_clock: MovableClock) -> Room:
    logins = {login.role: login.phone for login in (await seed_register()).logins}
    community = await Community.get(slug="hongxing")
    staff = await load_viewer((await User.get(phone=normalize_phone(logins["staff"]))).id)
    compound = await Compound.filter(community_id=community.id).order_by("id").first()
    assert compound is not None
    households = [
        int(str(h))
        for h in await Household.filter(community_id=community.id)
        .order_by("id")
        .limit(4)
        .values_list("id", flat=True)
    ]
    # Three residents of the register with a phone and no office role: two mediators, an observer.
    office = set(
        await MembershipRole.filter(community_id=community.id, role__in=[Role.STAFF, Role.ADMIN]).values_list(
            "membership__user_id", flat=True
        )
    )
    taken = {normalize_phone(p) for p in logins.values()}
    people = [
        u
        for u in await User.filter(memberships__community_id=community.id, phone__isnull=False)
        .order_by("id")
        .limit(60)
        if u.phone not in taken and u.id not in office
    ][:3]
    busy, free, watcher = people
    for mediator in (busy, free):
        await mediation_room.appoint_mediator(staff, community.id, mediator.id)
    await observers.appoint(staff, compound, watcher.id)
    observer = await load_viewer(watcher.id)
    await observers.record_visit(observer, compound, None, "北门车棚", "车棚漏雨", "visit-1")
    open_case = await mediation_room.open_case(
        staff, community.id, MediationCategory.WATER_LEAK, "楼上漏水渗到楼下", households[:2], [busy.id]
    )
    await mediation_room.record_session(
        staff, open_case, clock.now().date(), "两户当事人", "约定先请师傅查漏点", "s-1"
    )
    closed_case = await mediation_room.open_case(
        staff, community.id, MediationCategory.NOISE, "夜里装修扰民", households[2:4], [free.id]
    )
    await mediation_room.close(staff, closed_case, CaseState.NOT_SETTLED, "一方拒绝调解")
    moved_clock.advance(minutes=5)
    return Room(logins, compound, busy, free, watcher, open_case, closed_case)


def _stand_down_url(**params: str) -> str:
    return "/office/observers/stand-down?" + urlencode(params)


async def test_the_page_shows_posts_visits_mediators_and_cases_open_first(
    http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    room = await _room(moved_clock)
    await sign_in(http, room.logins["staff"], DEMO_PASSWORD)
    page = await http.get("/office/observers")
    assert page.status_code == 200, page.text[:2000]
    text = page.text
    assert '<a href="/office/observers" aria-current="page">观察员与调解</a>' in text
    assert 'href="/office/appointments"' in text  # the record of appointments is district3's page
    posts = text[text.index('data-testid="observer-posts"') : text.index('data-testid="visit-list"')]
    assert room.compound.name in posts and room.observer.display_name in posts
    assert "北门车棚" in text and "车棚漏雨" in text
    mediators = text[text.index('data-testid="mediator-list"') :]
    assert room.busy.display_name in mediators and room.free.display_name in mediators
    cases = text[text.index('data-testid="case-list"') : text.index('data-testid="mediator-list"')]
    # The case being worked comes before the closed one, with its parties' homes and its session.
    assert cases.index("楼上漏水渗到楼下") < cases.index("夜里装修扰民")
    assert "调解中" in cases and "未能调解" in cases and "号楼" in cases


async def test_the_office_appoints_an_observer_and_a_mediator_from_a_search(
    http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    room = await _room(moved_clock)
    await sign_in(http, room.logins["staff"], DEMO_PASSWORD)
    resident = await User.get(phone=normalize_phone(room.logins["resident"]))
    found = (await http.get("/office/observers?" + urlencode({"q": resident.display_name}))).text
    assert f'value="{gid("User", resident.id)}"' in found
    # No compound chosen for an observer: said at the compound, nothing written.
    refused = await post_form(
        http,
        "/office/observers/appoint",
        {"as": "observer", "userId": gid("User", resident.id), "q": resident.display_name},
        from_page="/office/observers",
    )
    assert refused.status_code == 400 and 'id="compoundId-error"' in refused.text
    assert 'href="#compoundId"' in refused.text
    # GOV.UK's place for the summary: below the header and the office's menu, first in the
    # page's own content, focused on load without JavaScript, and the title says there is an error.
    page = refused.text
    summary = page.index('data-testid="error-summary"')
    assert page.index('<nav class="office"') < summary < page.index('data-testid="appoint"')
    assert page.index("</header>") < summary
    assert page.count('data-testid="error-summary"') == 1
    assert "autofocus" in page[page.rindex("<div", 0, summary) : summary]
    assert "<title>错误：观察员与调解 · 红管家</title>" in page
    assert not await ObserverPost.exists(user_id=resident.id)
    posted = await post_form(
        http,
        "/office/observers/appoint",
        {
            "as": "observer",
            "userId": gid("User", resident.id),
            "compoundId": gid("Compound", room.compound.id),
        },
        from_page="/office/observers",
    )
    assert posted.status_code == 303 and posted.headers["location"] == "/office/observers?done=observer"
    assert await ObserverPost.exists(user_id=resident.id, compound_id=room.compound.id)
    made = await post_form(
        http,
        "/office/observers/appoint",
        {"as": "mediator", "userId": gid("User", resident.id)},
        from_page="/office/observers",
    )
    assert made.status_code == 303
    assert await MembershipRole.exists(role=Role.MEDIATOR, membership__user_id=resident.id)
    page = (await http.get("/office/observers?done=mediator")).text
    assert "已任命调解员。" in page
    assert resident.display_name in page[page.index('data-testid="mediator-list"') :]


async def test_stand_downs_are_confirmed_with_a_reason_and_a_busy_mediator_is_refused(
    http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    room = await _room(moved_clock)
    await sign_in(http, room.logins["staff"], DEMO_PASSWORD)
    # A mediator with an open case: the confirmation says so and lists the case …
    busy = {"as": "mediator", "userId": gid("User", room.busy.id), "compoundId": ""}
    confirm = await http.get(_stand_down_url(**busy))
    assert confirm.status_code == 200 and "确认免去调解员" in confirm.text
    assert 'data-testid="open-cases-note"' in confirm.text and "楼上漏水渗到楼下" in confirm.text
    # … and the API's refusal is shown on it, with its count, at the person; nothing is written.
    records = await AppointmentEvent.all().count()
    refused = await post_form(
        http,
        "/office/observers/stand-down",
        {**busy, "reason": "年纪大了"},
        from_page=_stand_down_url(**busy),
    )
    assert refused.status_code == 400, refused.text[:2000]
    assert 'id="userId-error">这位调解员还有 1 个未结案件' in refused.text
    assert 'href="#userId"' in refused.text and "年纪大了" in refused.text  # the reason is kept
    assert await MembershipRole.exists(role=Role.MEDIATOR, membership__user_id=room.busy.id)
    assert await AppointmentEvent.all().count() == records
    # A reason is required before anything runs.
    free = {"as": "mediator", "userId": gid("User", room.free.id), "compoundId": ""}
    empty = await post_form(http, "/office/observers/stand-down", free, from_page=_stand_down_url(**free))
    assert empty.status_code == 400 and 'id="reason-error"' in empty.text
    # The free mediator and the observer go, each with the reason on the record.
    done = await post_form(
        http, "/office/observers/stand-down", {**free, "reason": "搬走了"}, from_page=_stand_down_url(**free)
    )
    assert done.status_code == 303 and done.headers["location"] == "/office/observers?done=mediator-down"
    assert not await MembershipRole.exists(role=Role.MEDIATOR, membership__user_id=room.free.id)
    post = {
        "as": "observer",
        "userId": gid("User", room.observer.id),
        "compoundId": gid("Compound", room.compound.id),
    }
    assert room.compound.name in (await http.get(_stand_down_url(**post))).text
    gone = await post_form(
        http,
        "/office/observers/stand-down",
        {**post, "reason": "换人巡查"},
        from_page=_stand_down_url(**post),
    )
    assert gone.status_code == 303
    assert not await ObserverPost.exists(user_id=room.observer.id)
    reasons = set(await AppointmentEvent.filter(reason__not="").values_list("reason", flat=True))
    assert reasons == {"搬走了", "换人巡查"}
    # Someone no longer in the post: the confirmation says so instead of a form.
    assert (await http.get(_stand_down_url(**post))).status_code == 404


async def test_a_case_page_shows_the_case_and_sets_its_mediators(
    http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    room = await _room(moved_clock)
    await sign_in(http, room.logins["staff"], DEMO_PASSWORD)
    path = f"/office/observers/cases/{gid('MediationCase', room.open_case.id)}"
    page = await http.get(path)
    assert page.status_code == 200
    assert "约定先请师傅查漏点" in page.text and "两户当事人" in page.text
    assert "号楼" in page.text[page.text.index('data-testid="parties"') :]
    # None ticked: said at the mediators, nothing changed.
    empty = await post_form(http, path, {})
    assert empty.status_code == 400 and 'id="mediatorIds-error"' in empty.text
    moved = await post_form(
        http, path, {"mediatorIds": [gid("User", room.busy.id), gid("User", room.free.id)]}
    )
    assert moved.status_code == 303
    assert set(await CaseMediator.filter(case_id=room.open_case.id).values_list("user_id", flat=True)) == {
        room.busy.id,
        room.free.id,
    }
    after = (await http.get(moved.headers["location"])).text
    assert "已更新这件案件的调解员。" in after and "更换调解员" in after
    # A closed case shows its outcome and no form; a forged post is refused by the API.
    closed = f"/office/observers/cases/{gid('MediationCase', room.closed_case.id)}"
    shown = (await http.get(closed)).text
    assert "一方拒绝调解" in shown and 'data-testid="set-mediators"' not in shown
    forged = await post_form(http, closed, {"mediatorIds": [gid("User", room.busy.id)]}, from_page=path)
    assert forged.status_code == 400 and "已经处理过了" in forged.text
    assert await CaseMediator.filter(case_id=room.closed_case.id).values_list("user_id", flat=True) == [
        room.free.id
    ]


async def test_residents_observers_mediators_and_another_community_get_nothing(
    http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    room = await _room(moved_clock)
    case_path = f"/office/observers/cases/{gid('MediationCase', room.open_case.id)}"
    busy = {"as": "mediator", "userId": gid("User", room.busy.id), "reason": "x"}
    for phone in (room.logins["resident"], room.observer.phone, room.busy.phone):
        http.cookies.clear()
        await sign_in(http, phone, DEMO_PASSWORD)
        for path in ("/office/observers", case_path, _stand_down_url(**busy)):
            refused = await http.get(path)
            assert refused.status_code == 403 and "只有社区办公室的工作人员" in refused.text, (phone, path)
    # Another community's staff: their own console, none of our people or cases.
    http.cookies.clear()
    await sign_in(http, room.logins["binhe staff"], DEMO_PASSWORD)
    theirs = await http.get("/office/observers")
    assert theirs.status_code == 200
    assert room.busy.display_name not in theirs.text and "楼上漏水渗到楼下" not in theirs.text
    assert (await http.get(case_path)).status_code == 404
    assert (await http.get(_stand_down_url(**busy))).status_code == 404
    tried = await post_form(http, "/office/observers/stand-down", busy, from_page="/office/observers")
    # Run for their own community, where our mediator is nobody: refused, and nobody to confirm.
    assert tried.status_code == 404
    assert await MembershipRole.exists(role=Role.MEDIATOR, membership__user_id=room.busy.id)
    assert not re.search(r"楼上漏水", tried.text)


async def test_the_office_opens_a_mediation_case_for_households_it_finds(
    http: httpx.AsyncClient, moved_clock: MovableClock
) -> None:
    room = await _room(moved_clock)
    resident = await User.get(phone=normalize_phone(room.logins["resident"]))
    home = await Membership.get(user_id=resident.id, community__slug="hongxing")
    assert home.household_id is not None
    other = await Household.filter(community_id=home.community_id).exclude(id=home.household_id).first()
    assert other is not None
    parties = [gid("Household", home.household_id), gid("Household", other.id)]
    form = {
        "category": "WATER_LEAK",
        "partyHouseholdIds": parties,
        "mediatorIds": [gid("User", room.free.id)],
        "summary": "卫生间漏水渗到楼下厨房",
        "partyQ": resident.display_name,
    }
    before = await MediationCase.all().count()
    # A resident cannot open one: the office's refusal, nothing written.
    await sign_in(http, room.logins["resident"], DEMO_PASSWORD)
    refused = await post_form(http, "/office/observers/open-case", form, from_page="/me")
    assert refused.status_code == 403 and "只有社区办公室的工作人员" in refused.text
    http.cookies.clear()
    await sign_in(http, room.logins["staff"], DEMO_PASSWORD)
    # The office finds the resident's home by the member search, as it finds people to appoint.
    found = (await http.get("/office/observers?" + urlencode({"partyQ": resident.display_name}))).text
    opening = found[found.index('data-testid="open-case"') :]
    assert f'name="partyHouseholdIds" value="{parties[0]}"' in opening
    assert f'value="{gid("User", room.free.id)}"' in opening and "漏水" in opening
    # Bad input: said next to each field, what was typed kept, nothing written.
    bad = await post_form(
        http,
        "/office/observers/open-case",
        {**form, "category": "", "mediatorIds": [], "summary": "  ", "listed": [f"{parties[0]}|1号楼 101"]},
        from_page="/office/observers",
    )
    assert bad.status_code == 400
    for field in ("category", "mediatorIds", "summary"):
        assert f'id="{field}-error"' in bad.text and f'href="#{field}"' in bad.text, field
    assert f'value="{parties[0]}" checked' in bad.text and "1号楼 101" in bad.text  # the ticked home stays
    # The API's typed error: a household of another community names nothing here.
    elsewhere = await Household.filter(community__slug="binhe").first()
    assert elsewhere is not None
    foreign = await post_form(
        http,
        "/office/observers/open-case",
        {**form, "partyHouseholdIds": [parties[0], gid("Household", elsewhere.id)]},
        from_page="/office/observers",
    )
    assert foreign.status_code == 400 and 'id="partyHouseholdIds-error"' in foreign.text
    assert "没有找到" in foreign.text and "卫生间漏水渗到楼下厨房" in foreign.text
    assert await MediationCase.all().count() == before
    # Staff open it: the case's own page, with its parties and mediator, and one case more.
    key = re.search(r'name="idempotency_key" value="([^"]+)"', opening)
    assert key is not None
    form["idempotency_key"] = key.group(1)
    opened = await post_form(http, "/office/observers/open-case", form, from_page="/office/observers")
    assert opened.status_code == 303, opened.text[:2000]
    # A second click of the same form (its key) lands on the same case and opens nothing more.
    twice = await post_form(http, "/office/observers/open-case", form, from_page="/office/observers")
    assert twice.headers["location"] == opened.headers["location"]
    assert opened.headers["location"].startswith("/office/observers/cases/")
    case = await MediationCase.filter(summary="卫生间漏水渗到楼下厨房").get()
    assert case.category == MediationCategory.WATER_LEAK and case.state == CaseState.OPEN
    assert sorted(
        await MediationParty.filter(case_id=case.id).values_list("household_id", flat=True)
    ) == sorted([home.household_id, other.id])
    assert await CaseMediator.filter(case_id=case.id).values_list("user_id", flat=True) == [room.free.id]
    shown = await http.get(opened.headers["location"])
    assert "已开立调解案件" in shown.text and room.free.display_name in shown.text
    assert await MediationCase.all().count() == before + 1
