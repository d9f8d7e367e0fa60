"""The places area's DataLoaders: one request's cache of places, their labels, their children."""

from __future__ import annotations

from functools import partial

from api.resolvers.batching import OnFirstUse, counts, pages
from models.places import Asset, Building, Community, Compound, Entrance, Household
from services.places import care_tags_by_household, rows_by_ids
from services.places.labels import labels as place_labels
from services.places.labels import rows_with_parents


class PlaceLoaders:
    """Each loader is made the first time a field asks for it (OnFirstUse), then kept for the
    rest of the request: one cache per loader per request, and nothing made that is not used."""

    community_by_id = OnFirstUse(partial(rows_by_ids, Community))
    # Places come with the places above them in the same statement: their full labels
    # ("休闲小区 1号楼 1单元") then cost nothing more.
    compound_by_id = OnFirstUse(partial(rows_with_parents, Compound))
    building_by_id = OnFirstUse(partial(rows_with_parents, Building))
    entrance_by_id = OnFirstUse(partial(rows_with_parents, Entrance))
    household_by_id = OnFirstUse(partial(rows_with_parents, Household))
    asset_by_id = OnFirstUse(partial(rows_with_parents, Asset))
    # For places some other read put in the loaders above without their parents.
    label_by_place = OnFirstUse(place_labels)
    compounds_by_community = OnFirstUse(pages(Compound, "community_id"))
    buildings_by_compound = OnFirstUse(pages(Building, "compound_id"))
    entrances_by_building = OnFirstUse(pages(Entrance, "building_id"))
    households_by_entrance = OnFirstUse(pages(Household, "entrance_id"))
    compound_count_by_community = OnFirstUse(counts(Compound, "community_id"))
    building_count_by_compound = OnFirstUse(counts(Building, "compound_id"))
    entrance_count_by_building = OnFirstUse(counts(Entrance, "building_id"))
    household_count_by_entrance = OnFirstUse(counts(Household, "entrance_id"))
    care_tags_by_household = OnFirstUse(care_tags_by_household)
