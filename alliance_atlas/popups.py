"""Tooltip, popup and legend HTML. Every data value passes through safe.esc."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from . import dates, schema, style
from .safe import esc, link


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
    cells = "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in pairs if v not in (None, "")
    )
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
    table = "<table class='atlas-kv'>" + "".join(lines) + "</table>" if lines else "<p>No membership in the selected organizations.</p>"
    srcs = ";".join(dict.fromkeys(";".join(rows["sources"]).split(";"))) if len(rows) else ""
    return f"<h4>{esc(name)}</h4>{table}<b>Sources</b>{source_links(atlas, srcs)}"


def territory_tip(r: pd.Series) -> str:
    status = schema.TERRITORY_STATUSES.get(r["status"], r["status"])
    span = f"since {r['since']}" + (f" until {r['until']}" if r["until"] else "")
    return f"<b>{esc(r['name'])}</b><br>{esc(status)} ({esc(span)})<br>de jure: {esc(r['de_jure_iso3'])}"


def territory_popup(atlas, r: pd.Series) -> str:
    pairs = [
        ("Status", schema.TERRITORY_STATUSES.get(r["status"], r["status"])),
        ("De jure", r["de_jure_iso3"]),
        ("Controlled by", r["controlled_by"]),
        ("Since", r["since"]),
        ("Until", r["until"]),
        ("Note", r["note"]),
        ("Geometry", r["geometry_quality"]),
        ("Confidence", r["confidence"]),
    ]
    return f"<h4>{esc(r['name'])}</h4>{_rows(pairs)}<b>Sources</b>{source_links(atlas, r['sources'])}"


def installation_tip(r: pd.Series) -> str:
    kind = schema.INSTALLATION_KINDS.get(r["kind"], r["kind"])
    return f"<b>{esc(r['name'])}</b><br>{esc(kind)} · {esc(r['phase'])}"


def installation_popup(atlas, r: pd.Series) -> str:
    pairs = [
        ("Unit", r["unit"]),
        ("Operator", r["operator"]),
        ("Kind", schema.INSTALLATION_KINDS.get(r["kind"], r["kind"])),
        ("Host state", r["host_iso3"]),
        ("Territory", r["territory_id"]),
        ("Locality", r["locality"]),
        ("Status today", r["status"]),
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


def legend_html(day: dt.date, orgs: tuple[str, ...], statuses: list[str], territories: list[str],
                kinds: list[str], phases: list[str], title: str = "Alliance Atlas",
                overlays: list[tuple[str, str]] | None = None, org_names: dict[str, str] | None = None) -> str:
    """A legend listing only what is drawn, in plain words (``org_names``: id -> how to name it)."""
    org_names = org_names or {}
    parts = [f"<details open><summary class='atlas-legend-title'>{esc(title)} · as of {esc(day.isoformat())}</summary>"]
    if orgs:
        swatches = "".join(
            f"<div><span class='sw' style='background:{style.org_colour(o)}'></span>{esc(org_names.get(o, o))}</div>"
            for o in orgs
        )
        parts.append(f"<div class='grp'><b>Alliances</b>{swatches}")
        if len(orgs) > 1:
            parts.append("<div class='hint'>stripes = member of the first two selected</div>")
        parts.append("</div>")
    if statuses:
        items = "".join(
            f"<div><span class='sw' style='background:#555;opacity:{style.STATUS_LOOK[s]['fillOpacity']};"
            f"border:2px {'dashed' if style.STATUS_LOOK[s]['dashArray'] else 'solid'} #000'></span>"
            f"{esc(schema.MEMBERSHIP_STATUSES[s])}</div>"
            for s in statuses if s in style.STATUS_LOOK
        )
        parts.append(f"<div class='grp'><b>Status</b>{items}</div>")
    if territories:
        items = "".join(f"<div><span class='sw' style='{style.hatch_css(t)}'></span>{esc(schema.TERRITORY_STATUSES[t])}</div>"
                        for t in territories)
        parts.append(f"<div class='grp'><b>Contested territory</b>{items}</div>")
    if kinds:
        items = "".join(
            f"<div>{marker_html(k, 'active', style.OKABE_ITO['black'])} {esc(schema.INSTALLATION_KINDS[k])}</div>" for k in kinds
        )
        parts.append(f"<div class='grp'><b>Installations</b>{items}</div>")
    if phases:
        items = "".join(f"<div>{phase_swatch(p)} {esc(schema.PHASE_NAMES.get(p, p))}</div>" for p in phases)
        parts.append(f"<div class='grp'><b>On this date</b>{items}</div>")
    if overlays:
        items = "".join(f"<div><span class='sw' style='background:{esc(c)};border-radius:50%'></span>{esc(n)}</div>"
                        for n, c in overlays)
        parts.append(f"<div class='grp'><b>Your data</b>{items}</div>")
    parts.append("<div class='hint'>Borders as internationally recognised. Inclusion does not imply recognition.</div>")
    parts.append("</details>")
    return "".join(parts)


def phase_swatch(phase: str) -> str:
    """A plain round marker in the look of ``phase`` (filled, hollow, dashed), with no kind letter."""
    return f"<span class='atlas-mk circle {esc(phase)}' style='--c:#555'><i></i></span>"


def marker_html(kind: str, phase: str, colour: str) -> str:
    shape = style.KIND_SHAPES.get(kind, "circle")
    glyph = style.KIND_GLYPHS.get(kind, "?")
    return f"<span class='atlas-mk {shape} {esc(phase)}' style='--c:{colour}'><i>{esc(glyph)}</i></span>"
