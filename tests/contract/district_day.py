"""The day in the life, beyond the community (issue 21): the demo's district through the app's
own documents. A courier snaps a broken manhole cover on 红军路 outside every compound; the
street's liaison claims it and dispatches it to 住建, which claims it and feeds back with a
photo; the courier confirms. A second snap on 新南街道 goes to 城管, which disputes it; the
coordinator assigns 住建. The office refers a resident's report to the street, which sends it
back with a reason the resident reads on the dispatch. The ranking and the roll-up close it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from points_engine.localtime import local_month
from runtime import clock
from runtime.clock import MovableClock
from services.demo.district import DISTRICT_LOGINS, seed_district
from tests.support.photos import jpeg_with_gps

ON_THE_STREET = {"latitude": 47.340, "longitude": 130.250}  # 红军路, north of the compounds
EAST_STREET = {"latitude": 47.320, "longitude": 130.320}


class App(Protocol):
    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]: ...

    async def upload(
        self, name: str, token: str, variables: dict[str, Any], photos: list[bytes]
    ) -> dict[str, Any]: ...


def _ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["errors"] == [], payload["errors"]
    dispatch: dict[str, Any] = payload["dispatch"]
    return dispatch


async def district_afternoon(
    app: App,
    sign_in: Callable[[str], Awaitable[str]],
    staff: str,
    resident: str,
    entrance_id: str,
    moved_clock: MovableClock,
) -> None:
    await seed_district()
    people_phones = {login.label: login.phone for login in DISTRICT_LOGINS}
    people = {label: await sign_in(phone) for label, phone in people_phones.items()}
    courier, liaison, coordinator = people["courier 1"], people["liaison west"], people["coordinator"]
    roles = (await app.run("MyDistrictRoles", courier))["myDistrictRoles"]
    assert [r["role"] for r in roles] == ["OUTPOST_REPORTER"]
    district_id = roles[0]["districtId"]
    departments = {
        r["departmentName"]: r["departmentId"]
        for label in ("zhujian", "chengguan")
        for r in (await app.run("MyDistrictRoles", people[label]))["myDistrictRoles"]
    }

    # A courier snaps the manhole cover; the street takes it to 住建, which fixes it in a day.
    snap = {"districtId": district_id, "category": "PUBLIC_FACILITY", "text": "井盖破损", **ON_THE_STREET}
    snapped = (await app.upload("OutpostReport", courier, {"input": snap}, [jpeg_with_gps()]))[
        "outpostReport"
    ]
    first = _ok(snapped)["id"]
    waiting = (await app.run("DispatchQueue", liaison, queue="STREET"))["dispatchQueue"]["nodes"]
    assert [d["id"] for d in waiting] == [first]
    _ok((await app.run("DispatchStreetClaim", liaison, input={"dispatchId": first}))["dispatchStreetClaim"])
    assign = {"dispatchId": first, "departmentId": departments["住建"]}
    _ok((await app.run("DispatchAssign", liaison, input=assign))["dispatchAssign"])
    builder = people["zhujian"]
    assert (await app.run("DispatchQueue", builder, queue="DEPARTMENT"))["dispatchQueue"]["nodes"]
    claim = {"dispatchId": first}
    _ok((await app.run("DispatchDepartmentClaim", builder, input=claim))["dispatchDepartmentClaim"])
    feedback = {"input": {"dispatchId": first, "note": "已更换新井盖"}}
    _ok((await app.upload("DispatchFeedback", builder, feedback, [jpeg_with_gps()]))["dispatchFeedback"])
    confirmed = _ok(
        (await app.run("DispatchConfirm", courier, input={"dispatchId": first, "rating": 5}))[
            "dispatchConfirm"
        ]
    )
    assert confirmed["state"] == "CONFIRMED"

    # A second snap: 城管 says it is not theirs; the coordinator gives it to 住建.
    other = {**snap, **EAST_STREET, "text": "人行道塌陷"}
    second = _ok(
        (await app.upload("OutpostReport", courier, {"input": other}, [jpeg_with_gps()]))["outpostReport"]
    )
    east = people["liaison east"]
    _ok(
        (await app.run("DispatchStreetClaim", east, input={"dispatchId": second["id"]}))[
            "dispatchStreetClaim"
        ]
    )
    to_chengguan = {"dispatchId": second["id"], "departmentId": departments["城管"]}
    _ok((await app.run("DispatchAssign", east, input=to_chengguan))["dispatchAssign"])
    dispute = {"dispatchId": second["id"], "reason": "路面塌陷属住建"}
    _ok((await app.run("DispatchDispute", people["chengguan"], input=dispute))["dispatchDispute"])
    queued = (await app.run("DispatchQueue", coordinator, queue="COORDINATION"))["dispatchQueue"]["nodes"]
    assert [d["id"] for d in queued] == [second["id"]]
    to_zhujian = {"dispatchId": second["id"], "departmentId": departments["住建"]}
    _ok((await app.run("DispatchAssign", coordinator, input=to_zhujian))["dispatchAssign"])

    # The office refers a resident's report; the street sends it back, and the resident reads why.
    filed = await app.upload(
        "ReportCreate",
        resident,
        {
            "input": {
                "placeId": entrance_id,
                "category": "PLUMBING",
                "text": "主管道漏水",
                "idempotencyKey": "d-1",
            }
        },
        [],
    )
    report_id = filed["reportCreate"]["report"]["id"]
    refer = {"reportId": report_id, "note": "主管道属市政"}
    referred = _ok((await app.run("ReportRefer", staff, input=refer))["reportRefer"])
    _ok(
        (await app.run("DispatchStreetClaim", liaison, input={"dispatchId": referred["id"]}))[
            "dispatchStreetClaim"
        ]
    )
    back = {"dispatchId": referred["id"], "reason": "属小区内部管线"}
    _ok((await app.run("DispatchSendBack", liaison, input=back))["dispatchSendBack"])
    read = (await app.run("DispatchDetail", resident, id=referred["id"]))["dispatch"]
    assert read["state"] == "SENT_BACK" and read["sendBackReason"] == "属小区内部管线"
    # The street's liaison reads its communities' reports (no reporter, no household) and finds
    # the one it sent back, still with the community.
    listed = (await app.run("DistrictReports", liaison, districtId=district_id, first=50))["districtReports"]
    back_there = next(r for r in listed["nodes"] if r["id"] == report_id)
    assert (back_there["dispatchState"], back_there["text"]) == ("SENT_BACK", "主管道漏水")

    # The month: the courier tops the outpost ranking; the roll-up counts every step.
    month = local_month(clock.now(), "Asia/Shanghai")
    ranking = (await app.run("OutpostRanking", courier, districtId=district_id, month=month))[
        "outpostRanking"
    ]
    assert [(r["name"], r["snaps"]) for r in ranking] == [("刘快递", 2)]
    rollup = (await app.run("DistrictRollup", coordinator, districtId=district_id, month=month))[
        "districtRollup"
    ]
    assert [r["name"] for r in rollup] == ["示范区", "红军路街道", "新南街道"]
    assert {c["state"]: c["count"] for c in rollup[0]["dispatchesByState"]} == {
        "confirmed": 1,
        "dispatched": 1,
        "sent_back": 1,
    }
    csv = await app.run("DistrictRollupCsv", coordinator, districtId=district_id, month=month)
    assert csv["districtRollupCsv"].lstrip("\ufeff").startswith("范围,")

    # The month is over: the district office records the ranking's cash reward in its public
    # book, reverses a mistyped amount, and records the right one; the courier reads the book.
    # (The clock goes back afterwards: what runs after the day, the authorization matrix's
    # month arguments among it, reads the day's own month.)
    day_time = moved_clock.now()
    moved_clock.set(_next_month(month) + timedelta(hours=9))
    coordinator = await sign_in(people_phones["coordinator"])
    courier = await sign_in(people_phones["courier 1"])
    pay = {"districtId": district_id, "month": month, "userId": ranking[0]["userId"], "amountFen": 2000}
    typo = (await app.run("OutpostRewardPay", coordinator, input=pay))["outpostRewardPay"]
    assert typo["errors"] == [] and (typo["reward"]["rank"], typo["reward"]["amountFen"]) == (1, 2000)
    undo = {"outpostRewardId": typo["reward"]["id"], "reason": "金额录错，应为200元"}
    undone = (await app.run("OutpostRewardReverse", coordinator, input=undo))["outpostRewardReverse"]
    assert undone["errors"] == [] and undone["reward"]["amountFen"] == -2000
    right = (await app.run("OutpostRewardPay", coordinator, input={**pay, "amountFen": 20000}))[
        "outpostRewardPay"
    ]
    assert right["errors"] == []
    book = (await app.run("OutpostRewards", courier, districtId=district_id, month=month))["outpostRewards"]
    assert book["totalFen"] == 20000
    assert [(r["name"], r["amountFen"], r["reversed"]) for r in book["rewards"]] == [
        ("刘快递", 2000, True),
        ("刘快递", -2000, False),
        ("刘快递", 20000, False),
    ]
    # The book is public: anyone reads it, with the recipient's initials
    public = (await app.run("OutpostRewards", None, districtId=district_id, month=month))["outpostRewards"]
    assert [(r["name"], r["amountFen"]) for r in public["rewards"]][-1] == ("刘**", 20000)
    moved_clock.set(day_time)


def _next_month(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year + number // 12, number % 12 + 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
