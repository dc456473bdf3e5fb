"""Many users at once: what one browser uploads stays in its own session.

Two browser contexts (two users, separate cookies and websockets) on one server: an overlay
uploaded in one is absent from the other's "Your data" page, map and downloads; the cleaned
download exists only after its owner clicks, and the server drops it after a couple of runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import leaflet, map_frame

MARKER = "zz-private-overlay"
GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": MARKER},
                "geometry": {"type": "Point", "coordinates": [44.51, 40.18]},
            },
        ],
    }
).encode()


def _context(browser, offsite, console_errors):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    ctx.route("**/*", offsite)
    ctx.on("page", console_errors.watch)
    return ctx, ctx.new_page()


class RunCounter:
    """Counts the script runs a page's session finished (Streamlit's script_finished messages)."""

    def __init__(self, page):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.page, self.finished, self._msg = page, 0, ForwardMsg
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload):
        if isinstance(payload, str):
            return
        msg = self._msg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not a ForwardMsg
            return
        if msg.WhichOneof("type") == "script_finished":
            self.finished += 1

    def wait(self, at_least: int, timeout_ms: int = 60_000):
        waited = 0
        while self.finished < at_least:
            assert waited < timeout_ms, f"{self.finished} script runs finished, wanted {at_least}"
            self.page.wait_for_timeout(100)  # lets Playwright deliver the websocket events
            waited += 100


def _overlay_layers(page) -> int:
    lf = leaflet(page)
    lf.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length > 0", timeout=60_000)
    return lf.evaluate(
        """(marker) => { let n = 0; const seen = new Set();
        window.map.eachLayer(l => {
            const all = (l.getLayers && l._featureGroup) ? l.getLayers() : [l];  // a marker cluster: every marker
            all.forEach(m => {
                if (seen.has(m)) return;
                seen.add(m);
                const t = m.getTooltip && m.getTooltip();
                if (t && String(t.getContent()).includes(marker)) n++;
            }); });
        return n; }""",
        MARKER,
    )


def test_an_upload_stays_in_its_own_session(browser, app_url, offsite, console_errors):
    ctx_a, a = _context(browser, offsite, console_errors)
    ctx_b, b = _context(browser, offsite, console_errors)
    runs_a, runs_b = RunCounter(a), RunCounter(b)  # before the pages open their websockets
    try:
        a.goto(app_url + "/overlays")
        b.goto(app_url + "/overlays")
        a.get_by_text("kept for this browser session only").first.wait_for(timeout=60_000)
        a.locator("input[type=file]").set_input_files(
            files=[{"name": "private.geojson", "mimeType": "application/geo+json", "buffer": GEOJSON}]
        )
        a.get_by_text("Overlays in this session (1)").wait_for(timeout=60_000)
        a.get_by_text("private — 1 feature(s)").click()
        dl = a.get_by_role("button", name="Download cleaned GeoJSON")
        dl.wait_for(timeout=30_000)
        # nothing of the user's data is published at a /media address before the click
        assert a.locator("a[href*='/media/']").count() == 0

        # the other user: their page lists nothing, offers no download
        done = runs_b.finished
        b.reload()
        b.get_by_text("Overlays in this session (0)").wait_for(timeout=60_000)
        runs_b.wait(done + 1)
        assert b.get_by_text("private", exact=False).count() == 0
        assert b.get_by_role("button", name="Download cleaned GeoJSON").count() == 0

        # maps: the owner's shows the overlay, the other's does not
        a.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True).click()
        assert _overlay_layers(a) == 1
        assert map_frame(a).get_by_text("Your data").count() >= 1
        b.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True).click()
        assert _overlay_layers(b) == 0
        assert map_frame(b).get_by_text("Your data").count() == 0

        # the owner's download: built on click, served once, then dropped by the server
        done = runs_a.finished
        a.get_by_test_id("stSidebarNav").get_by_text("Your data", exact=True).click()
        runs_a.wait(done + 1)  # the page's run has finished: the expander is not re-rendered under the click
        a.get_by_text("private — 1 feature(s)").click()
        dl.wait_for(timeout=30_000)
        with a.expect_download(timeout=60_000) as info:
            dl.click()
        download = info.value
        body = json.loads(Path(download.path()).read_text(encoding="utf-8"))
        assert body["features"][0]["properties"]["name"] == MARKER
        url = download.url
        assert "/media/" in url, url
        done = runs_b.finished
        for i, name in enumerate(("Timeline", "Map")):  # two runs of another session: marked, then deleted
            b.get_by_test_id("stSidebarNav").get_by_text(name, exact=True).click()
            runs_b.wait(done + i + 1)
        assert ctx_b.request.get(url).status == 404
    finally:
        ctx_a.close()
        ctx_b.close()
    assert not offsite.blocked, f"requests left 127.0.0.1: {offsite.blocked[:5]}"
    console_errors.check()
