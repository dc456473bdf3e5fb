"""The Map page in headless Chromium (Debian's): draws offline, restores deep links, keeps the
zoom across filter changes, shows details with sources on click. The session-wide guard in
conftest fails any test during which a request left 127.0.0.1."""

from __future__ import annotations

import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import leaflet, map_frame

DEEP = "/?date=2000-01-01&alliance=CSTO&region=south-caucasus,central-asia&select=gyumri-102nd-base&lat=40.5&lon=44.5&zoom=7"


def visible_marker(frame, timeout: float = 15.0):
    """The first installation marker drawn inside the map's visible area and not covered by anything
    (legend, cluster, label), found by hit-testing its centre; polls while the map settles."""
    deadline = time.monotonic() + timeout
    find = """() => { const box = document.querySelector('.leaflet-container').getBoundingClientRect();
      const icons = Array.from(document.querySelectorAll('.leaflet-marker-icon')).filter(e => e.querySelector('.atlas-mk'));
      const ok = icons.map((e, i) => { const r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
        const hit = document.elementFromPoint(x, y);
        return [x > box.left + 40 && x < box.right - 40 && y > box.top + 40 && y < box.bottom - 40 && hit && e.contains(hit), y, i]; })
        .filter(c => c[0]).sort((a, b) => a[1] - b[1]);  // the topmost: furthest from the legend in the corner
      return [ok.length ? ok[0][2] : -1, JSON.stringify(icons.map(e => e.getBoundingClientRect().top))]; }"""
    last = None
    while time.monotonic() < deadline:
        i, where = frame.locator(".leaflet-container").evaluate(f"(_) => ({find})()")
        if i >= 0 and where == last:  # the markers have stopped moving (the map has settled)
            return frame.locator(".leaflet-marker-icon:has(.atlas-mk)").nth(i)
        last = where
        frame.locator("body").page.wait_for_timeout(250)
    raise AssertionError("no installation marker inside the visible map")


def test_map_draws_offline(page, app_url, offsite):
    page.goto(app_url + "/")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    shapes = frame.locator("path.leaflet-interactive").count()
    assert shapes >= 15 + 5, f"expected the 15 post-Soviet states and territories, got {shapes} shapes"
    assert frame.locator(".atlas-mk, .marker-cluster").count() > 0
    assert frame.locator(".atlas-legend").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator(".leaflet-control-fullscreen, .leaflet-control-zoom-fullscreen").count() >= 1
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert offsite.blocked == []


def test_deep_link_restores_the_view(page, app_url):
    page.goto(app_url + DEEP)
    lf = leaflet(page)
    lf.wait_for_function("() => window.map.getZoom() === 7", timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_test_id("stTextInput").filter(has_text="As of").locator("input").input_value() == "2000-01-01"
    chosen = " ".join(sidebar.locator("button[aria-pressed='true']").all_inner_texts())  # alliance pills
    assert "CSTO" in chosen
    regions = sidebar.get_by_test_id("stMultiSelect").first.inner_text()
    assert "South Caucasus" in regions and "Central Asia" in regions
    page.get_by_text("102nd Military Base (Gyumri)").first.wait_for(timeout=20_000)
    center = lf.evaluate("() => window.map.getCenter()")
    assert abs(center["lat"] - 40.5) < 0.2 and abs(center["lng"] - 44.5) < 0.2
    assert "select=gyumri-102nd-base" in page.url and "date=2000-01-01" in page.url


def test_clicking_a_marker_shows_details_and_sources(page, app_url):
    page.goto(app_url + "/?date=2020-01-01&zoom=7&lat=40.2&lon=44.4")
    frame = map_frame(page)
    leaflet(page).wait_for_function("() => window.map.getZoom() === 7", timeout=30_000)
    page.locator("iframe[title='streamlit_folium.st_folium']").evaluate("e => e.scrollIntoView({block: 'center'})")
    frame.locator(".atlas-legend").wait_for(timeout=30_000)  # the last layer: everything that may cover a marker is there
    for attempt in range(4):  # a rerun may swap the layers (legend included) between finding and clicking
        try:
            visible_marker(frame).click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
    panel = page.get_by_text("Sources", exact=True).first
    panel.wait_for(timeout=20_000)
    assert "select=" in page.url
    links = page.locator("[data-testid=stMarkdownContainer] a[href^='http']")
    assert links.count() >= 1


def test_filter_change_keeps_zoom_and_map(page, app_url):
    page.goto(app_url + "/?zoom=6&lat=41&lon=45")
    lf = leaflet(page)
    lf.wait_for_function("() => window.map.getZoom() === 6", timeout=30_000)
    lf.evaluate("() => { window.__atlasSentinel = 42; }")
    page.get_by_text("Show historic and planned installations").click()
    page.wait_for_function("() => location.search.includes('historic=1')", timeout=20_000)
    lf.wait_for_function("() => document.querySelectorAll('.atlas-mk.closed, .atlas-mk.withdrawn').length > 0",
                         timeout=30_000)
    assert lf.evaluate("() => window.__atlasSentinel") == 42, "the map iframe was rebuilt"
    assert lf.evaluate("() => window.map.getZoom()") == 6
