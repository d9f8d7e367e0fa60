"""The office console at /office/ (issue 18): the community office's pages, in Simplified Chinese,
for an office PC and a phone. Each page runs the contract's `office` documents for the signed-in
staff member through the shared web layer (sessions, CSRF, typed errors); no page reads models.

Overview first; then the daily work (report queues, the counter, opinions, round tables, surveys,
the books, the month's close, abuse flags, inspections) and the setting up (places and the
register, tags and QR sheets, teams, rewards, rules and clocks, invites, the notice board); the
home observers and the mediation room (observers.py).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.routing import Route

from api.web.core import Handler
from api.web.office import daily, fees, members, more, observers, overview, places, reports, teams

GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")


def routes(page: Callable[[str, Handler, tuple[str, ...]], Route]) -> list[Route]:
    return [
        page("/office/", overview.overview, GET),
        page("/office/live", overview.live, GET),
        page("/office/reports", reports.queue, GET),
        page("/office/reports/new", reports.new, BOTH),
        page("/office/reports/{report_id}", reports.detail, GET),
        page("/office/reports/{report_id}/reject", reports.reject, POST),
        page("/office/reports/{report_id}/cancel", reports.cancel, POST),
        page("/office/pickups", daily.pickups, BOTH),
        page("/office/opinions", daily.opinions, GET),
        page("/office/opinions/{opinion_id}/answer", daily.opinion_answer, POST),
        page("/office/opinions/{opinion_id}/done", daily.opinion_done, POST),
        page("/office/accounts", daily.accounts, BOTH),
        page("/office/month", daily.month_close, BOTH),
        page("/office/places", places.places, GET),
        page("/office/places/import", places.register_import, POST),
        page("/office/places/rename", places.rename, BOTH),
        page("/office/places/tags-for-building", places.tags_for_building, POST),
        page("/office/places/tags-for-assets", places.tags_for_assets, POST),
        page("/office/places/tag-revoke", places.tag_revoke, POST),
        page("/office/places/tag-reissue", places.tag_reissue, POST),
        page("/office/places/sheet", places.sheet, GET),
        page("/office/places/entrance/{entrance_id}", places.entrance, BOTH),
        page("/office/members", members.members, BOTH),
        page("/office/members/phone", members.phone, POST),
        page("/office/teams", teams.teams, BOTH),
        page("/office/teams/captain", teams.captain, POST),
        page("/office/card", teams.card, GET),
        page("/office/card.png", teams.card_image, GET),
        page("/office/rewards", teams.rewards, BOTH),
        page("/office/rewards/update", teams.reward_update, POST),
        *more.routes(page),
        *observers.routes(page),
        *fees.routes(page),
    ]
