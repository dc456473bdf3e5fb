"""What was clicked, and everything about it: the details panel beside the map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from shapely.geometry import Point

from alliance_atlas.data import asof, dates, schema
from alliance_atlas.data.cache import BoundedCache
from alliance_atlas.data.loading import Atlas


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str


@dataclass(frozen=True)
class Details:
    kind: str  # installation | territory | state
    id: str
    title: str
    fields: list[tuple[str, str]]
    sources: list[Source]
    lat: float | None = None
    lon: float | None = None
    memberships: list[dict] = field(default_factory=list)


def sources_of(atlas: Atlas, cells) -> list[Source]:
    src = atlas.sources.set_index("id")
    ids: list[str] = []
    for cell in cells:
        ids.extend(s for s in str(cell or "").split(";") if s)
    out = []
    for sid in dict.fromkeys(ids):
        if sid in src.index:
            r = src.loc[sid]
            out.append(Source(sid, r["publisher"], r["title"], r["url"]))
    return out


def state_name(atlas: Atlas, iso3: str) -> str:
    """A state's name for a person ("Armenia"), the code itself when the data has no such state."""
    names = dict(zip(atlas.states["iso3"], atlas.states["name"], strict=True)) | {"NATO": "NATO"}
    return names.get(iso3, iso3)


def plain(value: str) -> str:
    """An enum value written for a person: ``participation_frozen`` -> "Participation frozen"."""
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def outline_name(quality: str) -> str:
    """A territory outline's quality for a person: the data's code for Natural Earth named in words."""
    return "Natural Earth 1:10m boundaries" if quality == "natural-earth-10m" else quality


def pick(atlas: Atlas, lat: float, lon: float, day: dt.date, installations: pd.DataFrame | None = None) -> str | None:
    """The id of what sits at a clicked point: an installation marker (exact position), else a
    territory shown on ``day``, else a state."""
    inst = installations if installations is not None else asof.installations_on(atlas, day, show_historic=True)
    for _, r in inst.iterrows():
        if abs(float(r["lat"]) - lat) < 1e-6 and abs(float(r["lon"]) - lon) < 1e-6:
            return str(r["id"])
    pt = Point(lon, lat)
    for _, r in asof.territories_on(atlas, day).iterrows():
        if r.geometry.covers(pt):
            return str(r["id"])
    for _, r in atlas.states.iterrows():
        if r.geometry.covers(pt):
            return str(r["iso3"])
    return None


def territory_name(atlas: Atlas, tid: str) -> str:
    names = dict(zip(atlas.territories["id"], atlas.territories["name"], strict=True))
    return names.get(tid, tid) if tid else ""


def item_name(atlas: Atlas, item: str) -> str:
    """An installation's, territory's or state's name for a person; the id itself when the data has none."""
    for frame, key in ((atlas.installations, "id"), (atlas.territories, "id"), (atlas.states, "iso3")):
        hit = frame.loc[frame[key] == item, "name"]
        if not hit.empty:
            return str(hit.iloc[0])
    return item


def kind_of(atlas: Atlas, item: str) -> str | None:
    if item in set(atlas.installations["id"]):
        return "installation"
    if item in set(atlas.territories["id"]):
        return "territory"
    if item in set(atlas.states["iso3"]):
        return "state"
    return None


def describe(atlas: Atlas, item: str, day: dt.date) -> Details | None:
    """All fields of an item, its sources, and for a state its memberships (marking those on ``day``)."""
    kind = kind_of(atlas, item)
    if kind == "installation":
        r = atlas.installations.set_index("id").loc[item]
        phase = asof.installation_phase(r, day)
        names = [
            ("Unit", r["unit"]), ("Operator", state_name(atlas, r["operator"])),
            ("Kind", schema.INSTALLATION_KINDS.get(r["kind"], r["kind"])), ("Host state", state_name(atlas, r["host_iso3"])),
            ("Territory", territory_name(atlas, r["territory_id"])), ("Locality", r["locality"]),
            ("On the selected date", schema.PHASE_NAMES.get(phase, plain(phase))), ("Status today", plain(r["status"])),
            ("Established", r["established"]), ("Ended", r["ended"]), ("Legal basis", r["legal_basis"]),
            ("Personnel", r["personnel"]), ("Note", r["note"]), ("Also known as", r["aliases"]),
            ("Coordinates", f"{r['lat']}, {r['lon']} ({r['coord_quality']})"),
            ("Confidence", r["confidence"]), ("Last verified", r["last_verified"]),
        ]  # fmt: skip
        return Details(
            kind,
            item,
            r["name"],
            [(k, str(v)) for k, v in names if v],
            sources_of(atlas, [r["sources"]]),
            float(r["lat"]),
            float(r["lon"]),
        )
    if kind == "territory":
        r = atlas.territories.set_index("id").loc[item]
        names = [
            ("Status", schema.TERRITORY_STATUSES.get(r["status"], r["status"])), ("De jure part of", state_name(atlas, r["de_jure_iso3"])),
            ("Controlled by", state_name(atlas, r["controlled_by"])), ("Since", r["since"]), ("Until", r["until"]), ("Note", r["note"]),
            ("Outline", outline_name(r["geometry_quality"])), ("Confidence", r["confidence"]),
        ]  # fmt: skip
        c = r.geometry.representative_point()
        return Details(
            kind, item, r["name"], [(k, str(v)) for k, v in names if v], sources_of(atlas, [r["sources"]]), c.y, c.x
        )
    if kind == "state":
        r = atlas.states.set_index("iso3").loc[item]
        mem = atlas.memberships[atlas.memberships["iso3"] == item].sort_values(["organization", "start"])
        orgs = schema.org_names(atlas.organizations)
        rows = [
            {
                "organization": orgs.get(m["organization"], m["organization"]),
                "status": schema.MEMBERSHIP_STATUSES.get(m["status"], plain(m["status"])),
                "start": m["start"],
                "end": m["end"],
                "on_date": dates.holds_on(day, m["_start"], m["_end"]),
                "confidence": m["confidence"],
                "note": m["note"],
            }
            for _, m in mem.iterrows()
        ]
        fields = [("ISO code", item), ("Region", schema.REGIONS.get(r["region"], r["region"]))]
        c = r.geometry.representative_point()
        return Details(kind, item, r["name"], fields, sources_of(atlas, mem["sources"]), c.y, c.x, rows)
    return None


@dataclass(frozen=True)
class Summary:
    states: int
    active_installations: int
    personnel: int
    personnel_sites: int


def summary(atlas: Atlas, f: schema.Filters, day: dt.date | None = None) -> Summary:
    """Figures for the selection on ``day`` (default the filter date): states with a
    non-withdrawn status in the selected alliances, active installations, and the sum
    of sourced personnel figures (with how many installations have one)."""
    day = day or f.date
    rows = asof.statuses_on(atlas, day, f.alliances)
    rows = rows[rows["status"].isin(schema.ACTIVE_STATUSES)]
    inst = asof.installations_on(atlas, day)
    region_of = dict(zip(atlas.states["iso3"], atlas.states["region"], strict=True))
    if f.regions:
        rows = rows[rows["iso3"].map(region_of).isin(f.regions)]
        inst = inst[inst["host_iso3"].map(region_of).isin(f.regions)]
    if f.kinds:
        inst = inst[inst["kind"].isin(f.kinds)]
    known = inst[inst["personnel"].astype(str).str.isdigit()]
    return Summary(rows["iso3"].nunique(), len(inst), int(known["personnel"].astype(int).sum()), len(known))


def cached_summary(atlas: Atlas, f: schema.Filters, day: dt.date | None = None) -> Summary:
    """summary(), kept per (filters, day) in the dataset's bounded cache."""

    cache = atlas.cache.setdefault("summaries", BoundedCache(512))
    key = (f.alliances, f.regions, f.kinds, day or f.date)
    return cache.get_or_make(key, lambda: summary(atlas, f, day))
