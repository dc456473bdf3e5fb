"""The one map widget every page draws with, the map's position as the server knows it (the move-once layer), and
the Map page's view learned on other pages."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from alliance_atlas.data import urlstate
from alliance_atlas.renderers import leaflet_mapview
from ui import state
from ui.filter_widgets import today
from ui.filters import current_view, write_url

_VIEW_PROBE = components.declare_component(
    "atlas_view_probe", path=str(Path(__file__).resolve().parents[1] / "components" / "viewprobe")
)


def map_widget(
    base: Any,
    key: state.Slot[Any],
    layers: Sequence[Any],
    *,
    height: int,
    layer_control: Any = None,
    clicks: bool = False,
) -> dict[str, Any] | None:
    """Draw a map on any page: ``base`` (leaflet_map.base_map) with the view's feature groups ``layers`` as
    streamlit-folium's dynamic layers, so a rerun swaps the layers in place and never re-creates the map
    (no center/zoom here: reruns must not move the map back from where the reader took it, issue 13).
    ``clicks``: the page reads the last clicked point (returned as ``{"last_object_clicked": ...}``);
    otherwise the browser sends nothing back and panning costs no rerun."""
    return st_folium(
        base,
        key=key.key,
        feature_group_to_add=list(layers),
        layer_control=layer_control,
        returned_objects=["last_object_clicked"] if clicks else [],
        use_container_width=True,
        height=height,
    )


def move_layer():
    """The map's position request as a layer for the Map page's st_folium (see ui.filters.request_move)."""
    mv = state.MOVE.get()
    key = state.MAP_KEY.get()
    if key is None:
        key = os.urandom(4).hex()
        state.MAP_KEY.set(key)
    return leaflet_mapview.move_layer(key, mv[3] if mv else 0, mv[:3] if mv else None)


def view_probe() -> None:
    """Learn the view the reader last had on the Map page (components/viewprobe: the map keeps it in
    the browser, the server hears of it only here), for a page that uses it without drawing the map
    (Briefing: "add the current view as a slide", the speaker link). One rerun on arrival, only when
    it changed; panning costs none."""
    at = state.MAP_AT.get()
    with st.sidebar:
        got = _VIEW_PROBE(
            known=f"{at[0]:.4f}|{at[1]:.4f}|{at[2]}" if at else "", key=state.VIEW_PROBE.key, default=None
        )
    if not isinstance(got, dict) or got == state.VIEW_SEEN.get():
        return
    state.VIEW_SEEN.set(got)
    try:
        lat, lon, zoom = float(got["lat"]), float(got["lon"]), min(11, max(2, int(got["zoom"])))
    except (KeyError, TypeError, ValueError):
        return
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        state.MAP_AT.set((lat, lon, zoom))
        view = replace(current_view(), lat=lat, lon=lon, zoom=zoom)
        state.VIEW.set(view)
        write_url(view)


def view_link(**page: str) -> str:
    """A relative link to this page with the whole current view (filters and map position) and ``page``
    parameters: a window opened from it (the speaker view) starts where the reader is."""
    return "?" + urlencode(urlstate.to_params(current_view(), today()) | page)
