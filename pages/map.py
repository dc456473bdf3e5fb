"""Map page: summary figures, the map, and the details of what was clicked."""

import folium
import streamlit as st

import ui
from alliance_atlas.analysis import details
from alliance_atlas.data import schema
from alliance_atlas.renderers import assets, leaflet_map, leaflet_overlays, leaflet_view, served
from alliance_atlas.safe import md, md_link

HEADER_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.25rem !important; }
.st-key-atlas_head h1 { font-size: 1.75rem; margin: 0; padding: 0; line-height: 1.2; }
.st-key-atlas_head [data-testid="stCaptionContainer"] p { margin: 0; }
.st-key-atlas_figures [data-testid="stMetric"] { padding: 0; }
.st-key-atlas_figures [data-testid="stMetricValue"] { font-size: 1.4rem; line-height: 1.15; }
.st-key-atlas_figures [data-testid="stMetric"] > div { display: flex; flex-wrap: wrap; align-items: center;
  column-gap: .6rem; }
.st-key-atlas_figures [data-testid="stMetricLabel"] { flex-basis: 100%; }
</style>"""

data = ui.atlas()
v = ui.current_view()
f = v.filters

# A compact header (issue 14): title and as-of on one line, the play controls on one row, the figures
# in one low row, so the map starts high on the screen (top <= 260 px at 1400x900, tests/browser/test_layout.py)
st.html(HEADER_CSS)
with st.container(key="atlas_head", horizontal=True, vertical_alignment="center"):
    st.title("Alliance Atlas", width="content")
    names = schema.org_names(data.organizations)
    shown = ", ".join(schema.short_label(o, names.get(o, o)) for o in f.alliances)
    st.caption(md(f"As of {f.date.isoformat()} · alliances: {shown or 'no alliance selected'}"))
ui.play_control(data)  # time as a movie: play / step the date; the map's layers swap in place

if assets.missing_files():
    st.error(
        "The map's browser files are not installed (they are never loaded from the internet). "
        "Run `make assets` (or `make run`) and reload."
    )
    st.stop()

# Summary figures, with the change since a comparison year
years = list(range(schema.EARLIEST.year, f.date.year + 1))
cmp_year = ui.state.MAP_COMPARE_YEAR.get()
if not isinstance(cmp_year, int) or cmp_year not in years:
    cmp_year = max(years[0], f.date.year - 10)
    ui.state.MAP_COMPARE_YEAR.set(cmp_year)
now = details.cached_summary(data, f)
then = details.cached_summary(data, f, f.date.replace(year=cmp_year, day=min(f.date.day, 28)))
STATES_FIGURE = "States on the map in the selected alliances"
c1, c2, c3, c4 = st.container(key="atlas_figures").columns([1, 1, 1, 1], vertical_alignment="center")
if f.alliances:
    c1.metric(
        STATES_FIGURE,
        now.states,
        now.states - then.states,
        delta_color="off",
        help=f"States on this map with a non-withdrawn status in {', '.join(f.alliances)}; change since {cmp_year}. "
        "The map covers Europe, the former Soviet space and their neighbours: members elsewhere (such as NATO's "
        "United States and Canada) are not counted."
        + (" Only states in the chosen regions are counted; the map colours all." if f.regions else ""),
    )
else:  # nothing is coloured, so no count: a visible "no alliance selected" state (issue 13)
    c1.metric(STATES_FIGURE, "—", help="No alliance selected")
# The installation figures do not depend on the alliances (they follow the date, regions and kinds),
# so they keep their numbers when no alliance is selected; the help says so.
c2.metric(
    "Active installations",
    now.active_installations,
    now.active_installations - then.active_installations,
    delta_color="off",
    help=f"Russian installations and NATO battlegroups active on the date, in the chosen "
    f"regions and kinds (not filtered by alliance); change since {cmp_year}",
)
c3.metric(
    "Known personnel",
    f"{now.personnel:,}",
    f"{now.personnel - then.personnel:+,}",
    delta_color="off",
    help=f"Sum of sourced figures at {now.personnel_sites} installation(s), not filtered by alliance; others unknown",
)
c4.selectbox(
    "Change since",
    years,
    key=ui.state.MAP_COMPARE_YEAR,
    format_func=lambda y: f"Change since {y}",
    label_visibility="collapsed",
    help="The year the figures' changes are counted from",
)

map_col, side = st.columns([3, 1.25])
user = ui.visible_overlays()
store = ui.overlay_store()
selected = details.describe(data, f.select, f.date) if f.select else None
picked_overlay = ui.state.OVERLAY_PICK.get()
if picked_overlay and picked_overlay[0] not in user:
    picked_overlay = None
point = (selected.lat, selected.lon) if selected and selected.kind == "installation" else None
if picked_overlay:
    point = leaflet_overlays.overlay_details(picked_overlay[0], user[picked_overlay[0]], picked_overlay[1])[2]
# One distance per selected point (issue 13): the range ring on the map and the "within" table below
# read the same setting.
with side:
    km = st.number_input(
        "Distance from the selected item (km)",
        1,
        5000,
        300,
        step=50,
        key=ui.state.MAP_KM,
        help="Used by the range ring (for an installation or a point of your data) and by the "
        "'Within …' table below the map. Geodesic, on the WGS 84 ellipsoid.",
    )
    ring_on = st.toggle(
        "Draw it as a range ring",
        key=ui.state.MAP_RING_ON,
        disabled=point is None,
        help="A geodesic circle around the selected installation or overlay point",
    )
ring = (point[0], point[1], float(km)) if point and ring_on else None

prefix = ui.static_prefix()
fit = ui.pending_fit()  # a region or search choice: the map fits it once
built = leaflet_view.build(
    data,
    f,
    prefix,
    ring=ring,
    highlight=(f.select,) if f.select else (),
    title="Legend",
    overlays={n: (g, store[n]["colour"]) for n, g in user.items()},
    legend_on_map=False,
    fit=fit[0] if fit else None,
    fit_nonce=fit[1] if fit else 0,
)
with map_col:
    out = ui.map_widget(
        leaflet_map.base_map(data, f.basemap, prefix),
        ui.state.ATLAS_MAP,
        # the position is a layer (moved once per request, ui.request_move), never center/zoom
        [ui.move_layer(), *built.groups],
        layer_control=folium.LayerControl(collapsed=True),
        clicks=True,
        height=700,
    )
    if fit:
        ui.fit_shown()
    st.caption(
        md(
            f"{len(built.installations)} installation(s) drawn. Borders as internationally recognised; "
            "annexed, occupied and breakaway areas are hatched. Inclusion does not imply recognition."
        )
    )
    ui.movie_gif(data)  # the same movie as an animated GIF (below the map: the header stays short)

click = ui.new_click((out or {}).get("last_object_clicked"))
if click:
    hit = leaflet_overlays.pick_overlay(user, click[0], click[1])
    item = None if hit else details.pick(data, click[0], click[1], f.date, built.installations)
    ui.state.OVERLAY_PICK.set(hit)
    picked_overlay = hit
    if item:
        ui.select(item)
        if item != f.select:
            st.rerun()  # redraw with the new selection highlighted
        selected = details.describe(data, item, f.date)
    if hit:
        selected = None
        ui.select(None)

with side:
    ui.side_legend(served.link_images(built.legend_html, prefix), "330px")  # symbols as static files
    ui.frame_drawn(f.date)  # the movie steps on only from a drawn frame (map and legend)
    if picked_overlay:
        title, props, _pt = leaflet_overlays.overlay_details(
            picked_overlay[0], user[picked_overlay[0]], picked_overlay[1]
        )
        st.subheader(md(title))
        st.caption(md(f"your data · {picked_overlay[0]} · feature {picked_overlay[1] + 1}"))
        for label, value in props[:40]:
            st.markdown(f"**{md(label)}**: {md(value[:500])}")
    elif selected is None:
        st.info("Click a state, territory or installation for its details and sources.")
    else:
        st.subheader(md(selected.title))
        st.caption(md(f"{selected.kind} · id {selected.id}"))
        for label, value in selected.fields:
            st.markdown(f"**{md(label)}**: {md(value)}")
        if selected.memberships:
            st.dataframe(
                [
                    {
                        "organization": m["organization"],
                        "status": m["status"],
                        "from": m["start"],
                        "until": m["end"] or "—",
                        "on date": "◀" if m["on_date"] else "",
                    }
                    for m in selected.memberships
                ],
                hide_index=True,
                width="stretch",
            )
        st.markdown("**Sources**")
        for s in selected.sources:
            st.markdown(f"- {md_link(s.url, f'{s.publisher}: {s.title}')}")
        if st.button("Clear selection"):
            ui.select(None)
            st.rerun()

# "What is within R km of the selected item?" (after a click, of the newly selected one)
if picked_overlay:
    centre = leaflet_overlays.overlay_details(picked_overlay[0], user[picked_overlay[0]], picked_overlay[1])[2]
else:
    centre = (selected.lat, selected.lon) if selected else None
if centre:
    name = selected.title if selected and not picked_overlay else "the selected point"
    with st.expander(md(f"Within {km:,} km of {name}"), expanded=False):
        st.caption("The distance is set beside the map (it also sizes the range ring).")
        near = leaflet_overlays.within(
            data, f.date, centre[0], centre[1], float(km), user, exclude=selected.id if selected else None
        )
        st.caption(
            md(
                f"{len(near)} item(s) within {km} km (geodesic distances on the WGS 84 ellipsoid; "
                "installations active on the selected date; 0 km = the point lies inside that state)."
            )
        )
        st.dataframe(
            near,
            hide_index=True,
            width="stretch",
            column_config={"distance_km": st.column_config.NumberColumn("distance (km)", format="%.1f")},
        )
