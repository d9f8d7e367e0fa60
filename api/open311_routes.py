"""Open311 GeoReport v2 read endpoints (JSON): `services`, `requests`, `requests/{id}`, for a
district given as `jurisdiction_id`. Public by design, no sign-in: services.district.open311
serves only problems in public space, with no personal data."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from models.enums import ReportCategory
from services.district import open311
from services.errors import DomainError

_HEADERS = {"cache-control": "public, max-age=60", "x-content-type-options": "nosniff"}


def _error(status: int, description: str) -> Response:
    # GeoReport v2's error shape: a list of {code, description}.
    return JSONResponse([{"code": status, "description": description}], status_code=status, headers=_HEADERS)


async def services(request: Request) -> Response:
    try:
        await open311.district(request.query_params.get("jurisdiction_id"))
    except DomainError as error:
        return _error(404, error.message)
    return JSONResponse(open311.services(), headers=_HEADERS)


async def requests(request: Request) -> Response:
    params = request.query_params
    code = params.get("service_code")
    if code and code not in {c.value for c in ReportCategory}:
        return _error(400, "未知的 service_code。")
    if params.get("status") not in (None, "open", "closed"):
        return _error(400, "status 只能是 open 或 closed。")
    try:
        district = await open311.district(params.get("jurisdiction_id"))
    except DomainError as error:
        return _error(404, error.message)
    ids = [i for i in (params.get("service_request_id") or "").split(",") if i]
    return JSONResponse(await open311.requests(district, code, params.get("status"), ids), headers=_HEADERS)


async def one_request(request: Request) -> Response:
    try:
        district = await open311.district(request.query_params.get("jurisdiction_id"))
        found = await open311.request(district, request.path_params["request_id"])
    except DomainError as error:
        return _error(404, error.message)
    return JSONResponse([found], headers=_HEADERS)


ROUTES = [
    Route("/open311/v2/services.json", services, methods=["GET"]),
    Route("/open311/v2/requests.json", requests, methods=["GET"]),
    Route("/open311/v2/requests/{request_id}.json", one_request, methods=["GET"]),
]
