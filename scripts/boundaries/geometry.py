"""Geometry helpers shared by the boundary builds: polygon parts, validity, the 3-decimal grid, GeoJSON output."""

from __future__ import annotations

import math

import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping

from .tables import Tables

GRID = 1e-3  # output precision (3 decimals, ~100 m)
#: parts of a neighbour (e.g. Bouvet Island of Norway) whose representative point lies outside
#: its box are dropped; European states keep their European parts (no French Guiana, Canaries, Azores...)
PART_BOXES = {"neighbour": box(0.0, 20.0, 180.0, 85.0), "europe": box(-25.0, 34.0, 45.0, 72.0)}


def polygons_of(g) -> list[Polygon]:
    if g is None or g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    return [p for sub in getattr(g, "geoms", []) for p in polygons_of(sub)]


def as_multi(g):
    polys = polygons_of(g)
    return MultiPolygon(polys) if len(polys) != 1 else polys[0]


def clean(g):
    g = shapely.make_valid(g)
    return as_multi(g)


def finish(g):
    """Valid, on the output grid, no empty parts, exterior rings counter-clockwise (RFC 7946)."""
    g = shapely.set_precision(shapely.make_valid(g), GRID)
    g = as_multi(shapely.make_valid(g))
    polys = [p for p in polygons_of(g) if p.area > 0]
    g = MultiPolygon(polys) if len(polys) > 1 else polys[0]
    g = shapely.orient_polygons(g, exterior_cw=False)
    return g


def approx_area_km2(g) -> float:
    """Equal-area-ish area: scale longitudes by cos(latitude) of the centroid."""
    lat = g.centroid.y
    return g.area * (111.32**2) * math.cos(math.radians(lat))


def drawn_state(tables: Tables, iso: str, geom):
    """A state as the builds draw it: every part of a post-Soviet state, the parts of the others
    inside their group's box (states.csv); on a 1e-7 grid so that neighbours node cleanly."""
    if iso not in tables.post_soviet:
        keep_box = PART_BOXES["europe" if iso in tables.europe else "neighbour"]
        geom = shapely.union_all([p for p in polygons_of(geom) if keep_box.contains(p.representative_point())])
    return shapely.set_precision(geom, 1e-7)


def rounded(obj):
    """GeoJSON coordinates rounded to 3 decimals."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(obj[0]), 3), round(float(obj[1]), 3)]
        return [rounded(o) for o in obj]
    return obj


def geojson_geometry(g) -> dict:
    m = mapping(g)
    return {"type": m["type"], "coordinates": rounded(m["coordinates"])}
