"""Figures measured in Chromium: cold start, repaint after a filter change, page loads, the time movie."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import CHROMIUM, CHROMIUM_ARGS, percentile  # noqa: E402
from figures_base import HISTORIC_LABEL, MAIN_CONTENT, MAP_IFRAME, Guard  # noqa: E402
from stclient import Session  # noqa: E402

# --- browser figures -------------------------------------------------------------------------


def wait_map(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    page.frame_locator(MAP_IFRAME).locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=timeout_ms
    )


LEGEND_DATE = "() => { const t = document.querySelector('.atlas-legend-title'); return t ? t.innerText : ''; }"


def play_figures(browser, server, guard, n: int = 10) -> dict:
    """Time as a movie on the Map page (issue 13): "Step" (one frame on, by year) → the map's legend,
    inside the same map frame, shows the next frame's date (n steps); then Play at the fastest speed
    and the interval between frames as drawn (default speed, 1 s per frame)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", guard)
    page = ctx.new_page()
    try:
        page.goto(server.base + "/?date=1995-03-01")
        wait_map(page)
        frame = next(f for f in page.frames if "st_folium" in f.url)
        # the legend sits beside the map (the page's, drawn from the same run as the map's layers)
        page.wait_for_function("() => (" + LEGEND_DATE + ")().includes('1995-03-01')", timeout=60_000)
        frame.evaluate("() => { window.__benchKept = 1; }")
        step = page.locator(".st-key-atlas_step_btn button").first
        times = []
        for _ in range(n):
            before = page.evaluate(LEGEND_DATE)
            t0 = time.perf_counter()
            step.click()
            page.wait_for_function("b => (" + LEGEND_DATE + ")() !== b", arg=before, timeout=60_000)
            frame.evaluate("() => new Promise(r => requestAnimationFrame(() => r(1)))")  # map frame painted
            times.append(time.perf_counter() - t0)
            page.wait_for_timeout(300)
        kept = frame.evaluate("() => window.__benchKept") == 1
        out = {
            "step": {
                "n": len(times),
                "median_s": round(statistics.median(times), 3),
                "p95_s": round(percentile(times, 95), 3),
                "all_s": [round(t, 3) for t in times],
                "same_frame": kept,
            }
        }
        # playing (at the default 1 s per frame): when does each new frame appear?
        page.evaluate(
            "() => { window.__seen = []; setInterval(() => { const t = (" + LEGEND_DATE + ")();"
            " if (window.__seen.length === 0 || window.__seen[window.__seen.length - 1][0] !== t)"
            " { window.__seen.push([t, performance.now()]); } }, 20); }"
        )
        page.locator(".st-key-atlas_play_btn button").first.click()
        page.wait_for_function("() => window.__seen.length >= 9", timeout=120_000)
        page.locator(".st-key-atlas_play_btn button").first.click()
        seen = page.evaluate("() => window.__seen")
        gaps = [(b[1] - a[1]) / 1000 for a, b in zip(seen[1:], seen[2:], strict=False)]
        out["play"] = {
            "seconds_per_frame": 1.0,
            "n": len(gaps),
            "median_interval_s": round(statistics.median(gaps), 3),
            "all_s": [round(g, 3) for g in gaps],
        }
        return out
    finally:
        ctx.close()


def browser_figures(pw, server, repaint_n: int) -> dict:
    guard = Guard()
    exe = CHROMIUM if Path(CHROMIUM).is_file() else None
    browser = (
        pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS) if exe else pw.chromium.launch(args=CHROMIUM_ARGS)
    )
    out: dict = {}
    try:
        # 1. cold start: the server was spawned just before; open the page, wait for the map's shapes
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        ctx.route("**/*", guard)
        page = ctx.new_page()
        t_nav = time.perf_counter()
        page.goto(server.base + "/", wait_until="commit")
        wait_map(page)
        t_drawn = time.perf_counter()
        out["cold_start"] = {
            "server_healthy_s": round(server.healthy_s, 3),
            "first_map_drawn_s": round(t_drawn - server.started, 3),
            "page_open_to_map_s": round(t_drawn - t_nav, 3),
        }

        # 2. filter change -> map repainted: tick "historic", wait for closed-installation markers
        frame = page.frame_locator(MAP_IFRAME)
        box = page.locator("[data-testid='stCheckbox']", has_text=HISTORIC_LABEL).locator("label")
        times = []
        for _ in range(repaint_n):
            t0 = time.perf_counter()
            box.click()
            frame.locator(".atlas-mk.closed").first.wait_for(state="attached", timeout=60_000)
            times.append(time.perf_counter() - t0)
            box.click()  # untick; wait until the closed markers are gone again
            frame.locator(".atlas-mk.closed").first.wait_for(state="detached", timeout=60_000)
            page.wait_for_timeout(300)
        out["repaint"] = {
            "n": len(times),
            "first_s": round(times[0], 3),
            "median_s": round(statistics.median(times), 3),
            "p95_s": round(percentile(times, 95), 3),
            "all_s": [round(t, 3) for t in times],
        }
        ctx.close()

        # 2b. briefing: Next -> the next slide's layers drawn in the map (the component pushes the new
        # feature groups onto window.feature_group once it has evaluated them)
        ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
        ctx.route("**/*", guard)
        page = ctx.new_page()
        page.goto(server.base + "/briefing?briefing=default&slide=1")
        wait_map(page)
        frame = next(f for f in page.frames if "st_folium" in f.url)
        frame.wait_for_function("() => (window.feature_group || []).length > 0", timeout=60_000)
        slide_times = []
        nxt = page.get_by_role("button", name="Next")
        while nxt.is_enabled():
            before = frame.evaluate("() => window.feature_group.length")
            t0 = time.perf_counter()
            nxt.click()
            frame.wait_for_function("n => window.feature_group.length > n", arg=before, timeout=60_000)
            frame.evaluate("() => new Promise(r => requestAnimationFrame(() => r(1)))")  # painted
            slide_times.append(time.perf_counter() - t0)
            page.wait_for_timeout(200)
        out["slide_change"] = {
            "n": len(slide_times),
            "median_s": round(statistics.median(slide_times), 3),
            "p95_s": round(percentile(slide_times, 95), 3),
            "all_s": [round(t, 3) for t in slide_times],
        }
        ctx.close()

        # 2c. time as a movie: Step → the next frame drawn in the same map frame; Play's frame interval
        try:
            out["play"] = play_figures(browser, server, guard)
        except Exception as exc:  # noqa: BLE001 - report it with the other figures
            out["play"] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}

        # 3. page load of every page in st.navigation (learnt over the websocket now that the
        # cold-start figure is taken); a fresh browser context each time: nothing cached
        probe = Session(server.ws_url, timeout=60)
        probe.connect()
        probe.rerun()
        probe.close()
        pages = probe.pages or [{"pageName": "default", "isDefault": True}]
        loads = {}
        for p in pages:
            path = "" if p.get("isDefault") else (p.get("urlPathname") or p.get("pageName", "").lower())
            url = f"{server.base}/{path}"
            ts = []
            for _ in range(3):
                c = browser.new_context(viewport={"width": 1400, "height": 900})
                c.route("**/*", guard)
                pg = c.new_page()
                t0 = time.perf_counter()
                pg.goto(url, wait_until="commit")
                pg.locator(MAIN_CONTENT).first.wait_for(timeout=60_000)
                ts.append(time.perf_counter() - t0)
                c.close()
            loads[p.get("pageName") or path or "/"] = {
                "url": url,
                "median_s": round(statistics.median(ts), 3),
                "all_s": [round(t, 3) for t in ts],
            }
        out["page_loads"] = loads
    finally:
        browser.close()
        out["blocked_offsite_requests"] = guard.blocked[:20]
        out["blocked_offsite_count"] = len(guard.blocked)
    return out
