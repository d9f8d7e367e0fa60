"""Apps already installed keep working: the schema may grow, but a breaking change against the last
released schema (mobile-contract/released/schema.graphql) fails CI unless CHANGELOG.md records it."""

from __future__ import annotations

import json

from graphql import parse, validate

from api.contract import (
    CHANGELOG,
    RELEASED_SDL,
    breaking_change_lines,
    deprecations_without_removal_date,
    render_sdl,
    unrecorded_breaking_changes,
)
from api.gate import RELEASED_MANIFEST, document_hash, persisted_documents
from api.graphql import build_schema

RELEASED = """
type Query { report(id: ID!): Report }
type Report { id: ID! title: String! oldField: Int count: Int }
enum ReportState { OPEN CLAIMED }
"""


def test_no_unrecorded_breaking_change_against_the_released_schema() -> None:
    missing = unrecorded_breaking_changes(
        RELEASED_SDL.read_text(encoding="utf-8"), render_sdl(), CHANGELOG.read_text(encoding="utf-8")
    )
    assert missing == [], "record in mobile-contract/CHANGELOG.md (or undo the change):\n" + "\n".join(
        missing
    )


def test_a_removed_field_is_breaking_until_the_changelog_records_it() -> None:
    current = RELEASED.replace(" oldField: Int", "")
    lines = breaking_change_lines(RELEASED, current)
    assert lines == ["- BREAKING FIELD_REMOVED: Field Report.oldField was removed."]
    assert unrecorded_breaking_changes(RELEASED, current, "## Unreleased\n\nNothing yet.\n") == lines
    changelog = "## Unreleased\n\n- BREAKING FIELD_REMOVED: Field Report.oldField was removed.\n"
    assert unrecorded_breaking_changes(RELEASED, current, changelog) == []


def test_removed_enum_values_and_new_required_arguments_are_breaking() -> None:
    current = RELEASED.replace("OPEN CLAIMED", "OPEN").replace("report(id: ID!)", "report(id: ID!, at: Int!)")
    kinds = [line.split(":")[0] for line in breaking_change_lines(RELEASED, current)]
    assert kinds == ["- BREAKING REQUIRED_ARG_ADDED", "- BREAKING VALUE_REMOVED_FROM_ENUM"]


def test_additions_are_not_breaking() -> None:
    current = RELEASED.replace("oldField: Int", "oldField: Int newField: String").replace(
        "report(id: ID!)", "report(id: ID!, at: Int)"
    )
    assert breaking_change_lines(RELEASED, current) == []


def test_every_deprecation_names_its_removal_date() -> None:
    assert deprecations_without_removal_date(render_sdl()) == []
    sdl = (
        'type Query { a: Int @deprecated(reason: "Use b.") '
        'b: Int @deprecated(reason: "Use c; removed 2027-03-01.") c: Int }'
    )
    assert deprecations_without_removal_date(sdl) == ["Query.a"]


def test_every_document_of_a_released_app_is_still_valid_and_served() -> None:
    """Installed apps send the documents they were built with, by hash: the server keeps serving
    them (released/persisted-queries.json) and they must stay valid against the live schema."""
    released: dict[str, str] = json.loads(RELEASED_MANIFEST.read_text(encoding="utf-8"))
    schema = build_schema(production=True)._schema
    invalid = {
        document.split("(")[0][-40:]: [e.message for e in errors]
        for document in released.values()
        if (errors := validate(schema, parse(document)))
    }
    assert invalid == {}
    assert {sha: document_hash(doc) for sha, doc in released.items()} == {sha: sha for sha in released}
    assert released.items() <= persisted_documents().items()
