"""Every page in Chromium: loads, renders its main element, no request leaves 127.0.0.1;
a sub-page link works on a fresh server; the case-study button opens the map preset; search jumps."""

from __future__ import annotations

import pytest

from .conftest import leaflet, map_frame
from .harness import streamlit_server

PAGES = {
    "timeline": "[data-testid=stVegaLiteChart]",
    "installations": "[data-testid=stDataFrame]",
    "compare": "iframe[title='streamlit_folium.st_folium']",
    "case_studies": "text=Open on the map",
    "sources": "[data-testid=stDataFrame]",
}


def test_sub_page_link_on_a_fresh_server(page):
    """The first visitor of a new server opens a shared sub-page link: the page runs inside the
    app (sidebar filters, the link's date), not as a stand-alone script."""
    with streamlit_server() as url:
        page.goto(url + "/timeline?date=2012-01-01")
        page.locator(PAGES["timeline"]).first.wait_for(timeout=60_000)
        sidebar = page.get_by_test_id("stSidebar")
        assert (
            sidebar.get_by_test_id("stTextInput").filter(has_text="As of").locator("input").input_value()
            == "2012-01-01"
        )


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads(page, app_url, name):
    page.goto(f"{app_url}/{name}?date=2010-06-01")
    page.locator(PAGES[name]).first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator("h1").first.inner_text()


def test_case_study_opens_the_map_preset(page, app_url):
    page.goto(app_url + "/case_studies")
    page.get_by_text("Armenia and the 102nd base", exact=False).first.click()
    page.get_by_role("button", name="Open on the map").click()
    lf = leaflet(page)
    page.wait_for_function("() => location.search.includes('date=2024-02-22')", timeout=30_000)
    lf.wait_for_function("() => window.map.getZoom() >= 7", timeout=30_000)
    center = lf.evaluate("() => window.map.getCenter()")
    assert 39.5 < center["lat"] < 41.5 and 43 < center["lng"] < 45.5
    assert "select=gyumri-102nd-base" in page.url
    map_frame(page)


def test_search_jumps_to_an_installation(page, app_url):
    page.goto(app_url + "/timeline")  # from another page: the search opens the Map page
    page.locator(PAGES["timeline"]).first.wait_for(timeout=60_000)
    box = page.get_by_test_id("stSidebar").get_by_test_id("stTextInput").filter(has_text="Search").locator("input")
    box.fill("102nd")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('select=gyumri-102nd-base')", timeout=30_000)
    page.get_by_text("102nd Military Base (Gyumri)").first.wait_for(timeout=20_000)
    leaflet(page).wait_for_function("() => window.map.getZoom() >= 7", timeout=30_000)
