"""The files of mobile-contract/ that are generated: the SDL, the persisted-query manifest,
the error code reference. `redsteward export-contract` writes them; tests compare them."""

from __future__ import annotations

import json
from pathlib import Path

from graphql import FragmentSpreadNode, parse, visit
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


def operation_documents(folder: Path = CONTRACT) -> dict[str, str]:
    """Operation name → the full document the app sends: the operation, then every fragment it
    uses (transitively), in name order, separated by blank lines."""
    fragments = {
        p.stem: p.read_text(encoding="utf-8").strip()
        for p in sorted((folder / "fragments").glob("*.graphql"))
    }
    documents: dict[str, str] = {}
    for path in sorted((folder / "operations").glob("*.graphql")):
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


def render_manifest() -> str:
    manifest = {document_hash(doc): doc for doc in operation_documents().values()}
    return json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=2) + "\n"


def render_sdl() -> str:
    return build_schema(production=False).as_str() + "\n"


def generated_files() -> dict[Path, str]:
    return {
        CONTRACT / "schema.graphql": render_sdl(),
        CONTRACT / "persisted-queries.json": render_manifest(),
        CONTRACT / "errors.md": render_errors_md(),
    }
