"""Write the hostile/malformed upload corpus used by tests/unit/test_overlays.py (and its companions).

    .venv/bin/python tests/overlay_corpus/make_corpus.py

Every file is small (a few KB at most); the oversized cases (bytes, features) are built
at test time in a temporary folder. The expected outcome of each file is the table in
tests/unit/test_overlays.py; a test checks that this script and the stored files agree.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

XSS = [
    "<img src=x onerror=alert(1)>",
    "${alert(2)}",
    "`backtick`",
    "</script><script>alert(3)</script>",
    "javascript:alert(4)",
    "\\u0060${x}",
    "<svg onload=alert(5)>",
]


def fc(*features, **extra) -> dict:
    return {"type": "FeatureCollection", **extra, "features": list(features)}


def feat(geom, /, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geom}


def pt(lon, lat) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def poly(*rings) -> dict:
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


SQUARE = [[44.0, 40.0], [45.0, 40.0], [45.0, 41.0], [44.0, 41.0], [44.0, 40.0]]  # Armenia-ish


def js(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def deep(levels: int) -> object:
    value: object = "bottom"
    for i in range(levels):
        value = {f"l{levels - i}": value}
    return value


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            zipfile.ZipInfo("inside.geojson", date_time=(2026, 1, 1, 0, 0, 0)), json.dumps(fc(feat(pt(44.5, 40.2))))
        )  # a fixed date: the same bytes on every run
    return buf.getvalue()


def files() -> dict[str, bytes]:
    good = fc(feat(pt(44.5152, 40.1872), name="Yerevan"))
    gyumri_csv = "name,lat,lon\nGyumri,40.7894,43.8475\nYerevan,40.1792,44.4991\n"
    return {
        # --- empty, not JSON, truncated ------------------------------------------------
        "empty.geojson": b"",
        "whitespace_only.geojson": b"  \n\t\r\n  ",
        "not_json.geojson": b"hello, this is not json\n",
        "plain_words.geojson": b"hello world\n",
        "truncated.geojson": js(fc(feat(pt(44.5, 40.2), name="a"), feat(pt(43.8, 40.8), name="b")))[:70],
        "trailing_garbage.geojson": js(good) + b"\n}}garbage",
        "deep_brackets.json": b"[" * 5000 + b"]" * 5000,
        # --- binary posing as GeoJSON --------------------------------------------------
        "zip_posing.geojson": _zip(),
        "gzip_posing.geojson": gzip.compress(js(good), mtime=0),
        "pdf_posing.geojson": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer\n%%EOF\n",
        "png_posing.geojson": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02",
        "sqlite_posing.geojson": b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\x00" * 40,
        "shapefile_posing.geojson": b"\x00\x00\x27\x0a" + b"\x00" * 20 + b"\x00\x00\x00\x32\xe8\x03\x00\x00",
        "nul_bytes.csv": b"name,lat,lon\nA\x00B,40,44\n",
        "kml_posing.geojson": b'<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark/></kml>\n',
        "html_posing.geojson": b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n",
        # --- encodings -----------------------------------------------------------------
        "utf8_bom.geojson": b"\xef\xbb\xbf" + js(fc(feat(pt(44.5, 40.2), name="Ереван"))),
        "utf16_bom.geojson": b"\xff\xfe"
        + json.dumps(fc(feat(pt(44.5, 40.2), name="Ереван")), ensure_ascii=False).encode("utf-16-le"),
        "utf16_bom.csv": b"\xff\xfe" + "name,lat,lon\nГюмри,40.7894,43.8475\n".encode("utf-16-le"),
        "latin1.csv": "name,lat,lon\nCafé,40.1,44.5\n".encode("latin-1"),
        "cp1251.geojson": json.dumps(fc(feat(pt(44.5, 40.2), name="Ереван")), ensure_ascii=False).encode("cp1251"),
        # --- structure -----------------------------------------------------------------
        "bare_geometry.json": js(pt(44.5152, 40.1872)),
        "single_feature.geojson": js(feat(poly(SQUARE), name="square")),
        "json_array.json": b"[1, 2, 3]",
        "topojson.json": js({"type": "Topology", "objects": {}, "arcs": []}),
        "no_type.json": js({"features": []}),
        "empty_collection.geojson": js(fc()),
        "features_not_list.geojson": js({"type": "FeatureCollection", "features": {"a": 1}}),
        "mixed_junk_features.geojson": js(
            fc(
                feat(pt(44.5, 40.2), name="kept"),
                5,
                "text",
                None,
                {"type": "Circle", "radius": 3},
                {"type": "Point", "coordinates": [43.8, 40.8]},  # a bare geometry in the list: kept
                feat({"type": "Circle", "coordinates": [1, 2]}),
            )
        ),
        "geometry_collection.geojson": js(
            fc(
                feat(
                    {
                        "type": "GeometryCollection",
                        "geometries": [pt(44.5, 40.2), {"type": "LineString", "coordinates": [[44, 40], [45, 41]]}],
                    },
                    name="gc",
                )
            )
        ),
        # --- coordinates ---------------------------------------------------------------
        "null_coords.geojson": (
            b'{"type":"FeatureCollection","features":['
            b'{"type":"Feature","properties":{"n":"ok"},"geometry":{"type":"Point","coordinates":[44.5,40.2]}},'
            b'{"type":"Feature","properties":{"n":"null"},"geometry":{"type":"Point","coordinates":null}},'
            b'{"type":"Feature","properties":{"n":"pair"},"geometry":{"type":"Point","coordinates":[null,null]}},'
            b'{"type":"Feature","properties":{"n":"nan"},"geometry":{"type":"Point","coordinates":[NaN,40.0]}},'
            b'{"type":"Feature","properties":{"n":"missing"},"geometry":{"type":"Point"}},'
            b'{"type":"Feature","properties":{"n":"inf"},"geometry":{"type":"Point","coordinates":[Infinity,1]}},'
            b'{"type":"Feature","properties":{"n":"nogeom"},"geometry":null}'
            b"]}"
        ),
        "string_coords.geojson": js(fc(feat(pt("44.5", "40.2")), feat(pt(44.5, 40.2)), feat(pt(True, 40.2)))),
        "lat_out_of_range.csv": b"name,lat,lon\nok,40.1,44.5\nnorth,95.2,44.5\nsouth,-91,44.5\n",
        "lon_out_of_range.geojson": js(fc(feat(pt(200.0, 40.0)), feat(pt(44.5, 40.2)), feat(pt(-180.5, 10)))),
        "csv_bad_rows.csv": (
            b"name,lat,lon\nok,40.1,44.5\nwords,abc,44\nempty,,44\nnan,NaN,44\n"
            b"short,40.2\nlong,40.3,44.6,extra\n\nok2,41,45\n"
        ),
        "semicolon_decimal_comma.csv": b"name;lat;lon\nGyumri;40,7894;43,8475\nKant;42,853;74,846\n",
        "tab_separated.csv": b"Name\tLatitude\tLongitude\nKant\t42.853\t74.846\n",
        "ambiguous_columns.csv": b"name,lat,y,lon,x\na,40,40,44,44\n",
        "no_coord_columns.csv": b"name,a,b\nq,40.1,44.5\nr,41,45\n",
        "no_numbers.csv": b"name,colour\nq,red\n",
        "header_only.csv": b"name,lat,lon\n",
        "csv_named_geojson.geojson": gyumri_csv.encode(),
        "geojson_named_csv.csv": js(good),
        "upper_case_columns.csv": b"NAME,LAT,LNG\nKaliningrad,54.71,20.51\n",
        # --- projected -----------------------------------------------------------------
        "declared_3857.geojson": js(
            fc(
                feat(pt(4955430.0, 4901000.0), name="Yerevan-ish"),
                crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
            )
        ),
        "declared_crs84.geojson": js(
            fc(feat(pt(44.5, 40.2)), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}})
        ),
        "undeclared_metres.geojson": js(fc(feat(pt(4955430.0, 4901000.0)), feat(pt(4187591.0, 7509137.0)))),
        "metres.csv": b"name,x,y\na,4955430,4901000\nb,4187591,7509137\n",
        "unknown_crs.geojson": js(fc(feat(pt(1, 2)), crs={"type": "name", "properties": {"name": "EPSG:999999"}})),
        "proj_string_crs.geojson": js(
            fc(feat(pt(1, 2)), crs={"type": "name", "properties": {"name": "+proj=longlat +nadgrids=/etc/passwd"}})
        ),
        # --- geometry repairs ----------------------------------------------------------
        "unclosed_ring.geojson": js(fc(feat(poly(SQUARE[:-1]), name="open"))),
        "bowtie.geojson": js(fc(feat(poly([[44, 40], [45, 41], [45, 40], [44, 41], [44, 40]]), name="bowtie"))),
        "too_few_points.geojson": js(
            fc(
                feat(poly([[44, 40], [45, 41], [44, 40]])),
                feat(pt(44.5, 40.2)),
                feat({"type": "LineString", "coordinates": [[44, 40]]}),
            )
        ),
        "antimeridian_chukotka.geojson": js(
            fc(
                feat(
                    poly([[170.0, 64.0], [-170.0, 64.0], [-170.0, 68.0], [170.0, 68.0], [170.0, 64.0]]),
                    name="Chukotka-ish",
                )
            )
        ),
        "antimeridian_line.geojson": js(fc(feat({"type": "LineString", "coordinates": [[175, 65], [-175, 66]]}))),
        # --- properties ----------------------------------------------------------------
        "deep_properties.geojson": js(fc(feat(pt(44.5, 40.2), nested=deep(30), shallow=deep(3)))),
        "huge_property.geojson": js(fc(feat(pt(44.5, 40.2), big="A" * 12_000, small="ok"))),
        "xss_properties.geojson": js(
            fc(
                feat(pt(44.5, 40.2), **{p: p for p in XSS}, name=XSS[0], n=XSS[1]),
                feat(pt(43.8, 40.8), name=XSS[3], note=XSS[2], nested={"a": XSS[4]}, lst=[XSS[5], XSS[6]]),
            )
        ),
        "xss.csv": (
            b'name,lat,lon,"<b>note</b>"\n"<img src=x onerror=alert(1)>",40.1,44.5,"${alert(2)}`"\n'
            b'"=HYPERLINK(""javascript:alert(3)"")",40.2,44.6,</script>\n'
        ),
        "property_named_geometry.geojson": js(fc(feat(pt(44.5, 40.2), **{"geometry": "a string", "id": "x"}))),
        "properties_not_object.geojson": js(
            fc({"type": "Feature", "id": 7, "properties": [1, 2], "geometry": pt(44.5, 40.2)})
        ),
    }


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else HERE
    target.mkdir(parents=True, exist_ok=True)
    corpus = files()
    for name, data in corpus.items():
        (target / name).write_bytes(data)
    print(f"wrote {len(corpus)} files to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
