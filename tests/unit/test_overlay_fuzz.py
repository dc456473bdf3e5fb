"""Uploaded overlays from random inputs (hypothesis): every GeoJSON, CSV or byte string is loaded soundly or refused."""

from __future__ import annotations

import json

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_atlas.uploads import Limits
from tests.unit.overlay_checks import assert_sound, load, load_overlay

# -- random inputs (hypothesis) ---------------------------------------------------------

coord = st.one_of(
    st.floats(-200, 200, allow_nan=False),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 1000),
    st.sampled_from([None, "1.5", True, 180, -180, 90, -90, 179.9, -179.9, 1e7, 10**400]),
)
good_position = st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list)
position = st.one_of(good_position, good_position, good_position, st.lists(coord, min_size=0, max_size=4), coord)
ring = st.lists(position, min_size=0, max_size=7)
closed_ring = st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90)), min_size=3, max_size=6).map(
    lambda pts: [list(p) for p in pts] + [list(pts[0])]
)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=12,
)


def geometry_strategy():
    base = st.one_of(
        st.fixed_dictionaries({"type": st.just("Point"), "coordinates": position}),
        st.fixed_dictionaries({"type": st.sampled_from(["MultiPoint", "LineString"]), "coordinates": ring}),
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(["Polygon", "MultiLineString"]),
                "coordinates": st.lists(st.one_of(ring, closed_ring), max_size=3),
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("MultiPolygon"),
                "coordinates": st.lists(st.lists(st.one_of(closed_ring, ring), max_size=2), max_size=2),
            }
        ),
        st.fixed_dictionaries({"type": st.sampled_from(["Circle", None, 5]), "coordinates": position}),
        json_value,
    )
    return st.recursive(
        base,
        lambda inner: st.fixed_dictionaries(
            {"type": st.just("GeometryCollection"), "geometries": st.lists(inner, max_size=3)}
        ),
        max_leaves=4,
    )


good_geometry = st.one_of(
    st.fixed_dictionaries({"type": st.just("Point"), "coordinates": good_position}),
    st.fixed_dictionaries(
        {"type": st.just("LineString"), "coordinates": st.lists(good_position, min_size=2, max_size=5)}
    ),
    st.fixed_dictionaries({"type": st.just("Polygon"), "coordinates": st.lists(closed_ring, min_size=1, max_size=2)}),
)
feature = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "geometry": good_geometry,
            "properties": st.dictionaries(st.text(max_size=8), json_value, max_size=4),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "geometry": geometry_strategy(),
            "properties": st.one_of(st.dictionaries(st.text(max_size=8), json_value, max_size=4), json_value),
        }
    ),
    geometry_strategy(),
    json_value,
)
document = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("FeatureCollection"), "features": st.lists(feature, max_size=6)},
        optional={
            "crs": st.sampled_from(
                [
                    {"type": "name", "properties": {"name": "EPSG:3857"}},
                    {"type": "name", "properties": {"name": "EPSG:4326"}},
                    "EPSG:32637",
                    {"bad": 1},
                    None,
                ]
            )
        },
    ),
    feature,
    json_value,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=document, name=st.sampled_from(["a.geojson", "a.json", "a.csv", "upload"]))
def test_random_geojson_is_loaded_soundly_or_refused(doc, name):
    data = json.dumps(doc, allow_nan=True).encode()
    res = load_overlay(data, name, Limits())
    assert_sound(res)


def good_header(extra: list[str]) -> list[str]:
    return ["lat", "lon", *extra]


header_name = st.one_of(
    st.sampled_from(["lat", "LAT", "Latitude", "y", "lon", "lng", "X", "long", "name", "note", "", "lat ", "geometry"]),
    st.text(max_size=6),
)
cell = st.one_of(
    st.floats(-90, 90).map(str),
    st.floats(-180, 180).map(lambda v: f"{v:.5f}"),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-200, 200).map(str),
    st.text(max_size=8),
    st.sampled_from(["", "NaN", "null", "1e7", "40,5", "=cmd()", "<b>x</b>", '"', "\n"]),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.one_of(
        st.lists(header_name, max_size=3).map(good_header).flatmap(st.permutations),
        st.lists(header_name, min_size=1, max_size=5),
    ),
    rows=st.lists(st.lists(cell, max_size=6), max_size=8),
    delim=st.sampled_from([",", ";", "\t", "|"]),
    name=st.sampled_from(["a.csv", "a.geojson", "a.txt"]),
    bom=st.booleans(),
)
def test_random_csv_is_loaded_soundly_or_refused(header, rows, delim, name, bom):
    text = "\n".join(delim.join(r) for r in [header, *rows])
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8", errors="surrogatepass")
    res = load_overlay(data, name, Limits())
    assert_sound(res)
    if res.needs_columns is not None:
        assert not res.ok and res.needs_columns


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=200), name=st.sampled_from(["a.geojson", "a.csv"]))
def test_random_bytes_are_loaded_soundly_or_refused(data, name):
    assert_sound(load_overlay(data, name, Limits()))


def test_assert_sound_would_catch_a_bad_result():
    """Mutation check on the checker itself: an unrepaired bow-tie or an out-of-range point is caught."""
    res = load("bowtie.geojson")
    res.gdf.loc[0, "geometry"] = shapely.Polygon([(44, 40), (45, 41), (45, 40), (44, 41)])
    with pytest.raises(AssertionError):
        assert_sound(res)
    res = load("single_feature.geojson")
    res.gdf.loc[0, "geometry"] = shapely.Point(200, 40)
    with pytest.raises(AssertionError):
        assert_sound(res)
    res = load("single_feature.geojson")
    res.gdf["name"] = [1]
    with pytest.raises(AssertionError):
        assert_sound(res)
