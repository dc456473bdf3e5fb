"""Filter state in one place (ui.state.FILTERS), the sidebar's widgets set from it, and the URL derived from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from alliance_atlas.cartography import extent
from alliance_atlas.data import dates, loading, schema, urlstate
from alliance_atlas.safe import md
from ui import state
from ui.data import data_stamp, load_version

BASEMAP_LABELS = {"vector": "Built-in (offline)", "osm": "OpenStreetMap (online)", "light": "Light (online)",
                  "dark": "Dark (online)", "custom": "Team tile server (ATLAS_TILE_URL)"}


PHASES = schema.PHASE_NAMES


def today() -> dt.date:
    return dt.date.today()


def _selectable(data: loading.Atlas) -> set[str]:
    return set(data.installations["id"]) | set(data.territories["id"]) | set(data.states["iso3"])


def parse_url(data: loading.Atlas) -> urlstate.View:
    return urlstate.parse(st.query_params.to_dict(), organizations=list(data.organizations["id"]),
                          selectable=_selectable(data), today=today())


def _apply_to_widgets(f: schema.Filters) -> None:
    """Make ``f`` the filter state. The widgets are set from this state at the start of every
    run, and their on_change callbacks write user changes back into it, so a rerun that arrives
    before the browser has registered a value (e.g. the map's first report interrupting a slow
    first run) cannot reset a filter to the widget's default."""
    state.FILTERS.set({
        state.DATE: f.date, state.YEAR: f.date.year, state.ALLIANCES: list(f.alliances), state.REGIONS: list(f.regions),
        state.KINDS: list(f.kinds), state.STATUSES: list(f.statuses), state.HISTORIC: f.show_historic,
        state.BASEMAP: f.basemap,
    })
    state.SELECT.set(f.select)
    state.DATE_ERROR.pop()


def _sync_widgets() -> None:
    for key, value in state.FILTERS.get().items():
        st.session_state[key] = value.isoformat() if key == state.DATE else value  # the date field is text


def _changed(key: str) -> None:
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


def _regions_changed() -> None:
    """A region choice moves the map to the chosen regions (issue 13); clearing them keeps the view."""
    _changed(state.REGIONS)
    regions = state.REGIONS.get()
    if regions:
        folder = loading.data_dir()
        data = load_version(str(folder), data_stamp(folder))
        if not isinstance(data, loading.Atlas):  # broken files: the run that follows shows the message
            data = state.GOOD_DATA.get()
        bounds = extent.of_regions(data, regions) if data is not None else None
        if bounds is not None:
            request_fit(bounds)


def _year_changed() -> None:
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
        raise ValueError(f"{day.isoformat()} is outside the atlas: {schema.EARLIEST.isoformat()} to {today.isoformat()}.")
    return day


def _date_changed() -> None:
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


def sidebar(data: loading.Atlas) -> urlstate.View:
    """Shared sidebar filters; the view is kept in session state and mirrored in the URL.
    The URL is read into the widgets once per session (and request_view sets them). The map's
    lat/lon/zoom are the server's last knowledge of its position (state.MAP_AT: the link's, a requested
    move's, or the browser's as reported by ui.mapview.view_probe); the browser keeps them current in its URL."""
    url = parse_url(data)
    notices: tuple[str, ...] = ()
    pending: urlstate.View | None = state.PENDING.pop()
    if pending is not None:
        _apply_to_widgets(pending.filters)
        request_move(pending.lat, pending.lon, pending.zoom)
    elif not state.URL_APPLIED.present() or not state.FILTERS.present():
        _apply_to_widgets(url.filters)
        notices = url.notices
        request_move(url.lat, url.lon, url.zoom)
    at = state.MAP_AT.get() or (None, None, None)
    url = replace(url, lat=at[0], lon=at[1], zoom=at[2])
    state.URL_APPLIED.set(True)
    _sync_widgets()
    now = today()
    orgs = list(data.organizations["id"])
    names = dict(zip(data.organizations["id"], data.organizations["name"], strict=True))
    with st.sidebar:
        st.header("Filters")
        st.slider("Year", schema.EARLIEST.year, now.year, key=state.YEAR, on_change=_year_changed)
        # A text field, not st.date_input: a date typed into st.date_input (1.67) is not applied on
        # Enter (checked in Chromium, issue 13); a text input is, and a bad date gets a clear message.
        st.text_input("As of (YYYY-MM-DD)", key=state.DATE, on_change=_date_changed, max_chars=10,
                      help=f"Type a date from {schema.EARLIEST.isoformat()} to today and press Enter; "
                           "the year slider above moves it by whole years.")
        if state.DATE_ERROR.get():
            st.error(md(state.DATE_ERROR.get()))
        # Pills, not a multiselect: a typed name + Enter in a multiselect could add every match at once
        # (issue 13). Each pill toggles exactly the organization clicked.
        # Short labels (long names were truncated on the pills); the full names in the help and,
        # for the selected ones, in the caption below.
        st.pills("Alliances", orgs, selection_mode="multi", key=state.ALLIANCES,
                 format_func=lambda o: schema.short_label(o, str(names.get(o, o))),
                 help="  \n".join(md(f"{schema.short_label(o, str(names.get(o, o)))}: {names.get(o, o)}") for o in orgs),
                 on_change=_changed, args=(state.ALLIANCES,))
        chosen = state.ALLIANCES.get()
        if not chosen:
            st.caption("No alliance selected: pick one or more above to colour their members.")
        else:
            st.caption(md("; ".join(names.get(o, o) for o in chosen)))
        st.multiselect("Regions", list(schema.REGIONS), key=state.REGIONS, format_func=lambda r: schema.REGIONS.get(r, r),
                       placeholder="All regions", on_change=_regions_changed)
        st.multiselect("Installation kinds", list(schema.INSTALLATION_KINDS), key=state.KINDS,
                       format_func=lambda k: schema.INSTALLATION_KINDS.get(k, k), placeholder="All kinds",
                       on_change=_changed, args=(state.KINDS,))
        st.checkbox("Show historic and planned installations", key=state.HISTORIC, on_change=_changed, args=(state.HISTORIC,))
        st.multiselect("Installation status on the date", list(PHASES), key=state.STATUSES, format_func=lambda p: PHASES.get(p, p),
                       placeholder="Any status shown", disabled=not state.HISTORIC.get(),
                       help="With historic installations shown, limit them to these statuses.",
                       on_change=_changed, args=(state.STATUSES,))
        st.selectbox("Basemap", list(schema.BASEMAPS), key=state.BASEMAP, format_func=lambda b: BASEMAP_LABELS.get(b, b),
                     on_change=_changed, args=(state.BASEMAP,))
    f = schema.Filters(
        date=state.FILTERS.get()[state.DATE], alliances=tuple(state.ALLIANCES.get() or ()),
        regions=tuple(state.REGIONS.get()), kinds=tuple(state.KINDS.get()),
        statuses=tuple(state.STATUSES.get()) if state.HISTORIC.get() else (),
        show_historic=bool(state.HISTORIC.get()), basemap=state.BASEMAP.get(),
        select=state.SELECT.get())
    view = replace(url, filters=f, notices=notices)
    state.VIEW.set(view)
    write_url(view)
    for note in notices:
        st.warning(md(note), icon="⚠️")
    return view


def write_url(view: urlstate.View) -> None:
    params = urlstate.to_params(view, today()) | urlstate.page_params(st.query_params.to_dict())
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def current_view() -> urlstate.View:
    return state.VIEW.get() or urlstate.View(schema.Filters())


def select(item: str | None, *, center: tuple[float, float] | None = None, zoom: int | None = None) -> urlstate.View:
    """Make ``item`` the selection (and optionally move the map); keeps the URL in step."""
    state.SELECT.set(item)
    view = current_view()
    view = replace(view, filters=replace(view.filters, select=item))
    if center is not None:
        request_move(round(center[0], 4), round(center[1], 4), zoom or view.zoom)
        view = replace(view, lat=round(center[0], 4), lon=round(center[1], 4), zoom=zoom or view.zoom)
    state.VIEW.set(view)
    write_url(view)
    return view


def new_click(clicked: dict | None) -> tuple[float, float] | None:
    """A map click not seen before in this session, as (lat, lon)."""
    if not clicked or "lat" not in clicked or "lng" not in clicked:
        return None
    sig = (round(float(clicked["lat"]), 7), round(float(clicked["lng"]), 7))
    if state.LAST_CLICK.get() == sig:
        return None
    state.LAST_CLICK.set(sig)
    return sig


def request_view(f: schema.Filters, lat: float | None, lon: float | None, zoom: int | None, page=None) -> None:
    """Set every filter and the map view at once (case studies, search, briefings): the
    widgets take the values at the start of the next run, then the app goes to ``page``; the map
    moves only if ``lat``/``lon`` are given (once: request_move)."""
    state.PENDING.set(urlstate.View(f, lat, lon, zoom))
    if page is not None:
        st.switch_page(page)
    st.rerun()


MAP_PAGE = "pages/map.py"


def set_date(day: dt.date) -> None:
    """Change the shared date from a page (e.g. a click on the timeline) and rerun."""
    f = current_view().filters
    request_view(replace(f, date=max(schema.EARLIEST, min(day, today()))), None, None, None)


def page_param(name: str) -> str | None:
    return urlstate.page_params(st.query_params.to_dict()).get(name)


def set_page_params(**values: str | None) -> None:
    for k, v in values.items():
        if v is None:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != v:
            st.query_params[k] = v
