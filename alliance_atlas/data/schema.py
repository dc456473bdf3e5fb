"""Ids, enums and column names of the data contract (data/README.md), and the Filters value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

POST_SOVIET = (
    "ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA",
    "LTU", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB",
)  # fmt: skip

#: basemap ids (the URL's basemap=): the built-in offline land, or online tiles
BASEMAPS = ("vector", "osm", "light", "dark", "custom")

REGIONS = {
    "baltic": "Baltic states",
    "eastern-europe": "Eastern Europe",
    "south-caucasus": "South Caucasus",
    "central-asia": "Central Asia",
    "russia": "Russia",
    "neighbour": "Neighbouring states",
}

MEMBERSHIP_STATUSES = {
    "member": "Full member",
    "associate": "Associate member / participant without full membership",
    "observer": "Observer",
    "dialogue_partner": "Dialogue partner",
    "partner": "Partner (SCO, from Sep 2025: observer and dialogue partner merged)",
    "suspended": "Membership suspended",
    "participation_frozen": "Member that has frozen its participation",
    "withdrawn": "Withdrawn (no longer a member)",
}
#: statuses that count as "in" an organization for the members query (everything but withdrawn)
ACTIVE_STATUSES = tuple(s for s in MEMBERSHIP_STATUSES if s != "withdrawn")

ORG_KINDS = (
    "military_alliance", "political_union", "economic_union", "air_defence",
    "regional_organization", "security_organization", "bilateral",
)  # fmt: skip

INSTALLATION_KINDS = {
    "ground_base": "Ground forces base",
    "air_base": "Air base",
    "naval_base": "Naval base",
    "radar": "Radar / early warning",
    "space_launch": "Space launch site",
    "test_range": "Test range",
    "depot": "Depot",
    "missile": "Missile unit",
    "peacekeeping": "Peacekeeping contingent",
    "deployment": "Deployment",
    "battlegroup": "NATO battlegroup",
}
INSTALLATION_STATUSES = ("active", "closed", "withdrawn", "planned")
#: an installation's phase on the chosen date, in plain words (legend, tables, filters)
PHASE_NAMES = {
    "active": "Active on this date",
    "planned": "Planned, not yet active",
    "closed": "Closed",
    "withdrawn": "Withdrawn",
}


def org_label(org_id: str, name: str) -> str:
    """How an organization is named to a person: its well-known acronym (CSTO, NATO, …) or, for an id
    that is not one (RUS_BILATERAL, CIS_JADS, UNION_STATE), its full name."""
    return org_id if org_id.isalpha() and org_id.isupper() else name


#: short labels for the alliance picker (pills truncate long names); the full name goes in its help
SHORT_LABELS = {
    "CSTO": "CSTO", "CIS": "CIS", "UNION_STATE": "Union State", "EAEU": "EAEU", "CIS_JADS": "CIS air defence",
    "RUS_BILATERAL": "Bilateral w/ Russia", "NATO": "NATO", "GUAM": "GUAM", "SCO": "SCO",
}  # fmt: skip


def short_label(org_id: str, name: str) -> str:
    """A few words for a pill: the entry of SHORT_LABELS, else org_label (an organization added to the
    data later still gets a readable, if longer, label)."""
    return SHORT_LABELS.get(org_id) or org_label(org_id, name)


def org_names(organizations) -> dict[str, str]:
    """Organization id -> the words a person reads, for an organizations table (id, name)."""
    return {o: org_label(o, n) for o, n in zip(organizations["id"], organizations["name"], strict=True)}


OPERATORS = ("RUS", "NATO")

TERRITORY_STATUSES = {
    "annexed": "Claimed annexation by Russia (not recognised internationally)",
    "occupied": "Occupied",
    "breakaway": "Breakaway entity",
    "leased": "Leased to Russia",
    "exclave": "Exclave",
}
EVENT_KINDS = (
    "treaty", "accession", "withdrawal", "war", "annexation",
    "deployment", "agreement", "dissolution", "other",
)  # fmt: skip
CONFIDENCE = ("high", "medium", "low")

#: how close a source is to the origin of what it supports (data/README.md, "sources.csv")
SOURCE_TIERS = {
    "primary": "Treaty text, government, parliament, official page of the UN/NATO/OSCE/CSTO/CIS, "
    "the organisation's own site, official gazette",
    "reputable": "A major wire agency's own page (Reuters, AP, AFP, TASS, Interfax, RIA), a major outlet, "
    "RFE/RL, a think tank (IISS, ISW, Jamestown, Carnegie…)",
    "regional": "Regional or national press",
    "encyclopedia": "Wikipedia itself, Britannica, GlobalSecurity",
    "copy": "A mirror, repost, blog copy or aggregator of someone else's text",
}
#: tiers that can carry a 'high' confidence row on their own (with the row's other sources)
STRONG_TIERS = ("primary", "reputable")

# Columns each file must have (extra columns are allowed and kept).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources.csv": ("id", "publisher", "title", "url", "published", "accessed", "tier"),
    "organizations.csv": (
        "id", "name", "kind", "founded", "dissolved", "description", "aliases", "sources",
    ),
    "memberships.csv": (
        "iso3", "organization", "status", "start", "end", "note", "confidence", "sources",
    ),
    "installations.csv": (
        "id", "name", "aliases", "unit", "operator", "kind", "host_iso3", "territory_id",
        "locality", "lat", "lon", "coord_quality", "status", "established", "ended",
        "legal_basis", "personnel", "note", "confidence", "sources", "last_verified",
    ),
    "events.csv": (
        "id", "date", "end", "title", "kind", "iso3s", "lat", "lon", "summary", "sources",
    ),
    "states.geojson": ("iso3", "name", "region", "post_soviet"),
    "territories.geojson": (
        "id", "name", "de_jure_iso3", "status", "controlled_by", "since", "until",
        "note", "geometry_quality", "confidence", "sources",
    ),
}  # fmt: skip

EARLIEST = dt.date(1991, 1, 1)


@dataclass(frozen=True)
class Filters:
    """One view of the atlas. Frozen and hashable, so it can key a cache."""

    date: dt.date = field(default_factory=dt.date.today)
    regions: tuple[str, ...] = ()  # empty = all
    alliances: tuple[str, ...] = ("CSTO",)
    kinds: tuple[str, ...] = ()  # empty = all
    statuses: tuple[str, ...] = ()  # empty = all
    show_historic: bool = False
    basemap: str = "vector"
    select: str | None = None
