"""Turning domain errors into payload errors: the one place that does it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from starlette.responses import Response

from api.context import Info, client_ip
from api.schema.common import UserError
from services import rate_limits
from services.errors import DomainError, RateLimited

P = TypeVar("P")
R = TypeVar("R")


async def rate_checked(info: Info, action: str, account: str | int | None) -> None:
    """Count the request against its rate limits; when refused, the HTTP answer also carries a
    Retry-After header (the payload error has `retryAfterSeconds`)."""
    try:
        await rate_limits.check(action, account, client_ip(info.context.request))
    except RateLimited as exc:
        retry_after_header(info, exc)
        raise


def retry_after_header(info: Info, exc: RateLimited) -> None:
    response = info.context.response
    if isinstance(response, Response):
        response.headers["retry-after"] = str(exc.retry_after_seconds)


async def guarded(payload: type[P], work: Awaitable[P]) -> P:
    """Run a mutation's work; a DomainError becomes the payload's `errors`, nothing else set."""
    try:
        return await work
    except DomainError as exc:
        # The message is rendered in the caller's language when the answer is written (UserError).
        return payload(errors=[UserError.of(exc)])  # type: ignore[call-arg]


async def answered(
    payload: type[P], field: str, to_type: Callable[[R], object], change: Callable[[], Awaitable[R]]
) -> P:
    """The usual mutation: make the change and answer its one object, as its GraphQL type, in the
    payload's `field`. `change` runs inside `guarded`, so an id it refuses to decode is a payload
    error too, as is any DomainError of the service."""

    async def work() -> P:
        return payload(**{field: to_type(await change())})

    return await guarded(payload, work())
