"""What a map should fit: the bounds of regions and of single items, as [[south, west], [north, east]]
in degrees (Leaflet's fitBounds order). Computed from the data (states.geojson, territories.geojson,
installations.csv), never typed in.

A region's states may reach across the antimeridian (Russia's Chukotka, split at 180° in the
data): those parts (wholly west of -150°) are left out when the rest lies in the eastern
hemisphere, so "Russia" fits Kaliningrad to the Bering Strait instead of the whole world.
"""

from __future__ import annotations

import math

from shapely.geometry.base import BaseGeometry

from alliance_atlas.data.loading import Atlas

Bounds = tuple[tuple[float, float], tuple[float, float]]

#: half-size of the box fitted around an installation (degrees of latitude): about 55 km, so the
#: map opens close in (zoom 8 in the app's map) with the point at its centre
POINT_HALF_DEG = 0.5
_WRAPPED_WEST = -150.0


def _parts(geoms) -> list[BaseGeometry]:
    out: list[BaseGeometry] = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        out.extend(getattr(g, "geoms", [g]))
    return out


def of_geometries(geoms) -> Bounds | None:
    """Bounds of the geometries together (parts across the antimeridian left out, see above)."""
    parts = _parts(geoms)
    if not parts:
        return None
    boxes = [p.bounds for p in parts]  # (minx, miny, maxx, maxy)
    if max(b[2] for b in boxes) - min(b[0] for b in boxes) > 180:
        east = [b for b in boxes if b[2] > _WRAPPED_WEST]
        boxes = east or boxes
    w, s = min(b[0] for b in boxes), min(b[1] for b in boxes)
    e, n = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return (s, w), (n, e)


def of_regions(atlas: Atlas, regions) -> Bounds | None:
    """Bounds of every state in ``regions`` (region ids of states.geojson); None for no region."""
    states = atlas.states[atlas.states["region"].isin(list(regions))]
    return of_geometries(states.geometry) if len(states) else None


def of_point(lat: float, lon: float, half_deg: float = POINT_HALF_DEG) -> Bounds:
    """A small box centred on (lat, lon), about as wide as it is tall on the ground."""
    dlon = half_deg / max(math.cos(math.radians(lat)), 0.2)
    return (lat - half_deg, lon - dlon), (lat + half_deg, lon + dlon)


def of_item(atlas: Atlas, item_id: str) -> Bounds | None:
    """Bounds to fit for an installation (a box around it), a territory or a state; None if unknown."""
    inst = atlas.installations[atlas.installations["id"] == item_id]
    if len(inst):
        return of_point(float(inst.iloc[0]["lat"]), float(inst.iloc[0]["lon"]))
    for frame, key in ((atlas.territories, "id"), (atlas.states, "iso3")):
        rows = frame[frame[key] == item_id]
        if len(rows):
            return of_geometries(rows.geometry)
    return None
