"""The standalone HTML map in Chromium: it draws from a file with no server and no network, and its sea is the app's."""

from __future__ import annotations

import datetime as dt

from alliance_atlas.cartography import style
from alliance_atlas.data import loading, schema
from alliance_atlas.renderers import standalone

from .conftest import leaflet
from .harness import OffsiteGuard


def test_standalone_html_draws_offline_from_file(browser, tmp_path, console_errors):
    atlas = loading.load()
    html = standalone.standalone_html(
        atlas, schema.Filters(date=dt.date(2025, 1, 1), alliances=("CSTO", "NATO")), title="Offline test"
    )
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    guard = OffsiteGuard()
    requests = []
    ctx.route("**/*", lambda route: (requests.append(route.request.url), guard(route)))
    page = ctx.new_page()
    console_errors.watch(page)
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length > 0", timeout=30_000)
    shapes = page.locator("path.leaflet-interactive").count()
    assert shapes >= len(atlas.states) - 2  # states (a few may fall outside the view) + territories
    assert page.locator(".atlas-legend").count() == 1 and "Offline test" in page.inner_text("body")
    assert "as of 2025-01-01" in page.inner_text("body")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert guard.blocked == []
    ctx.close()
    console_errors.check()


SEA = "() => getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor"


def test_standalone_sea_is_the_apps_sea(browser, page, app_url, tmp_path):
    """The standalone HTML's sea is the colour the app's map shows (issue 14, point 5), read from each page."""
    app_sea = leaflet(page_at(page, app_url + "/")).evaluate(SEA)
    path = tmp_path / "map.html"
    path.write_text(
        standalone.standalone_html(loading.load(), schema.Filters(date=dt.date(2025, 1, 1))), encoding="utf-8"
    )
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    guard = OffsiteGuard()
    ctx.route("**/*", guard)
    alone = ctx.new_page()
    alone.goto(path.as_uri())
    alone.wait_for_selector(".leaflet-container", timeout=30_000)
    rgb = "rgb({}, {}, {})".format(*(int(style.SEA[i : i + 2], 16) for i in (1, 3, 5)))
    assert alone.evaluate(SEA) == app_sea == rgb
    assert guard.blocked == []
    ctx.close()


def page_at(page, url: str):
    page.goto(url)
    return page
