"""Compare two dates: two maps side by side and the dated list of every change between them."""

import datetime as dt
from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

import ui
from alliance_atlas import changes, layers, schema, urlstate, view
from alliance_atlas.details import sources_of
from alliance_atlas.safe import md, md_link

data = ui.atlas()
f = ui.current_view().filters
today = dt.date.today()
st.title("Compare two dates")


def _param_date(name: str, default: dt.date) -> dt.date:
    day, notice = urlstate.parse_date_param(name, ui.page_param(name), default, today)
    if notice:
        st.warning(md(notice), icon="⚠️")
    return day


c1, c2 = st.columns(2)
start = c1.date_input("From", _param_date("from", dt.date(1999, 1, 1)), schema.EARLIEST, today, key="cmp_from",
                      format="YYYY-MM-DD")
end = c2.date_input("To", _param_date("to", today), schema.EARLIEST, today, key="cmp_to", format="YYYY-MM-DD")
ui.set_page_params(**{"from": start.isoformat(), "to": end.isoformat()})

prefix = ui.static_prefix()
for col, day, key in ((c1, start, "cmp_map_a"), (c2, end, "cmp_map_b")):
    with col:
        built = view.build(data, replace(f, date=day, select=None), prefix)
        st_folium(layers.base_map(data, "vector", prefix), key=key, feature_group_to_add=built.groups,
                  returned_objects=[], use_container_width=True, height=460)

found = changes.changes(data, start, end)
st.subheader(md(f"{len(found)} change(s) between {min(start, end)} and {max(start, end)}"))
kinds = st.multiselect("Show", ["membership", "installation", "territory"], ["membership", "installation", "territory"],
                       key="cmp_kinds")
orgs = set(f.alliances)
year = None
for c in found:
    if c.kind not in kinds:
        continue
    if c.kind == "membership" and orgs and c.organization not in orgs:
        continue
    if c.date.year != year:
        year = c.date.year
        st.markdown(f"#### {year}")
    links = ", ".join(md_link(s.url, s.publisher) for s in sources_of(data, [c.sources])[:3])
    st.markdown(f"- **{c.date.isoformat()}** — {md(c.text)}" + (f" · sources: {links}" if links else ""))
if orgs:
    st.caption(md(f"Membership changes limited to the selected alliances ({', '.join(sorted(orgs))}); "
                  "clear the Alliances filter to see all."))
