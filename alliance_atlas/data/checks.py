"""The rule checks behind io.validate: readers that never raise, cell checks, cross-file
checks. Every problem names file, row and column."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from alliance_atlas.data import dates, schema
from alliance_atlas.data.problems import Problem

TOLERANCE_KM = 10.0
_GEOD = Geod(ellps="WGS84")


class Checker:
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


def check_overlaps(ck: Checker, mem: pd.DataFrame) -> None:
    for (iso, org), grp in mem.groupby(["iso3", "organization"]):
        spans = sorted(
            ((r["_start"], r["_end"], r["_row"]) for _, r in grp.iterrows() if r["_start"]),
            key=lambda t: t[0],
        )
        for (_s1, e1, row1), (s2, _e2, row2) in zip(spans, spans[1:], strict=False):
            if e1 is None or s2 < e1:
                ck.add("memberships.csv", row2, "start", f"{iso} in {org} overlaps the row at line {row1}")


def check_points(ck: Checker, inst: pd.DataFrame, states, territories) -> None:
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


def check_hosts(ck: Checker, inst: pd.DataFrame, mem: pd.DataFrame, orgs: set[str]) -> None:
    """A state hosting an installation run by an organization (operator = an organization id, e.g. a NATO
    battlegroup) holds a status row in that organization (any status but withdrawn) overlapping the
    installation's period, or the installation's note says why not with the words "no <ORG> status"."""
    spans: dict[tuple[str, str], list[tuple]] = {}
    for _, r in mem.iterrows():
        if r["status"] != "withdrawn" and r["_start"]:
            spans.setdefault((r["iso3"], r["organization"]), []).append((r["_start"], r["_end"]))
    for _, r in inst.iterrows():
        org, host = r["operator"], r["host_iso3"]
        if org not in orgs or f"no {org} status".lower() in str(r["note"] or "").lower():
            continue
        lo, hi = r["_established"], r["_ended"]
        if any((hi is None or s < hi) and (lo is None or e is None or lo < e) for s, e in spans.get((host, org), [])):
            continue
        ck.add("installations.csv", r["_row"], "host_iso3",
               f"{host} hosts this {org} installation but has no {org} status row covering its dates "
               f"(add one to memberships.csv, or write 'no {org} status: <why>' in the note)")


CONTROL_FILE = "control_areas.geojson"
CONTROL_COLUMNS = (
    "id", "name", "controlled_by", "since", "until", "snapshot_date", "geometry_quality", "confidence",
    "sources", "last_verified", "note",
)  # fmt: skip
#: share of a control area that may lie outside the de jure state (simplified borders)
CONTROL_OUTSIDE_SHARE = 0.01


def check_control_areas(ck: Checker, frame, known_sources: set[str], states) -> None:
    """Rules for data/control_areas.geojson: required properties, dated and approximate areas,
    known sources, and areas inside Ukraine (a control area is never part of Russia's map)."""
    name = CONTROL_FILE
    for col in CONTROL_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    for col in CONTROL_COLUMNS:
        frame[col] = frame[col].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
    ck.unique(name, frame, "id")
    for _, r in frame.iterrows():
        row = r["_row"]
        for col in ("id", "name", "controlled_by"):
            if not r[col]:
                ck.add(name, row, col, "must not be empty")
        q = r["geometry_quality"]
        if not (q.startswith("approximate:") and q[len("approximate:"):].strip()):
            ck.add(name, row, "geometry_quality", "must be 'approximate: <what it approximates>' (front lines are never exact)")
        ck.date(name, row, "snapshot_date", r["snapshot_date"], required=True)
        ck.date(name, row, "last_verified", r["last_verified"], required=True)
    ck.interval(name, frame, "since", "until", start_required=True)
    ck.confidence(name, frame)
    ck.sources(name, frame, known_sources)
    ukraine = dict(zip(states["iso3"], states.geometry, strict=True)).get("UKR")
    if ukraine is None:
        return
    for row, geom in zip(frame["_row"], frame.geometry, strict=True):
        if geom is None or geom.is_empty or not geom.is_valid or geom.area == 0:
            continue
        outside = geom.difference(ukraine).area / geom.area
        if outside > CONTROL_OUTSIDE_SHARE:
            ck.add(name, row, "geometry", f"{outside:.0%} of the area lies outside Ukraine's border")


def normalise_url(url: str) -> str:
    """The address without its scheme, a leading ``www.``, the host's case or a trailing slash, so that
    http://www.x.org/a/ and https://x.org/a name the same page."""
    text = str(url or "").strip()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.IGNORECASE)
    host, slash, rest = text.partition("/")
    host = host.lower()
    host = host.removeprefix("www.")
    return (host + slash + rest).rstrip("/")


def check_duplicate_urls(ck: Checker, src: pd.DataFrame) -> None:
    """One address, one source id: a second id for the same page splits its citations."""
    seen: dict[str, tuple[int, str]] = {}
    for row, sid, url in zip(src["_row"], src["id"], src["url"], strict=True):
        key = normalise_url(url)
        if not key:
            continue
        if key in seen:
            first_row, first_id = seen[key]
            ck.add("sources.csv", row, "url",
                   f"same address as source {first_id!r} (row {first_row}): keep one id and cite it instead")
        else:
            seen[key] = (row, sid)


def _ids(cell) -> list[str]:
    return [s.strip() for s in str(cell or "").split(";") if s.strip()]


def check_source_tiers(ck: Checker, file: str, frame, tiers: dict[str, str]) -> None:
    """A row may not rest on copies alone, and a 'high' confidence row needs a primary or reputable source."""
    has_confidence = "confidence" in frame.columns
    for _, r in frame.iterrows():
        known = [tiers[s] for s in _ids(r["sources"]) if s in tiers]
        if not known:
            continue  # no source or unknown ids: ck.sources reports it
        if all(t == "copy" for t in known):
            ck.add(file, r["_row"], "sources",
                   "every source of this row is a copy (tier 'copy'): cite the original or another non-copy source")
        if has_confidence and r["confidence"] == "high" and not any(t in schema.STRONG_TIERS for t in known):
            ck.add(file, r["_row"], "confidence",
                   "'high' needs a primary or reputable source among the row's sources "
                   f"(it has: {', '.join(sorted(set(known)))}); cite one or lower the confidence")
