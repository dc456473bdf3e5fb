"""Briefing in Chromium, as a presenter uses it: every slide, reached by Next, by ← and by link, shows the
map the domain says it should (coloured states, territories, markers, the slide's area); the map is not
blank or clipped; the speaker view drives the audience window; the standalone HTML draws offline."""

from __future__ import annotations

import contextlib
import io as _io
import shutil

import pytest
import yaml
from PIL import Image

from alliance_atlas.cartography import inextent, scene, style
from alliance_atlas.data import asof, content, loading
from alliance_atlas.renderers import leaflet_view

from .conftest import leaflet
from .harness import streamlit_server

PROBE = """() => {
  const m = window.map, out = {features: [], markers: 0, bounds: null, size: null};
  const b = m.getBounds(); out.bounds = [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]];
  const c = m.getContainer(); out.size = [c.clientWidth, c.clientHeight];
  const seen = new Set();
  function walk(l) {
    if (seen.has(l)) { return; } seen.add(l);
    const p = l.feature && l.feature.properties;
    if (p && p.id && l._path && l._path.isConnected) {
      const o = l.options || {};
      out.features.push({id: p.id, fill: o.fillColor || null, op: o.fillOpacity || 0, pat: !!o.fillPattern});
    }
    if (l instanceof L.Marker) { out.markers += 1; }
    if (l.getLayers) { l.getLayers().forEach(walk); }
  }
  (window.feature_group || []).forEach(g => { if (m.hasLayer(g)) { walk(g); } });
  return out;
}"""


def expected(atlas, slide: content.Slide) -> dict:
    """What the domain says slide's map shows."""
    v, f = slide.view, slide.view.filters
    coloured = set()
    if "states" in v.layers:  # every state holding a selected alliance, whatever the slide's regions
        coloured = set(scene.held_by_state(atlas, f.date, f.alliances))
    ter = set()
    if "territories" in v.layers:  # claimed, breakaway, leased … areas, and the area under military control
        ter = set(asof.territories_on(atlas, f.date)["id"])
        control = asof.control_areas_on(atlas, f.date)
        ter |= set(control["id"]) if control is not None else set()
    inst = asof.selected_installations(
        atlas, f.date, kinds=f.kinds, statuses=f.statuses, regions=f.regions, show_historic=f.show_historic
    )
    ops = {"installations": "RUS", "nato": "NATO"}
    markers = int(inst["operator"].isin([ops[x] for x in v.layers if x in ops]).sum())
    return {"coloured": coloured, "territories": ter, "markers": markers, "bounds": v.bounds}


def drawn(frame, states: set[str]) -> dict:
    got = frame.evaluate(PROBE)
    coloured = {
        x["id"]
        for x in got["features"]
        if x["id"] in states and (x["pat"] or (x["fill"] not in (None, "#FFFFFF") and x["op"] > 0))
    }
    ter = {x["id"] for x in got["features"] if x["id"] not in states}
    return {
        "coloured": coloured,
        "territories": ter,
        "markers": got["markers"],
        "view": got["bounds"],
        "size": got["size"],
    }


def contains(view, bounds) -> bool:
    (s, w), (n, e) = view
    (bs, bw), (bn, be) = bounds
    return s <= bs + 1e-6 and w <= bw + 1e-6 and n >= bn - 1e-6 and e >= be - 1e-6


def assert_slide(page, atlas, slide: content.Slide, number: int, total: int) -> None:
    page.wait_for_function(
        "t => { const c = document.querySelector('.atlas-counter'); return c && c.innerText.trim() === t; }",
        arg=f"{number} / {total}",
        timeout=30_000,
    )
    assert page.locator("h1.atlas-slide-title").inner_text().strip() == slide.title
    frame = leaflet(page)
    exp = expected(atlas, slide)
    states = set(atlas.states["iso3"])
    want = {
        "coloured": sorted(exp["coloured"]),
        "territories": sorted(exp["territories"]),
        "markers": exp["markers"],
        "bounds": exp["bounds"],
        "states": sorted(states),
    }
    # wait (on the condition, no fixed sleep) until the slide's layers and view are in place
    done = (
        "w => { const got = (" + PROBE + ")(); const st = new Set(w.states);"
        " const col = got.features.filter(x => st.has(x.id) && (x.pat || (x.fill && x.fill !== '#FFFFFF' && x.op > 0)))"
        "   .map(x => x.id).sort(); const ter = got.features.filter(x => !st.has(x.id)).map(x => x.id).sort();"
        " const [[s, wst], [n, e]] = got.bounds, [[bs, bw], [bn, be]] = w.bounds;"
        " return JSON.stringify(col) === JSON.stringify(w.coloured) && JSON.stringify([...new Set(ter)])"
        "   === JSON.stringify(w.territories) && got.markers === w.markers"
        "   && s <= bs + 1e-6 && wst <= bw + 1e-6 && n >= bn - 1e-6 && e >= be - 1e-6; }"
    )
    with contextlib.suppress(Exception):  # report what the map shows instead of a bare timeout
        frame.wait_for_function(done, arg=want, timeout=20_000)
    got = drawn(frame, states)
    where = f"slide {number} ({slide.title})"
    assert got["coloured"] == exp["coloured"], f"{where}: coloured states {sorted(got['coloured'])}"
    assert got["territories"] == exp["territories"], f"{where}: territories {sorted(got['territories'])}"
    assert got["markers"] == exp["markers"], f"{where}: {got['markers']} markers, expected {exp['markers']}"
    assert contains(got["view"], exp["bounds"]), f"{where}: view {got['view']} misses {exp['bounds']}"
    legend = page.locator(".atlas-legend-side").inner_text()
    assert f"as of {slide.view.filters.date.isoformat()}" in legend


def step_through(page, base: str, atlas, b: content.Briefing, bid: str) -> None:
    total = len(b.slides)
    page.goto(f"{base}/briefing?briefing={bid}&slide=1")
    for n in range(1, total + 1):
        assert_slide(page, atlas, b.slides[n - 1], n, total)
        if n < total:
            page.get_by_role("button", name="Next").click()
    page.locator("h1.atlas-slide-title").click()  # focus the page, not the map
    for n in range(total - 1, 0, -1):
        page.keyboard.press("ArrowLeft")
        assert_slide(page, atlas, b.slides[n - 1], n, total)
    for n in range(1, total + 1):
        page.goto(f"{base}/briefing?briefing={bid}&slide={n}")
        assert_slide(page, atlas, b.slides[n - 1], n, total)


def test_default_briefing_every_slide_every_way(page, app_url):
    atlas = loading.load()
    b, _ = content.load_briefing(atlas, atlas.data_dir / "briefings" / "default.yaml")
    step_through(page, app_url, atlas, b, "default")


TEST_BRIEFING = {
    "id": "made-in-test",
    "title": "Made in the test",
    "slides": [
        {
            "title": "Clusters first",
            "caption": "Russian installations only",
            "notes": "First [nato-member-countries].",
            "date": "2020-01-01",
            "alliances": [],
            "layers": ["installations"],
            "view": {"bounds": [[38.0, 40.0], [56.0, 75.0]]},
        },
        {
            "title": "Two alliances (stripes)",
            "caption": "CSTO and CIS",
            "notes": "",
            "date": "2005-06-01",
            "alliances": ["CSTO", "CIS"],
            "layers": ["states", "territories"],
            "view": {"center": [48.0, 45.0], "zoom": 4},
        },
        {
            "title": "A bad slide",
            "caption": "",
            "notes": "",
            "date": "2020-13-45",
            "alliances": ["CSTO"],
            "view": {"bounds": [[40, 40], [50, 50]]},
        },
        {
            "title": "NATO and everything",
            "caption": "All layers",
            "notes": "",
            "date": "2024-06-01",
            "alliances": ["NATO", "CSTO"],
            "regions": ["baltic", "eastern-europe"],
            "show_historic": True,
            "highlight": ["kaliningrad"],
            "view": {"bounds": [[50.0, 18.0], [60.0, 32.0]]},
        },
    ],
}


@pytest.fixture(scope="module")
def test_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("briefing") / "data"
    shutil.copytree(loading.data_dir(), folder)
    src = loading.load(folder).sources["id"]
    TEST_BRIEFING["slides"][0]["notes"] = f"First [{src.iloc[0]}]."
    (folder / "briefings" / "made-in-test.yaml").write_text(yaml.safe_dump(TEST_BRIEFING), encoding="utf-8")
    return folder


def test_briefing_made_in_test_every_slide_and_bad_slide_named(page, test_data):
    atlas = loading.load(test_data)
    b, problems = content.load_briefing(atlas, test_data / "briefings" / "made-in-test.yaml")
    assert [s.title for s in b.slides] == ["Clusters first", "Two alliances (stripes)", "NATO and everything"]
    assert [k.number for k in b.skipped] == [3] and problems
    with streamlit_server(test_data) as base:
        step_through(page, base, atlas, b, "made-in-test")
        body = page.inner_text("body")
        assert "Slide 3 (A bad slide) cannot be drawn" in body


def test_slide_is_drawn_not_blank_or_clipped(page, app_url):
    """Opened directly at the Black Sea slide: Crimea is drawn in its hatching at its centroid, and
    no horizontal band of the map is sea only (the clipped-map failure drew land in a top band only)."""
    atlas = loading.load()
    b, _ = content.load_briefing(atlas, atlas.data_dir / "briefings" / "default.yaml")
    n = next(i for i, s in enumerate(b.slides, 1) if "crimea" in s.title.lower())
    page.goto(f"{app_url}/briefing?briefing=default&slide={n}")
    assert_slide(page, atlas, b.slides[n - 1], n, len(b.slides))
    frame = leaflet(page)
    crimea = atlas.territories.set_index("id").loc["crimea"].geometry.representative_point()
    x, y = frame.evaluate(
        "p => { const q = window.map.latLngToContainerPoint(p); return [q.x, q.y]; }", [crimea.y, crimea.x]
    )

    def hatched() -> tuple[int, Image.Image]:
        shot = Image.open(_io.BytesIO(page.locator("iframe[title='streamlit_folium.st_folium']").screenshot()))
        img = shot.convert("RGB")
        window = [img.getpixel((int(x) + dx, int(y) + dy)) for dx in range(-8, 9) for dy in range(-8, 9)]
        return sum(1 for p in window if max(p) < 90), img

    # the territories' outlines are a static file the map fetches: poll the pixels until drawn (≤ 15 s)
    dark, img = hatched()
    for _ in range(60):
        if dark >= 10:
            break
        page.wait_for_timeout(250)
        dark, img = hatched()
    assert dark >= 10, "Crimea's hatching is not drawn at its centroid"
    sea = tuple(int(style.SEA[i : i + 2], 16) for i in (1, 3, 5))
    w, h = img.size
    for band in range(8):
        rows = range(band * h // 8, (band + 1) * h // 8, 3)
        px = [img.getpixel((cx, cy)) for cy in rows for cx in range(0, w, 3)]
        other = sum(1 for p in px if max(abs(a - b) for a, b in zip(p, sea, strict=True)) > 12)
        assert other / len(px) > 0.01, f"band {band} of the map is sea only: clipped or blank"


def test_speaker_view_drives_audience_and_keeps_notes_off_it(page, app_url):
    atlas = loading.load()
    b, _ = content.load_briefing(atlas, atlas.data_dir / "briefings" / "default.yaml")
    total = len(b.slides)
    page.goto(f"{app_url}/briefing?briefing=default&slide=2")
    assert_slide(page, atlas, b.slides[1], 2, total)
    notes_words = b.slides[1].notes[:40]
    assert notes_words not in page.content(), "speaker notes are in the audience page"
    assert page.locator(".atlas-notes").count() == 0
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Speaker").click()
    speaker = opened.value
    speaker.locator(".atlas-notes").wait_for(timeout=60_000)
    notes = speaker.locator(".atlas-notes").inner_text()
    assert notes_words in notes and "[1]" in notes
    assert not [s for s in b.slides[1].sources if s in notes], "notes show source ids"
    assert "Next: " + b.slides[2].title in speaker.inner_text("body")
    speaker.locator("[data-testid='stImage'] img").first.wait_for(timeout=30_000)  # the next slide's thumbnail
    speaker.get_by_role("button", name="Next").click()
    assert_slide(page, atlas, b.slides[2], 3, total)  # the audience window followed
    page.get_by_role("button", name="Next").click()
    speaker.wait_for_function("() => location.search.includes('slide=4')", timeout=30_000)
    speaker.locator(".atlas-notes").filter(has_text=b.slides[3].notes[:30]).wait_for(timeout=30_000)
    speaker.get_by_label("Go to slide").click()
    speaker.get_by_role("option", name=f"{total}. {b.slides[-1].title}").click()
    assert_slide(page, atlas, b.slides[-1], total, total)


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
