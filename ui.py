"""The only Streamlit helper: cached loaders, session-state keys, URL <-> filters.

Pages import this; this imports alliance_atlas; never the other way round.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
from dataclasses import replace
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from alliance_atlas import assets, content, dates, details, extent, io, overlays, schema, search, timeline, urlstate
from alliance_atlas.layers import BASEMAPS
from alliance_atlas.safe import esc, md
from alliance_atlas.userlayers import OVERLAY_COLOURS


def pages() -> list:
    """The app's pages, in menu order (app.py's st.navigation)."""
    return [st.Page(MAP_PAGE, title="Map", icon="🗺️", default=True),
            *(st.Page(f"pages/{name}.py", title=title, icon=icon) for name, title, icon in (
                ("timeline", "Timeline", "📅"), ("installations", "Installations", "📋"),
                ("compare", "Compare dates", "↔️"), ("case_studies", "Case studies", "📚"),
                ("briefing", "Briefing", "🎞️"), ("overlays", "Your data", "📎"),
                ("sources", "Sources & methodology", "🔎")))]


PAGE_CONFIG = {"page_title": "Alliance Atlas", "page_icon": "🗺️", "layout": "wide"}


def frame(data: io.Atlas) -> None:
    """What every page shares: the notice for a link that could not be read, the sidebar's filters
    and the search box (app.py, before navigate)."""
    link_notice()
    sidebar(data)
    search_box(data)


def navigate() -> None:
    """Run the chosen page through app.py's navigation (app.py's last line)."""
    st.session_state[K_APP_RAN] = True
    try:
        page = st.navigation(pages())
        if page.title != "Map":  # leaving the Map page stops the movie (its clock lives there)
            st.session_state[K_PLAYING] = False
        page.run()
    finally:
        st.session_state[K_APP_RAN] = False


def _through_app_py() -> None:
    """Streamlit runs a `pages/` folder the old way (each page alone, without app.py) until some
    session calls st.navigation: on a fresh server a shared link to a sub-page (/timeline) would
    miss app.py's sidebar and URL handling. A page that finds it is not running inside app.py's
    navigation calls st.navigation with the same pages (the public switch to app-defined
    navigation, which ends the pages-folder behaviour for the whole process) and reruns: the
    rerun starts from app.py on the same page, before anything was shown or clicked (widget ids
    differ between the two modes, so a page drawn in the old mode would lose its first click).
    (Checked by tests/browser/test_pages.py and test_server_inputs.py on fresh servers.)"""
    if not st.session_state.get(K_APP_RAN):
        st.navigation(pages(), position="hidden")
        st.rerun()


# session-state keys (one place)
K_INIT = "atlas_url_applied"
K_APP_RAN = "atlas_app_ran"
K_DATE = "f_date"
K_YEAR = "f_year"
K_ALLIANCES = "f_alliances"
K_REGIONS = "f_regions"
K_KINDS = "f_kinds"
K_STATUSES = "f_statuses"
K_HISTORIC = "f_historic"
K_BASEMAP = "f_basemap"
K_SELECT = "atlas_select"
K_VIEW = "atlas_view"
K_LAST_CLICK = "atlas_last_click"
K_PENDING = "atlas_pending_view"
K_DATE_ERROR = "atlas_date_error"
K_FIT = "atlas_fit"  # (bounds, nonce) the map fits once (a region or search choice)
K_FIT_N = "atlas_fit_n"
K_MAP_AT = "atlas_map_at"  # (lat, lon, zoom): where the server last knew the map to be
K_MOVE = "atlas_map_move"  # (lat, lon, zoom, nonce): the last position the app asked the map to take

BASEMAP_LABELS = {"vector": "Built-in (offline)", "osm": "OpenStreetMap (online)", "light": "Light (online)",
                  "dark": "Dark (online)", "custom": "Team tile server (ATLAS_TILE_URL)"}
PHASES = schema.PHASE_NAMES


K_GOOD_DATA = "atlas_last_good_data"


def data_stamp(folder: str | os.PathLike[str]) -> str:
    """Every file under the data folder (briefings, case studies, methodology included) with its
    modification time and size: part of every data cache key, so an edit on a running server is
    read on the next rerun. A few dozen stat() calls per run."""
    root = Path(folder)
    parts = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            try:
                st_ = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            parts.append(f"{os.path.relpath(os.path.join(dirpath, name), root)}:{st_.st_mtime_ns}:{st_.st_size}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _load(folder: str, stamp: str) -> io.Atlas | io.DataError:
    """One version of the data (folder + stamp), or its problems: a broken version is cached too,
    so it is validated once, not on every rerun of every session."""
    try:
        data = io.load(folder)
    except io.DataError as exc:
        return exc
    data.cache["stamp"] = stamp
    return data


def data_key(data: io.Atlas) -> tuple[str, str]:
    """(folder, version) of a loaded dataset: the key for caches derived from it."""
    return str(data.data_dir), data.cache.get("stamp", "")


def atlas(*, main: bool = False) -> io.Atlas:
    """The validated data, re-read when a file in the data folder changes; ``main`` for app.py
    (a page runs this once, first: run outside app.py's navigation, it draws app.py's frame).

    If an edit breaks the data, a session that already has data keeps its last good version
    (with a notice that the files on disk have problems); a new session gets the validation
    message and nothing else."""
    if not main:
        _through_app_py()
    return _data()


def _data() -> io.Atlas:
    folder = io.data_dir()
    loaded = _load(str(folder), data_stamp(folder))
    if isinstance(loaded, io.Atlas):
        st.session_state[K_GOOD_DATA] = loaded
        return loaded
    good: io.Atlas | None = st.session_state.get(K_GOOD_DATA)
    if good is not None and good.data_dir == folder:
        st.warning(f"The data files in {folder} were edited and now have {len(loaded.problems)} problem(s): "
                   "this page keeps showing the version loaded before. New visitors see the problems until "
                   "they are fixed (`python -m alliance_atlas validate` lists them).", icon="⚠️")
        return good
    st.error(f"The data in {folder} has {len(loaded.problems)} problem(s). "
             "Fix them (see below) and reload; `python -m alliance_atlas validate` lists them too.")
    st.code("\n".join(str(p) for p in loaded.problems[:200]), language=None)
    st.stop()
    raise AssertionError("unreachable: st.stop raises")


def static_prefix() -> str:
    return assets.url_prefix(st.get_option("server.baseUrlPath") or "")


def _today() -> dt.date:
    return dt.date.today()


def _selectable(data: io.Atlas) -> set[str]:
    return set(data.installations["id"]) | set(data.territories["id"]) | set(data.states["iso3"])


def _parse_url(data: io.Atlas) -> urlstate.View:
    return urlstate.parse(st.query_params.to_dict(), organizations=list(data.organizations["id"]),
                          selectable=_selectable(data), today=_today())


WIDGET_KEYS = (K_DATE, K_YEAR, K_ALLIANCES, K_REGIONS, K_KINDS, K_STATUSES, K_HISTORIC, K_BASEMAP)
K_STATE = "atlas_filter_state"


def _apply_to_widgets(f: schema.Filters) -> None:
    """Make ``f`` the filter state. The widgets are set from this state at the start of every
    run, and their on_change callbacks write user changes back into it, so a rerun that arrives
    before the browser has registered a value (e.g. the map's first report interrupting a slow
    first run) cannot reset a filter to the widget's default."""
    st.session_state[K_STATE] = {
        K_DATE: f.date, K_YEAR: f.date.year, K_ALLIANCES: list(f.alliances), K_REGIONS: list(f.regions),
        K_KINDS: list(f.kinds), K_STATUSES: list(f.statuses), K_HISTORIC: f.show_historic, K_BASEMAP: f.basemap,
    }
    st.session_state[K_SELECT] = f.select
    st.session_state.pop(K_DATE_ERROR, None)


def _sync_widgets() -> None:
    for key, value in st.session_state[K_STATE].items():
        st.session_state[key] = value.isoformat() if key == K_DATE else value  # the date field is text


def _changed(key: str) -> None:
    st.session_state[K_STATE][key] = st.session_state[key]


def request_fit(bounds) -> None:
    """Have the map fit ``bounds`` [[s, w], [n, e]] on its next drawing (once: see fit_shown)."""
    n = st.session_state.get(K_FIT_N, 0) + 1
    st.session_state[K_FIT_N] = n
    st.session_state[K_FIT] = (bounds, n)


def request_move(lat: float | None, lon: float | None, zoom: int | None) -> None:
    """Have the map go to (lat, lon, zoom) once (a link, a search pick, a case study); later reruns
    leave the reader's pan and zoom alone (mapview.MoveOnce). No position: nothing moves."""
    if lat is None or lon is None:
        return
    n = (st.session_state.get(K_MOVE) or (0, 0, 0, 0))[3] + 1
    st.session_state[K_MAP_AT] = (float(lat), float(lon), int(zoom or 5))
    st.session_state[K_MOVE] = (*st.session_state[K_MAP_AT], n)


def move_layer():
    """The map's position request as a layer for the Map page's st_folium (see request_move)."""
    from alliance_atlas import mapview

    mv = st.session_state.get(K_MOVE)
    return mapview.move_layer(st.session_state.setdefault("atlas_map_key", os.urandom(4).hex()),
                              mv[3] if mv else 0, mv[:3] if mv else None)


def pending_fit() -> tuple | None:
    """(bounds, nonce) the map should fit, or None."""
    return st.session_state.get(K_FIT)


def fit_shown() -> None:
    """The map received the fit: later reruns leave the user's pan and zoom alone."""
    st.session_state.pop(K_FIT, None)


def _regions_changed() -> None:
    """A region choice moves the map to the chosen regions (issue 13); clearing them keeps the view."""
    _changed(K_REGIONS)
    regions = st.session_state[K_REGIONS]
    if regions:
        folder = io.data_dir()
        data = _load(str(folder), data_stamp(folder))
        if not isinstance(data, io.Atlas):  # broken files: the run that follows shows the message
            data = st.session_state.get(K_GOOD_DATA)
        bounds = extent.of_regions(data, regions) if data is not None else None
        if bounds is not None:
            request_fit(bounds)


def _year_changed() -> None:
    state = st.session_state[K_STATE]
    day: dt.date = state[K_DATE]
    year = st.session_state[K_YEAR]
    try:
        new = day.replace(year=year)
    except ValueError:  # 29 February
        new = day.replace(year=year, day=28)
    state[K_DATE] = min(new, _today())
    state[K_YEAR] = state[K_DATE].year
    st.session_state.pop(K_DATE_ERROR, None)


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
    state = st.session_state[K_STATE]
    try:
        day = parse_day(st.session_state[K_DATE], _today())
    except ValueError as exc:
        st.session_state[K_DATE_ERROR] = f"{exc} The map still shows {state[K_DATE].isoformat()}."
        return
    st.session_state.pop(K_DATE_ERROR, None)
    state[K_DATE] = day
    state[K_YEAR] = day.year


def sidebar(data: io.Atlas) -> urlstate.View:
    """Shared sidebar filters; the view is kept in session state and mirrored in the URL.
    The URL is read into the widgets once per session (and request_view sets them). The map's
    lat/lon/zoom are the server's last knowledge of its position (K_MAP_AT: the link's, a requested
    move's, or the browser's as reported by view_probe); the browser keeps them current in its URL."""
    url = _parse_url(data)
    notices: tuple[str, ...] = ()
    pending: urlstate.View | None = st.session_state.pop(K_PENDING, None)
    if pending is not None:
        _apply_to_widgets(pending.filters)
        request_move(pending.lat, pending.lon, pending.zoom)
    elif K_INIT not in st.session_state or K_STATE not in st.session_state:
        _apply_to_widgets(url.filters)
        notices = url.notices
        request_move(url.lat, url.lon, url.zoom)
    at = st.session_state.get(K_MAP_AT) or (None, None, None)
    url = replace(url, lat=at[0], lon=at[1], zoom=at[2])
    st.session_state[K_INIT] = True
    _sync_widgets()
    today = _today()
    orgs = list(data.organizations["id"])
    names = dict(zip(data.organizations["id"], data.organizations["name"], strict=True))
    with st.sidebar:
        st.header("Filters")
        st.slider("Year", schema.EARLIEST.year, today.year, key=K_YEAR, on_change=_year_changed)
        # A text field, not st.date_input: a date typed into st.date_input (1.67) is not applied on
        # Enter (checked in Chromium, issue 13); a text input is, and a bad date gets a clear message.
        st.text_input("As of (YYYY-MM-DD)", key=K_DATE, on_change=_date_changed, max_chars=10,
                      help=f"Type a date from {schema.EARLIEST.isoformat()} to today and press Enter; "
                           "the year slider above moves it by whole years.")
        if st.session_state.get(K_DATE_ERROR):
            st.error(md(st.session_state[K_DATE_ERROR]))
        # Pills, not a multiselect: a typed name + Enter in a multiselect could add every match at once
        # (issue 13). Each pill toggles exactly the organization clicked.
        # Short labels (long names were truncated on the pills); the full names in the help and,
        # for the selected ones, in the caption below.
        st.pills("Alliances", orgs, selection_mode="multi", key=K_ALLIANCES,
                 format_func=lambda o: schema.short_label(o, names.get(o, o)),
                 help="  \n".join(md(f"{schema.short_label(o, names.get(o, o))}: {names.get(o, o)}") for o in orgs),
                 on_change=_changed, args=(K_ALLIANCES,))
        chosen = st.session_state[K_ALLIANCES]
        if not chosen:
            st.caption("No alliance selected: pick one or more above to colour their members.")
        else:
            st.caption(md("; ".join(names.get(o, o) for o in chosen)))
        st.multiselect("Regions", list(schema.REGIONS), key=K_REGIONS, format_func=schema.REGIONS.get,
                       placeholder="All regions", on_change=_regions_changed)
        st.multiselect("Installation kinds", list(schema.INSTALLATION_KINDS), key=K_KINDS,
                       format_func=schema.INSTALLATION_KINDS.get, placeholder="All kinds",
                       on_change=_changed, args=(K_KINDS,))
        st.checkbox("Show historic and planned installations", key=K_HISTORIC, on_change=_changed, args=(K_HISTORIC,))
        st.multiselect("Installation status on the date", list(PHASES), key=K_STATUSES, format_func=PHASES.get,
                       placeholder="Any status shown", disabled=not st.session_state[K_HISTORIC],
                       help="With historic installations shown, limit them to these statuses.",
                       on_change=_changed, args=(K_STATUSES,))
        st.selectbox("Basemap", BASEMAPS, key=K_BASEMAP, format_func=BASEMAP_LABELS.get,
                     on_change=_changed, args=(K_BASEMAP,))
    f = schema.Filters(
        date=st.session_state[K_STATE][K_DATE], alliances=tuple(st.session_state[K_ALLIANCES] or ()),
        regions=tuple(st.session_state[K_REGIONS]), kinds=tuple(st.session_state[K_KINDS]),
        statuses=tuple(st.session_state[K_STATUSES]) if st.session_state[K_HISTORIC] else (),
        show_historic=bool(st.session_state[K_HISTORIC]), basemap=st.session_state[K_BASEMAP],
        select=st.session_state.get(K_SELECT))
    view = replace(url, filters=f, notices=notices)
    st.session_state[K_VIEW] = view
    _write_url(view)
    for note in notices:
        st.warning(md(note), icon="⚠️")
    return view


def _write_url(view: urlstate.View) -> None:
    params = urlstate.to_params(view, _today()) | urlstate.page_params(st.query_params.to_dict())
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def current_view() -> urlstate.View:
    return st.session_state.get(K_VIEW) or urlstate.View(schema.Filters())


def select(item: str | None, *, center: tuple[float, float] | None = None, zoom: int | None = None) -> urlstate.View:
    """Make ``item`` the selection (and optionally move the map); keeps the URL in step."""
    st.session_state[K_SELECT] = item
    view = current_view()
    view = replace(view, filters=replace(view.filters, select=item))
    if center is not None:
        request_move(round(center[0], 4), round(center[1], 4), zoom or view.zoom)
        view = replace(view, lat=round(center[0], 4), lon=round(center[1], 4), zoom=zoom or view.zoom)
    st.session_state[K_VIEW] = view
    _write_url(view)
    return view


def new_click(clicked: dict | None) -> tuple[float, float] | None:
    """A map click not seen before in this session, as (lat, lon)."""
    if not clicked or "lat" not in clicked or "lng" not in clicked:
        return None
    sig = (round(float(clicked["lat"]), 7), round(float(clicked["lng"]), 7))
    if st.session_state.get(K_LAST_CLICK) == sig:
        return None
    st.session_state[K_LAST_CLICK] = sig
    return sig


def request_view(f: schema.Filters, lat: float | None, lon: float | None, zoom: int | None, page=None) -> None:
    """Set every filter and the map view at once (case studies, search, briefings): the
    widgets take the values at the start of the next run, then the app goes to ``page``; the map
    moves only if ``lat``/``lon`` are given (once: request_move)."""
    st.session_state[K_PENDING] = urlstate.View(f, lat, lon, zoom)
    if page is not None:
        st.switch_page(page)
    st.rerun()


# --- pages, search, page parameters ------------------------------------------------

MAP_PAGE = "pages/map.py"
K_SEARCH = "atlas_search"


K_SEARCH_PICK = "atlas_search_pick"
K_SEARCH_GO = "atlas_search_go"
K_SEARCH_NOTE = "atlas_search_note"


@st.cache_resource(max_entries=4)
def _search_index(folder: str, stamp: str, _data: io.Atlas) -> list:
    return search.index(_data)


def _search_labels(items) -> dict[str, str]:
    return {f"{it.kind}:{it.id}": it.label + (f" · {' · '.join(t for t in it.terms[1:] if t)}" if it.terms[1:] else "")
            for it in items}


def _searched() -> None:
    """Enter (or leaving the box) with a changed query: go to the best match."""
    st.session_state[K_SEARCH_GO] = "best"
    st.session_state[K_SEARCH_PICK] = None


def _picked() -> None:
    key = st.session_state.get(K_SEARCH_PICK)
    if key:
        st.session_state[K_SEARCH_GO] = key
    st.session_state[K_SEARCH_PICK] = None


def search_box(data: io.Atlas) -> None:
    """A sidebar search over states, territories, installations, organizations and events (names and
    aliases, in Latin or Cyrillic: 'Gyumri', 'Гюмри', '201-я база', 'ODKB'). Enter goes to the best
    match (places first, then organizations, then events: search.find); the other matches are listed."""
    items = _search_index(*data_key(data), data)
    with st.sidebar:
        st.text_input("Search", key=K_SEARCH, placeholder="A base, state, alliance, event… then Enter",
                      on_change=_searched, max_chars=200,
                      help="Names and aliases in Latin or Cyrillic script. Enter goes to the best match: "
                           "places first, then alliances, then events (an event also sets the date).")
        query = (st.session_state.get(K_SEARCH) or "").strip()
        found = search.find(items, query) if query else []
        labels = _search_labels(found)
        if query and not found:
            st.caption(md(f"Nothing found for “{query}”."))
        elif len(found) > 1:
            st.selectbox(f"All {len(found)} matches", list(labels), index=None, key=K_SEARCH_PICK,
                         format_func=labels.get, placeholder="Pick another match…", on_change=_picked)
        note = st.session_state.get(K_SEARCH_NOTE)
        if note and note[1] == current_view().filters.date:
            st.info(md(note[0]), icon="📅")
    go = st.session_state.pop(K_SEARCH_GO, None)
    if go == "best":
        if found:
            jump_to(data, found[0])
    elif go:
        kind, _, item_id = go.partition(":")
        it = next((i for i in items if i.kind == kind and i.id == item_id), None)
        if it is not None:
            jump_to(data, it)


def jump_to(data: io.Atlas, it) -> None:
    """Go to a search result on the Map page. A place (installation, territory, state) is selected,
    fitted and highlighted, and the date stays; an organization becomes the alliance shown; an
    event sets the date to its own, and the sidebar says so."""
    f = current_view().filters
    st.session_state.pop(K_SEARCH_NOTE, None)
    if it.kind == "organization":
        request_view(replace(f, alliances=(it.id,), select=None), None, None, None, page=MAP_PAGE)
    if it.kind == "event":
        day = max(schema.EARLIEST, min(dates.parse(it.date), _today()))
        st.session_state[K_SEARCH_NOTE] = (f"Date set to {day.isoformat()} — the event's date ({it.label}).", day)
        request_view(replace(f, date=day), it.lat, it.lon, 6 if it.lat is not None else None, page=MAP_PAGE)
    d = details.describe(data, it.id, f.date)
    new = replace(f, select=it.id)
    if it.kind == "installation":
        row = data.installations.set_index("id").loc[it.id]
        if timeline.installation_phase(row, f.date) != "active":
            new = replace(new, show_historic=True)
    bounds = extent.of_item(data, it.id)
    if bounds is not None:
        request_fit(bounds)
    zoom = {"installation": 8, "territory": 6, "state": 5}.get(it.kind, 5)
    request_view(new, d.lat if d else None, d.lon if d else None, zoom, page=MAP_PAGE)


def set_date(day: dt.date) -> None:
    """Change the shared date from a page (e.g. a click on the timeline) and rerun."""
    f = current_view().filters
    request_view(replace(f, date=max(schema.EARLIEST, min(day, _today()))), None, None, None)


def page_param(name: str) -> str | None:
    return urlstate.page_params(st.query_params.to_dict()).get(name)


def set_page_params(**values: str | None) -> None:
    for k, v in values.items():
        if v is None:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != v:
            st.query_params[k] = v


def download_name(stem: str, day: dt.date, ext: str) -> str:
    return f"alliance-atlas-{stem}-{day.isoformat()}.{ext}"


# --- briefings -----------------------------------------------------------------------

K_BRIEF_EDITS = "atlas_briefing_edits"
K_DECK_NONCE = "atlas_deck_nonce"
#: the legend beside a map (Map page, briefing): the same HTML as the legend drawn on exported maps
LEGEND_CSS = """<style>
.atlas-legend-side { font-size: 15px; line-height: 1.35; max-height: 700px; overflow: auto;
  border: 1px solid #444; border-radius: 4px; padding: 6px 10px; background: #fff; }
.atlas-legend-side summary { cursor: pointer; }
.atlas-legend-side .atlas-legend-title { font-size: 16px; font-weight: bold; }
.atlas-legend-side .hint { font-size: 13px; color: #333; }
.atlas-legend-side .grp { margin-top: 8px; }
.atlas-legend-side .sw { display: inline-block; width: 20px; height: 14px; margin-right: 8px; vertical-align: middle;
  border: 1px solid #000; box-sizing: border-box; }
.atlas-legend-side .atlas-mk { display: inline-block; width: 20px; height: 20px; margin-right: 8px;
  vertical-align: middle; overflow: visible; }
</style>"""


def side_legend(legend_html: str, max_height: str = "700px") -> None:
    """The scene's legend beside the map (collapsible), never over it."""
    st.html(f"{LEGEND_CSS}<div class='atlas-legend atlas-legend-side' style='max-height:{max_height}'>"
            f"{legend_html}</div>")


#: presenter layout: large type for projectors, nothing of Streamlit's chrome on the audience's screen
PRESENTER_CSS = """<style>
.atlas-counter { font-size: 1.6rem; font-weight: 700; text-align: center; margin: 0; white-space: nowrap; }
.atlas-caption { font-size: 1.4rem; line-height: 1.3; color: #000; margin: 0; }
.atlas-srcline { font-size: 1.05rem; color: #222; margin: 0; }
.atlas-notes { font-size: 1.3rem; line-height: 1.5; color: #111; background: #f4f4f4; padding: .8rem 1rem;
  border-left: 6px solid #000; }
.atlas-notes ol { font-size: 1.05rem; margin: .6rem 0 0 1.2rem; }
h1.atlas-slide-title { font-size: 2.2rem; line-height: 1.2; margin: 0; padding: 0; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
</style>"""
#: the audience's screen: no header, toolbar, sidebar or footer; the map fills the height below the title
AUDIENCE_CSS = """<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"], footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: .5rem 1.2rem 0 1.2rem !important; max-width: 100% !important; }
.st-key-deck_map iframe { height: calc(100vh - 215px) !important; min-height: 300px; }
</style>"""
_DECK = components.declare_component("atlas_deck", path=str(Path(__file__).resolve().parent / "components" / "deck"))


def deck_sync(bid: str, slide: int, total: int, role: str) -> int | None:
    """Keeps the audience and speaker windows of one browser on the same slide; shows the
    speaker's clock. Returns a slide number another window moved to (once), else None."""
    got = _DECK(briefing=bid, slide=slide, total=total, role=role, key="deck_sync", default=None)
    if not isinstance(got, dict) or got.get("nonce") == st.session_state.get(K_DECK_NONCE):
        return None
    st.session_state[K_DECK_NONCE] = got.get("nonce")
    try:
        return max(1, min(total, int(got.get("slide"))))
    except (TypeError, ValueError):
        return None


@st.cache_data(max_entries=64, show_spinner=False)
def slide_thumbnail(key: tuple[str, str], bid: str, number: int, stamp: float, _data: io.Atlas, _slide) -> bytes:
    """A small PNG of one slide's map (the speaker view's "next slide"), cached per data version
    (``key``, from :func:`data_key`) and briefing file version (``stamp``)."""
    from alliance_atlas import render

    v = _slide.view
    return render.to_png(render.render_map(_data, v.filters, title=_slide.title, bounds=v.bounds,
                                           highlight=v.highlight, layers=v.layers, size=(640, 360), dpi=60))


def html_text(text: object) -> str:
    """Untrusted text for an HTML element: escaped, line breaks kept."""
    return esc(text).replace("\n", "<br>")


def briefing(bid: str, path):
    """The briefing, or this session's edited copy of it, parsed and validated."""
    edits = st.session_state.get(K_BRIEF_EDITS, {})
    data = _data()
    if bid in edits:
        return content.parse_briefing(data, edits[bid], f"briefings/{bid} (edited)", bid)
    return _briefing_cached(*data_key(data), bid, str(path), file_stamp(path), data)


@st.cache_resource(max_entries=16)
def _briefing_cached(folder: str, stamp: str, bid: str, path: str, file_version: float, _data: io.Atlas):
    return content.load_briefing(_data, Path(path))


def add_slide(bid: str, raw: dict, title: str, caption: str, notes: str, v: urlstate.View) -> dict:
    edited = copy.deepcopy(raw)
    edited.setdefault("slides", []).append(
        content.slide_from_view(title, caption, notes, v.filters, v.lat, v.lon, v.zoom or 5))
    st.session_state.setdefault(K_BRIEF_EDITS, {})[bid] = edited
    return edited


# --- the user's overlays (kept for the browser session) ---------------------------------

K_OVERLAYS = "atlas_overlays"
K_OVERLAY_PICK = "atlas_overlay_pick"
K_PARSED = "atlas_overlay_parsed"
K_UPLOAD_NAMES = "atlas_overlay_upload_names"


def load_overlay_bytes(data: bytes, name: str, lat_col: str | None = None, lon_col: str | None = None):
    """Parse one file (never cached across sessions: a user's upload stays theirs)."""
    return overlays.load_overlay(data, name, overlays.Limits.from_env(), lat_col=lat_col, lon_col=lon_col)


def parsed_upload(up, lat_col: str | None = None, lon_col: str | None = None):
    """The parsed overlay of one uploaded file, read once when it arrives and kept in this
    session only. Keyed on the uploader's file id (new for every upload, even of the same
    bytes), so a rerun neither re-reads nor hashes the file. Entries of files no longer in
    the uploader are dropped by :func:`forget_uploads`."""
    parsed = st.session_state.setdefault(K_PARSED, {})
    key = (up.file_id, lat_col, lon_col)
    if key not in parsed:
        with st.spinner(f"Reading {up.name}…"):
            parsed[key] = load_overlay_bytes(up.getvalue(), up.name, lat_col, lon_col)
    return parsed[key]


def added_upload(up, result) -> str:
    """Add an uploaded file's overlay to the session's list once, when first read (later runs
    keep the user's toggle, colour or removal); its name in the list."""
    names = st.session_state.setdefault(K_UPLOAD_NAMES, {})
    if up.file_id not in names:
        names[up.file_id] = add_overlay(up.name.rsplit(".", 1)[0], result, f"upload:{up.file_id}")
    return names[up.file_id]


def forget_uploads(current_ids: set[str]) -> None:
    """Drop the parsed copies of files removed from the uploader (overlays already added stay
    in the session's list until removed there)."""
    parsed = st.session_state.get(K_PARSED, {})
    for key in [k for k in parsed if k[0] not in current_ids]:
        del parsed[key]
    names = st.session_state.get(K_UPLOAD_NAMES, {})
    for key in [k for k in names if k not in current_ids]:
        del names[key]


def overlay_store() -> dict:
    """name -> {gdf, colour, visible, message, problems, origin}; lives for the browser session."""
    return st.session_state.setdefault(K_OVERLAYS, {})


def add_overlay(name: str, result, origin: str) -> str:
    store = overlay_store()
    base, n = name, 2
    while name in store and store[name]["origin"] != origin:
        name, n = f"{base} ({n})", n + 1
    colour = store.get(name, {}).get("colour") or OVERLAY_COLOURS[len(store) % len(OVERLAY_COLOURS)]
    store[name] = {"gdf": result.gdf, "colour": colour, "visible": True, "message": result.message,
                   "problems": list(result.problems), "origin": origin}
    return name


def visible_overlays() -> dict:
    return {n: o["gdf"] for n, o in overlay_store().items() if o["visible"] and o["gdf"] is not None}


def server_overlay_dir() -> str:
    """$ATLAS_OVERLAY_DIR: a server folder of GeoJSON/CSV overlays the team shares ('' if unset)."""
    return os.environ.get("ATLAS_OVERLAY_DIR", "").strip()


def server_overlay_files() -> list[str]:
    """Names of the files in $ATLAS_OVERLAY_DIR (GeoJSON/CSV); none is opened until added."""
    return overlays.server_files(server_overlay_dir())


def read_server_overlay(name: str):
    """Read one team file within bounds (see overlays.read_server_file) and parse it: an
    OverlayResult, refused with a message for links, files outside the folder or over the limit."""
    limits = overlays.Limits.from_env()
    data, refusal = overlays.read_server_file(server_overlay_dir(), name, limits)
    if data is None:
        return overlays.OverlayResult(False, None, refusal)
    return overlays.load_overlay(data, name, limits)


def file_stamp(path) -> float:
    """Modification time and size of a file, for cache keys that follow edits on a running server."""
    try:
        st_ = Path(path).stat()
    except OSError:
        return 0.0
    return st_.st_mtime_ns / 1e9 + st_.st_size * 1e-12


# --- time as a movie (Map page) ---------------------------------------------------------
# Imports are local so this section stays self-contained.

K_PLAYING = "atlas_playing"
K_PLAY_STEP = "atlas_play_step"
K_PLAY_SPEED = "atlas_play_speed"
K_PLAY_LAST = "atlas_play_last"
K_PLAY_GIF = "atlas_play_gif"
K_PLAY_DRAWN = "atlas_play_drawn"  # the date whose map and legend the Map page has finished drawing


def frame_drawn(day: dt.date) -> None:
    """The Map page has drawn ``day`` (map and legend): the movie's clock may step on."""
    st.session_state[K_PLAY_DRAWN] = day


def _frame_view(data: io.Atlas, day: dt.date) -> urlstate.View:
    """The current filters with the date ``day`` and no position: a step never moves the map."""
    return urlstate.View(replace(current_view().filters, date=max(schema.EARLIEST, min(day, _today()))))


def _pend_frame(data: io.Atlas, day: dt.date) -> None:
    """In a callback: the next run shows ``day`` (set in the widgets at its start)."""
    import time

    st.session_state[K_PENDING] = _frame_view(data, day)
    st.session_state[K_PLAY_LAST] = time.monotonic()


def _toggle_play(data: io.Atlas) -> None:
    from alliance_atlas import movie

    playing = not st.session_state.get(K_PLAYING, False)
    st.session_state[K_PLAYING] = playing
    if playing:  # at the end, start over; else the first step comes at once
        day = current_view().filters.date
        nxt = movie.next_frame(data, st.session_state[K_PLAY_STEP], day, _today())
        _pend_frame(data, movie.frames(data, st.session_state[K_PLAY_STEP])[0] if nxt is None else nxt)


def _step_once(data: io.Atlas) -> None:
    from alliance_atlas import movie

    st.session_state[K_PLAYING] = False
    nxt = movie.next_frame(data, st.session_state[K_PLAY_STEP], current_view().filters.date, _today())
    if nxt is not None:
        _pend_frame(data, nxt)


def play_control(data: io.Atlas) -> None:
    """Play the as-of date as a movie (by year or by event, 1991 → today) at an adjustable speed.
    Each step is an ordinary run with the next date: the map's layers are swapped in place (the map
    frame and its zoom stay), and the URL carries the frame's ``date``, so pausing leaves a link to
    it. A fragment with ``run_every`` is the clock; it only ticks while playing. Also offers the same
    sequence as an animated GIF."""
    import time

    from alliance_atlas import movie

    st.session_state.setdefault(K_PLAY_STEP, "year")
    st.session_state.setdefault(K_PLAY_SPEED, 1.0)
    playing = bool(st.session_state.get(K_PLAYING, False))
    day = current_view().filters.date
    days = movie.frames(data, st.session_state[K_PLAY_STEP], schema.EARLIEST, _today())
    with st.container(key="atlas_player"):  # one row, labels folded into the values (a short header)
        b1, b2, c1, c2, c3 = st.columns([0.9, 0.9, 1.1, 1.6, 3.4], vertical_alignment="center")
        b1.button("Pause" if playing else "Play", key="atlas_play_btn", on_click=_toggle_play, args=(data,),
                  icon=":material/pause:" if playing else ":material/play_arrow:",
                  type="primary" if playing else "secondary", width="stretch",
                  help="Play the date as a movie, from 1991 to today")
        b2.button("Step", key="atlas_step_btn", on_click=_step_once, args=(data,), icon=":material/skip_next:",
                  width="stretch", help="One frame on (and pause)")
        c1.selectbox("Step", list(movie.STEPS), key=K_PLAY_STEP, format_func=movie.STEPS.get,
                     label_visibility="collapsed", help="Frames by year or by event")
        c2.select_slider("Seconds per frame", movie.SPEEDS, key=K_PLAY_SPEED, label_visibility="collapsed",
                         format_func=lambda s: f"{s:g} s per frame")
        at = sum(1 for d in days if d <= day)
        what = "; ".join(movie.events_on(data, day)[:2]) if st.session_state[K_PLAY_STEP] == "event" else ""
        c3.markdown(f"Frame {at} of {len(days)} · **{md(day.isoformat())}**" + (f" · {md(what)}" if what else ""))

    interval = float(st.session_state[K_PLAY_SPEED]) if playing else None

    @st.fragment(run_every=interval)
    def _clock() -> None:
        if not st.session_state.get(K_PLAYING) or interval is None:
            return
        if time.monotonic() - st.session_state.get(K_PLAY_LAST, 0.0) < interval * 0.8:
            return  # the run that showed the last frame, not a tick of the clock
        if st.session_state.get(K_PLAY_DRAWN) != current_view().filters.date:
            return  # the frame is still being drawn (a slow run): a step now would skip it
        nxt = movie.next_frame(data, st.session_state[K_PLAY_STEP], current_view().filters.date, _today())
        if nxt is None:
            st.session_state[K_PLAYING] = False
            st.rerun()
        st.session_state[K_PLAY_LAST] = time.monotonic()
        v = _frame_view(data, nxt)
        request_view(v.filters, v.lat, v.lon, v.zoom)

    _clock()


def movie_gif(data: io.Atlas) -> None:
    """The movie of play_control as an animated GIF (a button, then a download)."""
    from alliance_atlas import movie

    days = movie.frames(data, st.session_state[K_PLAY_STEP], schema.EARLIEST, _today())
    v = current_view()
    step = st.session_state[K_PLAY_STEP]
    key = (step, replace(v.filters, date=schema.EARLIEST, select=None), v.lat, v.lon, v.zoom, days[-1])
    with st.expander(f"Animated GIF of this movie ({len(days)} frames, {movie.STEPS[step].lower()})"):
        made = st.session_state.get(K_PLAY_GIF)
        if st.button("Make the GIF", key="atlas_gif_btn", help="Draws every frame with the static renderer"):
            bar = st.progress(0.0, text="Drawing the frames…")
            center = (v.lat, v.lon) if v.lat is not None and v.lon is not None and v.zoom is not None else None
            data_bytes = movie.gif(data, v.filters, days, center=center, zoom=v.zoom if center else None,
                                   seconds_per_frame=float(st.session_state[K_PLAY_SPEED]),
                                   progress=lambda i, n: bar.progress(i / n, text=f"Frame {i} of {n}"))
            bar.empty()
            made = st.session_state[K_PLAY_GIF] = (key, data_bytes)
        if made and made[0] == key:
            st.download_button("Download the GIF", made[1], file_name=download_name(f"movie-{step}", days[-1], "gif"),
                               mime="image/gif", key="atlas_gif_dl")
        else:
            st.caption("One frame per date of the movie, with the current filters and map view.")


# --- links the server could not read ----------------------------------------------------

K_LINK = "atlas_link_check"
_LINK_PROBE = components.declare_component("atlas_link_probe",
                                           path=str(Path(__file__).resolve().parent / "components" / "linkprobe"))


def link_notice() -> None:
    """Tell the user when their link's settings were dropped before the app could read them.

    Streamlit ignores a whole query string of more than 1,000 parameters or 512 KiB (it logs a
    warning; the script sees no parameters), and the server cannot see the raw address
    (st.context.url has no query string). So: a session whose first run saw no parameters
    renders a hidden probe (components/linkprobe) that reports the query string the browser
    opened, if any; a non-empty one means the link was not applied. Sessions opened with
    parameters never render the probe. Call before anything writes the URL."""
    state = st.session_state.setdefault(K_LINK, {"probe": not st.query_params.to_dict(), "report": None,
                                                 "dismissed": False})
    if state["probe"] and state["report"] is None:
        with st.sidebar:
            got = _LINK_PROBE(key="atlas_link_probe", default=None)
        if isinstance(got, dict):
            state["report"] = got
    report = state["report"]
    if report and not state["dismissed"]:
        try:
            fields, chars = int(report.get("fields", 0)), int(report.get("chars", 0))
        except (TypeError, ValueError):
            fields, chars = 0, 0
        st.warning(f"This link's settings could not be applied: its address carries {fields:,} parameter(s) "
                   f"({chars:,} characters), more than the server reads (at most 1,000 parameters, 512 KiB), "
                   "so the app opened with its default view. Set the filters again, or ask for a shorter link.",
                   icon="⚠️")
        if st.button("Dismiss", key="atlas_link_dismiss"):
            state["dismissed"] = True
            st.rerun()


# --- the Map page's view, learned on pages without the map -------------------------------

K_VIEW_SEEN = "atlas_view_seen"
_VIEW_PROBE = components.declare_component("atlas_view_probe",
                                           path=str(Path(__file__).resolve().parent / "components" / "viewprobe"))


def view_probe() -> None:
    """Learn the view the reader last had on the Map page (components/viewprobe: the map keeps it in
    the browser, the server hears of it only here), for a page that uses it without drawing the map
    (Briefing: "add the current view as a slide", the speaker link). One rerun on arrival, only when
    it changed; panning costs none."""
    at = st.session_state.get(K_MAP_AT)
    with st.sidebar:
        got = _VIEW_PROBE(known=f"{at[0]:.4f}|{at[1]:.4f}|{at[2]}" if at else "", key="atlas_view_probe", default=None)
    if not isinstance(got, dict) or got == st.session_state.get(K_VIEW_SEEN):
        return
    st.session_state[K_VIEW_SEEN] = got
    try:
        lat, lon, zoom = float(got["lat"]), float(got["lon"]), min(11, max(2, int(got["zoom"])))
    except (KeyError, TypeError, ValueError):
        return
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        st.session_state[K_MAP_AT] = (lat, lon, zoom)
        view = replace(current_view(), lat=lat, lon=lon, zoom=zoom)
        st.session_state[K_VIEW] = view
        _write_url(view)


def view_link(**page: str) -> str:
    """A relative link to this page with the whole current view (filters and map position) and ``page``
    parameters: a window opened from it (the speaker view) starts where the reader is."""
    from urllib.parse import urlencode

    return "?" + urlencode(urlstate.to_params(current_view(), _today()) | page)
