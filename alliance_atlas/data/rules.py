"""Cross-file rules of the data contract (overlaps, points in their state, hosts, control areas, sources)."""

from __future__ import annotations

import re

import pandas as pd
from pyproj import Geod
from shapely.geometry import Point
from shapely.ops import nearest_points

from alliance_atlas.data import schema
from alliance_atlas.data.checks import Checker

TOLERANCE_KM = 10.0
_GEOD = Geod(ellps="WGS84")


def km_outside(point: Point, area) -> float:
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
        km = km_outside(Point(r["_lon"], r["_lat"]), area)
        if km > TOLERANCE_KM:
            label = r["territory_id"] or r["host_iso3"]
            ck.add(
                "installations.csv",
                r["_row"],
                "lat",
                f"point lies {km:.0f} km outside {label} (tolerance {TOLERANCE_KM:.0f} km)",
            )


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
        ck.add(
            "installations.csv",
            r["_row"],
            "host_iso3",
            f"{host} hosts this {org} installation but has no {org} status row covering its dates "
            f"(add one to memberships.csv, or write 'no {org} status: <why>' in the note)",
        )


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
        if not (q.startswith("approximate:") and q[len("approximate:") :].strip()):
            ck.add(
                name,
                row,
                "geometry_quality",
                "must be 'approximate: <what it approximates>' (front lines are never exact)",
            )
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
            ck.add(
                "sources.csv",
                row,
                "url",
                f"same address as source {first_id!r} (row {first_row}): keep one id and cite it instead",
            )
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
            ck.add(
                file,
                r["_row"],
                "sources",
                "every source of this row is a copy (tier 'copy'): cite the original or another non-copy source",
            )
        if has_confidence and r["confidence"] == "high" and not any(t in schema.STRONG_TIERS for t in known):
            ck.add(
                file,
                r["_row"],
                "confidence",
                "'high' needs a primary or reputable source among the row's sources "
                f"(it has: {', '.join(sorted(set(known)))}); cite one or lower the confidence",
            )
