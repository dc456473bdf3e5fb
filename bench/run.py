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
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import CHROMIUM, CHROMIUM_ARGS, RESULTS, ROOT, spawn_server, stamp  # noqa: E402
from figures_base import Guard  # noqa: E402
from figures_browser import browser_figures, play_figures  # noqa: E402
from figures_load import load_figures, scale_figures, scale_report  # noqa: E402
from figures_report import report  # noqa: E402
from figures_server import export_figures, server_figures  # noqa: E402


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
        return write_results(r, RESULTS / f"scale-{ts}.json", None)
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
    return write_results(r, RESULTS / f"bench-{ts}.json", report)


def write_results(r: dict, out: Path, table: Callable[[dict], str] | None) -> int:
    """Write the figures ``r`` to ``out`` (JSON) and print ``table`` of them and the scaling table."""
    r["loadavg_end"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    out.write_text(json.dumps(r, indent=1, default=str))
    for shown in (table(r) if table else None, scale_report(r["scale"]) if "scale" in r else None):
        if shown:
            print()
            print(shown)
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
