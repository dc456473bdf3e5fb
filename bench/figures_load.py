"""Load and scaling figures: bench/load.py runs (one process, and replicas behind nginx)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import RESULTS, ROOT, table, verdict  # noqa: E402
from figures_base import ms  # noqa: E402

# --- load ------------------------------------------------------------------------------------


def load_cmd(sessions: int, minutes: float, out: Path, *extra: str) -> list[str]:
    """The command line of one bench/load.py run that starts its own server(s) and writes ``out``."""
    return [sys.executable, str(HERE / "load.py"), "--spawn", "--sessions", str(sessions), "--minutes", str(minutes),
            "--out", str(out), *extra]  # fmt: skip


def load_figures(full: bool, ts: str) -> dict:
    sessions, minutes = (20, 10) if full else (5, 1)
    out = RESULTS / f"load-{ts}.json"
    cmd = load_cmd(sessions, minutes, out, *([] if full else ["--idle", "15"]))
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
            cmd = load_cmd(count, minutes, path, "--replicas", str(replicas), "--idle", "5", "--quiet")
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
