"""The office's first page: today's numbers and what needs the office now."""

from __future__ import annotations

from starlette.responses import Response

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
    )
