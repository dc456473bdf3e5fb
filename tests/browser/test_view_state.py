"""The map's position belongs to the reader (issue 13, in Chromium): a zoom made as soon as the map shows
survives the app's reruns; leaving the Map page stops the movie; the Briefing page knows the view the
reader last had on the Map page; the Map header leaves the map high on the screen (issue 14); the
Compare page's kind pills are not cut off."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

from .conftest import leaflet

PLAY = ".st-key-atlas_play_btn button"
IDLE = "() => !document.querySelector('[data-testid=stStatusWidget]')"


def params(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(url).query, keep_blank_values=True).items()}


def nav(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(name, exact=True).click()


def test_a_zoom_made_at_once_is_kept_through_the_reruns(page, app_url):
    page.goto(f"{app_url}/?date=2003-06-01&lat=45&lon=50&zoom=5")
    lf = leaflet(page)
    lf.wait_for_function("() => window.map.getZoom() === 5", timeout=30_000)  # the link's view, applied
    lf.evaluate("() => window.map.setView([44, 45], 7, {animate: false})")  # at once, no waiting for idle
    page.wait_for_function(IDLE, timeout=60_000)
    # a rerun that redraws the layers in place (a filter) must not move the map back to the link's view
    page.get_by_test_id("stSidebar").get_by_text("Show historic and planned installations").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('historic') === '1'", timeout=30_000)
    page.wait_for_function(IDLE, timeout=60_000)
    lf.wait_for_function("() => window.map.getZoom() === 7", timeout=5_000)
    got = params(page.url)
    assert (got["zoom"], got["lat"], got["lon"]) == ("7", "44.0000", "45.0000"), page.url


def test_leaving_the_map_page_stops_the_movie(page, app_url):
    page.goto(f"{app_url}/?date=1995-03-01&lat=45&lon=50&zoom=5")
    leaflet(page)
    page.locator(PLAY).first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('date') !== '1995-03-01'", timeout=60_000)
    nav(page, "Timeline")
    page.wait_for_function("() => location.pathname.endsWith('/timeline')", timeout=30_000)
    page.wait_for_function(IDLE, timeout=60_000)
    day = params(page.url)["date"]
    nav(page, "Map")
    leaflet(page)
    page.locator(PLAY, has_text="Play").first.wait_for(timeout=30_000)  # not "Pause": the movie stopped
    page.wait_for_function(IDLE, timeout=60_000)
    assert params(page.url)["date"] == day, (day, page.url)


def test_a_slide_added_on_the_briefing_page_has_the_view_panned_on_the_map(page, app_url):
    page.goto(f"{app_url}/?date=2003-06-01&alliance=CSTO&lat=45&lon=50&zoom=5")
    lf = leaflet(page)
    lf.wait_for_function("() => window.map.getZoom() === 5", timeout=30_000)
    lf.evaluate("() => window.map.setView([40.5, 44.5], 7, {animate: false})")
    page.wait_for_function("() => new URLSearchParams(location.search).get('zoom') === '7'", timeout=30_000)
    nav(page, "Briefing")
    speaker_link = page.get_by_role("link", name="Speaker")
    # the server learns the view (components/viewprobe) and the speaker link carries it
    page.wait_for_function(
        "() => { const a = Array.from(document.querySelectorAll('a')).find(e => e.innerText"
        ".trim() === 'Speaker'); return a && a.href.includes('zoom=7'); }",
        timeout=60_000,
    )
    with page.context.expect_page() as opened:
        speaker_link.click()
    speaker = opened.value
    speaker.locator(".atlas-notes").wait_for(timeout=60_000)
    speaker.get_by_text("Add the current map view as a new slide").click()
    speaker.get_by_label("Title").fill("Panned view")
    speaker.get_by_role("button", name="Add slide").click()
    speaker.get_by_text("This session's copy has").wait_for(timeout=60_000)
    with speaker.expect_download() as dl:
        speaker.get_by_role("button", name="Download this briefing (YAML)").click()
    slides = yaml.safe_load(Path(dl.value.path()).read_text(encoding="utf-8"))["slides"]
    assert slides[-1]["title"] == "Panned view"
    assert slides[-1]["view"] == {"center": [40.5, 44.5], "zoom": 7}, slides[-1]
    assert slides[-1]["date"] == "2003-06-01" and slides[-1]["alliances"] == ["CSTO"]
    speaker.close()


def test_the_map_starts_high_on_the_screen(page, app_url):
    page.goto(f"{app_url}/?date=2003-06-01")
    leaflet(page)
    page.wait_for_function(IDLE, timeout=60_000)
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert box["y"] <= 260, box  # was 482 px at 1400x900 with the controls and figures stacked above it
    assert box["y"] + box["height"] > 900  # and fills the rest of the window
    # the as-of line sits beside the title, clear of the player row below (it hung over the speed
    # slider's "1 s per frame" and touched the "By year" box)
    caption = page.locator(".st-key-atlas_head [data-testid='stCaptionContainer']").bounding_box()
    title = page.locator(".st-key-atlas_head h1").bounding_box()
    player = page.locator(".st-key-atlas_player").bounding_box()
    speed = page.locator(".st-key-atlas_player [data-testid='stSliderThumbValue']").bounding_box()
    assert caption["x"] >= title["x"] + title["width"]
    assert title["y"] <= caption["y"] + caption["height"] / 2 <= title["y"] + title["height"], (caption, title)
    assert caption["y"] + caption["height"] + 4 <= min(player["y"], speed["y"]), (caption, player, speed)


def test_compare_kind_pills_are_not_cut_off(page, app_url):
    page.goto(f"{app_url}/compare?from=2003-06-01&to=2005-06-01&alliance=NATO")
    group = page.get_by_test_id("stMain").get_by_test_id("stButtonGroup")
    group.get_by_role("button").nth(2).wait_for(timeout=60_000)
    column = (
        page.get_by_test_id("stMain")
        .locator("[data-testid='stColumn']", has=page.get_by_test_id("stButtonGroup"))
        .last.bounding_box()
    )
    for i in range(3):
        b = group.get_by_role("button").nth(i).bounding_box()
        assert column["x"] <= b["x"] and b["x"] + b["width"] <= column["x"] + column["width"] + 0.5, (i, b, column)
        assert b["y"] + b["height"] <= column["y"] + column["height"] + 0.5, (i, b, column)
