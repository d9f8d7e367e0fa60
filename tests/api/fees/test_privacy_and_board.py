"""Arrears and reductions stay in the office: residents and admins see what they should and no
more, care tags never show, the board shows the rate but no household, and fee income reaches
the public accounts by itself."""

from __future__ import annotations

import json
from datetime import date

import httpx

from models.enums import CareTagKind, Role
from models.fees import FeeBill, FeePayment
from models.places import HouseholdCareTag
from models.reports import Notification
from services.fees import billing, discounts
from tests.api.fees.support import payload, refused, run
from tests.services.fees.support import fee_world
from tests.support.graphql import GraphQLClient
from tests.support.people import gid, make_person

TODAY = date(2026, 11, 23)
QUARTER_FEN = 6525


async def test_arrears_and_reductions_are_for_the_office_and_care_tags_never_show(api: GraphQLClient) -> None:
    world = await fee_world()
    cid = gid("Community", world.community_id)
    await HouseholdCareTag.create(
        community_id=world.community_id, household_id=world.home.id, kind=CareTagKind.HARDSHIP
    )
    reduced = await payload(
        api,
        "FeeReductionSet",
        world.staff.token,
        input={
            "householdId": gid("Household", world.home.id),
            "percent": 50,
            "validFrom": "2026-01-01",
            "note": "低保户，经社区评议",
        },
    )
    assert reduced["errors"] == []
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    admin = await make_person(world.place.community, (Role.ADMIN,), name="管理员")

    # The resident: the reduction's amount on their own bill, nothing of why.
    mine = await run(api, "MyFees", world.resident.token, communityId=cid)
    text = json.dumps(mine, ensure_ascii=False)
    assert mine["myFees"]["bills"][0]["reductionFen"] == 3263
    assert "低保" not in text and "HARDSHIP" not in text.upper() and "困难" not in text
    # Arrears: office only. Reductions: staff only (an admin is not told about care).
    assert await refused(api, "FeeArrears", world.resident.token, communityId=cid) == ["FORBIDDEN"]
    assert await refused(api, "FeeReductions", world.resident.token, communityId=cid) == ["FORBIDDEN"]
    assert await refused(api, "FeeReductions", admin.token, communityId=cid) == ["FORBIDDEN"]
    assert await refused(
        api, "FeeReductionSet", admin.token,
        input={"householdId": gid("Household", world.home.id), "percent": 10, "validFrom": "2026-01-01"},
    ) == ["FORBIDDEN"]  # fmt: skip
    behind = (await run(api, "FeeArrears", admin.token, communityId=cid))["feeArrears"]
    assert [a["householdLabel"] for a in behind] == ["休闲小区 4号楼 2单元 301", "休闲小区 4号楼 2单元 302"]
    assert "低保" not in json.dumps(behind, ensure_ascii=False)
    staff_view = (await run(api, "FeeReductions", world.staff.token, communityId=cid))["feeReductions"]
    assert staff_view[0]["note"] == "低保户，经社区评议"

    # Reminders: polite, Chinese, once a period, and say nothing of care.
    sent = await payload(api, "FeeRemindersSend", world.staff.token, input={"communityId": cid})
    again = await payload(api, "FeeRemindersSend", world.staff.token, input={"communityId": cid})
    assert (sent["sent"], again["sent"]) == (1, 0)
    (note,) = await Notification.filter(user_id=world.resident.user.id).values_list("text", flat=True)
    assert "您好" in str(note) and "32.62元" in str(note) and "低保" not in str(note)


async def test_the_board_shows_the_rate_when_accounts_are_public_and_no_household(
    api: GraphQLClient, http: httpx.AsyncClient
) -> None:
    world = await fee_world()
    cid = gid("Community", world.community_id)
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    bill = await FeeBill.get(household_id=world.home.id)
    await payload(
        api,
        "FeePaymentRecord",
        world.staff.token,
        input={
            "householdId": gid("Household", world.home.id),
            "billIds": [gid("FeeBill", bill.id)],
            "amountFen": QUARTER_FEN,
            "method": "CASH",
        },
    )
    private = (await http.get("/board/hongxing")).text
    assert "物业费收缴率" not in private
    publicity = {
        "flag": False,
        "volunteers": False,
        "repairs": False,
        "satisfaction": False,
        "accounts": True,
    }
    await api.data(
        "mutation P($input: BoardPublicitySetInput!) "
        "{ boardPublicitySet(input: $input) { errors { code } } }",
        {"input": {"communityId": cid, **publicity}},
        world.staff.token,
    )
    page = (await http.get("/board/hongxing")).text
    assert "物业费收缴率" in page
    assert 'data-testid="fees-household-rate">50.0%' in page
    assert 'data-testid="fees-households-paid">1<' in page
    assert 'data-testid="fees-households-billed">2<' in page
    assert "301" not in page and "302" not in page, "no household on the public board"

    # The public accounts count the fee by themselves: 65.25 yuan of property fees this month.
    statement = await api.data(
        "query S($c: ID!, $m: String!) { accountStatement(communityId: $c, month: $m) "
        "{ income categories { category amount } } }",
        {"c": cid, "m": "2026-11"},
        world.resident.token,
    )
    assert statement["accountStatement"]["categories"] == [{"category": "FEES", "amount": "65.25"}]
    rates = await run(api, "FeeCollectionRates", world.resident.token, communityId=cid, year=2026)
    assert [
        (r["label"], r["householdsPaid"], r["householdsBilled"]) for r in rates["feeCollectionRates"]
    ] == [
        ("2026-10", 1, 2),
        ("2026-11", 1, 2),
        ("2026-12", 1, 2),
    ]


async def test_bad_input_through_the_api_is_typed_and_writes_nothing(api: GraphQLClient) -> None:
    world = await fee_world()
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    bill = await FeeBill.get(household_id=world.home.id)
    base = {
        "householdId": gid("Household", world.home.id),
        "billIds": [gid("FeeBill", bill.id)],
        "method": "CASH",
    }
    for amount, code in ((0, "INVALID_AMOUNT"), (-5, "INVALID_AMOUNT"), (QUARTER_FEN + 1, "FEE_OVERPAID")):
        answer = await payload(
            api, "FeePaymentRecord", world.staff.token, input={**base, "amountFen": amount}
        )
        assert ([e["code"] for e in answer["errors"]], answer["payment"]) == ([code], None)
    wrong_kind = {**base, "billIds": [gid("Household", world.home.id)], "amountFen": 1}
    answer = await payload(api, "FeePaymentRecord", world.staff.token, input=wrong_kind)
    assert [e["field"] for e in answer["errors"]] == ["billIds.0"]
    malformed = {**base, "billIds": [gid("FeeBill", bill.id), "not-an-id"], "amountFen": 1}
    answer = await payload(api, "FeePaymentRecord", world.staff.token, input=malformed)
    assert [(e["code"], e["field"]) for e in answer["errors"]] == [("INVALID_INPUT", "billIds.1")]
    assert answer["payment"] is None and not await FeePayment.exists()
    assert await refused(api, "FeePaymentRecord", world.resident.token, input={**base, "amountFen": 1}) == [
        "FORBIDDEN"
    ]
    offer = await payload(
        api,
        "FeeOfferCreate",
        world.staff.token,
        input={
            "communityId": gid("Community", world.community_id),
            "name": "预缴",
            "payMonths": 12,
            "freeMonths": 12,
            "validFrom": "2026-11-01",
        },
    )
    assert [e["field"] for e in offer["errors"]] == ["freeMonths"]
    assert (await FeeBill.get(id=bill.id)).paid_fen == 0
    assert await discounts.in_force(world.community_id, TODAY) is None


async def test_the_economy_summary_shows_the_fee_rate_beside_the_points(api: GraphQLClient) -> None:
    world = await fee_world()
    await billing.issue(world.staff_viewer, world.community_id, TODAY)
    bill = await FeeBill.get(household_id=world.home.id)
    await payload(
        api,
        "FeePaymentRecord",
        world.staff.token,
        input={
            "householdId": gid("Household", world.home.id),
            "billIds": [gid("FeeBill", bill.id)],
            "amountFen": QUARTER_FEN,
            "method": "CASH",
        },
    )
    summary = await api.data(
        "query E($c: ID!) { economySummary(communityId: $c) "
        "{ issued feeCollection { label householdsPaid householdsBilled householdRate } } }",
        {"c": gid("Community", world.community_id)},
        world.resident.token,
    )
    rates = summary["economySummary"]["feeCollection"]
    assert [r["label"] for r in rates] == ["2026-10", "2026-11", "2026-12"]
    assert {(r["householdsPaid"], r["householdsBilled"], r["householdRate"]) for r in rates} == {(1, 2, 50.0)}
