"""The only Streamlit helper: cached loaders, session-state keys, URL <-> filters.

Pages import this; this imports alliance_atlas; never the other way round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from alliance_atlas import assets, io, schema, urlstate
from alliance_atlas.layers import BASEMAPS
from alliance_atlas.safe import md

# session-state keys (one place)
K_INIT = "atlas_url_applied"
K_DATE = "f_date"
K_YEAR = "f_year"
K_ALLIANCES = "f_alliances"
K_REGIONS = "f_regions"
K_KINDS = "f_kinds"
K_STATUSES = "f_statuses"
K_HISTORIC = "f_historic"
K_BASEMAP = "f_basemap"
K_VIEW = "atlas_view"


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _load(folder: str) -> io.Atlas:
    return io.load(folder)


def atlas() -> io.Atlas:
    """The validated data, or a clear message listing the problems (and stop)."""
    try:
        return _load(str(io.data_dir()))
    except io.DataError as exc:
        st.error(f"The data in {io.data_dir()} has {len(exc.problems)} problem(s). "
                 "Fix them (see below) and reload; `python -m alliance_atlas validate` lists them too.")
        st.code("\n".join(str(p) for p in exc.problems[:200]), language=None)
        st.stop()
        raise  # unreachable; st.stop raises


def static_prefix() -> str:
    return assets.url_prefix(st.get_option("server.baseUrlPath") or "")


def _today() -> dt.date:
    return dt.date.today()


def _apply_url(data: io.Atlas) -> urlstate.View:
    view = urlstate.parse(st.query_params.to_dict(), organizations=list(data.organizations["id"]),
                          selectable=set(data.installations["id"]) | set(data.territories["id"]) | set(data.states["iso3"]),
                          today=_today())
    f = view.filters
    st.session_state[K_DATE] = f.date
    st.session_state[K_YEAR] = f.date.year
    st.session_state[K_ALLIANCES] = list(f.alliances)
    st.session_state[K_REGIONS] = list(f.regions)
    st.session_state[K_KINDS] = list(f.kinds)
    st.session_state[K_STATUSES] = list(f.statuses)
    st.session_state[K_HISTORIC] = f.show_historic
    st.session_state[K_BASEMAP] = f.basemap
    return view


def _year_changed() -> None:
    day: dt.date = st.session_state[K_DATE]
    year = st.session_state[K_YEAR]
    try:
        new = day.replace(year=year)
    except ValueError:  # 29 February
        new = day.replace(year=year, day=28)
    st.session_state[K_DATE] = min(new, _today())


def _date_changed() -> None:
    st.session_state[K_YEAR] = st.session_state[K_DATE].year


def sidebar(data: io.Atlas) -> urlstate.View:
    """Shared sidebar filters; the view is kept in session state and mirrored in the URL."""
    notices: tuple[str, ...] = ()
    first = K_INIT not in st.session_state
    if first:
        initial = _apply_url(data)
        notices = initial.notices
        st.session_state[K_INIT] = True
        st.session_state[K_VIEW] = initial
    today = _today()
    orgs = list(data.organizations["id"])
    names = dict(zip(data.organizations["id"], data.organizations["name"], strict=True))
    with st.sidebar:
        st.header("Filters")
        st.slider("Year", schema.EARLIEST.year, today.year, key=K_YEAR, on_change=_year_changed)
        st.date_input("As of", min_value=schema.EARLIEST, max_value=today, key=K_DATE, on_change=_date_changed,
                      format="YYYY-MM-DD")
        st.multiselect("Alliances", orgs, key=K_ALLIANCES, format_func=lambda o: f"{o} — {names.get(o, o)}")
        st.multiselect("Regions", list(schema.REGIONS), key=K_REGIONS, format_func=schema.REGIONS.get,
                       placeholder="All regions")
        st.multiselect("Installation kinds", list(schema.INSTALLATION_KINDS), key=K_KINDS,
                       format_func=schema.INSTALLATION_KINDS.get, placeholder="All kinds")
        st.checkbox("Show historic and planned installations", key=K_HISTORIC)
        st.selectbox("Basemap", BASEMAPS, key=K_BASEMAP,
                     format_func=lambda b: {"vector": "Built-in (offline)", "osm": "OpenStreetMap (online)",
                                            "light": "Light (online)", "dark": "Dark (online)",
                                            "custom": "Team tile server (ATLAS_TILE_URL)"}[b])
    previous: urlstate.View = st.session_state[K_VIEW]
    f = replace(
        previous.filters, date=st.session_state[K_DATE], alliances=tuple(st.session_state[K_ALLIANCES]),
        regions=tuple(st.session_state[K_REGIONS]), kinds=tuple(st.session_state[K_KINDS]),
        show_historic=bool(st.session_state[K_HISTORIC]), basemap=st.session_state[K_BASEMAP])
    view = replace(previous, filters=f, notices=notices)
    st.session_state[K_VIEW] = view
    st.query_params.from_dict(urlstate.to_params(view, today))
    for note in notices:
        st.warning(md(note), icon="⚠️")
    return view


def current_view() -> urlstate.View:
    return st.session_state.get(K_VIEW) or urlstate.View(schema.Filters())
