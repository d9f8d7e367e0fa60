"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored hashed, rotated)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from runtime import clock
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
    try:
        # The algorithm list is explicit: a token naming `none` or an RS* algorithm is refused.
        # Times are judged by the one clock (runtime.clock), so a moved test clock and the
        # server agree on what "expired" means.
        payload = jwt.decode(
            token,
            s.secret_key,
            algorithms=[ALGORITHM],
            audience=s.jwt_audience,
            issuer=s.jwt_issuer,
            options=_DECODE_OPTIONS,
        )
        _check_times(payload, int(clock.now().timestamp()))
        if payload.get("typ") != ACCESS_TYPE:
            raise jwt.InvalidTokenError("not an access token")
        user_id = int(payload["sub"])
        if not 0 < user_id <= MAX_USER_ID:
            # Correctly signed yet no row can have it: the database would fail on the number.
            raise jwt.InvalidTokenError("no such user id")
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as exc:
        raise NotAuthenticated("Your sign-in has expired or is not valid; sign in again.") from exc
    return AccessClaims(user_id=user_id, token_id=str(payload.get("jti", "")))


def _check_times(payload: dict[str, Any], now: int) -> None:
    if int(payload["exp"]) <= now - LEEWAY_SECONDS:
        raise jwt.ExpiredSignatureError("expired")
    if int(payload["iat"]) > now + LEEWAY_SECONDS:
        raise jwt.ImmatureSignatureError("issued in the future")
    if "nbf" in payload and int(payload["nbf"]) > now + LEEWAY_SECONDS:
        raise jwt.ImmatureSignatureError("not valid yet")


def new_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_family() -> str:
    return uuid.uuid4().hex
