"""Full place labels: every kind of place reads "休闲小区 4号楼 2单元 …", in one statement per kind."""

from __future__ import annotations

from models.enums import AssetKind
from models.places import Asset, Building, Compound, Entrance, Household
from services.places.labels import PlaceKind, full_label, label_of_row, labels_by_id, rows_with_parents
from tests.conftest import QueryCounter
from tests.support.people import make_neighbourhood


def test_an_asset_name_that_says_where_it_is_is_not_repeated() -> None:
    assert full_label("休闲小区", "4号楼", "2单元", asset="楼道灯") == "休闲小区 4号楼 2单元 楼道灯"
    assert full_label("休闲小区", "4号楼", "2单元", asset="4号楼2单元楼道灯") == "休闲小区 4号楼2单元楼道灯"
    assert full_label("休闲小区", None, None, asset="东门摄像头") == "休闲小区 东门摄像头"


async def test_every_kind_is_labelled_from_its_compound_down(queries: QueryCounter) -> None:
    place = await make_neighbourhood()
    on_entrance = await Asset.create(
        community=place.community,
        compound=place.compound,
        entrance=place.entrance,
        kind=AssetKind.LAMP,
        name="楼道灯",
    )
    at_gate = await Asset.create(
        community=place.community, compound=place.compound, kind=AssetKind.CAMERA, name="东门摄像头"
    )
    expected = {
        (Compound, place.compound.id): "休闲小区",
        (Building, place.building.id): "休闲小区 4号楼",
        (Entrance, place.entrance.id): "休闲小区 4号楼 2单元",
        (Household, place.households[0].id): "休闲小区 4号楼 2单元 301",
        # An asset on an entrance need not name its building: the entrance's stands in.
        (Asset, on_entrance.id): "休闲小区 4号楼 2单元 楼道灯",
        (Asset, at_gate.id): "休闲小区 东门摄像头",
    }
    for (model, row_id), label in expected.items():
        queries.statements.clear()
        [row] = await rows_with_parents(model, [row_id])  # type: ignore[type-var]
        assert row is not None
        assert (label_of_row(row), queries.count) == (label, 1)  # the parents come in the same statement
    kind = {Compound: PlaceKind.COMPOUND, Building: PlaceKind.BUILDING, Entrance: PlaceKind.ENTRANCE}
    for (model, row_id), label in expected.items():
        if model in kind:
            assert await labels_by_id(kind[model], [row_id]) == {row_id: label}
    assert await labels_by_id(PlaceKind.ASSET, [on_entrance.id, at_gate.id, 999_999]) == {
        on_entrance.id: "休闲小区 4号楼 2单元 楼道灯",
        at_gate.id: "休闲小区 东门摄像头",
    }


async def test_a_row_read_without_its_parents_has_no_label_rather_than_a_query(queries: QueryCounter) -> None:
    place = await make_neighbourhood()
    bare = await Entrance.get(id=place.entrance.id)
    queries.statements.clear()
    assert label_of_row(bare) is None
    assert queries.count == 0


async def test_many_entrances_cost_one_statement(queries: QueryCounter) -> None:
    place = await make_neighbourhood()
    more = [
        await Entrance.create(community=place.community, building=place.building, name=f"{n}单元")
        for n in range(3, 9)
    ]
    queries.statements.clear()
    labels = await labels_by_id(PlaceKind.ENTRANCE, [e.id for e in more])
    assert queries.count == 1
    assert sorted(labels.values()) == [f"休闲小区 4号楼 {n}单元" for n in range(3, 9)]
