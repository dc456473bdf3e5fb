"""Display geometry for the map: simplified once per dataset, shared borders kept.

The data files keep ~6 km detail for exports; the browser gets a lighter copy
(coverage-simplified together so states and territories still meet exactly, and
coordinates rounded to 0.01°, about 1 km) so the default view stays well under
300 KB. Computed once per loaded dataset and kept on the Atlas object.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.ops import unary_union

from . import style

TOLERANCE = 0.1  # degrees, Visvalingam-Whyatt area tolerance of coverage_simplify
GRID = 0.01  # degrees


class BoundedCache:
    """A small LRU cache (max_entries) for per-view results, kept on the Atlas."""

    def __init__(self, max_entries: int = 128):
        self.max_entries = max_entries
        self._data: OrderedDict = OrderedDict()
        # Shared by all sessions' script threads: every read/move/insert/evict under one lock.
        # make() runs outside it (two threads may build the same value; the first stored wins).
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            self._data[key] = value
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


@dataclass(frozen=True)
class DisplayGeometry:
    states: dict[str, dict]  # iso3 -> GeoJSON geometry dict
    territories: dict[str, dict]
    land: str  # a FeatureCollection as JSON text


def _geo(geom) -> dict:
    geom = shapely.set_precision(geom, GRID)
    geom = shapely.orient_polygons(geom)
    return shapely.geometry.mapping(geom)


def build(atlas) -> DisplayGeometry:
    states = list(atlas.states.itertuples())
    ters = list(atlas.territories.itertuples())
    pieces, owners = [], []
    for s in states:
        inside = [t.geometry for t in ters if t.de_jure_iso3 == s.iso3]
        rest = s.geometry.difference(unary_union(inside)) if inside else s.geometry
        pieces.append(rest)
        owners.append(("state", s.iso3))
    for t in ters:
        pieces.append(t.geometry)
        owners.append(("territory", t.id))
    simple = shapely.coverage_simplify(np.array(pieces, dtype=object), TOLERANCE)
    simple = [g if shapely.is_valid(g) else shapely.make_valid(g) for g in simple]
    by_owner: dict[tuple[str, str], list] = {}
    for owner, g in zip(owners, simple, strict=True):
        by_owner.setdefault(owner, []).append(g)
    ter_of_state: dict[str, list[str]] = {}
    for t in ters:
        ter_of_state.setdefault(t.de_jure_iso3, []).append(t.id)
    state_geo = {}
    for s in states:
        parts = by_owner[("state", s.iso3)] + [g for tid in ter_of_state.get(s.iso3, []) for g in by_owner[("territory", tid)]]
        state_geo[s.iso3] = _geo(unary_union(parts))
    ter_geo = {t.id: _geo(by_owner[("territory", t.id)][0]) for t in ters}
    land = {"type": "FeatureCollection", "features": []}
    if atlas.land is not None:
        for g in atlas.land.geometry:
            g2 = shapely.simplify(g, TOLERANCE / 2, preserve_topology=True)
            land["features"].append({"type": "Feature", "properties": {"_s": style.BASE_LAND}, "geometry": _geo(g2)})
    return DisplayGeometry(state_geo, ter_geo, dumps(land))


def dumps(obj) -> str:
    """Compact JSON that is safe inside a <script> element."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
