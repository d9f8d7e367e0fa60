"""The outpost ranking's cash rewards in the district's public book, and what the roll-up adds to
the dispatch counts: the outpost's snaps, the mediations the communities settled, and the fee
collection rate where a community bills fees (issue 21, "District roll-up" and "Outpost
reporters")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models.district import DistrictRoleKind, OutpostReward
from models.fees import BillingPeriod, BillTiming, FeeBill, PaymentMethod
from models.teams import TeamKind
from runtime import clock
from runtime.clock import MovableClock
from services.access import load_viewer
from services.district import hierarchy, outpost, rewards
from services.fees import billing, payments, schedule
from tests.api.teams import support as teams
from tests.support.district import RANKING, STREET_CLAIM, DistrictApi, Town
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_person

REWARD_FIELDS = "id month rank name title amountFen reversesId reversed"
PAY = (
    "mutation M($input: OutpostRewardPayInput!) { outpostRewardPay(input: $input) "
    f"{{ reward {{ {REWARD_FIELDS} }} errors {{ code field message }} }} }}"
)
REVERSE = (
    "mutation M($input: OutpostRewardReverseInput!) { outpostRewardReverse(input: $input) "
    f"{{ reward {{ {REWARD_FIELDS} }} errors {{ code field message }} }} }}"
)
BOOK = (
    "query B($d: ID!, $m: String!) { outpostRewards(districtId: $d, month: $m) "
    f"{{ month totalFen rule rewards {{ {REWARD_FIELDS} }} }} }}"
)
ROLLUP = """
query R($d: ID!, $m: String!) {
  districtRollup(districtId: $d, month: $m) {
    name outpostSnaps mediationsSettled
    fees { householdsBilled householdsPaid householdPercent moneyPercent }
  }
}"""
MEDIATION = (
    "mutation M($input: ActivityLogMediationInput!) { activityLogMediation(input: $input) "
    "{ errors { code field } } }"
)
ZONE = ZoneInfo("Asia/Shanghai")


def _month(moment: datetime) -> str:
    return moment.astimezone(ZONE).strftime("%Y-%m")


def _codes(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


async def test_the_office_records_the_rankings_cash_rewards_in_the_districts_public_book(
    district_api: DistrictApi, api: GraphQLClient, town: Town, moved_clock: MovableClock
) -> None:
    # Given a month in which the courier's snap was taken up (points, so a place on the ranking)
    dispatch = (await district_api.snap(town))["dispatch"]["id"]
    await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch)
    month = _month(clock.now())
    [first] = (
        await api.data(
            RANKING.replace("rank name", "rank userId name"),
            {"d": town.district_id, "m": month},
            town.courier.token,
        )
    )["outpostRanking"]
    courier = first["userId"]
    pay = {"districtId": town.district_id, "month": month, "userId": courier, "amountFen": 20000}

    async def paying(person: Any, **change: Any) -> dict[str, Any]:
        return await district_api.move(PAY, person, **{**pay, **change})

    # a month still running is refused: its ranking is not final
    assert _codes(await paying(town.coordinator)) == [("INVALID_INPUT", "month")]
    year, number = (int(p) for p in month.split("-"))
    moved_clock.set(datetime(year + number // 12, number % 12 + 1, 2, 9, tzinfo=ZONE))

    # only the district office pays; another district's people do not see this one
    assert _codes(await paying(town.liaison)) == [("OUT_OF_JURISDICTION", "districtId")]
    assert _codes(await paying(town.stranger)) == [("NOT_FOUND", "districtId")]
    assert _codes(await paying(town.staff)) == [("NOT_FOUND", "districtId")]
    # someone not on the month's ranking, an amount of nothing or of a typo's zeros
    not_ranked = gid("User", town.liaison.user.id)
    assert _codes(await paying(town.coordinator, userId=not_ranked)) == [("NOT_FOUND", "userId")]
    assert _codes(await paying(town.coordinator, amountFen=0)) == [("INVALID_INPUT", "amountFen")]
    assert _codes(await paying(town.coordinator, amountFen=10_000_001)) == [("INVALID_INPUT", "amountFen")]
    assert _codes(await paying(town.coordinator, month="2026-13")) == [("INVALID_INPUT", "month")]
    assert await OutpostReward.all().count() == 0

    # When the office records ¥20 by mistake, a replay returns it, and another amount conflicts
    typo = await paying(town.coordinator, amountFen=2000)
    assert typo["errors"] == [] and (typo["reward"]["rank"], typo["reward"]["name"]) == (1, "快递小哥刘")
    again = await paying(town.coordinator, amountFen=2000)
    assert again["reward"]["id"] == typo["reward"]["id"]
    assert _codes(await paying(town.coordinator)) == [("CONFLICT", "userId")]

    # it reverses the mistake (once: a replay returns the reversal; a reversal is never reversed)
    undo = {"outpostRewardId": typo["reward"]["id"], "reason": "金额录错"}
    assert _codes(await district_api.move(REVERSE, town.liaison, **undo)) == [
        ("OUT_OF_JURISDICTION", "districtId")
    ]
    reversal = await district_api.move(REVERSE, town.coordinator, **undo)
    assert reversal["errors"] == [] and reversal["reward"]["amountFen"] == -2000
    assert reversal["reward"]["reversesId"] == typo["reward"]["id"]
    replay = await district_api.move(REVERSE, town.coordinator, **undo)
    assert replay["reward"]["id"] == reversal["reward"]["id"]
    twice = {"outpostRewardId": reversal["reward"]["id"], "reason": "再冲一次"}
    assert _codes(await district_api.move(REVERSE, town.coordinator, **twice)) == [
        ("INVALID_TRANSITION", "outpostRewardId")
    ]
    # and records the right amount
    right = await paying(town.coordinator)
    assert right["errors"] == [] and right["reward"]["amountFen"] == 20000

    # Then the book, reversals netted: public (tests/api/district/test_public_book.py), names
    # for the district's role holders, initials for everyone else
    book = (await api.data(BOOK, {"d": town.district_id, "m": month}, town.courier.token))["outpostRewards"]
    assert book["totalFen"] == 20000
    assert [(r["amountFen"], r["reversed"]) for r in book["rewards"]] == [
        (2000, True),
        (-2000, False),
        (20000, False),
    ]
    for outsider in (town.resident, town.stranger):
        public = await api.data(BOOK, {"d": town.district_id, "m": month}, outsider.token)
        assert public["outpostRewards"]["totalFen"] == 20000


def _row(rank: int, user_id: int, points: int) -> outpost.RankRow:
    return outpost.RankRow(rank, user_id, f"快递员{user_id}", "快递员", points, points // 5)


def test_a_scale_of_rewards_pays_everyone_tied_at_a_rank_that_ranks_amount() -> None:
    # Given the ranking 1, 2, 2, 4 (two couriers tied second, so there is no third)
    ranked = [_row(1, 11, 15), _row(2, 12, 10), _row(2, 13, 10), _row(4, 14, 5)]
    # Then with ¥200, ¥100, ¥50 the tied pair get ¥100 each and the fourth nothing
    paid = [(row.user_id, fen) for row, fen in rewards.due(ranked, (20000, 10000, 5000))]
    assert paid == [(11, 20000), (12, 10000), (13, 10000)]
    # and with a fourth prize the fourth gets it; with none, nobody is paid
    assert [fen for _, fen in rewards.due(ranked, (4, 3, 2, 1))] == [4, 3, 3, 1]
    assert rewards.due(ranked, ()) == []


async def test_couriers_tied_on_the_ranking_are_paid_alike_and_the_book_says_so(
    district_api: DistrictApi, api: GraphQLClient, town: Town, moved_clock: MovableClock
) -> None:
    # Given a month in which 刘 snapped two problems and two other couriers one each, all taken up
    others: list[Person] = []
    for name in ("快递小哥陈", "快递小哥杨"):
        person = await make_person(name=name)
        await hierarchy.grant(
            person.user.id, town.district, DistrictRoleKind.OUTPOST_REPORTER, title="快递员"
        )
        others.append(person)
    for snapper in (town.courier, town.courier, *others):
        dispatch = (await district_api.snap(town, person=snapper))["dispatch"]["id"]
        assert (await district_api.move(STREET_CLAIM, town.liaison, dispatchId=dispatch))["errors"] == []
    month = _month(clock.now())
    year, number = (int(p) for p in month.split("-"))
    moved_clock.set(datetime(year + number // 12, number % 12 + 1, 2, 9, tzinfo=ZONE))
    variables = {"d": town.district_id, "m": month}
    ranking = (
        await api.data(RANKING.replace("rank name", "rank userId name"), variables, town.courier.token)
    )["outpostRanking"]
    # the two with one snap each share the second place, and nobody is third
    assert [(r["rank"], r["name"]) for r in ranking] == [
        (1, "快递小哥刘"),
        (2, "快递小哥陈"),
        (2, "快递小哥杨"),
    ]

    # When the office pays ¥200, ¥100, ¥50 by rank, as the rule says
    office = await load_viewer(town.coordinator.user.id)
    ranked = await outpost.ranking(office, town.district.id, month)
    for row, fen in rewards.due(ranked, (20000, 10000, 5000)):
        await rewards.pay(office, town.district.id, month, row.user_id, fen)

    # Then each of the tied couriers got the second prize, and the book publishes the rule
    book = (await api.data(BOOK, variables, None))["outpostRewards"]
    assert [(r["rank"], r["name"], r["amountFen"]) for r in book["rewards"]] == [
        (1, "快**", 20000),
        (2, "快**", 10000),
        (2, "快**", 10000),
    ]
    assert book["totalFen"] == 40000
    assert "并列" in book["rule"] and "1、2、2、4" in book["rule"]
    english = await api.http.post(
        "/graphql", json={"query": BOOK, "variables": variables}, headers={"accept-language": "en"}
    )
    assert "(1, 2, 2, 4)" in english.json()["data"]["outpostRewards"]["rule"]
    # and a tied courier paid less than the other at their rank is refused: reverse, pay alike
    yang = book["rewards"][2]  # paid in the ranking's order: 杨 is the third line
    undone = {"outpostRewardId": yang["id"], "reason": "并列第二，金额按名次"}
    assert (await district_api.move(REVERSE, town.coordinator, **undone))["errors"] == []
    pay = {"districtId": town.district_id, "month": month, "userId": ranking[2]["userId"], "amountFen": 5000}
    refused = await district_api.move(PAY, town.coordinator, **pay)
    assert _codes(refused) == [("CONFLICT", "amountFen")] and "第 2 名" in refused["errors"][0]["message"]
    again = await district_api.move(PAY, town.coordinator, **{**pay, "amountFen": 10000})
    assert again["errors"] == [] and again["reward"]["rank"] == 2


async def test_the_rollup_counts_snaps_mediations_and_the_fee_collection_rate(
    district_api: DistrictApi, api: GraphQLClient, town: Town, moved_clock: MovableClock
) -> None:
    month = _month(clock.now())
    # A snap on 红军路 and one inside the compound (the community's report); one on 新南街道
    await district_api.snap(town)
    inside = await district_api.snap(town, point=(47.333, 130.235), category="LIGHTING", text="路灯不亮")
    assert inside["errors"] == [] and inside["reportId"] is not None
    await district_api.snap(town, point=(47.320, 130.300), category="SANITATION", text="垃圾堆放")
    # A community on 新南街道 whose mediation room settled one dispute and logged another unsettled
    room = await teams.make_squad(api, slug="room", kind=TeamKind.MEDIATION)
    await hierarchy.link_community(town.east, room.place.community)
    for key, settled in (("a", True), ("b", False)):
        logged = await api.data(
            MEDIATION,
            {
                "input": {
                    "activityId": room.activity_id,
                    "idempotencyKey": key,
                    "settled": settled,
                    "category": "NOISE",
                }
            },
            room.captain.token,
        )
        assert logged["activityLogMediation"]["errors"] == []
    # 红星社区 bills its households monthly; one of them pays the month
    office = await load_viewer(town.staff.user.id)
    first_day = date.fromisoformat(f"{month}-01")
    await schedule.set_schedule(
        office,
        town.place.community.id,
        unit_price_fen=150,
        period=BillingPeriod.MONTH,
        timing=BillTiming.PERIOD_START,
        applies_from=first_day,
    )
    await billing.issue(office, town.place.community.id, first_day + timedelta(days=1))
    bills = await FeeBill.filter(community_id=town.place.community.id).order_by("id")
    assert bills
    await payments.record(
        office,
        bills[0].household_id,
        bill_ids=[bills[0].id],
        amount_fen=bills[0].amount_fen,
        method=PaymentMethod.CASH,
        idempotency_key="fee-1",
    )

    rows = (await api.data(ROLLUP, {"d": town.district_id, "m": month}, town.coordinator.token))[
        "districtRollup"
    ]
    whole, west, east = rows
    assert (whole["outpostSnaps"], west["outpostSnaps"], east["outpostSnaps"]) == (3, 2, 1)
    assert (whole["mediationsSettled"], west["mediationsSettled"], east["mediationsSettled"]) == (1, 0, 1)
    billed = len(bills)
    assert west["fees"] == whole["fees"]
    assert west["fees"]["householdsBilled"] == billed and west["fees"]["householdsPaid"] == 1
    assert west["fees"]["householdPercent"] == round(100 / billed, 1)
    assert east["fees"] is None  # the mediation room's community bills no fees
