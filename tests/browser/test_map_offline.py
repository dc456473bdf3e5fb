"""The Map page in headless Chromium: Leaflet draws states, territories and installations,
and no request leaves 127.0.0.1 (the session-wide guard in conftest fails the test otherwise)."""

from __future__ import annotations

import time

from .conftest import leaflet, map_frame


def test_map_draws_offline(page, app_url, offsite):
    page.goto(app_url + "/")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    shapes = frame.locator("path.leaflet-interactive").count()
    assert shapes >= 15 + 5, f"expected the 15 post-Soviet states and territories, got {shapes} shapes"
    # installations are drawn (single markers or clusters of them)
    assert frame.locator(".atlas-mk, .marker-cluster").count() > 0
    assert frame.locator(".atlas-legend").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert offsite.blocked == []


def visible_marker(frame, timeout: float = 15.0):
    """The first installation marker drawn inside the map's visible area (polls while the
    map finishes its zoom animation)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        box = frame.locator(".leaflet-container").bounding_box()
        markers = frame.locator(".leaflet-marker-icon:has(.atlas-mk)")
        for i in range(markers.count()):
            b = markers.nth(i).bounding_box()
            inside_x = box["x"] + 40 < b["x"] < box["x"] + box["width"] - 320
            if b and inside_x and box["y"] + 40 < b["y"] < box["y"] + box["height"] - 40:
                return markers.nth(i)
        frame.locator("body").page.wait_for_timeout(250)
    raise AssertionError("no installation marker inside the visible map")


def test_clicking_a_marker_opens_its_sources(page, app_url):
    page.goto(app_url + "/?date=2020-01-01&zoom=7&lat=40.2&lon=44.4")
    frame = map_frame(page)
    leaflet(page).wait_for_function("() => window.map.getZoom() === 7", timeout=30_000)
    frame.locator(".atlas-mk").first.wait_for(timeout=30_000)
    visible_marker(frame).click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "Sources" in popup.inner_text()
    assert popup.locator("a[href^='http']").count() >= 1
