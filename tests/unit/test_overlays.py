"""Uploaded overlays: the hostile corpus, repairs, reprojection, escaping, GeoJSON output."""

from __future__ import annotations

import importlib.util
import json
import math

import pytest
import shapely

from alliance_atlas import safe, uploads
from alliance_atlas.uploads import Limits, reader, to_geojson
from tests.unit.overlay_checks import CORPUS, assert_sound, load, load_overlay

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
