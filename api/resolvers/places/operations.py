"""Staff mutations of the place register."""

from __future__ import annotations

from typing import Any

from api.context import Info
from api.ids import decode_global_id, split_global_id
from api.resolvers.payloads import guarded
from api.schema.places import inputs, types
from models import places as place_models
from models.enums import CareTagKind
from runtime.i18n import N_
from services import places
from services.errors import DomainError, ErrorCode

PARENTS: dict[str, type[Any]] = {
    "Community": place_models.Community,
    "Compound": place_models.Compound,
    "Building": place_models.Building,
    "Entrance": place_models.Entrance,
}
PLACES: dict[str, type[Any]] = {
    "Compound": place_models.Compound,
    "Building": place_models.Building,
    "Entrance": place_models.Entrance,
    "Household": place_models.Household,
}


async def _load(
    viewer: Any,
    kinds: dict[str, type[Any]],
    global_id: str,
    field: str,
    wrong_kind: ErrorCode = ErrorCode.INVALID_PARENT,
) -> Any:
    # Signed out is said before anything about the id, so a bad id never masks it.
    viewer.require_user()
    type_name, _ = split_global_id(global_id, field)
    if type_name not in kinds:
        raise DomainError(wrong_kind, N_("This id does not name a place that fits here."), field)
    row_id = decode_global_id(global_id, type_name, field)
    if type_name == "Community":
        return await places.get_community(viewer, row_id, field)
    return await places.get_place(viewer, kinds[type_name], row_id, field)


async def place_create(info: Info, input: inputs.PlaceCreateInput) -> inputs.PlacePayload:
    async def work() -> inputs.PlacePayload:
        viewer = info.context.viewer
        parent = await _load(viewer, PARENTS, input.parent_id, "parentId")
        row = await places.create_place(viewer, parent, input.name, input.area_m2)
        return inputs.PlacePayload(place=types.place_of_row(row))

    return await guarded(inputs.PlacePayload, work())


async def place_rename(info: Info, input: inputs.PlaceRenameInput) -> inputs.PlacePayload:
    async def work() -> inputs.PlacePayload:
        viewer = info.context.viewer
        # Only a parent can be the wrong kind; anything else under `id` is simply no place.
        # An id of another kind is a malformed id (api.ids), not a place that is gone.
        row = await _load(viewer, PLACES, input.id, "id", ErrorCode.INVALID_INPUT)
        return inputs.PlacePayload(
            place=types.place_of_row(await places.rename_place(viewer, row, input.name))
        )

    return await guarded(inputs.PlacePayload, work())


async def household_care_tags_set(
    info: Info, input: inputs.HouseholdCareTagsSetInput
) -> inputs.HouseholdCareTagsSetPayload:
    async def work() -> inputs.HouseholdCareTagsSetPayload:
        viewer = info.context.viewer
        viewer.require_user()
        household_id = decode_global_id(input.household_id, "Household", "householdId")
        row = await places.get_place(viewer, place_models.Household, household_id, "householdId")
        tags = await places.set_care_tags(viewer, row, [CareTagKind(t) for t in input.tags])
        return inputs.HouseholdCareTagsSetPayload(household=types.Household.of(row), tags=tags)

    return await guarded(inputs.HouseholdCareTagsSetPayload, work())


async def place_node(info: Info, type_name: str, row_id: int) -> types.Place | types.Community:
    """A place or community for `node(id)`, after the same checks as its own field."""
    viewer = info.context.viewer
    if type_name == "Community":
        return types.Community.of(await places.get_community(viewer, row_id))
    return types.place_of_row(await places.get_place(viewer, {**PARENTS, **PLACES}[type_name], row_id))


NODE_TYPES = ("Community", "Compound", "Building", "Entrance", "Household")


async def community(info: Info, id: str) -> types.Community | None:
    viewer = info.context.viewer
    viewer.require_user()
    try:
        row = await places.get_community(viewer, decode_global_id(id, "Community", "id"))
    except DomainError:
        return None
    return types.Community.of(row)
