"""The office's first page: today's numbers and what needs the office now."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from api.web.office.common import Office, office_page


@office_page
async def overview(office: Office) -> Response:
    now = office.now()
    month = now.strftime("%Y-%m")
    data = (
        await office.run("OfficeOverview", {"communityId": office.cid, "month": month, "year": now.year})
    ).data
    this_month = next((m for m in data.get("satisfactionByMonth") or [] if m["month"] == month), None)
    economy = data.get("economySummary") or {}
    spent = next((m for m in economy.get("months") or [] if m["month"] == month), None)
    board = (data.get("leaderboard") or {}).get("board") or {}
    return office.render(
        "office/overview.html",
        "overview",
        "今日概览",
        data=data,
        month=month,
        satisfaction=(this_month or {}).get("overall"),
        economy_month=spent,
        volunteers=(board.get("entries") or {}).get("totalCount", 0),
        adopted_waiting=adopted_waiting(data),
        now_iso=now.isoformat(),
    )


# What the overview's script refreshes, by the data-live name each number carries in the page.
LIVE_NUMBERS: dict[str, tuple[str, ...]] = {
    "unclaimed": ("unclaimed", "totalCount"),
    "overdue": ("overdue", "totalCount"),
    "escalated": ("escalated", "totalCount"),
    "pickups": ("pendingPickups", "totalCount"),
    "flags": ("abuseFlags", "totalCount"),
    "opinions-open": ("opinionCounts", "open"),
}


def adopted_waiting(data: dict[str, Any]) -> int:
    """ "已采纳、待办结": what the ADOPTED list it links to shows. The API's `adopted` counts the
    opinions done since as well (its description says so), so the done ones come off. The
    opinions page's "已采纳" tab is the same list (daily.opinion_tabs)."""
    counts = data.get("opinionCounts") or {}
    return int(counts.get("adopted") or 0) - int(counts.get("done") or 0)


@office_page
async def live(office: Office) -> Response:
    """The overview's numbers that change by the minute (new reports, clocks running out), for
    the page's own script to poll: one small persisted document, answered as JSON, never cached.
    Without JavaScript the page has a refresh link instead."""
    data = (await office.run("OfficeOverviewLive", {"communityId": office.cid})).data
    numbers: dict[str, int] = {}
    for name, (root, key) in LIVE_NUMBERS.items():
        numbers[name] = int((data.get(root) or {}).get(key) or 0)
    numbers["opinions-adopted"] = adopted_waiting(data)
    return JSONResponse(
        {"numbers": numbers, "at": office.now().strftime("%H:%M:%S")},
        headers={"cache-control": "no-store"},
    )
