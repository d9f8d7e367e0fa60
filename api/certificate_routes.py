"""`GET /certificates/hours.png?community=<id>&from=YYYY-MM&to=YYYY-MM[&user=<id>]` with
`Authorization: Bearer …`: the printable hours certificate of the caller (or, for the community
office, of the member named by `user`). Errors are JSON with the same codes as the API."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.graphql import viewer_of
from api.i18n import request_language, say
from api.ids import decode_global_id
from services.errors import DomainError, ErrorCode, Forbidden, NotAuthenticated
from services.teams import hours_certificate


async def hours_png(request: Request) -> Response:
    viewer = await viewer_of(request)
    params = request.query_params
    try:
        viewer.require_user()
        community_id = decode_global_id(params.get("community", ""), "Community", "community")
        user = params.get("user")
        user_id = decode_global_id(user, "User", "user") if user else viewer.user_id
        cert = await hours_certificate.certificate(
            viewer, community_id, user_id, params.get("from", ""), params.get("to", "")
        )
    except NotAuthenticated as error:
        return JSONResponse(
            {"code": "UNAUTHENTICATED", "message": say(error, request_language(request))},
            status_code=401,
            headers={"www-authenticate": "Bearer"},
        )
    except Forbidden as error:
        return JSONResponse(
            {"code": "FORBIDDEN", "message": say(error, request_language(request))}, status_code=403
        )
    except DomainError as error:
        status = 404 if error.code == ErrorCode.NOT_FOUND else 400
        return JSONResponse(
            {"code": str(error.code), "message": say(error, request_language(request)), "field": error.field},
            status_code=status,
        )
    # ~100 ms of drawing: off the event loop.
    png = await run_in_threadpool(hours_certificate.render_png, cert)
    return Response(
        png,
        media_type="image/png",
        headers={
            "content-disposition": f'inline; filename="hours-{cert.first_month}-{cert.last_month}.png"',
            "cache-control": "private, no-store",
            "x-certificate-number": cert.number,
        },
    )


ROUTES = [Route("/certificates/hours.png", hours_png, methods=["GET"])]
