"""Timeline data and chart (Altair / Vega-Lite, shipped with Streamlit: works offline)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from . import schema, style
from .io import Atlas


def membership_bars(atlas: Atlas, orgs: tuple[str, ...], regions: tuple[str, ...], today: dt.date) -> pd.DataFrame:
    """One row per membership period: state, organization, status, start, end (open ends = today)."""
    mem = atlas.memberships
    if orgs:
        mem = mem[mem["organization"].isin(orgs)]
    region_of = dict(zip(atlas.states["iso3"], atlas.states["region"], strict=True))
    names = dict(zip(atlas.states["iso3"], atlas.states["name"], strict=True))
    if regions:
        mem = mem[mem["iso3"].map(region_of).isin(regions)]
    rows = []
    for _, r in mem.iterrows():
        end = r["_end"] or today
        rows.append({"state": names.get(r["iso3"], r["iso3"]), "iso3": r["iso3"], "organization": r["organization"],
                     "row": f"{r['organization']} · {names.get(r['iso3'], r['iso3'])}", "status": r["status"],
                     "start": pd.Timestamp(r["_start"]), "end": pd.Timestamp(end), "from": r["start"],
                     "until": r["end"] or "—", "confidence": r["confidence"], "sources": r["sources"]})
    cols = ["state", "iso3", "organization", "row", "status", "start", "end", "from", "until", "confidence", "sources"]
    return pd.DataFrame(rows, columns=cols).sort_values(["organization", "state", "start"])


def event_marks(atlas: Atlas, regions: tuple[str, ...]) -> pd.DataFrame:
    ev = atlas.events.copy()
    if regions:
        region_of = dict(zip(atlas.states["iso3"], atlas.states["region"], strict=True))
        ev = ev[ev["iso3s"].map(lambda c: any(region_of.get(i) in regions for i in c.split(";")))]
    return pd.DataFrame({"date": [pd.Timestamp(d) for d in ev["_date"]], "title": ev["title"], "id": ev["id"],
                         "kind": ev["kind"], "day": ev["date"]})


def timeline_chart(bars: pd.DataFrame, events: pd.DataFrame, selected: dt.date) -> alt.VConcatChart:
    statuses = [s for s in schema.MEMBERSHIP_STATUSES if s in set(bars["status"])] or list(schema.MEMBERSHIP_STATUSES)
    colour = alt.Scale(domain=statuses, range=[style.STATUS_COLOURS[s] for s in statuses])
    pick = alt.selection_point(name="pick", fields=["start"], on="click")
    pick_event = alt.selection_point(name="pick_event", fields=["day"], on="click")
    start = alt.DateTime(year=1991, month=1, date=1)
    x = alt.X("start:T", title=None, scale=alt.Scale(domainMin=start))
    rule = alt.Chart(pd.DataFrame({"d": [pd.Timestamp(selected)]})).mark_rule(
        color=style.SELECTED_DATE_COLOUR, strokeWidth=2).encode(x="d:T")
    height = max(120, 14 * bars["row"].nunique())
    band = alt.Chart(bars).mark_bar(height=10).encode(
        x=x, x2="end:T",
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("status:N", scale=colour, legend=alt.Legend(title="Status", orient="top")),
        tooltip=["state", "organization", "status", "from", "until", "confidence", "sources"],
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.75)),
    ).add_params(pick).properties(height=height, width="container")
    ev = alt.Chart(events).mark_tick(thickness=2, size=22, color=style.EVENT_COLOUR).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(domainMin=start)),
        tooltip=["day", "title", "kind"],
    ).add_params(pick_event).properties(height=36, width="container", title="Events (click one to move the date)")
    return alt.vconcat(ev + rule, band + rule).resolve_scale(x="shared")
