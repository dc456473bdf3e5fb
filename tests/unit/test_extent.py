"""Bounds the map fits for regions and items (issue 13: choosing a region moves the map there)."""

from __future__ import annotations

import pytest
from shapely.geometry import MultiPolygon, box

from alliance_atlas.cartography import extent
from alliance_atlas.data import loading


def test_region_bounds_are_the_union_of_its_states(fixture_atlas):
    # fixture: Armenia is the only south-caucasus state, square(30, 40) -> lon 30..34, lat 40..44
    assert extent.of_regions(fixture_atlas, ["south-caucasus"]) == ((40, 30), (44, 34))
    # two regions: Armenia and Estonia (square(20, 56): lon 20..24, lat 56..60)
    assert extent.of_regions(fixture_atlas, ["south-caucasus", "baltic"]) == ((40, 20), (60, 34))
    assert extent.of_regions(fixture_atlas, []) is None
    assert extent.of_regions(fixture_atlas, ["nowhere"]) is None


def test_parts_across_the_antimeridian_are_left_out():
    russia_like = MultiPolygon([box(20, 54, 179.99, 78), box(-180, 64, -169, 70)])
    assert extent.of_geometries([russia_like]) == ((54, 20), (78, 179.99))
    iceland_to_korea = [box(-24, 63, -13, 66), box(124, 37, 130, 43)]  # wide but not wrapped: kept
    assert extent.of_geometries(iceland_to_korea) == ((37, -24), (66, 130))


def test_item_bounds(fixture_atlas):
    (s, w), (n, e) = extent.of_item(fixture_atlas, "base-a")  # Base A at 42 N, 32 E
    assert (s + n) / 2 == pytest.approx(42) and (w + e) / 2 == pytest.approx(32)
    assert n - s == pytest.approx(2 * extent.POINT_HALF_DEG) and e - w > n - s  # wider in degrees at 42 N
    assert extent.of_item(fixture_atlas, "terr-y") == ((41, 31), (42, 32))
    assert extent.of_item(fixture_atlas, "EST") == ((56, 20), (60, 24))
    assert extent.of_item(fixture_atlas, "nothing") is None


def test_shipped_russia_fits_kaliningrad_to_chukotka():
    atlas = loading.load(loading.data_dir())
    (s, w), (n, e) = extent.of_regions(atlas, ["russia"])
    assert 19 < w < 21 and 179 < e <= 180, (w, e)  # Kaliningrad's west .. the antimeridian
    (s, w), (n, e) = extent.of_regions(atlas, ["south-caucasus"])
    assert 38 < s < 39 and 43 < n < 44 and 39 < w < 41 and 50 < e < 51.5, (s, w, n, e)
