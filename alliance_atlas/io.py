"""Load and validate every data file. One entry point: :func:`load`.

Problems name the file, the row (the CSV line number, header = line 1; for GeoJSON
the feature number, from 1) and the column, so an analyst can fix a hand-edited CSV.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from . import dates, schema

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TOLERANCE_KM = 10.0
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ORG_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_GEOD = Geod(ellps="WGS84")


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: an explicit path, else $ATLAS_DATA_DIR, else the bundled data/."""
    chosen = explicit or os.environ.get("ATLAS_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataError(Exception):
    """The data folder has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:3])
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"{len(problems)} data problem(s): {head}{more}")


@dataclass
class Atlas:
    """Every dataset, validated, with parsed date columns (``_start``, ``_end`` …)."""

    data_dir: Path
    sources: pd.DataFrame
    organizations: pd.DataFrame
    memberships: pd.DataFrame
    installations: pd.DataFrame
    events: pd.DataFrame
    states: gpd.GeoDataFrame
    territories: gpd.GeoDataFrame
    land: gpd.GeoDataFrame | None = None
    counts: dict[str, int] = field(default_factory=dict)
    #: per-dataset caches (display geometry, rendered layers), filled lazily by the map code
    cache: dict = field(default_factory=dict, repr=False)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    # -- readers -------------------------------------------------------------
    def read_csv(self, folder: Path, name: str) -> pd.DataFrame | None:
        path = folder / name
        required = schema.COLUMNS[name]
        if not path.is_file():
            self.add(name, None, None, f"file is missing (looked in {folder})")
            return None
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh, restkey="__extra__")
                header = reader.fieldnames or []
                rows = []
                for i, row in enumerate(reader, start=2):
                    if row.get("__extra__"):
                        self.add(name, i, None, "row has more fields than the header (a stray comma?)")
                    if any(v is None for k, v in row.items() if k != "__extra__"):
                        self.add(name, i, None, "row has fewer fields than the header")
                    clean = {k: (v or "").strip() for k, v in row.items() if k != "__extra__"}
                    clean["_row"] = i
                    rows.append(clean)
        except UnicodeDecodeError as exc:
            self.add(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            return None
        except csv.Error as exc:
            self.add(name, None, None, f"not a readable CSV file ({exc})")
            return None
        missing = [c for c in required if c not in header]
        for col in missing:
            self.add(name, 1, col, "required column is missing from the header")
        if missing:
            return None
        frame = pd.DataFrame(rows, columns=[*header, "_row"])
        return frame.astype({c: "object" for c in header})

    def read_geojson(self, folder: Path, name: str, optional: bool = False) -> gpd.GeoDataFrame | None:
        path = folder / name
        if not path.is_file():
            if not optional:
                self.add(name, None, None, f"file is missing (looked in {folder})")
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.add(name, None, None, f"not valid JSON ({exc})")
            return None
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            self.add(name, None, None, "not a GeoJSON FeatureCollection")
            return None
        required = schema.COLUMNS.get(name, ())
        records, geoms = [], []
        for i, feat in enumerate(doc.get("features") or [], start=1):
            props = (feat or {}).get("properties") or {}
            for col in required:
                if col not in props:
                    self.add(name, i, col, "required property is missing")
            try:
                geom = shape(feat["geometry"])
            except Exception as exc:  # noqa: BLE001 - any malformed geometry is a data problem
                self.add(name, i, "geometry", f"unreadable geometry ({exc})")
                continue
            if geom.is_empty or not shapely.is_valid(geom):
                reason = shapely.is_valid_reason(geom) if not geom.is_empty else "empty"
                self.add(name, i, "geometry", f"invalid geometry ({reason})")
            rec = {c: props.get(c) for c in props}
            rec["_row"] = i
            records.append(rec)
            geoms.append(geom)
        frame = pd.DataFrame(records)
        for col in required:
            if col not in frame.columns:
                frame[col] = None
        return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")

    # -- cell checks ---------------------------------------------------------
    def date(self, file: str, row: int, col: str, value: object, *, required: bool, upper: bool = False):
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.add(file, row, col, "a date is required")
            return None
        try:
            return dates.parse(text, upper=upper)
        except ValueError as exc:
            self.add(file, row, col, str(exc))
            return None

    def enum(self, file: str, row: int, col: str, value: str, allowed) -> None:
        if value not in allowed:
            self.add(file, row, col, f"{value!r} is not one of: {', '.join(allowed)}")

    def number(self, file: str, row: int, col: str, value: str, lo: float, hi: float, *, required: bool):
        if not value:
            if required:
                self.add(file, row, col, "a number is required")
            return None
        try:
            num = float(value)
        except ValueError:
            self.add(file, row, col, f"{value!r} is not a number")
            return None
        if not lo <= num <= hi:
            self.add(file, row, col, f"{num} is outside {lo}..{hi}")
            return None
        return num

    def unique(self, file: str, frame: pd.DataFrame, col: str) -> None:
        seen: dict[str, int] = {}
        for row, value in zip(frame["_row"], frame[col], strict=True):
            if value in seen:
                self.add(file, row, col, f"id {value!r} is used again (first at row {seen[value]})")
            else:
                seen[value] = row

    def sources(self, file: str, frame: pd.DataFrame, known: set[str]) -> None:
        for row, cell in zip(frame["_row"], frame["sources"], strict=True):
            ids = [s.strip() for s in str(cell or "").split(";") if s.strip()]
            if not ids:
                self.add(file, row, "sources", "every row needs at least one source id")
            for sid in ids:
                if sid not in known:
                    self.add(file, row, "sources", f"source {sid!r} is not in sources.csv")

    def confidence(self, file: str, frame: pd.DataFrame) -> None:
        for row, value in zip(frame["_row"], frame["confidence"], strict=True):
            self.enum(file, row, "confidence", value, schema.CONFIDENCE)

    def interval(self, file: str, frame: pd.DataFrame, start: str, end: str, *, start_required: bool):
        starts, ends = [], []
        for _, rec in frame.iterrows():
            row = rec["_row"]
            s = self.date(file, row, start, rec[start], required=start_required)
            e = self.date(file, row, end, rec[end], required=False, upper=True)
            if s and e and e <= s:
                self.add(file, row, end, f"{end} {rec[end]} is not after {start} {rec[start]}")
            starts.append(s)
            ends.append(e)
        frame[f"_{start}"] = starts
        frame[f"_{end}"] = ends


def _km_outside(point: Point, area) -> float:
    """Geodesic distance in km from a point to the nearest part of an area (0 inside)."""
    if area.covers(point):
        return 0.0
    nearest = nearest_points(area.boundary, point)[0]
    _, _, metres = _GEOD.inv(point.x, point.y, nearest.x, nearest.y)
    return metres / 1000.0


def validate(folder: str | os.PathLike[str] | None = None) -> tuple[Atlas | None, list[Problem]]:
    """Load every file and check every rule of the data contract."""
    root = data_dir(folder)
    ck = _Checker()
    if not root.is_dir():
        ck.add(str(root), None, None, "data folder does not exist")
        return None, ck.problems
    frames = {name: ck.read_csv(root, name) for name in schema.COLUMNS if name.endswith(".csv")}
    states = ck.read_geojson(root, "states.geojson")
    territories = ck.read_geojson(root, "territories.geojson")
    land = ck.read_geojson(root, "land.geojson", optional=True)
    if any(f is None for f in frames.values()) or states is None or territories is None:
        return None, ck.problems

    src, orgs, mem = frames["sources.csv"], frames["organizations.csv"], frames["memberships.csv"]
    inst, ev = frames["installations.csv"], frames["events.csv"]

    # sources.csv
    ck.unique("sources.csv", src, "id")
    for _, r in src.iterrows():
        if not _ID.match(r["id"]):
            ck.add("sources.csv", r["_row"], "id", f"{r['id']!r} is not a lowercase slug")
        if not re.match(r"^https?://\S+$", r["url"]):
            ck.add("sources.csv", r["_row"], "url", "url must start with http:// or https://")
        for col in ("publisher", "title"):
            if not r[col]:
                ck.add("sources.csv", r["_row"], col, "must not be empty")
        ck.date("sources.csv", r["_row"], "published", r["published"], required=False)
        ck.date("sources.csv", r["_row"], "accessed", r["accessed"], required=True)
    known_sources = set(src["id"])

    # organizations.csv
    ck.unique("organizations.csv", orgs, "id")
    for _, r in orgs.iterrows():
        if not _ORG_ID.match(r["id"]):
            ck.add("organizations.csv", r["_row"], "id", f"{r['id']!r} is not an upper-case id")
        ck.enum("organizations.csv", r["_row"], "kind", r["kind"], schema.ORG_KINDS)
    ck.interval("organizations.csv", orgs, "founded", "dissolved", start_required=False)
    for _, r in orgs[(orgs["founded"] == "") & (orgs["kind"] != "bilateral")].iterrows():
        ck.add("organizations.csv", r["_row"], "founded", "a date is required (only kind 'bilateral' may leave it empty)")
    ck.sources("organizations.csv", orgs, known_sources)
    known_orgs = set(orgs["id"])

    # states.geojson / territories.geojson
    for _, r in states.iterrows():
        if not _ISO3.match(str(r["iso3"] or "")):
            ck.add("states.geojson", r["_row"], "iso3", f"{r['iso3']!r} is not an ISO 3166 alpha-3 code")
        ck.enum("states.geojson", r["_row"], "region", r["region"], tuple(schema.REGIONS))
    ck.unique("states.geojson", states, "iso3")
    missing = set(schema.POST_SOVIET) - set(states["iso3"])
    for iso in sorted(missing):
        ck.add("states.geojson", None, "iso3", f"post-Soviet state {iso} is missing")
    known_states = set(states["iso3"])
    ck.unique("territories.geojson", territories, "id")
    for _, r in territories.iterrows():
        ck.enum("territories.geojson", r["_row"], "status", r["status"], tuple(schema.TERRITORY_STATUSES))
        if r["de_jure_iso3"] not in known_states:
            ck.add("territories.geojson", r["_row"], "de_jure_iso3", f"{r['de_jure_iso3']!r} is not in states.geojson")
    ck.interval("territories.geojson", territories, "since", "until", start_required=False)
    ck.confidence("territories.geojson", territories)
    ck.sources("territories.geojson", territories, known_sources)

    # memberships.csv
    for _, r in mem.iterrows():
        if not _ISO3.match(r["iso3"]):
            ck.add("memberships.csv", r["_row"], "iso3", f"{r['iso3']!r} is not an ISO 3166 alpha-3 code")
        if r["organization"] not in known_orgs:
            ck.add("memberships.csv", r["_row"], "organization", f"{r['organization']!r} is not in organizations.csv")
        ck.enum("memberships.csv", r["_row"], "status", r["status"], tuple(schema.MEMBERSHIP_STATUSES))
    ck.interval("memberships.csv", mem, "start", "end", start_required=True)
    ck.confidence("memberships.csv", mem)
    ck.sources("memberships.csv", mem, known_sources)
    _check_overlaps(ck, mem)

    # installations.csv
    ck.unique("installations.csv", inst, "id")
    known_territories = set(territories["id"])
    lats, lons = [], []
    for _, r in inst.iterrows():
        row = r["_row"]
        if not _ID.match(r["id"]):
            ck.add("installations.csv", row, "id", f"{r['id']!r} is not a lowercase slug")
        if not r["name"]:
            ck.add("installations.csv", row, "name", "must not be empty")
        ck.enum("installations.csv", row, "operator", r["operator"], schema.OPERATORS)
        ck.enum("installations.csv", row, "kind", r["kind"], tuple(schema.INSTALLATION_KINDS))
        ck.enum("installations.csv", row, "status", r["status"], schema.INSTALLATION_STATUSES)
        if r["host_iso3"] not in known_states:
            ck.add("installations.csv", row, "host_iso3", f"{r['host_iso3']!r} is not in states.geojson")
        if r["territory_id"] and r["territory_id"] not in known_territories:
            ck.add("installations.csv", row, "territory_id", f"{r['territory_id']!r} is not in territories.geojson")
        cq = r["coord_quality"]
        if not (cq == "exact" or cq.startswith("approximate:") and cq[len("approximate:"):].strip()):
            ck.add("installations.csv", row, "coord_quality", "must be 'exact' or 'approximate: <what it approximates>'")
        if r["personnel"] and not r["personnel"].isdigit():
            ck.add("installations.csv", row, "personnel", f"{r['personnel']!r} is not a whole number")
        ck.date("installations.csv", row, "last_verified", r["last_verified"], required=True)
        lats.append(ck.number("installations.csv", row, "lat", r["lat"], -90, 90, required=True))
        lons.append(ck.number("installations.csv", row, "lon", r["lon"], -180, 180, required=True))
    ck.interval("installations.csv", inst, "established", "ended", start_required=False)
    ck.confidence("installations.csv", inst)
    ck.sources("installations.csv", inst, known_sources)
    inst["_lat"], inst["_lon"] = lats, lons
    _check_points(ck, inst, states, territories)

    # events.csv
    ck.unique("events.csv", ev, "id")
    elat, elon = [], []
    for _, r in ev.iterrows():
        ck.enum("events.csv", r["_row"], "kind", r["kind"], schema.EVENT_KINDS)
        for iso in filter(None, (s.strip() for s in r["iso3s"].split(";"))):
            if not _ISO3.match(iso):
                ck.add("events.csv", r["_row"], "iso3s", f"{iso!r} is not an ISO 3166 alpha-3 code")
        elat.append(ck.number("events.csv", r["_row"], "lat", r["lat"], -90, 90, required=False))
        elon.append(ck.number("events.csv", r["_row"], "lon", r["lon"], -180, 180, required=False))
        if bool(r["lat"]) != bool(r["lon"]):
            ck.add("events.csv", r["_row"], "lon" if r["lat"] else "lat", "lat and lon go together")
    ck.interval("events.csv", ev, "date", "end", start_required=True)
    ck.sources("events.csv", ev, known_sources)
    ev["_lat"], ev["_lon"] = elat, elon

    if ck.problems:
        return None, ck.problems
    counts = {name: len(f) for name, f in frames.items()}
    counts |= {"states.geojson": len(states), "territories.geojson": len(territories)}
    atlas = Atlas(root, src, orgs, mem, inst, ev, states, territories, land, counts)
    return atlas, []


def _check_overlaps(ck: _Checker, mem: pd.DataFrame) -> None:
    for (iso, org), grp in mem.groupby(["iso3", "organization"]):
        spans = sorted(
            ((r["_start"], r["_end"], r["_row"]) for _, r in grp.iterrows() if r["_start"]),
            key=lambda t: t[0],
        )
        for (_s1, e1, row1), (s2, _e2, row2) in zip(spans, spans[1:], strict=False):
            if e1 is None or s2 < e1:
                ck.add("memberships.csv", row2, "start", f"{iso} in {org} overlaps the row at line {row1}")


def _check_points(ck: _Checker, inst: pd.DataFrame, states, territories) -> None:
    areas = dict(zip(states["iso3"], states.geometry, strict=True))
    areas |= {f"territory:{t}": g for t, g in zip(territories["id"], territories.geometry, strict=True)}
    for _, r in inst.iterrows():
        if pd.isna(r["_lat"]) or pd.isna(r["_lon"]):
            continue
        key = f"territory:{r['territory_id']}" if r["territory_id"] else r["host_iso3"]
        area = areas.get(key)
        if area is None:
            continue
        km = _km_outside(Point(r["_lon"], r["_lat"]), area)
        if km > TOLERANCE_KM:
            label = r["territory_id"] or r["host_iso3"]
            ck.add("installations.csv", r["_row"], "lat", f"point lies {km:.0f} km outside {label} (tolerance {TOLERANCE_KM:.0f} km)")


def load(folder: str | os.PathLike[str] | None = None) -> Atlas:
    """Load and validate; raise DataError listing every problem."""
    atlas, problems = validate(folder)
    if problems or atlas is None:
        raise DataError(problems)
    return atlas


def citations(atlas: Atlas):
    """Every source with the rows that cite it (``file:row-id``) and how many."""
    cited: dict[str, list[str]] = {sid: [] for sid in atlas.sources["id"]}
    tables = [("organizations", atlas.organizations, "id"), ("installations", atlas.installations, "id"),
              ("events", atlas.events, "id"), ("territories", atlas.territories, "id")]
    for name, frame, key in tables:
        for _, r in frame.iterrows():
            for sid in str(r["sources"] or "").split(";"):
                if sid in cited:
                    cited[sid].append(f"{name}:{r[key]}")
    for _, r in atlas.memberships.iterrows():
        for sid in str(r["sources"] or "").split(";"):
            if sid in cited:
                cited[sid].append(f"memberships:{r['iso3']}/{r['organization']}/{r['start']}")
    table = atlas.sources[["id", "publisher", "title", "url", "published", "accessed"]].copy()
    table["cited by"] = table["id"].map(cited)
    table["rows"] = table["cited by"].map(len)
    return table.sort_values(["rows", "id"], ascending=[False, True]).reset_index(drop=True)
