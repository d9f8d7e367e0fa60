"""`GET /cards/volunteer.png?community=<id>[&user=<id>]` with `Authorization: Bearer …`: the QR
of a personal volunteer card with the holder's name under it, to print. The holder's own card,
or, for the community office, any member's. The route never issues a card (a GET changes
nothing): `volunteerCardIssue` does. Errors are JSON with the API's codes."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.graphql import viewer_of
from api.i18n import request_language, say
from api.ids import decode_global_id
from services.errors import DomainError, Forbidden, NotAuthenticated
from services.tags import printing as tag_printing
from services.teams import attendance


async def volunteer_card_png(request: Request) -> Response:
    viewer = await viewer_of(request)
    params = request.query_params
    try:
        viewer.require_user()
        community_id = decode_global_id(params.get("community", ""), "Community", "community")
        user = params.get("user")
        user_id = decode_global_id(user, "User", "user") if user else viewer.user_id
        card = await attendance.printable_card(viewer, community_id, user_id)
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
        return JSONResponse(
            {"code": str(error.code), "message": say(error, request_language(request))}, status_code=404
        )
    printed = tag_printing.PrintedTag(url=card.code, label=f"{card.holder_name} {card.community_name}志愿者")
    png = await run_in_threadpool(tag_printing.tag_png, printed)
    # The code checks the holder in: never cached by anything between.
    return Response(png, media_type="image/png", headers={"cache-control": "private, no-store"})


ROUTES = [Route("/cards/volunteer.png", volunteer_card_png, methods=["GET"])]
