"""The Query and Mutation fields of reports and the inbox; merged into the root in root.py."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.context import Info
from api.resolvers.reports import operations as resolve
from api.schema.common import Connection
from api.schema.reports import inputs
from api.schema.reports.types import Notification, Report, ReportQueue


@strawberry.type
class ReportQuery:
    @strawberry.field(description="A report of a community you belong to; null if not there for you.")
    async def report(self, info: Info, id: strawberry.ID) -> Report | None:
        return await resolve.report(info, id)

    @strawberry.field(description="Reports you filed or that were filed for you, newest first.")
    async def my_reports(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Report]:
        return await resolve.my_reports(info, first, after)

    @strawberry.field(
        description="A work list, oldest first. UNCLAIMED: repair team and staff; OVERDUE, ESCALATED: staff."
    )
    async def report_queue(
        self,
        info: Info,
        community_id: strawberry.ID,
        queue: ReportQueue,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Report]:
        return await resolve.report_queue(info, community_id, queue, first, after)

    @strawberry.field(description="Your notifications, newest first.")
    async def my_inbox(
        self, info: Info, first: int | None = None, after: str | None = None, unread_only: bool = False
    ) -> Connection[Notification]:
        return await resolve.my_inbox(info, first, after, unread_only)

    @strawberry.field(
        description="A cursor at your newest notification (at the start of an empty inbox). Pass it "
        "as `notificationAdded(after:)` to hear of everything that comes later, without a gap."
    )
    async def my_inbox_cursor(self, info: Info) -> str:
        return await resolve.my_inbox_cursor(info)

    @strawberry.field(description="How many of your notifications are unread.")
    async def my_unread_count(self, info: Info) -> int:
        return await resolve.my_unread_count(info)


@strawberry.type
class ReportMutation:
    report_create: inputs.ReportCreatePayload = strawberry.mutation(
        resolver=resolve.report_create,
        description="Report a problem at a place. If it is already reported there: DUPLICATE_REPORT "
        "with existingReport. Too many in an hour: RATE_LIMITED with retryAfterSeconds.",
    )
    report_me_too: inputs.ReportPayload = strawberry.mutation(
        resolver=resolve.report_me_too, description="Say you have the same problem (once per person)."
    )
    report_claim: inputs.ReportPayload = strawberry.mutation(
        resolver=resolve.report_claim,
        description="Repair team: take an open order. Two at once: one wins, the other gets ALREADY_CLAIMED.",
    )
    report_resolve: inputs.ReportPayload = strawberry.mutation(
        resolver=resolve.report_resolve, description="The claiming repairer: mark fixed, with proof photos."
    )
    report_confirm: inputs.ReportPayload = strawberry.mutation(
        resolver=resolve.report_confirm, description="The reporter: accept the fix and rate it."
    )
    report_reopen: inputs.ReportPayload = strawberry.mutation(
        resolver=resolve.report_reopen,
        description="The reporter, within 7 days of the fix: not fixed after all.",
    )
    report_reject: inputs.ReportPayload = strawberry.mutation(
        resolver=resolve.report_reject, description="Staff: close as a duplicate or invalid."
    )
    report_cancel: inputs.ReportPayload = strawberry.mutation(
        resolver=resolve.report_cancel, description="The reporter, before anyone claims it: withdraw it."
    )
    report_clocks_set: inputs.ReportClocksSetPayload = strawberry.mutation(
        resolver=resolve.report_clocks_set,
        description="Staff: minutes to claim and to fix, for the community or one category.",
    )
    notification_mark_read: inputs.NotificationMarkReadPayload = strawberry.mutation(
        resolver=resolve.notification_mark_read, description="Mark notifications read."
    )


@strawberry.type
class ReportSubscription:
    @strawberry.subscription(
        description="Your new notifications as they happen (graphql-transport-ws; send "
        '`{"authorization": "Bearer …"}` as the connection_init payload or as a header). With '
        "`after` (a cursor from `myInboxCursor` or `myInbox`), first those newer than the cursor, "
        "oldest first, then the live ones: none missed, none twice. Without it, only those that "
        "arrive after the server starts watching."
    )
    async def notification_added(
        self, info: Info, after: str | None = None
    ) -> AsyncGenerator[Notification, None]:
        async for item in resolve.notifications_added(info, after):
            yield item
