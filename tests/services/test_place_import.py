"""Importing a community office's register of places from CSV."""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from typing import TextIO

import pytest

from models.places import Building, Community, Compound, Entrance, Household
from services.errors import ErrorCode
from services.places.importer import ImportSummary, PlaceImportError, import_places

HEADER = "compound,building,entrance,household,area_m2"

GOOD_ROWS = [
    "幸福小区,1号楼,1单元,101,85.50",
    "幸福小区,1号楼,1单元,102,72",
    "幸福小区,1号楼,2单元,101,85.50",
    "幸福小区,2号楼,1单元,101,",
    "休闲小区,1号楼,1单元,101,60.25",
    "休闲小区,1号楼,1单元,201,60.25",
]


def csv_file(*lines: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *lines]) + "\n")


async def community(slug: str = "hongxing") -> Community:
    return await Community.create(name="红星社区", slug=slug)


async def place_counts() -> tuple[int, int, int, int]:
    return (
        await Compound.all().count(),
        await Building.all().count(),
        await Entrance.all().count(),
        await Household.all().count(),
    )


async def import_problems(target: Community, source: TextIO) -> list[tuple[int, str | None]]:
    with pytest.raises(PlaceImportError) as raised:
        await import_places(target, source)
    assert raised.value.code == ErrorCode.INVALID_INPUT
    return [(problem.line, problem.column) for problem in raised.value.problems]


def register(buildings: int = 34, entrances: int = 3, floors: int = 16) -> tuple[str, int]:
    """A register the size of the real community's: about 3,200 households."""
    lines = [HEADER]
    for building in range(1, buildings + 1):
        for entrance in range(1, entrances + 1):
            for floor in range(1, floors + 1):
                for flat in (1, 2):
                    lines.append(f"小区{building % 8},{building}号楼,{entrance}单元,{floor}{flat:02d},72.5")
    return "\n".join(lines) + "\n", len(lines) - 1


async def test_a_good_file_creates_every_level() -> None:
    target = await community()

    summary = await import_places(target, csv_file(*GOOD_ROWS))

    assert summary == ImportSummary(
        compounds_created=2,
        buildings_created=3,
        entrances_created=4,
        households_created=6,
        households_updated=0,
        households_unchanged=0,
        rows=6,
    )
    assert await place_counts() == (2, 3, 4, 6)
    household = await Household.get(number="102").prefetch_related("entrance__building__compound")
    assert household.area_m2 == Decimal("72.00")
    assert household.entrance.name == "1单元"
    assert household.entrance.building.name == "1号楼"
    assert household.entrance.building.compound.name == "幸福小区"
    assert (await Household.get(entrance__building__name="2号楼")).area_m2 is None


async def test_every_place_carries_its_community() -> None:
    target = await community()

    await import_places(target, csv_file(*GOOD_ROWS))

    for model in (Compound, Building, Entrance, Household):
        assert set(await model.all().values_list("community_id", flat=True)) == {target.id}


async def test_importing_the_same_file_again_changes_nothing() -> None:
    target = await community()
    await import_places(target, csv_file(*GOOD_ROWS))

    summary = await import_places(target, csv_file(*GOOD_ROWS))

    assert summary == ImportSummary(households_unchanged=6, rows=6)
    assert await place_counts() == (2, 3, 4, 6)


async def test_a_changed_area_is_updated_and_an_empty_one_keeps_what_is_stored() -> None:
    target = await community()
    await import_places(target, csv_file(*GOOD_ROWS))
    changed = [row.replace("72", "73.1") for row in GOOD_ROWS]
    changed[0] = "幸福小区,1号楼,1单元,101,"

    summary = await import_places(target, csv_file(*changed))

    assert (summary.households_updated, summary.households_unchanged, summary.households_created) == (1, 5, 0)
    assert (await Household.get(number="102")).area_m2 == Decimal("73.10")
    first = await Household.get(
        number="101",
        entrance__name="1单元",
        entrance__building__name="1号楼",
        entrance__building__compound__name="幸福小区",
    )
    assert first.area_m2 == Decimal("85.50")


async def test_a_new_household_in_an_existing_entrance_is_added() -> None:
    target = await community()
    await import_places(target, csv_file(*GOOD_ROWS))

    summary = await import_places(target, csv_file(*GOOD_ROWS, "幸福小区,1号楼,1单元,201,85.50"))

    assert (summary.entrances_created, summary.households_created, summary.households_unchanged) == (0, 1, 6)
    entrance = await Entrance.get(name="1单元", building__name="1号楼", building__compound__name="幸福小区")
    assert await Household.filter(entrance=entrance).count() == 3


async def test_broken_rows_are_all_reported_by_line_and_nothing_is_written() -> None:
    target = await community()
    await import_places(target, csv_file(*GOOD_ROWS[:2]))
    before = await place_counts()
    rows = [
        "光明小区,1号楼,1单元,101,50",  # line 2
        "光明小区,1号楼,1单元,102,50",
        "光明小区,1号楼,1单元,103,50",
        "光明小区,1号楼,,104,50",  # line 5: no entrance
        "光明小区,1号楼,1单元,105,50",
        "光明小区,1号楼,1单元,106,50",
        "光明小区,1号楼,1单元,107,50",
        "光明小区,1号楼,1单元,108,-3",  # line 9: a negative area
        "光明小区,1号楼,1单元,109,50",
    ]

    problems = await import_problems(target, csv_file(*rows))

    assert problems == [(5, "entrance"), (9, "area_m2")]
    assert await place_counts() == before


async def test_the_error_message_counts_the_problems() -> None:
    target = await community()

    with pytest.raises(PlaceImportError) as raised:
        await import_places(target, csv_file("A,1,1,,", "A,1,1,2,x"))

    assert raised.value.message.startswith("2 problems")


async def test_a_household_twice_in_one_entrance_is_a_problem_on_its_second_line() -> None:
    target = await community()
    rows = ["幸福小区,1号楼,1单元,101,50", "幸福小区,1号楼,2单元,101,50", "幸福小区,1号楼,1单元,101,51"]

    with pytest.raises(PlaceImportError) as raised:
        await import_places(target, csv_file(*rows))

    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (4, "household")
    assert "line 2" in problem.message
    assert await place_counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("area", ["0", "-1", "12.345", "100000", "1e3", "abc", '"85,5"', "NaN", "85.5㎡"])
async def test_an_area_must_be_a_positive_number_with_at_most_two_decimals(area: str) -> None:
    target = await community()

    assert await import_problems(target, csv_file(f"A,1号楼,1单元,101,{area}")) == [(2, "area_m2")]


@pytest.mark.parametrize(("area", "stored"), [("85.5", "85.50"), ("85.500", "85.50"), ("99999", "99999.00")])
async def test_areas_that_are_accepted(area: str, stored: str) -> None:
    target = await community()

    await import_places(target, csv_file(f"A,1号楼,1单元,101,{area}"))

    assert (await Household.get(number="101")).area_m2 == Decimal(stored)


async def test_names_longer_than_the_register_can_hold_are_problems() -> None:
    target = await community()

    problems = await import_problems(target, csv_file(f"{'小' * 101},1号楼,1单元,{'1' * 41},50"))

    assert problems == [(2, "compound"), (2, "household")]


async def test_a_row_with_the_wrong_number_of_columns_is_a_problem() -> None:
    target = await community()

    problems = await import_problems(
        target, csv_file("A,1号楼,1单元,101,50", "A,1号楼,1单元,102", "A,1,1,1,1,1")
    )

    assert problems == [(3, None), (4, None)]


async def test_a_header_without_the_required_columns_is_a_problem_on_line_1() -> None:
    target = await community()

    problems = await import_problems(target, csv_file("A,1号楼,1单元", header="compound,building,entrance"))

    assert problems == [(1, "household"), (1, "area_m2")]


async def test_an_empty_file_is_a_problem() -> None:
    target = await community()

    assert await import_problems(target, io.StringIO("")) == [(1, None)]
    assert await import_problems(target, io.StringIO(HEADER + "\n")) == [(1, None)]


async def test_chinese_headers_in_any_order_with_extra_columns() -> None:
    target = await community()
    source = csv_file("张三,101,幸福小区,1号楼,1单元,85.5", header=" 户主 ,户号,小区,楼栋,单元,面积")

    summary = await import_places(target, source)

    assert summary.households_created == 1
    household = await Household.get(number="101").prefetch_related("entrance__building__compound")
    assert household.entrance.building.compound.name == "幸福小区"


async def test_english_headers_are_matched_loosely() -> None:
    target = await community()

    summary = await import_places(
        target, csv_file(*GOOD_ROWS, header=" Compound ,BUILDING,Entrance,Household,Area_m2")
    )

    assert summary.households_created == 6


async def test_a_byte_order_mark_is_ignored() -> None:
    target = await community()
    data = ("\ufeff小区,楼栋,单元,户号,面积\r\n幸福小区,1号楼,1单元,101,85.5\r\n").encode()

    summary = await import_places(target, io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))

    assert summary.households_created == 1


async def test_a_file_that_is_not_utf8_is_refused_as_a_whole() -> None:
    target = await community()
    data = "小区,楼栋,单元,户号,面积\n幸福小区,1号楼,1单元,101,85.5\n".encode("gbk")

    problems = await import_problems(target, io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))

    assert problems == [(0, None)]


async def test_line_numbers_count_physical_lines_and_blank_rows_are_skipped() -> None:
    target = await community()
    rows = ['A,"1号楼', '（东）",1单元,101,50', "", ",,,,", "A,1号楼,1单元,,50"]

    assert await import_problems(target, csv_file(*rows)) == [(6, "household")]


async def test_the_same_names_in_another_community_are_other_places() -> None:
    hongxing, binhe = await community("hongxing"), await community("binhe")
    await import_places(hongxing, csv_file(*GOOD_ROWS))

    summary = await import_places(binhe, csv_file(*GOOD_ROWS))

    assert summary.households_created == 6
    assert await Household.filter(community_id=binhe.id).count() == 6
    assert await Household.filter(community_id=hongxing.id).count() == 6


async def test_a_real_sized_register_takes_a_bounded_number_of_queries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = await community()
    text, rows = register()
    reported: list[tuple[int, int]] = []
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")

    summary = await import_places(
        target, io.StringIO(text), lambda done, total: reported.append((done, total))
    )

    assert summary.households_created == rows > 3000
    queries = [record for record in caplog.records if record.name == "tortoise.db_client"]
    assert len(queries) < 30
    assert reported[0] == (0, rows)
    assert reported[-1] == (rows, rows)
    assert [done for done, _total in reported] == sorted(done for done, _total in reported)
