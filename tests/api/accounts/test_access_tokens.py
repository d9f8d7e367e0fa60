"""Access tokens: what `me` makes of every kind of bad bearer token (RFC 8725's list and ours)."""

from __future__ import annotations

import base64
import dataclasses
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
import pytest

from models.people import User
from runtime import clock
from runtime.clock import MovableClock
from runtime.settings import get_settings, use_settings
from tests.api.accounts.operations import ME, me, register
from tests.support.graphql import GraphQLClient
from tests.support.people import make_person

Claims = dict[str, Any]


def claims_for(user_id: int, **changes: Any) -> Claims:
    """The claims a token of ours carries; a change of None drops that claim."""
    settings = get_settings()
    now = int(clock.now().timestamp())
    claims: Claims = {
        "sub": str(user_id),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": "test-token",
        "typ": "access",
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def signed(claims: Claims, key: str | None = None) -> str:
    return jwt.encode(claims, key or get_settings().secret_key, algorithm="HS256")


def b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def unsigned(claims: Claims) -> str:
    """`alg: none`, as an attacker writes it by hand."""
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def signed_with_header(claims: Claims, header: dict[str, Any], digest: str = "sha256") -> str:
    """HMAC-signed with our secret under whatever header the attacker likes (HS/RS confusion)."""
    head_and_body = f"{b64(header)}.{b64(claims)}"
    mac = hmac.new(get_settings().secret_key.encode(), head_and_body.encode(), digest).digest()
    return f"{head_and_body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


async def auth_error_codes(api: GraphQLClient, token: str) -> list[str]:
    body = await api.post(ME, token=token)
    assert body["data"] is None or body["data"]["me"] is None
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_no_token_means_signed_out_not_an_error(api: GraphQLClient) -> None:
    assert await me(api, None) is None


async def test_a_token_we_issued_is_accepted(api: GraphQLClient) -> None:
    person = await make_person(name="周老师")
    viewer = await me(api, person.token)
    assert viewer is not None
    assert viewer["user"]["displayName"] == "周老师"


async def test_a_hand_made_token_with_every_claim_right_is_accepted(api: GraphQLClient) -> None:
    # The baseline for the refusals below: each changes one thing of this token.
    person = await make_person()
    assert await me(api, signed(claims_for(person.user.id))) is not None


TAMPERED: list[tuple[str, Callable[[int], str]]] = [
    ("alg none", lambda uid: unsigned(claims_for(uid))),
    ("alg none with a signature", lambda uid: unsigned(claims_for(uid)) + "c2lnbmF0dXJl"),
    (
        "signed with another key",
        lambda uid: signed(claims_for(uid), "another-secret-key-0123456789-abcdefghijkl"),
    ),
    ("RS256 header, HMAC by our secret", lambda uid: signed_with_header(claims_for(uid), {"alg": "RS256"})),
    ("HS512 header", lambda uid: signed_with_header(claims_for(uid), {"alg": "HS512"}, "sha512")),
    ("no exp", lambda uid: signed(claims_for(uid, exp=None))),
    ("no iat", lambda uid: signed(claims_for(uid, iat=None))),
    ("no sub", lambda uid: signed(claims_for(uid, sub=None))),
    ("no aud", lambda uid: signed(claims_for(uid, aud=None))),
    ("no iss", lambda uid: signed(claims_for(uid, iss=None))),
    ("another audience", lambda uid: signed(claims_for(uid, aud="redsteward-admin"))),
    ("another issuer", lambda uid: signed(claims_for(uid, iss="someone-else"))),
    ("a sub that is no user id", lambda uid: signed(claims_for(uid, sub="admin"))),
    ("a sub as a number", lambda uid: signed(claims_for(uid, sub=uid))),
    ("no typ", lambda uid: signed(claims_for(uid, typ=None))),
    ("typ refresh", lambda uid: signed(claims_for(uid, typ="refresh"))),
    ("typ invite", lambda uid: signed(claims_for(uid, typ="invite"))),
    ("a changed payload", lambda uid: _swap_payload(signed(claims_for(uid)), claims_for(uid + 1))),
    ("garbage", lambda uid: "not-a-jwt"),
    ("two parts", lambda uid: ".".join(signed(claims_for(uid)).split(".")[:2])),
]


def _swap_payload(token: str, claims: Claims) -> str:
    head, _, signature = token.split(".")
    return f"{head}.{b64(claims)}.{signature}"


@pytest.mark.parametrize("make_token", [t[1] for t in TAMPERED], ids=[t[0] for t in TAMPERED])
async def test_a_tampered_or_incomplete_token_is_refused(
    api: GraphQLClient, make_token: Callable[[int], str]
) -> None:
    # given
    person = await make_person()
    await make_person()  # so that "the next user id" exists
    # when
    codes = await auth_error_codes(api, make_token(person.user.id))
    # then
    assert codes == ["UNAUTHENTICATED"]


async def test_an_expired_token_is_refused(api: GraphQLClient) -> None:
    person = await make_person()
    now = int(clock.now().timestamp())
    token = signed(claims_for(person.user.id, iat=now - 1000, nbf=now - 1000, exp=now - 60))
    assert await auth_error_codes(api, token) == ["UNAUTHENTICATED"]


async def test_a_token_not_valid_before_a_future_moment_is_refused(api: GraphQLClient) -> None:
    person = await make_person()
    token = signed(claims_for(person.user.id, nbf=int(clock.now().timestamp()) + 600))
    assert await auth_error_codes(api, token) == ["UNAUTHENTICATED"]


async def test_a_token_issued_in_the_future_is_refused(api: GraphQLClient) -> None:
    person = await make_person()
    later = int(clock.now().timestamp()) + 600
    token = signed(claims_for(person.user.id, iat=later, exp=later + 600))
    assert await auth_error_codes(api, token) == ["UNAUTHENTICATED"]


async def test_an_access_token_stops_working_when_its_lifetime_is_over(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # given
    session = await register(api)
    lifetime = session["accessTokenExpiresIn"]
    # when
    moved_clock.advance(seconds=lifetime - 10)
    still_valid = await me(api, session["accessToken"])
    moved_clock.advance(seconds=20)
    # then
    assert still_valid is not None
    assert await auth_error_codes(api, session["accessToken"]) == ["UNAUTHENTICATED"]


async def test_a_token_issued_by_a_moved_clock_is_judged_by_that_clock(
    api: GraphQLClient, moved_clock: MovableClock
) -> None:
    # given: the clock stands days away from the wall clock
    moved_clock.advance(days=40)
    # when
    session = await register(api)
    # then
    assert await me(api, session["accessToken"]) is not None


async def test_a_refresh_token_is_no_bearer_token(api: GraphQLClient) -> None:
    session = await register(api)
    assert await auth_error_codes(api, session["refreshToken"]) == ["UNAUTHENTICATED"]


async def test_the_token_of_a_deactivated_account_is_refused(api: GraphQLClient) -> None:
    person = await make_person()
    await User.filter(id=person.user.id).update(is_active=False)
    assert await auth_error_codes(api, person.token) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("header", ["Token {t}", "Basic {t}", "Bearer", "Bearer ", "{t}", "Bearer {t}x"])
async def test_a_malformed_authorization_header_is_refused(api: GraphQLClient, header: str) -> None:
    # given
    person = await make_person()
    # when
    response = await api.http.post(
        "/graphql", json={"query": ME}, headers={"authorization": header.format(t=person.token)}
    )
    # then
    body = response.json()
    assert body["data"]["me"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_the_refusal_does_not_say_what_was_wrong_with_the_token(api: GraphQLClient) -> None:
    person = await make_person()
    bodies = [
        await api.post(ME, token=token)
        for token in (
            unsigned(claims_for(person.user.id)),
            signed(claims_for(person.user.id, aud="other")),
            signed(claims_for(person.user.id, exp=int(clock.now().timestamp()) - 60)),
        )
    ]
    assert len({body["errors"][0]["message"] for body in bodies}) == 1


def test_the_access_token_lifetime_is_short() -> None:
    assert timedelta(seconds=get_settings().access_token_ttl_seconds) <= timedelta(minutes=15)


async def test_a_token_used_before_its_account_was_deactivated_is_refused_next_time(
    api: GraphQLClient,
) -> None:
    # given: a token verified once (its verified claims are kept for the next request)
    person = await make_person()
    assert await me(api, person.token) is not None
    # when
    await User.filter(id=person.user.id).update(is_active=False)
    # then: who the token names is read again on every request
    assert await auth_error_codes(api, person.token) == ["UNAUTHENTICATED"]


async def test_a_token_is_verified_once_and_judged_by_the_clock_every_time(
    api: GraphQLClient, moved_clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    session = await register(api)
    token = session["accessToken"]
    decoded: list[str] = []
    real_decode = jwt.decode

    def counting_decode(*args: Any, **kwargs: Any) -> Any:
        decoded.append(args[0])
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting_decode)
    # when
    first, second = await me(api, token), await me(api, token)
    moved_clock.advance(seconds=session["accessTokenExpiresIn"] + 10)
    # then
    assert first is not None and second is not None
    assert decoded.count(token) <= 1
    assert await auth_error_codes(api, token) == ["UNAUTHENTICATED"]


async def test_a_token_signed_under_another_secret_is_refused_even_once_verified(
    api: GraphQLClient,
) -> None:
    # given: a token verified under today's secret
    session = await register(api)
    assert await me(api, session["accessToken"]) is not None
    settings = get_settings()
    # when: the secret is rotated
    use_settings(dataclasses.replace(settings, secret_key="another-secret-key-0123456789-abcdefghijklmnopq"))
    try:
        refused = await auth_error_codes(api, session["accessToken"])
    finally:
        use_settings(settings)
    # then
    assert refused == ["UNAUTHENTICATED"]
