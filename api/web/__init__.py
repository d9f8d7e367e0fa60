"""The server's own web pages for people without the app (issue 19), and the layer they share
with the office console: sessions in cookies, CSRF, persisted documents run in process, Jinja2
templates, our own CSS and script."""

from __future__ import annotations

import strawberry
from starlette.routing import BaseRoute, Route

from api.web import accounts, fees, membership, office, reporting
from api.web.core import Handler, endpoint
from api.web.operations import Runner
from api.web.pages import static_file


def routes(schema: strawberry.Schema) -> list[BaseRoute]:
    runner = Runner(schema)

    def page(path: str, handler: Handler, methods: tuple[str, ...] = ("GET",)) -> Route:
        return Route(path, endpoint(runner, handler), methods=list(methods))

    return [
        Route("/web/static/{name}", static_file, methods=["GET"]),
        page("/login", accounts.login, ("GET", "POST")),
        page("/logout", accounts.logout, ("POST",)),
        page("/me", accounts.home, ("GET", "POST")),
        # The page a tag's QR code opens (services.tags.url_of): what is reported here, and the form.
        page("/t/{code}", reporting.tag_page, ("GET", "POST")),
        page("/me/reports", reporting.my_reports),
        page("/me/reports/{id:path}", reporting.report_page, ("GET", "POST")),
        # The page the captain's rotating QR opens (services.checkin_codes.checkin_url).
        page("/c/{code}", membership.check_in, ("GET", "POST")),
        page("/me/points", membership.points, ("GET", "POST")),
        page("/me/redemptions/{id:path}", membership.redemption),
        page("/me/board", membership.board),
        page("/me/fees", fees.my_fees),
        page("/me/fees/receipts/{payment_id:int}", fees.receipt),
        *office.routes(page),
    ]
