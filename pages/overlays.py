"""Your data: upload GeoJSON or CSV overlays (or pick the team's), see what was kept and why,
toggle them on the map, download them back cleaned."""

import streamlit as st

import ui
from alliance_atlas import uploads
from alliance_atlas.safe import md

ui.atlas()  # also moves a fresh server to app.py's navigation when /overlays is the first page opened
st.title("Your data on the map")
limits = uploads.Limits.from_env()
st.caption(
    md(
        f"GeoJSON, or CSV with latitude/longitude columns. Limits: {limits.max_bytes // (1024 * 1024)} MB, "
        f"{limits.max_features:,} features, {limits.max_seconds:g} s to read."
    )
)
st.info(
    "Your overlays are kept for this browser session only: in the server's memory, tied to this tab's "
    "connection, never shared with other users and never written to disk. Reloading the page or closing "
    "the tab discards them. A cleaned download is built only when you click its button; the server then "
    "holds that one file at an address sent to your browser alone (derived from the file's content), "
    "and deletes it after the app's next couple of runs.",
    icon=":material/lock:",
)

files = st.file_uploader(
    "Add overlays", type=["geojson", "json", "csv"], accept_multiple_files=True, key=ui.state.OVERLAY_UPLOAD
)
ui.forget_uploads({up.file_id for up in files or []})
for up in files or []:
    result = ui.parsed_upload(up)
    if result.needs_columns:
        st.info(md(result.message))
        c1, c2 = st.columns(2)
        lat = c1.selectbox(f"Latitude column of {up.name}", result.needs_columns, index=None, key=f"lat_{up.file_id}")
        lon = c2.selectbox(f"Longitude column of {up.name}", result.needs_columns, index=None, key=f"lon_{up.file_id}")
        if not (lat and lon):
            continue
        result = ui.parsed_upload(up, lat, lon)
    if result.ok:
        st.success(md(f"{ui.added_upload(up, result)}: {result.message}"))
    else:
        st.error(md(f"{up.name}: {result.message}"))
    if result.problems:
        with st.expander(f"{len(result.problems)} row(s) with problems in {up.name}"):
            st.code("\n".join(result.problems), language=None)

team = ui.server_overlay_files()
if team:
    st.subheader("Team overlays (ATLAS_OVERLAY_DIR)")
    for name in team:
        if st.button(md(f"Add {name}"), key=f"team_{name}"):
            result = ui.read_server_overlay(name)
            if result.ok:
                ui.add_overlay(name.rsplit(".", 1)[0], result, f"server:{name}")
                st.success(md(f"{name}: {result.message}"))
            else:
                st.error(md(f"{name}: {result.message}"))

store = ui.overlay_store()
st.subheader(f"Overlays in this session ({len(store)})")
if not store:
    st.info("None yet. Upload a file above; it will appear on the Map page, in its legend and layer control.")
for name, ov in list(store.items()):
    with st.expander(md(f"{name} — {len(ov['gdf']) if ov['gdf'] is not None else 0} feature(s)"), expanded=False):
        c1, c2, c3 = st.columns([1, 1, 1])
        ov["visible"] = c1.toggle("Show on the map", value=ov["visible"], key=f"vis_{name}")
        ov["colour"] = c2.color_picker("Colour", value=ov["colour"], key=f"col_{name}")
        if c3.button("Remove", key=f"rm_{name}"):
            del store[name]
            st.rerun()
        st.caption(md(ov["message"]))
        if ov["problems"]:
            st.code("\n".join(ov["problems"][:200]), language=None)
        table = ov["gdf"].drop(columns=ov["gdf"].geometry.name)
        table.insert(0, "geometry", ov["gdf"].geometry.geom_type)
        st.dataframe(table, hide_index=False, width="stretch", height=240)
        # Built on click (deferred), not on every run: no copy of the user's data sits at a /media address
        # while the page is merely open.
        st.download_button(
            "Download cleaned GeoJSON",
            lambda gdf=ov["gdf"]: uploads.to_geojson(gdf),
            f"{name}-cleaned.geojson",
            "application/geo+json",
            key=f"dl_{name}",
            on_click="ignore",
        )
