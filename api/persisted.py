"""Persisted operations parsed and validated once per process, then executed without either step.

The gate (api/gate.py) puts a persisted request's manifest document into `query`. For such a
request strawberry would otherwise, on every call, build its seven extensions, look the text up in
the parser cache, and validate the document: the validation cache cannot hit because the depth and
alias limiters make fresh rule classes per request. Profiled (bench/profile_operation.py), that
validation was the largest single share of a database-backed read. Here each manifest document is
parsed and validated the first time it is asked for, with every rule the slow path applies
(graphql-core's, strawberry's, the depth and alias limits, the token limit, and no introspection
in production), and kept by hash. Executing it runs only the extensions that matter once the
document is known good: naming the operation for the request log, and shaping and masking
errors. Authentication (the context), idempotency and rate limits live in resolvers and services
and are untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionResult
from strawberry.types.execution import ExecutionContext, PreExecutionError
from strawberry.types.graphql import OperationType

from api.gate import persisted_documents


@dataclass(frozen=True)
class PreparedOperation:
    text: str
    document: DocumentNode


class PersistedOperations:
    """The manifest's documents, parsed and validated on first use, by sha256 hash.

    A document that fails to parse or validate is remembered as such and left to the normal
    path, which reports its errors the usual way (the contract tests keep this from happening)."""

    def __init__(
        self,
        schema: strawberry.Schema,
        validation_rules: Sequence[type[ASTValidationRule]],
        max_tokens: int,
        execution_extensions: Sequence[Callable[[], SchemaExtension]],
    ) -> None:
        self.schema = schema
        self.validation_rules = tuple(validation_rules)
        self.max_tokens = max_tokens
        self.execution_extensions = tuple(execution_extensions)
        self._prepared: dict[str, PreparedOperation | None] = {}

    def find(self, query: str | None, extensions: dict[str, Any] | None) -> PreparedOperation | None:
        """The prepared document for a request that names a manifest hash and carries exactly
        that manifest document (the gate substitutes it; anything else takes the normal path)."""
        if not extensions or query is None:
            return None
        persisted = extensions.get("persistedQuery")
        sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(sha, str):
            return None
        if sha not in self._prepared:
            text = persisted_documents().get(sha)
            self._prepared[sha] = self._prepare(text) if text is not None else None
        prepared = self._prepared[sha]
        if prepared is None or prepared.text != query:
            return None
        return prepared

    def prepare_all(self) -> int:
        """Parse and validate every manifest document now (at start-up); how many are ready."""
        for sha in persisted_documents():
            self.find(persisted_documents()[sha], {"persistedQuery": {"sha256Hash": sha}})
        return sum(1 for prepared in self._prepared.values() if prepared is not None)

    def _prepare(self, text: str) -> PreparedOperation | None:
        try:
            document = parse(text, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        if validate_document(self.schema._schema, document, self.validation_rules):
            return None
        return PreparedOperation(text=text, document=document)

    async def execute(
        self,
        prepared: PreparedOperation,
        *,
        variables: dict[str, Any] | None,
        context: Any,
        root_value: Any,
        operation_name: str | None,
        allowed_operation_types: Iterable[OperationType],
        operation_extensions: dict[str, Any] | None,
    ) -> ExecutionResult:
        """strawberry's `Schema.execute` with the document already parsed and validated.

        Follows its steps (strawberry 0.341) so errors are processed, logged and masked the
        same way; the only differences are the document handed in, validation marked as done
        (`pre_execution_errors = []`, the signal strawberry's own ValidationCache uses), and the
        shorter list of extensions."""
        schema = self.schema
        execution_context = ExecutionContext(
            query=prepared.text,
            schema=schema,
            allowed_operations=allowed_operation_types,
            context=context,
            root_value=root_value,
            variables=variables,
            provided_operation_name=operation_name,
            operation_extensions=operation_extensions,
        )
        execution_context.graphql_document = prepared.document
        execution_context.pre_execution_errors = []
        extensions = [factory() for factory in self.execution_extensions]
        for extension in extensions:
            extension.execution_context = execution_context
        runner = schema.create_extensions_runner(execution_context, extensions)
        middleware = schema._get_middleware_manager(extensions)
        custom_context_kwargs = schema._get_custom_context_kwargs(operation_extensions)
        try:
            async with runner.operation():
                if errors := await schema._prepare_operation_async(execution_context, runner):
                    return await schema._handle_execution_result(execution_context, errors, runner)
                result = await schema._execute_operation(
                    execution_context,
                    runner,
                    middleware,
                    schema._get_execute_function(),
                    custom_context_kwargs,
                )
        except (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError):
            raise
        except Exception as exc:
            error = exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc), original_error=exc)
            return await schema._handle_execution_result(
                execution_context, PreExecutionError(data=None, errors=[error]), runner
            )
        return await schema._handle_execution_result(
            execution_context, result, runner, skip_process_errors=True
        )
