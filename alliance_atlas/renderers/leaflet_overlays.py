"""Map layers for the user's own overlays, and "within R km" analysis."""

from __future__ import annotations

import datetime as dt

import folium
import folium.plugins as plugins
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping

from alliance_atlas.analysis import geo
from alliance_atlas.cartography import display, style
from alliance_atlas.data import asof
from alliance_atlas.data.loading import Atlas
from alliance_atlas.renderers import leaflet_map
from alliance_atlas.safe import esc

OVERLAY_COLOURS = (
    style.OKABE_ITO["purple"],
    style.OKABE_ITO["green"],
    style.OKABE_ITO["sky"],
    style.OKABE_ITO["orange"],
    style.OKABE_ITO["yellow"],
    "#444444",
)
MAX_TIP_FIELDS = 6


def _tip(name: str, props: dict) -> str:
    rows = "".join(f"<br>{esc(k)}: {esc(v)}" for k, v in list(props.items())[:MAX_TIP_FIELDS])
    return f"<b>{esc(name)}</b>{rows}"


class OverlayPoints(MacroElement):
    """Many points (10,000+) as circle markers in a marker cluster, added in chunks."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var pts = ({{ this.data }}).map(function (d) {
    var m = L.circleMarker([d[0], d[1]], {radius: 6, color: '#000', weight: 1, fillColor: {{ this.colour|tojson }},
      fillOpacity: 0.9});
    m.bindTooltip(d[2], {sticky: true});
    return m;
  });
  group.addLayers(pts);
})();
{% endmacro %}
""")

    def __init__(self, data: str, colour: str):
        super().__init__()
        self._name = "OverlayPoints"
        self.data = data
        self.colour = colour


def overlay_layer(name: str, gdf: gpd.GeoDataFrame, colour: str) -> folium.FeatureGroup:
    """One overlay: points clustered (chunked loading), lines and polygons as GeoJSON. Every
    property value is escaped before it reaches the map."""
    fg = folium.FeatureGroup(name=esc(f"Your data: {name}"), show=True)
    props = gdf.drop(columns=gdf.geometry.name)
    points, shapes = [], []
    for i, geom in enumerate(gdf.geometry):
        p = {str(k): v for k, v in props.iloc[i].items() if v not in (None, "")}
        label = p.get("name") or p.get("title") or f"{name} #{i + 1}"
        if geom.geom_type == "Point":
            points.append([round(geom.y, 6), round(geom.x, 6), _tip(label, p)])
        else:
            shapes.append(
                {
                    "type": "Feature",
                    "geometry": mapping(geom),
                    "properties": {
                        "_t": _tip(label, p),
                        "_s": {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.25},
                    },
                }
            )
    if points:
        cluster = plugins.MarkerCluster(
            options={"chunkedLoading": True, "maxClusterRadius": 40, "showCoverageOnHover": False}
        ).add_to(fg)
        OverlayPoints(display.dumps(points), colour).add_to(cluster)
    if shapes:
        leaflet_map.Features(display.dumps({"type": "FeatureCollection", "features": shapes})).add_to(fg)
    return fg


def within(
    atlas: Atlas,
    day: dt.date,
    lat: float,
    lon: float,
    km: float,
    overlays: dict[str, gpd.GeoDataFrame] | None = None,
    exclude: str | None = None,
) -> pd.DataFrame:
    """Installations active on ``day``, overlay features and states within ``km`` of a point,
    nearest first, with geodesic distances (0 for a state that contains the point)."""
    rows = []
    inst = asof.installations_on(atlas, day)
    near = geo.within_km(inst.assign(lat=inst["lat"].astype(float), lon=inst["lon"].astype(float)), lat, lon, km)
    for _, r in near.iterrows():
        if r["id"] != exclude:
            rows.append({"kind": "installation", "id": r["id"], "name": r["name"], "distance_km": r["distance_km"]})
    for name, gdf in (overlays or {}).items():
        hits = geo.within_km(gdf, lat, lon, km)
        for idx, r in hits.iterrows():
            label = r.get("name") or r.get("title") or f"#{idx + 1}"
            rows.append(
                {
                    "kind": f"overlay: {name}",
                    "id": f"{name}#{idx + 1}",
                    "name": str(label),
                    "distance_km": r["distance_km"],
                }
            )
    states = geo.within_km(atlas.states, lat, lon, km)
    for _, r in states.iterrows():
        rows.append({"kind": "state", "id": r["iso3"], "name": r["name"], "distance_km": r["distance_km"]})
    out = pd.DataFrame(rows, columns=["kind", "id", "name", "distance_km"])
    return out.sort_values("distance_km", kind="stable").reset_index(drop=True)


def pick_overlay(overlays: dict[str, gpd.GeoDataFrame], lat: float, lon: float) -> tuple[str, int] | None:
    """The overlay point at a clicked marker position (exact to 1e-6°), else a polygon containing it."""
    import shapely

    pt = shapely.Point(lon, lat)
    for name, gdf in overlays.items():
        for i, geom in enumerate(gdf.geometry):
            if geom.geom_type == "Point" and abs(geom.y - lat) < 1e-6 and abs(geom.x - lon) < 1e-6:
                return name, i
    for name, gdf in overlays.items():
        for i, geom in enumerate(gdf.geometry):
            if geom.geom_type != "Point" and shapely.get_dimensions(geom) == 2 and geom.covers(pt):
                return name, i
    return None


def overlay_details(name: str, gdf: gpd.GeoDataFrame, i: int) -> tuple[str, list[tuple[str, str]], tuple[float, float]]:
    """Title, property rows and a representative (lat, lon) of one overlay feature."""
    row = gdf.iloc[i]
    geom = row[gdf.geometry.name]
    props = [(str(k), str(v)) for k, v in row.drop(labels=[gdf.geometry.name]).items() if v not in (None, "")]
    title = dict(props).get("name") or dict(props).get("title") or f"{name} #{i + 1}"
    c = geom if geom.geom_type == "Point" else geom.representative_point()
    return title, props, (c.y, c.x)
