"""Which area holds a point: inside, outside, on the fence line, and bad polygons."""

from __future__ import annotations

import pytest

from services.district.geo import check_point, contains, valid_polygon
from services.errors import DomainError

SQUARE = [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]
L_SHAPE = [[0, 0], [0, 2], [1, 2], [1, 1], [2, 1], [2, 0]]


@pytest.mark.parametrize(
    ("lat", "lng", "inside"),
    [(0.5, 0.5, True), (1.5, 0.5, False), (0.0, 0.5, True), (1.0, 1.0, True), (-0.1, 0.5, False)],
)
def test_a_square(lat: float, lng: float, inside: bool) -> None:
    assert contains(SQUARE, lat, lng) is inside


def test_a_concave_area_leaves_out_its_notch() -> None:
    assert contains(L_SHAPE, 0.5, 1.5) and contains(L_SHAPE, 1.5, 0.5)
    assert not contains(L_SHAPE, 1.5, 1.5)


def test_bad_polygons_and_points() -> None:
    assert not valid_polygon([[0, 0], [1, 1]])
    assert not valid_polygon([[0, 0], [1, 1], [0, float("nan")]])
    assert not valid_polygon("0,0 1,1 2,2")
    assert check_point(None, None) is None
    with pytest.raises(DomainError) as half:
        check_point(47.0, None)
    assert half.value.field == "longitude"
    with pytest.raises(DomainError):
        check_point(float("inf"), 130.0)
