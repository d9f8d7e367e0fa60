"""Residents as the office registers them: find a member (name, phone or home), register one
directly (an elder without a phone, at their home), give a phone-less member a phone later."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from api.web.messages import Shown
from api.web.office.common import (
    Office,
    entrance_choices,
    new_key,
    office_errors,
    office_page,
    required_errors,
    search_members,
)
from api.web.operations import Problem

MEMBER_FIELDS = ("displayName", "phone", "number")
# An entrance holds tens of households; the register's largest is far below this many pages.
HOUSEHOLD_PAGES = 10


async def _show(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    params = office.page.request.query_params
    # A refused phone form comes back to its member: the form carries the search and the member.
    query = params.get("q") or office.page.value("q")
    found = await search_members(office, query)
    chosen = params.get("phone_for") or office.page.value("userId")
    context.setdefault("done", params.get("done"))
    context.setdefault("key", office.page.value("idempotency_key") or new_key())
    return office.render(
        "office/members.html",
        "members",
        "居民登记",
        status,
        errors,
        q=query,
        found=found,
        phone_member=next((m for m in found if m["user"]["id"] == chosen and not m["phone"]), None),
        entrances=await entrance_choices(office),
        **context,
    )


@office_page
async def members(office: Office) -> Response:
    if office.page.request.method == "GET":
        return await _show(office)
    page = office.page
    values = page.values("displayName", "phone", "entranceId", "number")
    if not values["displayName"].strip():
        return await _show(
            office, 400, required_errors([Problem("INVALID_INPUT", "", "displayName")]), values=values
        )
    household_id: str | None = None
    if values["entranceId"] or values["number"]:
        household_id = await _household(office, values["entranceId"], values["number"])
        if household_id is None:
            errors = office_errors([Problem("NOT_FOUND", "", "number")], MEMBER_FIELDS)
            return await _show(office, 400, errors, values=values)
    added = await office.run(
        "OfficeMemberAdd",
        {
            "input": {
                "communityId": office.cid,
                "displayName": values["displayName"],
                "phone": values["phone"] or None,
                "householdId": household_id,
                "idempotencyKey": page.value("idempotency_key") or None,
            }
        },
    )
    if not added.ok:
        return await _show(office, 400, office_errors(added.problems, MEMBER_FIELDS), values=values)
    name = added.payload["member"]["user"]["displayName"]
    return office.done(f"/office/members?q={quote(name)}&done=added")


async def _household(office: Office, entrance_id: str, number: str) -> str | None:
    """The household numbered `number` in the chosen entrance, read through the entrance's own
    document (the page never reads models)."""
    if not entrance_id or not number.strip():
        return None
    after: str | None = None
    for _ in range(HOUSEHOLD_PAGES):
        variables: dict[str, Any] = {"id": entrance_id, "first": 50, **({"after": after} if after else {})}
        entrance = (await office.run("OfficeEntranceHouseholds", variables)).data.get("node") or {}
        households = entrance.get("households") or {}
        for household in households.get("nodes") or []:
            if household["name"] == number.strip():
                return str(household["id"])
        info = households.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return None
        after = info.get("endCursor")
    return None


@office_page
async def phone(office: Office) -> Response:
    """A phone and a first password for a member registered without one. The form's phone is
    `newPhone`, so it never shares an id with the registration form's `phone` on the same page."""
    page = office.page
    values = page.values("userId", "newPhone", "password")
    empty = [Problem("INVALID_INPUT", "", f) for f in ("newPhone", "password") if not values[f]]
    if empty:
        return await _show(office, 400, required_errors(empty), values={"newPhone": values["newPhone"]})
    done = await office.run(
        "OfficeMemberPhoneSet",
        {
            "input": {
                "communityId": office.cid,
                "userId": values["userId"],
                "phone": values["newPhone"],
                "password": values["password"],
            }
        },
    )
    if not done.ok:
        errors = [
            Shown(e.text, "newPhone" if e.field == "phone" else e.field)
            for e in office_errors(done.problems, ("phone", "password"), default="newPhone")
        ]
        return await _show(office, 400, errors, values={"newPhone": values["newPhone"]})
    name = done.payload["member"]["user"]["displayName"]
    return office.done(f"/office/members?q={quote(name)}&done=phone")
