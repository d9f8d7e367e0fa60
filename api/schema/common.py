"""Shared shapes: typed user errors, pages of a connection."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from runtime.i18n import DEFAULT_LANGUAGE, Text
from services.errors import DomainError, ErrorCode, RateLimited

T = TypeVar("T")

strawberry.enum(ErrorCode, description="Stable codes of the errors a payload can carry.")


def _say(root: UserError, info: strawberry.Info) -> str:
    return root.text.render(getattr(info.context, "language", DEFAULT_LANGUAGE))


@strawberry.type(description="Something in the input the server could not accept. Nothing was changed.")
class UserError:
    code: ErrorCode
    message: str = strawberry.field(
        resolver=_say,
        description="For people, in the language the request asked for (Accept-Language); "
        "Simplified Chinese by default. Programs read `code`.",
    )
    field: str | None = strawberry.field(description="The input field at fault, when there is one.")
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="RATE_LIMITED: seconds until the same request may succeed."
    )
    # The message id and parameters; `message` renders them when the answer is written.
    text: strawberry.Private[Text] = Text("")

    @classmethod
    def of(cls, error: DomainError) -> UserError:
        return cls(
            code=error.code,
            field=error.field,
            retry_after_seconds=error.retry_after_seconds if isinstance(error, RateLimited) else None,
            text=error.text,
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(
    description="A page of a list. Ask for `first` items `after` a cursor; `first` is at most 100."
)
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many items the whole list holds.")
    async def total_count(self) -> int:
        return await self._count()
