"""The ledger without GraphQL: posting, replay, reversal, balances, ledger-check."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tortoise import connections

from models.ledger import AccountKind, PointAccount, PointTransfer, TransferKind
from points_engine import accounts, earning, ledger
from points_engine.audit import check_ledger
from points_engine.errors import ErrorCode, PointsError
from runtime.settings import Settings
from tests.support.people import make_neighbourhood, make_person


async def _member_and_issuing() -> tuple[int, int, PointAccount, PointAccount]:
    place = await make_neighbourhood()
    person = await make_person(place.community)
    member = await accounts.member_account(place.community.id, person.user.id)
    assert member is not None
    issuing = await accounts.system_account(place.community.id, AccountKind.ISSUING)
    return place.community.id, person.user.id, member, issuing


async def _balance(account: PointAccount) -> int:
    return int((await PointAccount.get(id=account.id)).balance)


async def test_a_transfer_moves_points_and_a_replay_changes_nothing() -> None:
    community_id, _, member, issuing = await _member_and_issuing()
    first = await ledger.post(
        debit=issuing, credit=member, amount=30, kind=TransferKind.ATTENDANCE, source_key="attendance:1"
    )
    replay = await ledger.post(
        debit=issuing, credit=member, amount=99, kind=TransferKind.ATTENDANCE, source_key="attendance:1"
    )
    assert first.created and not replay.created
    assert replay.transfer.id == first.transfer.id and replay.transfer.amount == 30
    assert await _balance(member) == 30 and await _balance(issuing) == -30
    assert await PointTransfer.filter(community_id=community_id).count() == 1


@pytest.mark.parametrize("amount", [0, -5, 10**9])
async def test_bad_amounts_are_refused(amount: int) -> None:
    _, _, member, issuing = await _member_and_issuing()
    with pytest.raises(PointsError) as caught:
        await ledger.post(
            debit=issuing, credit=member, amount=amount, kind=TransferKind.REPORT, source_key="x"
        )
    assert caught.value.code == ErrorCode.INVALID_AMOUNT
    assert await PointTransfer.all().count() == 0


async def test_a_member_balance_never_goes_negative() -> None:
    community_id, _, member, issuing = await _member_and_issuing()
    await ledger.post(debit=issuing, credit=member, amount=10, kind=TransferKind.REPORT, source_key="a")
    sink = await accounts.system_account(community_id, AccountKind.REDEMPTION)
    with pytest.raises(PointsError) as caught:
        await ledger.post(debit=member, credit=sink, amount=11, kind=TransferKind.REDEMPTION, source_key="b")
    assert caught.value.code == ErrorCode.INSUFFICIENT_POINTS
    assert await _balance(member) == 10
    assert not await PointTransfer.exists(source_key="b"), "the refused transfer was half-written"


async def test_accounts_of_non_members_are_unknown() -> None:
    place = await make_neighbourhood()
    outsider = await make_person(None)
    with pytest.raises(PointsError) as caught:
        await accounts.member_account(place.community.id, outsider.user.id)
    assert caught.value.code == ErrorCode.UNKNOWN_ACCOUNT


async def test_a_reversal_is_a_linked_transfer_and_happens_once() -> None:
    community_id, actor, member, issuing = await _member_and_issuing()
    paid = await ledger.post(
        debit=issuing, credit=member, amount=25, kind=TransferKind.REPORT, source_key="r"
    )
    back = await earning.staff_reverse(community_id, actor, paid.transfer.id, "duplicate")
    assert back.transfer.reverses_id == paid.transfer.id and back.transfer.kind == TransferKind.REVERSAL
    assert back.transfer.by_hand
    assert await _balance(member) == 0 and await _balance(issuing) == 0
    with pytest.raises(PointsError) as caught:
        await earning.staff_reverse(community_id, actor, paid.transfer.id, "again")
    assert caught.value.code == ErrorCode.ALREADY_REVERSED
    with pytest.raises(PointsError) as caught:
        await earning.staff_reverse(community_id, actor, back.transfer.id, "reverse the reversal")
    assert caught.value.code == ErrorCode.NOT_REVERSIBLE
    with pytest.raises(PointsError) as caught:
        await earning.staff_reverse(community_id + 1, actor, paid.transfer.id, "other community")
    assert caught.value.code == ErrorCode.NOT_FOUND


async def test_reversing_spent_points_is_refused_for_staff() -> None:
    community_id, actor, member, issuing = await _member_and_issuing()
    paid = await ledger.post(
        debit=issuing, credit=member, amount=25, kind=TransferKind.REPORT, source_key="r"
    )
    sink = await accounts.system_account(community_id, AccountKind.REDEMPTION)
    await ledger.post(debit=member, credit=sink, amount=20, kind=TransferKind.REDEMPTION, source_key="s")
    with pytest.raises(PointsError) as caught:
        await earning.staff_reverse(community_id, actor, paid.transfer.id, "too late")
    assert caught.value.code == ErrorCode.INSUFFICIENT_POINTS
    assert await _balance(member) == 5


async def test_posting_hooks_run_for_new_transfers_only() -> None:
    _, _, member, issuing = await _member_and_issuing()
    seen: list[int] = []

    async def hook(transfer: PointTransfer, debit: PointAccount, credit: PointAccount) -> None:
        seen.append(transfer.amount)

    ledger.on_posted(hook)
    try:
        for _ in range(2):
            await ledger.post(
                debit=issuing, credit=member, amount=7, kind=TransferKind.REPORT, source_key="h"
            )
    finally:
        ledger.remove_posted_hook(hook)
    assert seen == [7]


def _ledger_check(database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RS_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "ledger-check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_ledger_check_passes_on_a_sound_ledger_and_fails_on_a_corrupted_balance(
    settings: Settings,
) -> None:
    community_id, _, member, issuing = await _member_and_issuing()
    await ledger.post(debit=issuing, credit=member, amount=40, kind=TransferKind.REPORT, source_key="c")
    count, problems = await check_ledger()
    assert count == 2 and problems == []
    sound = _ledger_check(settings.database_url)
    assert sound.returncode == 0, sound.stdout + sound.stderr

    # Someone edits a balance behind the ledger's back.
    await connections.get("default").execute_query(
        f"UPDATE point_account SET balance = balance + 5 WHERE id = {member.id}"
    )
    _, problems = await check_ledger()
    assert {p.account_id for p in problems} == {member.id, None}
    broken = _ledger_check(settings.database_url)
    assert broken.returncode == 1
    assert "sum to 40" in broken.stdout and f"community {community_id}" in broken.stdout
