"""The presenter's tools on the briefing's audience screen, in Chromium: the Menu (the way back to the
app, the slide's and deck's downloads) and a side legend that is whole on screen at 1400×900 and
1920×1080."""

from __future__ import annotations

import pytest
from PIL import Image

from alliance_atlas.cartography import inextent
from alliance_atlas.data import content, loading
from alliance_atlas.renderers import leaflet_view

from .conftest import leaflet
from .slides import assert_slide


def test_audience_view_has_its_downloads_and_a_way_back(page, app_url):
    # the audience view hides the sidebar and the app's menu; a presenter there could neither export
    # the slide nor leave the briefing without editing the address
    atlas = loading.load()
    b, _ = content.load_briefing(atlas, atlas.data_dir / "briefings" / "default.yaml")
    page.goto(f"{app_url}/briefing?briefing=default&slide=3")
    assert_slide(page, atlas, b.slides[2], 3, len(b.slides))
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("[data-testid='stPopoverBody']")
    for label in ("Map as HTML (offline)", "Image (PNG 1920×1080)", "Image (SVG)", "Handout (PDF, all slides)"):
        menu.get_by_role("button", name=label).wait_for(timeout=30_000)
    with page.expect_download(timeout=120_000) as dl:
        menu.get_by_role("button", name="Image (PNG 1920×1080)").click()
    assert dl.value.suggested_filename.startswith("alliance-atlas-default-slide3")
    img = Image.open(dl.value.path())
    assert img.size == (1920, 1080)
    back = page.locator("[data-testid='stPopoverBody']").get_by_role("link", name="Back to the app")
    if not back.is_visible():  # the menu stays open after a download in some versions
        page.get_by_role("button", name="Menu").click()
    back.click()
    page.wait_for_function("() => !location.pathname.includes('briefing')", timeout=60_000)
    frame = leaflet(page)  # the Map page, with its map
    assert frame.evaluate("() => window.map.getZoom()") >= 2
    sidebar = page.locator("[data-testid='stSidebar']")  # open again (the briefing had collapsed it)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]')?.getAttribute('data-collapsed') === 'false'",
        timeout=30_000,
    )
    sidebar.get_by_text("Filters").wait_for(timeout=30_000)
    sidebar.get_by_role("link", name="Timeline").wait_for(timeout=30_000)


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)])
def test_the_longest_slide_legend_is_whole_on_screen(browser, app_url, size, offsite, console_errors):
    # at 1400×900 the last entries ("On this date", "Highlighted") of a whole-area slide were cut off
    atlas = loading.load()
    b, _ = content.load_briefing(atlas, atlas.data_dir / "briefings" / "default.yaml")

    def entries(i: int) -> int:
        v = b.slides[i].view
        built = leaflet_view.build(
            atlas,
            v.filters,
            include=v.layers,
            fit=v.bounds,
            legend_on_map=False,
            legend_extent=inextent.around(v.bounds),
        )
        return built.legend_html.count("</div>")

    longest = max(range(len(b.slides)), key=entries)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.route("**/*", offsite)
    context.on("page", console_errors.watch)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/briefing?briefing=default&slide={longest + 1}")
        assert_slide(page, atlas, b.slides[longest], longest + 1, len(b.slides))
        box = page.evaluate(
            """() => { const l = document.querySelector('.atlas-legend-side');
            const r = l.getBoundingClientRect(), last = [...l.querySelectorAll('.grp')].pop().getBoundingClientRect();
            return {client: l.clientHeight, scroll: l.scrollHeight, bottom: r.bottom, last: last.bottom,
                    view: innerHeight}; }"""
        )
        assert box["scroll"] <= box["client"] + 1, f"legend scrolls: {box}"
        assert box["last"] <= box["bottom"] and box["bottom"] <= box["view"], box
    finally:
        context.close()
    assert not offsite.blocked, f"requests left 127.0.0.1: {offsite.blocked[:5]}"
    console_errors.check()
