"""A preset map view of a case study or briefing slide (filters, centre, zoom, layers), read and checked from YAML."""

from __future__ import annotations

import math
from dataclasses import dataclass

from alliance_atlas.data import dates, schema
from alliance_atlas.data.loading import Atlas, Problem

LAYERS = ("states", "territories", "installations", "nato")


@dataclass(frozen=True)
class View:
    """A preset view: filters plus where the map looks."""

    filters: schema.Filters
    lat: float
    lon: float
    zoom: int
    layers: tuple[str, ...] = LAYERS
    highlight: tuple[str, ...] = ()
    #: the area the view must show, [[s, w], [n, e]]: given, or what centre+zoom cover at the nominal size
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None


def center_zoom(bounds, width_px: int = 900, height_px: int = 640) -> tuple[float, float, int]:
    """Centre and the largest Leaflet zoom at which ``bounds`` [[s, w], [n, e]] fit."""
    (s, w), (n, e) = bounds
    lat, lon = (s + n) / 2, (w + e) / 2

    def merc(y: float) -> float:
        y = max(min(y, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(y) / 2))

    zx = math.log2(width_px * 360.0 / (256 * max(e - w, 1e-6)))
    zy = math.log2(height_px * 2 * math.pi / (256 * max(merc(n) - merc(s), 1e-6)))
    # at most 8: the display geometry is simplified for the regional scale
    return lat, lon, int(max(2, min(8, math.floor(min(zx, zy)))))


def view_bounds(lat: float, lon: float, zoom: int, width_px: int = 860, height_px: int = 600):
    """The area [[s, w], [n, e]] that centre+zoom show on the nominal 900x640 map, less a 20-px margin
    (so fitting it there gives back ``zoom``): a slide given as centre+zoom can be fitted to any screen."""
    half_w = 360.0 * width_px / (256 * 2**zoom) / 2

    def merc(y: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(y, 85.0), -85.0)) / 2))

    def unmerc(m: float) -> float:
        return math.degrees(2 * math.atan(math.exp(m)) - math.pi / 2)

    half_m = height_px * 2 * math.pi / (256 * 2**zoom) / 2
    return (
        (round(unmerc(merc(lat) - half_m), 4), round(lon - half_w, 4)),
        (round(unmerc(merc(lat) + half_m), 4), round(lon + half_w, 4)),
    )


def parse_view(atlas: Atlas, d: dict, where: str, problems: list[Problem]) -> View | None:
    def bad(msg: str) -> None:
        problems.append(Problem(where, None, None, msg))

    try:
        day = dates.parse(str(d.get("date", "")))
    except ValueError as exc:
        bad(f"date: {exc}")
        return None
    orgs = tuple(d.get("alliances") or ())
    unknown = [o for o in orgs if o not in set(atlas.organizations["id"])]
    if unknown:
        bad(f"unknown alliances: {', '.join(map(str, unknown))}")
    regions = tuple(d.get("regions") or ())
    if [r for r in regions if r not in schema.REGIONS]:
        bad(f"unknown regions: {regions}")
    layers = tuple(d.get("layers") or LAYERS)
    if [x for x in layers if x not in LAYERS]:
        bad(f"unknown layers: {layers}")
    known = set(atlas.installations["id"]) | set(atlas.territories["id"]) | set(atlas.states["iso3"])
    highlight = tuple(d.get("highlight") or ())
    missing = [h for h in highlight if h not in known]
    if missing:
        bad(f"highlight ids not in the data: {', '.join(map(str, missing))}")
    view = d.get("view") or {}
    bounds = d.get("bounds") or view.get("bounds")
    try:
        if bounds:
            (s, w), (n, e) = ((float(a), float(b)) for a, b in bounds)
            box = ((min(s, n), w), (max(s, n), e))
            lat, lon, zoom = center_zoom(box)
        else:
            lat, lon = (float(v) for v in view["center"])
            zoom = int(view["zoom"])
            box = view_bounds(lat, lon, zoom)
        if not (-90 <= lat <= 90 and -180 <= lon <= 360 and 0 <= zoom <= 20):
            raise ValueError("out of range")
    except (KeyError, TypeError, ValueError):
        bad("needs bounds [[s, w], [n, e]] or view {center: [lat, lon], zoom: n} (in degrees)")
        return None
    f = schema.Filters(
        date=day,
        alliances=orgs,
        regions=regions,
        show_historic=bool(d.get("show_historic")),
        select=highlight[0] if highlight else None,
    )
    return View(f, lat, lon, zoom, layers, highlight, box)
