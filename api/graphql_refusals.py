"""graphql-core's own refusals of a request, said in the caller's language with the field at fault.

graphql-core refuses a variable it cannot read as its declared type ("Variable '$month' has invalid
value: String cannot represent a non string value.") and a document that does not fit the schema
("Cannot query field 'x' on type 'Query'."), in English and without a field. `api.errors.ShapeErrors`
hands each such error here, and this module works out what went wrong from the request's structure
rather than from the wording: the variable's definition in the document, its declared type in the
schema, the value the client sent and the path graphql-core names; for a document, the node the
error points at and what the schema expects there (graphql-core's TypeInfo). The answer is one of
our texts, naming the field as our other errors do (`phone`, `photos.2`, `month`; a mutation's
`input.` left out) and what was expected in words (整数, 日期 YYYY-MM-DD). graphql-core's English,
without the client's values, stays in `extensions.detail` for developers (api.errors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    Node,
    ObjectFieldNode,
    ObjectValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Undefined,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    is_required_argument,
    is_required_input_field,
    type_from_ast,
    visit,
)

from runtime.errors import DomainError
from runtime.i18n import N_, Text

# What each scalar of the schema takes, in words (the built-in ones and strawberry's).
SCALAR_WORDS = {
    "Int": N_("a whole number"),
    "Float": N_("a number"),
    "String": N_("text"),
    "Boolean": N_("true or false"),
    "ID": N_("an id"),
    "Date": N_("a date, YYYY-MM-DD"),
    "DateTime": N_("a date and time, ISO 8601 (2024-05-01T08:30:00+08:00)"),
    "Decimal": N_("a decimal number"),
    "Upload": N_("a file"),
}

# Texts whose name says their form: a month is text in the schema, "2024-05" to the services.
TEXT_WORDS = {
    "month": N_("a month, YYYY-MM"),
    "phone": N_("a mobile phone number"),
}

# The refusals. A variable's and a literal's say the same thing, so they share texts.
MISSING = N_("{field} is missing: give {expected}.")
EMPTY = N_("{field} may not be empty: give {expected}.")
WRONG = N_("{field} must be {expected}.")
UNKNOWN_INPUT_FIELD = N_("{field} is not a field of {type}.")
ONE_OF = N_("Give exactly one of the fields of {field}, and not null.")
UNREADABLE_VARIABLE = N_("The variable {field} could not be read.")
UNREADABLE_VARIABLES = N_("The variables could not be read (nested too deeply, or too many errors).")
NO_SUCH_FIELD = N_("{type} has no field {field}.")
NO_SUCH_ARGUMENT = N_("{parent} takes no argument {field}.")
ARGUMENT_MISSING = N_("{parent} needs the argument {field}: {expected}.")
VARIABLE_UNDECLARED = N_("The variable ${field} is used but not declared.")
VARIABLE_UNUSED = N_("The variable ${field} is declared but not used.")
VARIABLE_MISPLACED = N_(
    "The variable ${field} is of type {declared}, but {expected} is needed where it is used."
)
INTROSPECTION_OFF = N_("Introspection is off on this server; the schema is mobile-contract/schema.graphql.")
DOCUMENT_UNFIT = N_("The query does not fit the schema (extensions.detail says how).")
SYNTAX = N_("The query is not valid GraphQL (line {line}, column {column}).")


@dataclass(frozen=True)
class Reworded:
    """What to say instead of graphql-core's English: our text, the field at fault, and the
    code when it is not the caller's default (a scalar of ours may raise a DomainError)."""

    text: Text
    field: str | None = None
    code: str | None = None


def _about(field: str, msgid: str, **params: Any) -> Reworded:
    """A refusal naming `field`, in its text and in `extensions.field`."""
    return Reworded(Text(msgid, {"field": field, **params}), field)


def expected_words(kind: Any, production: bool = False, name: str | None = None) -> Text:
    """What a value of an input type is, in words: 整数, 列表，每项为编号, 日期（YYYY-MM-DD）; a text
    named `month`, 月份（YYYY-MM）. Enum values are listed in development only: production does not
    map the schema for a prober."""
    while isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        return Text(N_("a list, each item {item}"), {"item": expected_words(kind.of_type, production)})
    if isinstance(kind, GraphQLScalarType) and kind.name == "String" and name in TEXT_WORDS:
        return Text(TEXT_WORDS[name])
    if isinstance(kind, GraphQLInputObjectType):
        return Text(N_("an object with the fields of {type}"), {"type": kind.name})
    if isinstance(kind, GraphQLEnumType):
        if production:
            return Text(N_("a value of {type}"), {"type": kind.name})
        return Text(N_("one of {values}"), {"values": ", ".join(kind.values)})
    if isinstance(kind, GraphQLScalarType) and kind.name in SCALAR_WORDS:
        return Text(SCALAR_WORDS[kind.name])
    return Text(N_("a value of {type}"), {"type": getattr(kind, "name", str(kind))})


def field_name(path: list[str | int]) -> str:
    """A path inside the variables as our errors name a field: dotted, without a mutation's
    `input.` (api.request_checks.control_character_field names them so)."""
    parts = [str(part) for part in path]
    if len(parts) > 1 and parts[0] == "input":
        parts = parts[1:]
    return ".".join(parts)


# ── variables ─────────────────────────────────────────────────────────────────────────────

# graphql-core writes a variable's path with print_path_list (" at .input.photos[2]"); names are
# GraphQL names and indexes digits, so the path reads back without ambiguity.
_PATH_PART = re.compile(r"\.([_A-Za-z][_0-9A-Za-z]*)|\[(\d+)\]")


def _path_of(message: str, variable: str, inner: str) -> list[str | int] | None:
    """The path inside the variable that graphql-core's message names, or None when the message
    is not `Variable '$x' has invalid value[ at <path>]: <inner>`."""
    head = f"Variable '${variable}' has invalid value"
    tail = f": {inner}"
    if not (message.startswith(head) and message.endswith(tail)):
        return None
    written = message[len(head) : len(message) - len(tail)]
    if not written:
        return []
    if not written.startswith(" at "):
        return None
    written = written[len(" at ") :]
    path: list[str | int] = []
    position = 0
    while position < len(written):
        found = _PATH_PART.match(written, position)
        if found is None:
            return None
        path.append(found.group(1) if found.group(1) is not None else int(found.group(2)))
        position = found.end()
    return path


def _walk(kind: Any, value: Any, path: list[str | int]) -> tuple[Any, Any]:
    """The input type and the value the client sent at `path` inside a variable (Undefined
    where it sent nothing)."""
    for part in path:
        while isinstance(kind, GraphQLNonNull):
            kind = kind.of_type
        if isinstance(kind, GraphQLList) and isinstance(part, int):
            kind = kind.of_type
            value = value[part] if isinstance(value, list) and part < len(value) else Undefined
        elif isinstance(kind, GraphQLInputObjectType) and isinstance(part, str) and part in kind.fields:
            kind = kind.fields[part].type
            value = value.get(part, Undefined) if isinstance(value, dict) else Undefined
        else:
            return None, Undefined
    return kind, value


def variable_refusal(
    error: GraphQLError, schema: GraphQLSchema, variables: dict[str, Any] | None, production: bool
) -> Reworded | None:
    """What to say of graphql-core's refusal of a variable's value; None when `error` is none."""
    definition = error.nodes[0] if error.nodes else None
    if not isinstance(definition, VariableDefinitionNode):
        return None
    name = definition.variable.name.value
    declared = type_from_ast(schema, definition.type)
    inner = error.original_error
    if declared is None or not isinstance(inner, GraphQLError):
        return Reworded(Text(UNREADABLE_VARIABLE, {"field": name}), name)
    path = _path_of(error.message, name, inner.message)
    if path is None:
        return Reworded(Text(UNREADABLE_VARIABLE, {"field": name}), name)
    given = (variables or {}).get(name, Undefined)
    kind, value = _walk(declared, given, path)
    at = [name, *path]
    field = field_name(at)
    cause = inner.original_error
    if isinstance(cause, DomainError):
        # A scalar of ours refused the value with its own code and text; where, the path says.
        return Reworded(cause.text, field, str(cause.code))
    if kind is None:
        return Reworded(Text(UNREADABLE_VARIABLE, {"field": field}), field)
    last = next((part for part in reversed(at) if isinstance(part, str)), None)
    expected = expected_words(kind, production, last)
    if isinstance(kind, GraphQLNonNull) and value is Undefined:
        return Reworded(Text(MISSING, {"field": field, "expected": expected}), field)
    if isinstance(kind, GraphQLNonNull) and value is None:
        return Reworded(Text(EMPTY, {"field": field, "expected": expected}), field)
    bare = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    if isinstance(bare, GraphQLInputObjectType) and isinstance(value, dict):
        return _object_refusal(bare, value, at, inner.message, production)
    return Reworded(Text(WRONG, {"field": field, "expected": expected}), field)


def _object_refusal(
    kind: GraphQLInputObjectType, value: dict[str, Any], at: list[str | int], said: str, production: bool
) -> Reworded:
    """An object the client sent that lacks a required field, has one the type does not, or
    (a OneOf input) does not give exactly one: which, by the fields themselves. graphql-core
    reports each such field in its own error, naming it in quotes; that name says which."""
    for name, definition in kind.fields.items():
        if name not in value and is_required_input_field(definition) and f"field '{name}'" in said:
            field = field_name([*at, name])
            expected = expected_words(definition.type, production, name)
            return Reworded(Text(MISSING, {"field": field, "expected": expected}), field)
    for name in value:
        if name not in kind.fields and f"field '{name}'" in said:
            field = field_name([*at, name])
            return Reworded(Text(UNKNOWN_INPUT_FIELD, {"field": field, "type": kind.name}), field)
    field = field_name(at)
    if kind.is_one_of:
        return Reworded(Text(ONE_OF, {"field": field}), field)
    return Reworded(Text(WRONG, {"field": field, "expected": expected_words(kind, production)}), field)


def variables_refusal() -> Reworded:
    """graphql-core's refusal of the variables as a whole (nested past its limit, or more errors
    than it reports), which names no variable."""
    return Reworded(Text(UNREADABLE_VARIABLES))


# ── documents ─────────────────────────────────────────────────────────────────────────────


@dataclass
class _Place:
    """Where in the document an error points, as the schema sees it."""

    parent: str | None = None  # the type (or field, for an argument) around the node
    field_known: bool = False  # for a field or an argument: the schema has it
    input_type: Any = None  # for a value: what the schema expects there
    named: str | None = None  # for a value: the argument or input field it is given to
    missing: tuple[tuple[str, Any], ...] = ()  # for a field or an object: required, not given


def _place_of(schema: GraphQLSchema, document: DocumentNode, target: Node) -> _Place | None:
    """The schema's view of `target`, found by walking the document with graphql-core's TypeInfo."""
    info = TypeInfo(schema)
    found: list[_Place] = []

    class Finder(Visitor):
        def enter(self, node: Node, _key: Any, _parent: Any, _path: Any, ancestors: Any) -> Any:
            if node is not target:
                return None
            found.append(_describe(info, node, [*ancestors, _parent]))
            return Visitor.BREAK

    visit(document, TypeInfoVisitor(info, Finder()))
    return found[0] if found else None


def _describe(info: TypeInfo, node: Node, ancestors: list[Any]) -> _Place:
    place = _Place()
    if isinstance(node, FieldNode):
        parent, definition = info.get_parent_type(), info.get_field_def()
        place.parent = getattr(parent, "name", None)
        place.field_known = definition is not None
        if definition is not None:
            given = {argument.name.value for argument in node.arguments or ()}
            place.missing = tuple(
                (name, argument.type)
                for name, argument in definition.args.items()
                if is_required_argument(argument) and name not in given
            )
    elif isinstance(node, ArgumentNode):
        # The field (or directive) the argument is given to: the nearest one around it.
        holders = [a for a in ancestors if isinstance(a, FieldNode | DirectiveNode)]
        if holders and isinstance(holders[-1], DirectiveNode):
            place.parent = f"@{holders[-1].name.value}"
        elif holders:
            place.parent = f"{getattr(info.get_parent_type(), 'name', '?')}.{holders[-1].name.value}"
        place.field_known = info.get_argument() is not None
    elif isinstance(node, ValueNode):
        place.input_type = info.get_input_type()
        names = [a.name.value for a in ancestors if isinstance(a, ArgumentNode | ObjectFieldNode)]
        place.named = names[-1] if names else None
        bare = place.input_type.of_type if isinstance(place.input_type, GraphQLNonNull) else place.input_type
        if isinstance(node, ObjectValueNode) and isinstance(bare, GraphQLInputObjectType):
            given = {field.name.value for field in node.fields}
            place.missing = tuple(
                (name, field.type)
                for name, field in bare.fields.items()
                if is_required_input_field(field) and name not in given
            )
    return place


def _first_named(missing: tuple[tuple[str, Any], ...], said: str, pattern: str) -> tuple[str, Any] | None:
    """Of the required names not given, the one graphql-core's message names (each missing one
    gets its own error)."""
    for name, kind in missing:
        if pattern.format(name=name) in said:
            return name, kind
    return None


def document_refusal(
    error: GraphQLError, schema: GraphQLSchema, document: DocumentNode | None, production: bool
) -> Reworded:
    """What to say of graphql-core's refusal of a document (GRAPHQL_VALIDATION_FAILED): unknown
    field or argument, a required argument left out, a literal of the wrong type, a variable
    undeclared, unused or misplaced; any other, a general text (the detail says which)."""
    nodes = list(error.nodes or ())
    target = nodes[0] if nodes else None
    if isinstance(target, VariableDefinitionNode):
        name = target.variable.name.value
        used = nodes[1] if len(nodes) > 1 else None
        if used is not None and document is not None:
            place = _place_of(schema, document, used)
            declared = type_from_ast(schema, target.type)
            if place is not None and place.input_type is not None and declared is not None:
                params = {
                    "field": name,
                    "declared": str(declared),
                    "expected": expected_words(place.input_type, production),
                }
                return Reworded(Text(VARIABLE_MISPLACED, params), name)
        if used is None and f"'${name}' is never used" in error.message:
            return Reworded(Text(VARIABLE_UNUSED, {"field": name}), name)
    if isinstance(target, VariableNode) and f"'${target.name.value}' is not defined" in error.message:
        return Reworded(Text(VARIABLE_UNDECLARED, {"field": target.name.value}), target.name.value)
    place = _place_of(schema, document, target) if document is not None and target is not None else None
    if place is not None:
        refusal = _refusal_at(target, place, error.message, production)
        if refusal is not None:
            return refusal
    return Reworded(Text(DOCUMENT_UNFIT))


def _refusal_at(target: Any, place: _Place, said: str, production: bool) -> Reworded | None:
    if (
        isinstance(target, FieldNode)
        and target.name.value in ("__schema", "__type")
        and "introspection" in said
    ):
        # graphql-core's NoSchemaIntrospectionCustomRule, which production adds.
        return Reworded(Text(INTROSPECTION_OFF))
    if isinstance(target, FieldNode) and not place.field_known and place.parent:
        name = target.name.value
        return Reworded(Text(NO_SUCH_FIELD, {"field": name, "type": place.parent}), name)
    if isinstance(target, FieldNode):
        missing = _first_named(place.missing, said, "({name}:)")
        if missing is not None:
            parent = f"{place.parent}.{target.name.value}" if place.parent else target.name.value
            expected = expected_words(missing[1], production, missing[0])
            return _about(missing[0], ARGUMENT_MISSING, parent=parent, expected=expected)
    if isinstance(target, ArgumentNode) and not place.field_known and place.parent:
        name = target.name.value
        return Reworded(Text(NO_SUCH_ARGUMENT, {"field": name, "parent": place.parent}), name)
    if isinstance(target, ValueNode) and place.input_type is not None:
        missing = _first_named(place.missing, said, "field '{name}'")
        if missing is not None:
            return _about(missing[0], MISSING, expected=expected_words(missing[1], production, missing[0]))
        named = place.named or "input"
        return _about(named, WRONG, expected=expected_words(place.input_type, production, named))
    return None


def syntax_refusal(error: GraphQLError) -> Reworded:
    """A syntax error, where it is: graphql-core's description stays in the detail."""
    line, column = (error.locations[0].line, error.locations[0].column) if error.locations else (1, 1)
    return Reworded(Text(SYNTAX, {"line": line, "column": column}))
