"""Place names on the map, offline: the towns of the brief at the zoom a search jumps to, and no two
labels overlapping at any zoom from 3 to 10."""

from __future__ import annotations

import pytest

from .conftest import leaflet

LABELS = """() => Array.from(document.querySelectorAll('.leaflet-atlasLabels-pane .atlas-label span')).map(s => {
  const r = s.getBoundingClientRect(); return {t: s.textContent, l: r.left, r: r.right, t0: r.top, b: r.bottom}; })"""


# the labels' boxes once they have stopped moving (two reads a few frames apart agree)
STABLE = (
    "async () => { const read = " + LABELS + "; const frames = () => new Promise(r => requestAnimationFrame("
    "() => requestAnimationFrame(() => setTimeout(r, 50)))); let a = read(); for (let i = 0; i < 40; i++) {"
    " await frames(); const b = read(); if (JSON.stringify(a) === JSON.stringify(b)) { return b; } a = b; }"
    " return a; }"
)


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [("Gyumri", 40.79, 43.85), ("Dushanbe", 38.54, 68.78), ("Sevastopol", 44.6, 33.52), ("Kaliningrad", 54.71, 20.51)],
)
def test_brief_towns_are_named(page, app_url, name, lat, lon):
    page.goto(f"{app_url}/?lat={lat}&lon={lon}&zoom=7")
    frame = leaflet(page)
    frame.wait_for_function(
        "n => Array.from(document.querySelectorAll('.atlas-label span')).some(s => s.textContent === n)",
        arg=name,
        timeout=30_000,
    )


def test_no_two_labels_overlap_at_any_zoom(page, app_url):
    page.goto(app_url + "/")
    frame = leaflet(page)
    for lat, lon in ((48.0, 45.0), (41.0, 45.0), (55.0, 25.0)):
        for z in range(3, 11):
            frame.evaluate(
                "([c, z]) => new Promise(done => { window.map.once('moveend', () => "
                "requestAnimationFrame(() => done(1))); window.map.setView(c, z, {animate: false}); })",
                [[lat, lon], z],
            )
            boxes = frame.evaluate(STABLE)
            assert boxes or z > 8, f"no labels at zoom {z} around {lat},{lon}"
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    apart = a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t0"] or b["b"] <= a["t0"]
                    assert apart, f"zoom {z} around {lat},{lon}: {a['t']!r} overlaps {b['t']!r}"
