"""The cartography scene: what one view looks like, decided once for every renderer.

From ``(atlas, filters)`` this module builds an immutable description of the map (its parts are in
``scene_parts``): each state, territory and control area with its fill, line, dash and pattern; each
installation with its symbol (shape by kind, filled or hollow by phase, colour by operator); each
tooltip (already escaped); and the legend, listing only what is drawn, in plain words. The Leaflet
map (``renderers.leaflet_*``), the static PNG/SVG/PDF (``renderers.printed``), the PowerPoint deck
and the standalone HTML all draw from it, so no colour, pattern, symbol or legend word is decided
anywhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from alliance_atlas.cartography import inextent, popups, style
from alliance_atlas.cartography.scene_parts import LAYERS, Area, Entry, Group, Look, Mark, Pattern, Scene, Symbol
from alliance_atlas.data import asof, schema
from alliance_atlas.data.loading import Atlas
from alliance_atlas.data.schema import Filters
from alliance_atlas.safe import esc

KIND_SHAPES = {
    "ground_base": "square", "air_base": "triangle", "naval_base": "diamond", "radar": "circle",
    "space_launch": "star", "test_range": "pentagon", "depot": "hexagon", "missile": "triangle_down",
    "peacekeeping": "plus", "deployment": "triangle_right", "battlegroup": "cross",
}  # fmt: skip
PHASE_SYMBOL: dict[
    str, dict[str, Any]
] = {  # filled and solid when active; hollow (dotted when planned, dashed and faded when ended)
    "active": {"filled": True, "opacity": 1.0, "dash": None},
    "planned": {"filled": False, "opacity": 0.9, "dash": "2 2"},
    "closed": {"filled": False, "opacity": 0.7, "dash": "4 2"},
    "withdrawn": {"filled": False, "opacity": 0.7, "dash": "4 2"},
}
PHASES = tuple(PHASE_SYMBOL)
PHASE_WORDS = {
    "active": "filled",
    "planned": "hollow, dotted",
    "closed": "hollow, dashed, faded",
    "withdrawn": "hollow, dashed, faded",
}
#: the sites named in the product's brief, drawn outside the clusters so the default view shows them
KEY_SITES = frozenset({"gyumri-102nd-base", "dushanbe-201st-base", "sevastopol-black-sea-fleet", "baltiysk-naval-base"})
OPERATOR_LABELS = {"RUS": "Russian installation", "NATO": "NATO forward presence"}
LEGEND_GREY = "#333333"
HIGHLIGHT = Look(None, 0.0, style.HIGHLIGHT_COLOUR, 4.0)
GROUP_ORDER = (
    "Alliances",
    "Status",
    "Contested territory",
    "Military control",
    "Installations",
    "Operated by",
    "On this date",
    "Emphasis",
    "Your data",
)


def symbol(kind: str, phase: str, colour: str) -> Symbol:
    look = PHASE_SYMBOL.get(phase, PHASE_SYMBOL["active"])
    return Symbol(KIND_SHAPES.get(kind, "circle"), colour, look["filled"], look["opacity"], look["dash"])


def operator_colour(operator: str) -> str:
    return style.OPERATOR_COLOURS.get(operator, style.OKABE_ITO["black"])


def stripes(first: str, second: str) -> Pattern:
    """Two alliances held at once: stripes of the second alliance's colour over the first's."""
    return Pattern(45, 5, 5, second, first, "//", 1.0)


def state_look(post_soviet: bool, held: list[tuple[str, str]]) -> Look:
    """A state's fill, line and pattern from the (organization, status) pairs it holds, first first."""
    line = style.POST_SOVIET_OUTLINE if post_soviet else style.BASE_STATE
    if not held:
        return Look("#FFFFFF", 0.35 if post_soviet else 0.0, line["color"], line["weight"])
    org, status = held[0]
    look = style.STATUS_LOOK[status]
    pattern = stripes(style.org_colour(org), style.org_colour(held[1][0])) if len(held) > 1 else None
    return Look(style.org_colour(org), look["fillOpacity"], line["color"], look["weight"], look["dashArray"], pattern)


def territory_look(status: str) -> Look:
    t = style.TERRITORY_LOOK[status]
    pattern = Pattern(t["angle"], t["weight"], t["space"], style.TERRITORY_COLOUR, None, t["hatch"])
    return Look(None, 0.0, style.TERRITORY_COLOUR, 2.0, t["dashArray"], pattern)


CONTROL_LOOK = Look(
    style.CONTROL_STYLE["fillColor"],
    style.CONTROL_STYLE["fillOpacity"],
    style.CONTROL_STYLE["color"],
    style.CONTROL_STYLE["weight"],
    style.CONTROL_STYLE["dashArray"],
)


def held_by_state(atlas: Atlas, day: dt.date, orgs: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """iso3 -> [(org, status)] on ``day``, in the order of ``orgs``, withdrawn left out."""
    rows = asof.statuses_on(atlas, day, orgs)
    rows = rows[rows["status"].isin(schema.ACTIVE_STATUSES)]
    held: dict[str, list[tuple[str, str]]] = {}
    for org in orgs:
        for r in rows[rows["organization"] == org].itertuples():
            held.setdefault(r.iso3, []).append((org, r.status))
    return held


def states(atlas: Atlas, day: dt.date, orgs: tuple[str, ...]) -> tuple[Area, ...]:
    """Every state in its colours, whatever the region filter: a region fits the map and filters the
    installations, tables and figures, but does not blank the states around it (slides on Belarus or
    Armenia showed Russia uncoloured, read as "not in the CSTO")."""
    held = held_by_state(atlas, day, orgs)
    names = schema.org_names(atlas.organizations)
    return tuple(
        Area(
            r.iso3,
            r.name,
            state_look(bool(r.post_soviet), held.get(r.iso3, [])),
            popups.state_tip(r.name, [(names.get(o, o), s) for o, s in held.get(r.iso3, [])]),
        )
        for r in atlas.states.itertuples()
    )


def territories(atlas: Atlas, day: dt.date) -> tuple[Area, ...]:
    host = dict(zip(atlas.states["iso3"], atlas.states["name"], strict=True))
    return tuple(
        Area(
            r["id"],
            r["name"],
            territory_look(r["status"]),
            popups.territory_tip(r, host.get(r["de_jure_iso3"], r["de_jure_iso3"])),
        )
        for _, r in asof.territories_on(atlas, day).iterrows()
    )


def controls(atlas: Atlas, day: dt.date) -> tuple[Area, ...]:
    areas = asof.control_areas_on(atlas, day) if atlas.control_areas is not None else None
    out = []
    for _, r in areas.iterrows() if areas is not None else ():
        span = f"since {r['since']}" + (f" until {r['until']}" if r["until"] else "")
        tip = (
            f"<b>{esc(r['name'])}</b><br>Under Russian military control, approximate "
            f"(snapshot {esc(r['snapshot_date'])}, {esc(span)}; confidence {esc(r['confidence'])})"
        )
        out.append(Area(r["id"], r["name"], CONTROL_LOOK, tip))
    return tuple(out)


def marks(inst: pd.DataFrame) -> tuple[Mark, ...]:
    return tuple(
        Mark(
            r["id"],
            r["operator"],
            r["name"],
            float(r["lat"]),
            float(r["lon"]),
            r["kind"],
            r["phase"],
            symbol(r["kind"], r["phase"], operator_colour(r["operator"])),
            popups.installation_tip(r),
            r["id"] in KEY_SITES,
        )
        for _, r in inst.iterrows()
    )


def installations(atlas: Atlas, f: Filters, include: tuple[str, ...] = LAYERS) -> pd.DataFrame:
    """The installations drawn for the filters and the layers included."""
    inst = asof.selected_installations(
        atlas, f.date, kinds=f.kinds, statuses=f.statuses, regions=f.regions, show_historic=f.show_historic
    )
    return inst[inst["operator"].map({"RUS": "installations", "NATO": "nato"}).isin(include)]


def legend(
    atlas: Atlas,
    f: Filters,
    inst: pd.DataFrame,
    include: tuple[str, ...] = LAYERS,
    highlight: tuple[str, ...] = (),
    overlays: tuple[tuple[str, str], ...] = (),
    drawn: frozenset[str] | None = None,
) -> tuple[Group, ...]:
    """Only what is drawn, in plain words: alliances held by a shown state, their statuses, the
    territory statuses and control areas in force, installation kinds, operators and phases.
    ``drawn``: the ids of the areas in a print's extent (``inextent``), None for the whole view."""

    def keep(i) -> bool:
        return drawn is None or i in drawn

    names = schema.org_names(atlas.organizations)
    groups: dict[str, list[Entry]] = {}
    if "states" in include:
        shown = {i for i in atlas.states["iso3"] if keep(i)}
        held = {k: v for k, v in held_by_state(atlas, f.date, f.alliances).items() if k in shown}
        orgs = [o for o in f.alliances if any(o == org for pairs in held.values() for org, _s in pairs)]
        groups["Alliances"] = [Entry(names.get(o, o), Look(style.org_colour(o), 0.65, "#000000", 1.0)) for o in orgs]
        pairs = list(dict.fromkeys((v[0][0], v[1][0]) for v in held.values() if len(v) > 1))
        groups["Alliances"] += [
            Entry(
                f"{names.get(a, a)} and {names.get(b, b)} (stripes: second alliance)",
                Look(
                    style.org_colour(a), 0.65, "#000000", 1.0, None, stripes(style.org_colour(a), style.org_colour(b))
                ),
            )
            for a, b in pairs
        ]
        statuses = {s for v in held.values() for _o, s in v[:1]}
        groups["Status"] = [
            Entry(
                schema.MEMBERSHIP_STATUSES[s], Look("#555555", look["fillOpacity"], "#000000", 1.5, look["dashArray"])
            )
            for s, look in style.STATUS_LOOK.items()
            if s in statuses
        ]
    if "territories" in include:
        on = asof.territories_on(atlas, f.date)
        ter = {s for i, s in zip(on["id"], on["status"], strict=True) if keep(i)}
        groups["Contested territory"] = [
            Entry(label, territory_look(s)) for s, label in schema.TERRITORY_STATUSES.items() if s in ter
        ]
        if any(keep(a.id) for a in controls(atlas, f.date)):
            groups["Military control"] = [Entry(style.CONTROL_LAYER_NAME, CONTROL_LOOK)]
    kinds, ops, phases = set(inst["kind"]), set(inst["operator"]), set(inst["phase"])
    groups["Installations"] = [
        Entry(label, symbol=symbol(k, "active", LEGEND_GREY))
        for k, label in schema.INSTALLATION_KINDS.items()
        if k in kinds
    ]
    groups["Operated by"] = [
        Entry(OPERATOR_LABELS[o], symbol=Symbol("circle", operator_colour(o))) for o in schema.OPERATORS if o in ops
    ]
    groups["On this date"] = [
        Entry(f"{schema.PHASE_NAMES[p]} ({PHASE_WORDS[p]})", symbol=symbol("radar", p, LEGEND_GREY))
        for p in PHASES
        if p in phases
    ]
    if highlight and (drawn is None or set(highlight) & (drawn | set(inst["id"]))):
        groups["Emphasis"] = [Entry("Highlighted", HIGHLIGHT)]
    groups["Your data"] = [Entry(n, symbol=Symbol("circle", c)) for n, c in overlays]
    hints = {"Alliances": "stripes = member of the first two selected" if len(f.alliances) > 1 else ""}
    return tuple(Group(g, tuple(groups[g]), hints.get(g, "")) for g in GROUP_ORDER if groups.get(g))


def build(
    atlas: Atlas,
    f: Filters,
    *,
    include: tuple[str, ...] = LAYERS,
    highlight: tuple[str, ...] = (),
    title: str = "Alliance Atlas",
    overlays: tuple[tuple[str, str], ...] = (),
    extent: inextent.Extent | None = None,
) -> Scene:
    """The whole scene of one view, for the renderers that draw it in one go (print, office);
    with an ``extent`` (w, e, s, n) only the areas and installations in it, and their legend."""
    inst = installations(atlas, f, include)
    drawn = None if extent is None else inextent.area_ids(atlas, extent)
    if extent is not None:
        inst = inextent.points_in(inst, extent)

    def cut(areas: tuple[Area, ...]) -> tuple[Area, ...]:
        return areas if drawn is None else tuple(a for a in areas if a.id in drawn)

    return Scene(
        f.date,
        title,
        cut(states(atlas, f.date, f.alliances)) if "states" in include else (),
        cut(territories(atlas, f.date)) if "territories" in include else (),
        cut(controls(atlas, f.date)) if "territories" in include else (),
        marks(inst),
        legend(atlas, f, inst, include, highlight, overlays, drawn),
        tuple(highlight),
    )


def legend_words(groups: tuple[Group, ...]) -> list[str]:
    """Every label of a legend, in order (to compare outputs)."""
    return [e.label for g in groups for e in g.entries]
