"""The QR image of a pickup code, for the member to show at the office counter.

The image carries only the code the caller already holds; a code that is not well signed gets a
404, so the route draws nothing for guessed or mistyped codes.
"""

from __future__ import annotations

import io

import qrcode
from starlette.requests import Request
from starlette.responses import Response

from points_engine.pickup import nonce_of


def render_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


async def pickup_qr(request: Request) -> Response:
    code = str(request.path_params["code"])
    if nonce_of(code) is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(
        render_png(code), media_type="image/png", headers={"cache-control": "private, max-age=86400"}
    )
