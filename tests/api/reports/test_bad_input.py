"""Wrong moves: each a typed error, and nothing changes — not the report, not its timeline."""

from __future__ import annotations

from typing import Any

import pytest

from models.reports import Report, ReportEvent
from tests.support.people import gid
from tests.support.reports import CANCEL, CLAIM, CONFIRM, ME_TOO, REOPEN, ReportsApi, make_cast


async def snapshot() -> list[tuple[Any, ...]]:
    rows = (
        await Report.all().order_by("id").values_list("id", "state", "claimed_by_id", "updated_at", "rating")
    )
    return [*rows, ("events", await ReportEvent.all().count())]


async def test_claiming_a_cancelled_report(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CANCEL, cast.resident, reportId=report_id)
    before = await snapshot()
    answer = await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    assert answer["report"] is None
    assert [(e["code"], e["field"]) for e in answer["errors"]] == [("INVALID_TRANSITION", "reportId")]
    assert await snapshot() == before


async def test_confirming_someone_elses_report(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    await reports_api.resolve(report_id, cast.repairer)
    before = await snapshot()
    for person in (cast.neighbour, cast.repairer, cast.staff):
        answer = await reports_api.move(CONFIRM, person, reportId=report_id, rating=5)
        assert [e["code"] for e in answer["errors"]] == ["NOT_REPORTER"]
        answer = await reports_api.move(REOPEN, person, reportId=report_id, reason="x")
        assert [e["code"] for e in answer["errors"]] == ["NOT_REPORTER"]
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("mutation", "extra"),
    [
        (CONFIRM, {"rating": 5}),
        (REOPEN, {"reason": "还是坏的"}),
    ],
)
async def test_moves_out_of_order_on_an_open_report(
    reports_api: ReportsApi, mutation: str, extra: dict[str, Any]
) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    before = await snapshot()
    answer = await reports_api.move(mutation, cast.resident, reportId=report_id, **extra)
    assert [e["code"] for e in answer["errors"]] == ["INVALID_TRANSITION"]
    resolved = await reports_api.resolve(report_id, cast.repairer)
    assert [e["code"] for e in resolved["errors"]] == ["INVALID_TRANSITION"]
    assert await snapshot() == before


async def test_cancelling_after_a_claim_and_claiming_a_confirmed_report(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    before = await snapshot()
    late = await reports_api.move(CANCEL, cast.resident, reportId=report_id)
    assert [e["code"] for e in late["errors"]] == ["INVALID_TRANSITION"]
    taken = await reports_api.move(CLAIM, cast.repairer2, reportId=report_id)
    assert [e["code"] for e in taken["errors"]] == ["ALREADY_CLAIMED"]
    assert await snapshot() == before

    await reports_api.resolve(report_id, cast.repairer)
    await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=3)
    before = await snapshot()
    for mutation, person, extra in (
        (CLAIM, cast.repairer2, {}),
        (CONFIRM, cast.resident, {"rating": 5}),
        (REOPEN, cast.resident, {"reason": "x"}),
        (ME_TOO, cast.neighbour, {}),
    ):
        answer = await reports_api.move(mutation, person, reportId=report_id, **extra)
        assert [e["code"] for e in answer["errors"]] == ["INVALID_TRANSITION"], mutation
    assert await snapshot() == before


async def test_bad_values_are_refused_with_the_field_named(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    empty = await reports_api.create(cast, text="   ")
    assert [(e["code"], e["field"]) for e in empty["errors"]] == [("INVALID_INPUT", "text")]
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    no_proof = await reports_api.resolve(report_id, cast.repairer, photos=[])
    assert [(e["code"], e["field"]) for e in no_proof["errors"]] == [("INVALID_INPUT", "photos")]
    bad_cost = await reports_api.resolve(
        report_id, cast.repairer, materials=[{"item": "bulb", "quantity": "1", "cost": "-3"}]
    )
    assert [(e["code"], e["field"]) for e in bad_cost["errors"]] == [("INVALID_INPUT", "materials.0.cost")]
    await reports_api.resolve(report_id, cast.repairer)
    before = await snapshot()
    for rating in (0, 6):
        answer = await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=rating)
        assert [(e["code"], e["field"]) for e in answer["errors"]] == [("INVALID_INPUT", "rating")]
    assert await snapshot() == before


async def test_other_communities_reports_do_not_exist_for_you(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    assert await reports_api.read(report_id, cast.outsider) is None
    answer = await reports_api.move(CLAIM, cast.outsider, reportId=report_id)
    assert [e["code"] for e in answer["errors"]] == ["NOT_FOUND"]
    elsewhere = await reports_api.create(cast, person=cast.outsider)
    assert [(e["code"], e["field"]) for e in elsewhere["errors"]] == [("NOT_FOUND", "placeId")]
    # an id of another kind, or no id at all, is badly formed input, not a row that is gone (api.ids)
    household = await reports_api.create(cast, placeId=gid("Household", cast.place.households[0].id))
    assert [(e["code"], e["field"]) for e in household["errors"]] == [("INVALID_INPUT", "placeId")]
    garbage = await reports_api.move(CLAIM, cast.repairer, reportId="not-an-id")
    assert [(e["code"], e["field"]) for e in garbage["errors"]] == [("INVALID_INPUT", "reportId")]


async def test_a_resident_cannot_claim_and_anonymous_callers_must_sign_in(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    body = await reports_api.api.post(CLAIM, {"input": {"reportId": report_id}}, cast.neighbour.token)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    body = await reports_api.api.post(CLAIM, {"input": {"reportId": report_id}})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert (await Report.get()).state == "open"
