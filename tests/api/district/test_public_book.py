"""The outpost's cash rewards are the district's public accounts: anyone reads them, signed in or
not, and, as in a community's public accounts, nobody outside the district's roles is shown a
name: the recipient appears as initials. The district's role holders see the names. Nobody
sees a phone or who entered the line."""

from __future__ import annotations

import json

from models.district import OutpostReward
from runtime import clock
from tests.support.district import Town
from tests.support.graphql import GraphQLClient
from tests.support.people import Person, gid, make_person

BOOK = """
query B($d: ID!, $m: String!) {
  outpostRewards(districtId: $d, month: $m) {
    month totalFen rewards { id month rank name title amountFen reversesId reversed createdAt }
  }
}"""


async def _pay(town: Town, amount_fen: int, reverses: OutpostReward | None = None) -> OutpostReward:
    return await OutpostReward.create(
        district_id=town.district.id,
        month="2026-10",
        user_id=town.courier.user.id,
        rank=1,
        amount_fen=-reverses.amount_fen if reverses else amount_fen,
        reverses_id=reverses.id if reverses else None,
        payment_key=None if reverses else f"{town.district.id}:2026-10:{town.courier.user.id}:{amount_fen}",
        entered_by_id=town.coordinator.user.id,
        created_at=clock.now(),
    )


async def test_anyone_reads_the_book_with_initials_and_role_holders_with_names(
    api: GraphQLClient, town: Town
) -> None:
    wrong = await _pay(town, 2000)
    await _pay(town, 0, reverses=wrong)
    await _pay(town, 20000)
    variables = {"d": town.district_id, "m": "2026-10"}
    outsider = await make_person(name="路人甲")
    books: dict[str, object] = {}
    readers: dict[str, Person | None] = {
        "anonymous": None,
        "outsider": outsider,
        "resident": town.resident,
        "staff": town.staff,
        "stranger": town.stranger,
        "courier": town.courier,
        "liaison": town.liaison,
        "coordinator": town.coordinator,
    }
    for name, person in readers.items():
        book = (await api.data(BOOK, variables, person.token if person else None))["outpostRewards"]
        books[name] = book
        assert book["totalFen"] == 20000
        lines = [(r["rank"], r["title"], r["amountFen"], r["reversed"]) for r in book["rewards"]]
        assert lines == [(1, "快递员", 2000, True), (1, "快递员", -2000, False), (1, "快递员", 20000, False)]
        names = {r["name"] for r in book["rewards"]}
        insider = name in ("courier", "liaison", "coordinator")
        assert names == ({"快递小哥刘"} if insider else {"快**"}), name
    outside = {k: v for k, v in books.items() if k not in ("courier", "liaison", "coordinator")}
    assert "快递小哥刘" not in json.dumps(outside, ensure_ascii=False)
    shown = json.dumps(books, ensure_ascii=False)
    for person in (town.courier, town.coordinator):
        assert person.phone not in shown and person.phone[3:] not in shown
    assert town.coordinator.user.display_name not in shown  # who entered the lines
    assert gid("User", town.courier.user.id) not in shown


async def test_a_district_that_does_not_exist_or_a_bad_month(api: GraphQLClient, town: Town) -> None:
    missing = await api.error_codes(BOOK, {"d": gid("District", 9999), "m": "2026-10"})
    assert missing == ["NOT_FOUND"]
    assert await api.error_codes(BOOK, {"d": town.district_id, "m": "2026/10"}) == ["INVALID_INPUT"]
