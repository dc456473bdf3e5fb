"""Display geometry for the map: simplified once per dataset, shared borders kept.

The data files keep ~6 km detail for exports; the browser gets a lighter copy
(coverage-simplified together so states and territories still meet exactly, and
coordinates rounded to 0.01°, about 1 km) so the default view stays well under
300 KB. Computed once per loaded dataset and kept on the Atlas object.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.ops import unary_union

from alliance_atlas.cartography import style

TOLERANCE = 0.1  # degrees, Visvalingam-Whyatt area tolerance of coverage_simplify
GRID = 0.01  # degrees
#: islands smaller than this (square degrees, ~1,000 km² at 50°N) are left out of neighbour states'
#: display geometry: context, not subject, and each one costs bytes on every rerun
NEIGHBOUR_MIN_PART = 0.15
#: around a border town that simplification moved across the border, this much of its own state's
#: true shape (degrees, ~3 km) is handed back to it on screen — and taken from the neighbour, so the
#: two still meet without gap or overlap
TOWN_PATCH = 0.03
TOWNS_FILE = "border_towns.csv"


def _border_towns(data_dir, focus: set[str]) -> list[tuple[float, float, str]]:
    """(lon, lat, iso3) of the towns of >= 10,000 people near a border (data/border_towns.csv) on a
    border of a ``focus`` state (the post-Soviet ones: far-away borders are context, and every patch
    costs bytes on every rerun; the data files keep all towns in their country)."""
    path = Path(data_dir) / TOWNS_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [
        (float(r["lon"]), float(r["lat"]), r["iso3"])
        for r in rows
        if r["iso3"] in focus or focus & set(r["neighbours_within_25km"].split(";"))
    ]


def keep_towns(shapes: dict, truth: dict, towns) -> dict:
    """Hand each border town that simplification put in the wrong state back to its own state: the
    part of a small disc around it that lies in the state's true outline moves from the neighbour to it."""
    out, grown = dict(shapes), {}
    for lon, lat, iso3 in towns:
        if iso3 not in out or iso3 not in truth:
            continue
        pt = shapely.Point(lon, lat)
        if out[iso3].contains(pt) and not any(k != iso3 and g.contains(pt) for k, g in out.items()):
            continue
        # the true outline grown by the display grid, so the town stays inside once coordinates are rounded
        if iso3 not in grown:
            grown[iso3] = shapely.simplify(truth[iso3].buffer(GRID, quad_segs=2), GRID / 2)
        patch = pt.buffer(TOWN_PATCH, quad_segs=2).intersection(grown[iso3])
        if patch.is_empty:
            continue
        out[iso3] = out[iso3].union(patch)
        for k, g in out.items():
            if k != iso3 and g.intersects(patch):
                out[k] = g.difference(patch)
    return out


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
    shapes = {}
    for s in states:
        parts = by_owner[("state", s.iso3)] + [
            g for tid in ter_of_state.get(s.iso3, []) for g in by_owner[("territory", tid)]
        ]
        geom = unary_union(parts)
        if not s.post_soviet:
            polys = sorted(shapely.get_parts(geom), key=lambda p: p.area, reverse=True)
            geom = shapely.union_all([polys[0], *(p for p in polys[1:] if p.area >= NEIGHBOUR_MIN_PART)])
        shapes[s.iso3] = geom
    focus = {s.iso3 for s in states if s.post_soviet}
    shapes = keep_towns(shapes, {s.iso3: s.geometry for s in states}, _border_towns(atlas.data_dir, focus))
    state_geo = {iso3: _geo(g) for iso3, g in shapes.items()}
    ter_geo = {t.id: _geo(by_owner[("territory", t.id)][0]) for t in ters}
    land_features: list[dict] = []
    if atlas.land is not None:
        for g in atlas.land.geometry:
            g2 = shapely.simplify(g, TOLERANCE / 2, preserve_topology=True)
            land_features.append({"type": "Feature", "properties": {"_s": style.BASE_LAND}, "geometry": _geo(g2)})
    return DisplayGeometry(state_geo, ter_geo, dumps({"type": "FeatureCollection", "features": land_features}))


def dumps(obj) -> str:
    """Compact JSON that is safe inside a <script> element."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("</", "<\\/").replace("<!--", "<\\!--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
