"""GeoJSON geometry objects from untrusted input to raw shapely geometries (rings closed); malformed ones dropped."""

from __future__ import annotations

import json
import math

import shapely

from .report import Drop, short

GEOM_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection")


def _position(p: object) -> tuple[float, float]:
    if p is None:
        raise Drop("null coordinates", "a position is null")
    if not isinstance(p, list):
        raise Drop("malformed coordinates", f"position {short(json.dumps(p), 30)} is not a list of numbers")
    if len(p) < 2:
        raise Drop("malformed coordinates", f"position {short(json.dumps(p), 30)} has fewer than 2 numbers")
    x, y = p[0], p[1]
    if x is None or y is None:
        raise Drop("null coordinates", "a coordinate is null")
    for v in (x, y):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise Drop("non-numeric coordinates", f"coordinate {short(json.dumps(v), 30)} is not a number")
    try:
        x, y = float(x), float(y)
    except OverflowError:  # an integer too large for a float
        raise Drop("non-numeric coordinates", "a coordinate is too large to be a number of degrees") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise Drop("null coordinates", "a coordinate is NaN or infinite")
    return x, y


def _positions(c: object, what: str) -> list[tuple[float, float]]:
    if c is None:
        raise Drop("null coordinates", f"{what} coordinates are null")
    if not isinstance(c, list):
        raise Drop("malformed coordinates", f"{what} coordinates are not a list")
    return [_position(p) for p in c]


def _nested(c: object, what: str, inner: str) -> list:
    if c is None:
        raise Drop("null coordinates", f"{what} coordinates are null")
    if not isinstance(c, list):
        raise Drop("malformed coordinates", f"{what} coordinates are not a list of {inner}")
    return c


def _ring(c: object, repairs: list[tuple[str, str]]) -> list[tuple[float, float]]:
    pts = _positions(c, "ring")
    if len(pts) >= 3 and pts[0] != pts[-1]:
        pts.append(pts[0])
        if not any(k.startswith("with unclosed rings") for k, _ in repairs):
            repairs.append(("with unclosed rings (closed)", "a polygon ring was not closed — closed it"))
    if len(pts) < 4 or len(set(pts)) < 3:
        raise Drop(
            "too few positions", f"a polygon ring has {len(set(pts))} distinct position(s); at least 3 are needed"
        )
    return pts


def _line(c: object) -> list[tuple[float, float]]:
    pts = _positions(c, "LineString")
    if len(set(pts)) < 2:
        raise Drop("too few positions", "a line has fewer than 2 distinct positions")
    return pts


def build(g: object, repairs: list[tuple[str, str]], depth: int, max_depth: int):
    """A raw shapely geometry from a GeoJSON geometry object (not yet range-checked or repaired).
    Raises :class:`Drop`; a closed ring is noted in ``repairs``."""
    if g is None:
        raise Drop("without geometry", "geometry is null")
    if not isinstance(g, dict):
        raise Drop("malformed geometry", "geometry is not a JSON object")
    kind = g.get("type")
    if kind not in GEOM_TYPES:
        raise Drop("unknown geometry type", f"geometry type {short(str(kind), 30)!r} is not a GeoJSON geometry type")
    if kind == "GeometryCollection":
        if depth >= max_depth:
            raise Drop("malformed geometry", f"geometry collections are nested deeper than {max_depth} levels")
        parts = g.get("geometries")
        if not isinstance(parts, list):
            raise Drop("malformed geometry", "GeometryCollection has no list of geometries")
        return shapely.GeometryCollection([build(p, repairs, depth + 1, max_depth) for p in parts])
    if "coordinates" not in g:
        raise Drop("null coordinates", f"{kind} has no coordinates")
    return _shape(kind, g["coordinates"], repairs)


def _shape(kind: str, c: object, repairs: list[tuple[str, str]]):
    """One non-collection geometry from its GeoJSON type and "coordinates" member."""
    if kind == "Point":
        return shapely.Point(_position(c))
    if kind == "MultiPoint":
        pts = _positions(c, kind)
        return shapely.MultiPoint(pts) if pts else shapely.MultiPoint()
    if kind == "LineString":
        return shapely.LineString(_line(c))
    if kind == "MultiLineString":
        return shapely.MultiLineString([_line(x) for x in _nested(c, kind, "lines")])
    if kind == "Polygon":
        rings = [_ring(r, repairs) for r in _nested(c, kind, "rings")]
        return shapely.Polygon(rings[0], rings[1:]) if rings else shapely.Polygon()
    polys = []
    for p in _nested(c, kind, "polygons"):
        rings = [_ring(r, repairs) for r in _nested(p, "MultiPolygon part", "rings")]
        if rings:
            polys.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polys)
