"""Issue 13 in Chromium: the sidebar controls (alliance pills, regions, search, date) and the URL,
each checked against what the map then shows (coloured states against the domain, the map's
centre and bounds, the page URL)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from alliance_atlas.analysis import geo
from alliance_atlas.cartography import scene, style
from alliance_atlas.data import loading

from .conftest import leaflet

DAY = dt.date(2020, 1, 1)

#: iso3 of the states the map fills with an alliance colour (state features carry their style in _s)
COLOURED = """() => { const out = new Set();
  window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
    if (p && p._s && /^[A-Z]{3}$/.test(p.id) && p._s.fillColor && p._s.fillColor.toUpperCase() !== '#FFFFFF') out.add(p.id); });
  return Array.from(out).sort(); }"""


@pytest.fixture(scope="module")
def atlas():
    return loading.load(loading.data_dir())


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def pill(page, label: str):
    return sidebar(page).get_by_test_id("stButtonGroup").get_by_role("button", name=label, exact=True)


def pressed(page) -> list[str]:
    return sorted(sidebar(page).locator("button[aria-pressed='true']").all_inner_texts())


def params(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query, keep_blank_values=True).items()}


def wait_coloured(lf, expected: list[str]) -> None:
    """Wait until the map fills exactly ``expected`` (a rerun redraws the layers asynchronously)."""
    lf.wait_for_function(
        f"(want) => JSON.stringify(({COLOURED})()) === JSON.stringify(want)", arg=expected, timeout=30_000
    )


def test_nato_pill_selects_only_nato_and_the_map_colours_its_members(page, app_url, atlas):
    page.goto(f"{app_url}/?date={DAY}&alliance=")
    lf = leaflet(page)
    wait_coloured(lf, [])
    pill(page, "NATO").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('alliance') === 'NATO'", timeout=30_000)
    assert pressed(page) == ["NATO"]
    expected = sorted(scene.held_by_state(atlas, DAY, ("NATO",)))
    assert len(expected) > 20 and "EST" in expected
    wait_coloured(lf, expected)


def test_long_names_are_short_pills_with_the_full_name_in_the_caption(page, app_url):
    page.goto(f"{app_url}/?date={DAY}&alliance=CIS_JADS")
    leaflet(page)
    assert pressed(page) == ["CIS air defence"]
    assert pill(page, "Bilateral w/ Russia").count() == 1 and pill(page, "Union State").count() == 1
    sidebar(page).get_by_text("Joint Air Defence System of the CIS member states").wait_for(timeout=10_000)


def test_empty_selection_is_a_visible_state(page, app_url):
    page.goto(f"{app_url}/?date={DAY}&alliance=CSTO")
    lf = leaflet(page)
    pill(page, "CSTO").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('alliance') === ''", timeout=30_000)
    sidebar(page).get_by_text("No alliance selected").wait_for(timeout=10_000)
    wait_coloured(lf, [])
    metrics = page.get_by_test_id("stMetric")
    metrics.first.get_by_test_id("stMetricValue").filter(has_text="—").wait_for(timeout=10_000)
    # installations and personnel do not depend on the alliances: they keep their numbers
    for i in (1, 2):
        value = metrics.nth(i).get_by_test_id("stMetricValue").inner_text().replace(",", "")
        assert value.isdigit(), value


def map_view(lf) -> tuple[float, float, int]:
    c = lf.evaluate("() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }")
    return c[0], c[1], c[2]


def url_matches_map(page, lf) -> None:
    """lat/lon/zoom in the page URL are the map's own view: the same zoom, the centre within 2 screen
    pixels (Leaflet's centre of a frame with an odd or fractional width is half a pixel off the
    centre it was set to, without any move)."""
    lf.wait_for_function(
        "() => { const q = new URLSearchParams(window.parent.location.search);"
        " if (!q.get('lat') || !q.get('lon') || q.get('zoom') !== String(window.map.getZoom())) return false;"
        " const a = window.map.project(window.map.getCenter()), b = window.map.project([+q.get('lat'), +q.get('lon')]);"
        " return Math.abs(a.x - b.x) <= 2 && Math.abs(a.y - b.y) <= 2; }",
        timeout=20_000,
    )


def test_url_stays_complete_after_a_chip_is_removed_and_reopens_the_view(page, app_url, atlas):
    page.goto(f"{app_url}/?date=2003-06-01")
    lf = leaflet(page)
    zoom0 = lf.evaluate("() => window.map.getZoom()")
    lf.locator(".leaflet-control-zoom-in").click()
    lf.wait_for_function("(z) => window.map.getZoom() === z + 1", arg=zoom0, timeout=20_000)
    url_matches_map(page, lf)
    pill(page, "CSTO").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('alliance') === ''", timeout=30_000)
    wait_coloured(lf, [])
    url_matches_map(page, lf)  # the rewrite after the change kept the map's view
    got = params(page)
    assert got["date"] == "2003-06-01" and got["zoom"] == str(zoom0 + 1)
    lat, lon, zoom = map_view(lf)
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)  # a fresh load of the shared link: a new session, the same view
    lf2 = leaflet(page)
    lf2.wait_for_function("(z) => window.map.getZoom() === z", arg=zoom, timeout=30_000)
    lat2, lon2, _ = map_view(lf2)
    assert abs(lat2 - lat) < 1e-3 and abs(lon2 - lon) < 1e-3
    assert pressed(page) == []
    wait_coloured(lf2, [])


def test_choosing_a_region_fits_the_map_to_it(page, app_url, atlas):
    page.goto(f"{app_url}/?date={DAY}&lat=57.5&lon=24.5&zoom=6")  # the map on the Baltic
    lf = leaflet(page)
    lf.wait_for_function("() => window.map.getZoom() === 6", timeout=30_000)
    w, s, e, n = atlas.states[atlas.states["region"] == "south-caucasus"].total_bounds  # straight from the data
    box = sidebar(page).get_by_test_id("stMultiSelect").filter(has_text="Regions")
    box.get_by_role("combobox").click()
    page.get_by_role("option", name="South Caucasus").click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('region') === 'south-caucasus'", timeout=30_000
    )
    # the region lies inside the map, and the map is as close as it can be while showing all of it
    # (Leaflet's own zoom for these bounds with the 12 px padding the fit uses)
    lf.wait_for_function(
        "([s, w, n, e]) => { const r = L.latLngBounds([[s, w], [n, e]]);"
        " return window.map.getBounds().contains(r) && window.map.getBoundsZoom(r, false, L.point(24, 24)) === window.map.getZoom(); }",
        arg=[float(s), float(w), float(n), float(e)],
        timeout=30_000,
    )
    c = lf.evaluate("() => window.map.getCenter()")
    assert s < c["lat"] < n and w < c["lng"] < e
    url_matches_map(page, lf)


HIGHLIGHTED = """() => { const out = [];
  window.map.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.color === HL && l.options.radius === 17) {
    const c = l.getLatLng(); out.push([c.lat, c.lng]); } });
  return out; }"""


def search(page, text: str) -> None:
    box = sidebar(page).get_by_test_id("stTextInput").filter(has_text="Search").locator("input")
    box.fill(text)
    box.press("Enter")


@pytest.mark.parametrize("query", ["Gyumri", "Гюмри"])
def test_search_enter_selects_the_base_centres_and_highlights_it_keeping_the_date(page, app_url, atlas, query):
    page.goto(f"{app_url}/?date={DAY}&lat=57.5&lon=24.5&zoom=6")
    lf = leaflet(page)
    lf.wait_for_function("() => window.map.getZoom() === 6", timeout=30_000)
    search(page, query)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('select') === 'gyumri-102nd-base'", timeout=30_000
    )
    row = atlas.installations.set_index("id").loc["gyumri-102nd-base"]
    lat, lon = float(row["lat"]), float(row["lon"])
    lf.wait_for_function(
        "([lat, lon]) => window.map.getZoom() >= 7 && window.map.getCenter().distanceTo([lat, lon]) < 20000",
        arg=[lat, lon],
        timeout=30_000,
    )
    mlat, mlon, _z = map_view(lf)
    assert geo.distance_km(mlat, mlon, lat, lon) <= 20  # on the ellipsoid, not only Leaflet's sphere
    hl = lf.evaluate(HIGHLIGHTED.replace("HL", f"'{style.HIGHLIGHT_COLOUR}'"))
    assert [[round(a, 4), round(b, 4)] for a, b in hl] == [[round(lat, 4), round(lon, 4)]]
    assert params(page)["date"] == DAY.isoformat()  # a place never moves the date
    page.get_by_text("102nd Military Base (Gyumri)").first.wait_for(timeout=20_000)
    url_matches_map(page, lf)


def test_search_for_an_event_sets_its_date_and_says_so(page, app_url):
    page.goto(f"{app_url}/?date={DAY}")
    leaflet(page)
    search(page, "Protocol extends the Russian base")
    page.wait_for_function("() => new URLSearchParams(location.search).get('date') === '2010-08-20'", timeout=30_000)
    sidebar(page).get_by_text("Date set to 2010-08-20 — the event's date", exact=False).wait_for(timeout=20_000)
    assert page.get_by_text("As of 2010-08-20", exact=False).count() >= 1


def date_field(page):
    return sidebar(page).get_by_test_id("stTextInput").filter(has_text="As of").locator("input")


def test_a_typed_date_applies_on_enter_and_the_year_slider_agrees(page, app_url, atlas):
    page.goto(f"{app_url}/?date=2003-06-01&alliance=CSTO")
    lf = leaflet(page)
    wait_coloured(lf, sorted(scene.held_by_state(atlas, dt.date(2003, 6, 1), ("CSTO",))))
    field = date_field(page)
    field.fill("2012-07-15")
    field.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('date') === '2012-07-15'", timeout=30_000)
    day = dt.date(2012, 7, 15)  # Uzbekistan suspended its CSTO membership on 2012-06-28: still coloured (suspended)
    wait_coloured(lf, sorted(scene.held_by_state(atlas, day, ("CSTO",))))
    slider = sidebar(page).get_by_test_id("stSlider")
    expect(slider.get_by_test_id("stSliderThumbValue")).to_have_text("2012", timeout=20_000)
    # the slider moves the field: one year on, same day
    slider.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('date') === '2013-07-15'", timeout=30_000)
    expect(field).to_have_value("2013-07-15", timeout=20_000)
    wait_coloured(lf, sorted(scene.held_by_state(atlas, dt.date(2013, 7, 15), ("CSTO",))))
    url_matches_map(page, lf)  # a date change keeps the map's view in the URL
    # a bad date: a clear message, the map and URL unchanged
    field.fill("2013-02-30")
    field.press("Enter")
    sidebar(page).get_by_text("is not a date", exact=False).wait_for(timeout=20_000)
    assert params(page)["date"] == "2013-07-15"
    assert page.get_by_test_id("stException").count() == 0


RING = f"""() => {{ const out = [];
  window.map.eachLayer(l => {{ if (l instanceof L.Polygon && l.options.color === '{style.RING_COLOUR}' && l.options.dashArray === '8 6') {{
    out.push(l.getLatLngs()[0].map(p => [p.lat, p.lng])); }} }});
  return out; }}"""


def test_one_distance_sizes_the_ring_and_the_within_table(page, app_url, atlas):
    row = atlas.installations.set_index("id").loc["gyumri-102nd-base"]
    lat, lon = float(row["lat"]), float(row["lon"])
    page.goto(f"{app_url}/?date={DAY}&select=gyumri-102nd-base&lat={lat}&lon={lon}&zoom=6")
    lf = leaflet(page)
    page.get_by_text("102nd Military Base (Gyumri)").first.wait_for(timeout=20_000)
    assert page.get_by_test_id("stNumberInput").count() == 1  # one distance setting on the page
    distance = page.get_by_test_id("stNumberInput").locator("input")
    distance.fill("150")
    distance.press("Enter")
    page.get_by_text("Draw it as a range ring").click()
    lf.wait_for_function(f"() => ({RING})().length === 1", timeout=30_000)
    ring = lf.evaluate(RING)[0]
    radii = [geo.distance_km(lat, lon, a, b) for a, b in ring]
    assert all(abs(r - 150) < 1.5 for r in radii), (min(radii), max(radii))
    within = page.get_by_test_id("stExpander").filter(has_text="Within 150 km of")
    within.wait_for(timeout=20_000)
    within.get_by_text("Within 150 km of").click()
    within.get_by_text("within 150 km", exact=False).first.wait_for(timeout=20_000)
    # the same setting changed once moves both
    distance.fill("400")
    distance.press("Enter")
    lf.wait_for_function(
        f"() => {{ const r = ({RING})(); return r.length === 1 && "
        f"window.map.distance([{lat}, {lon}], r[0][0]) > 390000; }}",
        timeout=30_000,
    )
    page.get_by_test_id("stExpander").filter(has_text="Within 400 km of").get_by_text(
        "within 400 km", exact=False
    ).first.wait_for(timeout=20_000)
