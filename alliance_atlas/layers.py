"""Folium layers for one view.

The base map (vector land, optional tiles, CSS, controls) is identical for every view, so
the browser keeps it and the user's pan and zoom; everything that depends on the filters
is a feature group handed to st_folium's ``feature_group_to_add``. Features are serialised
once per view into compact JSON (cached on the Atlas) and drawn by small elements below,
so a rerun for a view seen before costs little more than string concatenation.
"""

from __future__ import annotations

import datetime as dt
import os

import folium
import folium.plugins as plugins
import numpy as np
from pyproj import Geod

from . import assets, display, places, popups, schema, style, timeline
from .elements import (
    Features,
    FillFrame,
    FitBounds,
    FitToSize,
    Labels,
    Legend,
    Markers,
    MeasureTool,
    PluginScripts,
    StyleSheet,
    UrlSync,
)
from .io import Atlas
from .safe import esc

CENTER = (49.0, 62.0)
ZOOM = 3
MAX_ZOOM = 11
TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "light": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png", "© OpenStreetMap contributors © CARTO"),
    "dark": ("https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}.png", "© OpenStreetMap contributors © CARTO"),
}
BASEMAPS = ("vector", "osm", "light", "dark", "custom")
_GEOD = Geod(ellps="WGS84")


def geometry(atlas: Atlas) -> display.DisplayGeometry:
    if "display" not in atlas.cache:
        atlas.cache["display"] = display.build(atlas)
    return atlas.cache["display"]


def _cache(atlas: Atlas) -> display.BoundedCache:
    return atlas.cache.setdefault("views", display.BoundedCache(256))


def tile_source(basemap: str) -> tuple[str, str] | None:
    """URL template and attribution for an online basemap; None for the vector one."""
    if basemap == "custom":
        url = os.environ.get("ATLAS_TILE_URL", "").strip()
        return (url, os.environ.get("ATLAS_TILE_ATTRIBUTION", "custom tiles")) if url else None
    return TILES.get(basemap)


def base_map(atlas: Atlas, basemap: str = "vector", prefix: str = "/app/static/", *,
             fill_frame: bool = False) -> folium.Map:
    """The unchanging part: vector land (always drawn, offline), optional tiles, CSS, controls;
    ``fill_frame`` makes the map as tall as the frame the page gives it (presenter screens)."""
    # maxZoom/minZoom must be map options (folium only gives them to tiles): MarkerCluster needs them
    m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True, world_copy_jump=False,
                   maxZoom=MAX_ZOOM, minZoom=2)
    m.get_root().header.add_child(StyleSheet(), name="atlas_css")
    if fill_frame:
        m.get_root().header.add_child(FillFrame(), name="atlas_fill")
    land = folium.FeatureGroup(name="Land", control=False)
    Features(geometry(atlas).land, interactive=False).add_to(land)
    land.add_to(m)
    Labels(label_data(atlas)).add_to(m)
    source = tile_source(basemap)
    if source:
        folium.TileLayer(tiles=source[0], attr=esc(source[1]), name="Online tiles", max_zoom=MAX_ZOOM).add_to(m)
    plugins.Fullscreen(position="topleft").add_to(m)
    PluginScripts().add_to(m)
    FitToSize().add_to(m)
    UrlSync().add_to(m)
    MeasureTool().add_to(m)
    assets.localize(m, prefix)
    return m


def label_data(atlas: Atlas) -> str:
    """The place names as compact JSON for elements.Labels (escaped), computed once per dataset."""
    if "labels" not in atlas.cache:
        atlas.cache["labels"] = display.dumps([
            {"n": esc(p.name), "k": p.kind, "la": round(p.lat, 4), "lo": round(p.lon, 4), "z": p.min_zoom}
            for p in places.of(atlas)])
    return atlas.cache["labels"]


def held_by_state(atlas: Atlas, day: dt.date, orgs: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """iso3 -> [(org, status)] on ``day``, in the order of ``orgs``, withdrawn left out."""
    rows = timeline.statuses_on(atlas, day, orgs)
    rows = rows[rows["status"].isin(schema.ACTIVE_STATUSES)]
    held: dict[str, list[tuple[str, str]]] = {}
    for org in orgs:
        for r in rows[rows["organization"] == org].itertuples():
            held.setdefault(r.iso3, []).append((org, r.status))
    return held


def _state_features(atlas: Atlas, day: dt.date, orgs: tuple[str, ...], regions: tuple[str, ...], with_popups: bool):
    geo = geometry(atlas).states
    held = held_by_state(atlas, day, orgs)
    feats, pairs = [], []
    for r in atlas.states.itertuples():
        if regions and r.region not in regions and r.region != "neighbour":
            continue
        mine = held.get(r.iso3, [])
        st = {"color": style.BASE_STATE["color"], "weight": style.BASE_STATE["weight"], "fillColor": "#FFFFFF",
              "fillOpacity": 0.35 if r.post_soviet else 0.0}
        if r.post_soviet:
            st |= style.POST_SOVIET_OUTLINE
        if mine:
            look = style.STATUS_LOOK[mine[0][1]]
            st |= {"fillColor": style.org_colour(mine[0][0]), "fillOpacity": look["fillOpacity"],
                   "weight": look["weight"], "dashArray": look["dashArray"]}
            if len(mine) > 1:
                pair = (style.org_colour(mine[0][0]), style.org_colour(mine[1][0]))
                if pair not in pairs:
                    pairs.append(pair)
                st["pat"] = f"p{pairs.index(pair)}"
        props = {"id": r.iso3, "_s": st, "_t": popups.state_tip(r.name, mine)}
        if with_popups:
            props["_p"] = popups.state_popup(atlas, r.iso3, r.name, day, orgs)
        feats.append({"type": "Feature", "geometry": geo[r.iso3], "properties": props})
    return display.dumps({"type": "FeatureCollection", "features": feats}), pairs


def states_layer(atlas: Atlas, day: dt.date, orgs: tuple[str, ...], regions: tuple[str, ...],
                 with_popups: bool = False) -> folium.FeatureGroup:
    data, pairs = _cache(atlas).get_or_make(
        ("states", day, orgs, regions, with_popups), lambda: _state_features(atlas, day, orgs, regions, with_popups))
    fg = folium.FeatureGroup(name="States by alliance", show=True)
    patterns = {}
    for i, (first, second) in enumerate(pairs):
        patterns[f"p{i}"] = plugins.StripePattern(angle=45, weight=5, space_weight=5, color=second,
                                                  space_color=first, opacity=1.0, space_opacity=1.0).add_to(fg)
    Features(data, patterns).add_to(fg)
    return fg


def _territory_features(atlas: Atlas, day: dt.date, with_popups: bool):
    geo = geometry(atlas).territories
    feats, kinds = [], []
    for _, r in timeline.territories_on(atlas, day).iterrows():
        look = style.TERRITORY_LOOK[r["status"]]
        if r["status"] not in kinds:
            kinds.append(r["status"])
        st = {"color": style.TERRITORY_COLOUR, "weight": 2, "dashArray": look["dashArray"], "fillOpacity": 1.0,
              "pat": r["status"]}
        props = {"id": r["id"], "_s": st, "_t": popups.territory_tip(r)}
        if with_popups:
            props["_p"] = popups.territory_popup(atlas, r)
        feats.append({"type": "Feature", "geometry": geo[r["id"]], "properties": props})
    return display.dumps({"type": "FeatureCollection", "features": feats}), kinds


def territories_layer(atlas: Atlas, day: dt.date, with_popups: bool = False) -> folium.FeatureGroup:
    data, kinds = _cache(atlas).get_or_make(("territories", day, with_popups),
                                            lambda: _territory_features(atlas, day, with_popups))
    fg = folium.FeatureGroup(name="Contested territory", show=True)
    patterns = {}
    for k in kinds:
        look = style.TERRITORY_LOOK[k]
        patterns[k] = plugins.StripePattern(angle=look["angle"], weight=look["weight"], space_weight=look["space"],
                                            color=style.TERRITORY_COLOUR,
                                            opacity=0.9, space_opacity=0.0).add_to(fg)
    Features(data, patterns).add_to(fg)
    return fg


def _marker_data(atlas: Atlas, inst, with_popups: bool) -> tuple[str, str]:
    rus, nato = [], []
    for _, r in inst.iterrows():
        colour = style.OPERATOR_COLOURS.get(r["operator"], style.OKABE_ITO["black"])
        d = {"id": r["id"], "la": float(r["lat"]), "lo": float(r["lon"]), "n": esc(r["name"]),
             "h": popups.marker_html(r["kind"], r["phase"], colour), "t": popups.installation_tip(r)}
        if with_popups:
            d["p"] = popups.installation_popup(atlas, r)
        (rus if r["operator"] == "RUS" else nato).append(d)
    return display.dumps(rus), display.dumps(nato)


def installations_layers(atlas: Atlas, day: dt.date, *, kinds=(), statuses=(), regions=(), show_historic=False,
                         with_popups: bool = False):
    """Russian installations (clustered, so co-located sites spiderfy) and NATO battlegroups."""
    inst = timeline.selected_installations(atlas, day, kinds=kinds, statuses=statuses, regions=regions,
                                           show_historic=show_historic)
    key = ("markers", day, tuple(kinds), tuple(statuses), tuple(regions), show_historic, with_popups)
    rus_data, nato_data = _cache(atlas).get_or_make(key, lambda: _marker_data(atlas, inst, with_popups))
    rus = folium.FeatureGroup(name="Russian installations", show=True)
    cluster = plugins.MarkerCluster(options={"maxClusterRadius": 30, "spiderfyOnMaxZoom": True,
                                             "showCoverageOnHover": False}).add_to(rus)
    Markers(rus_data).add_to(cluster)
    nato = folium.FeatureGroup(name="NATO forward presence", show=True)
    Markers(nato_data).add_to(nato)
    return rus, nato, inst


def range_ring(lat: float, lon: float, km: float, n: int = 128) -> list[tuple[float, float]]:
    """A geodesic circle of radius ``km`` as (lat, lon) vertices."""
    az = np.linspace(0, 360, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, km * 1000.0))
    return [(float(a), float(b)) for a, b in zip(lats, lons, strict=True)]


def ring_layer(lat: float, lon: float, km: float) -> folium.FeatureGroup:
    fg = folium.FeatureGroup(name=esc(f"Range ring {km:g} km"), show=True)
    folium.Polygon(range_ring(lat, lon, km), color=style.RING_COLOUR, weight=2, dash_array="8 6", fill=False,
                   interactive=False).add_to(fg)
    return fg


def highlight_layer(atlas: Atlas, ids: tuple[str, ...]) -> folium.FeatureGroup:
    """Rings around highlighted installations and thick outlines on highlighted areas."""
    fg = folium.FeatureGroup(name="Highlighted", show=True, control=False)
    inst = atlas.installations.set_index("id")
    geo = geometry(atlas)
    feats = []
    for item in ids:
        if item in inst.index:
            r = inst.loc[item]
            folium.CircleMarker((float(r["lat"]), float(r["lon"])), radius=17, color=style.HIGHLIGHT_COLOUR,
                                weight=4, fill=False, interactive=False).add_to(fg)
        elif item in geo.territories or item in geo.states:
            g = geo.territories.get(item) or geo.states[item]
            feats.append({"type": "Feature", "geometry": g,
                          "properties": {"_s": {"color": style.HIGHLIGHT_COLOUR, "weight": 4, "fill": False}}})
    if feats:
        Features(display.dumps({"type": "FeatureCollection", "features": feats}), interactive=False).add_to(fg)
    return fg


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


def _control_features(atlas: Atlas, day: dt.date) -> str:
    import shapely

    areas = timeline.control_areas_on(atlas, day)
    feats = []
    for _, r in (areas.iterrows() if areas is not None else ()):
        geom = shapely.simplify(r.geometry, style.CONTROL_SIMPLIFY, preserve_topology=True)
        geom = shapely.orient_polygons(shapely.set_precision(geom, display.GRID))
        span = f"since {r['since']}" + (f" until {r['until']}" if r["until"] else "")
        tip = (f"<b>{esc(r['name'])}</b><br>Under Russian military control, approximate "
               f"(snapshot {esc(r['snapshot_date'])}, {esc(span)}; confidence {esc(r['confidence'])})")
        feats.append({"type": "Feature", "geometry": shapely.geometry.mapping(geom),
                      "properties": {"id": r["id"], "_s": dict(style.CONTROL_STYLE), "_t": tip}})
    return display.dumps({"type": "FeatureCollection", "features": feats})


def control_layer(atlas: Atlas, day: dt.date) -> folium.FeatureGroup | None:
    """The area under Russian military control on ``day`` (the snapshot in force), drawn apart
    from the claimed-annexation territories; None when the data has no control areas."""
    if atlas.control_areas is None:
        return None
    data = _cache(atlas).get_or_make(("control", day), lambda: _control_features(atlas, day))
    fg = folium.FeatureGroup(name=style.CONTROL_LAYER_NAME, show=True)
    Features(data).add_to(fg)
    return fg
