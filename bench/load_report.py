"""The load run's figures: latency summaries, the printed report, how nginx spread the sessions."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile, table, verdict  # noqa: E402


def summarise(lat: list[float]) -> dict:
    return {
        "n": len(lat),
        "p50_s": percentile(lat, 50),
        "p95_s": percentile(lat, 95),
        "p99_s": percentile(lat, 99),
        "max_s": max(lat) if lat else None,
    }


def fmt_s(x: float | None) -> str:
    return "—" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s")


def report(r: dict) -> str:
    lat, cfg, rss = r["latency"], r["config"], r["rss_mb"]
    flat, back = r["rss_flat_after_warmup"], r["rss_after_close"]
    rows = [
        (
            "sessions × minutes",
            f"{cfg['sessions']} × {cfg['minutes']:g} (think {cfg['think_s']:g} s ±{cfg['jitter']:.0%})",
            "20 × 10, think ~5 s",
            verdict(cfg["sessions"] >= 20 and cfg["minutes"] >= 10),
        ),
        ("reruns measured", lat["n"], "", ""),
        (
            "CPU: server per rerun / server total / load driver",
            f"{r['cpu']['server_cpu_ms_per_rerun']} ms / {r['cpu']['server_cpu_s']} s / {r['cpu']['driver_cpu_s']} s "
            f"in {r['cpu']['wall_s']} s",
            "",
            "",
        ),
        ("latency p50", fmt_s(lat["p50_s"]), "", ""),
        ("latency p95", fmt_s(lat["p95_s"]), "≤ 2 s", verdict(None if lat["p95_s"] is None else lat["p95_s"] <= 2.0)),
        ("latency p99", fmt_s(lat["p99_s"]), "", ""),
        ("latency max", fmt_s(lat["max_s"]), "", ""),
        (
            "errors",
            f"{r['errors']['count']} {r['errors']['kinds'] or ''}".strip(),
            "0",
            verdict(r["errors"]["count"] == 0),
        ),
        ("RSS start", f"{rss.get('start')} MB", "", ""),
        ("RSS after priming (every page opened once)", f"{rss.get('after_priming', '—')} MB", "", ""),
        (f"RSS after warm-up ({rss.get('after_warmup_t')} s)", f"{rss.get('after_warmup')} MB", "", ""),
        ("RSS end of load", f"{rss.get('end')} MB", "", ""),
        (
            "RSS after warm-up: max growth",
            f"{flat['growth_pct']:+}% (range {flat['min_mb']}–{flat['max_mb']} MB)" if flat else "—",
            "flat within 10%",
            verdict(None if not flat else flat["growth_pct"] <= 10),
        ),
        (
            f"RSS {cfg['idle_s']:g} s after sessions closed",
            f"{rss.get('idle_after_close')} MB"
            + (f" ({back['idle_vs_end_pct']:+}% vs end, {back['idle_vs_warm_pct']:+}% vs warm-up)" if back else ""),
            "returns (≤ warm-up +10%)",
            verdict(None if not back else back["idle_vs_warm_pct"] <= 10),
        ),
    ]
    if r.get("websockets_per_replica") is not None:
        rows.append(
            (
                "replicas behind nginx (sticky)",
                f"{cfg.get('replicas')}: websockets per replica "
                f"{sorted(r['websockets_per_replica'].values(), reverse=True)}",
                "",
                "",
            )
        )
    if r.get("loadavg_start"):
        rows.append(
            (
                "machine load average (1 min) start / end",
                f"{r['loadavg_start'][0]:.1f} / {r['loadavg_end'][0]:.1f} on {os.cpu_count()} cores",
                "",
                "",
            )
        )
    out = [table(rows, ("figure", "measured", "target", ""))]
    by = [
        (a, v["n"], fmt_s(v["p50_s"]), fmt_s(v["p95_s"]), fmt_s(v["p99_s"]), fmt_s(v["max_s"]))
        for a, v in r["latency_by_action"].items()
    ]
    out += ["", "per action:", table(by, ("action", "n", "p50", "p95", "p99", "max"))]
    if r["errors"]["first"]:
        out += ["", "first errors:"] + [f"  t={t:.0f}s {a}: {m}" for t, a, m in r["errors"]["first"][:10]]
    return "\n".join(out)


def websockets_per_replica(access_log: Path) -> dict[str, int]:
    """How the proxy spread the sessions: closed websocket connections per upstream (nginx logs
    a websocket when it closes; the log format of deploy/nginx.conf.template has upstream=)."""
    counts: Counter = Counter()
    if access_log.is_file():
        for line in access_log.read_text(errors="replace").splitlines():
            if "/_stcore/stream" in line and "upstream=" in line:
                counts[line.split("upstream=", 1)[1].split()[0]] += 1
    return dict(counts)
