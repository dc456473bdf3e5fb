"""Find any state, territory, installation, organization or event by name or alias."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from alliance_atlas.data.loading import Atlas


@dataclass(frozen=True)
class Item:
    kind: str  # state | territory | installation | organization | event
    id: str
    label: str
    terms: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    date: str | None = None


#: Russian Cyrillic -> Latin (BGN/PCGN-like, without diacritics), so "Гюмри" and "Gyumri",
#: "Севастополь" and "Sevastopol", "ОДКБ" and "ODKB" meet in one normal form
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
_TRANSLIT = str.maketrans(_CYRILLIC)


def _norm(text: str) -> str:
    """Case, accents and script folded: Cyrillic is transliterated, apostrophes dropped."""
    text = unicodedata.normalize("NFC", str(text)).casefold().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch) and ch not in "'’ʼ")


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
        items.append(
            Item("installation", r["id"], f"{r['name']} ({r['host_iso3']})", terms, float(r["lat"]), float(r["lon"]))
        )
    for _, r in atlas.organizations.iterrows():
        items.append(
            Item("organization", r["id"], f"{r['name']} ({r['id']})", (r["name"], r["id"], *_aliases(r["aliases"])))
        )
    for _, r in atlas.events.iterrows():
        lat = float(r["lat"]) if r["lat"] else None
        lon = float(r["lon"]) if r["lon"] else None
        items.append(Item("event", r["id"], f"{r['date']} — {r['title']}", (r["title"], r["id"]), lat, lon, r["date"]))
    return items


# Places first, then organizations, then events (issue 13): a name typed in the search box is
# almost always a place, and an event would silently move the date.
KIND_RANK = {"installation": 0, "territory": 0, "state": 0, "organization": 1, "event": 2}


def _parts(term: str) -> list[str]:
    """A term and its comma/parenthesis-separated parts: 'Gyumri, Shirak Province' also gives 'gyumri'."""
    parts = [term]
    for sep in ",()/":
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [term, *(p.strip() for p in parts if p.strip())]


def _quality(terms: list[str], q: str) -> int:
    """0: the query is a whole name or alias; 1: a named part of one ('Gyumri' in 'Gyumri, Armenia');
    2: a name starts with it; 3: contained."""
    if q in terms:
        return 0
    parts = [p for t in terms for p in _parts(t)]
    if q in parts:
        return 1
    if any(p.startswith(q) for p in parts):
        return 2
    return 3


#: words a person types that no name needs ("the 201st base"): every query word must be found, so
#: "the" matched only a row whose note said "part of the 201st base", not the base
_FILLER = frozenset({"the", "a", "an", "of"})


def find(items: list[Item], query: str, limit: int = 20) -> list[Item]:
    """Items whose name or alias contains every word of the query (accents, case and Cyrillic vs
    Latin script ignored). Ranking: exact matches (a whole name or alias, or a named part of one) of
    a place (installation, state, territory), then of an organization, then of an event, a whole
    name before a part; then the same order for prefix and partial matches."""
    words = _norm(query).split()
    words = [w for w in words if w not in _FILLER] or words  # "the 201st base" is "201st base"
    if not words:
        return []
    q = " ".join(words)
    scored = []
    for it in items:
        terms = [_norm(t) for t in it.terms if t]
        hay = " ".join(terms)
        if all(w in hay for w in words):
            quality = _quality(terms, q)
            scored.append((quality > 1, KIND_RANK.get(it.kind, 3), quality, it.label, it))
    return [s[-1] for s in sorted(scored, key=lambda s: s[:4])[:limit]]


def ordered(items: list[Item]) -> list[Item]:
    """Items in the order a picker should list them: places, organizations, events."""
    return sorted(items, key=lambda it: KIND_RANK.get(it.kind, 3))
