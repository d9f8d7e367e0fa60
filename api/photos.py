"""Photos over HTTP: reading uploads of a mutation, and serving stored photos by signed link.

GET /photos/<id>?exp=…&sig=… serves a report photo, GET /photos/inspection/<id>?… an inspection
photo, GET /photos/visit/<id>?… an observer's visit photo, GET /photos/dispatch/<id>?… a
dispatch's photo (the outpost reporter's, or a department's proof), to whoever holds a fresh
link. Links are signed and handed out only by `Report.photos`, `Inspection.photos`,
`ObserverVisit.photos` and `Dispatch.photos`, after the same access check as the object itself,
so an image view in the app can load them without an Authorization header.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from runtime.i18n import N_
from runtime.settings import get_settings
from services.errors import DomainError, ErrorCode
from services.reports.photos import PhotoOwner, open_photo


async def read_uploads(uploads: Sequence[Any], field: str) -> list[bytes]:
    """The bytes of each upload, reading at most one byte past the size limit: the service then
    refuses an oversized photo without the server holding all of it."""
    limit = get_settings().photo_max_bytes
    out: list[bytes] = []
    for index, upload in enumerate(uploads):
        read = getattr(upload, "read", None)
        if read is None:
            raise DomainError(
                ErrorCode.PHOTO_INVALID,
                N_("Photo {number} is not an uploaded file."),
                field,
                number=index + 1,
            )
        out.append(await read(limit + 1))
    return out


async def _serve(request: Request, owner: PhotoOwner) -> Response:
    photo_id: int = request.path_params["photo_id"]
    found = await open_photo(
        photo_id, request.query_params.get("exp", ""), request.query_params.get("sig", ""), owner
    )
    if found is None:
        return PlainTextResponse("Not found, or the link has expired.", status_code=404)
    data, content_type = found
    return Response(
        data,
        media_type=content_type,
        headers={"cache-control": "private, max-age=3600", "x-content-type-options": "nosniff"},
    )


async def report_photo(request: Request) -> Response:
    return await _serve(request, PhotoOwner.REPORT)


async def inspection_photo(request: Request) -> Response:
    return await _serve(request, PhotoOwner.INSPECTION)


async def visit_photo(request: Request) -> Response:
    return await _serve(request, PhotoOwner.VISIT)


async def dispatch_photo(request: Request) -> Response:
    return await _serve(request, PhotoOwner.DISPATCH)
