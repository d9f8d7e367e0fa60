"""The files of mobile-contract/ that are generated: the SDL, the persisted-query manifest,
the error code reference. `redsteward export-contract` writes them; tests compare them.

The persisted documents are the documents the clients send. Apollo Client does not send the
text of a .graphql file: its InMemoryCache adds `__typename` to every selection set but the
operation's own (`addTypenameToDocument`), its fragment registry appends the fragments used,
and Apollo's manifest generator (`@apollo/generate-persisted-query-manifest`) prints that with
graphql-js `print` after `sortTopLevelDefinitions` (the operation, then the fragments by name).
We do the same here, so the hash a client computes is ours and the server answers with the
`__typename`s the normalized cache needs. tests/contract/test_clients.py runs Apollo's own
generator over operations/ and fragments/ and asserts the manifest is byte-identical.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_ast_schema,
    find_breaking_changes,
    parse,
    print_ast,
    visit,
)
from graphql.language import Node, Visitor

from api.error_guide import render_errors_md
from api.gate import document_hash
from api.graphql import build_schema

CONTRACT = Path(__file__).resolve().parent.parent / "mobile-contract"


def _spreads(text: str) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
            names.add(node.name.value)

    visit(parse(text), Collect())
    return names


def _source_documents(folder: Path, client: str = "app") -> dict[str, str]:
    """Operation name → the operation file's text followed by every fragment it uses
    (transitively), as an app's document would hold them. The app's operations are
    operations/*.graphql; another client's (the server's own web pages) operations/<client>/."""
    fragments = {
        p.stem: p.read_text(encoding="utf-8").strip()
        for p in sorted((folder / "fragments").glob("*.graphql"))
    }
    documents: dict[str, str] = {}
    where = folder / "operations" if client == "app" else folder / "operations" / client
    for path in sorted(where.glob("*.graphql")):
        text = path.read_text(encoding="utf-8").strip()
        needed: set[str] = set()
        queue = list(_spreads(text))
        while queue:
            name = queue.pop()
            if name in needed:
                continue
            if name not in fragments:
                raise ValueError(f"{path.name} uses fragment {name}, which has no file in fragments/")
            needed.add(name)
            queue.extend(_spreads(fragments[name]))
        documents[path.stem] = "\n\n".join([text, *(fragments[n] for n in sorted(needed))]) + "\n"
    return documents


_TYPENAME = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())


class _AddTypename(Visitor):
    """Apollo Client's `addTypenameToDocument`: `__typename` appended to every selection set
    except an operation's root one, unless the set already selects `__typename` or any
    introspection field (`__…`), or belongs to a field marked `@export`."""

    def enter_selection_set(self, node: SelectionSetNode, _key: object, parent: object, *_: object) -> object:
        if isinstance(parent, OperationDefinitionNode):
            return None
        if any(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in node.selections):
            return None
        if isinstance(parent, FieldNode) and any(d.name.value == "export" for d in parent.directives or ()):
            return None
        return SelectionSetNode(selections=(*node.selections, _TYPENAME))


def _sort_top_level_definitions(document: DocumentNode) -> DocumentNode:
    """`sortTopLevelDefinitions` of @apollo/persisted-query-lists: operations before fragments,
    each kind by name."""

    def key(definition: Node) -> tuple[int, str]:
        name = getattr(definition, "name", None)
        return (0 if isinstance(definition, OperationDefinitionNode) else 1, name.value if name else "")

    return DocumentNode(definitions=tuple(sorted(document.definitions, key=key)))


def apollo_body(document: str) -> str:
    """The text Apollo Client sends (and its manifest generator records) for a document."""
    added = visit(parse(document, no_location=True), _AddTypename())
    return print_ast(_sort_top_level_definitions(added))


def operation_documents(folder: Path = CONTRACT, client: str = "app") -> dict[str, str]:
    """Operation name → the persisted document: the operation with the fragments it uses,
    exactly as Apollo Client prints it (see the module's docstring). Its sha256 is the id."""
    return {name: apollo_body(text) for name, text in _source_documents(folder, client).items()}


# Clients other than the app whose documents the server serves: each is a folder of operations/.
# "web" is the server's own pages (the resident's no-app path), "office" the office console
# (/office/); both run in process for the signed-in viewer.
CLIENTS = ("web", "office")


def client_documents(folder: Path = CONTRACT) -> dict[str, dict[str, str]]:
    """Client name → its operation documents (the app's under "app")."""
    return {
        "app": operation_documents(folder),
        **{client: operation_documents(folder, client) for client in CLIENTS},
    }


def render_clients() -> str:
    """Client → operation name → hash: which documents belong to whom (the app's codegen reads
    operation-ids.json; the web pages find their documents here)."""
    clients = {
        client: {name: document_hash(doc) for name, doc in documents.items()}
        for client, documents in client_documents().items()
    }
    return json.dumps(clients, ensure_ascii=False, indent=2) + "\n"


def _operation_type(body: str) -> str:
    for definition in parse(body, no_location=True).definitions:
        if isinstance(definition, OperationDefinitionNode):
            return definition.operation.value
    raise ValueError("a persisted document without an operation")


def render_apollo_manifest() -> str:
    """Apollo's persisted-query manifest (`persisted-query-manifest.json`), operations by name:
    what `@apollo/persisted-query-lists` (Apollo Client, Apollo Kotlin, Apollo iOS) and urql's
    persisted exchange read the ids from. The format and order are the generator's."""
    operations = [
        {"id": document_hash(body), "name": name, "type": _operation_type(body), "body": body}
        for name, body in sorted(operation_documents().items())
    ]
    manifest = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
    # No newline at the end: byte for byte what the generator writes (`JSON.stringify(m, null, 2)`).
    return json.dumps(manifest, ensure_ascii=False, indent=2)


def render_manifest() -> str:
    """sha256 → document, for clients that only need a lookup table (the server reads this)."""
    manifest = {
        document_hash(doc): doc for documents in client_documents().values() for doc in documents.values()
    }
    return json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=2) + "\n"


def render_operation_ids() -> str:
    """Operation name → the hash to send: what an app's codegen needs to name its documents by."""
    ids = {name: document_hash(doc) for name, doc in operation_documents().items()}
    return json.dumps(ids, ensure_ascii=False, indent=2) + "\n"


def render_possible_types() -> str:
    """Interface and union → the object types that implement them: Apollo's InMemoryCache
    (`possibleTypes`) and urql's Graphcache need it to match a fragment on an interface
    (`ActivityLogFields on ActivityLog`) against an answer's `__typename` (`PatrolLog`)."""
    schema = build_schema(production=False)._schema
    possible: dict[str, list[str]] = {}
    for name, named in sorted(schema.type_map.items()):
        if name.startswith("__") or not isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            continue
        possible[name] = sorted(t.name for t in schema.get_possible_types(named))
    return json.dumps(possible, ensure_ascii=False, indent=2) + "\n"


def render_sdl() -> str:
    return build_schema(production=False).as_str() + "\n"


def generated_files() -> dict[Path, str]:
    return {
        CONTRACT / "schema.graphql": render_sdl(),
        CONTRACT / "persisted-queries.json": render_manifest(),
        CONTRACT / "persisted-query-manifest.json": render_apollo_manifest(),
        CONTRACT / "operation-ids.json": render_operation_ids(),
        CONTRACT / "possible-types.json": render_possible_types(),
        CONTRACT / "errors.md": render_errors_md(),
        CONTRACT / "clients.json": render_clients(),
    }


# Breaking changes. mobile-contract/released/schema.graphql is the schema of the last app release;
# a change that would break an app built against it must be recorded in CHANGELOG.md as a line
#   - BREAKING <KIND>: <graphql-core's description>
# e.g. "- BREAKING FIELD_REMOVED: Field Report.oldField was removed." (see mobile-contract/README.md).
RELEASED_SDL = CONTRACT / "released" / "schema.graphql"
CHANGELOG = CONTRACT / "CHANGELOG.md"
_DEPRECATION_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def breaking_change_lines(released_sdl: str, current_sdl: str) -> list[str]:
    """The CHANGELOG line each breaking change between two schemas needs, in a stable order."""
    changes = find_breaking_changes(
        build_ast_schema(parse(released_sdl)), build_ast_schema(parse(current_sdl))
    )
    return sorted(f"- BREAKING {change.type.name}: {change.description}" for change in changes)


def unrecorded_breaking_changes(released_sdl: str, current_sdl: str, changelog: str) -> list[str]:
    recorded = {line.strip() for line in changelog.splitlines()}
    return [line for line in breaking_change_lines(released_sdl, current_sdl) if line not in recorded]


def deprecations_without_removal_date(sdl: str) -> list[str]:
    """Fields, arguments and enum values deprecated without the date they go away (YYYY-MM-DD)."""
    schema = build_ast_schema(parse(sdl))
    missing: list[str] = []
    for type_name, named in sorted(schema.type_map.items()):
        if type_name.startswith("__"):
            continue
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                if field.deprecation_reason is not None and not _DEPRECATION_DATE.search(
                    field.deprecation_reason
                ):
                    missing.append(f"{type_name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if arg.deprecation_reason is not None and not _DEPRECATION_DATE.search(
                        arg.deprecation_reason
                    ):
                        missing.append(f"{type_name}.{field_name}({arg_name})")
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                if value.deprecation_reason is not None and not _DEPRECATION_DATE.search(
                    value.deprecation_reason
                ):
                    missing.append(f"{type_name}.{value_name}")
    return missing
