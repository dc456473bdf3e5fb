"""The only Streamlit helper: pages import this; this imports alliance_atlas; never the other way round.

One module per concern (see each docstring): ``state`` (every session-state key, typed), ``data``,
``frame`` (pages, navigation, sidebar frame), ``filters`` (filter state and the URL), ``search``,
``widgets``, ``briefing``, ``overlays``, ``play``. This file only names what pages use.
"""

from ui import state
from ui.briefing import add_slide, briefing, deck_sync, slide_thumbnail
from ui.data import data_key, data_stamp, download_name, file_stamp, html_text, static_prefix
from ui.filter_widgets import fit_shown, parse_day, pending_fit, request_fit, request_move
from ui.filters import (
    MAP_PAGE,
    current_view,
    new_click,
    page_param,
    request_view,
    select,
    set_date,
    set_page_params,
    sidebar,
)
from ui.frame import PAGE_CONFIG, atlas, frame, link_notice, navigate, pages
from ui.mapview import map_widget, move_layer, view_link, view_probe
from ui.overlays import (
    add_overlay,
    added_upload,
    forget_uploads,
    load_overlay_bytes,
    overlay_store,
    parsed_upload,
    read_server_overlay,
    server_overlay_files,
    visible_overlays,
)
from ui.play import frame_drawn, movie_gif, play_control
from ui.search import jump_to, search_box
from ui.widgets import AUDIENCE_CSS, LEGEND_CSS, PRESENTER_CSS, side_legend

__all__ = [
    "AUDIENCE_CSS", "LEGEND_CSS", "MAP_PAGE", "PAGE_CONFIG", "PRESENTER_CSS", "add_overlay", "add_slide",
    "added_upload", "atlas", "briefing", "current_view", "data_key", "data_stamp", "deck_sync", "download_name",
    "file_stamp", "fit_shown", "forget_uploads", "frame", "html_text", "jump_to", "link_notice",
    "load_overlay_bytes", "map_widget", "navigate", "new_click", "overlay_store", "page_param", "pages", "parse_day",
    "parsed_upload", "pending_fit", "play_control", "frame_drawn", "movie_gif", "move_layer", "view_link",
    "view_probe", "request_move", "read_server_overlay", "request_fit", "request_view", "search_box", "select",
    "server_overlay_files", "set_date", "set_page_params", "side_legend", "sidebar", "slide_thumbnail", "state",
    "static_prefix", "visible_overlays",
]  # fmt: skip
