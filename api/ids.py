"""Relay global IDs and opaque cursors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import strawberry

from runtime.i18n import N_
from services.errors import DomainError, ErrorCode

# Primary keys are 32-bit integers (PostgreSQL `integer`); a larger number in an id or cursor
# names nothing and would make the database driver fail instead of saying "not found".
MAX_ROW_ID = 2**31 - 1


def _row_id(raw: str) -> int | None:
    """The row id a decoded id or cursor names: ASCII digits within the key range, else None.

    `str.isdigit` alone accepts "²" (then `int()` fails) and other scripts' digits, so an id
    would have several spellings; only the one we encode is accepted.
    """
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value <= MAX_ROW_ID else None


def decode_global_id(value: str, expected: str | tuple[str, ...], field: str) -> int:
    """The database id inside a global id of one of the expected types.

    An id that is no id of the expected types (not our base64, no type, another type, not our
    spelling of a number) is INVALID_INPUT naming the field: the request is badly formed, whatever
    rows exist, as a malformed item of an id list is. A well-formed id of the expected type that
    names nothing (a number beyond the range of keys here; a row that is gone, or another
    community's, in the services) is NOT_FOUND."""
    kinds = (expected,) if isinstance(expected, str) else expected
    type_name, raw = split_global_id(value, field)
    if type_name not in kinds or not (raw.isascii() and raw.isdigit()):
        raise DomainError(
            ErrorCode.INVALID_INPUT, N_("This is not the id of a {kinds}."), field, kinds=" / ".join(kinds)
        )
    row_id = _row_id(raw)
    if row_id is None:
        raise DomainError(ErrorCode.NOT_FOUND, N_("No {kinds} has this id."), field, kinds=" / ".join(kinds))
    return row_id


def decode_id_or_number(value: str, expected: str, field: str) -> int:
    """A global id of the expected type, or the plain database number an operator reads in
    `redsteward places`: pages and commands meant for people take either."""
    number = _row_id(value.strip())
    if number is not None:
        return number
    return decode_global_id(value.strip(), expected, field)


def _parts(value: str) -> tuple[str, str] | None:
    """The type name and the raw number of a global id, or None when it is not one of ours."""
    try:
        decoded = base64.b64decode(value.encode(), validate=True).decode()
        type_name, raw = decoded.split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return type_name, raw


def split_global_id(value: str, field: str) -> tuple[str, str]:
    parts = _parts(value)
    if parts is None:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("This id is not valid."), field)
    return parts


def decode_global_ids(values: Sequence[str], expected: str, field: str) -> list[int]:
    """The database ids inside a list of global ids (a bulk mutation's, a filter's), in order.
    An element that is no id of the expected type (not our base64, no type, another type, not our
    spelling of a number) is INVALID_INPUT naming it as the project names an item of a list input
    (`billIds.2`): the list is badly formed, whatever rows exist. A well-formed id beyond the range
    of keys names nothing: NOT_FOUND on the list, as the services say of an id in it that names
    nothing of theirs."""
    ids: list[int] = []
    for index, value in enumerate(values):
        parts = _parts(value)
        if parts is None or parts[0] != expected or not (parts[1].isascii() and parts[1].isdigit()):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                N_("Item {number} of the list is not an id."),
                f"{field}.{index}",
                number=index + 1,
            )
        ids.append(decode_global_id(value, expected, field))
    return ids


def global_id(type_name: str, row_id: int) -> strawberry.ID:
    """The Relay global id of a row, for types that are no relay.Node (a plain `id: ID` field)."""
    return strawberry.ID(base64.b64encode(f"{type_name}:{row_id}".encode()).decode())


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"c:{row_id}".encode()).decode()


def decode_cursor(cursor: str | None, field: str = "after") -> int | None:
    if cursor is None:
        return None
    row_id: int | None = None
    try:
        prefix, value = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)
        if prefix == "c":
            row_id = _row_id(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    if row_id is None:
        raise DomainError(ErrorCode.INVALID_INPUT, N_("This cursor is not valid."), field)
    return row_id


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Microseconds up to the year 9999: a larger number is no time `datetime` can hold.
_MAX_MICROS = (datetime(9999, 12, 31, tzinfo=UTC) - _EPOCH) // _MICROSECOND


def encode_time_cursor(at: datetime, row_id: int) -> str:
    """The cursor of a row in a list ordered by a time and then its id (newest first, say): both
    keys, so the next page starts right after it even when other rows share its time. The time
    is whole microseconds since 1970 in UTC, exact on SQLite and PostgreSQL alike."""
    return base64.urlsafe_b64encode(f"t:{(at - _EPOCH) // _MICROSECOND}:{row_id}".encode()).decode()


def decode_time_cursor(cursor: str | None, field: str = "after") -> tuple[datetime, int] | None:
    if cursor is None:
        return None
    try:
        prefix, micros, raw_id = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        row_id = _row_id(raw_id)
        if prefix == "t" and micros.isascii() and micros.isdigit() and row_id is not None:
            if int(micros) <= _MAX_MICROS:
                return _EPOCH + int(micros) * _MICROSECOND, row_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, N_("This cursor is not valid."), field)
