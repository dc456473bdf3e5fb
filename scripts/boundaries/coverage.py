"""States and territories as one noded coverage, simplified together so that neighbours still meet."""

from __future__ import annotations

import sys

import numpy as np
import shapely

from .geometry import GRID, clean, drawn_state, finish, polygons_of
from .tables import Tables

SIMPLIFY_TOLERANCE = 0.05
MIN_ISLAND_AREA = 0.05


def build_coverage(tables: Tables, states, terr_geoms, pins=()):
    """Split states into non-overlapping pieces (territories + the remainder of
    each state) that share exactly noded edges, as coverage_simplify needs.

    All state and territory boundaries are noded together and polygonised; each
    face goes to the state and (first matching) territory containing it."""
    territories = tables.territories
    geoms = {iso: drawn_state(tables, iso, st["geom"]) for iso, st in states.items()}
    terr = {tid: shapely.set_precision(g, 1e-7) for tid, g in terr_geoms.items()}
    bounds = [shapely.boundary(g) for g in list(geoms.values()) + list(terr.values())]
    pin_zone = None
    if pins:
        # pin grids (see towns.pin_lines): their crossings with the borders become coverage
        # nodes, which coverage_simplify never moves
        bounds += [shapely.set_precision(line, 1e-7) for _, line in pins]
        pin_zone = shapely.union_all([zone for zone, _ in pins])
        shapely.prepare(pin_zone)
    noded = shapely.union_all(bounds)
    faces = list(shapely.get_parts(shapely.polygonize(list(shapely.get_parts(noded)))))
    state_isos = list(geoms)
    state_tree = shapely.STRtree([geoms[i] for i in state_isos])
    tids = [t["id"] for t in territories]
    terr_tree = shapely.STRtree([terr[t] for t in tids])
    groups = {}
    for face in faces:
        rp = face.point_on_surface()
        hits = state_tree.query(rp, predicate="intersects")
        if len(hits) == 0:
            continue  # water body or hole
        iso = state_isos[min(hits)]
        tid = None
        for j in sorted(terr_tree.query(rp, predicate="intersects")):
            if territories[j]["de_jure_iso3"] == iso:
                tid = tids[j]
                break
        groups.setdefault((iso, tid), []).append(face)

    def merged(fs):
        """Faces outside the pin zones are merged; faces inside stay separate so that
        the pin nodes survive as coverage nodes."""
        if pin_zone is None:
            return polygons_of(clean(shapely.union_all(fs)))
        inside = [f for f in fs if pin_zone.contains(f.point_on_surface())]
        outside = [f for f in fs if not pin_zone.contains(f.point_on_surface())]
        return (polygons_of(clean(shapely.union_all(outside))) if outside else []) + inside

    pieces = []
    for iso in state_isos:
        for t in territories:
            if t["de_jure_iso3"] == iso:
                fs = groups.get((iso, t["id"]), [])
                if not fs:
                    sys.exit(f"territory {t['id']} got no faces")
                pieces.append(("territory", t["id"], iso, merged(fs)))
        pieces.append(("state", iso, iso, merged(groups[(iso, None)])))
    return pieces


def explode_and_filter(pieces):
    """Polygon parts of all pieces; drop small isolated islands and slivers."""
    parts = []
    for i, (_, _, _, polys) in enumerate(pieces):
        for p in polys:
            parts.append((i, p))
    geoms = [p for _, p in parts]
    tree = shapely.STRtree(geoms)
    keep = []
    for k, (i, p) in enumerate(parts):
        if p.area >= MIN_ISLAND_AREA:
            keep.append((i, p))
            continue
        touching = [j for j in tree.query(p, predicate="intersects") if j != k]
        if touching:  # part of the coverage (e.g. a thin sliver): keep, or a gap would open
            keep.append((i, p))
    return keep


def simplify_pieces(pieces):
    kept = explode_and_filter(pieces)
    idx = [i for i, _ in kept]
    geoms = np.array([p for _, p in kept], dtype=object)
    simp = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE, simplify_boundary=True)
    if not shapely.coverage_is_valid(geoms):
        print("warning: input coverage is not valid", file=sys.stderr)
    simp = shapely.set_precision(simp, GRID, mode="pointwise")
    out = {}
    for i, g in zip(idx, simp, strict=True):
        if g is None or g.is_empty:
            continue
        out.setdefault(i, []).append(g)
    result = []
    for i, (kind, key, iso, _) in enumerate(pieces):
        gs = out.get(i, [])
        result.append((kind, key, iso, gs))
    return result


def assemble(tables: Tables, states, terr_geoms, pins):
    """Simplified states (ISO3 -> geometry, in output order), territories, and that order."""
    pieces = build_coverage(tables, states, terr_geoms, pins)
    simplified = simplify_pieces(pieces)

    state_parts = {}
    terr_out = {}
    for kind, key, iso, gs in simplified:
        state_parts.setdefault(iso, []).extend(gs)
        if kind == "territory":
            terr_out[key] = finish(shapely.union_all(gs))

    order = sorted(tables.post_soviet) + sorted(tables.neighbours)
    # Snapping to the output grid can leave hairline overlaps (< 0.1 km2) between
    # neighbours; remove them deterministically (earlier state in `order` wins).
    final, done = {}, []
    for iso in order:
        g = finish(shapely.union_all(state_parts[iso]))
        if done:
            others = shapely.union_all([final[o] for o in done])
            if g.intersection(others).area > 0:
                g = finish(g.difference(others))
        final[iso] = g
        done.append(iso)
    for tid, g in list(terr_out.items()):
        host = final[tables.host_of(tid)]
        if g.difference(host).area > 0:
            terr_out[tid] = finish(g.intersection(host))
    return final, terr_out, order
