"""Briefing in Chromium: buttons and arrow keys move through slides without reloading the map;
a ?briefing=&slide= link opens that slide; the standalone HTML export draws from file:// offline."""

from __future__ import annotations

import datetime as dt

from alliance_atlas import io, schema, standalone

from .conftest import leaflet
from .harness import OffsiteGuard


def slide_no(page) -> str:
    return page.locator(".atlas-counter").inner_text()


def test_link_opens_slide_and_keys_move(page, app_url):
    page.goto(app_url + "/briefing?briefing=default&slide=3")
    page.locator(".atlas-counter").wait_for(timeout=60_000)
    assert slide_no(page).startswith("3 /")
    lf = leaflet(page)
    lf.evaluate("() => { window.__deck = 1; }")
    page.get_by_role("button", name="Next").click()
    page.wait_for_function("() => location.search.includes('slide=4')", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.atlas-counter').innerText.startsWith('4 /')")
    page.locator("h1").first.click()  # focus the page, not the map
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('slide=3')", timeout=30_000)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('slide=4')", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.atlas-counter').innerText.startsWith('4 /')")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('slide=5')", timeout=30_000)
    assert lf.evaluate("() => window.__deck") == 1, "moving between slides reloaded the map"


def test_standalone_html_draws_offline_from_file(browser, tmp_path):
    atlas = io.load()
    html = standalone.standalone_html(atlas, schema.Filters(date=dt.date(2025, 1, 1), alliances=("CSTO", "NATO")),
                                      title="Offline test")
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    guard = OffsiteGuard()
    requests = []
    ctx.route("**/*", lambda route: (requests.append(route.request.url), guard(route)))
    page = ctx.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length > 0", timeout=30_000)
    shapes = page.locator("path.leaflet-interactive").count()
    assert shapes >= len(atlas.states) - 2  # states (a few may fall outside the view) + territories
    assert page.locator(".atlas-legend").count() == 1 and "Offline test" in page.inner_text("body")
    assert "as of 2025-01-01" in page.inner_text("body")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert guard.blocked == []
    ctx.close()
