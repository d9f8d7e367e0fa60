"""The files of mobile-contract/ that are generated: the SDL, the persisted-query manifest,
the error code reference. `redsteward export-contract` writes them; tests compare them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from graphql import (
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_ast_schema,
    find_breaking_changes,
    parse,
    visit,
)
from graphql.language import Visitor

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


def operation_documents(folder: Path = CONTRACT, client: str = "app") -> dict[str, str]:
    """Operation name → the full document the client sends: the operation, then every fragment
    it uses (transitively), in name order, separated by blank lines. The app's documents are
    operations/*.graphql; another client's (the server's own web pages) are operations/<client>/."""
    fragments = {
        p.stem: p.read_text(encoding="utf-8").strip()
        for p in sorted((folder / "fragments").glob("*.graphql"))
    }
    where = folder / "operations" if client == "app" else folder / "operations" / client
    documents: dict[str, str] = {}
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


# Clients other than the app whose documents the server serves: each is a folder of operations/.
# "web" is the server's own pages (the resident's no-app path), "office" the office console (/office/);
# both run in process for the signed-in viewer.
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


def render_manifest() -> str:
    manifest = {
        document_hash(doc): doc for documents in client_documents().values() for doc in documents.values()
    }
    return json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=2) + "\n"


def render_operation_ids() -> str:
    """Operation name → the hash to send: what an app's codegen needs to name its documents by."""
    ids = {name: document_hash(doc) for name, doc in operation_documents().items()}
    return json.dumps(ids, ensure_ascii=False, indent=2) + "\n"


def render_sdl() -> str:
    return build_schema(production=False).as_str() + "\n"


def generated_files() -> dict[Path, str]:
    return {
        CONTRACT / "schema.graphql": render_sdl(),
        CONTRACT / "persisted-queries.json": render_manifest(),
        CONTRACT / "operation-ids.json": render_operation_ids(),
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
