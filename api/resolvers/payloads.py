"""Turning domain errors into payload errors: the one place that does it."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from api.schema.common import ErrorCode, UserError
from services.errors import DomainError, RateLimited

P = TypeVar("P")


async def guarded(payload: type[P], work: Awaitable[P]) -> P:
    """Run a mutation's work; a DomainError becomes the payload's `errors`, nothing else set."""
    try:
        return await work
    except DomainError as exc:
        error: Any = UserError(
            code=ErrorCode(exc.code),
            message=exc.message,
            field=exc.field,
            retry_after_seconds=exc.retry_after_seconds if isinstance(exc, RateLimited) else None,
        )
        return payload(errors=[error])  # type: ignore[call-arg]
