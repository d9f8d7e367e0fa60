"""HTTP route of the community notice board: /board/<slug>, no sign-in needed for what the
community made public (members presenting a token see every section)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from api.board_page import board_page
from api.graphql import viewer_of
from api.i18n import say
from api.tag_landing import problem_page
from runtime.i18n import CHINESE
from services.errors import DomainError
from services.notice_board import board, community_by_slug

_HEADERS = {
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
}


async def notice_board(request: Request) -> Response:
    try:
        community = await community_by_slug(request.path_params["slug"])
        shown = await board(community, await viewer_of(request), request.query_params.get("month"))
    except DomainError as error:
        return HTMLResponse(
            problem_page("找不到这个公告栏", say(error, CHINESE)), status_code=404, headers=_HEADERS
        )
    return HTMLResponse(board_page(shown), headers=_HEADERS)


ROUTES = [Route("/board/{slug}", notice_board, methods=["GET"])]
