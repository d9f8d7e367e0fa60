"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored hashed, rotated)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from runtime import clock
from runtime.i18n import N_
from runtime.settings import get_settings
from services.errors import NotAuthenticated

ALGORITHM = "HS256"
ACCESS_TYPE = "access"
# User ids are PostgreSQL `integer` (int4) primary keys.
MAX_USER_ID = 2**31 - 1
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]
# pyjwt would judge exp/nbf/iat by the wall clock; _check_times judges them by runtime.clock.
_DECODE_OPTIONS: Any = {
    "require": REQUIRED_CLAIMS,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
}
# Tolerated skew between the clocks of the hosts that issue and check tokens.
LEEWAY_SECONDS = 5


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    token_id: str


@dataclass(frozen=True)
class _Verified:
    claims: AccessClaims
    exp: int
    iat: int
    nbf: int | None


# Tokens whose signature, algorithm, audience, issuer, type and subject were verified, by their
# exact text and the settings they were verified under. A token's text fixes its claims, so a
# second request with the same token needs no second HMAC and base64/JSON decode (pyjwt's decode
# was ~6% of a tag scan's CPU); its times are judged again on every use, by runtime.clock. Only
# verified tokens enter, so a caller cannot fill it with junk; bounded, oldest use out first.
# Who the user is and what they may do is still read from the database on every request
# (services.access.load_viewer): this cache holds no roles, so revocation is unchanged.
MAX_VERIFIED = 4096
_VERIFIED: OrderedDict[tuple[str, str, str, str], _Verified] = OrderedDict()


def issue_access_token(user_id: int) -> tuple[str, int]:
    """Returns the token and its lifetime in seconds."""
    s = get_settings()
    now = clock.now()
    payload = {
        "sub": str(user_id),
        "iss": s.jwt_issuer,
        "aud": s.jwt_audience,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=s.access_token_ttl_seconds)).timestamp()),
        "jti": uuid.uuid4().hex,
        "typ": ACCESS_TYPE,
    }
    return jwt.encode(payload, s.secret_key, algorithm=ALGORITHM), s.access_token_ttl_seconds


def decode_access_token(token: str) -> AccessClaims:
    s = get_settings()
    key = (token, s.secret_key, s.jwt_audience, s.jwt_issuer)
    verified = _VERIFIED.get(key)
    if verified is None:
        verified = _verify(token, s.secret_key, s.jwt_audience, s.jwt_issuer)
        _VERIFIED[key] = verified
        if len(_VERIFIED) > MAX_VERIFIED:
            _VERIFIED.popitem(last=False)
    else:
        _VERIFIED.move_to_end(key)
    try:
        _check_times(
            {"exp": verified.exp, "iat": verified.iat, "nbf": verified.nbf}, int(clock.now().timestamp())
        )
    except jwt.PyJWTError as exc:
        raise NotAuthenticated(N_("Your sign-in has expired or is not valid; sign in again.")) from exc
    return verified.claims


def _verify(token: str, secret_key: str, audience: str, issuer: str) -> _Verified:
    """Everything about a token but its times (judged on every use by decode_access_token)."""
    try:
        # The algorithm list is explicit: a token naming `none` or an RS* algorithm is refused.
        payload = jwt.decode(
            token,
            secret_key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options=_DECODE_OPTIONS,
        )
        if payload.get("typ") != ACCESS_TYPE:
            raise jwt.InvalidTokenError("not an access token")
        user_id = int(payload["sub"])
        if not 0 < user_id <= MAX_USER_ID:
            # Correctly signed yet no row can have it: the database would fail on the number.
            raise jwt.InvalidTokenError("no such user id")
        exp, iat = int(payload["exp"]), int(payload["iat"])
        nbf = int(payload["nbf"]) if "nbf" in payload else None
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as exc:
        raise NotAuthenticated(N_("Your sign-in has expired or is not valid; sign in again.")) from exc
    claims = AccessClaims(user_id=user_id, token_id=str(payload.get("jti", "")))
    return _Verified(claims=claims, exp=exp, iat=iat, nbf=nbf)


def _check_times(payload: dict[str, Any], now: int) -> None:
    if int(payload["exp"]) <= now - LEEWAY_SECONDS:
        raise jwt.ExpiredSignatureError("expired")
    if int(payload["iat"]) > now + LEEWAY_SECONDS:
        raise jwt.ImmatureSignatureError("issued in the future")
    if payload.get("nbf") is not None and int(payload["nbf"]) > now + LEEWAY_SECONDS:
        raise jwt.ImmatureSignatureError("not valid yet")


def new_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_family() -> str:
    return uuid.uuid4().hex
