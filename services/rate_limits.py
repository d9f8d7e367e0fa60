"""Rate limits per account and per address for signing in, registering, reporting and redeeming.

Fixed windows counted in the database (table rate_counter), so every server process and host
shares them: a conditional `UPDATE … SET count = count + 1 WHERE count < limit` admits a request,
the unique (bucket, window) key makes the first request of a window create the row exactly once.
Buckets are hashed, so the table holds no phone numbers or addresses.

Mobile networks put many phones behind one address (carrier NAT), so the per-address limits are
generous: they stop scripts, not a busy neighbourhood. Reports also keep their own per-account
rolling hour (services.reports), which staff taking calls are exempt from.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from models.guards import RateCounter
from runtime import clock
from runtime.database import fetch
from runtime.i18n import N_
from runtime.settings import get_settings
from services.errors import DomainError, ErrorCode, RateLimited
from services.phones import normalize_phone


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


# name → limit; "<action>.account" counts per phone number or user, "<action>.ip" per address.
DEFAULTS: dict[str, Limit] = {
    "signIn.account": Limit(10, 600),
    "signIn.ip": Limit(60, 600),
    "register.account": Limit(5, 3600),
    "register.ip": Limit(20, 3600),
    "report.ip": Limit(120, 3600),
    "redeem.account": Limit(30, 3600),
    "redeem.ip": Limit(120, 3600),
}

# Whole sentences, one per action: a translator sees each as it is said, wait included.
MESSAGES = {
    "signIn": N_("Too many sign-ins; try again in {minutes} min."),
    "register": N_("Too many new accounts; try again in {minutes} min."),
    "report": N_("Too many reports; try again in {minutes} min."),
    "redeem": N_("Too many redemptions; try again in {minutes} min."),
}


def limits() -> dict[str, Limit]:
    """The defaults, overridden by RS_RATE_LIMITS ("signIn.ip=5/60,redeem.account=3/3600")."""
    configured = dict(DEFAULTS)
    for item in get_settings().rate_limits.split(","):
        name, _, value = item.strip().partition("=")
        if not name:
            continue
        if name not in DEFAULTS:
            raise ValueError(f"RS_RATE_LIMITS names an unknown limit {name!r}")
        count, _, seconds = value.partition("/")
        configured[name] = Limit(int(count), int(seconds))
    return configured


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


# One statement per limit counted: the window's first request creates its row, the others count
# against it while it is under the limit; over it, no row comes back. Hand-written: every report
# and redemption passes here once or twice, and the ORM's UPDATE cost ~0.5 ms of worker CPU.
_COUNT = (
    'INSERT INTO "rate_counter" ("bucket_hash", "window_start", "count") VALUES ($1, $2, 1) '
    'ON CONFLICT ("bucket_hash", "window_start") DO UPDATE SET "count" = "rate_counter"."count" + 1 '
    'WHERE "rate_counter"."count" < $3 RETURNING "count"'
)


async def _admit(bucket: str, limit: Limit) -> int | None:
    """Count one request; None when admitted, else the seconds until the window turns.
    Called before a mutation's transaction, so the count is spent even if the mutation then
    fails, as it should be."""
    now = clock.now()
    start = _window_start(now, limit.seconds)
    digest = hashlib.sha256(bucket.encode("utf-8")).hexdigest()
    if limit.count > 0 and await fetch(_COUNT, [digest, start, limit.count]):
        return None
    return max(1, math.ceil((start + timedelta(seconds=limit.seconds) - now).total_seconds()))


async def check(action: str, account: str | int | None, ip: str | None) -> None:
    """Count a request for `action` by an account (phone or user id) and an address; raise
    RATE_LIMITED with the longer wait if either is over its limit."""
    configured = limits()
    waits: list[int] = []
    for scope, who in (("account", account), ("ip", ip)):
        name = f"{action}.{scope}"
        if who is None or who == "" or name not in configured:
            continue
        wait = await _admit(f"{name}:{who}", configured[name])
        if wait is not None:
            waits.append(wait)
    if waits:
        wait = max(waits)
        raise RateLimited(MESSAGES[action], wait, minutes=math.ceil(wait / 60))


def phone_key(phone: str) -> str:
    """The account a sign-in or registration is for: its normalised number, or what was typed."""
    try:
        return normalize_phone(phone)
    except DomainError:
        return (phone or "").strip()[:40]


async def forget_expired() -> int:
    """Delete the counters of windows that have closed. The longest configured window decides:
    a counter's own window is not stored, and one still open must keep counting."""
    longest = max(limit.seconds for limit in limits().values())
    return await RateCounter.filter(window_start__lte=clock.now() - timedelta(seconds=longest)).delete()


__all__ = ["ErrorCode", "Limit", "check", "forget_expired", "limits", "phone_key"]
