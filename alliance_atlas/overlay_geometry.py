"""Overlay geometry: coordinates from untrusted GeoJSON-ish input to valid shapely geometries
(rings closed, self-intersections repaired, antimeridian crossings split, range and
projected-metres checks). Used by overlays.py, which turns problems into user messages."""

from __future__ import annotations

import json
import math

import numpy as np
import shapely


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1e5 else f"{x:.6g}"


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class _Drop(Exception):
    """One feature is dropped: ``reason`` is the count key, ``detail`` the row message."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


_GEOM_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
               "GeometryCollection")


def _position(p: object) -> tuple[float, float]:
    if p is None:
        raise _Drop("null coordinates", "a position is null")
    if not isinstance(p, list):
        raise _Drop("malformed coordinates", f"position {_short(json.dumps(p), 30)} is not a list of numbers")
    if len(p) < 2:
        raise _Drop("malformed coordinates", f"position {_short(json.dumps(p), 30)} has fewer than 2 numbers")
    x, y = p[0], p[1]
    if x is None or y is None:
        raise _Drop("null coordinates", "a coordinate is null")
    for v in (x, y):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _Drop("non-numeric coordinates", f"coordinate {_short(json.dumps(v), 30)} is not a number")
    try:
        x, y = float(x), float(y)
    except OverflowError:  # an integer too large for a float
        raise _Drop("non-numeric coordinates", "a coordinate is too large to be a number of degrees") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise _Drop("null coordinates", "a coordinate is NaN or infinite")
    return x, y


def _positions(c: object, what: str) -> list[tuple[float, float]]:
    if c is None:
        raise _Drop("null coordinates", f"{what} coordinates are null")
    if not isinstance(c, list):
        raise _Drop("malformed coordinates", f"{what} coordinates are not a list")
    return [_position(p) for p in c]


def _nested(c: object, what: str, inner: str) -> list:
    if c is None:
        raise _Drop("null coordinates", f"{what} coordinates are null")
    if not isinstance(c, list):
        raise _Drop("malformed coordinates", f"{what} coordinates are not a list of {inner}")
    return c


def _ring(c: object, repairs: list[tuple[str, str]]) -> list[tuple[float, float]]:
    pts = _positions(c, "ring")
    if len(pts) >= 3 and pts[0] != pts[-1]:
        pts.append(pts[0])
        if not any(k.startswith("with unclosed rings") for k, _ in repairs):
            repairs.append(("with unclosed rings (closed)", "a polygon ring was not closed — closed it"))
    if len(pts) < 4 or len(set(pts)) < 3:
        raise _Drop("too few positions", f"a polygon ring has {len(set(pts))} distinct position(s); at least 3 "
                                         f"are needed")
    return pts


def _line(c: object) -> list[tuple[float, float]]:
    pts = _positions(c, "LineString")
    if len(set(pts)) < 2:
        raise _Drop("too few positions", "a line has fewer than 2 distinct positions")
    return pts


def _build(g: object, repairs: list[tuple[str, str]], depth: int, max_depth: int):
    """A raw shapely geometry from a GeoJSON geometry object (not yet range-checked or repaired)."""
    if g is None:
        raise _Drop("without geometry", "geometry is null")
    if not isinstance(g, dict):
        raise _Drop("malformed geometry", "geometry is not a JSON object")
    kind = g.get("type")
    if kind not in _GEOM_TYPES:
        raise _Drop("unknown geometry type", f"geometry type {_short(str(kind), 30)!r} is not a GeoJSON geometry type")
    if kind == "GeometryCollection":
        if depth >= max_depth:
            raise _Drop("malformed geometry", f"geometry collections are nested deeper than {max_depth} levels")
        parts = g.get("geometries")
        if not isinstance(parts, list):
            raise _Drop("malformed geometry", "GeometryCollection has no list of geometries")
        return shapely.GeometryCollection([_build(p, repairs, depth + 1, max_depth) for p in parts])
    if "coordinates" not in g:
        raise _Drop("null coordinates", f"{kind} has no coordinates")
    c = g["coordinates"]
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


_WEST = shapely.box(-180, -90, 180, 90)
_EAST = shapely.box(180, -90, 540, 90)


def _crosses(geom) -> bool:
    if geom.geom_type == "Polygon":
        return any(_crosses(r) for r in [geom.exterior, *geom.interiors])
    x = shapely.get_coordinates(geom)[:, 0]
    return bool(len(x) > 1 and np.any(np.abs(np.diff(x)) > 180))


def _shift_east(coords: np.ndarray) -> np.ndarray:
    out = coords.copy()
    out[out[:, 0] < 0, 0] += 360
    return out


def _parts(geom) -> list:
    if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection":
        return [p for sub in geom.geoms for p in _parts(sub)]
    return [geom]


def _split_part(part) -> list:
    """One Polygon or LineString crossing ±180 → its pieces on both sides, within [-180, 180]:
    negative longitudes shifted by +360, cut by the boxes [-180, 180] and [180, 540], the
    second piece shifted back by -360."""
    shifted = shapely.transform(part, _shift_east)
    if not shifted.is_valid:
        shifted = shapely.make_valid(shifted, method="structure" if part.geom_type == "Polygon" else "linework")
    west = shapely.intersection(shifted, _WEST)
    east = shapely.transform(shapely.intersection(shifted, _EAST), lambda c: c - np.array([360.0, 0.0]))
    dim = 2 if part.geom_type == "Polygon" else 1
    return [g for piece in (west, east) for g in _parts(piece) if shapely.get_dimensions(g) == dim and not g.is_empty]


def _antimeridian(geom):
    """Lines and polygons whose edges jump more than 180° in longitude, split at ±180.
    Returns the new geometry, or None when nothing crosses."""
    kind = geom.geom_type
    if kind in ("Polygon", "LineString"):
        if not _crosses(geom):
            return None
        pieces = _split_part(geom)
        return shapely.MultiPolygon(pieces) if kind == "Polygon" else shapely.MultiLineString(pieces)
    if kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        changed, out = False, []
        for sub in geom.geoms:
            new = _antimeridian(sub)
            changed |= new is not None
            out.append(sub if new is None else new)
        if not changed:
            return None
        if kind == "GeometryCollection":
            return shapely.GeometryCollection(out)
        flat = [p for g in out for p in _parts(g)]
        return shapely.MultiPolygon(flat) if kind == "MultiPolygon" else shapely.MultiLineString(flat)
    return None


def _finish(geom, repairs: list[tuple[str, str]]):
    """A range-checked geometry → split at the antimeridian, made valid. Raises _Drop."""
    split = _antimeridian(geom)
    if split is not None:
        n = len(_parts(split))
        geom = split
        repairs.append(("crossing the antimeridian (split at ±180)",
                        f"crosses the antimeridian — split at ±180 into {n} part{'s' if n != 1 else ''}"))
    if geom.is_empty:
        raise _Drop("empty geometry", "geometry is empty")
    if not shapely.is_valid(geom):
        reason = shapely.is_valid_reason(geom)
        polygonal = geom.geom_type in ("Polygon", "MultiPolygon")
        fixed = shapely.make_valid(geom, method="structure" if polygonal else "linework")
        if fixed.is_empty or not shapely.is_valid(fixed):
            raise _Drop("invalid geometry", f"invalid geometry ({_short(reason, 60)}) could not be repaired")
        label = "self-intersecting polygon" if "Self-intersection" in reason else "invalid geometry"
        repairs.append((f"with a {label} (fixed with make_valid)",
                        f"{label} ({_short(reason, 60)}) — repaired with make_valid"))
        geom = fixed
    return geom


def _range_problem(bounds: np.ndarray) -> tuple[str, str] | None:
    minx, miny, maxx, maxy = bounds
    if miny < -90 or maxy > 90:
        bad = miny if miny < -90 else maxy
        return "latitude outside ±90", f"latitude {_num(bad)} is outside ±90"
    if minx < -180 or maxx > 180:
        bad = minx if minx < -180 else maxx
        return "longitude outside ±180", f"longitude {_num(bad)} is outside ±180"
    return None


def _looks_projected(bounds: np.ndarray) -> tuple[float, float] | None:
    """When at least half the located features are outside the degree range, typically by
    more than 1000 (metres, not degrees): an example (x, y). Else None."""
    if len(bounds) == 0:
        return None
    out = (np.abs(bounds[:, [0, 2]]).max(axis=1) > 180) | (np.abs(bounds[:, [1, 3]]).max(axis=1) > 90)
    if out.sum() * 2 < len(bounds) or np.median(np.abs(bounds[out]).max(axis=1)) <= 1000:
        return None
    i = int(np.flatnonzero(out)[0])
    return float(bounds[i, 0]), float(bounds[i, 1])


def _metres_message(where: str) -> str:
    return f"The coordinates look like metres in a projected system (e.g. {where}), not degrees"
