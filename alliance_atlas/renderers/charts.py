"""Timeline data and chart (Altair / Vega-Lite, shipped with Streamlit: works offline)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from alliance_atlas.cartography import style
from alliance_atlas.data import schema
from alliance_atlas.data.loading import Atlas


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
        rows.append(
            {
                "state": names.get(r["iso3"], r["iso3"]),
                "iso3": r["iso3"],
                "organization": r["organization"],
                "row": f"{r['organization']} · {names.get(r['iso3'], r['iso3'])}",
                "status": r["status"],
                "start": pd.Timestamp(r["_start"]),
                "end": pd.Timestamp(end),
                "from": r["start"],
                "until": r["end"] or "—",
                "confidence": r["confidence"],
                "sources": r["sources"],
            }
        )
    cols = ["state", "iso3", "organization", "row", "status", "start", "end", "from", "until", "confidence", "sources"]
    return pd.DataFrame(rows, columns=cols).sort_values(["organization", "state", "start"])


def event_marks(atlas: Atlas, regions: tuple[str, ...]) -> pd.DataFrame:
    ev = atlas.events.copy()
    if regions:
        region_of = dict(zip(atlas.states["iso3"], atlas.states["region"], strict=True))
        ev = ev[ev["iso3s"].map(lambda c: any(region_of.get(i) in regions for i in c.split(";")))]
    return pd.DataFrame(
        {
            "date": [pd.Timestamp(d) for d in ev["_date"]],
            "title": ev["title"],
            "id": ev["id"],
            "kind": ev["kind"],
            "day": ev["date"],
        }
    )


EVENTS_ROW = "⚑ Events"
ROW_STEP = 20  # px per row: every label has room, none is dropped
PICK, PICK_EVENT, HOVER = "pick_day", "pick_event", "hover_day"


def click_grid(first: dt.date, last: dt.date) -> pd.DataFrame:
    """Half-month strips from ``first`` to ``last``: a transparent layer over the whole chart
    that turns a click anywhere into the date under the pointer (``day``, ISO text)."""
    days, d = [], dt.date(first.year, first.month, 1)
    while d <= last:
        days.append(d)
        d = d.replace(day=16) if d.day == 1 else (dt.date(d.year + d.month // 12, d.month % 12 + 1, 1))
    ends = days[1:] + [last + dt.timedelta(days=1)]
    return pd.DataFrame(
        {
            "t": [pd.Timestamp(x) for x in days],
            "t2": [pd.Timestamp(x) for x in ends],
            "day": [x.isoformat() for x in days],
        }
    )


def picked_day(selection: dict | None) -> dt.date | None:
    """The date a click on the timeline chose: an event's own date, else the date under the pointer."""
    for name in (PICK_EVENT, PICK):
        values = (selection or {}).get(name) or []
        if values and isinstance(values[0], dict) and values[0].get("day"):
            try:
                return dt.date.fromisoformat(str(values[0]["day"])[:10])
            except ValueError:
                return None
    return None


def timeline_chart(
    bars: pd.DataFrame, events: pd.DataFrame, selected: dt.date, today: dt.date | None = None
) -> alt.LayerChart | alt.FacetChart:
    """One layered chart as wide as its column (``width="container"``; a concat or facet cannot
    follow the container): a row per organization × state (labels never dropped: a fixed step per
    row, no label overlap check), an events row on top, the selected date as a rule, and a
    transparent layer of half-month strips over everything, so a click anywhere selects the
    date under the pointer; a click on an event selects the event's date."""
    today = today or dt.date.today()
    first, last = schema.EARLIEST, max(today, selected)
    statuses = [s for s in schema.MEMBERSHIP_STATUSES if s in set(bars["status"])] or list(schema.MEMBERSHIP_STATUSES)
    names = schema.MEMBERSHIP_STATUSES
    colour = alt.Scale(domain=[names[s] for s in statuses], range=[style.STATUS_COLOURS[s] for s in statuses])
    rows = [EVENTS_ROW, *dict.fromkeys(bars["row"])]
    stop = last + dt.timedelta(days=120)
    domain = [
        alt.DateTime(year=first.year, month=first.month, date=first.day),
        alt.DateTime(year=stop.year, month=stop.month, date=stop.day),
    ]
    x_scale = alt.Scale(domain=domain)
    x_axis = alt.Axis(
        orient="top", format="%Y", tickCount=alt.TickCount(interval="year", step=2), grid=True, labelFontSize=12
    )
    y = alt.Y(
        "row:N",
        title=None,
        sort=rows,
        scale=alt.Scale(domain=rows),
        axis=alt.Axis(labelLimit=360, labelOverlap=False, labelFontSize=12, labelPadding=6),
    )
    pick = alt.selection_point(name=PICK, fields=["day"], on="click", clear=False)
    hover = alt.selection_point(name=HOVER, fields=["day"], on="pointerover", clear="pointerout", empty=False)
    pick_event = alt.selection_point(name=PICK_EVENT, fields=["day"], on="click", clear=False)

    band = (
        alt.Chart(bars.assign(status_name=bars["status"].map(lambda v: names.get(v, v))))
        .mark_bar(height=12, clip=True)
        .encode(
            x=alt.X("start:T", title=None, scale=x_scale, axis=x_axis),
            x2="end:T",
            y=y,
            color=alt.Color(
                "status_name:N",
                scale=colour,
                legend=alt.Legend(title="Status", orient="bottom", labelLimit=400, columns=3),
            ),
        )
    )
    grid = click_grid(first, last)
    catch = (
        alt.Chart(grid)
        .mark_rect(fill="transparent", strokeWidth=0, cursor="pointer")
        .encode(
            x=alt.X("t:T"),
            x2="t2:T",
            y=alt.value(0),
            y2=alt.YValue(alt.ExprRef("height")),
            tooltip=[alt.Tooltip("day:N", title="Click to set the date to")],
        )
        .add_params(pick, hover)
    )
    pointer = alt.Chart(grid).mark_rule(color="#666", strokeDash=[3, 3]).encode(x=alt.X("t:T")).transform_filter(hover)
    ev = (
        alt.Chart(events.assign(row=EVENTS_ROW))
        .mark_tick(thickness=3, size=ROW_STEP - 2, color=style.EVENT_COLOUR, cursor="pointer")
        .encode(
            x=alt.X("date:T"),
            y=y,
            tooltip=["day", "title", "kind"],
        )
        .add_params(pick_event)
    )
    sel = pd.DataFrame({"d": [pd.Timestamp(selected)], "label": [selected.isoformat()]})
    rule = alt.Chart(sel).mark_rule(color=style.SELECTED_DATE_COLOUR, strokeWidth=2).encode(x=alt.X("d:T"))
    label = (
        alt.Chart(sel)
        .mark_text(color=style.SELECTED_DATE_COLOUR, align="left", dx=4, dy=-2, baseline="top", fontWeight="bold")
        .encode(x=alt.X("d:T"), y=alt.value(0), text="label:N")
    )
    return alt.layer(band, pointer, catch, ev, rule, label).properties(width="container", height=alt.Step(ROW_STEP))
