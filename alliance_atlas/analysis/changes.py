"""What changed between two dates, computed from the data (never written by hand)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alliance_atlas.data import schema
from alliance_atlas.data.loading import Atlas

VERB = {
    "member": "became a member of",
    "associate": "became an associate of",
    "observer": "became an observer in",
    "dialogue_partner": "became a dialogue partner of",
    "partner": "became a partner of",
    "suspended": "suspended its membership in",
    "participation_frozen": "froze its participation in",
    "withdrawn": "left",
}


@dataclass(frozen=True)
class Change:
    date: dt.date
    kind: str  # membership | installation | territory
    subject: str  # iso3 / installation id / territory id
    text: str
    sources: str
    organization: str = ""


def _in(day: dt.date | None, lo: dt.date, hi: dt.date) -> bool:
    return day is not None and lo < day <= hi


def changes(atlas: Atlas, start: dt.date, end: dt.date) -> list[Change]:
    """Every change that took effect after ``start`` and on or before ``end``, in date order."""
    lo, hi = (start, end) if start <= end else (end, start)
    names = dict(zip(atlas.states["iso3"], atlas.states["name"], strict=True))
    out: list[Change] = []
    mem = atlas.memberships.sort_values("_start")
    for (iso, org), grp in mem.groupby(["iso3", "organization"]):
        rows = list(grp.sort_values("_start").iterrows())
        state = names.get(iso, iso)
        for i, (_, r) in enumerate(rows):
            if _in(r["_start"], lo, hi):
                verb = VERB.get(r["status"], r["status"])
                prev = rows[i - 1][1] if i else None
                if r["status"] == "member" and prev is not None and prev["status"] in ("suspended", "withdrawn"):
                    verb = "returned to full membership of" if prev["status"] == "suspended" else "rejoined"
                if r["status"] == "member" and prev is not None and prev["status"] == "participation_frozen":
                    verb = "resumed participation in"
                out.append(Change(r["_start"], "membership", iso, f"{state} {verb} {org}", r["sources"], org))
            nxt = rows[i + 1][1] if i + 1 < len(rows) else None
            if _in(r["_end"], lo, hi) and (nxt is None or nxt["_start"] != r["_end"]):
                out.append(
                    Change(
                        r["_end"],
                        "membership",
                        iso,
                        f"{state}'s status as {r['status'].replace('_', ' ')} of {org} ended",
                        r["sources"],
                        org,
                    )
                )
    for _, r in atlas.installations.iterrows():
        label = f"{r['name']} ({schema.INSTALLATION_KINDS.get(r['kind'], r['kind']).lower()}, {names.get(r['host_iso3'], r['host_iso3'])})"
        if _in(r["_established"], lo, hi):
            out.append(Change(r["_established"], "installation", r["id"], f"{label} established", r["sources"]))
        if _in(r["_ended"], lo, hi):
            what = "withdrawn" if r["status"] == "withdrawn" else "closed"
            out.append(Change(r["_ended"], "installation", r["id"], f"{label} {what}", r["sources"]))
    for _, r in atlas.territories.iterrows():
        status = schema.TERRITORY_STATUSES.get(r["status"], r["status"]).lower()
        if _in(r["_since"], lo, hi):
            out.append(Change(r["_since"], "territory", r["id"], f"{r['name']}: {status} from this date", r["sources"]))
        if _in(r["_until"], lo, hi):
            out.append(Change(r["_until"], "territory", r["id"], f"{r['name']}: no longer {status}", r["sources"]))
    return sorted(out, key=lambda c: (c.date, c.kind, c.text))


KINDS = ("membership", "installation", "territory")


def listed(
    atlas: Atlas,
    start: dt.date,
    end: dt.date,
    kinds: tuple[str, ...] | list[str] = KINDS,
    orgs: tuple[str, ...] | list[str] | set[str] = (),
) -> list[Change]:
    """The changes a reader asked for: of ``kinds``, and membership changes only in ``orgs``
    (every organization when empty). The Compare page counts and lists this one result, so its
    heading and its list cannot disagree."""
    keep, only = set(kinds), set(orgs)
    return [
        c
        for c in changes(atlas, start, end)
        if c.kind in keep and not (c.kind == "membership" and only and c.organization not in only)
    ]


# the states' bounds stop at the antimeridian: Chukotka's far end (west of 180°) would otherwise
# stretch Russia's box round the whole globe
_EAST_LIMIT, _WEST_LIMIT = 180.0, -30.0


def bounds(atlas: Atlas, found: list[Change], pad: float = 0.5):
    """[[south, west], [north, east]] around every state, installation and territory in ``found``
    (the area a map of these changes should open on), or None when none of them has a place."""
    import shapely

    boxes: list[tuple[float, float, float, float]] = []
    states = atlas.states.set_index("iso3").geometry
    inst = atlas.installations.set_index("id")
    ters = atlas.territories.set_index("id").geometry
    for c in found:
        geom = None
        if c.kind == "membership" and c.subject in states.index:
            geom = states.loc[c.subject]
        elif c.kind == "territory" and c.subject in ters.index:
            geom = ters.loc[c.subject]
        elif c.kind == "installation" and c.subject in inst.index:
            lat, lon = inst.loc[c.subject, "_lat"], inst.loc[c.subject, "_lon"]
            if lat == lat and lon == lon:  # not NaN
                boxes.append((float(lon), float(lat), float(lon), float(lat)))
            continue
        if geom is None or geom.is_empty:
            continue
        geom = shapely.clip_by_rect(geom, _WEST_LIMIT, -90.0, _EAST_LIMIT, 90.0)
        if not geom.is_empty:
            west, south, east, north = (float(v) for v in geom.bounds)
            boxes.append((west, south, east, north))
    if not boxes:
        return None
    w, s = min(b[0] for b in boxes) - pad, min(b[1] for b in boxes) - pad
    e, n = max(b[2] for b in boxes) + pad, max(b[3] for b in boxes) + pad
    return [[max(s, -85.0), max(w, -180.0)], [min(n, 85.0), min(e, 180.0)]]
