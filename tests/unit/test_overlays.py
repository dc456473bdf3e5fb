"""Uploaded overlays: the hostile corpus, random inputs (hypothesis), limits, GeoJSON output."""

from __future__ import annotations

import importlib.util
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_atlas import safe, uploads
from alliance_atlas.uploads import Limits, OverlayResult, reader, to_geojson

CORPUS = Path(__file__).resolve().parents[1] / "overlay_corpus"


def load_overlay(data, filename, limits=None, **kw) -> OverlayResult:
    """The real entry point with strict=True: a programming error must fail the test, not turn
    into a polite refusal."""
    return uploads.load_overlay(data, filename, limits, strict=True, **kw)


def assert_sound(res: OverlayResult) -> None:
    """The contract: ok with valid EPSG:4326 geometries and string properties, or a refusal with a message."""
    assert isinstance(res.message, str) and res.message.strip()
    if not res.ok:
        assert res.gdf is None and res.loaded == 0
        return
    gdf = res.gdf
    assert gdf is not None and len(gdf) == res.loaded > 0
    assert gdf.crs.to_epsg() == 4326
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    b = shapely.total_bounds(geoms)
    assert -180 <= b[0] <= b[2] <= 180 and -90 <= b[1] <= b[3] <= 90, b
    for col in gdf.columns:
        if col != gdf.geometry.name:
            assert all(isinstance(v, str) for v in gdf[col]), col


# filename -> (ok, loaded, dropped, repaired, fragment of the message)
EXPECTED: dict[str, tuple[bool, int, int, int, str]] = {
    "empty.geojson": (False, 0, 0, 0, "is empty"),
    "whitespace_only.geojson": (False, 0, 0, 0, "is empty"),
    "not_json.geojson": (False, 0, 0, 0, "is not valid JSON (it starts with 'hello, this is not"),
    "plain_words.geojson": (False, 0, 0, 0, "is not valid JSON (it starts with 'hello world'"),
    "truncated.geojson": (False, 0, 0, 0, "cut off (truncated)"),
    "trailing_garbage.geojson": (False, 0, 0, 0, "not valid JSON: Extra data (line 2"),
    "deep_brackets.json": (False, 0, 0, 0, "nested too deeply to read"),
    "zip_posing.geojson": (False, 0, 0, 0, "is a ZIP archive, not GeoJSON or CSV"),
    "gzip_posing.geojson": (False, 0, 0, 0, "is a gzip-compressed file"),
    "pdf_posing.geojson": (False, 0, 0, 0, "is a PDF document"),
    "png_posing.geojson": (False, 0, 0, 0, "is a PNG image"),
    "sqlite_posing.geojson": (False, 0, 0, 0, "SQLite database (a GeoPackage?)"),
    "shapefile_posing.geojson": (False, 0, 0, 0, "is an ESRI shapefile"),
    "nul_bytes.csv": (False, 0, 0, 0, "contains binary data (NUL bytes)"),
    "kml_posing.geojson": (False, 0, 0, 0, "is KML"),
    "html_posing.geojson": (False, 0, 0, 0, "is a web page (HTML)"),
    "utf8_bom.geojson": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "utf16_bom.geojson": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "utf16_bom.csv": (True, 1, 0, 0, "Loaded 1 of 1 rows."),
    "latin1.csv": (False, 0, 0, 0, "is not UTF-8 text (byte 0xE9 on line 2"),
    "cp1251.geojson": (False, 0, 0, 0, "is not UTF-8 text (byte 0xC5 on line 1"),
    "bare_geometry.json": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "single_feature.geojson": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "json_array.json": (False, 0, 0, 0, "is a JSON array, not GeoJSON"),
    "topojson.json": (False, 0, 0, 0, "is TopoJSON"),
    "no_type.json": (False, 0, 0, 0, 'has no "type" member'),
    "empty_collection.geojson": (False, 0, 0, 0, "has no features"),
    "features_not_list.geojson": (False, 0, 0, 0, 'no "features" list'),
    "mixed_junk_features.geojson": (True, 2, 5, 0, "5 dropped (4 that are not Features, 1 with unknown geometry type)"),
    "geometry_collection.geojson": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "null_coords.geojson": (
        True,
        1,
        6,
        0,
        "Loaded 1 of 7 features; 6 dropped (5 with null coordinates, 1 without geometry)",
    ),
    "string_coords.geojson": (True, 1, 2, 0, "2 dropped (2 with non-numeric coordinates)"),
    "lat_out_of_range.csv": (True, 1, 2, 0, "Loaded 1 of 3 rows; 2 dropped (2 with latitude outside ±90)"),
    "lon_out_of_range.geojson": (True, 1, 2, 0, "2 dropped (2 with longitude outside ±180)"),
    "csv_bad_rows.csv": (
        True,
        3,
        4,
        0,
        "Loaded 3 of 7 rows; 4 dropped (3 with null coordinates, 1 with non-numeric coordinates)",
    ),
    "semicolon_decimal_comma.csv": (True, 2, 0, 0, "Loaded 2 of 2 rows."),
    "tab_separated.csv": (True, 1, 0, 0, "Loaded 1 of 1 rows."),
    "ambiguous_columns.csv": (False, 0, 0, 0, "Several columns could hold the coordinates (lat, y, lon, x)"),
    "no_coord_columns.csv": (False, 0, 0, 0, "No latitude/longitude columns found"),
    "no_numbers.csv": (False, 0, 0, 0, "fewer than two columns hold numbers"),
    "header_only.csv": (False, 0, 0, 0, "has a header but no data rows"),
    "csv_named_geojson.geojson": (True, 2, 0, 0, "Loaded 2 of 2 rows."),
    "geojson_named_csv.csv": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "upper_case_columns.csv": (True, 1, 0, 0, "Loaded 1 of 1 rows."),
    "declared_3857.geojson": (True, 1, 0, 0, "Loaded 1 of 1 features; reprojected from EPSG:3857 to WGS 84."),
    "declared_crs84.geojson": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "undeclared_metres.geojson": (False, 0, 0, 0, "look like metres in a projected system (e.g. 4,955,430"),
    "metres.csv": (False, 0, 0, 0, "look like metres in a projected system"),
    "unknown_crs.geojson": (False, 0, 0, 0, "EPSG:999999, which is not known"),
    "proj_string_crs.geojson": (False, 0, 0, 0, "which is not an EPSG code"),
    "unclosed_ring.geojson": (True, 1, 0, 1, "1 repaired (1 with unclosed rings (closed))"),
    "bowtie.geojson": (True, 1, 0, 1, "1 repaired (1 with a self-intersecting polygon (fixed with make_valid))"),
    "too_few_points.geojson": (True, 1, 2, 0, "2 dropped (2 with too few positions)"),
    "antimeridian_chukotka.geojson": (True, 1, 0, 1, "1 crossing the antimeridian (split at ±180)"),
    "antimeridian_line.geojson": (True, 1, 0, 1, "1 crossing the antimeridian (split at ±180)"),
    "deep_properties.geojson": (True, 1, 0, 1, "nested deeper than 20 levels (flattened to text)"),
    "huge_property.geojson": (True, 1, 0, 1, "with property values truncated to 10,000 characters"),
    "xss_properties.geojson": (True, 2, 0, 0, "Loaded 2 of 2 features."),
    "xss.csv": (True, 2, 0, 0, "Loaded 2 of 2 rows."),
    "property_named_geometry.geojson": (True, 1, 0, 0, "Loaded 1 of 1 features."),
    "properties_not_object.geojson": (True, 1, 0, 1, "properties that were not an object (kept as text)"),
}


def load(name: str, **kw) -> OverlayResult:
    return load_overlay((CORPUS / name).read_bytes(), name, Limits(), **kw)


def test_corpus_has_thirty_small_files_and_all_are_in_the_table():
    stored = {p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py"}
    assert len(stored) >= 30
    assert stored == set(EXPECTED)
    assert max((CORPUS / n).stat().st_size for n in stored) < 16_000


def test_stored_corpus_is_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.files()
    assert set(made) == set(EXPECTED)
    for name, data in made.items():
        stored = (CORPUS / name).read_bytes()
        if name in ("zip_posing.geojson", "gzip_posing.geojson"):  # compressor output may differ by zlib build
            assert stored[:4] == data[:4], name
        else:
            assert stored == data, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_outcome(name):
    ok, loaded, dropped, repaired, fragment = EXPECTED[name]
    res = load(name)
    assert (res.ok, res.loaded, res.dropped, res.repaired) == (ok, loaded, dropped, repaired), res.message
    assert fragment in res.message
    assert_sound(res)
    assert len(res.problems) >= dropped + repaired  # a row-level line for each
    if res.ok:
        assert len(json.loads(to_geojson(res.gdf))["features"]) == loaded


def test_row_messages_name_the_row_and_value():
    res = load("lat_out_of_range.csv")
    assert res.problems == [
        "row 3: latitude 95.2 is outside ±90 — dropped",
        "row 4: latitude -91 is outside ±90 — dropped",
    ]
    res = load("csv_bad_rows.csv")
    assert "row 3: latitude 'abc' is not a number — dropped" in res.problems
    assert "row 7: has 4 fields but the header has 3 — extra fields ignored" in res.problems
    assert list(res.gdf["name"]) == ["ok", "long", "ok2"]
    res = load("lon_out_of_range.geojson")
    assert res.problems[0] == "feature 1: longitude 200 is outside ±180 — dropped"


def test_ambiguous_csv_asks_for_columns_and_loads_once_chosen():
    res = load("ambiguous_columns.csv")
    assert not res.ok and res.needs_columns == ["lat", "y", "lon", "x"]
    chosen = load("ambiguous_columns.csv", lat_col="y", lon_col="x")
    assert chosen.ok and chosen.loaded == 1
    assert set(chosen.gdf.columns) == {"name", "lat", "lon", "geometry"}
    assert load("no_coord_columns.csv").needs_columns == ["a", "b"]
    picked = load("no_coord_columns.csv", lat_col="a", lon_col="b")
    assert picked.ok and (picked.gdf.geometry.iloc[0].x, picked.gdf.geometry.iloc[0].y) == (44.5, 40.1)
    wrong = load("no_coord_columns.csv", lat_col="nope", lon_col="b")
    assert not wrong.ok and "'nope' is not in the file" in wrong.message


def test_encodings_decode_to_the_same_text():
    assert load("utf16_bom.geojson").gdf["name"].iloc[0] == "Ереван"
    assert load("utf8_bom.geojson").gdf["name"].iloc[0] == "Ереван"
    assert load("utf16_bom.csv").gdf["name"].iloc[0] == "Гюмри"


def test_reprojection_from_declared_3857():
    g = load("declared_3857.geojson").gdf.geometry.iloc[0]
    # spherical Mercator inverse, written out (independent of pyproj): R = 6378137 m
    r = 6378137.0
    lon = math.degrees(4955430.0 / r)
    lat = math.degrees(2 * math.atan(math.exp(4901000.0 / r)) - math.pi / 2)
    assert g.x == pytest.approx(lon, abs=1e-6) and g.y == pytest.approx(lat, abs=1e-6)
    assert 44.4 < g.x < 44.6 and 40.1 < g.y < 40.3  # Yerevan


def test_antimeridian_polygon_is_split_into_two_halves():
    res = load("antimeridian_chukotka.geojson")
    g = res.gdf.geometry.iloc[0]
    assert g.geom_type == "MultiPolygon" and len(g.geoms) == 2
    west, east = sorted(g.geoms, key=lambda p: p.bounds[0])
    assert west.bounds == pytest.approx((-180, 64, -170, 68))
    assert east.bounds == pytest.approx((170, 64, 180, 68))
    assert "feature 1: crosses the antimeridian — split at ±180 into 2 parts" in res.problems


def test_polygon_near_but_not_across_the_antimeridian_is_untouched():
    doc = {"type": "Polygon", "coordinates": [[[170, 60], [179.9, 60], [179.9, 65], [170, 65], [170, 60]]]}
    res = load_overlay(json.dumps(doc).encode(), "east.geojson", Limits())
    assert res.ok and res.repaired == 0 and res.gdf.geometry.iloc[0].geom_type == "Polygon"


def test_bowtie_is_repaired_into_two_triangles():
    g = load("bowtie.geojson").gdf.geometry.iloc[0]
    assert g.geom_type == "MultiPolygon" and g.area == pytest.approx(0.5)


def test_deep_and_huge_properties():
    res = load("deep_properties.geojson")
    nested = res.gdf["nested"].iloc[0]
    assert nested.startswith('{"l1": {"l2":') and '"…"' in nested and "bottom" not in nested
    assert json.loads(res.gdf["shallow"].iloc[0]) == {"l1": {"l2": {"l3": "bottom"}}}
    big = load("huge_property.geojson").gdf["big"].iloc[0]
    assert len(big) == 10_000 and big.endswith("…")


def test_property_named_geometry_is_renamed_and_feature_id_kept():
    gdf = load("property_named_geometry.geojson").gdf
    assert gdf["geometry_"].iloc[0] == "a string" and gdf["id"].iloc[0] == "x"
    res = load("properties_not_object.geojson")
    assert res.gdf["id"].iloc[0] == "7" and res.gdf["properties"].iloc[0] == "[1, 2]"


@pytest.mark.parametrize("name", ["xss_properties.geojson", "xss.csv"])
def test_escaped_hostile_properties_have_no_active_characters(name):
    gdf = load(name).gdf
    values = [v for col in gdf.columns if col != "geometry" for v in gdf[col]] + list(gdf.columns)
    assert any("<" in v or "$" in v or "`" in v for v in values)  # the payloads survived as plain text
    for v in values:
        out = safe.esc(v)
        assert "<" not in out and "`" not in out and "$" not in out, out


def test_to_geojson_is_rfc7946():
    gdf = load("antimeridian_chukotka.geojson").gdf
    doc = json.loads(to_geojson(gdf))
    assert "crs" not in doc and doc["type"] == "FeatureCollection"
    for poly in doc["features"][0]["geometry"]["coordinates"]:
        assert shapely.LinearRing(poly[0]).is_ccw
    # a clockwise input comes out counter-clockwise
    cw = {"type": "Polygon", "coordinates": [[[44, 40], [44, 41], [45, 41], [45, 40], [44, 40]]]}
    out = json.loads(to_geojson(load_overlay(json.dumps(cw).encode(), "cw.geojson").gdf))
    assert shapely.LinearRing(out["features"][0]["geometry"]["coordinates"][0]).is_ccw
    # a GeoDataFrame in another CRS is brought back to EPSG:4326
    moved = json.loads(to_geojson(gdf.to_crs(3857)))
    xs = [c[0] for p in moved["features"][0]["geometry"]["coordinates"] for c in p[0]]
    assert max(abs(x) for x in xs) <= 180


def test_unexpected_error_becomes_a_refusal_when_not_strict(monkeypatch):
    def boom(*a, **k):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(reader, "load_geojson", boom)
    data = (CORPUS / "single_feature.geojson").read_bytes()
    res = uploads.load_overlay(data, "single_feature.geojson", Limits())  # strict=False, as the app calls it
    assert not res.ok and "unexpected error (ZeroDivisionError)" in res.message
    with pytest.raises(ZeroDivisionError):
        uploads.load_overlay(data, "single_feature.geojson", Limits(), strict=True)


def test_not_bytes_is_refused():
    res = load_overlay(None, "x.csv")  # type: ignore[arg-type]
    assert not res.ok and "no file content" in res.message


# -- limits ---------------------------------------------------------------------------


def points_geojson(n: int, pad: int = 0) -> bytes:
    extra = f',"pad":"{"x" * pad}"' if pad else ""
    body = ",".join(
        f'{{"type":"Feature","properties":{{"i":{i}{extra}}},"geometry":{{"type":"Point","coordinates":'
        f"[{20 + (i % 1000) * 0.05:.4f},{40 + (i // 1000) * 0.01:.4f}]}}}}"
        for i in range(n)
    )
    return f'{{"type":"FeatureCollection","features":[{body}]}}'.encode()


def test_limits_defaults_and_env():
    d = Limits()
    assert (d.max_bytes, d.max_features, d.max_seconds, d.max_property_chars, d.max_depth) == (
        20 * 1024 * 1024,
        50_000,
        5.0,
        10_000,
        20,
    )
    env = {"ATLAS_OVERLAY_MAX_MB": "2.5", "ATLAS_OVERLAY_MAX_FEATURES": "100", "ATLAS_OVERLAY_MAX_SECONDS": "0.5"}
    lim = Limits.from_env(env)
    assert (lim.max_bytes, lim.max_features, lim.max_seconds) == (int(2.5 * 1024 * 1024), 100, 0.5)
    assert (
        Limits.from_env(
            {"ATLAS_OVERLAY_MAX_MB": "lots", "ATLAS_OVERLAY_MAX_SECONDS": "-1", "ATLAS_OVERLAY_MAX_FEATURES": "nan"}
        )
        == Limits()
    )


def test_env_limits_are_used_by_default(monkeypatch):
    monkeypatch.setenv("ATLAS_OVERLAY_MAX_FEATURES", "3")
    res = load_overlay(points_geojson(4), "four.geojson")
    assert not res.ok and "limit is 3 (ATLAS_OVERLAY_MAX_FEATURES)" in res.message
    assert load_overlay(points_geojson(3), "three.geojson").ok


def test_too_big_file_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "big.geojson"
    path.write_bytes(points_geojson(2200, pad=10_000))
    data = path.read_bytes()
    assert 21 * 1024 * 1024 <= len(data) < 22 * 1024 * 1024
    t0 = time.monotonic()
    res = load_overlay(data, "big.geojson", Limits())
    assert time.monotonic() - t0 < 1.0
    assert not res.ok
    assert res.message == "File is 21 MB; the limit is 20 MB (ATLAS_OVERLAY_MAX_MB). Split the file or simplify it."
    assert load_overlay(data, "big.geojson", Limits(max_bytes=30 * 1024 * 1024)).ok  # only the size was wrong


def test_too_many_features_is_refused_naming_the_limit():
    # the feature limit is what is tested: a loaded machine must not hit the time limit first
    res = load_overlay(points_geojson(50_001), "many.geojson", Limits(max_seconds=600))
    assert not res.ok
    assert "50,001 features; the limit is 50,000 (ATLAS_OVERLAY_MAX_FEATURES)" in res.message
    rows = "lat,lon\n" + "40.1,44.5\n" * 50_001
    res = load_overlay(rows.encode(), "many.csv", Limits(max_seconds=600))
    assert not res.ok and "more than 50,000 rows" in res.message and "ATLAS_OVERLAY_MAX_FEATURES" in res.message


def test_slow_parse_is_refused_naming_the_limit():
    data = points_geojson(5000)
    res = load_overlay(data, "slow.geojson", Limits(max_seconds=1e-6))
    assert not res.ok and "ATLAS_OVERLAY_MAX_SECONDS" in res.message and "took more than" in res.message
    assert load_overlay(data, "slow.geojson", Limits()).ok  # the same file within the normal limit


def test_ten_thousand_point_csv_is_fast():
    lines = ["name,lat,lon"] + [f"p{i},{40 + (i % 100) * 0.1:.3f},{20 + (i // 100) * 0.5:.3f}" for i in range(10_000)]
    lim = Limits()
    t0 = time.monotonic()
    res = load_overlay("\n".join(lines).encode(), "points.csv", lim)
    took = time.monotonic() - t0
    assert res.ok and res.loaded == 10_000, res.message
    assert took < lim.max_seconds / 2, took


def test_problem_list_is_capped_but_counts_are_complete():
    rows = "lat,lon\n" + "95,44\n" * 500 + "40,44\n"
    res = load_overlay(rows.encode(), "bad.csv", Limits())
    assert res.ok and res.dropped == 500 and "500 dropped (500 with latitude outside ±90)" in res.message
    assert len(res.problems) == uploads.MAX_PROBLEMS + 1 and res.problems[-1].startswith("… and 300 more")


def test_too_many_property_names_are_ignored_with_a_note():
    feats = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [44, 40]}, "properties": {f"k{i}": i}}
        for i in range(600)
    ]
    res = load_overlay(json.dumps({"type": "FeatureCollection", "features": feats}).encode(), "wide.geojson", Limits())
    assert res.ok and len(res.gdf.columns) == 501 and "100 property names beyond the first 500 ignored" in res.message


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
