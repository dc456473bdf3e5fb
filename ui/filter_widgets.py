"""The filter state (ui.state.FILTERS) and the sidebar widgets' callbacks that keep it, with the map's fit and move requests."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from alliance_atlas.cartography import extent
from alliance_atlas.data import dates, loading, schema, urlstate
from ui import state
from ui.data import data_stamp, load_version

BASEMAP_LABELS = {
    "vector": "Built-in (offline)",
    "osm": "OpenStreetMap (online)",
    "light": "Light (online)",
    "dark": "Dark (online)",
    "custom": "Team tile server (ATLAS_TILE_URL)",
}


PHASES = schema.PHASE_NAMES


def today() -> dt.date:
    return dt.date.today()


def _selectable(data: loading.Atlas) -> set[str]:
    return set(data.installations["id"]) | set(data.territories["id"]) | set(data.states["iso3"])


def parse_url(data: loading.Atlas) -> urlstate.View:
    return urlstate.parse(
        st.query_params.to_dict(),
        organizations=list(data.organizations["id"]),
        selectable=_selectable(data),
        today=today(),
    )


def apply_to_widgets(f: schema.Filters) -> None:
    """Make ``f`` the filter state. The widgets are set from this state at the start of every
    run, and their on_change callbacks write user changes back into it, so a rerun that arrives
    before the browser has registered a value (e.g. the map's first report interrupting a slow
    first run) cannot reset a filter to the widget's default."""
    state.FILTERS.set(
        {
            state.DATE: f.date,
            state.YEAR: f.date.year,
            state.ALLIANCES: list(f.alliances),
            state.REGIONS: list(f.regions),
            state.KINDS: list(f.kinds),
            state.STATUSES: list(f.statuses),
            state.HISTORIC: f.show_historic,
            state.BASEMAP: f.basemap,
        }
    )
    state.SELECT.set(f.select)
    state.DATE_ERROR.pop()


def sync_widgets() -> None:
    for key, value in state.FILTERS.get().items():
        st.session_state[key] = value.isoformat() if key == state.DATE else value  # the date field is text


def changed(key: str) -> None:
    state.FILTERS.get()[key] = st.session_state[key]


def request_fit(bounds) -> None:
    """Have the map fit ``bounds`` [[s, w], [n, e]] on its next drawing (once: see fit_shown)."""
    n = state.FIT_N.get() + 1
    state.FIT_N.set(n)
    state.FIT.set((bounds, n))


def request_move(lat: float | None, lon: float | None, zoom: int | None) -> None:
    """Have the map go to (lat, lon, zoom) once (a link, a search pick, a case study); later reruns
    leave the reader's pan and zoom alone (leaflet_mapview.MoveOnce). No position: nothing moves."""
    if lat is None or lon is None:
        return
    n = (state.MOVE.get() or (0, 0, 0, 0))[3] + 1
    at = (float(lat), float(lon), int(zoom or 5))
    state.MAP_AT.set(at)
    state.MOVE.set((*at, n))


def pending_fit() -> tuple | None:
    """(bounds, nonce) the map should fit, or None."""
    return state.FIT.get()


def fit_shown() -> None:
    """The map received the fit: later reruns leave the user's pan and zoom alone."""
    state.FIT.pop()


def regions_changed() -> None:
    """A region choice moves the map to the chosen regions (issue 13); clearing them keeps the view."""
    changed(state.REGIONS)
    regions = state.REGIONS.get()
    if regions:
        folder = loading.data_dir()
        data = load_version(str(folder), data_stamp(folder))
        if not isinstance(data, loading.Atlas):  # broken files: the run that follows shows the message
            data = state.GOOD_DATA.get()
        bounds = extent.of_regions(data, regions) if data is not None else None
        if bounds is not None:
            request_fit(bounds)


def year_changed() -> None:
    filters = state.FILTERS.get()
    day: dt.date = filters[state.DATE]
    year = state.YEAR.get()
    try:
        new = day.replace(year=year)
    except ValueError:  # 29 February
        new = day.replace(year=year, day=28)
    filters[state.DATE] = min(new, today())
    filters[state.YEAR] = filters[state.DATE].year
    state.DATE_ERROR.pop()


def parse_day(text: str, today: dt.date) -> dt.date:
    """A typed date (YYYY-MM-DD, or YYYY / YYYY-MM for its first day) from EARLIEST to today;
    ValueError with a message for a person otherwise."""
    text = (text or "").strip()
    try:
        day = dates.parse(text)
    except ValueError:
        raise ValueError(f"“{text[:40]}” is not a date: type it as YYYY-MM-DD, e.g. 2008-08-08.") from None
    if not schema.EARLIEST <= day <= today:
        raise ValueError(
            f"{day.isoformat()} is outside the atlas: {schema.EARLIEST.isoformat()} to {today.isoformat()}."
        )
    return day


def date_changed() -> None:
    """The date field applies on Enter (or when it loses focus); a bad date leaves the map as it was
    and says why."""
    filters = state.FILTERS.get()
    try:
        day = parse_day(state.DATE.get(), today())
    except ValueError as exc:
        state.DATE_ERROR.set(f"{exc} The map still shows {filters[state.DATE].isoformat()}.")
        return
    state.DATE_ERROR.pop()
    filters[state.DATE] = day
    filters[state.YEAR] = day.year
