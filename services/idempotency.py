"""Idempotency keys for mutations the app may retry after a timeout.

The app sends a fresh key per action and the same key on each retry of it. Within 24 hours a
replay (same user, key, operation and input) returns the object the first call made; the same
key with another input, or for another operation, is IDEMPOTENCY_KEY_REUSED. After 24 hours
the record is forgotten, and the key may start a new action.

Mutations whose domain already makes a retry harmless do not use this (see the table in
mobile-contract/README.md): redemptions, manual awards and activity logs keep the key on their
own rows; check-in and check-out return the first; state transitions answer a retry by the
same person with the object as it stands.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.guards import IdempotencyRecord
from runtime import clock
from runtime.database import placeholder
from runtime.i18n import N_
from services.errors import DomainError, ErrorCode

WINDOW = timedelta(hours=24)
KEY_MAX = 64


def clean_key(key: str | None) -> str | None:
    """The key as stored, or None when the caller sent none."""
    key = (key or "").strip() or None
    if key is not None and len(key) > KEY_MAX:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            N_("The idempotency key is at most {key_max} characters."),
            "idempotencyKey",
            key_max=KEY_MAX,
        )
    return key


def input_hash(values: Mapping[str, Any]) -> str:
    """A stable digest of a mutation's input (bytes, such as photos, by their own digest)."""

    def plain(value: Any) -> Any:
        if isinstance(value, bytes | bytearray):
            return hashlib.sha256(value).hexdigest()
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value if value is None or isinstance(value, bool | int | float | str) else str(value)

    text = json.dumps(plain(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def replayed(user_id: int, key: str, operation: str, digest: str) -> int | None:
    """The id of what the first call with this key made, or None if the key is new (or older
    than 24 hours). Another operation or input under the same key is refused."""
    record = await IdempotencyRecord.get_or_none(user_id=user_id, key=key)
    if record is None:
        return None
    return judged(record.operation, record.input_hash, record.result_id, record.created_at, operation, digest)


def judged(
    stored_operation: str,
    stored_hash: str,
    result_id: int,
    created_at: datetime,
    operation: str,
    digest: str,
) -> int | None:
    """`replayed` for a record the caller read itself (in a statement that read more)."""
    if clock.now() - created_at >= WINDOW:
        return None
    if stored_operation != operation or stored_hash != digest:
        raise DomainError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            N_("This key was used for another action; make a new key for a new action."),
            "idempotencyKey",
        )
    return result_id


_CREATED_AT = IdempotencyRecord._meta.fields_map["created_at"]


async def remember(user_id: int, key: str, operation: str, digest: str, result_id: int) -> None:
    """Record the first answer; call inside the mutation's transaction, so a failed mutation
    leaves no record. Two first calls at once: the second fails on the unique (user, key).

    One statement (it was a DELETE of the expired record, then an INSERT): an upsert that takes
    the place of a record past the window and of nothing else. A live record under the key means
    another call got there first: no row comes back, and that is the IntegrityError the INSERT
    raised."""
    now = clock.now()
    p = [placeholder(i) for i in range(1, 8)]
    sql = (
        'INSERT INTO "idempotency_record" '  # noqa: S608 - only placeholders are formatted in
        '("user_id", "key", "operation", "input_hash", "result_id", "created_at") '
        f"VALUES ({p[0]}, {p[1]}, {p[2]}, {p[3]}, {p[4]}, {p[5]}) "
        'ON CONFLICT ("user_id", "key") DO UPDATE SET "operation" = excluded."operation", '
        '"input_hash" = excluded."input_hash", "result_id" = excluded."result_id", '
        '"created_at" = excluded."created_at" '
        f'WHERE "idempotency_record"."created_at" <= {p[6]} RETURNING "id"'
    )
    values = [
        user_id,
        key,
        operation,
        digest,
        result_id,
        _CREATED_AT.to_db_value(now, IdempotencyRecord),
        _CREATED_AT.to_db_value(now - WINDOW, IdempotencyRecord),
    ]
    if not await connections.get("default").execute_query_dict(sql, values):
        raise IntegrityError(f"idempotency key {key!r} of user {user_id} is taken")


async def forget_expired() -> int:
    """Delete records past the window (a housekeeping job may call it; lookups ignore them anyway)."""
    return await IdempotencyRecord.filter(created_at__lte=clock.now() - WINDOW).delete()


class _Made(Protocol):
    id: int


M = TypeVar("M", bound=_Made)


async def once(
    user_id: int,
    key: str | None,
    operation: str,
    values: Mapping[str, Any],
    load: Callable[[int], Awaitable[M | None]],
    make: Callable[[], Awaitable[M]],
) -> M:
    """Make a thing once per key, for creating mutations with no unique key of their own (a
    reward, a team, an account entry): a replay within 24 hours gets the first thing back, a
    double-clicked form button makes one. Without a key, `make` simply runs.

    `make` checks and writes; its row and the key's record commit together, so a failed make
    leaves no record. Two first calls at once: the second fails on the unique (user, key) and
    answers with what the first made."""
    key = clean_key(key)
    if key is None:
        return await make()
    digest = input_hash(values)
    first_id = await replayed(user_id, key, operation, digest)
    if first_id is not None and (first := await load(first_id)) is not None:
        return first
    try:
        async with in_transaction():
            made = await make()
            await remember(user_id, key, operation, digest, made.id)
    except IntegrityError:
        first_id = await replayed(user_id, key, operation, digest)
        if first_id is not None and (first := await load(first_id)) is not None:
            return first
        raise
    return made
