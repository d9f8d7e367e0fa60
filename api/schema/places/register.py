"""Inputs and payloads of the office's register import (the household register as a CSV file)."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from api.schema.common import UserError


@strawberry.input
class PlacesImportInput:
    community_id: strawberry.ID
    file: Upload = strawberry.field(
        description="The register as CSV (UTF-8, multipart): a header row with the columns "
        "小区,楼栋,单元,户号,面积 (or compound,building,entrance,household,area_m2), one household a row."
    )


@strawberry.type(description="One problem of an imported file; nothing is imported while there is any.")
class RegisterProblem:
    line: int = strawberry.field(description="The line of the file (the header is 1); 0 for the whole file.")
    column: str | None = strawberry.field(
        description="compound, building, entrance, household or area_m2, whatever the header called it."
    )
    message: str


@strawberry.type
class PlacesImportSummary:
    rows: int
    compounds_created: int
    buildings_created: int
    entrances_created: int
    households_created: int
    households_updated: int
    households_unchanged: int


@strawberry.type
class PlacesImportPayload:
    summary: PlacesImportSummary | None = None
    problems: list[RegisterProblem] = strawberry.field(
        default_factory=list, description="Every problem of the file, by line, when it was refused."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)
