"""Find any state, territory, installation, organization or event by name or alias."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .io import Atlas


@dataclass(frozen=True)
class Item:
    kind: str  # state | territory | installation | organization | event
    id: str
    label: str
    terms: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    date: str | None = None


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _aliases(cell) -> list[str]:
    return [a.strip() for a in str(cell or "").split(";") if a.strip()]


def index(atlas: Atlas) -> list[Item]:
    items: list[Item] = []
    for _, r in atlas.states.iterrows():
        c = r.geometry.representative_point()
        items.append(Item("state", r["iso3"], f"{r['name']} (state)", (r["name"], r["iso3"]), c.y, c.x))
    for _, r in atlas.territories.iterrows():
        c = r.geometry.representative_point()
        items.append(Item("territory", r["id"], f"{r['name']} ({r['status']})", (r["name"], r["id"]), c.y, c.x))
    for _, r in atlas.installations.iterrows():
        terms = (r["name"], r["id"], r["unit"], r["locality"], *_aliases(r["aliases"]))
        items.append(Item("installation", r["id"], f"{r['name']} ({r['host_iso3']})", terms,
                          float(r["lat"]), float(r["lon"])))
    for _, r in atlas.organizations.iterrows():
        items.append(Item("organization", r["id"], f"{r['name']} ({r['id']})", (r["name"], r["id"], *_aliases(r["aliases"]))))
    for _, r in atlas.events.iterrows():
        lat = float(r["lat"]) if r["lat"] else None
        lon = float(r["lon"]) if r["lon"] else None
        items.append(Item("event", r["id"], f"{r['date']} — {r['title']}", (r["title"], r["id"]), lat, lon, r["date"]))
    return items


def find(items: list[Item], query: str, limit: int = 20) -> list[Item]:
    """Items whose name or alias contains every word of the query (accents and case ignored);
    exact and prefix matches first."""
    words = _norm(query).split()
    if not words:
        return []
    scored = []
    for it in items:
        terms = [_norm(t) for t in it.terms if t]
        hay = " ".join(terms)
        if all(w in hay for w in words):
            q = " ".join(words)
            score = 0 if any(t == q for t in terms) else 1 if any(t.startswith(q) for t in terms) else 2
            scored.append((score, it.kind != "installation", it.label, it))
    return [s[-1] for s in sorted(scored, key=lambda s: s[:3])[:limit]]
