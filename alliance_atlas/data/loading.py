"""Load and validate every data file. One entry point: :func:`load`.

Problems name the file, the row (the CSV line number, header = line 1; for GeoJSON
the feature number, from 1) and the column, so an analyst can fix a hand-edited CSV.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from alliance_atlas.data import schema
from alliance_atlas.data.checks import Checker
from alliance_atlas.data.problems import DataError, Problem
from alliance_atlas.data.rules import (
    check_control_areas,
    check_duplicate_urls,
    check_hosts,
    check_overlaps,
    check_points,
    check_source_tiers,
)

__all__ = ["Atlas", "DataError", "Problem", "citations", "data_dir", "load", "validate"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ORG_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: an explicit path, else $ATLAS_DATA_DIR, else the bundled data/."""
    chosen = explicit or os.environ.get("ATLAS_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


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
    #: dated areas under Russian military control (data/control_areas.geojson), or None if absent
    control_areas: gpd.GeoDataFrame | None = None


def validate(folder: str | os.PathLike[str] | None = None) -> tuple[Atlas | None, list[Problem]]:
    """Load every file and check every rule of the data contract."""
    root = data_dir(folder)
    ck = Checker()
    if not root.is_dir():
        ck.add(str(root), None, None, "data folder does not exist")
        return None, ck.problems
    read = {name: ck.read_csv(root, name) for name in schema.COLUMNS if name.endswith(".csv")}
    states = ck.read_geojson(root, "states.geojson")
    territories = ck.read_geojson(root, "territories.geojson")
    land = ck.read_geojson(root, "land.geojson", optional=True)
    control = ck.read_geojson(root, "control_areas.geojson", optional=True)
    frames = {name: f for name, f in read.items() if f is not None}
    if len(frames) < len(read) or states is None or territories is None:
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
        ck.enum("sources.csv", r["_row"], "tier", r["tier"], tuple(schema.SOURCE_TIERS))
        archive = r.get("archive_url") or ""
        if archive and not re.match(r"^https?://\S+$", archive):
            ck.add("sources.csv", r["_row"], "archive_url", "archive_url must start with http:// or https://")
    check_duplicate_urls(ck, src)
    known_sources = set(src["id"])
    tiers = dict(zip(src["id"], src["tier"], strict=True))

    # organizations.csv
    ck.unique("organizations.csv", orgs, "id")
    for _, r in orgs.iterrows():
        if not _ORG_ID.match(r["id"]):
            ck.add("organizations.csv", r["_row"], "id", f"{r['id']!r} is not an upper-case id")
        ck.enum("organizations.csv", r["_row"], "kind", r["kind"], schema.ORG_KINDS)
    ck.interval("organizations.csv", orgs, "founded", "dissolved", start_required=False)
    for _, r in orgs[(orgs["founded"] == "") & (orgs["kind"] != "bilateral")].iterrows():
        ck.add(
            "organizations.csv", r["_row"], "founded", "a date is required (only kind 'bilateral' may leave it empty)"
        )
    ck.sources("organizations.csv", orgs, known_sources)
    check_source_tiers(ck, "organizations.csv", orgs, tiers)
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
    check_source_tiers(ck, "territories.geojson", territories, tiers)

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
    check_source_tiers(ck, "memberships.csv", mem, tiers)
    check_overlaps(ck, mem)

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
        if not (cq == "exact" or cq.startswith("approximate:") and cq[len("approximate:") :].strip()):
            ck.add(
                "installations.csv", row, "coord_quality", "must be 'exact' or 'approximate: <what it approximates>'"
            )
        if r["personnel"] and not r["personnel"].isdigit():
            ck.add("installations.csv", row, "personnel", f"{r['personnel']!r} is not a whole number")
        ck.date("installations.csv", row, "last_verified", r["last_verified"], required=True)
        lats.append(ck.number("installations.csv", row, "lat", r["lat"], -90, 90, required=True))
        lons.append(ck.number("installations.csv", row, "lon", r["lon"], -180, 180, required=True))
    ck.interval("installations.csv", inst, "established", "ended", start_required=False)
    ck.confidence("installations.csv", inst)
    ck.sources("installations.csv", inst, known_sources)
    check_source_tiers(ck, "installations.csv", inst, tiers)
    inst["_lat"], inst["_lon"] = lats, lons
    check_points(ck, inst, states, territories)
    check_hosts(ck, inst, mem, known_orgs)

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
    check_source_tiers(ck, "events.csv", ev, tiers)
    ev["_lat"], ev["_lon"] = elat, elon

    # control_areas.geojson (optional file)
    if control is not None:
        check_control_areas(ck, control, known_sources, states)
        check_source_tiers(ck, "control_areas.geojson", control, tiers)

    if ck.problems:
        return None, ck.problems
    counts = {name: len(f) for name, f in frames.items()}
    counts |= {"states.geojson": len(states), "territories.geojson": len(territories)}
    if control is not None:
        counts["control_areas.geojson"] = len(control)
    atlas = Atlas(root, src, orgs, mem, inst, ev, states, territories, land, counts)
    atlas.control_areas = control
    return atlas, []


def load(folder: str | os.PathLike[str] | None = None) -> Atlas:
    """Load and validate; raise DataError listing every problem."""
    atlas, problems = validate(folder)
    if problems or atlas is None:
        raise DataError(problems)
    return atlas


def citations(atlas: Atlas):
    """Every source with the rows that cite it (``file:row-id``) and how many."""
    cited: dict[str, list[str]] = {sid: [] for sid in atlas.sources["id"]}
    tables = [
        ("organizations", atlas.organizations, "id"),
        ("installations", atlas.installations, "id"),
        ("events", atlas.events, "id"),
        ("territories", atlas.territories, "id"),
    ]
    if atlas.control_areas is not None:
        tables.append(("control_areas", atlas.control_areas, "id"))
    for name, frame, key in tables:
        for _, r in frame.iterrows():
            for sid in str(r["sources"] or "").split(";"):
                if sid in cited:
                    cited[sid].append(f"{name}:{r[key]}")
    for _, r in atlas.memberships.iterrows():
        for sid in str(r["sources"] or "").split(";"):
            if sid in cited:
                cited[sid].append(f"memberships:{r['iso3']}/{r['organization']}/{r['start']}")
    table = atlas.sources[["id", "publisher", "title", "url", "published", "accessed", "tier"]].copy()
    table["cited by"] = table["id"].map(cited)
    table["rows"] = table["cited by"].map(len)
    return table.sort_values(["rows", "id"], ascending=[False, True]).reset_index(drop=True)
