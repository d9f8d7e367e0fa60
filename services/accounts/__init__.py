"""Registering, signing in, refreshing and signing out."""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.people import User
from models.sessions import RefreshToken, SignInThrottle
from runtime import clock
from runtime.i18n import N_
from runtime.settings import get_settings
from services import passwords
from services.errors import DomainError, ErrorCode
from services.phones import normalize_phone, phone_digest
from services.tokens import issue_access_token, new_family, new_refresh_token, token_digest

log = logging.getLogger("redsteward.accounts")

# Throttle: after MAX_FAILURES wrong attempts inside WINDOW, sign-in for that phone is locked
# for LOCKOUT. The same answer is given for unknown phones, so the lock reveals nothing.
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
_DUMMY_PASSWORD = "rs-timing-equaliser-9"  # noqa: S105 - hashed once to equalise unknown-phone timing


@dataclass(frozen=True)
class Session:
    user: User
    access_token: str
    access_expires_in: int
    refresh_token: str


def _bad_credentials() -> DomainError:
    return DomainError(ErrorCode.INVALID_CREDENTIALS, N_("The phone number or password is wrong."))


async def register(phone: str, password: str, display_name: str) -> Session:
    normalized = normalize_phone(phone)
    name = (display_name or "").strip()
    if not 1 <= len(name) <= 60:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("Enter a name of 1 to 60 characters."), "displayName")
    passwords.check_strength(password, normalized)
    if await User.exists(phone=normalized):
        raise DomainError(ErrorCode.PHONE_TAKEN, N_("This phone number is already registered."), "phone")
    password_hash = await _hash(password)
    try:
        async with in_transaction():
            user = await User.create(phone=normalized, password_hash=password_hash, display_name=name)
            session = await _start_session(user)
    except IntegrityError as exc:
        # Two registrations of one number at once: the unique index decides.
        raise DomainError(
            ErrorCode.PHONE_TAKEN, N_("This phone number is already registered."), "phone"
        ) from exc
    return session


async def sign_in(phone: str, password: str) -> Session:
    try:
        normalized = normalize_phone(phone)
    except DomainError:
        raise _bad_credentials() from None
    key = phone_digest(normalized)
    now = clock.now()
    throttle = await SignInThrottle.get_or_none(key_hash=key)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        minutes = max(1, math.ceil((throttle.locked_until - now).total_seconds() / 60))
        raise DomainError(
            ErrorCode.TOO_MANY_ATTEMPTS,
            N_("Too many failed sign-ins. Try again in {minutes} minutes."),
            minutes=minutes,
        )
    user = await User.get_or_none(phone=normalized)
    if user is None:
        await _verify(await _dummy_hash(), password)
        await _record_failure(key)
        raise _bad_credentials()
    if not await _verify(user.password_hash, password) or not user.is_active:
        await _record_failure(key)
        raise _bad_credentials()
    if throttle:
        await SignInThrottle.filter(id=throttle.id).delete()
    async with in_transaction():
        return await _start_session(user)


# argon2 takes ~150 ms of CPU by design; in a thread, so the worker's other requests go on meanwhile.
async def _hash(password: str) -> str:
    return await asyncio.to_thread(passwords.hash_password, password)


async def _verify(password_hash: str, password: str) -> bool:
    return await asyncio.to_thread(passwords.verify_password, password_hash, password)


_dummy: str | None = None


async def _dummy_hash() -> str:
    global _dummy
    if _dummy is None:
        _dummy = await _hash(_DUMMY_PASSWORD)
    return _dummy


async def _record_failure(key: str) -> None:
    now = clock.now()
    async with in_transaction():
        throttle = await SignInThrottle.filter(key_hash=key).select_for_update().first()
        if throttle is None:
            try:
                async with in_transaction():
                    await SignInThrottle.create(key_hash=key, failures=1, window_started_at=now)
                return
            except IntegrityError:
                throttle = await SignInThrottle.filter(key_hash=key).select_for_update().first()
                assert throttle is not None
        if now - throttle.window_started_at > WINDOW:
            throttle.failures = 0
            throttle.window_started_at = now
            throttle.locked_until = None
        throttle.failures += 1
        if throttle.failures >= MAX_FAILURES:
            throttle.locked_until = now + LOCKOUT
            log.warning("sign-in locked", extra={"throttle_key": key[:12]})
        await throttle.save()


async def _start_session(user: User, family: str | None = None) -> Session:
    now = clock.now()
    refresh = new_refresh_token()
    await RefreshToken.create(
        user=user,
        family=family or new_family(),
        token_hash=token_digest(refresh),
        created_at=now,
        expires_at=now + timedelta(seconds=get_settings().refresh_token_ttl_seconds),
    )
    access, ttl = issue_access_token(user.id)
    return Session(user=user, access_token=access, access_expires_in=ttl, refresh_token=refresh)


def _invalid_refresh() -> DomainError:
    return DomainError(
        ErrorCode.INVALID_REFRESH_TOKEN, N_("This session has ended; sign in again."), "refreshToken"
    )


async def refresh(refresh_token: str) -> Session:
    """Trade a refresh token for a new pair. Each token works once; presenting a spent one
    means it was copied, so every token of its family is revoked."""
    now = clock.now()
    digest = token_digest(refresh_token or "")
    async with in_transaction():
        token = await RefreshToken.filter(token_hash=digest).select_for_update().first()
        if token is None or token.revoked_at is not None or token.expires_at <= now:
            raise _invalid_refresh()
        if token.used_at is not None:
            await RefreshToken.filter(family=token.family, revoked_at=None).update(revoked_at=now)
            log.warning("refresh token reuse; family revoked", extra={"user_id": token.user_id})
            reused = True
        else:
            # Conditional update: of two concurrent refreshes with one token, exactly one wins.
            won = await RefreshToken.filter(id=token.id, used_at=None).update(used_at=now)
            reused = won == 0
            if reused:
                await RefreshToken.filter(family=token.family, revoked_at=None).update(revoked_at=now)
        if not reused:
            user = await User.get(id=token.user_id)
            if not user.is_active:
                raise _invalid_refresh()
            return await _start_session(user, family=token.family)
    raise _invalid_refresh()


async def sign_out(refresh_token: str) -> None:
    """Ends the session the token belongs to (its whole family). Unknown tokens are ignored:
    signing out must always succeed from the app's point of view."""
    token = await RefreshToken.get_or_none(token_hash=token_digest(refresh_token or ""))
    if token is not None:
        await RefreshToken.filter(family=token.family, revoked_at=None).update(revoked_at=clock.now())
