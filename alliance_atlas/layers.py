"""Folium layers for one view. The base map is the same for every view (so the
browser keeps it and the user's pan/zoom); everything that depends on the filters
is in feature groups handed to st_folium's ``feature_group_to_add``."""

from __future__ import annotations

import datetime as dt
import json
import os

import folium
import folium.plugins as plugins
import numpy as np
from branca.element import Element, MacroElement
from jinja2 import Template
from pyproj import Geod

from . import assets, popups, schema, style, timeline
from .io import Atlas
from .safe import esc

CENTER = (52.0, 65.0)
ZOOM = 3
MAX_ZOOM = 11
TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "light": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png", "© OpenStreetMap contributors © CARTO"),
    "dark": ("https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}.png", "© OpenStreetMap contributors © CARTO"),
}
BASEMAPS = ("vector", "osm", "light", "dark", "custom")
_GEOD = Geod(ellps="WGS84")


def tile_source(basemap: str) -> tuple[str, str] | None:
    """URL template and attribution for an online basemap; None for the vector one."""
    if basemap == "custom":
        url = os.environ.get("ATLAS_TILE_URL", "").strip()
        return (url, os.environ.get("ATLAS_TILE_ATTRIBUTION", "custom tiles")) if url else None
    return TILES.get(basemap)


def base_map(atlas: Atlas, basemap: str = "vector", prefix: str = "/app/static/") -> folium.Map:
    """The unchanging part: vector land (always drawn, offline), optional tiles, CSS, controls."""
    # maxZoom/minZoom must be map options (folium only gives them to tiles): MarkerCluster needs them
    m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True, world_copy_jump=False,
                   maxZoom=MAX_ZOOM, minZoom=2)
    m.get_root().header.add_child(Element(f"<style>{style.MAP_CSS}</style>"))
    if atlas.land is not None:
        folium.GeoJson(
            _plain_geojson(atlas.land), name="Land", style_function=lambda _f: style.BASE_LAND,
            interactive=False, control=False,
        ).add_to(m)
    source = tile_source(basemap)
    if source:
        folium.TileLayer(tiles=source[0], attr=esc(source[1]), name="Online tiles", max_zoom=MAX_ZOOM).add_to(m)
    plugins.Fullscreen(position="topleft").add_to(m)
    assets.localize(m, prefix)
    return m


def _plain_geojson(gdf) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": geom.__geo_interface__} for geom in gdf.geometry
    ]}


def held_by_state(atlas: Atlas, day: dt.date, orgs: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """iso3 -> [(org, status)] on ``day``, in the order of ``orgs``, withdrawn left out."""
    rows = timeline.statuses_on(atlas, day, orgs)
    rows = rows[rows["status"].isin(schema.ACTIVE_STATUSES)]
    held: dict[str, list[tuple[str, str]]] = {}
    for org in orgs:
        for r in rows[rows["organization"] == org].itertuples():
            held.setdefault(r.iso3, []).append((org, r.status))
    return held


def states_layer(atlas: Atlas, day: dt.date, orgs: tuple[str, ...], regions: tuple[str, ...]) -> folium.FeatureGroup:
    fg = folium.FeatureGroup(name="States by alliance", show=True)
    held = held_by_state(atlas, day, orgs)
    patterns: dict[tuple[str, str], plugins.StripePattern] = {}
    features = []
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
                if pair not in patterns:
                    patterns[pair] = plugins.StripePattern(
                        angle=45, weight=5, space_weight=5, color=pair[1], space_color=pair[0],
                        opacity=1.0, space_opacity=1.0).add_to(fg)
                st["fillPattern"] = patterns[pair]
        features.append({
            "type": "Feature", "id": r.iso3, "geometry": r.geometry.__geo_interface__,
            "properties": {"id": r.iso3, "kind": "state", "_tip": popups.state_tip(r.name, mine),
                           "_popup": popups.state_popup(atlas, r.iso3, r.name, day, orgs), "_style": st},
        })
    _geojson(features, "states").add_to(fg)
    return fg


def _geojson(features: list[dict], name: str) -> folium.GeoJson:
    """GeoJSON whose tooltip/popup are pre-escaped HTML properties and whose style is per feature."""
    styles = {f["properties"]["id"]: f["properties"].pop("_style") for f in features}
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name=esc(name),
        style_function=lambda f: styles[f["properties"]["id"]],
        highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["_popup"], labels=False, max_width=420),
    )


def territories_layer(atlas: Atlas, day: dt.date) -> folium.FeatureGroup:
    fg = folium.FeatureGroup(name="Contested territory", show=True)
    ter = timeline.territories_on(atlas, day)
    patterns = {}
    features = []
    for _, r in ter.iterrows():
        look = style.TERRITORY_LOOK[r["status"]]
        if r["status"] not in patterns:
            patterns[r["status"]] = plugins.StripePattern(
                angle=look["angle"], weight=2, space_weight=5, color=style.TERRITORY_COLOUR,
                opacity=0.9, space_opacity=0.0).add_to(fg)
        st = {"color": style.TERRITORY_COLOUR, "weight": 2, "dashArray": look["dashArray"],
              "fillPattern": patterns[r["status"]], "fillOpacity": 1.0}
        features.append({
            "type": "Feature", "id": r["id"], "geometry": r.geometry.__geo_interface__,
            "properties": {"id": r["id"], "kind": "territory", "_tip": popups.territory_tip(r),
                           "_popup": popups.territory_popup(atlas, r), "_style": st},
        })
    if features:
        _geojson(features, "territories").add_to(fg)
    return fg


def installation_marker(atlas: Atlas, r) -> folium.Marker:
    colour = style.OPERATOR_COLOURS.get(r["operator"], style.OKABE_ITO["black"])
    icon = folium.DivIcon(html=popups.marker_html(r["kind"], r["phase"], colour), icon_size=(20, 20), icon_anchor=(10, 10),
                          class_name="atlas-icon")
    return folium.Marker(
        location=(float(r["lat"]), float(r["lon"])), icon=icon,
        tooltip=folium.Tooltip(popups.installation_tip(r), sticky=True),
        popup=folium.Popup(popups.installation_popup(atlas, r), max_width=460),
    )


def installations_layers(atlas: Atlas, day: dt.date, *, kinds=(), statuses=(), regions=(), show_historic=False):
    """Russian installations (clustered, so co-located sites spiderfy) and NATO battlegroups."""
    inst = timeline.installations_on(atlas, day, show_historic=show_historic)
    if kinds:
        inst = inst[inst["kind"].isin(kinds)]
    if statuses:
        inst = inst[inst["phase"].isin(statuses)]
    if regions:
        region_of = dict(zip(atlas.states["iso3"], atlas.states["region"], strict=True))
        inst = inst[inst["host_iso3"].map(region_of).isin(regions)]
    rus = folium.FeatureGroup(name="Russian installations", show=True)
    cluster = plugins.MarkerCluster(options={"maxClusterRadius": 30, "spiderfyOnMaxZoom": True,
                                             "showCoverageOnHover": False}).add_to(rus)
    nato = folium.FeatureGroup(name="NATO forward presence", show=True)
    for _, r in inst.iterrows():
        installation_marker(atlas, r).add_to(cluster if r["operator"] == "RUS" else nato)
    return rus, nato, inst


def range_ring(lat: float, lon: float, km: float, n: int = 128) -> list[tuple[float, float]]:
    """A geodesic circle of radius ``km`` as (lat, lon) vertices."""
    az = np.linspace(0, 360, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, km * 1000.0))
    return [(float(a), float(b)) for a, b in zip(lats, lons, strict=True)]


class Legend(MacroElement):
    """A legend that behaves as a layer: it shows while its feature group is on the map,
    so it is swapped with the other layers and always matches what is drawn."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new (L.Layer.extend({
  onAdd: function (map) {
    var html = {{ this.html_json }};
    this._ctl = L.control({position: 'bottomright'});
    this._ctl.onAdd = function () { var d = L.DomUtil.create('div', 'atlas-legend'); d.innerHTML = html;
      L.DomEvent.disableScrollPropagation(d); return d; };
    this._ctl.addTo(map);
  },
  onRemove: function (map) { if (this._ctl) { map.removeControl(this._ctl); } }
}))();
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        # JSON for JS; '</' and '<!--' cannot close or open anything inside a <script>
        self.html_json = json.dumps(html).replace("</", "<\\/").replace("<!--", "<\\!--")


def legend_layer(html: str) -> folium.FeatureGroup:
    fg = folium.FeatureGroup(name="Legend", show=True, control=False)
    Legend(html).add_to(fg)
    return fg
