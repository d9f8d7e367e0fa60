"""Open311 GeoReport v2 read endpoints (JSON): `services`, `requests`, `requests/{id}`, for a
district given as `jurisdiction_id`. Public by design, no sign-in: services.district.open311
serves only problems in public space, with no personal data."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.i18n import mark_language, request_language, say
from models.enums import ReportCategory
from runtime.i18n import N_, Text
from services.district import open311
from services.errors import DomainError

_HEADERS = {"cache-control": "public, max-age=60", "x-content-type-options": "nosniff"}


def _answer(body: object, language: str, status: int = 200) -> Response:
    response = JSONResponse(body, status_code=status, headers=_HEADERS)
    mark_language(response, language)
    return response


def _error(status: int, description: str, language: str) -> Response:
    # GeoReport v2's error shape: a list of {code, description}.
    return _answer([{"code": status, "description": description}], language, status)


async def services(request: Request) -> Response:
    language = request_language(request)
    try:
        await open311.district(request.query_params.get("jurisdiction_id"))
    except DomainError as error:
        return _error(404, say(error, language), language)
    return _answer(open311.services(language), language)


async def requests(request: Request) -> Response:
    language = request_language(request)
    params = request.query_params
    code = params.get("service_code")
    if code and code not in {c.value for c in ReportCategory}:
        return _error(400, Text(N_("Unknown service_code.")).render(language), language)
    if params.get("status") not in (None, "open", "closed"):
        return _error(400, Text(N_("status is open or closed.")).render(language), language)
    try:
        district = await open311.district(params.get("jurisdiction_id"))
    except DomainError as error:
        return _error(404, say(error, language), language)
    ids = [i for i in (params.get("service_request_id") or "").split(",") if i]
    return _answer(await open311.requests(district, code, params.get("status"), ids, language), language)


async def one_request(request: Request) -> Response:
    language = request_language(request)
    try:
        district = await open311.district(request.query_params.get("jurisdiction_id"))
        found = await open311.request(district, request.path_params["request_id"], language)
    except DomainError as error:
        return _error(404, say(error, language), language)
    return _answer([found], language)


ROUTES = [
    Route("/open311/v2/services.json", services, methods=["GET"]),
    Route("/open311/v2/requests.json", requests, methods=["GET"]),
    Route("/open311/v2/requests/{request_id}.json", one_request, methods=["GET"]),
]
