"""The view in the URL: query parameters <-> Filters, with notices for bad values.

Values are the data contract's ids; lists are comma-separated. Anything unknown or
malformed is dropped and reported, never raised: a link must always open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from alliance_atlas.data import dates, schema

MAX_VALUE = 2000  # characters; longer values are dropped
#: parameters of the shared view (every page)
MANAGED = ("date", "alliance", "region", "kind", "status", "historic", "basemap", "select", "lat", "lon", "zoom")
#: parameters that belong to one page (kept in the URL, read by that page)
PAGE_KEYS = ("from", "to", "briefing", "slide", "view", "q", "cview", "changes")


@dataclass(frozen=True)
class View:
    filters: schema.Filters
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    notices: tuple[str, ...] = field(default=())


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value)


def _list(raw: str, allowed, name: str, notices: list[str], upper: bool = False) -> tuple[str, ...] | None:
    """Known values of a comma-separated list. An empty value means "none"; when every value
    is unknown the parameter is ignored (None: keep the default)."""
    items = [s.strip() for s in raw.split(",") if s.strip()]
    items = [s.upper() if upper else s for s in items]
    good = tuple(dict.fromkeys(s for s in items if s in allowed))
    bad = [s for s in items if s not in allowed]
    if bad:
        notices.append(f"Ignored unknown {name}: {', '.join(s[:40] for s in bad[:5])}{' …' if len(bad) > 5 else ''}")
    if bad and not good:
        return None
    return good


def parse(
    params: Mapping[str, object], *, organizations, kinds=None, selectable=(), today: dt.date | None = None
) -> View:
    """Filters and map view from query parameters. Never raises."""
    today = today or dt.date.today()
    f = schema.Filters(date=today)
    notices: list[str] = []
    lat = lon = None
    zoom = None
    values = {}
    for key, value in params.items():
        if key not in MANAGED:
            if key not in PAGE_KEYS:
                notices.append(f"Ignored unknown parameter {str(key)[:40]}")
            continue
        text = _first(value)
        if len(text) > MAX_VALUE:
            notices.append(f"Ignored parameter {key[:40]}: value too long")
            continue
        values[str(key)] = text
    if "date" in values:
        try:
            day = dates.parse(values["date"])
            if not schema.EARLIEST <= day <= today:
                raise ValueError(f"outside {schema.EARLIEST.isoformat()} … {today.isoformat()}")
            f = replace(f, date=day)
        except ValueError as exc:
            notices.append(f"Ignored date: {str(exc)[:120]}")
    lists = (
        ("alliance", "alliances", set(organizations), True),
        ("region", "regions", set(schema.REGIONS), False),
        ("kind", "kinds", set(kinds or schema.INSTALLATION_KINDS), False),
        ("status", "statuses", set(schema.INSTALLATION_STATUSES), False),
    )
    for key, attr, allowed, upper in lists:
        if key in values:
            got = _list(values[key], allowed, key, notices, upper=upper)
            if got is not None:
                change: dict[str, Any] = {attr: got}
                f = replace(f, **change)
    if "historic" in values:
        f = replace(f, show_historic=values["historic"].lower() in ("1", "true", "yes", "on"))
    if "basemap" in values:
        if values["basemap"] in schema.BASEMAPS:
            f = replace(f, basemap=values["basemap"])
        else:
            notices.append(f"Ignored basemap: {values['basemap'][:40]}")
    if "select" in values and values["select"]:
        if values["select"] in set(selectable):
            f = replace(f, select=values["select"])
        else:
            notices.append(f"Ignored selection: no item {values['select'][:60]}")
    lat = _number(values, "lat", -90, 90, notices)
    lon = _number(values, "lon", -180, 180, notices)
    z = _number(values, "zoom", 2, 11, notices)
    zoom = int(z) if z is not None else None
    if (lat is None) != (lon is None):
        notices.append("Ignored lat/lon: both are needed")
        lat = lon = None
    return View(f, lat, lon, zoom, tuple(notices))


def _number(values: dict, key: str, lo: float, hi: float, notices: list[str]) -> float | None:
    if key not in values:
        return None
    try:
        num = float(values[key])
        if not lo <= num <= hi:
            raise ValueError
        return num
    except ValueError:
        notices.append(f"Ignored {key}: expected a number from {lo} to {hi}")
        return None


def to_params(view: View, today: dt.date | None = None) -> dict[str, str]:
    """Query parameters for a view. The date and the alliances are always written, so a link
    shows the same map tomorrow and the URL is complete (issue 13); empty lists (all regions,
    all kinds), the default basemap and no selection are left out."""
    f, default = view.filters, schema.Filters(date=today or dt.date.today())
    out: dict[str, str] = {"date": f.date.isoformat(), "alliance": ",".join(f.alliances)}
    for key, value in (("region", f.regions), ("kind", f.kinds), ("status", f.statuses)):
        if value:
            out[key] = ",".join(value)
    if f.show_historic:
        out["historic"] = "1"
    if f.basemap != default.basemap:
        out["basemap"] = f.basemap
    if f.select:
        out["select"] = f.select
    if view.lat is not None and view.lon is not None:
        out["lat"], out["lon"] = f"{view.lat:.4f}", f"{view.lon:.4f}"
    if view.zoom is not None:
        out["zoom"] = str(view.zoom)
    return out


def page_params(params: Mapping[str, object]) -> dict[str, str]:
    """The page-specific parameters of a URL (short values only)."""
    out = {}
    for key in PAGE_KEYS:
        if key in params:
            text = _first(params[key])
            if len(text) <= 200:
                out[key] = text
    return out


def parse_position(raw: str | None) -> tuple[float, float, int] | None:
    """A map position written as ``lat,lon,zoom`` (Compare's ``cview``, kept by its maps in the
    browser): None when absent or out of range (the page then fits its maps to the changes)."""
    parts = (raw or "").split(",")
    if len(parts) != 3:
        return None
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        return None
    if not (-85 <= lat <= 85 and -180 <= lon <= 180 and 2 <= zoom <= 11):
        return None
    return lat, lon, zoom


def parse_date_param(name: str, raw: str | None, default: dt.date, today: dt.date) -> tuple[dt.date, str | None]:
    """A page's own date parameter (e.g. compare's from/to): the date, or the default and a notice."""
    if not raw:
        return default, None
    try:
        day = dates.parse(raw)
        if schema.EARLIEST <= day <= today:
            return day, None
    except ValueError:
        pass
    return default, f"Ignored {name}={raw[:40]}: expected a date from {schema.EARLIEST} to {today}"


def parse_slide(raw: str | None, count: int) -> tuple[int, str | None]:
    """The 1-based slide number from ?slide=, or 1 and a notice."""
    text = (raw or "1").strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= count:
        return int(text), None
    return 1, f"Ignored slide={text[:20]}: this briefing has slides 1 to {count}."
