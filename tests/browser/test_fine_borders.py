"""Borders that hold from zoom 6 (issue 14): at zoom 8 over Armenia the states layer draws Armenia's
fine outline (fetched from static/geo, only for the states in view), and the light one again below zoom 6."""

from __future__ import annotations

import shapely
from shapely.geometry import shape

from alliance_atlas.data import loading
from alliance_atlas.renderers import leaflet_map

from .conftest import leaflet

# Armenia's layer: fine or not, vertices it holds, points of its drawn SVG path (clipped to the view)
ARM = """() => { let a = null; window.map.eachLayer(l => { if (l._atlasState && l.feature
  && l.feature.properties.id === 'ARM') { a = l; } });
  if (!a || !a._path) { return null; }
  const d = a._path.getAttribute('d') || '';
  return {fine: !!a._atlasFine, vertices: a.getLatLngs().flat(3).length, drawn: (d.match(/[ML]/g) || []).length}; }"""

GO = """([c, z]) => new Promise(done => { window.map.once('moveend', () => requestAnimationFrame(() => done(1)));
  window.map.setView(c, z, {animate: false}); })"""


def test_fine_armenia_from_zoom_6(page, app_url):
    arm = shape(leaflet_map.geometry(loading.load(loading.data_dir())).states["ARM"])
    # today's light outline, as Leaflet holds it (without each ring's closing point)
    light = shapely.get_num_coordinates(arm) - sum(1 + len(p.interiors) for p in shapely.get_parts(arm))
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/app/static/geo/" in r.url else None)
    page.goto(f"{app_url}/?lat=40.2&lon=44.8&zoom=5")
    frame = leaflet(page)
    frame.wait_for_function("() => (" + ARM + ")() !== null", timeout=30_000)
    at5 = frame.evaluate(ARM)
    assert not at5["fine"] and at5["vertices"] == light, at5
    assert not fetched, f"fine outlines fetched below zoom 6: {fetched}"

    frame.evaluate(GO, [[40.2, 44.8], 8])
    # the app's first reruns may still re-apply the link's zoom 5 just after the page opens: zoom again then
    frame.wait_for_function(
        "() => { if (window.map.getZoom() !== 8) { window.map.setView([40.2, 44.8], 8, {animate: false}); }"
        " const a = (" + ARM + ")(); return a && a.fine; }",
        timeout=60_000,
    )
    at8 = frame.evaluate(ARM)
    assert at8["vertices"] >= 5 * light, (at8, light)
    assert at8["drawn"] >= 50, at8
    names = {u.rsplit("/", 1)[1].split("-", 1)[0] for u in fetched}
    assert "ARM" in names and not names & {"PRT", "ISL", "GBR", "NOR", "CHN"}, names  # only what is in view

    frame.evaluate(GO, [[40.2, 44.8], 5])
    frame.wait_for_function("() => { const a = (" + ARM + ")(); return a && !a.fine; }", timeout=30_000)
    assert frame.evaluate(ARM)["vertices"] == light


# a layer with fine outlines, by id: fine or not, and its vertices (lat/lon rounded as in the files)
LAYER = """id => { let a = null; window.map.eachLayer(l => { if (l._atlasState && l.feature
  && l.feature.properties.id === id && l._path) { a = l; } });
  if (!a) { return null; }
  return {fine: !!a._atlasFine, vertices: a.getLatLngs().flat(3).map(p => p.lat.toFixed(3) + ',' + p.lng.toFixed(3))}; }"""


def test_abkhazia_and_south_ossetia_fine_at_zoom_8(page, app_url):
    """At zoom 8 the contested territories are drawn with fine outlines too, on the same line as
    Georgia's fine outline, and light again at zoom 5."""
    atlas = loading.load(loading.data_dir())
    terr = atlas.territories.set_index("id")
    light = {
        t: shapely.get_num_coordinates(shape(leaflet_map.geometry(atlas).territories[t]))
        for t in ("abkhazia", "south-ossetia")
    }
    centre = terr.loc["south-ossetia", "geometry"].union(terr.loc["abkhazia", "geometry"]).centroid
    page.goto(f"{app_url}/?lat={centre.y:.3f}&lon={centre.x:.3f}&zoom=5")
    frame = leaflet(page)
    frame.wait_for_function("id => (" + LAYER + ")(id) !== null", arg="abkhazia", timeout=30_000)
    assert not frame.evaluate(LAYER, "abkhazia")["fine"]

    frame.evaluate(GO, [[centre.y, centre.x], 8])
    zoom8 = (
        "ids => { if (window.map.getZoom() !== 8) { window.map.setView(%s, 8, {animate: false}); }"
        " return ids.every(id => { const a = (" + LAYER + ")(id); return a && a.fine; }); }"
    ) % [centre.y, centre.x]
    frame.wait_for_function(zoom8, arg=["abkhazia", "south-ossetia", "GEO"], timeout=60_000)
    geo = set(frame.evaluate(LAYER, "GEO")["vertices"])
    for t in ("abkhazia", "south-ossetia"):
        drawn = frame.evaluate(LAYER, t)["vertices"]
        assert len(drawn) > light[t], (t, len(drawn), light[t])
        # where it meets Russia (and, for Abkhazia, the sea) its line is Georgia's: the same vertices
        # (104 of Abkhazia's 141 and 8 of South Ossetia's 46 here; 1 and 0 of the light outlines')
        shared = sum(v in geo for v in drawn)
        assert shared >= 5, (t, shared, len(drawn))

    frame.evaluate(GO, [[centre.y, centre.x], 5])
    frame.wait_for_function(
        "id => { const a = (" + LAYER + ")(id); return a && !a.fine; }", arg="abkhazia", timeout=30_000
    )
