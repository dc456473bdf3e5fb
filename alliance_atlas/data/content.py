"""Case studies (data/case_studies/*.md, YAML front matter) and briefings (data/briefings/*.yaml): loading and validation against the data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from alliance_atlas.data import schema
from alliance_atlas.data.loading import Atlas, Problem
from alliance_atlas.data.views import LAYERS, View, parse_view

_FRONT = re.compile(r"^---\s*\n(.*?)\n---\s*\n(.*)$", re.S)


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
        view = parse_view(atlas, meta, where, problems)
        srcs = _check_sources(atlas, [*(meta.get("sources") or []), *cited(m[2])], where, problems)
        for fact in meta.get("key_facts") or []:
            _check_sources(atlas, fact.get("sources"), where, problems)
        if view:
            out.append(
                CaseStudy(
                    str(meta.get("id", path.stem)),
                    str(meta.get("title", path.stem)),
                    m[2].strip(),
                    view,
                    list(dict.fromkeys(srcs)),
                    list(meta.get("key_facts") or []),
                )
            )
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
        view = parse_view(atlas, s, f"{where} slide {i}", mine)
        srcs = _check_sources(
            atlas, [*(s.get("sources") or []), *cited(str(s.get("notes", "")))], f"{where} slide {i}", mine
        )
        problems.extend(mine)
        title = str(s.get("title", f"Slide {i}"))
        if view:
            slides.append(
                Slide(title, str(s.get("caption", "")), str(s.get("notes", "")), view, list(dict.fromkeys(srcs)))
            )
        else:
            skipped.append(SkippedSlide(i, title, "; ".join(p.message for p in mine) or "cannot be drawn"))
    if not slides:
        return None, problems or [Problem(where, None, None, "no slide of this briefing can be drawn")]
    b = Briefing(
        str(doc.get("id", stem)),
        str(doc.get("title", stem)),
        str(doc.get("author", "")),
        str(doc.get("date", "")),
        str(doc.get("description", "")),
        slides,
        doc,
        skipped,
    )
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
    return {
        "title": title or "Untitled slide",
        "caption": caption,
        "notes": notes,
        "date": f.date.isoformat(),
        "alliances": list(f.alliances),
        "regions": list(f.regions),
        "layers": list(LAYERS),
        "show_historic": f.show_historic,
        "view": {"center": [round(lat, 4), round(lon, 4)], "zoom": int(zoom)}
        if lat is not None
        else {"bounds": [[35.0, 20.0], [72.0, 100.0]]},
        "highlight": [f.select] if f.select else [],
        "sources": cited(notes),
    }
