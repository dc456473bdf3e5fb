"""The printed table of every figure next to its target."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import table, verdict  # noqa: E402
from figures_base import kb, ms  # noqa: E402

# --- report ----------------------------------------------------------------------------------


def timed_row(label: str, x: dict, budget_s: float, ok: bool = True) -> tuple[str, str, str, str]:
    """A row for a timed figure with its n, median and p95, against a budget on the median."""
    budget = f"median ≤ {ms(budget_s)}"
    shown = f"median {ms(x['median_s'])}, p95 {ms(x['p95_s'])}"
    return (f"{label} (n={x['n']})", shown, budget, verdict(x["median_s"] <= budget_s and ok))


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
        rows.append(timed_row("rerun after filter change, seen-before view", sb, 0.100))
        rows.append(timed_row("rerun after filter change, new view", nv, 0.250))
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
        rows.append(timed_row("filter change → map repainted", b["repaint"], 0.4))
    if "slide_change" in b:
        rows.append(timed_row("briefing: Next → slide's map drawn at 1920×1080", b["slide_change"], 1.0))
    if "play" in b:
        pf = b["play"]
        if "error" in pf:
            rows.append(("movie: step / play", f"error: {pf['error']}", "", "FAIL"))
        else:
            step = pf["step"]
            rows.append(
                timed_row("movie: Step → next frame drawn in the same map frame", step, 0.5, step["same_frame"])
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
            shown = f"{rss['after_warmup']} → {fl['max_mb']} MB ({fl['growth_pct']:+}%)"
            rows.append(("load: RSS after warm-up → max", shown, "flat within 10%", verdict(fl["growth_pct"] <= 10)))
        if back:
            shown = f"{rss['idle_after_close']} MB ({back['idle_vs_warm_pct']:+}% vs warm-up)"
            ok = verdict(back["idle_vs_warm_pct"] <= 10)
            rows.append(("load: RSS after sessions closed + idle", shown, "returns", ok))
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
