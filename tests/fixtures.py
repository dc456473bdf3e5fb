"""A tiny, valid data folder built in code (no network, no shipped data needed).

Four square "states" and one territory, with memberships that change over time.
Tests copy it and break one thing at a time.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from alliance_atlas.data import schema


def point_geojson(name: str, lon: float, lat: float) -> str:
    """A one-point FeatureCollection (an overlay a user or the team folder might hold), as JSON text."""
    feature = {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


def square(lon: float, lat: float, size: float = 4.0) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


STATES = [
    ("RUS", "Russia", "russia", True, square(40, 50, 10)),
    ("ARM", "Armenia", "south-caucasus", True, square(30, 40)),
    ("UZB", "Uzbekistan", "central-asia", True, square(60, 38)),
    ("EST", "Estonia", "baltic", True, square(20, 56)),
    ("POL", "Poland", "neighbour", False, square(14, 50)),
]
for iso in schema.POST_SOVIET:
    if iso not in {s[0] for s in STATES}:
        # remaining post-Soviet states: small squares far from the others
        i = schema.POST_SOVIET.index(iso)
        STATES.append((iso, iso.title(), "central-asia", True, square(100 + i * 2, 10, 1)))

SOURCES = [
    {
        "id": "src-a",
        "publisher": "Pub A",
        "title": "Title A",
        "url": "https://example.org/a",
        "published": "2020",
        "accessed": "2026-11-25",
        "tier": "primary",
    },
    {
        "id": "src-b",
        "publisher": "Pub B",
        "title": "Title B",
        "url": "https://example.org/b",
        "published": "",
        "accessed": "2026-11-25",
        "tier": "reputable",
    },
]
ORGANIZATIONS = [
    {
        "id": "CSTO",
        "name": "Collective Security Treaty Organization",
        "kind": "military_alliance",
        "founded": "1992-05-15",
        "dissolved": "",
        "description": "From the 1992 treaty; Organization from the 2002 Charter.",
        "aliases": "ODKB",
        "sources": "src-a",
    },
    {
        "id": "NATO",
        "name": "North Atlantic Treaty Organization",
        "kind": "military_alliance",
        "founded": "1949-04-04",
        "dissolved": "",
        "description": "",
        "aliases": "",
        "sources": "src-b",
    },
]


def m(iso3, org, status, start, end="", sources="src-a"):
    return {
        "iso3": iso3,
        "organization": org,
        "status": status,
        "start": start,
        "end": end,
        "note": "",
        "confidence": "high",
        "sources": sources,
    }


MEMBERSHIPS = [
    m("RUS", "CSTO", "member", "1994-04-20"),
    m("ARM", "CSTO", "member", "1994-04-20", "2024-02-22"),
    m("ARM", "CSTO", "participation_frozen", "2024-02-22"),
    m("UZB", "CSTO", "member", "1994-04-20", "1999-04-02"),
    m("UZB", "CSTO", "withdrawn", "1999-04-02", "2006-08-16"),
    m("UZB", "CSTO", "member", "2006-08-16", "2012-06-28"),
    m("UZB", "CSTO", "suspended", "2012-06-28"),
    m("EST", "NATO", "member", "2004-03-29", sources="src-b"),
    m("POL", "NATO", "member", "1999-03-12", sources="src-b"),
]


def inst(id_, name, kind, iso, lat, lon, status="active", established="1995", ended="", operator="RUS", territory=""):
    return {
        "id": id_,
        "name": name,
        "aliases": "",
        "unit": "",
        "operator": operator,
        "kind": kind,
        "host_iso3": iso,
        "territory_id": territory,
        "locality": "",
        "lat": str(lat),
        "lon": str(lon),
        "coord_quality": "exact",
        "status": status,
        "established": established,
        "ended": ended,
        "legal_basis": "",
        "personnel": "",
        "note": "",
        "confidence": "medium",
        "sources": "src-a",
        "last_verified": "2026-11-25",
    }


INSTALLATIONS = [
    inst("base-a", "Base A", "ground_base", "ARM", 42, 32),
    inst("radar-b", "Radar B", "radar", "UZB", 40, 62, status="closed", established="1995", ended="2012-12-10"),
    inst("bg-est", "Battlegroup Estonia", "battlegroup", "EST", 58, 22, operator="NATO", established="2017"),
    inst("fleet-c", "Fleet C", "naval_base", "RUS", 55, 45, territory="terr-x"),
]
EVENTS = [
    {
        "id": "ev-1",
        "date": "1992-05-15",
        "end": "",
        "title": "Treaty signed",
        "kind": "treaty",
        "iso3s": "ARM;RUS",
        "lat": "",
        "lon": "",
        "summary": "A treaty.",
        "sources": "src-a",
    },
]
TERRITORIES = [
    (
        {
            "id": "terr-x",
            "name": "Territory X",
            "de_jure_iso3": "RUS",
            "status": "exclave",
            "controlled_by": "RUS",
            "since": "1991",
            "until": "",
            "note": "",
            "geometry_quality": "approximate: a square",
            "confidence": "low",
            "sources": "src-a",
        },
        square(44, 54, 2),
    ),
    (
        {
            "id": "terr-y",
            "name": "Territory Y",
            "de_jure_iso3": "ARM",
            "status": "annexed",
            "controlled_by": "RUS",
            "since": "2014-03-18",
            "until": "",
            "note": "",
            "geometry_quality": "approximate: a square",
            "confidence": "low",
            "sources": "src-a",
        },
        square(31, 41, 1),
    ),
]


def write_csv(path: Path, rows: list[dict], columns=None) -> None:
    cols = list(columns or rows[0].keys())
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)


def write_data(folder: Path, **overrides) -> Path:
    """Write the fixture into ``folder``; keyword overrides replace whole tables."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "sources": SOURCES,
        "organizations": ORGANIZATIONS,
        "memberships": MEMBERSHIPS,
        "installations": INSTALLATIONS,
        "events": EVENTS,
    } | overrides
    for name in ("sources", "organizations", "memberships", "installations", "events"):
        write_csv(folder / f"{name}.csv", [dict(r) for r in tables[name]], schema.COLUMNS[f"{name}.csv"])
    states = overrides.get("states", STATES)
    (folder / "states.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"iso3": i, "name": n, "region": r, "post_soviet": p},
                        "geometry": g,
                    }
                    for i, n, r, p, g in states
                ],
            }
        )
    )
    territories = overrides.get("territories", TERRITORIES)
    (folder / "territories.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": dict(props), "geometry": g} for props, g in territories],
            }
        )
    )
    return folder
