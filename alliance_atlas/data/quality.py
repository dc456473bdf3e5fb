"""What the data rests on (sources by tier) and how fresh it is (rows by last_verified).

``measure`` reads the data folder itself, without validating it, so that it also reports a folder
that does not pass ``validate`` yet (duplicated URLs, rows resting on copies): the figures are
what a cleanup has to bring down. ``stale`` works on a loaded (validated) atlas.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from alliance_atlas.data import dates, schema
from alliance_atlas.data.rules import normalise_url

TIERS = tuple(schema.SOURCE_TIERS)
#: files whose rows cite sources, and the column naming each row
ROW_FILES = (
    ("organizations.csv", "id"), ("memberships.csv", None), ("installations.csv", "id"), ("events.csv", "id"),
    ("territories.geojson", "id"), ("control_areas.geojson", "id"),
)  # fmt: skip
UNKNOWN = "unknown"


@dataclass
class Quality:
    sources_by_tier: Counter = field(default_factory=Counter)
    citations_by_tier: Counter = field(default_factory=Counter)
    rows_by_best_tier: Counter = field(default_factory=Counter)
    uncited_sources: int = 0
    #: groups of source ids that share one address (normalised URL -> ids)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    #: rows whose every source is a copy: (file, row label)
    copy_only_rows: list[tuple[str, str]] = field(default_factory=list)

    @property
    def citations(self) -> int:
        return sum(self.citations_by_tier.values())

    @property
    def sources(self) -> int:
        return sum(self.sources_by_tier.values())

    @property
    def rows(self) -> int:
        return sum(self.rows_by_best_tier.values())

    def share(self, tier: str, what: str = "citations") -> float:
        counter = getattr(self, f"{what}_by_tier")
        total = sum(counter.values())
        return counter[tier] / total if total else 0.0


def _rows(folder: Path):
    """(file, label, source ids) for every row of every citing file; missing or unreadable files are skipped."""
    for name, key in ROW_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            if name.endswith(".csv"):
                with path.open(newline="", encoding="utf-8-sig") as fh:
                    records = list(csv.DictReader(fh))
            else:
                doc = json.loads(path.read_text(encoding="utf-8-sig"))
                records = [(f or {}).get("properties") or {} for f in doc.get("features") or []]
        except (OSError, UnicodeDecodeError, csv.Error, json.JSONDecodeError, AttributeError):
            continue
        for i, rec in enumerate(records, start=2 if name.endswith(".csv") else 1):
            if key:
                label = str(rec.get(key) or f"row {i}")
            else:
                label = "/".join(str(rec.get(c) or "") for c in ("iso3", "organization", "start"))
            ids = [s.strip() for s in str(rec.get("sources") or "").split(";") if s.strip()]
            yield name, label, ids


def measure(folder: str | Path) -> Quality:
    """Sources, citations and rows by tier for the data folder (read as it is, not validated)."""
    folder = Path(folder)
    q = Quality()
    tiers: dict[str, str] = {}
    by_url: dict[str, list[str]] = defaultdict(list)
    path = folder / "sources.csv"
    if path.is_file():
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for rec in csv.DictReader(fh):
                sid = (rec.get("id") or "").strip()
                tier = (rec.get("tier") or "").strip()
                tiers[sid] = tier if tier in TIERS else UNKNOWN
                q.sources_by_tier[tiers[sid]] += 1
                if (rec.get("url") or "").strip():
                    by_url[normalise_url(rec["url"])].append(sid)
    q.duplicates = {u: ids for u, ids in by_url.items() if len(ids) > 1}
    cited: set[str] = set()
    rank = {t: i for i, t in enumerate(TIERS)}
    for name, label, ids in _rows(folder):
        row_tiers = [tiers.get(s, UNKNOWN) for s in ids]
        cited.update(ids)
        for t in row_tiers:
            q.citations_by_tier[t] += 1
        known = [t for t in row_tiers if t in rank]
        q.rows_by_best_tier[min(known, key=rank.__getitem__) if known else UNKNOWN] += 1
        if row_tiers and all(t == "copy" for t in row_tiers):
            q.copy_only_rows.append((name, label))
    q.uncited_sources = len(set(tiers) - cited)
    return q


def _table(counter: Counter, total: int) -> list[str]:
    order = [t for t in (*TIERS, UNKNOWN) if counter[t] or t in TIERS]
    return [f"  {t:<13} {counter[t]:>5}  {counter[t] / total if total else 0:>6.1%}" for t in order]


def report(q: Quality) -> str:
    """The breakdown as plain text (``python -m alliance_atlas sources --quality``)."""
    lines = [
        f"Citations by tier ({q.citations} citations in {q.rows} rows):",
        *_table(q.citations_by_tier, q.citations),
        f"Sources by tier ({q.sources} sources, {q.uncited_sources} cited by no row):",
        *_table(q.sources_by_tier, q.sources),
        "Rows by their best source:",
        *_table(q.rows_by_best_tier, q.rows),
        f"Rows resting on copies alone: {len(q.copy_only_rows)}",
    ]
    lines += [f"  {f}: {label}" for f, label in q.copy_only_rows]
    lines.append(f"URLs registered under more than one id: {len(q.duplicates)}")
    lines += [f"  {', '.join(ids)}  ({u})" for u, ids in sorted(q.duplicates.items())]
    return "\n".join(lines)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale(atlas, today: dt.date, months: int = 12) -> list[dict]:
    """Installations and control areas whose ``last_verified`` is before ``today`` minus ``months``,
    oldest first: ``{file, id, name, last_verified}``."""
    cutoff = months_before(today, months)
    frames = [("installations.csv", atlas.installations)]
    if atlas.control_areas is not None:
        frames.append(("control_areas.geojson", atlas.control_areas))
    out = []
    for file, frame in frames:
        for _, r in frame.iterrows():
            text = str(r.get("last_verified") or "").strip()
            try:
                day = dates.parse(text)
            except ValueError:
                continue  # validation rejects it; nothing to rank
            if day < cutoff:
                out.append({"file": file, "id": r["id"], "name": r["name"], "last_verified": text})
    return sorted(out, key=lambda d: (d["last_verified"], d["file"], d["id"]))
