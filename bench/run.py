"""`make bench`: the app's performance figures, each next to the target it serves.

    python bench/run.py            # all figures + a short load run (5 sessions × 1 minute)
    python bench/run.py --full     # … with the full load run (20 sessions × 10 minutes)
    python bench/run.py --no-load  # skip the load run

Figures: cold start to first map drawn (Chromium), filter change → map repainted (Chromium),
page load of every st.navigation page (Chromium), server-side rerun time after a filter change
(seen-before and new view, over the websocket protocol), map payload bytes for the default
view, the time movie (Step → next frame drawn; Play's frame interval) and its GIF export,
PNG/PDF/standalone-HTML export times where those exist, and a load run via
bench/load.py. Writes bench/results/bench-<timestamp>.json. Only 127.0.0.1 is contacted:
Chromium's requests to anywhere else are aborted and counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import inspect
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    RESULTS,
    ROOT,
    org_ids,
    percentile,
    spawn_server,
    stamp,
    table,
)
from stclient import Session, choice_options, date_range, date_value  # noqa: E402

MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
HISTORIC_LABEL = "Show historic and planned installations"
MAIN_CONTENT = "[data-testid='stMain'] [data-testid='stElementContainer']"


def ms(x: float | None) -> str:
    return "—" if x is None else (f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s")


def kb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1024:.0f} KB"


class Guard:
    """Playwright route handler: loopback passes, everything else is aborted and recorded."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def __call__(self, route) -> None:
        url = route.request.url
        p = urllib.parse.urlparse(url)
        if p.scheme in ("data", "blob", "about") or p.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


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


# --- server-side figures over the websocket --------------------------------------------------


def _summary(xs: list[float]) -> dict:
    return {
        "n": len(xs),
        "median_s": round(statistics.median(xs), 4),
        "p95_s": round(percentile(xs, 95), 4),
        "min_s": round(min(xs), 4),
        "max_s": round(max(xs), 4),
    }


def server_figures(server, reruns: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    s = Session(server.ws_url, timeout=60)
    s.connect()
    ext = s.ws.response.headers.get("Sec-WebSocket-Extensions") if s.ws.response else None
    first = s.rerun()
    comp = s.component()
    if comp is None:
        raise RuntimeError("no st_folium component in the first run of the default page")
    args = json.loads(comp.proto.json_args)
    parts = {k: len(v.encode()) for k, v in args.items() if isinstance(v, str)}
    msg = next(
        (
            m
            for m in s.last_deltas
            if m.delta.new_element.WhichOneof("type") == "component_instance"
            and m.delta.new_element.component_instance.component_name == comp.proto.component_name
        ),
        None,
    )
    raw = msg.SerializeToString() if msg is not None else b""
    payload = {
        "component_msg_bytes": first.component_bytes,
        "component_msg_deflated_bytes": len(zlib.compress(raw, 6)) if raw else None,
        "json_args_bytes": len(comp.proto.json_args.encode()),
        "json_args_parts_bytes": dict(sorted(parts.items(), key=lambda kv: -kv[1])),
        "whole_run_bytes": first.bytes,
        "whole_run_messages": first.messages,
        "websocket_extensions": ext,
    }
    s.rerun({comp.id: ("json_value", json.dumps({"last_object_clicked": None}))})  # the map's first report

    alli = s.widget("f_alliances", type="multiselect") or s.widget("f_alliances", type="button_group")
    date_w = s.widget("f_date", type="date_input") or s.widget("f_date", type="text_input")
    opts = choice_options(alli, org_ids())
    sets = [[opts[0]], [opts[0], opts[1]]]  # the default (first) alone, and with the second
    for chosen in sets:  # render each once: from now on both views have been seen
        s.rerun({alli.id: ("string_array_value", chosen)})
    seen_runs = [s.rerun({alli.id: ("string_array_value", sets[i % 2])}) for i in range(reruns)]
    seen = [x.seconds for x in seen_runs]
    lo, hi = date_range(date_w)
    new, new_runs = [], []
    for d in rng.sample(range((hi - lo).days), reruns):  # dates never shown before: new views
        new_runs.append(s.rerun({date_w.id: date_value(date_w, lo + dt.timedelta(days=d))}))
        new.append(new_runs[-1].seconds)
    # what a filter change puts on the wire: every ForwardMsg of the rerun (the map's component
    # message is most of it), as sent (the websocket_extensions field says whether it is compressed)
    wire = [x.bytes for x in seen_runs + new_runs]
    payload["filter_change_wire_bytes"] = {
        "median": int(statistics.median(wire)),
        "max": max(wire),
        "n": len(wire),
        "component_median": int(statistics.median([x.component_bytes for x in seen_runs + new_runs])),
    }
    same = [s.rerun().seconds for _ in range(10)]
    s.close()
    return {
        "payload": payload,
        "rerun_seen_before": _summary(seen),
        "rerun_new_view": _summary(new),
        "rerun_no_change": _summary(same),
        "first_run_s": round(first.seconds, 3),
    }


# --- exports --------------------------------------------------------------------------------


def _time(fn, n: int = 3) -> dict:
    ts, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        ts.append(time.perf_counter() - t0)
    return {
        "median_s": round(statistics.median(ts), 3),
        "first_s": round(ts[0], 3),
        "n": n,
        "bytes": len(result) if isinstance(result, (bytes, str)) else None,
    }


def _err(exc: Exception) -> str:
    return f"error: {type(exc).__name__}: {str(exc)[:200]}"


def _close(fig) -> None:
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a figure made without pyplot
        pass


def export_figures() -> dict:
    """PNG/PDF via alliance_atlas.renderers.printed (render_map + to_png, briefing_pdf) and
    alliance_atlas.renderers.standalone.standalone_html, where they exist; else 'n/a (not implemented)'."""
    sys.path.insert(0, str(ROOT))
    na = "n/a (not implemented)"
    out: dict = {"png": na, "pdf": na, "standalone_html": na}
    try:
        from alliance_atlas.data import loading, schema

        atlas = loading.load(loading.data_dir())
    except Exception as exc:  # noqa: BLE001
        return dict.fromkeys(out, f"error loading data: {exc}")
    f = schema.Filters()
    render = None
    if importlib.util.find_spec("alliance_atlas.renderers.printed") is not None:
        try:
            render = importlib.import_module("alliance_atlas.renderers.printed")
        except Exception as exc:  # noqa: BLE001 - report, don't fail the bench
            out["png"] = out["pdf"] = _err(exc)
    if render is not None and hasattr(render, "render_map") and hasattr(render, "to_png"):

        def png():
            fig = render.render_map(atlas, f, title="Alliance Atlas")
            try:
                return render.to_png(fig)
            finally:
                _close(fig)

        try:
            out["png"] = _time(png)
        except Exception as exc:  # noqa: BLE001
            out["png"] = _err(exc)
    if render is not None and hasattr(render, "briefing_pdf"):
        try:
            import yaml

            path = sorted((Path(atlas.data_dir) / "briefings").glob("*.y*ml"))[0]
            briefing = yaml.safe_load(path.read_text(encoding="utf-8"))
            out["pdf"] = _time(lambda: render.briefing_pdf(atlas, briefing), n=2)
            out["pdf"]["briefing"] = f"{path.name}, {len(briefing.get('slides') or [])} slide(s)"
        except Exception as exc:  # noqa: BLE001
            out["pdf"] = _err(exc)
    try:
        movie = importlib.import_module("alliance_atlas.renderers.movie")
        days = movie.frames(atlas, "year")
        out["movie_gif"] = _time(lambda: movie.gif(atlas, f, days), n=1)
        out["movie_gif"]["frames"] = len(days)
    except Exception as exc:  # noqa: BLE001
        out["movie_gif"] = _err(exc)
    try:
        exports = importlib.import_module("alliance_atlas.renderers.standalone")
        if hasattr(exports, "standalone_html"):
            fn = exports.standalone_html
            required = sum(
                1
                for p in inspect.signature(fn).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            )
            args = [atlas, f][:required]
            out["standalone_html"] = _time(lambda: fn(*args))
    except Exception as exc:  # noqa: BLE001
        out["standalone_html"] = _err(exc)
    return out


# --- load ------------------------------------------------------------------------------------


def load_figures(full: bool, ts: str) -> dict:
    sessions, minutes = (20, 10) if full else (5, 1)
    out = RESULTS / f"load-{ts}.json"
    cmd = [
        sys.executable,
        str(HERE / "load.py"),
        "--spawn",
        "--sessions",
        str(sessions),
        "--minutes",
        str(minutes),
        "--out",
        str(out),
    ] + ([] if full else ["--idle", "15"])
    print(f"== load run: {sessions} sessions × {minutes} min", flush=True)
    rc = subprocess.call(cmd, cwd=ROOT, timeout=minutes * 60 + 300)
    r = json.loads(out.read_text())
    return {
        "sessions": sessions,
        "minutes": minutes,
        "exit": rc,
        "file": str(out.relative_to(ROOT)),
        "p50_s": r["latency"]["p50_s"],
        "p95_s": r["latency"]["p95_s"],
        "p99_s": r["latency"]["p99_s"],
        "reruns": r["latency"]["n"],
        "errors": r["errors"]["count"],
        "rss_mb": r["rss_mb"],
        "rss_flat_after_warmup": r["rss_flat_after_warmup"],
        "rss_after_close": r["rss_after_close"],
    }


def scale_figures(minutes: float, ts: str, sessions: tuple[int, ...] = (50, 100)) -> dict:
    """Scaling past one core: the load driver with 50 and 100 sessions against 1 Streamlit process
    and against N = the machine's core count (at least 2), both behind nginx with sticky sessions
    (deploy/replicas.py), so the proxy's cost is the same on both sides."""
    import shutil

    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        return {"error": "nginx is not installed (make nginx): no scaling figures"}
    n = max(2, os.cpu_count() or 1)
    out: dict = {"cores": os.cpu_count(), "replicas": n, "minutes": minutes, "runs": []}
    for count in sessions:
        for replicas in (1, n):
            path = RESULTS / f"scale-{ts}-{count}s-{replicas}r.json"
            cmd = [
                sys.executable,
                str(HERE / "load.py"),
                "--spawn",
                "--replicas",
                str(replicas),
                "--sessions",
                str(count),
                "--minutes",
                str(minutes),
                "--idle",
                "5",
                "--quiet",
                "--out",
                str(path),
            ]
            print(f"== scaling: {count} sessions × {minutes:g} min on {replicas} process(es) behind nginx", flush=True)
            rc = subprocess.call(cmd, cwd=ROOT, timeout=minutes * 60 + 600, stdout=subprocess.DEVNULL)
            if not path.is_file():
                out["runs"].append({"sessions": count, "replicas": replicas, "error": f"load.py exited {rc}"})
                continue
            r = json.loads(path.read_text())
            out["runs"].append(
                {
                    "sessions": count,
                    "replicas": replicas,
                    "file": str(path.relative_to(ROOT)),
                    "reruns": r["latency"]["n"],
                    "reruns_per_s": r["reruns_per_s"],
                    "p50_s": r["latency"]["p50_s"],
                    "p95_s": r["latency"]["p95_s"],
                    "p99_s": r["latency"]["p99_s"],
                    "errors": r["errors"]["count"],
                    "errors_kinds": r["errors"]["kinds"],
                    "rss_end_mb": r["rss_mb"].get("end"),
                    "websockets_per_replica": r.get("websockets_per_replica"),
                    "cpu": r.get("cpu"),
                    "loadavg": [r["loadavg_start"][0], r["loadavg_end"][0]],
                }
            )
    return out


def scale_report(sc: dict) -> str:
    if "error" in sc:
        return f"scaling: {sc['error']}"
    rows = []
    for x in sc["runs"]:
        if "error" in x:
            rows.append((x["sessions"], x["replicas"], x["error"], "", "", "", "", "", "", ""))
            continue
        ok = x["p95_s"] is not None and x["p95_s"] <= 2 and x["errors"] == 0
        cpu = x.get("cpu") or {}
        rows.append(
            (
                x["sessions"],
                x["replicas"],
                f"{x['reruns']} ({x['reruns_per_s']}/s)",
                ms(x["p50_s"]),
                ms(x["p95_s"]),
                x["errors"],
                f"{cpu.get('server_cpu_ms_per_rerun', '—')} ms",
                f"{sum(cpu.get('server_cpu_s') or [0]):.0f} + {cpu.get('driver_cpu_s', 0):.0f} s / {cpu.get('wall_s', 0):.0f} s",
                f"{x['loadavg'][0]:.1f} → {x['loadavg'][1]:.1f}",
                verdict(ok) if x["sessions"] == 50 else "",
            )
        )
    head = (
        f"scaling on {sc['cores']} cores, {sc['minutes']:g} min per run, think 5 s, all behind nginx "
        f"(target: 50 sessions p95 ≤ 2 s, 0 errors)"
    )
    return (
        head
        + "\n"
        + table(
            rows,
            (
                "sessions",
                "processes",
                "reruns",
                "p50",
                "p95",
                "errors",
                "server CPU/rerun",
                "CPU server + driver / wall",
                "load avg",
                "50: target",
            ),
        )
    )


# --- report ----------------------------------------------------------------------------------


def verdict(ok) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(r: dict) -> str:
    rows = []
    b = r.get("browser", {})
    if "error" in b:
        rows.append(("browser figures", f"error: {b['error']}", "", "FAIL"))
    if "cold_start" in b:
        c = b["cold_start"]
        rows.append(
            (
                "cold start → first map drawn",
                f"{c['first_map_drawn_s']:.2f} s (server healthy "
                f"{c['server_healthy_s']:.2f} s, page open → map {c['page_open_to_map_s']:.2f} s)",
                "≤ 2.5 s",
                verdict(c["first_map_drawn_s"] <= 2.5),
            )
        )
    sv = r.get("server", {})
    if "error" in sv:
        rows.append(("server-side figures", f"error: {sv['error']}", "", "FAIL"))
    elif sv:
        sb, nv, nc = sv["rerun_seen_before"], sv["rerun_new_view"], sv["rerun_no_change"]
        rows.append(
            (
                f"rerun after filter change, seen-before view (n={sb['n']})",
                f"median {ms(sb['median_s'])}, p95 {ms(sb['p95_s'])}",
                "median ≤ 100 ms",
                verdict(sb["median_s"] <= 0.100),
            )
        )
        rows.append(
            (
                f"rerun after filter change, new view (n={nv['n']})",
                f"median {ms(nv['median_s'])}, p95 {ms(nv['p95_s'])}",
                "median ≤ 250 ms",
                verdict(nv["median_s"] <= 0.250),
            )
        )
        rows.append(("rerun with no change (floor)", f"median {ms(nc['median_s'])}", "info", ""))
        p = sv["payload"]
        rows.append(
            (
                "map payload, default view",
                f"{kb(p['component_msg_bytes'])} (deflated {kb(p['component_msg_deflated_bytes'])};"
                f" whole run {kb(p['whole_run_bytes'])})",
                "≤ 150 KB",
                verdict(p["component_msg_bytes"] <= 150 * 1024),
            )
        )
        w = p.get("filter_change_wire_bytes")
        if w:
            rows.append(
                (
                    f"filter change: bytes on the wire per rerun (n={w['n']})",
                    f"median {kb(w['median'])}, max {kb(w['max'])} (map {kb(w['component_median'])})",
                    "≤ 60 KB",
                    verdict(w["median"] <= 60 * 1024),
                )
            )
    if "repaint" in b:
        rp = b["repaint"]
        rows.append(
            (
                f"filter change → map repainted (n={rp['n']})",
                f"median {ms(rp['median_s'])} (first {ms(rp['first_s'])}, p95 {ms(rp['p95_s'])})",
                "median ≤ 0.4 s",
                verdict(rp["median_s"] <= 0.4),
            )
        )
    if "slide_change" in b:
        sc = b["slide_change"]
        rows.append(
            (
                f"briefing: Next → slide's map drawn (n={sc['n']}, 1920×1080)",
                f"median {ms(sc['median_s'])} (p95 {ms(sc['p95_s'])})",
                "median ≤ 1 s",
                verdict(sc["median_s"] <= 1.0),
            )
        )
    if "play" in b:
        pf = b["play"]
        if "error" in pf:
            rows.append(("movie: step / play", f"error: {pf['error']}", "", "FAIL"))
        else:
            st_ = pf["step"]
            rows.append(
                (
                    f"movie: Step → next frame drawn in the same map frame (n={st_['n']})",
                    f"median {ms(st_['median_s'])} (p95 {ms(st_['p95_s'])})",
                    "median ≤ 500 ms",
                    verdict(st_["median_s"] <= 0.5 and st_["same_frame"]),
                )
            )
            pl_ = pf["play"]
            rows.append(
                (
                    f"movie: Play at {pl_['seconds_per_frame']:.1f} s/frame, interval between frames drawn "
                    f"(n={pl_['n']})",
                    f"median {ms(pl_['median_interval_s'])}",
                    "report",
                    "",
                )
            )
    for name, pl in b.get("page_loads", {}).items():
        rows.append(
            (f"page load: {name} (/{pl['url'].split('/', 3)[-1]})", f"median {ms(pl['median_s'])} of 3", "report", "")
        )
    ex = r.get("exports", {})
    for k in ("png", "pdf", "standalone_html", "movie_gif"):
        v = ex.get(k)
        if v is not None:
            rows.append(
                (
                    f"export: {k}",
                    v if isinstance(v, str) else f"median {ms(v['median_s'])} (first {ms(v['first_s'])})",
                    "report",
                    "",
                )
            )
    ld = r.get("load")
    if ld:
        rows.append(
            (
                f"load {ld['sessions']} sessions × {ld['minutes']} min: p95",
                f"{ms(ld['p95_s'])} (p50 {ms(ld['p50_s'])}, p99 {ms(ld['p99_s'])}, {ld['reruns']} reruns)",
                "≤ 2 s",
                verdict(ld["p95_s"] is not None and ld["p95_s"] <= 2),
            )
        )
        rows.append(("load: errors", str(ld["errors"]), "0", verdict(ld["errors"] == 0)))
        fl, back, rss = ld["rss_flat_after_warmup"], ld["rss_after_close"], ld["rss_mb"]
        if fl:
            rows.append(
                (
                    "load: RSS after warm-up → max",
                    f"{rss['after_warmup']} → {fl['max_mb']} MB ({fl['growth_pct']:+}%)",
                    "flat within 10%",
                    verdict(fl["growth_pct"] <= 10),
                )
            )
        if back:
            rows.append(
                (
                    "load: RSS after sessions closed + idle",
                    f"{rss['idle_after_close']} MB ({back['idle_vs_warm_pct']:+}% vs warm-up)",
                    "returns",
                    verdict(back["idle_vs_warm_pct"] <= 10),
                )
            )
    if b and "blocked_offsite_count" in b:
        rows.append(
            (
                "requests blocked (left 127.0.0.1)",
                str(b["blocked_offsite_count"]),
                "0",
                verdict(b["blocked_offsite_count"] == 0),
            )
        )
    if r.get("loadavg_start"):
        rows.append(
            (
                "machine load average (1 min) start / end",
                f"{r['loadavg_start'][0]:.1f} / {r.get('loadavg_end', [0])[0]:.1f} on {r.get('machine_cores')} cores",
                "< cores (quiet machine)",
                "",
            )
        )
    return table(rows, ("figure", "measured", "target", ""))


def only_movie(r: dict) -> int:
    """The movie figures alone (a fresh server and Chromium; nothing written to bench/results)."""
    from playwright.sync_api import sync_playwright

    with spawn_server() as server, sync_playwright() as pw:
        exe = CHROMIUM if Path(CHROMIUM).is_file() else None
        browser = (
            pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            if exe
            else pw.chromium.launch(args=CHROMIUM_ARGS)
        )
        try:
            r["browser"] = {"play": play_figures(browser, server, Guard())}
        finally:
            browser.close()
    r["loadavg_end"] = os.getloadavg()
    print(json.dumps(r, indent=1, default=str))
    print(report(r))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", action="store_true", help="full load run: 20 sessions × 10 minutes")
    ap.add_argument("--no-load", action="store_true", help="skip the load run")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    ap.add_argument("--no-scale", action="store_true", help="skip the scaling runs (50/100 sessions, 1 vs N processes)")
    ap.add_argument("--scale-minutes", type=float, default=1.0, help="minutes per scaling run (4 runs)")
    ap.add_argument("--only-scale", action="store_true", help="only the scaling runs")
    ap.add_argument("--only", choices=["movie"], help="only one figure: 'movie' = Step/Play in Chromium (~1 min)")
    ap.add_argument("--reruns", type=int, default=25, help="reruns per server-side figure (at least 20)")
    ap.add_argument("--repaints", type=int, default=7, help="repaint measurements (at least 5)")
    a = ap.parse_args(argv)
    ts = stamp()
    r: dict = {
        "started_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine_cores": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
    }
    if a.only == "movie":
        return only_movie(r)
    if a.only_scale:
        r["scale"] = scale_figures(a.scale_minutes, ts)
        r["loadavg_end"] = os.getloadavg()
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"scale-{ts}.json"
        out.write_text(json.dumps(r, indent=1, default=str))
        print()
        print(scale_report(r["scale"]))
        print(f"\nwritten: {out.relative_to(ROOT)}")
        return 0
    with spawn_server() as server:
        if not a.no_browser:
            print("== Chromium: cold start, repaint, page loads", flush=True)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                try:
                    r["browser"] = browser_figures(pw, server, max(5, a.repaints))
                except Exception as exc:  # noqa: BLE001 - report it with the other figures
                    r["browser"] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        print("== server-side reruns and payload", flush=True)
        try:
            r["server"] = server_figures(server, max(20, a.reruns))
        except Exception as exc:  # noqa: BLE001
            r["server"] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    print("== exports", flush=True)
    r["exports"] = export_figures()
    if not a.no_load:
        r["load"] = load_figures(a.full, ts)
    if not a.no_scale:
        r["scale"] = scale_figures(a.scale_minutes, ts)
    r["loadavg_end"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{ts}.json"
    out.write_text(json.dumps(r, indent=1, default=str))
    print()
    print(report(r))
    if "scale" in r:
        print()
        print(scale_report(r["scale"]))
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
