"""HTTP routes of tags outside GraphQL: the code's images and the printable sheet of a building for
staff. The page a QR code opens (/t/<code>) is the web pages' report form (api/web/reporting.py)."""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from api.graphql import viewer_of
from api.ids import decode_global_id
from models.places import Building
from services import tags
from services.errors import DomainError, ErrorCode, Forbidden, NotAuthenticated
from services.tags import printing as tag_printing

_IMAGE = re.compile(r"^(?P<code>[A-Za-z2-7]{1,64})\.(?P<ext>png|svg)$")
# Revocation must show within minutes; images of a live code can be cached that long.
_CACHE = "public, max-age=300"

_REVOKED_TITLE = "这个码已停用"
_REVOKED_TEXT = "社区办公室已更换或撤下这个码。请扫附近的新标签，或联系社区办公室。"
_UNKNOWN_TITLE = "无法识别这个码"
_UNKNOWN_TEXT = "这不是社区办公室印制的报修码，或者码不完整。请扫描贴在现场的标签。"


def _status(error: DomainError) -> int:
    return 410 if error.code == ErrorCode.TAG_REVOKED else 404


async def image(request: Request) -> Response:
    match = _IMAGE.match(request.path_params["name"])
    if match is None:
        return PlainTextResponse(_UNKNOWN_TEXT, status_code=404)
    try:
        tag = await tags.tag_by_code(match["code"])
    except DomainError as error:
        revoked = error.code == ErrorCode.TAG_REVOKED
        return PlainTextResponse(_REVOKED_TEXT if revoked else _UNKNOWN_TEXT, status_code=_status(error))
    (location,) = await tags.locations_of([tag])
    printed = tag_printing.PrintedTag(url=tags.url_of(tag), label=location.label)
    if match["ext"] == "png":
        return Response(
            tag_printing.tag_png(printed), media_type="image/png", headers={"cache-control": _CACHE}
        )
    return Response(
        tag_printing.tag_svg(printed), media_type="image/svg+xml", headers={"cache-control": _CACHE}
    )


async def building_sheet(request: Request) -> Response:
    """`GET /qr-sheet.pdf?building=<global id>` with `Authorization: Bearer …`: managers of the
    building's community only; other communities' buildings are not found."""
    viewer = await viewer_of(request)
    try:
        building_id = decode_global_id(request.query_params.get("building", ""), "Building", "building")
        viewer.require_user()
        building = await Building.get_or_none(id=building_id)
        if building is None or not viewer.is_member(building.community_id):
            raise DomainError(ErrorCode.NOT_FOUND, "Not found.", "building")
        viewer.require_manager(building.community_id)
    except NotAuthenticated as error:
        return JSONResponse(
            {"code": "UNAUTHENTICATED", "message": error.message},
            status_code=401,
            headers={"www-authenticate": "Bearer"},
        )
    except Forbidden as error:
        return JSONResponse({"code": "FORBIDDEN", "message": error.message}, status_code=403)
    except DomainError as error:
        return JSONResponse({"code": str(error.code), "message": error.message}, status_code=404)
    title, printed = await tags.printable_building(building)
    if not printed:
        return JSONResponse(
            {"code": "NO_TAGS", "message": "This building has no active tags yet; create them first."},
            status_code=409,
        )
    # ~10 ms a code: a 300-code sheet would hold the event loop for seconds, so draw it in a thread.
    pdf = await run_in_threadpool(
        lambda: tag_printing.sheet_pdf(tag_printing.iter_sheet_pages(title, printed))
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f'inline; filename="qr-sheet-building-{building.id}.pdf"',
            "cache-control": "no-store",
        },
    )


ROUTES = [
    Route("/qr/{name}", image, methods=["GET"]),
    Route("/qr-sheet.pdf", building_sheet, methods=["GET"]),
]
