"""The layer builder: what each layer contains for a date and filters (assert on the JSON
the browser receives, no browser needed)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from alliance_atlas.analysis import geo
from alliance_atlas.cartography import popups, scene, style
from alliance_atlas.data import asof, loading, schema
from alliance_atlas.renderers import leaflet_layers, leaflet_map, leaflet_view

D = dt.date


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def features_of(group) -> list[dict]:
    """The GeoJSON features a states/territories group draws."""
    els = [c for c in group._children.values() if isinstance(c, leaflet_map.Features)]
    assert len(els) == 1
    return resolved(json.loads(els[0].data.replace("<\\/", "</")))


def resolved(fc: dict) -> list[dict]:
    """The features with each style index (``_s``) replaced by its entry in the ``styles`` table."""
    for f in fc["features"]:
        if isinstance(f["properties"].get("_s"), int):
            f["properties"]["_s"] = fc["styles"][f["properties"]["_s"]]
    return fc["features"]


def markers_of(group) -> list[dict]:
    found = []

    def walk(el):
        for c in el._children.values():
            if isinstance(c, leaflet_layers.Markers):
                found.extend(json.loads(c.data.replace("<\\/", "</")))
            walk(c)

    walk(group)
    return found


def coloured(features, org) -> set[str]:
    return {f["properties"]["id"] for f in features if f["properties"]["_s"]["fillColor"] == style.org_colour(org)}


def test_csto_in_2000(shipped):
    feats = features_of(leaflet_layers.states_layer(shipped, D(2000, 1, 1), ("CSTO",)))
    got = coloured(feats, "CSTO")
    assert got == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}
    assert not {"AZE", "GEO", "UZB"} & got


def test_frozen_status_looks_different_from_member(shipped):
    feats = {
        f["properties"]["id"]: f["properties"]["_s"]
        for f in features_of(leaflet_layers.states_layer(shipped, D(2025, 1, 1), ("CSTO",)))
    }
    assert feats["ARM"]["fillColor"] == feats["RUS"]["fillColor"]
    assert feats["ARM"]["dashArray"] != feats["RUS"]["dashArray"]
    assert feats["ARM"]["fillOpacity"] < feats["RUS"]["fillOpacity"]


def test_two_alliances_are_both_readable(shipped):
    group = leaflet_layers.states_layer(shipped, D(2008, 1, 1), ("CSTO", "EAEU", "CIS"))
    feats = {f["properties"]["id"]: f["properties"] for f in features_of(group)}
    assert "pat" in feats["ARM"]["_s"]  # CSTO + CIS: stripes
    assert "CSTO" in feats["ARM"]["_t"] and "CIS" in feats["ARM"]["_t"]
    assert "pat" not in feats["GEO"]["_s"] and feats["GEO"]["_s"]["fillColor"] == style.org_colour("CIS")


def test_region_filter_leaves_every_state_drawn_in_its_colours(shipped):
    # with South Caucasus chosen, Russia and Kazakhstan had vanished (blank land on the Armenia slides,
    # read as "not in the CSTO"), while Turkey stayed
    view = schema.Filters(date=D(2010, 1, 1), alliances=("CSTO",), regions=("south-caucasus",))
    group = next(g for g in leaflet_view.build(shipped, view).groups if g.layer_name == "States by alliance")
    feats = features_of(group)
    assert {"ARM", "AZE", "GEO", "RUS", "KAZ", "TUR"} <= {f["properties"]["id"] for f in feats}
    assert {"ARM", "RUS", "KAZ"} <= coloured(feats, "CSTO")


def test_territories_honour_the_date(shipped):
    before = {f["properties"]["id"] for f in features_of(leaflet_layers.territories_layer(shipped, D(2013, 1, 1)))}
    after = {f["properties"]["id"] for f in features_of(leaflet_layers.territories_layer(shipped, D(2025, 1, 1)))}
    assert "crimea" not in before and "crimea" in after
    assert "nagorno-karabakh" in before and "nagorno-karabakh" not in after
    assert "kaliningrad" in before and "kaliningrad" in after


def test_installations_by_date_and_historic(shipped):
    rus, nato, _ = leaflet_layers.installations_layers(shipped, D(2010, 1, 1))
    ids = {m["id"] for m in markers_of(rus)}
    assert "gyumri-102nd-base" in ids
    assert not markers_of(nato)  # eFP started in 2017
    _, nato, _ = leaflet_layers.installations_layers(shipped, D(2020, 1, 1))
    assert len(markers_of(nato)) == 4
    rus_hist, _, inst = leaflet_layers.installations_layers(shipped, D(2020, 1, 1), show_historic=True)
    closed = set(inst[inst["phase"] != "active"]["id"])
    assert closed and closed <= {m["id"] for m in markers_of(rus_hist)} | set(inst[inst["operator"] == "NATO"]["id"])


def test_default_view_payload_is_small(shipped):
    """The JSON the browser gets for the Map page's default view (legend beside the map), re-sent whole by
    streamlit-folium on every rerun, stays under 60 KB (issue 15.7; issue 14's budget is 150 KB): land, place
    names and outlines are static files (served.py). It was 307 KB with them inline."""
    m = leaflet_map.base_map(shipped)
    for g in leaflet_view.build(shipped, schema.Filters(date=D(2026, 11, 25)), legend_on_map=False).groups:
        g.add_to(m)
    html = m.get_root().render()
    scripts = "".join(re.findall(r"<script>(.*?)</script>", html, flags=re.S))
    assert len(scripts.encode()) < 60_000


def test_range_ring_is_geodesic():
    from pyproj import Geod

    ring = geo.ring(54.7, 20.5, 300)
    g = Geod(ellps="WGS84")
    for lat, lon in ring[::16]:
        assert abs(g.inv(20.5, 54.7, lon, lat)[2] / 1000 - 300) < 0.5


def test_no_cdn_in_rendered_map(shipped):
    html = leaflet_view.full_map(shipped, schema.Filters(date=D(2026, 11, 25))).get_root().render()
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assets = [s for s in srcs if s.endswith((".js", ".css"))]
    assert assets and all(s.startswith(("/app/static/vendor/", "/app/static/atlas/")) for s in assets)


def test_web_legend_uses_plain_words_not_ids(shipped):
    atlas = shipped
    built = leaflet_view.build(atlas, schema.Filters(date=dt.date(2015, 1, 1), alliances=("CSTO", "RUS_BILATERAL")))
    name = atlas.organizations.set_index("id").loc["RUS_BILATERAL", "name"]
    assert name in html.unescape(built.legend_html) and "RUS_BILATERAL" not in built.legend_html
    assert "Active on this date" in built.legend_html and ">active<" not in built.legend_html


def test_each_territory_status_has_its_own_hatch_on_map_legend_and_print(shipped):
    looks = {s: (v["angle"], v["weight"], v["space"]) for s, v in style.TERRITORY_LOOK.items()}
    assert len(set(looks.values())) == len(looks) == len(schema.TERRITORY_STATUSES)
    assert len({v["hatch"] for v in style.TERRITORY_LOOK.values()}) == len(looks)
    fg = leaflet_layers.territories_layer(shipped, D(2026, 11, 25))
    from folium.plugins import StripePattern

    pats = [c for c in fg._children.values() if isinstance(c, StripePattern)]
    # SVG turns clockwise, the scene's angle counter-clockwise (tests/unit/test_scene.py: same way everywhere)
    assert {(-p.options["angle"], p.options["weight"], p.options["space_weight"]) for p in pats} <= set(looks.values())
    built = leaflet_view.build(shipped, schema.Filters(date=D(2026, 11, 25)))
    legend = built.legend_html
    for status in set(asof.territories_on(shipped, D(2026, 11, 25))["status"]):
        look = scene.territory_look(status)
        assert popups.swatch_html(scene.Entry("x", look)) in legend, status
        assert f"{-look.pattern.angle}deg,{look.pattern.colour} 0 {look.pattern.weight}px" in legend


def test_fine_outlines_are_named_by_content_and_cover_the_drawn_states(shipped):
    """data/geo holds one fine outline per drawn state and per contested territory (issue 14), named
    <ISO3 or territory id>-<sha256[:10]> of its bytes, finer than the light outline and close to it."""
    import hashlib

    import shapely
    from shapely.geometry import shape

    from alliance_atlas.renderers import assets

    files = assets.fine_files()
    light = leaflet_map.geometry(shipped).states | leaflet_map.geometry(shipped).territories
    assert set(files) == set(light) == set(shipped.states["iso3"]) | set(shipped.territories["id"])
    for iso, rel in files.items():
        text = (assets.FINE_SOURCE / rel.split("/", 1)[1]).read_bytes()
        assert rel.endswith(f"{iso}-{hashlib.sha256(text).hexdigest()[:10]}.json")
        fine, coarse = shape(json.loads(text)), shape(light[iso])
        assert shapely.get_num_coordinates(fine) > shapely.get_num_coordinates(coarse)
        assert fine.intersection(coarse).area > 0.8 * coarse.area, iso


def test_fine_outlines_only_when_served_and_never_in_standalone(shipped, tmp_path, monkeypatch):
    from alliance_atlas.renderers import assets

    monkeypatch.setattr(assets, "STATIC_DIR", tmp_path)
    # nothing installed: light outlines only
    assert not any(isinstance(c, leaflet_map.FineBorders) for c in leaflet_map.base_map(shipped)._children.values())
    rel = assets.fine_files()["ARM"]
    (tmp_path / "geo").mkdir()
    (tmp_path / rel).write_bytes((assets.FINE_SOURCE / rel.split("/", 1)[1]).read_bytes())
    html_ = leaflet_map.base_map(shipped, prefix="/atlas/app/static/").get_root().render()
    digest = rel.rsplit("-", 1)[1].removesuffix(".json")
    assert '"/atlas/app/static/geo/"' in html_ and f'{{"ARM":"{digest}"}}' in html_
    f = schema.Filters(date=D(2026, 11, 25))
    assert "static/geo/" not in leaflet_view.full_map(shipped, f, fine=False).get_root().render()
    assert "static/geo/" in leaflet_view.full_map(shipped, f).get_root().render()
