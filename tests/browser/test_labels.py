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


# each town label's dot centre, its name's left edge and the town's point (the label marker's anchor), in px
TOWN_MARKS = """() => Array.from(document.querySelectorAll(
  '.leaflet-atlasLabels-pane .atlas-label-capital, .leaflet-atlasLabels-pane .atlas-label-locality')).map(icon => {
  const s = icon.firstChild.getBoundingClientRect(), at = icon.getBoundingClientRect();
  const dot = getComputedStyle(icon.firstChild, '::before');
  const dotW = parseFloat(dot.width) + parseFloat(dot.borderLeftWidth) + parseFloat(dot.borderRightWidth);
  return {t: icon.textContent, x: at.left, y: at.top, dot: s.left + dotW / 2, text: s.left + dotW + parseFloat(dot.marginRight),
          mid: (s.top + s.bottom) / 2}; })"""


def test_a_towns_dot_is_on_its_point_and_its_name_clears_a_marker(page, app_url):
    """Dushanbe at zoom 8 (the 201st base's sites): a town's dot is drawn where the town is, and its name starts
    right of the 20 px installation marker that may stand there (a centred label put the dot half a word
    away from the town and the marker over the name)."""
    page.goto(f"{app_url}/?lat=38.3&lon=68.9&zoom=8")
    frame = leaflet(page)
    frame.wait_for_function(
        "() => Array.from(document.querySelectorAll('.atlas-label span')).some(s => s.textContent === 'Dushanbe')",
        timeout=30_000,
    )
    frame.evaluate(STABLE)
    towns = frame.evaluate(TOWN_MARKS)
    assert any(t["t"] == "Dushanbe" for t in towns)
    for t in towns:
        assert abs(t["dot"] - t["x"]) <= 1.5 and abs(t["mid"] - t["y"]) <= 1.5, t
        assert t["text"] - t["x"] >= 10, t
