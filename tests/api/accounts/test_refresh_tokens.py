"""Refresh tokens: each works once, a reused one ends the whole session, signing out ends it too."""

from __future__ import annotations

import asyncio

import pytest

from models.people import User
from models.sessions import RefreshToken
from runtime.clock import MovableClock
from tests.api.accounts.operations import codes, fields_at_fault, me, refresh, register, sign_in, sign_out
from tests.support.graphql import GraphQLClient
from tests.support.people import PASSWORD, make_person


async def test_a_refresh_gives_a_new_pair_that_works(api: GraphQLClient) -> None:
    # given
    session = await register(api)
    # when
    renewed = await refresh(api, session["refreshToken"])
    # then
    assert renewed["errors"] == []
    assert renewed["refreshToken"] != session["refreshToken"]
    assert renewed["viewer"]["phone"] == session["viewer"]["phone"]
    assert await me(api, renewed["accessToken"]) is not None


async def test_a_refresh_token_works_once(api: GraphQLClient) -> None:
    # given
    session = await register(api)
    await refresh(api, session["refreshToken"])
    # when
    again = await refresh(api, session["refreshToken"])
    # then
    assert codes(again) == ["INVALID_REFRESH_TOKEN"]
    assert fields_at_fault(again) == ["refreshToken"]
    assert again["accessToken"] is None


async def test_the_newest_token_keeps_rotating(api: GraphQLClient) -> None:
    session = await register(api)
    token = session["refreshToken"]
    for _ in range(3):
        renewed = await refresh(api, token)
        assert renewed["errors"] == []
        token = renewed["refreshToken"]


async def test_reusing_a_spent_token_ends_the_whole_session(api: GraphQLClient) -> None:
    # given: the app refreshed twice; a thief replays the first token
    session = await register(api)
    second = await refresh(api, session["refreshToken"])
    newest = await refresh(api, second["refreshToken"])
    # when
    replay = await refresh(api, session["refreshToken"])
    # then
    assert codes(replay) == ["INVALID_REFRESH_TOKEN"]
    assert codes(await refresh(api, newest["refreshToken"])) == ["INVALID_REFRESH_TOKEN"]


async def test_reuse_ends_only_the_session_it_happened_in(api: GraphQLClient) -> None:
    # given: one person signed in on two phones
    person = await make_person()
    phone_a = await sign_in(api, person.phone, PASSWORD)
    phone_b = await sign_in(api, person.phone, PASSWORD)
    await refresh(api, phone_a["refreshToken"])
    # when
    await refresh(api, phone_a["refreshToken"])
    # then
    assert (await refresh(api, phone_b["refreshToken"]))["errors"] == []


async def test_a_refresh_token_is_refused_after_thirty_days(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # given
    session = await register(api)
    # when
    moved_clock.advance(days=31)
    # then
    assert codes(await refresh(api, session["refreshToken"])) == ["INVALID_REFRESH_TOKEN"]


async def test_a_refresh_token_still_works_on_day_twenty_nine(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    session = await register(api)
    moved_clock.advance(days=29)
    assert (await refresh(api, session["refreshToken"]))["errors"] == []


async def test_a_deactivated_account_cannot_refresh(api: GraphQLClient) -> None:
    session = await register(api)
    await User.filter(phone=session["viewer"]["phone"]).update(is_active=False)
    assert codes(await refresh(api, session["refreshToken"])) == ["INVALID_REFRESH_TOKEN"]


async def test_signing_out_ends_the_session(api: GraphQLClient) -> None:
    # given
    session = await register(api)
    renewed = await refresh(api, session["refreshToken"])
    # when
    payload = await sign_out(api, renewed["refreshToken"])
    # then
    assert payload == {"ok": True, "errors": []}
    assert codes(await refresh(api, renewed["refreshToken"])) == ["INVALID_REFRESH_TOKEN"]


async def test_signing_out_with_an_older_token_of_the_session_ends_it_too(api: GraphQLClient) -> None:
    session = await register(api)
    renewed = await refresh(api, session["refreshToken"])
    await sign_out(api, session["refreshToken"])
    assert codes(await refresh(api, renewed["refreshToken"])) == ["INVALID_REFRESH_TOKEN"]


async def test_signing_out_leaves_other_sessions_alone(api: GraphQLClient) -> None:
    person = await make_person()
    phone_a = await sign_in(api, person.phone, PASSWORD)
    phone_b = await sign_in(api, person.phone, PASSWORD)
    await sign_out(api, phone_a["refreshToken"])
    assert (await refresh(api, phone_b["refreshToken"]))["errors"] == []


async def test_signing_out_with_an_unknown_token_still_succeeds(api: GraphQLClient) -> None:
    assert await sign_out(api, "rt_nothing-like-this") == {"ok": True, "errors": []}


@pytest.mark.parametrize("token", ["", "rt_unknown", "x" * 5000, "rt_😀"])
async def test_an_unknown_refresh_token_is_refused(api: GraphQLClient, token: str) -> None:
    assert codes(await refresh(api, token)) == ["INVALID_REFRESH_TOKEN"]


async def test_an_access_token_is_no_refresh_token(api: GraphQLClient) -> None:
    session = await register(api)
    assert codes(await refresh(api, session["accessToken"])) == ["INVALID_REFRESH_TOKEN"]


async def test_refresh_tokens_are_stored_only_as_digests(api: GraphQLClient) -> None:
    session = await register(api)
    rows = await RefreshToken.all().values()
    stored = " ".join(str(value) for row in rows for value in row.values())
    assert session["refreshToken"] not in stored
    assert session["refreshToken"].removeprefix("rt_") not in stored


async def test_of_two_refreshes_racing_with_one_token_exactly_one_succeeds(api: GraphQLClient) -> None:
    # given
    session = await register(api)
    # when
    first, second = await asyncio.gather(
        refresh(api, session["refreshToken"]), refresh(api, session["refreshToken"])
    )
    # then
    outcomes = sorted([codes(first), codes(second)])
    assert outcomes == [[], ["INVALID_REFRESH_TOKEN"]]
