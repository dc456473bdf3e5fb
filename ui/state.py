"""One typed facade over st.session_state: every key the app keeps, declared once with its type and default.

A :class:`Slot` is the key itself (a ``str``, so it can be a widget's ``key=``) with typed access:
``SELECT.get()``, ``SELECT.set("gyumri-102nd-base")``, ``PENDING.pop()``. Pages and ``ui`` read and
write session state only through these slots (tests/unit/test_architecture.py checks the pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

import streamlit as st

T = TypeVar("T")


class Slot(str, Generic[T]):
    """A session-state key with its value's type and a default (a factory, so mutable defaults are fresh)."""

    default: Callable[[], T]

    def __new__(cls, key: str, default: Callable[[], T]) -> Slot[T]:
        slot = super().__new__(cls, key)
        slot.default = default
        return slot

    @property
    def key(self) -> str:
        return str(self)

    def get(self) -> T:
        """The value, or the default (not stored)."""
        return cast(T, st.session_state[self.key]) if self.key in st.session_state else self.default()

    def set(self, value: T) -> None:
        st.session_state[self.key] = value

    def ensure(self) -> T:
        """The value, storing the default first if there is none (for values changed in place)."""
        if self.key not in st.session_state:
            st.session_state[self.key] = self.default()
        return cast(T, st.session_state[self.key])

    def pop(self) -> T:
        """Remove the value and return it (the default if there was none)."""
        return cast(T, st.session_state.pop(self.key)) if self.key in st.session_state else self.default()

    def present(self) -> bool:
        return self.key in st.session_state


def _none() -> Any:
    return None


# -- the app and its data --------------------------------------------------------------------
URL_APPLIED: Slot[bool] = Slot("atlas_url_applied", bool)  # the link was read into the filters once
APP_RAN: Slot[bool] = Slot("atlas_app_ran", bool)  # the page runs inside app.py's navigation
GOOD_DATA: Slot[Any] = Slot("atlas_last_good_data", _none)  # the last valid Atlas this session saw
LINK: Slot[dict] = Slot("atlas_link_check", dict)  # the link probe's state (ui.frame.link_notice)

# -- filters: the sidebar's widgets (keys of the widgets) and the one filter state ------------------
DATE: Slot[str] = Slot("f_date", str)  # the date field's text
YEAR: Slot[int] = Slot("f_year", lambda: dt.date.today().year)
ALLIANCES: Slot[list[str]] = Slot("f_alliances", list)
REGIONS: Slot[list[str]] = Slot("f_regions", list)
KINDS: Slot[list[str]] = Slot("f_kinds", list)
STATUSES: Slot[list[str]] = Slot("f_statuses", list)
HISTORIC: Slot[bool] = Slot("f_historic", bool)
BASEMAP: Slot[str] = Slot("f_basemap", lambda: "vector")
WIDGETS: tuple[Slot[Any], ...] = (DATE, YEAR, ALLIANCES, REGIONS, KINDS, STATUSES, HISTORIC, BASEMAP)
#: the filter state the widgets are set from at each run (widget key -> value; DATE holds a dt.date)
FILTERS: Slot[dict[str, Any]] = Slot("atlas_filter_state", dict)
DATE_ERROR: Slot[str | None] = Slot("atlas_date_error", _none)
SELECT: Slot[str | None] = Slot("atlas_select", _none)
VIEW: Slot[Any] = Slot("atlas_view", _none)  # urlstate.View of the last run
PENDING: Slot[Any] = Slot("atlas_pending_view", _none)  # urlstate.View the next run starts from
LAST_CLICK: Slot[tuple[float, float] | None] = Slot("atlas_last_click", _none)
FIT: Slot[tuple[Any, int] | None] = Slot("atlas_fit", _none)  # (bounds, nonce) the map fits once
FIT_N: Slot[int] = Slot("atlas_fit_n", int)
MAP_AT: Slot[tuple[float, float, int] | None] = Slot("atlas_map_at", _none)  # where the server last knew the map to be
MOVE: Slot[tuple[float, float, int, int] | None] = Slot(
    "atlas_map_move", _none
)  # the last move asked of the map (+ nonce)
MAP_KEY: Slot[str | None] = Slot("atlas_map_key", _none)  # this session's map id (the MoveOnce element's memory)
VIEW_SEEN: Slot[dict | None] = Slot("atlas_view_seen", _none)  # the view probe's last report

# -- search -------------------------------------------------------------------------------------
SEARCH: Slot[str] = Slot("atlas_search", str)
SEARCH_PICK: Slot[str | None] = Slot("atlas_search_pick", _none)
SEARCH_GO: Slot[str | None] = Slot("atlas_search_go", _none)
SEARCH_NOTE: Slot[tuple[str, dt.date] | None] = Slot("atlas_search_note", _none)

# -- pages' own widgets and memories ----------------------------------------------------------------
MAP_COMPARE_YEAR: Slot[int | None] = Slot("map_compare_year", _none)  # Map: the summary's comparison year
TIMELINE_LAST_PICK: Slot[dt.date | None] = Slot("timeline_last_pick", _none)  # Timeline: the last date clicked
BRIEF_JUMP: Slot[int] = Slot("brief_jump", lambda: 1)  # Briefing: the "Go to slide" box
MAP_KM: Slot[Any] = Slot("map_km", _none)  # Map: the range ring's radius (km)
MAP_RING_ON: Slot[bool] = Slot("map_ring_on", bool)  # Map: the range ring switch
CMP_FROM: Slot[Any] = Slot("cmp_from", _none)  # Compare: the first date
CMP_TO: Slot[Any] = Slot("cmp_to", _none)  # Compare: the second date
CMP_KINDS: Slot[Any] = Slot("cmp_kinds", _none)  # Compare: the kinds of change listed
INST_QUERY: Slot[str] = Slot("inst_query", str)  # Installations: the table's filter
SRC_QUERY: Slot[str] = Slot("src_query", str)  # Sources: the table's filter
CASE_STUDY: Slot[Any] = Slot("case_study", _none)  # Case studies: the one shown
TIMELINE_CHART: Slot[Any] = Slot("timeline_chart", _none)  # Timeline: the chart's click
OVERLAY_UPLOAD: Slot[Any] = Slot("overlay_upload", _none)  # Overlays: the file uploader
BRIEF_PREV: Slot[Any] = Slot("brief_prev", _none)  # Briefing: the Previous button
BRIEF_NEXT: Slot[Any] = Slot("brief_next", _none)  # Briefing: the Next button
BRIEF_MENU: Slot[Any] = Slot("brief_menu", _none)  # Briefing: the audience view's menu (way out, downloads)
SIDEBAR_HIDDEN: Slot[bool] = Slot("sidebar_hidden", bool)  # the Briefing collapsed the sidebar
#: Briefing: the download buttons, by format
DL_HTML: Slot[Any] = Slot("dl_html", _none)
DL_PNG: Slot[Any] = Slot("dl_png", _none)
DL_SVG: Slot[Any] = Slot("dl_svg", _none)
DL_PDF: Slot[Any] = Slot("dl_pdf", _none)
DL_PPTX: Slot[Any] = Slot("dl_pptx", _none)
DL_YAML: Slot[Any] = Slot("dl_yaml", _none)

# -- ui's own widgets and components --------------------------------------------------------------
DECK_SYNC: Slot[Any] = Slot("deck_sync", _none)  # the briefing's presenter/audience channel (components/decksync)
LINK_PROBE: Slot[Any] = Slot("atlas_link_probe", _none)  # the link probe (components/linkprobe)
LINK_DISMISS: Slot[Any] = Slot("atlas_link_dismiss", _none)  # the link notice's Dismiss button
VIEW_PROBE: Slot[Any] = Slot("atlas_view_probe", _none)  # the view probe (components/viewprobe)
PLAY_BTN: Slot[Any] = Slot("atlas_play_btn", _none)  # Play/Pause
STEP_BTN: Slot[Any] = Slot("atlas_step_btn", _none)  # Step
GIF_BTN: Slot[Any] = Slot("atlas_gif_btn", _none)  # Make the GIF
GIF_DL: Slot[Any] = Slot("atlas_gif_dl", _none)  # Download the GIF

# -- the maps (streamlit-folium components; ui.mapview.map_widget draws each) ----------------------
ATLAS_MAP: Slot[Any] = Slot("atlas_map", _none)  # Map page
BRIEFING_MAP: Slot[Any] = Slot("briefing_map", _none)  # Briefing (audience view)
CMP_MAP_A: Slot[Any] = Slot("cmp_map_a", _none)  # Compare: "From"
CMP_MAP_B: Slot[Any] = Slot("cmp_map_b", _none)  # Compare: "To"

# -- briefings ------------------------------------------------------------------------------------
BRIEF_EDITS: Slot[dict[str, dict]] = Slot("atlas_briefing_edits", dict)
DECK_NONCE: Slot[Any] = Slot("atlas_deck_nonce", _none)

# -- the user's overlays (kept for the browser session) --------------------------------------------
OVERLAYS: Slot[dict[str, dict]] = Slot("atlas_overlays", dict)
OVERLAY_PICK: Slot[tuple[str, int] | None] = Slot("atlas_overlay_pick", _none)
PARSED: Slot[dict] = Slot("atlas_overlay_parsed", dict)
UPLOAD_NAMES: Slot[dict[str, str]] = Slot("atlas_overlay_upload_names", dict)

# -- time as a movie -------------------------------------------------------------------------------
PLAYING: Slot[bool] = Slot("atlas_playing", bool)
PLAY_STEP: Slot[str] = Slot("atlas_play_step", lambda: "year")
PLAY_SPEED: Slot[float] = Slot("atlas_play_speed", lambda: 1.0)
PLAY_LAST: Slot[float] = Slot("atlas_play_last", float)
PLAY_GIF: Slot[Any] = Slot("atlas_play_gif", _none)
PLAY_DRAWN: Slot[dt.date | None] = Slot("atlas_play_drawn", _none)  # the date the Map page has finished drawing
