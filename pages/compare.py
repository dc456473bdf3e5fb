"""Compare two dates: two maps side by side that move together, opened on where things changed,
their legends beside them, and the dated list of every change between the dates."""

import datetime as dt
from dataclasses import replace

import streamlit as st

import ui
from alliance_atlas.analysis import changes
from alliance_atlas.analysis.details import sources_of
from alliance_atlas.cartography import style
from alliance_atlas.data import schema, urlstate
from alliance_atlas.renderers import leaflet_map, leaflet_view
from alliance_atlas.safe import md, md_link

data = ui.atlas()
f = ui.current_view().filters
today = dt.date.today()
st.title("Compare two dates")


def _param_date(name: str, default: dt.date) -> dt.date:
    day, notice = urlstate.parse_date_param(name, ui.page_param(name), default, today)
    if notice:
        st.warning(md(notice), icon=":material/warning:")
    return day


KIND_LABELS = {"membership": "Memberships", "installation": "Installations", "territory": "Territories"}
# the kind pills get the room they need on one row at 1400 px (in a half-width column they were cut off)
c1, c2, c3 = st.columns([1, 1, 1.6], vertical_alignment="bottom")


def _date_field(col, label: str, slot, linked: dt.date) -> dt.date:
    """A date typed as YYYY-MM-DD, applied on Enter (st.date_input applies only when focus leaves it,
    as on the Map page's "As of", issue 13); a bad one gets a notice and the last good date stays."""
    if not slot.get():
        slot.set(linked.isoformat())
    typed = col.text_input(
        f"{label} (YYYY-MM-DD)", key=slot, max_chars=10, help=f"A date from {schema.EARLIEST} to today; press Enter"
    )
    day, notice = urlstate.parse_date_param(label, typed.strip(), linked, today)
    if notice:
        col.warning(md(notice), icon=":material/warning:")
    return day


start = _date_field(c1, "From", ui.state.CMP_FROM, _param_date("from", dt.date(1999, 1, 1)))
end = _date_field(c2, "To", ui.state.CMP_TO, _param_date("to", today))
ui.set_page_params(**{"from": start.isoformat(), "to": end.isoformat()})
linked = ui.page_param("changes")  # the kinds shown, when not all of them: part of a shared link
kinds = (
    c3.pills(
        "Show changes in",
        list(changes.KINDS),
        selection_mode="multi",
        default=list(changes.KINDS) if linked is None else [k for k in changes.KINDS if k in linked.split(",")],
        key=ui.state.CMP_KINDS,
        format_func=KIND_LABELS.get,
    )
    or []
)
ui.set_page_params(changes=None if set(kinds) == set(changes.KINDS) else ",".join(kinds) or "none")
orgs = tuple(sorted(f.alliances))

# one computation: the maps open on these changes, the heading counts them, the list shows them
found = changes.listed(data, start, end, kinds, orgs)
area = changes.bounds(data, found)

# a link copied after panning or zooming the maps carries their position (cview): it reopens there;
# without one the maps open fitted to the changes
position = urlstate.parse_position(ui.page_param("cview"))
prefix = ui.static_prefix()
legends = []
st.html(
    f"<style>{style.MAP_CSS}\n.atlas-legend-side {{ max-height: 222px; overflow: auto; max-width: none; "
    "margin-bottom: 8px; }}</style>"
)
m1, m2, side = st.columns([1, 1, 0.5])
for col, day, key in ((m1, start, ui.state.CMP_MAP_A), (m2, end, ui.state.CMP_MAP_B)):
    with col:
        built = leaflet_view.build(
            data,
            replace(f, date=day, select=None),
            prefix,
            fit=None if position else area,
            legend_on_map=False,
            title="From" if key == ui.state.CMP_MAP_A else "To",
        )
        legends.append(built.legend_html)
        base = leaflet_map.base_map(data, "vector", prefix, sync="compare")
        if position:
            base.location, base.options["zoom"] = [position[0], position[1]], position[2]
        ui.map_widget(base, key, built.groups, height=460)
with side, st.container(key="cmp_legends"):
    for legend in legends:
        st.html(f"<div class='atlas-legend atlas-legend-side'>{legend}</div>")
st.caption(
    "The two maps move together: pan or zoom either one. They open on the states, installations and "
    "territories that changed."
)

st.subheader(md(f"{len(found)} change(s) between {min(start, end)} and {max(start, end)}"))
year = None
for c in found:
    if c.date.year != year:
        year = c.date.year
        st.markdown(f"#### {year}")
    links = ", ".join(md_link(s.url, s.publisher) for s in sources_of(data, [c.sources])[:3])
    st.markdown(f"- **{c.date.isoformat()}** — {md(c.text)}" + (f" · sources: {links}" if links else ""))
if orgs:
    st.caption(
        md(
            f"Membership changes limited to the selected alliances ({', '.join(orgs)}); "
            "clear the Alliances filter to see all."
        )
    )
