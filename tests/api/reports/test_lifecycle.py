"""A report from filing to a confirmed fix, and the other ways it can end, through the API."""

from __future__ import annotations

from pathlib import Path

from models.reports import Report, ReportEvent
from runtime.clock import MovableClock
from services.events import DomainEvent
from tests.api.reports.conftest import stored_files
from tests.support.people import gid
from tests.support.photos import jpeg_with_gps
from tests.support.reports import (
    CANCEL,
    CLAIM,
    CONFIRM,
    ME_TOO,
    REJECT,
    REOPEN,
    ReportsApi,
    make_cast,
)


async def test_a_lamp_goes_from_report_to_confirmed_fix(
    reports_api: ReportsApi, moved_clock: MovableClock, published: list[DomainEvent], photo_dir: Path
) -> None:
    cast = await make_cast()

    created = await reports_api.create(cast, photos=[jpeg_with_gps()], idempotencyKey="lamp-1")
    assert created["errors"] == []
    report = created["report"]
    assert report["state"] == "OPEN"
    assert report["place"] == {"__typename": "Entrance", "name": "2单元"}
    assert [p["kind"] for p in report["photos"]] == ["REPORT"]

    moved_clock.advance(minutes=10)
    claimed = await reports_api.move(CLAIM, cast.repairer, reportId=report["id"])
    assert claimed["errors"] == []
    assert claimed["report"]["state"] == "CLAIMED"
    assert claimed["report"]["claimedBy"] == {"displayName": "张师傅"}

    moved_clock.advance(hours=3)
    resolved = await reports_api.resolve(report["id"], cast.repairer)
    assert resolved["errors"] == []
    fixed = resolved["report"]
    assert fixed["state"] == "RESOLVED"
    assert fixed["resolutionNote"] == "换了新灯泡"
    assert fixed["materials"] == [
        {"item": "LED bulb", "brandModel": "Opple 9W", "quantity": "2.00", "cost": "25.80"}
    ]
    assert sorted(p["kind"] for p in fixed["photos"]) == ["PROOF", "REPORT"]

    confirmed = await reports_api.move(
        CONFIRM, cast.resident, reportId=report["id"], rating=5, comment="亮了，谢谢张师傅"
    )
    assert confirmed["errors"] == []
    done = confirmed["report"]
    assert (done["state"], done["rating"], done["comment"], done["autoConfirmed"]) == (
        "CONFIRMED",
        5,
        "亮了，谢谢张师傅",
        False,
    )
    timeline = done["timeline"]["nodes"]
    assert [(e["kind"], e["fromState"], e["toState"], e["actorName"]) for e in timeline] == [
        ("OPENED", None, "OPEN", "王阿姨"),
        ("CLAIMED", "OPEN", "CLAIMED", "张师傅"),
        ("RESOLVED", "CLAIMED", "RESOLVED", "张师傅"),
        ("CONFIRMED", "RESOLVED", "CONFIRMED", "王阿姨"),
    ]
    assert [e.name for e in published] == [
        "report.opened",
        "report.claimed",
        "report.resolved",
        "report.confirmed",
    ]
    final = published[-1].data
    assert final["reporter_user_id"] == cast.resident.user.id
    assert final["repairer_user_id"] == cast.repairer.user.id
    assert (final["within_clock"], final["rating"], final["auto"]) == (True, 5, False)
    assert published[1].data["within_clock"] is True  # claimed after 10 of 30 minutes
    assert len(stored_files(photo_dir)) == 2


async def test_a_retried_create_returns_the_first_report(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    first = await reports_api.create(cast, idempotencyKey="k-1")
    again = await reports_api.create(cast, idempotencyKey="k-1")
    assert again["errors"] == []
    assert again["report"]["id"] == first["report"]["id"]
    assert again["report"]["text"] == "楼道灯不亮了"
    assert await Report.all().count() == 1


async def test_the_same_key_with_another_input_is_refused(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    await reports_api.create(cast, idempotencyKey="k-1")
    other = await reports_api.create(cast, idempotencyKey="k-1", text="something else")
    assert [e["code"] for e in other["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert other["report"] is None
    assert await Report.all().count() == 1


async def test_the_same_problem_at_the_same_place_becomes_a_me_too(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    first = await reports_api.create(cast)
    second = await reports_api.create(cast, person=cast.neighbour)
    assert second["report"] is None
    assert [e["code"] for e in second["errors"]] == ["DUPLICATE_REPORT"]
    assert second["existingReport"]["id"] == first["report"]["id"]
    assert await Report.all().count() == 1

    joined = await reports_api.move(ME_TOO, cast.neighbour, reportId=first["report"]["id"])
    again = await reports_api.move(ME_TOO, cast.neighbour, reportId=first["report"]["id"])
    assert joined["errors"] == again["errors"] == []
    assert (again["report"]["meTooCount"], again["report"]["meTooByMe"]) == (1, True)
    own = await reports_api.move(ME_TOO, cast.resident, reportId=first["report"]["id"])
    assert [e["code"] for e in own["errors"]] == ["OWN_REPORT"]

    other_kind = await reports_api.create(cast, person=cast.neighbour, category="PLUMBING")
    assert other_kind["errors"] == []


async def test_a_reopened_report_goes_back_to_its_repairer(
    reports_api: ReportsApi, moved_clock: MovableClock, published: list[DomainEvent]
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    await reports_api.resolve(report_id, cast.repairer)
    moved_clock.advance(days=6)
    reopened = await reports_api.move(REOPEN, cast.resident, reportId=report_id, reason="又不亮了")
    assert reopened["errors"] == []
    assert (reopened["report"]["state"], reopened["report"]["reopenCount"]) == ("REOPENED", 1)

    other = await reports_api.resolve(report_id, cast.repairer2)
    assert [e["code"] for e in other["errors"]] == ["NOT_CLAIMER"]
    again = await reports_api.resolve(report_id, cast.repairer, note="换了开关")
    assert again["report"]["state"] == "RESOLVED"
    assert len(again["report"]["materials"]) == 2  # both visits' materials stay on record
    kinds = [e["kind"] for e in again["report"]["timeline"]["nodes"]]
    assert kinds == ["OPENED", "CLAIMED", "RESOLVED", "REOPENED", "RESOLVED"]
    assert "report.reopened" in [e.name for e in published]


async def test_reopening_after_seven_days_is_refused(
    reports_api: ReportsApi, moved_clock: MovableClock
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    await reports_api.resolve(report_id, cast.repairer)
    moved_clock.advance(days=7, seconds=1)
    late = await reports_api.move(REOPEN, cast.resident, reportId=report_id, reason="不亮")
    assert [e["code"] for e in late["errors"]] == ["REOPEN_WINDOW_CLOSED"]
    assert (await Report.get()).state == "resolved"


async def test_the_reporter_cancels_before_anyone_claims(
    reports_api: ReportsApi, published: list[DomainEvent]
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    cancelled = await reports_api.move(CANCEL, cast.resident, reportId=report_id, note="自己修好了")
    assert cancelled["report"]["state"] == "CANCELLED"
    assert published[-1].name == "report.cancelled"
    # The place is free again: a new report of the category is a new report.
    assert (await reports_api.create(cast, person=cast.neighbour))["errors"] == []


async def test_staff_reject_a_duplicate_and_only_staff_may(
    reports_api: ReportsApi, published: list[DomainEvent]
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    body = await reports_api.api.post(
        REJECT, {"input": {"reportId": report_id, "reason": "INVALID"}}, cast.repairer.token
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    rejected = await reports_api.move(
        REJECT, cast.staff, reportId=report_id, reason="DUPLICATE", note="同一盏灯"
    )
    assert (rejected["report"]["state"], rejected["report"]["rejectReason"]) == ("REJECTED", "DUPLICATE")
    assert published[-1].name == "report.rejected"
    assert published[-1].data["reason"] == "duplicate"


async def test_a_proxy_report_for_an_elderly_resident(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    created = await reports_api.create(
        cast,
        person=cast.staff,
        proxyForId=gid("User", cast.resident.user.id),
        proxyChannel="电话回访",
    )
    assert created["errors"] == []
    report_id = created["report"]["id"]
    query = (
        "query($id: ID!) { report(id: $id) "
        "{ isProxy reporterName proxyFor { displayName } proxyChannel reportedByMe } }"
    )
    as_staff = (await reports_api.api.data(query, {"id": report_id}, cast.staff.token))["report"]
    assert as_staff == {
        "isProxy": True,
        "reporterName": "陈主任",
        "proxyFor": {"displayName": "王阿姨"},
        "proxyChannel": "电话回访",
        "reportedByMe": True,
    }
    as_neighbour = (await reports_api.api.data(query, {"id": report_id}, cast.neighbour.token))["report"]
    assert as_neighbour == {
        "isProxy": True,
        "reporterName": "陈**",
        "proxyFor": None,
        "proxyChannel": None,
        "reportedByMe": False,
    }
    # The resident it is for follows it as their own and confirms the fix.
    as_resident = (await reports_api.api.data(query, {"id": report_id}, cast.resident.token))["report"]
    assert as_resident["reportedByMe"] is True
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    await reports_api.resolve(report_id, cast.repairer)
    confirmed = await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=4)
    assert confirmed["report"]["state"] == "CONFIRMED"


async def test_a_resident_cannot_file_for_someone_else(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    body = await reports_api.api.post(
        "mutation($input: ReportCreateInput!) { reportCreate(input: $input) { errors { code } } }",
        {
            "input": {
                "placeId": cast.entrance_id,
                "category": "LIGHTING",
                "text": "灯",
                "proxyForId": gid("User", cast.neighbour.user.id),
                "proxyChannel": "电话",
            }
        },
        cast.resident.token,
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await ReportEvent.all().count() == 0


async def test_the_office_notes_a_caller_who_is_not_a_member_and_only_staff_read_it(
    reports_api: ReportsApi,
) -> None:
    """Issue 18: a report phoned in by someone with no account keeps who called (name and phone)
    where staff read it, never in the report's public text; only the office may note a caller."""
    cast = await make_cast()
    created = await reports_api.create(cast, person=cast.staff, proxyChannel="来电人：刘师傅 13911112222")
    assert created["errors"] == []
    report_id = created["report"]["id"]
    query = "query($id: ID!) { report(id: $id) { isProxy proxyFor { displayName } proxyChannel text } }"
    as_staff = (await reports_api.api.data(query, {"id": report_id}, cast.staff.token))["report"]
    assert as_staff["proxyChannel"] == "来电人：刘师傅 13911112222" and as_staff["isProxy"] is False
    assert "13911112222" not in as_staff["text"]
    as_neighbour = (await reports_api.api.data(query, {"id": report_id}, cast.neighbour.token))["report"]
    assert as_neighbour["proxyChannel"] is None
    body = await reports_api.api.post(
        "mutation($input: ReportCreateInput!) { reportCreate(input: $input) { errors { code } } }",
        {
            "input": {
                "placeId": cast.entrance_id,
                "category": "PLUMBING",
                "text": "漏水",
                "proxyChannel": "来电人：某人",
            }
        },
        cast.resident.token,
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
