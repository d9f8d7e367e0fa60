"""Signing in with phone and password, and the throttle on repeated failures."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from models.people import User
from models.sessions import SignInThrottle
from runtime.clock import MovableClock
from tests.api.accounts.operations import codes, me, sign_in
from tests.support.graphql import GraphQLClient
from tests.support.people import PASSWORD, make_person


def refusal(payload: dict[str, Any]) -> tuple[list[str], list[str], list[str | None]]:
    """What a refused sign-in tells the caller: codes, messages, fields."""
    errors = payload["errors"]
    return [e["code"] for e in errors], [e["message"] for e in errors], [e["field"] for e in errors]


async def fail_sign_in(api: GraphQLClient, phone: str, times: int) -> None:
    for _ in range(times):
        assert codes(await sign_in(api, phone, "not-the-password-1")) == ["INVALID_CREDENTIALS"]


async def test_the_right_password_signs_in(api: GraphQLClient) -> None:
    # given
    person = await make_person(name="赵大爷")
    # when
    payload = await sign_in(api, person.phone, PASSWORD)
    # then
    assert payload["errors"] == []
    assert payload["viewer"]["phone"] == person.phone
    viewer = await me(api, payload["accessToken"])
    assert viewer is not None
    assert viewer["user"]["displayName"] == "赵大爷"


async def test_the_phone_may_be_written_as_the_person_types_it(api: GraphQLClient) -> None:
    person = await make_person()
    local = person.phone.removeprefix("+86")
    payload = await sign_in(api, f"{local[:3]} {local[3:7]} {local[7:]}", PASSWORD)
    assert payload["errors"] == []


async def test_a_wrong_password_an_unknown_phone_and_a_deactivated_account_look_the_same(
    api: GraphQLClient,
) -> None:
    # given
    person = await make_person()
    gone = await make_person()
    await User.filter(id=gone.user.id).update(is_active=False)
    # when
    wrong_password = await sign_in(api, person.phone, "not-the-password-1")
    unknown_phone = await sign_in(api, "139 9999 0000", PASSWORD)
    deactivated = await sign_in(api, gone.phone, PASSWORD)
    malformed_phone = await sign_in(api, "12345", PASSWORD)
    # then
    expected = refusal(wrong_password)
    assert expected[0] == ["INVALID_CREDENTIALS"]
    assert refusal(unknown_phone) == expected
    assert refusal(deactivated) == expected
    assert refusal(malformed_phone) == expected
    assert all(p["accessToken"] is None for p in (wrong_password, unknown_phone, deactivated))


async def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # given
    person = await make_person()
    await fail_sign_in(api, person.phone, 5)
    # when
    payload = await sign_in(api, person.phone, PASSWORD)
    # then
    assert codes(payload) == ["TOO_MANY_ATTEMPTS"]
    assert payload["accessToken"] is None


async def test_four_failures_do_not_lock_the_account(api: GraphQLClient, moved_clock: MovableClock) -> None:
    person = await make_person()
    await fail_sign_in(api, person.phone, 4)
    assert (await sign_in(api, person.phone, PASSWORD))["errors"] == []


async def test_an_unknown_phone_is_throttled_like_a_known_one(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    await fail_sign_in(api, "139 9999 0000", 5)
    assert codes(await sign_in(api, "139 9999 0000", PASSWORD)) == ["TOO_MANY_ATTEMPTS"]


async def test_the_lock_holds_one_phone_only(api: GraphQLClient, moved_clock: MovableClock) -> None:
    # given
    locked, neighbour = await make_person(), await make_person()
    await fail_sign_in(api, locked.phone, 5)
    # when
    payload = await sign_in(api, neighbour.phone, PASSWORD)
    # then
    assert payload["errors"] == []


async def test_sign_in_works_again_once_the_lockout_has_passed(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # given
    person = await make_person()
    await fail_sign_in(api, person.phone, 5)
    # when
    moved_clock.advance(minutes=16)
    payload = await sign_in(api, person.phone, PASSWORD)
    # then
    assert payload["errors"] == []
    assert await me(api, payload["accessToken"]) is not None


async def test_failures_spread_over_more_than_the_window_do_not_lock(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # given
    person = await make_person()
    await fail_sign_in(api, person.phone, 4)
    moved_clock.advance(minutes=16)
    await fail_sign_in(api, person.phone, 1)
    # when
    payload = await sign_in(api, person.phone, PASSWORD)
    # then
    assert payload["errors"] == []


async def test_a_successful_sign_in_clears_the_failures(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # given
    person = await make_person()
    await fail_sign_in(api, person.phone, 4)
    await sign_in(api, person.phone, PASSWORD)
    # when
    await fail_sign_in(api, person.phone, 4)
    payload = await sign_in(api, person.phone, PASSWORD)
    # then
    assert payload["errors"] == []


async def test_the_throttle_keeps_no_phone_numbers(api: GraphQLClient, moved_clock: MovableClock) -> None:
    # given
    person = await make_person()
    local = person.phone.removeprefix("+86")
    # when
    await fail_sign_in(api, person.phone, 5)
    await fail_sign_in(api, "139 9999 0000", 1)
    # then
    rows = await SignInThrottle.all().values()
    assert len(rows) == 2
    stored = " ".join(str(value) for row in rows for value in row.values())
    for digits in (local, "13999990000", local[-8:], "99990000"):
        assert digits not in stored


async def test_failures_sent_at_once_are_all_counted(api: GraphQLClient, moved_clock: MovableClock) -> None:
    # given
    person = await make_person()
    # when
    await asyncio.gather(*(sign_in(api, person.phone, f"not-the-password-{n}") for n in range(5)))
    # then
    assert codes(await sign_in(api, person.phone, PASSWORD)) == ["TOO_MANY_ATTEMPTS"]
    assert (await SignInThrottle.get()).failures == 5


async def test_the_throttle_key_cannot_be_recomputed_from_the_phone_number_alone(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # There are only ~10^10 mobile numbers: an unkeyed hash of one is reversed by hashing them all.
    # given
    person = await make_person()
    # when
    await fail_sign_in(api, person.phone, 1)
    # then
    key = (await SignInThrottle.get()).key_hash
    unkeyed = {
        hashlib.new(algorithm, (prefix + form).encode()).hexdigest()
        for algorithm in ("sha256", "sha1", "md5")
        for prefix in ("", "rs-phone:")
        for form in (person.phone, person.phone.removeprefix("+86"))
    }
    assert key not in unkeyed
