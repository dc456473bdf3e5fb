"""Geometry repair in degrees: the ±90/±180 range check, antimeridian crossings split at ±180, make_valid."""

from __future__ import annotations

import numpy as np
import shapely

from .report import Drop, num, short

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


def finish(geom, repairs: list[tuple[str, str]]):
    """A range-checked geometry → split at the antimeridian, made valid. Raises :class:`Drop`."""
    split = _antimeridian(geom)
    if split is not None:
        n = len(_parts(split))
        geom = split
        repairs.append(
            (
                "crossing the antimeridian (split at ±180)",
                f"crosses the antimeridian — split at ±180 into {n} part{'s' if n != 1 else ''}",
            )
        )
    if geom.is_empty:
        raise Drop("empty geometry", "geometry is empty")
    if not shapely.is_valid(geom):
        reason = shapely.is_valid_reason(geom)
        polygonal = geom.geom_type in ("Polygon", "MultiPolygon")
        fixed = shapely.make_valid(geom, method="structure" if polygonal else "linework")
        if fixed.is_empty or not shapely.is_valid(fixed):
            raise Drop("invalid geometry", f"invalid geometry ({short(reason, 60)}) could not be repaired")
        label = "self-intersecting polygon" if "Self-intersection" in reason else "invalid geometry"
        repairs.append(
            (f"with a {label} (fixed with make_valid)", f"{label} ({short(reason, 60)}) — repaired with make_valid")
        )
        geom = fixed
    return geom


def range_problem(bounds: np.ndarray) -> tuple[str, str] | None:
    """(count key, row message) when bounds (minx, miny, maxx, maxy) leave ±90 latitude or ±180 longitude."""
    minx, miny, maxx, maxy = bounds
    if miny < -90 or maxy > 90:
        bad = miny if miny < -90 else maxy
        return "latitude outside ±90", f"latitude {num(bad)} is outside ±90"
    if minx < -180 or maxx > 180:
        bad = minx if minx < -180 else maxx
        return "longitude outside ±180", f"longitude {num(bad)} is outside ±180"
    return None
