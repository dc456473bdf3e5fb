"""What a briefing slide should show (from the domain) and what its map in Chromium does show, for the
briefing browser tests: the probe of the drawn layers, the expectation, and stepping through a deck."""

from __future__ import annotations

import contextlib

from alliance_atlas.cartography import scene
from alliance_atlas.data import asof, content

from .conftest import leaflet

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
