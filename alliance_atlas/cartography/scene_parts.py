"""The parts a cartography scene is made of (immutable): looks, patterns, symbols, areas, marks, legend entries and groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LAYERS = ("states", "territories", "installations", "nato")


@dataclass(frozen=True)
class Pattern:
    """Parallel lines over an area: ``angle`` is the lines' direction as seen, in degrees
    counter-clockwise from horizontal (45 = "/", -45 = "\\", 0 = horizontal, 90 = vertical), as in
    matplotlib; each renderer converts it to its own convention (SVG and CSS turn clockwise).
    ``weight``/``space`` in px; ``hatch`` is the same lines in matplotlib's notation (print)."""

    angle: int
    weight: float
    space: float
    colour: str
    space_colour: str | None  # None: the gaps are transparent
    hatch: str
    opacity: float = 0.9


@dataclass(frozen=True)
class Look:
    """How an area (or its legend swatch) is drawn."""

    fill: str | None
    fill_opacity: float
    line: str
    weight: float
    dash: str | None = None
    pattern: Pattern | None = None


@dataclass(frozen=True)
class Symbol:
    """How an installation is marked: one shape per kind, filled when active, hollow otherwise."""

    shape: str
    colour: str
    filled: bool = True
    opacity: float = 1.0
    dash: str | None = None


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    look: Look
    tip: str  # escaped HTML


@dataclass(frozen=True)
class Mark:
    id: str
    operator: str
    name: str
    lat: float
    lon: float
    kind: str
    phase: str
    symbol: Symbol
    tip: str  # escaped HTML
    key: bool = False  # one of the brief's key sites: never hidden in a cluster


@dataclass(frozen=True)
class Entry:
    label: str  # plain text, escaped by the renderer that needs it
    look: Look | None = None
    symbol: Symbol | None = None


@dataclass(frozen=True)
class Group:
    title: str
    entries: tuple[Entry, ...]
    hint: str = ""


@dataclass(frozen=True)
class Scene:
    day: dt.date
    title: str
    states: tuple[Area, ...]
    territories: tuple[Area, ...]
    controls: tuple[Area, ...]
    marks: tuple[Mark, ...]
    legend: tuple[Group, ...]
    highlight: tuple[str, ...] = field(default=())

    @property
    def heading(self) -> str:
        return f"{self.title} · as of {self.day.isoformat()}"


#: one shape per installation kind, so the map reads without colour
