"""Open311 GeoReport v2, read side: what the district's public problems look like to a city
hotline (12345) or a civic tool. Only problems in public space are served (dispatches outside
every compound); nothing about who reported them, no free text written by officials (their
notes may name people), only the problem as reported, where, its state and who is responsible.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.district import Department, Dispatch, DispatchState, District
from models.enums import ReportCategory
from runtime.i18n import N_, Label
from runtime.labels import word
from services.errors import DomainError, ErrorCode


def service_name(category: ReportCategory, language: str) -> str:
    """The category's word in the asker's language (runtime.labels)."""
    said = word(category)
    return said.render(language) if isinstance(said, Label) else said


CLOSED = (DispatchState.CONFIRMED, DispatchState.FED_BACK)
MAX_REQUESTS = 200


async def district(jurisdiction_id: str | None) -> District:
    raw = jurisdiction_id or ""
    found = await District.get_or_none(id=int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such district (jurisdiction_id)."), "jurisdiction_id")
    return found


def services(language: str) -> list[dict[str, Any]]:
    return [
        {
            "service_code": category.value,
            "service_name": service_name(category, language),
            "description": service_name(category, language),
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        }
        for category in ReportCategory
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _request(row: Dispatch, departments: dict[int, str], language: str) -> dict[str, Any]:
    return {
        "service_request_id": str(row.id),
        "status": "closed" if row.state in CLOSED else "open",
        "status_notes": row.state.value,
        "service_name": service_name(row.category, language),
        "service_code": row.category.value,
        "description": row.text,
        "agency_responsible": departments.get(row.department_id or 0, ""),
        "service_notice": "",
        "requested_datetime": _iso(row.created_at),
        "updated_datetime": _iso(row.updated_at),
        "expected_datetime": _iso(row.fix_due_at),
        "address": row.address,
        "address_id": "",
        "zipcode": "",
        "lat": row.latitude,
        "long": row.longitude,
        "media_url": "",
    }


def _public(district_row: District) -> Any:
    return Dispatch.filter(district_id=district_row.id, community_id__isnull=True).exclude(
        state=DispatchState.SENT_BACK
    )


async def _departments(rows: list[Dispatch]) -> dict[int, str]:
    ids = sorted({r.department_id for r in rows if r.department_id})
    return (
        {d["id"]: d["name"] for d in await Department.filter(id__in=ids).values("id", "name")} if ids else {}
    )


async def requests(
    district_row: District, service_code: str | None, status: str | None, ids: list[str], language: str
) -> list[dict[str, Any]]:
    query = _public(district_row)
    if ids:
        query = query.filter(id__in=[int(i) for i in ids[:MAX_REQUESTS] if i.isdigit() and len(i) < 10])
    if service_code:
        query = query.filter(category=service_code)
    if status == "open":
        query = query.exclude(state__in=list(CLOSED))
    elif status == "closed":
        query = query.filter(state__in=list(CLOSED))
    rows = await query.order_by("-id").limit(MAX_REQUESTS)
    departments = await _departments(rows)
    return [_request(r, departments, language) for r in rows]


async def request(district_row: District, request_id: str, language: str) -> dict[str, Any]:
    ok = request_id.isdigit() and len(request_id) < 10  # an int4 id, never a database error
    row = await _public(district_row).filter(id=int(request_id)).first() if ok else None
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No such request."), "service_request_id")
    return _request(row, await _departments([row]), language)
