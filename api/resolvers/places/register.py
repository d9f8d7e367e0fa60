"""The office's register import: read the uploaded file, let the service check and write it."""

from __future__ import annotations

from api.context import Info
from api.ids import decode_global_id
from api.resolvers.payloads import guarded
from api.schema.common import UserError
from api.schema.places import register as register_types
from runtime.i18n import N_
from services.errors import DomainError, ErrorCode
from services.places import importer as place_import


async def places_import(
    info: Info, input: register_types.PlacesImportInput
) -> register_types.PlacesImportPayload:
    async def work() -> register_types.PlacesImportPayload:
        viewer = info.context.viewer
        viewer.require_user()
        community_id = decode_global_id(input.community_id, "Community", "communityId")
        community = await place_import.community_for_import(viewer, community_id)
        read = getattr(input.file, "read", None)
        if read is None:
            raise DomainError(ErrorCode.INVALID_INPUT, N_("Upload the register as a file."), "file")
        data = await read(place_import.MAX_REGISTER_BYTES + 1)
        try:
            summary = await place_import.import_register(community, data)
        except place_import.PlaceImportError as exc:
            problems = [
                register_types.RegisterProblem(
                    line=p.line, column=p.column, message=p.text.render(info.context.language)
                )
                for p in exc.problems
            ]
            error = UserError.of(exc)
            error.field = "file"
            return register_types.PlacesImportPayload(problems=problems, errors=[error])
        return register_types.PlacesImportPayload(
            summary=register_types.PlacesImportSummary(
                rows=summary.rows,
                compounds_created=summary.compounds_created,
                buildings_created=summary.buildings_created,
                entrances_created=summary.entrances_created,
                households_created=summary.households_created,
                households_updated=summary.households_updated,
                households_unchanged=summary.households_unchanged,
            )
        )

    return await guarded(register_types.PlacesImportPayload, work())
