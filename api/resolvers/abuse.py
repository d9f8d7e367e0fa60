"""Staff's list of abuse flags and their decisions; every flag of a page is built in a fixed
number of queries (flags, evidence rows, reports, payments, people), whatever the page size."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry import relay

from api.context import Info
from api.ids import decode_cursor, decode_global_id
from api.resolvers.payloads import guarded
from api.schema import abuse as types
from api.schema.accounts.types import User
from api.schema.common import Connection
from api.schema.connections import connection
from models.abuse import AbuseFlag as FlagRow
from models.abuse import AbuseFlagReport, AbuseFlagState
from models.people import User as UserRow
from models.reports import Report
from services import abuse
from services.paging import clamp_first


async def _flags(rows: Sequence[FlagRow]) -> list[types.AbuseFlag]:
    if not rows:
        # The office's live poll asks `first: 0` for the total alone: an empty page has no
        # evidence, reports, payments or people to read (four statements that answered nothing).
        return []
    links = await AbuseFlagReport.filter(flag_id__in=[r.id for r in rows]).order_by("report_id")
    report_ids = sorted({link.report_id for link in links})
    reports = {r.id: r for r in await Report.filter(id__in=report_ids)}
    paid = await abuse.points_paid(report_ids)
    # A page is one community's, so one rules lookup prices every held repair on it.
    held = await abuse.held_prices(rows[0].community_id, links)
    people_ids = {r.user_id for r in rows} | {r.partner_id for r in rows if r.partner_id is not None}
    people = {
        u.id: User(id=u.id, display_name=u.display_name) for u in await UserRow.filter(id__in=people_ids)
    }
    evidence: dict[int, list[types.AbuseEvidence]] = {r.id: [] for r in rows}
    for link in links:
        report = reports[link.report_id]
        evidence[link.flag_id].append(
            types.AbuseEvidence(
                report_id=relay.GlobalID("Report", str(report.id)),
                category=report.category,
                state=report.state,
                created_at=report.created_at,
                points_paid=paid[report.id],
                held=link.held,
                points_held=held.get(link.id, 0),
                released=link.released_at is not None,
            )
        )
    return [
        types.AbuseFlag(
            id=row.id,
            signal=row.signal,
            state=row.state,
            user=people[row.user_id],
            partner=None if row.partner_id is None else people[row.partner_id],
            detail=row.detail,
            created_at=row.created_at,
            decided_at=row.decided_at,
            decision_note=row.decision_note,
            evidence=evidence[row.id],
        )
        for row in rows
    ]


async def abuse_flags(
    info: Info,
    community_id: strawberry.ID,
    state: AbuseFlagState | None = AbuseFlagState.OPEN,
    first: int | None = None,
    after: str | None = None,
) -> Connection[types.AbuseFlag]:
    viewer = info.context.viewer
    viewer.require_user()
    cid = decode_global_id(community_id, "Community", "communityId")
    size, before_id = clamp_first(first), decode_cursor(after)
    page = await abuse.list_flags(viewer, cid, state, size, before_id)
    built = {flag.id: flag for flag in await _flags(page.flags)}

    async def total() -> int:
        return page.total

    return connection(page.flags, page.has_next, lambda row: built[row.id], total, before_id)


async def abuse_flag_decide(info: Info, input: types.AbuseFlagDecideInput) -> types.AbuseFlagPayload:
    async def work() -> types.AbuseFlagPayload:
        viewer = info.context.viewer
        viewer.require_user()
        flag_id = decode_global_id(input.flag_id, "AbuseFlag", "flagId")
        row = await abuse.decide(viewer, flag_id, input.decision is types.AbuseDecision.CONFIRM, input.note)
        return types.AbuseFlagPayload(flag=(await _flags([row]))[0])

    return await guarded(types.AbuseFlagPayload, work())
