"""The outline of each territory, made as its `geometry` entry in territories.yaml says, clipped to its state."""

from __future__ import annotations

import sys

import shapely
from shapely.geometry import box, shape

from .geometry import approx_area_km2, clean
from .tables import Tables


def settlement_hull(spec: dict, host):
    """Convex hull of sourced settlement points, buffered (bisection on the distance in degrees)
    until the part inside `host` has the sourced area; returns the outline and the distance."""
    hull = shapely.MultiPoint([tuple(p) for p in spec["points"].values()]).convex_hull
    target = float(spec["area_km2"])
    lo, hi = 0.0, 0.5
    for _ in range(40):
        mid = (lo + hi) / 2
        g = hull.buffer(mid, quad_segs=8).intersection(host)
        if approx_area_km2(g) < target:
            lo = mid
        else:
            hi = mid
    dist = round((lo + hi) / 2, 4)
    return clean(hull.buffer(dist, quad_segs=8).intersection(host)), dist


def index_admin1(admin1: list[dict]) -> dict[str, dict]:
    """Admin-1 geometries by adm1_code and by iso_3166_2 (several features may share a code)."""
    index: dict[str, dict] = {"admin1_code": {}, "admin1_iso_3166_2": {}}
    for f in admin1:
        p = f["properties"]
        g = shapely.make_valid(shape(f["geometry"]))
        index["admin1_code"].setdefault(p.get("adm1_code"), []).append(g)
        index["admin1_iso_3166_2"].setdefault(p.get("iso_3166_2"), []).append(g)
    return index


def build_territory_geoms(tables: Tables, states: dict, admin1: list[dict], patches=()):
    """Territory id -> outline (clipped to its de jure state), and notes for the log.

    Admin-1 units take the town corrections (`patches`, see towns.correct_town_sides) of their
    state that lie next to them, so a corrected town stays in the unit it adjoins."""
    index = index_admin1(admin1)
    geoms, info = {}, {}
    for t in tables.territories:
        tid, iso = t["id"], t["de_jure_iso3"]
        host = states[iso]["geom"]
        ((kind, spec),) = t["geometry"].items()
        if kind == "settlement_hull":
            g, dist = settlement_hull(spec, host)
            info[tid] = f"buffer {dist} deg"
        elif kind == "within_box":
            g = host.intersection(box(*spec))
        elif kind == "admin1_name_en":
            names = set(spec["names"])
            g = shapely.union_all(
                [
                    shapely.make_valid(shape(f["geometry"]))
                    for f in admin1
                    if f["properties"].get("adm0_a3") == spec["country"] and f["properties"].get("name_en") in names
                ]
            ).intersection(host)
        else:
            units = [g for code in spec for g in index[kind].get(code, [])]
            if not units:
                sys.exit(f"no admin-1 unit found for {tid}")
            unit = shapely.union_all(units)
            near = [patch for iso_, pt, patch in patches if iso_ == iso and unit.distance(pt) < 0.02]
            g = shapely.union_all([unit, *near]).intersection(host)
        geoms[tid] = clean(g)
    return geoms, info
