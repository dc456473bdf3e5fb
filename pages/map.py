"""Map page: summary figures, the map, and the details of what was clicked."""

import folium
import streamlit as st
from streamlit_folium import st_folium

import ui
from alliance_atlas import assets, details, layers, view
from alliance_atlas.safe import md, md_link

data = ui.atlas()
v = ui.current_view()
f = v.filters

st.title("Alliance Atlas")
st.caption(md(f"As of {f.date.isoformat()} · alliances: {', '.join(f.alliances) or 'none selected'}"))

if assets.missing_files():
    st.error("The map's browser files are not installed (they are never loaded from the internet). "
             "Run `make assets` (or `make run`) and reload.")
    st.stop()

# Summary figures, with the change since a comparison year
cmp_year = st.session_state.get("map_compare_year", max(1992, f.date.year - 10))
now, then = details.summary(data, f), details.summary(data, f, f.date.replace(year=cmp_year, day=min(f.date.day, 28)))
c1, c2, c3, c4 = st.columns([1, 1, 1, 1])
c1.metric("States in the selected alliances", now.states, now.states - then.states, delta_color="off",
          help=f"Non-withdrawn status in {', '.join(f.alliances) or '—'}; change since {cmp_year}")
c2.metric("Active installations", now.active_installations, now.active_installations - then.active_installations,
          delta_color="off", help=f"Russian installations and NATO battlegroups active on the date; change since {cmp_year}")
c3.metric("Known personnel", f"{now.personnel:,}", f"{now.personnel - then.personnel:+,}", delta_color="off",
          help=f"Sum of sourced figures at {now.personnel_sites} installation(s); others unknown")
c4.selectbox("Compare with", list(range(1992, f.date.year + 1)), key="map_compare_year",
             index=list(range(1992, f.date.year + 1)).index(cmp_year) if cmp_year <= f.date.year else 0)

map_col, side = st.columns([3, 1.25])
selected = details.describe(data, f.select, f.date) if f.select else None
with side:
    ring_km = st.number_input("Range ring around the selected installation (km)", 0, 5000, 0, step=50,
                              key="map_ring_km", help="Geodesic circle; 0 = off",
                              disabled=not (selected and selected.kind == "installation"))
ring = (selected.lat, selected.lon, float(ring_km)) if selected and selected.kind == "installation" and ring_km else None

prefix = ui.static_prefix()
built = view.build(data, f, prefix, ring=ring)
with map_col:
    out = st_folium(
        layers.base_map(data, f.basemap, prefix),
        key="atlas_map",
        feature_group_to_add=built.groups,
        layer_control=folium.LayerControl(collapsed=False),
        center=(v.lat, v.lon) if v.lat is not None else None,
        zoom=v.zoom,
        returned_objects=["last_object_clicked"],
        use_container_width=True,
        height=640,
    )
    st.caption(md(f"{len(built.installations)} installation(s) drawn. Borders as internationally recognised; "
                  "annexed, occupied and breakaway areas are hatched. Inclusion does not imply recognition."))

click = ui.new_click((out or {}).get("last_object_clicked"))
if click:
    item = details.pick(data, click[0], click[1], f.date, built.installations)
    if item:
        ui.select(item)
        selected = details.describe(data, item, f.date)

with side:
    if selected is None:
        st.info("Click a state, territory or installation for its details and sources.")
    else:
        st.subheader(md(selected.title))
        st.caption(md(f"{selected.kind} · id {selected.id}"))
        for label, value in selected.fields:
            st.markdown(f"**{md(label)}**: {md(value)}")
        if selected.memberships:
            st.dataframe(
                [{"organization": m["organization"], "status": m["status"], "from": m["start"],
                  "until": m["end"] or "—", "on date": "◀" if m["on_date"] else ""} for m in selected.memberships],
                hide_index=True, use_container_width=True)
        st.markdown("**Sources**")
        for s in selected.sources:
            st.markdown(f"- {md_link(s.url, f'{s.publisher}: {s.title}')}")
        if st.button("Clear selection"):
            ui.select(None)
            st.rerun()
