"""Compare in Chromium: the two maps move together and open on the area of the listed changes;
the legends sit beside the maps; the heading counts exactly the changes listed."""

from __future__ import annotations

import datetime as dt
import re

from alliance_atlas.analysis import changes
from alliance_atlas.data import loading

FRAMES = "iframe[title='streamlit_folium.st_folium']"
URL = "/compare?from=2005-01-01&to=2015-01-01&alliance=CSTO"


def _maps(page):
    page.wait_for_function(f'() => document.querySelectorAll("{FRAMES}").length === 2', timeout=60_000)
    for _ in range(200):  # the iframes exist before their documents load
        frames = [f for f in page.frames if "st_folium" in f.url]
        if len(frames) == 2:
            break
        page.wait_for_timeout(100)
    assert len(frames) == 2
    for fr in frames:
        fr.wait_for_function("() => window.map && window.map.getZoom && window.atlasSyncMap", timeout=60_000)
    return frames


FITTED = (
    "b => { const v = window.map.getBounds(); return v.getSouth() <= b[0] + 1e-6 && v.getWest() <= b[1] + 1e-6"
    " && v.getNorth() >= b[2] - 1e-6 && v.getEast() >= b[3] - 1e-6"
    # fitted, not merely inside a wide view: the largest zoom at which the area fits (FitBounds pads 12 px)
    " && window.map.getZoom() >= window.map.getBoundsZoom(L.latLngBounds([[b[0], b[1]], [b[2], b[3]]]),"
    " false, L.point(24, 24)); }"
)


def _area():
    atlas = loading.load()
    found = changes.listed(atlas, dt.date(2005, 1, 1), dt.date(2015, 1, 1), changes.KINDS, ("CSTO",))
    (s, w), (n, e) = changes.bounds(atlas, found)
    return found, [s, w, n, e]


def _view(fr):
    return fr.evaluate("() => { const c = window.map.getCenter(); return [window.map.getZoom(), c.lat, c.lng]; }")


def test_zooming_one_map_moves_the_other(page, app_url):
    page.goto(app_url + URL)
    a, b = _maps(page)
    _found, area = _area()
    for fr in (a, b):  # both have made their opening fit: what follows is the reader's
        fr.wait_for_function(FITTED, arg=area, timeout=20_000)
    start = _view(b)
    # zoom the first map in by two and pan it, as a reader would (the wheel/buttons end in setView)
    a.evaluate("() => window.map.setView([41.0, 45.0], window.map.getZoom() + 2, {animate: false})")
    b.wait_for_function("z => window.map.getZoom() === z", arg=start[0] + 2, timeout=10_000)
    zb, lat, lon = _view(b)
    assert abs(lat - 41.0) < 0.01 and abs(lon - 45.0) < 0.01, (lat, lon)
    # and back the other way: a drag of the second map moves the first
    b.evaluate("() => window.map.panBy([120, 0], {animate: false})")
    a.wait_for_function(
        "lng => Math.abs(window.map.getCenter().lng - lng) < 1e-6",
        arg=b.evaluate("() => window.map.getCenter().lng"),
        timeout=10_000,
    )
    page.frame_locator(FRAMES).first.locator(".leaflet-control-zoom-in").click()  # the first map's own button
    a.wait_for_function("z => window.map.getZoom() === z", arg=start[0] + 3, timeout=10_000)
    b.wait_for_function("z => window.map.getZoom() === z", arg=start[0] + 3, timeout=10_000)


def test_maps_open_on_the_changes_and_the_heading_counts_the_list(page, app_url):
    found, area = _area()
    page.goto(app_url + URL)
    frames = _maps(page)
    for fr in frames:  # each map shows the whole area of the changes (after its final fit)
        fr.wait_for_function(FITTED, arg=area, timeout=20_000)
    heading = page.get_by_role("heading", name=re.compile(r"change\(s\) between")).inner_text()
    count = int(heading.split()[0])
    items = page.locator("[data-testid=stMarkdownContainer] li").filter(has_text=re.compile(r"^\d{4}-\d\d-\d\d"))
    assert count == len(found) == items.count(), (count, len(found), items.count())
    # the legends are beside the maps, not over them
    legends = page.locator(".st-key-cmp_legends .atlas-legend")
    assert legends.count() == 2
    maps = page.locator(FRAMES)
    right_edge = max(maps.nth(i).bounding_box()["x"] + maps.nth(i).bounding_box()["width"] for i in range(2))
    assert legends.first.bounding_box()["x"] >= right_edge - 1
    for i in range(2):
        assert page.frame_locator(FRAMES).nth(i).locator(".atlas-legend").count() == 0


def test_a_link_copied_after_zooming_reopens_the_same_view(page, app_url):
    # the maps kept their position only in the browser: a copied link reopened fitted to the changes
    page.goto(app_url + URL)
    a, b = _maps(page)
    _found, area = _area()
    a.wait_for_function(FITTED, arg=area, timeout=20_000)
    a.evaluate("() => window.map.setView([50.45, 30.52], 6, {animate: false})")  # Kyiv, zoom 6
    page.wait_for_function("() => location.search.includes('cview=50.4500%2C30.5200%2C6')", timeout=10_000)
    link = page.url
    again = page.context.new_page()
    again.goto(link)
    for fr in _maps(again):  # the same view, to within a pixel (Leaflet rounds the frame's centre)
        fr.wait_for_function(
            "() => window.map.getZoom() === 6 && window.map.project(window.map.getCenter())"
            ".distanceTo(window.map.project(L.latLng(50.45, 30.52))) <= 1",
            timeout=20_000,
        )
    # and the Map page's own position (lat/lon/zoom) is not taken over by Compare's
    assert "zoom=6" not in link.replace("cview=50.4500%2C30.5200%2C6", "")
    again.close()


def test_a_date_typed_with_enter_applies(page, app_url):
    # st.date_input applied a typed date only when focus left it: Enter left the old comparison on screen
    page.goto(app_url + URL)
    _maps(page)
    box = page.get_by_role("textbox", name="To (YYYY-MM-DD)")
    box.fill("2005-06-01")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('to=2005-06-01')", timeout=30_000)
    found = changes.listed(loading.load(), dt.date(2005, 1, 1), dt.date(2005, 6, 1), changes.KINDS, ("CSTO",))
    page.get_by_role(
        "heading", name=re.compile(rf"^{len(found)} change\(s\) between 2005-01-01 and 2005-06-01")
    ).wait_for(timeout=30_000)
    box.fill("2005-13-45")
    box.press("Enter")
    page.get_by_text("Ignored To=2005-13-45").wait_for(timeout=30_000)  # a clear message; the last good date stays
    assert "to=2005-06-01" in page.url
