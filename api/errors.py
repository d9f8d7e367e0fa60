"""Top-level GraphQL errors: auth failures carry a code, everything unexpected is masked."""

from __future__ import annotations

import logging

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from runtime.logging import current_request_id
from services.errors import DomainError, Forbidden, NotAuthenticated

log = logging.getLogger("redsteward.api")


class ShapeErrors(MaskErrors):
    """Let our coded errors and GraphQL's own validation errors through, with `extensions.code`;
    replace anything else by a masked INTERNAL_ERROR that names the request id for support."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._shape(error) for error in errors]

    def _shape(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None:
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
            return self._with(error, error.message, code)
        if isinstance(original, NotAuthenticated):
            return self._with(error, original.message, "UNAUTHENTICATED")
        if isinstance(original, Forbidden):
            return self._with(error, original.message, "FORBIDDEN")
        if isinstance(original, DomainError):
            return self._with(error, original.message, str(original.code), field=original.field)
        if isinstance(original, GraphQLError):
            # Input coercion problems (a bad ID, a wrong enum) are the client's, not ours.
            return self._with(error, error.message, "BAD_USER_INPUT")
        request_id = current_request_id()
        log.error(
            "unexpected error in resolver",
            exc_info=(type(original), original, original.__traceback__),
            extra={"path": list(error.path or [])},
        )
        return self._with(
            error, f"Unexpected error. Quote request id {request_id} if you report it.", "INTERNAL_ERROR"
        )

    @staticmethod
    def _with(error: GraphQLError, message: str, code: str, field: str | None = None) -> GraphQLError:
        extensions: dict[str, object] = {"code": code}
        if field:
            extensions["field"] = field
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=extensions,
        )
