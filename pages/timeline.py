"""Timeline: membership periods per state and organization, events, the selected date."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from alliance_atlas import charts
from alliance_atlas.safe import md

data = ui.atlas()
f = ui.current_view().filters
st.title("Timeline")
st.caption(md(f"Membership periods for {', '.join(f.alliances) or 'every organization'}"
              f"{' in ' + ', '.join(f.regions) if f.regions else ''}; the red rule is the selected date "
              f"({f.date.isoformat()}). Click a bar or an event to move the date there."))

bars = charts.membership_bars(data, f.alliances, f.regions, dt.date.today())
events = charts.event_marks(data, f.regions)
if bars.empty:
    st.info("No membership periods for this selection.")
else:
    state = st.altair_chart(charts.timeline_chart(bars, events, f.date), on_select="rerun", key="timeline_chart",
                            width="stretch")
    picked = (state or {}).get("selection", {}) if isinstance(state, dict) else getattr(state, "selection", {})
    for name, field in (("pick", "start"), ("pick_event", "day")):
        values = (picked or {}).get(name) or []
        if values and field in values[0]:
            value = values[0][field]
            day = pd.Timestamp(value, unit="ms").date() if isinstance(value, (int, float)) else pd.Timestamp(value).date()
            if day != f.date:
                ui.set_date(day)

with st.expander("Events", expanded=False):
    ev = data.events.sort_values("_date")[["date", "end", "title", "kind", "iso3s", "summary", "sources"]]
    st.dataframe(ev, hide_index=True, width="stretch")
