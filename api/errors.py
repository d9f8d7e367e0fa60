"""Top-level GraphQL errors: auth failures carry a code, everything unexpected is masked."""

from __future__ import annotations

import logging
import re

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from api import graphql_refusals as refusals
from api.i18n import limit_text, say
from runtime.i18n import DEFAULT_LANGUAGE, N_, render
from runtime.logging import current_request_id
from services.errors import DomainError, Forbidden, NotAuthenticated

log = logging.getLogger("redsteward.api")

# graphql-core's input errors repeat what the client sent ("Found: {'password': ...}",
# "cannot represent a non string value: 13912345678") and guess at names ("Did you mean
# 'password'?"). The values may be a password or a phone number, which must not reach a log or
# an error; the guesses map the schema for a prober, so production leaves them out.
# "Found: {...}" after a sentence, or ", found: {...}" after a missing required field.
_FOUND = re.compile(r",?\s*found: .*$", re.S | re.I)
_REPRESENTED = re.compile(r"(cannot represent[^:]*):.*$", re.S)
_GOT = re.compile(r"(got invalid value) .*$", re.S)
_QUOTED_ENUM = re.compile(r"Value '.*?' does not exist", re.S)
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
# graphql-core's refusals of the variables as a whole (get_variable_values).
_VARIABLES_WHOLE = ("Variable values are nested too deeply", "Too many errors processing variables")


def without_values(message: str, production: bool) -> str:
    """A client-input error's message without the values it quotes (and, in production,
    without its suggestions of names)."""
    message = _FOUND.sub("", message)
    message = _REPRESENTED.sub(r"\1.", message)
    message = _GOT.sub(r"\1.", message)
    message = _QUOTED_ENUM.sub("The value does not exist", message)
    if production:
        message = _SUGGESTION.sub("", message)
    return message


class ShapeErrors(MaskErrors):
    """Let our coded errors and GraphQL's own validation errors through, with `extensions.code`;
    replace anything else by a masked INTERNAL_ERROR that names the request id for support."""

    def __init__(self, production: bool = False) -> None:
        super().__init__()
        self.production = production

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._shape(error) for error in errors]

    def _shape(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        language = self._language()
        if original is None:
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
            limit = limit_text(error.message, error.extensions)
            if limit is not None:
                return self._with(error, limit.render(language), code)
            if error.message.startswith(_VARIABLES_WHOLE):
                # graphql-core's refusal of the variables as a whole (nested too deeply, too many
                # errors) names no variable and has no code.
                return self._refused(error, refusals.variables_refusal(), "BAD_USER_INPUT", language)
            if code == "GRAPHQL_VALIDATION_FAILED":
                context = self.execution_context
                said = refusals.document_refusal(
                    error, context.schema._schema, context.graphql_document, self.production
                )
                return self._refused(error, said, code, language)
            return self._with(error, without_values(error.message, self.production), code)
        if isinstance(original, NotAuthenticated):
            return self._with(error, say(original, language), "UNAUTHENTICATED")
        if isinstance(original, Forbidden):
            return self._with(error, say(original, language), "FORBIDDEN")
        if isinstance(original, DomainError):
            return self._with(error, say(original, language), str(original.code), field=original.field)
        if isinstance(original, GraphQLError):
            # Input coercion problems (a variable of the wrong type, a wrong enum) are the
            # client's, not ours: said in the caller's language, naming the variable's field.
            context = self.execution_context
            variable = refusals.variable_refusal(
                error, context.schema._schema, context.variables, self.production
            )
            if variable is not None:
                return self._refused(error, variable, "BAD_USER_INPUT", language)
            return self._with(error, without_values(error.message, self.production), "BAD_USER_INPUT")
        request_id = current_request_id()
        log.error(
            "unexpected error in resolver",
            exc_info=(type(original), original, original.__traceback__),
            extra={"path": list(error.path or [])},
        )
        message = render(
            N_("Unexpected error. Quote request id {request_id} if you report it."),
            {"request_id": request_id},
            language,
        )
        return self._with(error, message, "INTERNAL_ERROR")

    def _language(self) -> str:
        """The caller's language (api.i18n chose it when the context was made); the default
        when the context is not ours (a schema executed directly in a test)."""
        context = getattr(self.execution_context, "context", None)
        return str(getattr(context, "language", DEFAULT_LANGUAGE))

    def _refused(
        self, error: GraphQLError, refusal: refusals.Reworded, code: str, language: str
    ) -> GraphQLError:
        """graphql-core's refusal as ours: its English, without the client's values, kept for
        developers in `detail`."""
        detail = without_values(error.message, self.production)
        return self._with(error, refusal.text.render(language), refusal.code or code, refusal.field, detail)

    @staticmethod
    def _with(
        error: GraphQLError, message: str, code: str, field: str | None = None, detail: str | None = None
    ) -> GraphQLError:
        extensions: dict[str, object] = {"code": code}
        if field:
            extensions["field"] = field
        if detail:
            extensions["detail"] = detail
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=extensions,
        )
