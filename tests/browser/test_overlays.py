"""Your data in Chromium: 10,000 uploaded points are drawn (clustered) and a click opens a
point's details; an oversized file gets the size message."""

from __future__ import annotations

import random
import re

from .conftest import leaflet, map_frame


def test_ten_thousand_points(page, app_url, tmp_path):
    rng = random.Random(7)
    rows = ["name,latitude,longitude,note"]
    rows += [f"pt{i},{rng.uniform(40, 56):.5f},{rng.uniform(25, 60):.5f},<b>n{i}</b>" for i in range(10_000)]
    path = tmp_path / "points.csv"
    path.write_text("\n".join(rows) + "\n")
    page.goto(app_url + "/overlays")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("Loaded 10,000 of 10,000").first.wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True).click()
    frame = map_frame(page)
    lf = leaflet(page)
    lf.wait_for_function("() => document.querySelectorAll('.marker-cluster').length > 0", timeout=60_000)
    assert frame.get_by_text("Your data").count() >= 1  # legend entry
    # zoom to one of the points until it leaves its cluster, then click it with the mouse
    ll = lf.evaluate("""() => {
        let hit = null;
        window.map.eachLayer(l => { if (!hit && l.getLayers && l._featureGroup) {
            const pts = l.getLayers().filter(m => m instanceof L.CircleMarker);
            if (pts.length > 5000) { hit = pts[1234]; } } });
        window.map.setView(hit.getLatLng(), 11, {animate: false});
        return hit.getLatLng();
    }""")
    page.get_by_test_id("stMain").locator("h1").first.scroll_into_view_if_needed()
    lf.wait_for_function("() => window.map.getZoom() === 11")
    page.wait_for_timeout(500)  # marker cluster re-renders after the view change
    pt = lf.evaluate(f"() => window.map.latLngToContainerPoint([{ll['lat']}, {ll['lng']}])")
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + pt["x"], box["y"] + pt["y"])
    page.get_by_text("your data · points", exact=False).first.wait_for(timeout=30_000)
    text = page.get_by_test_id("stMain").inner_text()
    m = re.search(r"\bpt(\d+)\b", text)
    assert m, text[:500]
    assert f"<b>n{m[1]}</b>" in text  # the clicked point's note, shown as text, not markup


def test_oversized_file_gets_the_size_message(page, app_url, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("w") as fh:
        fh.write("name,lat,lon\n")
        line = "x" * 80 + ",40.0,44.0\n"
        fh.write(line * (21 * 1024 * 1024 // len(line) + 10))
    page.goto(app_url + "/overlays")
    page.locator("input[type=file]").set_input_files(str(big))
    msg = page.get_by_text("20", exact=False).filter(has_text="MB")
    msg.first.wait_for(timeout=60_000)
    assert page.get_by_text("Loaded").count() == 0
