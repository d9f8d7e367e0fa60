"""Checks a parsed, validated request passes before anything executes: one operation named when
the document holds several, no control characters in any text input, and a cost inside the
budget. Each refusal is a top-level error with a stable code (and the field, for input), so
nothing runs, nothing is written, and no database sees a NUL byte.

Also: parse errors get a code (`TOO_MANY_TOKENS` past the token limit, `GRAPHQL_PARSE_FAILED`
otherwise), which strawberry's parse path leaves without one.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ObjectFieldNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    Undefined,
    VariableNode,
    get_named_type,
    visit,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.language import Visitor

from api.graphql_refusals import syntax_refusal
from api.i18n import limit_text
from runtime.i18n import DEFAULT_LANGUAGE, N_, Text
from services.errors import DomainError, ErrorCode
from services.paging import DEFAULT_PAGE

# The budget: the items a request may ask for at most, counting each connection's `first`
# multiplied by the `first` of every connection around it (compounds(first: 10) { buildings(first:
# 10) } costs 10 + 100). The app's largest documents, with every page at its cap of 100, cost
# 1,100 (tests/api/test_bad_input.py checks every one); four nested pages of 100 cost over 10^8.
# The whole place tree at the default page of 20 (compound → building → entrance → household:
# 20 + 400 + 8,000 + 160,000 = 168,420) must not be refused: staff read it without naming `first`.
# So the budget is 200,000 — a bound on what one request may ask for, not on what it gets.
MAX_COST = 200_000

# C0 controls but tab, LF and CR; DEL; C1 controls; lone surrogates (not encodable as UTF-8).
# NUL is what PostgreSQL's text refuses; the rest have no place in a name or a report either.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _may_hold_control_literal(text: str) -> bool:
    """A control character reaches a document's literal only escaped (\\u0000) or raw (DEL, C1,
    surrogates; raw C0 does not parse): documents with neither are not walked."""
    return "\\u" in text or _CONTROL.search(text) is not None


def _refused(code: str, message: str, **params: Any) -> GraphQLExecutionResult:
    # The Text rides in the extensions; api.errors.ShapeErrors renders it in the caller's language.
    text = Text(message, params)
    return GraphQLExecutionResult(
        data=None, errors=[GraphQLError(str(text), extensions={"code": code, "text": text})]
    )


def _invalid_input(message: str, field: str) -> GraphQLExecutionResult:
    error = GraphQLError(message, original_error=DomainError(ErrorCode.INVALID_INPUT, message, field))
    return GraphQLExecutionResult(data=None, errors=[error])


def control_character_field(value: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path (without the mutation's `input.`) of the first string holding a control
    character, or None."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            return ".".join(path[1:] if path[:1] == ("input",) and len(path) > 1 else path) or "input"
        return None
    if isinstance(value, Mapping):
        items: Iterator[tuple[str, Any]] = ((str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        found = control_character_field(item, (*path, key))
        if found is not None:
            return found
    return None


def _literal_with_control_character(document: DocumentNode) -> str | None:
    found: list[str] = []

    class Literals(Visitor):
        def enter_string_value(
            self, node: StringValueNode, _key: object, _parent: object, _path: object, ancestors: Any
        ) -> object:
            if _CONTROL.search(node.value):
                named = [a for a in (*ancestors, _parent) if isinstance(a, ObjectFieldNode | ArgumentNode)]
                found.append(named[-1].name.value if named else "query")
                return Visitor.BREAK
            return None

    visit(document, Literals())
    return found[0] if found else None


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The items the operation can ask for: each connection field's `first` (its default, or
    the server's default page, when not given) times the `first` of the connections around it."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if o.name and o.name.value == operation_name), operations[0])
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    given = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in given and isinstance(definition.default_value, IntValueNode):
            given[name] = int(definition.default_value.value)
    return _cost(schema, operation.selection_set, root, 1, fragments, given, set())


def _cost(
    schema: GraphQLSchema,
    selection_set: SelectionSetNode,
    parent: Any,
    multiplier: int,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    spread: set[str],
) -> int:
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None or not isinstance(
                parent, GraphQLObjectType | GraphQLInterfaceType
            ):
                continue
            definition = parent.fields.get(selection.name.value)
            if definition is None:
                continue
            inner = multiplier
            if "first" in definition.args:
                inner = multiplier * max(_first(definition.args["first"], selection, variables), 1)
                total += inner
            total += _cost(
                schema,
                selection.selection_set,
                get_named_type(definition.type),
                inner,
                fragments,
                variables,
                spread,
            )
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            narrowed = schema.get_type(condition.name.value) if condition else parent
            total += _cost(
                schema, selection.selection_set, narrowed, multiplier, fragments, variables, spread
            )
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None or fragment.name.value in spread:
                continue  # validation refuses both; nothing to count
            narrowed = schema.get_type(fragment.type_condition.name.value)
            total += _cost(
                schema,
                fragment.selection_set,
                narrowed,
                multiplier,
                fragments,
                variables,
                spread | {fragment.name.value},
            )
    return total


# Costs already worked out, by the document's text, the operation's name and the values of the
# variables that feed a `first` (all a cost depends on besides the schema): a persisted read
# walked its whole document on every request (~3% of a tag scan's CPU) to get the same number.
MAX_COSTS = 1024
_COSTS: OrderedDict[tuple[Any, ...], int] = OrderedDict()


_FIRSTS: OrderedDict[str, tuple[str, ...]] = OrderedDict()


def _first_variables(text: str, document: DocumentNode) -> tuple[str, ...]:
    """The variables a `first` argument names anywhere in the document, kept by its text (an
    AST hashes by walking every node; a str hashes once)."""
    found = _FIRSTS.get(text)
    if found is not None:
        return found
    names: set[str] = set()

    class Firsts(Visitor):
        def enter_argument(self, node: ArgumentNode, *_args: object) -> None:
            if node.name.value == "first" and isinstance(node.value, VariableNode):
                names.add(node.value.name.value)

    visit(document, Firsts())
    found = _FIRSTS[text] = tuple(sorted(names))
    if len(_FIRSTS) > MAX_COSTS:
        _FIRSTS.popitem(last=False)
    return found


def known_cost(
    schema: GraphQLSchema,
    text: str,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """operation_cost, worked out once per document, operation and paging variables."""
    given = variables or {}
    # The type is part of the key: `first: true` is no page of 1 (True == 1 in Python).
    paging = tuple(
        (name, type(given.get(name)), given.get(name)) for name in _first_variables(text, document)
    )
    try:
        key: tuple[Any, ...] = (schema, text, operation_name, paging)
        hash(key)
    except TypeError:  # a list or an object where a page size goes: execution refuses it
        return operation_cost(schema, document, operation_name, variables)
    found = _COSTS.get(key)
    if found is None:
        found = _COSTS[key] = operation_cost(schema, document, operation_name, variables)
        if len(_COSTS) > MAX_COSTS:
            _COSTS.popitem(last=False)
    else:
        _COSTS.move_to_end(key)
    return found


def _first(argument: GraphQLArgument, field: FieldNode, variables: dict[str, Any]) -> int:
    """A connection's `first` as the request gives it: a literal, a variable (its value or its
    default), the argument's default, or the server's default page. What is not an integer
    here is refused by execution with its own error; it counts as the default page."""
    given = next((a.value for a in field.arguments or () if a.name.value == "first"), None)
    value: Any = None
    if isinstance(given, IntValueNode):
        value = int(given.value)
    elif isinstance(given, VariableNode):
        value = variables.get(given.name.value)
    elif given is None and argument.default_value is not Undefined:
        value = argument.default_value
    return value if isinstance(value, int) and not isinstance(value, bool) else DEFAULT_PAGE


def coded_parse(context: Any, cached_parse: Any) -> None:
    """Parse through strawberry's shared LRU, with a code on the errors of parsing: its syntax
    errors (and the token limit's refusal, one of them) reach the client as they are, without
    `extensions`."""
    try:
        context.graphql_document = cached_parse(context.query, **context.parse_options)
    except GraphQLError as error:
        limit = limit_text(error.message, None)
        # A refusal raised while parsing leaves strawberry's operation early, past the step that
        # translates every other error (api.errors): say it in the caller's language here.
        language = str(getattr(context.context, "language", DEFAULT_LANGUAGE))
        if limit is not None:
            error.extensions = {"code": "TOO_MANY_TOKENS"}
            error.message = limit.render(language)
        else:
            # graphql-core's description of the syntax error stays for developers.
            error.extensions = {"code": "GRAPHQL_PARSE_FAILED", "detail": error.message}
            error.message = syntax_refusal(error).text.render(language)
        raise


def check_request(context: Any) -> None:
    """The checks of this module, in the order a client would want to hear about them: a refusal
    becomes the operation's result, so nothing executes."""
    document = context.graphql_document
    if document is not None and context.result is None:
        # The name the client sent: strawberry's `operation_name` falls back to the first one's.
        context.result = _refusal(
            context.schema._schema,
            document,
            context._provided_operation_name,
            context.variables,
            context.query,
        )


def _refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    text: str | None,
) -> GraphQLExecutionResult | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None and len(operations) > 1:
        # The spec's GetOperation: several operations and no name is a request error.
        return _refused(
            "OPERATION_NAME_REQUIRED", N_("The document has several operations: send `operationName`.")
        )
    field = control_character_field(variables or {})
    if field is None and (text is None or _may_hold_control_literal(text)):
        field = _literal_with_control_character(document)
    if field is not None:
        return _invalid_input(N_("Text may not contain control characters."), field)
    try:
        if text is None:
            cost = operation_cost(schema, document, operation_name, variables)
        else:
            cost = known_cost(schema, text, document, operation_name, variables)
    except (GraphQLError, TypeError, ValueError):
        return None  # variables execution will refuse with its own error
    if cost > MAX_COST:
        return _refused(
            "QUERY_TOO_COSTLY",
            N_("The query asks for up to {cost} items; the limit is {limit}. Ask for smaller pages."),
            cost=cost,
            limit=MAX_COST,
        )
    return None
