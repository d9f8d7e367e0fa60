"""GET /photos/<id>?exp=…&sig=…: a report photo, for whoever holds a fresh link.

Links are signed and handed out only by `Report.photos`, after the same access check as the
report itself, so an image view in the app can load them without an Authorization header.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from services.report_photos import open_photo


async def report_photo(request: Request) -> Response:
    photo_id: int = request.path_params["photo_id"]
    found = await open_photo(
        photo_id, request.query_params.get("exp", ""), request.query_params.get("sig", "")
    )
    if found is None:
        return PlainTextResponse("Not found, or the link has expired.", status_code=404)
    data, content_type = found
    return Response(
        data,
        media_type=content_type,
        headers={"cache-control": "private, max-age=3600", "x-content-type-options": "nosniff"},
    )
