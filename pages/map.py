"""Map page: read the shared filters, build the layers, draw them."""

import folium
import streamlit as st
from streamlit_folium import st_folium

import ui
from alliance_atlas import assets, layers, view
from alliance_atlas.safe import md

data = ui.atlas()
v = ui.current_view()
f = v.filters

st.title("Alliance Atlas")
st.caption(md(f"As of {f.date.isoformat()} · alliances: {', '.join(f.alliances) or 'none'}"))

missing = assets.missing_files()
if missing:
    st.error("The map's browser files are not installed (they are never loaded from the internet). "
             "Run `make assets` (or `make run`) and reload.")
    st.stop()

prefix = ui.static_prefix()
built = view.build(data, f, prefix)
st_folium(
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
st.caption(md(f"{len(built.installations)} installation(s) drawn for this selection. "
              "Borders as internationally recognised; inclusion does not imply recognition."))
