"""Which areas and points of the data lie in a print's extent, so the scene lists only those.

An extent is ``(w, e, s, n)`` in degrees as the print draws it: longitudes east of 180° stand for
the parts of Russia just west of -150° (Chukotka), which the print shifts by +360°.
"""

from __future__ import annotations

import math

import shapely
from shapely.geometry import box

from alliance_atlas.data.loading import Atlas

Extent = tuple[float, float, float, float]
_WRAPPED_WEST = -150.0


#: the widest and the narrowest map frames a slide is shown in (width / height): 1920×1080 with the
#: legend beside it is about 2.1, a 4:3 projector about 1.3
SCREEN_ASPECTS = (1.3, 2.2)


def around(bounds, aspects: tuple[float, float] = SCREEN_ASPECTS, margin: float = 0.05) -> Extent:
    """The extent a web map fitted to ``bounds`` [[s, w], [n, e]] can show: Leaflet keeps the bounds
    whole and fills the rest of the frame, so the box takes the width the widest frame shows, the
    height the narrowest one shows, and a small margin (a legend naming something just off the edge is
    better than one leaving out something drawn)."""
    (s, w), (n, e) = bounds
    k = max(math.cos(math.radians((s + n) / 2)), 0.1)  # degrees of longitude per degree of latitude, on screen
    wide, narrow = max(aspects), min(aspects)
    width = max(e - w, wide * (n - s) / k)  # the widest frame shows more on the sides
    height = max(n - s, (e - w) * k / narrow)  # the narrowest, more above and below
    cx, cy = (w + e) / 2, (s + n) / 2
    width, height = width * (1 + 2 * margin), height * (1 + 2 * margin)
    return (cx - width / 2, cx + width / 2, max(cy - height / 2, -85.0), min(cy + height / 2, 85.0))


def print_lon(lon: float) -> float:
    """The longitude the print draws a point at (Chukotka shifted east of 180°)."""
    return lon + 360.0 if lon < _WRAPPED_WEST else lon


def has_point(extent: Extent, lat: float, lon: float) -> bool:
    w, e, s, n = extent
    return s <= lat <= n and w <= print_lon(lon) <= e


def points_in(frame, extent: Extent):
    """The rows of ``frame`` (with ``lat``/``lon`` columns: installations) whose point lies in the extent."""
    return frame.loc[[has_point(extent, float(r.lat), float(r.lon)) for r in frame.itertuples()]]


def _boxes(extent: Extent):
    w, e, s, n = extent
    out = [box(w, s, e, n)]
    if e > 180.0:  # the shifted parts, where they lie in the data
        out.append(box(w - 360.0, s, e - 360.0, n))
    return shapely.union_all(out)


def area_ids(atlas: Atlas, extent: Extent) -> frozenset[str]:
    """Ids of the states, territories and control areas whose shape meets the extent."""
    view = _boxes(extent)
    frames = [(atlas.states, "iso3"), (atlas.territories, "id")]
    if atlas.control_areas is not None:
        frames.append((atlas.control_areas, "id"))
    ids: set[str] = set()
    for frame, key in frames:
        hit = frame.geometry.intersects(view)
        ids.update(str(i) for i in frame.loc[hit, key])
    return frozenset(ids)
