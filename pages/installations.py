"""Installations: the table of everything the map shows for the current filters, with downloads.
Also the accessible alternative to the map (keyboard and screen reader)."""

import streamlit as st

import ui
from alliance_atlas.data import asof
from alliance_atlas.renderers import exports
from alliance_atlas.safe import md

data = ui.atlas()
f = ui.current_view().filters
st.title("Installations")

inst = asof.selected_installations(
    data, f.date, kinds=f.kinds, statuses=f.statuses, regions=f.regions, show_historic=f.show_historic
)

query = st.text_input("Search the table", key=ui.state.INST_QUERY, placeholder="name, unit, place, treaty…")
table = exports.installations_table(data, inst, query)
st.caption(
    md(
        f"{len(table)} installation(s) as of {f.date.isoformat()}"
        f"{' (historic and planned included)' if f.show_historic else ' (active on the date)'}."
    )
)
link = st.column_config.LinkColumn
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "personnel": st.column_config.NumberColumn(format="%d", help="Only where a source gives a figure"),
        "lat": st.column_config.NumberColumn(format="%.4f"),
        "lon": st.column_config.NumberColumn(format="%.4f"),
        "source 1": link(display_text=r"https?://(?:www\.)?([^/]+)"),
        "source 2": link(display_text=r"https?://(?:www\.)?([^/]+)"),
        "source 3": link(display_text=r"https?://(?:www\.)?([^/]+)"),
        "confidence": st.column_config.TextColumn(
            help="high: primary or two independent sources; medium: one; low: reported or contested"
        ),
    },
)

shown = inst[inst["id"].isin(table["id"])] if len(table) else inst.iloc[0:0]
c1, c2, c3 = st.columns(3)
c1.download_button(
    "Download CSV",
    exports.installations_csv_text(data, shown),
    ui.download_name("installations", f.date, "csv"),
    "text/csv",
)
c2.download_button(
    "Download GeoJSON",
    exports.features_collection(exports.installations_features(shown), f"installations-{f.date.isoformat()}"),
    ui.download_name("installations", f.date, "geojson"),
    "application/geo+json",
)
c3.download_button(
    "Download Excel",
    exports.to_excel(table),
    ui.download_name("installations", f.date, "xlsx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
