"""The inbox: repairers hear of new orders, reporters of every step of theirs."""

from __future__ import annotations

from models.reports import Notification
from tests.support.people import Person, gid
from tests.support.reports import CLAIM, CONFIRM, ReportsApi, make_cast

INBOX = """
query Inbox($unread: Boolean!) {
  myUnreadCount
  myInbox(first: 20, unreadOnly: $unread) { totalCount nodes { id event text readAt report { id state } } }
}"""
MARK = """
mutation Mark($input: NotificationMarkReadInput!) {
  notificationMarkRead(input: $input) { marked unreadCount errors { code } }
}"""


async def inbox(reports_api: ReportsApi, person: Person, unread: bool = False) -> dict[str, object]:
    data = await reports_api.api.data(INBOX, {"unread": unread}, person.token)
    return data


async def test_everyone_hears_of_what_concerns_them(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]

    for repairer in (cast.repairer, cast.repairer2):
        box = await inbox(reports_api, repairer)
        assert box["myUnreadCount"] == 1
        [note] = box["myInbox"]["nodes"]  # type: ignore[index]
        assert (note["event"], note["report"]["id"]) == ("report.opened", report_id)
    assert (await inbox(reports_api, cast.resident))["myUnreadCount"] == 0  # not told of their own act
    assert (await inbox(reports_api, cast.outsider))["myUnreadCount"] == 0

    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    await reports_api.resolve(report_id, cast.repairer)
    await reports_api.move(CONFIRM, cast.resident, reportId=report_id, rating=5)

    resident = await inbox(reports_api, cast.resident)
    assert [n["event"] for n in resident["myInbox"]["nodes"]] == ["report.resolved", "report.claimed"]  # type: ignore[index]
    repairer = await inbox(reports_api, cast.repairer)
    assert [n["event"] for n in repairer["myInbox"]["nodes"]] == ["report.confirmed", "report.opened"]  # type: ignore[index]
    assert (await inbox(reports_api, cast.repairer2))["myUnreadCount"] == 1


async def test_marking_read_touches_only_your_own(reports_api: ReportsApi) -> None:
    cast = await make_cast()
    report_id = (await reports_api.create(cast))["report"]["id"]
    await reports_api.move(CLAIM, cast.repairer, reportId=report_id)
    resident_note = await Notification.get(user_id=cast.resident.user.id)
    theirs = gid("Notification", resident_note.id)

    other = await reports_api.api.data(MARK, {"input": {"ids": [theirs]}}, cast.repairer2.token)
    assert other["notificationMarkRead"]["marked"] == 0
    assert (await Notification.get(id=resident_note.id)).read_at is None

    mine = await reports_api.api.data(MARK, {"input": {"ids": [theirs]}}, cast.resident.token)
    assert mine["notificationMarkRead"] == {"marked": 1, "unreadCount": 0, "errors": []}
    unread = await inbox(reports_api, cast.resident, unread=True)
    assert unread["myInbox"]["totalCount"] == 0  # type: ignore[index]

    everything = await reports_api.api.data(MARK, {"input": {}}, cast.repairer.token)
    assert everything["notificationMarkRead"]["marked"] == 1
