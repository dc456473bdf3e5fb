"""Case studies (data/case_studies/*.md, YAML front matter) and briefings
(data/briefings/*.yaml): loading and validation against the data."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from alliance_atlas.data import dates, schema
from alliance_atlas.data.loading import Atlas, Problem

LAYERS = ("states", "territories", "installations", "nato")
_FRONT = re.compile(r"^---\s*\n(.*?)\n---\s*\n(.*)$", re.S)


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


@dataclass
class CaseStudy:
    id: str
    title: str
    body: str
    view: View
    sources: list[str]
    key_facts: list[dict] = field(default_factory=list)


@dataclass
class Slide:
    title: str
    caption: str
    notes: str
    view: View
    sources: list[str]


@dataclass(frozen=True)
class SkippedSlide:
    """A slide of the file that cannot be drawn, named so pages and exports can say so."""

    number: int  # its position in the file, from 1
    title: str
    reason: str


@dataclass
class Briefing:
    id: str
    title: str
    author: str
    date: str
    description: str
    slides: list[Slide]
    raw: dict = field(repr=False, default_factory=dict)
    skipped: list[SkippedSlide] = field(default_factory=list)

    def pages(self) -> list[Slide | SkippedSlide]:
        """Every slide of the file in order: drawable ones and the skipped ones in their place."""
        out: list[Slide | SkippedSlide] = list(self.slides)
        for sk in sorted(self.skipped, key=lambda k: k.number):
            out.insert(sk.number - 1, sk)
        return out


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
    half_w = 360.0 * width_px / (256 * 2 ** zoom) / 2

    def merc(y: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(y, 85.0), -85.0)) / 2))

    def unmerc(m: float) -> float:
        return math.degrees(2 * math.atan(math.exp(m)) - math.pi / 2)

    half_m = height_px * 2 * math.pi / (256 * 2 ** zoom) / 2
    return ((round(unmerc(merc(lat) - half_m), 4), round(lon - half_w, 4)),
            (round(unmerc(merc(lat) + half_m), 4), round(lon + half_w, 4)))


def _view(atlas: Atlas, d: dict, where: str, problems: list[Problem]) -> View | None:
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
    f = schema.Filters(date=day, alliances=orgs, regions=regions, show_historic=bool(d.get("show_historic")),
                       select=highlight[0] if highlight else None)
    return View(f, lat, lon, zoom, layers, highlight, box)


def _check_sources(atlas: Atlas, ids, where: str, problems: list[Problem]) -> list[str]:
    ids = [str(s) for s in ids or []]
    known = set(atlas.sources["id"])
    for sid in ids:
        if sid not in known:
            problems.append(Problem(where, None, "sources", f"source {sid!r} is not in sources.csv"))
    return ids


_CITE = re.compile(r"\[([a-z0-9][a-z0-9-]*)\]")


def cited(text: str) -> list[str]:
    """Source ids cited in running text as [source-id]."""
    return _CITE.findall(text or "")


def load_case_studies(atlas: Atlas, folder: Path | None = None) -> tuple[list[CaseStudy], list[Problem]]:
    folder = folder or atlas.data_dir / "case_studies"
    out, problems = [], []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        where = f"case_studies/{path.name}"
        m = _FRONT.match(path.read_text(encoding="utf-8"))
        if not m:
            problems.append(Problem(where, None, None, "missing YAML front matter between --- lines"))
            continue
        try:
            meta = yaml.safe_load(m[1]) or {}
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(Problem(where, None, None, f"front matter is not valid YAML ({exc})"))
            continue
        view = _view(atlas, meta, where, problems)
        srcs = _check_sources(atlas, [*(meta.get("sources") or []), *cited(m[2])], where, problems)
        for fact in meta.get("key_facts") or []:
            _check_sources(atlas, fact.get("sources"), where, problems)
        if view:
            out.append(CaseStudy(str(meta.get("id", path.stem)), str(meta.get("title", path.stem)), m[2].strip(),
                                 view, list(dict.fromkeys(srcs)), list(meta.get("key_facts") or [])))
    return out, problems


def load_briefing(atlas: Atlas, path: Path) -> tuple[Briefing | None, list[Problem]]:
    where = f"briefings/{path.name}"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        return None, [Problem(where, None, None, f"cannot read the briefing ({exc})")]
    return parse_briefing(atlas, doc, where, path.stem)


def parse_briefing(atlas: Atlas, doc, where: str, stem: str) -> tuple[Briefing | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("slides"), list) or not doc["slides"]:
        return None, [Problem(where, None, None, "a briefing needs a non-empty list of slides")]
    slides, skipped = [], []
    for i, s in enumerate(doc["slides"], start=1):
        if not isinstance(s, dict):
            problems.append(Problem(where, i, None, "slide is not a mapping"))
            skipped.append(SkippedSlide(i, f"Slide {i}", "slide is not a mapping"))
            continue
        mine: list[Problem] = []
        view = _view(atlas, s, f"{where} slide {i}", mine)
        srcs = _check_sources(atlas, [*(s.get("sources") or []), *cited(str(s.get("notes", "")))], f"{where} slide {i}", mine)
        problems.extend(mine)
        title = str(s.get("title", f"Slide {i}"))
        if view:
            slides.append(Slide(title, str(s.get("caption", "")), str(s.get("notes", "")), view, list(dict.fromkeys(srcs))))
        else:
            skipped.append(SkippedSlide(i, title, "; ".join(p.message for p in mine) or "cannot be drawn"))
    if not slides:
        return None, problems or [Problem(where, None, None, "no slide of this briefing can be drawn")]
    b = Briefing(str(doc.get("id", stem)), str(doc.get("title", stem)), str(doc.get("author", "")),
                 str(doc.get("date", "")), str(doc.get("description", "")), slides, doc, skipped)
    return b, problems


@dataclass(frozen=True)
class Footnote:
    number: int
    source_id: str
    publisher: str
    title: str
    url: str


def footnoted(atlas: Atlas, text: str, extra: list[str] | tuple[str, ...] = ()) -> tuple[str, list[Footnote]]:
    """Running text with each cited ``[source-id]`` replaced by a footnote number ``[n]``
    (numbered by first appearance; then any ``extra`` source ids not cited in the text), and the
    footnotes with publisher, title and URL. An id missing from sources.csv becomes ``[?]``."""
    src = atlas.sources.set_index("id")
    numbers: dict[str, int] = {}
    notes: list[Footnote] = []

    def number(sid: str) -> int | None:
        if sid not in src.index:
            return None
        if sid not in numbers:
            numbers[sid] = len(numbers) + 1
            r = src.loc[sid]
            notes.append(Footnote(numbers[sid], sid, str(r["publisher"]), str(r["title"]), str(r["url"])))
        return numbers[sid]

    def sub(m: re.Match) -> str:
        n = number(m[1])
        return f"[{n}]" if n is not None else "[?]"

    out = _CITE.sub(sub, text or "")
    for sid in extra:
        number(str(sid))
    return re.sub(r"\](\s*)\[", "][", out).replace("][", "] ["), notes


def briefings(atlas: Atlas, folder: Path | None = None) -> dict[str, Path]:
    folder = folder or atlas.data_dir / "briefings"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def slide_from_view(title: str, caption: str, notes: str, f: schema.Filters, lat, lon, zoom) -> dict:
    """A briefing slide (as stored in YAML) for a view of the app."""
    return {"title": title or "Untitled slide", "caption": caption, "notes": notes, "date": f.date.isoformat(),
            "alliances": list(f.alliances), "regions": list(f.regions), "layers": list(LAYERS),
            "show_historic": f.show_historic,
            "view": {"center": [round(lat, 4), round(lon, 4)], "zoom": int(zoom)} if lat is not None
            else {"bounds": [[35.0, 20.0], [72.0, 100.0]]},
            "highlight": [f.select] if f.select else [], "sources": cited(notes)}
