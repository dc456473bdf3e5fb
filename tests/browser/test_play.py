"""Time as a movie on the Map page, in Chromium: Play steps the as-of date; five steps show five
different dates in the map's legend and in the URL, in the same map frame (no reload) at the same
zoom; Pause leaves a URL that opens on that frame."""

from __future__ import annotations

import datetime as dt
import re

from alliance_atlas.data import loading, schema
from alliance_atlas.renderers import movie

from .conftest import leaflet

START = "/?date=1995-03-01&zoom=5&lat=45&lon=50"
# record every date the URL and the map's legend show (in the page and in the map's own window:
# the map's recorder survives only if its frame is never reloaded)
URL_RECORDER = """() => { window.__urls = []; setInterval(() => { const m = location.search.match(/date=([0-9-]+)/);
  if (m && window.__urls[window.__urls.length - 1] !== m[1]) { window.__urls.push(m[1]); } }, 25); }"""
LEGEND_RECORDER = """() => { window.__legends = []; setInterval(() => {
  const t = document.querySelector('.atlas-legend-title'), m = t && t.innerText.match(/as of ([0-9-]+)/);
  if (m && window.__legends[window.__legends.length - 1] !== m[1]) { window.__legends.push(m[1]); } }, 25); }"""


def test_play_steps_the_date_in_place(page, app_url):
    page.goto(app_url + START)
    lf = leaflet(page)
    lf.wait_for_function("() => window.map.getZoom() === 5", timeout=30_000)
    page.wait_for_function(
        "() => (document.querySelector('.atlas-legend-title') || {}).innerText"
        " && document.querySelector('.atlas-legend-title').innerText.includes('1995-03-01')",
        timeout=30_000,
    )
    page.locator("iframe[title='streamlit_folium.st_folium']").evaluate("e => { e.dataset.atlasMark = 'kept'; }")
    page.evaluate(URL_RECORDER)
    page.evaluate(LEGEND_RECORDER)  # the legend beside the map (the scene's, page side)
    page.locator(".st-key-atlas_play_btn button").first.click()
    page.wait_for_function("() => window.__legends.length >= 6", timeout=60_000)  # the first date + five steps
    page.locator(".st-key-atlas_play_btn button").first.click()  # pause
    page.locator(".st-key-atlas_play_btn button", has_text="Play").first.wait_for(timeout=30_000)
    legends = page.evaluate("() => window.__legends")
    frames = movie.frames(loading.load(), "year", schema.EARLIEST, dt.date.today())
    shown = [dt.date.fromisoformat(d) for d in legends]
    assert shown[0] == dt.date(1995, 3, 1)
    assert shown[1:6] == [d for d in frames if d > dt.date(1995, 3, 1)][:5], legends
    # settled: the URL and the legend agree on the paused frame
    paused = None
    for _ in range(100):
        url_day = re.search(r"date=([0-9-]+)", page.url).group(1)
        legend_day = page.evaluate("() => window.__legends[window.__legends.length - 1]")
        if url_day == legend_day:
            paused = url_day
            break
        page.wait_for_timeout(100)
    assert paused is not None, (page.url, legends)
    urls = page.evaluate("() => window.__urls")
    assert set(legends[1:6]) <= set(urls), (urls, legends)
    # the same map frame, never reloaded, at the reader's zoom
    assert page.locator("iframe[title='streamlit_folium.st_folium']").evaluate("e => e.dataset.atlasMark") == "kept"
    assert page.evaluate("() => window.__legends.length") >= 6
    assert lf.evaluate("() => window.map.getZoom()") == 5
    # the paused URL is a link to that frame
    other = page.context.new_page()
    other.goto(page.url)
    leaflet(other)  # the map is drawn
    other.wait_for_function(
        "d => { const t = document.querySelector('.atlas-legend-title');"
        " return t && t.innerText.includes('as of ' + d); }",
        arg=paused,
        timeout=60_000,
    )
    other.close()
