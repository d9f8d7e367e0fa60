"""Public accounts: entries by staff, corrections as new entries, repair materials counted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.support import voice
from tests.support.graphql import GraphQLClient
from tests.support.reports import ReportsApi, make_cast


def entry(cid: str, month: str, category: str | None, amount: str, **extra: Any) -> dict[str, Any]:
    return {"input": {"communityId": cid, "month": month, "category": category, "amount": amount, **extra}}


async def test_the_statement_counts_entries_in_force_and_repair_materials(api: GraphQLClient) -> None:
    cast = await make_cast()
    await voice.repaired(ReportsApi(api), cast, rating=5)
    cid, month, staff = cast.community_id, voice.this_month(), cast.staff.token
    await voice.ok(api, voice.RECORD, entry(cid, month, "FEES", "6000.00", memo="物业费"), staff)
    await voice.ok(api, voice.RECORD, entry(cid, month, "ADVERTISING", "2000"), staff)
    labour = await voice.ok(api, voice.RECORD, entry(cid, month, "LABOUR", "3000"), staff)
    await voice.ok(
        api, voice.RECORD, entry(cid, month, "MATERIALS", "474.20", brandModel="公牛 GN-B3"), staff
    )
    fixed = await voice.ok(
        api, voice.RECORD, entry(cid, month, "LABOUR", "2500", correctsId=labour["entry"]["id"]), staff
    )
    assert fixed["entry"]["corrects"] == labour["entry"]["id"]

    before = (await api.data(voice.STATEMENT, {"c": cid, "month": month}, cast.neighbour.token))[
        "accountStatement"
    ]
    # Bad input changes nothing.
    assert await voice.codes(api, voice.RECORD, entry(cid, month, "FEES", "-5"), staff) == ["INVALID_AMOUNT"]
    assert await voice.codes(api, voice.RECORD, entry(cid, month, "FEES", "0"), staff) == ["INVALID_AMOUNT"]
    assert await voice.codes(api, voice.RECORD, entry(cid, month, None, "5"), staff) == ["INVALID_INPUT"]
    assert await voice.codes(api, voice.RECORD, entry(cid, "2026-13", "FEES", "5"), staff) == [
        "INVALID_INPUT"
    ]
    again = entry(cid, month, "LABOUR", "1", correctsId=labour["entry"]["id"])
    assert await voice.codes(api, voice.RECORD, again, staff) == ["ALREADY_CORRECTED"]
    assert await api.error_codes(voice.RECORD, entry(cid, month, "FEES", "5"), cast.neighbour.token) == [
        "FORBIDDEN"
    ]
    assert await voice.codes(api, voice.RECORD, entry(cid, month, "FEES", "5"), cast.outsider.token) == [
        "NOT_FOUND"
    ]

    found = (await api.data(voice.STATEMENT, {"c": cid, "month": month}, cast.neighbour.token))[
        "accountStatement"
    ]
    assert found == before
    assert Decimal(found["income"]) == Decimal("8000")
    assert Decimal(found["repairMaterialsTotal"]) == Decimal("25.80")
    assert Decimal(found["spending"]) == Decimal("2500") + Decimal("474.20") + Decimal("25.80")
    assert Decimal(found["balance"]) == Decimal("8000") - Decimal("3000")
    shares = {c["category"]: c["sharePercent"] for c in found["categories"]}
    assert shares == {"FEES": 75.0, "ADVERTISING": 25.0, "LABOUR": 83.3, "MATERIALS": 16.7}
    assert [e["category"] for e in found["entries"]] == ["FEES", "ADVERTISING", "MATERIALS", "LABOUR"]
    assert found["repairMaterials"][0]["brandModel"] == "Opple 9W"

    other = (await api.data(voice.STATEMENT, {"c": cid, "month": "2020-01"}, staff))["accountStatement"]
    assert other["entries"] == [] and Decimal(other["spending"]) == 0
