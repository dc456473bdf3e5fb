"""What every page shares: the page list and navigation, the sidebar frame, and the notice for a link the server could not read."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from alliance_atlas.data import loading
from ui import state
from ui.data import current_data
from ui.filters import MAP_PAGE, sidebar
from ui.search import search_box


def pages() -> list:
    """The app's pages, in menu order (app.py's st.navigation). No icons: an emoji is an empty box where
    the system has no emoji font (Debian's Chromium, many projector PCs), and a Material icon becomes
    the tab's icon, which Streamlit fetches from Google's font server (offline: a failed request)."""
    return [
        st.Page(MAP_PAGE, title="Map", default=True),
        *(
            st.Page(f"pages/{name}.py", title=title)
            for name, title in (
                ("timeline", "Timeline"),
                ("installations", "Installations"),
                ("compare", "Compare dates"),
                ("case_studies", "Case studies"),
                ("briefing", "Briefing"),
                ("overlays", "Your data"),
                ("sources", "Sources & methodology"),
            )
        ),
    ]


PAGE_CONFIG = {"page_title": "Alliance Atlas", "page_icon": "🗺️", "layout": "wide"}


def frame(data: loading.Atlas) -> None:
    """What every page shares: the notice for a link that could not be read, the sidebar's filters
    and the search box (app.py, before navigate)."""
    link_notice()
    sidebar(data)
    search_box(data)


def navigate() -> None:
    """Run the chosen page through app.py's navigation (app.py's last line)."""
    state.APP_RAN.set(True)
    try:
        page = st.navigation(pages())
        if page.title != "Map":  # leaving the Map page stops the movie (its clock lives there)
            state.PLAYING.set(False)
        if page.title == "Briefing":
            state.SIDEBAR_HIDDEN.set(True)  # the briefing starts with the sidebar collapsed
        elif state.SIDEBAR_HIDDEN.get():  # back from it (its Menu, or a link): the filters are shown again
            state.SIDEBAR_HIDDEN.set(False)
            st.set_page_config(initial_sidebar_state="expanded")
        page.run()
    finally:
        state.APP_RAN.set(False)


def _through_app_py() -> None:
    """Streamlit runs a `pages/` folder the old way (each page alone, without app.py) until some
    session calls st.navigation: on a fresh server a shared link to a sub-page (/timeline) would
    miss app.py's sidebar and URL handling. A page that finds it is not running inside app.py's
    navigation calls st.navigation with the same pages (the public switch to app-defined
    navigation, which ends the pages-folder behaviour for the whole process) and reruns: the
    rerun starts from app.py on the same page, before anything was shown or clicked (widget ids
    differ between the two modes, so a page drawn in the old mode would lose its first click).
    (Checked by tests/browser/test_pages.py and test_server_inputs.py on fresh servers.)"""
    if not state.APP_RAN.get():
        st.navigation(pages(), position="hidden")
        st.rerun()


def atlas(*, main: bool = False) -> loading.Atlas:
    """The validated data, re-read when a file in the data folder changes; ``main`` for app.py
    (a page runs this once, first: run outside app.py's navigation, it draws app.py's frame).

    If an edit breaks the data, a session that already has data keeps its last good version
    (with a notice that the files on disk have problems); a new session gets the validation
    message and nothing else."""
    if not main:
        _through_app_py()
    return current_data()


_LINK_PROBE = components.declare_component(
    "atlas_link_probe", path=str(Path(__file__).resolve().parents[1] / "components" / "linkprobe")
)


def link_notice() -> None:
    """Tell the user when their link's settings were dropped before the app could read them.

    Streamlit ignores a whole query string of more than 1,000 parameters or 512 KiB (it logs a
    warning; the script sees no parameters), and the server cannot see the raw address
    (st.context.url has no query string). So: a session whose first run saw no parameters
    renders a hidden probe (components/linkprobe) that reports the query string the browser
    opened, if any; a non-empty one means the link was not applied. Sessions opened with
    parameters never render the probe. Call before anything writes the URL."""
    if not state.LINK.present():
        state.LINK.set({"probe": not st.query_params.to_dict(), "report": None, "dismissed": False})
    link = state.LINK.get()
    if link["probe"] and link["report"] is None:
        with st.sidebar:
            got = _LINK_PROBE(key=state.LINK_PROBE.key, default=None)
        if isinstance(got, dict):
            link["report"] = got
    report = link["report"]
    if report and not link["dismissed"]:
        try:
            fields, chars = int(report.get("fields", 0)), int(report.get("chars", 0))
        except (TypeError, ValueError):
            fields, chars = 0, 0
        st.warning(
            f"This link's settings could not be applied: its address carries {fields:,} parameter(s) "
            f"({chars:,} characters), more than the server reads (at most 1,000 parameters, 512 KiB), "
            "so the app opened with its default view. Set the filters again, or ask for a shorter link.",
            icon=":material/warning:",
        )
        if st.button("Dismiss", key=state.LINK_DISMISS):
            link["dismissed"] = True
            st.rerun()
