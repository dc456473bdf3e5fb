from __future__ import annotations

from pathlib import Path

import pytest

from .harness import ConsoleErrors, OffsiteGuard, streamlit_server

pytest.importorskip("playwright")


@pytest.fixture(scope="session")
def offsite() -> OffsiteGuard:
    """One guard for the whole browser suite: no request may leave 127.0.0.1."""
    return OffsiteGuard()


@pytest.fixture(scope="session")
def app_url():
    with streamlit_server() as url:
        yield url


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def page(browser, offsite, console_errors):
    """A 1400x900 page; any console.error or uncaught page error in it (or in a page opened from it)
    fails the test that used it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", offsite)
    ctx.on("page", console_errors.watch)
    pg = ctx.new_page()
    yield pg
    ctx.close()
    assert not offsite.blocked, f"requests left 127.0.0.1: {offsite.blocked[:5]}"
    console_errors.check()


def map_frame(page):
    """The st_folium iframe once Leaflet has drawn into it."""
    page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=60_000)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    return frame


def leaflet(page):
    """The map iframe as a Frame (to evaluate JS in it), once Leaflet exists there."""
    map_frame(page)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    frame.wait_for_function("() => window.map && window.map.getZoom", timeout=60_000)
    return frame


__all__ = ["map_frame", "leaflet", "Path"]
