"""Briefing in Chromium, as a presenter uses it: every slide, reached by Next, by ← and by link, shows the
map the domain says it should (coloured states, territories, markers, the slide's area); the map is not
blank or clipped; the speaker view drives the audience window; the standalone HTML draws offline."""

from __future__ import annotations

import io as _io
import shutil

import pytest
import yaml
from PIL import Image

from alliance_atlas.cartography import style
from alliance_atlas.data import content, loading

from .conftest import leaflet
from .harness import streamlit_server
from .slides import assert_slide, step_through


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
