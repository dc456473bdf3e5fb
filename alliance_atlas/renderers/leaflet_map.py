"""The Leaflet base map (land, tiles, labels, controls) every view is drawn on, and its shared caches."""

from __future__ import annotations

import os
from typing import Any

import folium
import folium.plugins as plugins
from pyproj import Geod

from alliance_atlas.cartography import display, places, style
from alliance_atlas.data import schema
from alliance_atlas.data.cache import BoundedCache
from alliance_atlas.data.loading import Atlas
from alliance_atlas.renderers import assets, fastrender
from alliance_atlas.renderers import served as serving
from alliance_atlas.renderers.leaflet_elements import FillFrame, FineBorders, Legend, Panes, PluginScripts, StyleSheet
from alliance_atlas.renderers.leaflet_features import DataLoader, Features, Labels, StyleLink
from alliance_atlas.renderers.leaflet_viewport import FitBounds, FitToSize, MeasureTool, SyncViews, UrlSync
from alliance_atlas.safe import esc

CENTER = (49.0, 62.0)
ZOOM = 3
MAX_ZOOM = 11
TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "light": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png", "© OpenStreetMap contributors © CARTO"),
    "dark": ("https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}.png", "© OpenStreetMap contributors © CARTO"),
}
#: from this zoom on the states are drawn with their fine outlines (elements.FineBorders)
FINE_ZOOM = 6
BASEMAPS = schema.BASEMAPS
_GEOD = Geod(ellps="WGS84")
fastrender.install()


def geometry(atlas: Atlas) -> display.DisplayGeometry:
    if "display" not in atlas.cache:
        atlas.cache["display"] = display.build(atlas)
    return atlas.cache["display"]


def view_cache(atlas: Atlas) -> BoundedCache:
    return atlas.cache.setdefault("views", BoundedCache(256))


def tile_source(basemap: str) -> tuple[str, str] | None:
    """URL template and attribution for an online basemap; None for the vector one."""
    if basemap == "custom":
        url = os.environ.get("ATLAS_TILE_URL", "").strip()
        return (url, os.environ.get("ATLAS_TILE_ATTRIBUTION", "custom tiles")) if url else None
    return TILES.get(basemap)


def base_map(
    atlas: Atlas,
    basemap: str = "vector",
    prefix: str = "/app/static/",
    *,
    fill_frame: bool = False,
    sync: str | None = None,
    fine: bool = True,
    served: bool = True,
) -> folium.Map:
    """The unchanging part: vector land (always drawn, offline), optional tiles, CSS, controls;
    ``fine``: from zoom FINE_ZOOM the states' fine outlines served under ``prefix`` replace the light ones;
    ``fill_frame`` makes the map as tall as the frame the page gives it (presenter screens);
    ``sync`` names a group of maps on the page that pan and zoom together (Compare);
    ``served``: land and place names are fetched from static files (``served=False``: inline, for files)."""
    # maxZoom/minZoom must be map options (folium only gives them to tiles): MarkerCluster needs them
    limits: dict[str, Any] = {"maxZoom": MAX_ZOOM, "minZoom": 2}
    m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True, world_copy_jump=False, **limits)
    css = serving.url(atlas, "map-css", lambda: style.MAP_CSS, prefix if served else None, ext="css")
    if not css:
        m.get_root().header.add_child(StyleSheet(), name="atlas_css")  # type: ignore[attr-defined]
    if fill_frame:
        m.get_root().header.add_child(FillFrame(), name="atlas_fill")  # type: ignore[attr-defined]
    Panes().add_to(m)
    land = folium.FeatureGroup(name="Land", control=False)
    where = prefix if served else None
    if where is not None:
        DataLoader().add_to(m)
    Features(
        None, interactive=False, pane="atlasLand", **serving.source(atlas, "land", lambda: geometry(atlas).land, where)
    ).add_to(land)
    land.add_to(m)
    url = serving.url(atlas, "labels", lambda: label_data(atlas), where)
    Labels(None if url else label_data(atlas), url).add_to(m)
    source = tile_source(basemap)
    if source:
        folium.TileLayer(tiles=source[0], attr=esc(source[1]), name="Online tiles", max_zoom=MAX_ZOOM).add_to(m)
    plugins.Fullscreen(position="topleft").add_to(m)
    PluginScripts().add_to(m)
    FitToSize().add_to(m)
    UrlSync(record=not (sync or fill_frame), compare=sync == "compare").add_to(m)
    MeasureTool().add_to(m)
    if sync:
        SyncViews(sync).add_to(m)
    urls = assets.fine_urls(prefix) if fine else {}
    if urls:
        FineBorders(urls, FINE_ZOOM).add_to(m)
    assets.localize(m, prefix)
    if css:
        StyleLink(css).add_to(m)  # after localize: a file of ours, not a folium resource name
    return m


def label_data(atlas: Atlas) -> str:
    """The place names as compact JSON for elements.Labels (escaped), computed once per dataset."""
    if "labels" not in atlas.cache:
        atlas.cache["labels"] = display.dumps(
            [
                {"n": esc(p.name), "k": p.kind, "la": round(p.lat, 4), "lo": round(p.lon, 4), "z": p.min_zoom}
                for p in places.of(atlas)
            ]
        )
    return atlas.cache["labels"]


def states_geo(atlas: Atlas, prefix: str | None) -> dict:
    return serving.source(atlas, "states", lambda: display.dumps(geometry(atlas).states), prefix)


def territories_geo(atlas: Atlas, prefix: str | None) -> dict:
    return serving.source(atlas, "territories", lambda: display.dumps(geometry(atlas).territories), prefix)


def legend_layer(html: str) -> folium.FeatureGroup:
    fg = folium.FeatureGroup(name="Legend", show=True, control=False)
    Legend(html).add_to(fg)
    return fg


def fit_layer(bounds, nonce: int = 0) -> folium.FeatureGroup:
    """A layer that makes the map show ``bounds`` once it has its final size (see elements.FitToSize);
    a new ``nonce`` fits the same bounds again."""
    fg = folium.FeatureGroup(name="View", show=True, control=False)
    FitBounds(bounds, nonce).add_to(fg)
    return fg
