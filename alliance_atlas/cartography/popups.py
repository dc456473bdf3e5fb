"""Tooltip, popup and legend HTML. Every data value passes through safe.esc."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from alliance_atlas.analysis.details import outline_name, plain, state_name, territory_name
from alliance_atlas.data import dates, schema
from alliance_atlas.safe import esc, link


def source_links(atlas, cell: str) -> str:
    """The cited sources of a row as escaped links (publisher: title)."""
    ids = [s for s in str(cell or "").split(";") if s]
    src = atlas.sources.set_index("id")
    items = []
    for sid in ids:
        if sid in src.index:
            r = src.loc[sid]
            label = f"{r['publisher']}: {r['title']}"
            items.append(f"<li>{link(r['url'], label)}</li>")
        else:
            items.append(f"<li>{esc(sid)} (unknown source)</li>")
    return f"<ul class='atlas-src'>{''.join(items)}</ul>"


def _rows(pairs: list[tuple[str, object]]) -> str:
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in pairs if v not in (None, ""))
    return f"<table class='atlas-kv'>{cells}</table>"


def state_tip(name: str, held: list[tuple[str, str]]) -> str:
    if not held:
        return f"<b>{esc(name)}</b>"
    parts = ", ".join(f"{esc(org)}: {esc(schema.MEMBERSHIP_STATUSES.get(st, st))}" for org, st in held)
    return f"<b>{esc(name)}</b><br>{parts}"


def state_popup(atlas, iso3: str, name: str, day: dt.date, orgs: tuple[str, ...]) -> str:
    mem = atlas.memberships
    rows = mem[(mem["iso3"] == iso3) & (mem["organization"].isin(orgs))]
    lines = []
    for _, r in rows.sort_values(["organization", "start"]).iterrows():
        current = "◀ on this date" if dates.holds_on(day, r["_start"], r["_end"]) else ""
        span = f"{r['start']} – {r['end'] or 'today'}"
        lines.append(
            f"<tr><td>{esc(r['organization'])}</td><td>{esc(r['status'])}</td><td>{esc(span)}</td>"
            f"<td>{esc(r['confidence'])}</td><td>{esc(current)}</td></tr>"
        )
    table = (
        "<table class='atlas-kv'>" + "".join(lines) + "</table>"
        if lines
        else "<p>No membership in the selected organizations.</p>"
    )
    srcs = ";".join(dict.fromkeys(";".join(rows["sources"]).split(";"))) if len(rows) else ""
    return f"<h4>{esc(name)}</h4>{table}<b>Sources</b>{source_links(atlas, srcs)}"


def territory_tip(r: pd.Series, de_jure: str = "") -> str:
    """``de_jure``: the name of the state the territory is part of de jure (its code if not given)."""
    status = schema.TERRITORY_STATUSES.get(r["status"], r["status"])
    span = f"since {r['since']}" + (f" until {r['until']}" if r["until"] else "")
    return f"<b>{esc(r['name'])}</b><br>{esc(status)} ({esc(span)})<br>de jure: {esc(de_jure or r['de_jure_iso3'])}"


def territory_popup(atlas, r: pd.Series) -> str:
    pairs = [
        ("Status", schema.TERRITORY_STATUSES.get(r["status"], r["status"])),
        ("De jure", state_name(atlas, r["de_jure_iso3"])),
        ("Controlled by", state_name(atlas, r["controlled_by"])),
        ("Since", r["since"]),
        ("Until", r["until"]),
        ("Note", r["note"]),
        ("Geometry", outline_name(r["geometry_quality"])),
        ("Confidence", r["confidence"]),
    ]
    return f"<h4>{esc(r['name'])}</h4>{_rows(pairs)}<b>Sources</b>{source_links(atlas, r['sources'])}"


def installation_tip(r: pd.Series) -> str:
    kind = schema.INSTALLATION_KINDS.get(r["kind"], r["kind"])
    return f"<b>{esc(r['name'])}</b><br>{esc(kind)} · {esc(schema.PHASE_NAMES.get(r['phase'], plain(r['phase'])))}"


def installation_popup(atlas, r: pd.Series) -> str:
    pairs = [
        ("Unit", r["unit"]),
        ("Operator", state_name(atlas, r["operator"])),
        ("Kind", schema.INSTALLATION_KINDS.get(r["kind"], r["kind"])),
        ("Host state", state_name(atlas, r["host_iso3"])),
        ("Territory", territory_name(atlas, r["territory_id"])),
        ("Locality", r["locality"]),
        ("Status today", plain(r["status"])),
        ("Established", r["established"]),
        ("Ended", r["ended"]),
        ("Legal basis", r["legal_basis"]),
        ("Personnel", r["personnel"]),
        ("Note", r["note"]),
        ("Coordinates", f"{r['lat']}, {r['lon']} ({r['coord_quality']})"),
        ("Confidence", r["confidence"]),
        ("Last verified", r["last_verified"]),
    ]
    return f"<h4>{esc(r['name'])}</h4>{_rows(pairs)}<b>Sources</b>{source_links(atlas, r['sources'])}"


#: a legend group of at least this many entries, each label at most this long, may be set in two
#: columns (class ``cols``: the side legend does, so a whole-area slide's legend fits a 1080p screen)
COLUMN_ENTRIES, COLUMN_LABEL = 5, 24


def legend_html(groups, day: dt.date, title: str = "Alliance Atlas") -> str:
    """The scene's legend (``scene.Group``s: only what is drawn, in plain words) as escaped HTML."""
    parts = [f"<details open><summary class='atlas-legend-title'>{esc(title)} · as of {esc(day.isoformat())}</summary>"]
    for g in groups:
        rows = "".join(f"<div>{swatch_html(e)} {esc(e.label)}</div>" for e in g.entries)
        hint = f"<div class='hint'>{esc(g.hint)}</div>" if g.hint else ""
        cols = (
            " cols" if len(g.entries) >= COLUMN_ENTRIES and all(len(e.label) <= COLUMN_LABEL for e in g.entries) else ""
        )
        parts.append(f"<div class='grp{cols}'><b>{esc(g.title)}</b>{rows}{hint}</div>")
    parts.append("<div class='hint'>Borders as internationally recognised. Inclusion does not imply recognition.</div>")
    parts.append("</details>")
    return "".join(parts)


def swatch_html(entry) -> str:
    """A legend swatch drawn like the map draws the entry: an area's fill, line and pattern, or a symbol
    (as an image: the page's HTML sanitiser drops inline SVG from a legend shown beside the map). A
    CSS gradient at θ deg draws stripes running θ clockwise from horizontal: θ = -angle."""
    if entry.symbol is not None:
        return symbol_img(entry.symbol)
    look = entry.look
    css = [f"border:2px {'dashed' if look.dash else 'solid'} {look.line}"]
    base = _rgba(look.fill, look.fill_opacity) if look.fill else "#fff"
    if look.pattern is not None:
        p = look.pattern
        gap = p.space_colour and _rgba(p.space_colour, look.fill_opacity) or base
        css.append(
            f"background:repeating-linear-gradient({-p.angle}deg,{p.colour} 0 {p.weight}px,"
            f"{gap} {p.weight}px {p.weight + p.space}px)"
        )
    else:
        css.append(f"background:{base}")
    return f"<span class='sw' style='{esc(';'.join(css))}'></span>"


def _rgba(colour: str, alpha: float) -> str:
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:g})"


#: each symbol shape in a 20x20 box (the static renderer uses matplotlib's marker of the same shape)
SHAPE_POINTS = {
    "square": "3,3 17,3 17,17 3,17",
    "triangle": "10,2 18.5,17 1.5,17",
    "diamond": "10,1 19,10 10,19 1,10",
    "star": "10,1 12.4,7.2 19,7.2 13.7,11.3 15.6,18 10,14 4.4,18 6.3,11.3 1,7.2 7.6,7.2",
    "pentagon": "10,2 18,8 15,18 5,18 2,8",
    "hexagon": "10,1 17.8,5.5 17.8,14.5 10,19 2.2,14.5 2.2,5.5",
    "triangle_down": "1.5,3 18.5,3 10,18",
    "plus": "7,2 13,2 13,7 18,7 18,13 13,13 13,18 7,18 7,13 2,13 2,7 7,7",
    "triangle_right": "3,1.5 18,10 3,18.5",
    "cross": "2,6 6,2 10,6 14,2 18,6 14,10 18,14 14,18 10,14 6,18 2,14 6,10",
}


def symbol_html(sym, kind: str = "", phase: str = "") -> str:
    """An installation symbol as inline SVG (web map, legend, standalone HTML)."""
    fill, stroke = (sym.colour, "#000") if sym.filled else ("#fff", sym.colour)
    dash = f" stroke-dasharray='{esc(sym.dash)}'" if sym.dash else ""
    fade = f" opacity='{sym.opacity:g}'" if sym.opacity < 1 else ""
    paint = f"fill='{esc(fill)}' stroke='{esc(stroke)}' stroke-width='{1.6 if sym.filled else 2.4}'{dash}{fade}"
    body = (
        f"<circle cx='10' cy='10' r='8' {paint}/>"
        if sym.shape == "circle"
        else f"<polygon points='{SHAPE_POINTS[sym.shape]}' {paint}/>"
    )
    cls = " ".join(esc(c) for c in ("atlas-mk", sym.shape, phase or ("active" if sym.filled else "")) if c)
    return f"<svg class='{cls}' viewBox='0 0 20 20'>{body}</svg>"


def symbol_img(sym) -> str:
    """The symbol of ``symbol_html`` as an <img> with an SVG data URI (survives HTML sanitising)."""
    import base64
    import re

    svg = re.sub(
        r"<svg class='[^']*'",
        "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20'",
        symbol_html(sym),
        count=1,
    )
    data = base64.b64encode(svg.encode()).decode()
    return (
        f"<img class='atlas-mk {esc(sym.shape)}' alt='' width='20' height='20' src='data:image/svg+xml;base64,{data}'>"
    )
