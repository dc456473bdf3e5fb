"""Timeline: membership periods per state and organization, events, the selected date."""

import datetime as dt

import streamlit as st

import ui
from alliance_atlas.renderers import charts
from alliance_atlas.safe import md

data = ui.atlas()
f = ui.current_view().filters
st.title("Timeline")
st.caption(
    md(
        f"Membership periods for {', '.join(f.alliances) or 'every organization'}"
        f"{' in ' + ', '.join(f.regions) if f.regions else ''}; the red rule is the selected date "
        f"({f.date.isoformat()}). Click anywhere on the chart to move the date there, or on an event "
        "to move it to the event's day."
    )
)

today = dt.date.today()
bars = charts.membership_bars(data, f.alliances, f.regions, today)
events = charts.event_marks(data, f.regions)
if bars.empty:
    st.info("No membership periods for this selection.")
else:
    state = st.altair_chart(
        charts.timeline_chart(bars, events, f.date, today),
        on_select="rerun",
        selection_mode=[charts.PICK, charts.PICK_EVENT],
        key=ui.state.TIMELINE_CHART,
        width="stretch",
    )
    picked = (state or {}).get("selection", {}) if isinstance(state, dict) else getattr(state, "selection", {})
    day = charts.picked_day(picked)
    # act on a new click only: the chart keeps reporting its last selection on later reruns, and
    # a date set elsewhere (the sidebar) must not be pulled back to it
    if day is not None and ui.state.TIMELINE_LAST_PICK.get() != day:
        ui.state.TIMELINE_LAST_PICK.set(day)
        if day != f.date:
            ui.set_date(day)
    with st.expander("Membership periods and their sources", expanded=False):
        st.dataframe(
            bars[["organization", "state", "status", "from", "until", "confidence", "sources"]],
            hide_index=True,
            width="stretch",
        )

with st.expander("Events", expanded=False):
    ev = data.events.sort_values("_date")[["date", "end", "title", "kind", "iso3s", "summary", "sources"]]
    st.dataframe(ev, hide_index=True, width="stretch")
