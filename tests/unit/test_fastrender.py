"""Rendered map text is not run through Jinja a second time (alliance_atlas/renderers/fastrender.py): data that looks
like a template stays text, and a rerun compiles no template."""

from __future__ import annotations

import datetime as dt

import folium
import jinja2

from alliance_atlas.cartography import display
from alliance_atlas.data import loading, schema
from alliance_atlas.renderers import leaflet_map, leaflet_overlays, leaflet_view


def test_template_syntax_in_data_is_drawn_as_text():
    m = folium.Map(tiles=None)
    fg = folium.FeatureGroup(name="x").add_to(m)
    tip = "{{ 7*7 }} {% if true %}JINJA{% endif %} {# c #}"
    leaflet_map.Features(
        display.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": None, "properties": {"_t": tip}}],
            }
        )
    ).add_to(fg)
    html = m.get_root().render()
    # evaluated, the tip would read "49 JINJA " (a bare "49" may occur in element ids, which count up)
    assert tip in html and "49 JINJA" not in html


def test_an_uploaded_overlay_property_is_not_evaluated_on_the_server():
    import geopandas as gpd
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame({"name": ["{{ ''.__class__.__name__ }}"]}, geometry=[Point(44.5, 40.2)], crs=4326)
    m = folium.Map(tiles=None)
    leaflet_overlays.overlay_layer("up", gdf, "#ff0000").add_to(m)
    html = m.get_root().render()
    assert "{{ ''.__class__.__name__ }}" in html.replace("&#x27;", "'").replace("&#39;", "'")
    assert ">str<" not in html and '"str"' not in html


def test_a_map_rerun_compiles_no_template(monkeypatch):
    atlas = loading.load()
    f = schema.Filters(date=dt.date(2026, 11, 25))
    leaflet_map.base_map(atlas).get_root().render()  # first build: caches, imports
    compiled = []
    real = jinja2.Environment.from_string
    monkeypatch.setattr(
        jinja2.Environment, "from_string", lambda self, *a, **k: compiled.append(1) or real(self, *a, **k)
    )
    m = leaflet_map.base_map(atlas)
    for g in leaflet_view.build(atlas, f, legend_on_map=False).groups:
        g.add_to(m)
    m.get_root().render()
    assert compiled == []
