"""The basemap's land layer: Natural Earth 1:50m land (npm world-atlas TopoJSON), the whole world, simplified."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box

from .geometry import finish, polygons_of

LAND_BOXES = [box(-180.0, -90.0, 180.0, 90.0)]  # the whole world: no edge of the land may show at any zoom
LAND_TOLERANCE = 0.08
LAND_MIN_AREA = 0.05


def read_topojson_land(tgz: Path) -> list[Polygon]:
    """The land polygons of world-atlas's land-50m.json, split at the antimeridian (RFC 7946 3.1.9)."""
    with tarfile.open(tgz) as tf:
        topo = json.load(tf.extractfile("package/land-50m.json"))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        a = np.cumsum(np.array(arc, dtype=np.int64), axis=0)
        arcs.append(np.column_stack([a[:, 0] * sx + tx, a[:, 1] * sy + ty]))

    def ring(idx_list):
        pts = []
        for i in idx_list:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a.tolist() if not pts else a[1:].tolist())
        return pts

    def unwrap(pts):
        """world-atlas rings are spherical: a ring may cross the antimeridian
        (Chukotka). Make longitudes continuous (may exceed +-180)."""
        a = np.array(pts, dtype=float)
        d = np.diff(a[:, 0])
        shift = np.concatenate([[0.0], -360.0 * np.cumsum(np.round(d / 360.0))])
        a[:, 0] += shift
        return a

    polys = []
    for geom in topo["objects"]["land"]["geometries"]:
        if geom["type"] == "Polygon":
            plist = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            plist = geom["arcs"]
        else:
            continue
        for p in plist:
            rings = [unwrap(ring(r)) for r in p]
            if abs(rings[0][0, 0] - rings[0][-1, 0]) > 1e-6:
                continue  # ring around a pole (Antarctica): outside the map area
            poly = shapely.make_valid(Polygon(rings[0], [r for r in rings[1:] if abs(r[0, 0] - r[-1, 0]) < 1e-6]))
            for k in (-1, 0, 1):  # split at the antimeridian (RFC 7946 3.1.9)
                window = box(-180.0 + 360 * k, -90.0, 180.0 + 360 * k, 90.0)
                if poly.intersects(window):
                    part = shapely.affinity.translate(poly.intersection(window), -360.0 * k)
                    polys.extend(polygons_of(part))
    return polys


def build_land(topo_polys: list[Polygon]):
    """One MultiPolygon: the land inside LAND_BOXES, simplified, small polygons dropped."""
    area = shapely.union_all(LAND_BOXES)
    parts = []
    for p in topo_polys:
        if not p.intersects(area):
            continue
        for q in polygons_of(shapely.make_valid(p).intersection(area)):
            if q.area >= LAND_MIN_AREA:
                parts.append(q)
    simp = shapely.simplify(np.array(parts, dtype=object), LAND_TOLERANCE, preserve_topology=True)
    simp = [finish(g) for g in simp if g is not None and not g.is_empty]
    polys = [p for g in simp for p in polygons_of(g) if p.area >= LAND_MIN_AREA]
    return finish(MultiPolygon(polys))
