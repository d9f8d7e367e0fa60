"""Relay global IDs and opaque cursors."""

from __future__ import annotations

import base64
import binascii

from services.errors import DomainError, ErrorCode


def decode_global_id(value: str, expected: str | tuple[str, ...], field: str) -> int:
    """The database id inside a global id of one of the expected types."""
    kinds = (expected,) if isinstance(expected, str) else expected
    type_name, raw = split_global_id(value, field)
    if type_name not in kinds or not raw.isdigit():
        raise DomainError(ErrorCode.NOT_FOUND, f"No {' or '.join(kinds).lower()} has this id.", field)
    return int(raw)


def split_global_id(value: str, field: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(value.encode(), validate=True).decode()
        type_name, raw = decoded.split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise DomainError(ErrorCode.NOT_FOUND, "This id is not valid.", field) from None
    return type_name, raw


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"c:{row_id}".encode()).decode()


def decode_cursor(cursor: str | None, field: str = "after") -> int | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "c" or not value.isdigit():
            raise ValueError(cursor)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise DomainError(ErrorCode.INVALID_INPUT, "This cursor is not valid.", field) from None
    return int(value)
