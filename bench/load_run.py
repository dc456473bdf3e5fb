"""One load run: N driver sessions against a server (spawned, a cluster of replicas, or given), with its figures."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile, tree_cpu_s  # noqa: E402
from load_driver import TARGETS, Driver, RssSampler, Stats, installations, prime  # noqa: E402
from load_report import fmt_s, summarise  # noqa: E402


def run_load(
    ws_url: str,
    pid: int | list[int] | None,
    sessions: int,
    minutes: float,
    think: float,
    jitter: float,
    timeout: float,
    warmup: float | None,
    idle: float,
    seed: int,
    quiet: bool = False,
    do_prime: bool = True,
    prime_urls: list[str] | None = None,
) -> dict:
    """``pid``: the server (or the replicas, summed) for RSS; ``prime_urls``: each replica's own
    websocket, so that every process is primed (through the proxy one session reaches one)."""
    insts = installations()
    stats = Stats()
    duration = minutes * 60
    warmup = min(60.0, duration * 0.2) if warmup is None else warmup
    t_start = time.monotonic()
    sampler = RssSampler(pid, t_start)
    rss: dict = {"start": sampler.sample()}
    primed = None
    if do_prime:
        runs = [prime(u, timeout) for u in (prime_urls or [ws_url])]
        primed = {"pages": runs[0]["pages"], "errors": [e for r in runs for e in r["errors"]], "processes": len(runs)}
    if primed is not None:
        rss["after_priming"] = sampler.sample()
    sampler.start()
    pids = sampler.pids
    cpu0 = [tree_cpu_s(p) for p in pids]
    own0 = os.times()
    stop_at = time.monotonic() + duration  # the load window starts after priming (priming N replicas takes a while)
    drivers = [
        Driver(i, ws_url, stats, stop_at, t_start, think, jitter, timeout, seed * 1000 + i, insts)
        for i in range(sessions)
    ]
    for d in drivers:
        d.start()
    next_report = t_start + 30
    warm_taken = False
    while any(d.is_alive() for d in drivers):
        time.sleep(0.5)
        now = time.monotonic()
        if not warm_taken and now - t_start >= warmup:
            rss["after_warmup"] = sampler.sample()
            rss["after_warmup_t"] = round(now - t_start, 1)
            warm_taken = True
        if not quiet and now >= next_report:
            with stats.lock:
                lat = [x[2] for x in stats.latencies]
                nerr = len(stats.errors)
            print(
                f"  t={now - t_start:5.0f}s reruns={len(lat)} p95={fmt_s(percentile(lat, 95))} errors={nerr} "
                f"rss={sampler.samples[-1][1] if sampler.samples else '—'} MB load={os.getloadavg()[0]:.1f}",
                flush=True,
            )
            next_report = now + 30
        if now > stop_at + timeout + 15:  # a driver stuck past its bound: leave it (daemon thread)
            stats.error(now - t_start, "shutdown", "driver did not stop in time")
            break
    rss["end"] = sampler.sample()
    cpu1 = [tree_cpu_s(p) for p in pids]
    own1 = os.times()
    wall = time.monotonic() - (stop_at - duration)
    server_cpu = [round(b - a, 1) for a, b in zip(cpu0, cpu1, strict=True) if a is not None and b is not None]
    if not warm_taken:
        rss["after_warmup"], rss["after_warmup_t"] = rss["end"], round(time.monotonic() - t_start, 1)
    t_closed = time.monotonic()
    while time.monotonic() - t_closed < idle:
        time.sleep(0.5)
    rss["idle_after_close"] = sampler.sample()
    rss["idle_s"] = idle
    sampler.halt.set()

    all_lat = [x[2] for x in stats.latencies]
    by_action: dict[str, list[float]] = defaultdict(list)
    for _, a, s in stats.latencies:
        by_action[a].append(s)
    warm = rss.get("after_warmup")
    post = [mb for t, mb in sampler.samples if (rss.get("after_warmup_t") or 0) <= t <= duration + 1]
    flat = None
    if warm and post:
        flat = {
            "min_mb": min(post),
            "max_mb": max(post),
            "growth_pct": round(100 * (max(post) - warm) / warm, 1),
            "end_vs_warm_pct": round(100 * ((rss["end"] or warm) - warm) / warm, 1),
        }
    back = None
    if rss.get("idle_after_close") and rss.get("end") and warm:
        back = {
            "idle_vs_end_pct": round(100 * (rss["idle_after_close"] - rss["end"]) / rss["end"], 1),
            "idle_vs_warm_pct": round(100 * (rss["idle_after_close"] - warm) / warm, 1),
        }
    return {
        "config": {
            "sessions": sessions,
            "minutes": minutes,
            "think_s": think,
            "jitter": jitter,
            "timeout_s": timeout,
            "warmup_s": warmup,
            "idle_s": idle,
            "seed": seed,
            "url": ws_url,
            "server_pid": pid,
            "installations": len(insts),
        },
        "targets": TARGETS,
        "latency": summarise(all_lat),
        "latency_by_action": {a: summarise(v) for a, v in sorted(by_action.items())},
        "reruns_per_s": round(len(all_lat) / duration, 2) if duration else None,
        # CPU, independent of what else runs on the machine: the server's cost per rerun, and the
        # driver's own share of the cores (it runs on the same machine)
        "cpu": {
            "wall_s": round(wall, 1),
            "server_cpu_s": server_cpu,
            "server_cpu_ms_per_rerun": round(1000 * sum(server_cpu) / len(all_lat)) if all_lat and server_cpu else None,
            "driver_cpu_s": round((own1.user + own1.system) - (own0.user + own0.system), 1),
        },
        "ws_bytes_received": stats.bytes,
        "sessions_opened": stats.sessions_opened,
        "errors": {
            "count": len(stats.errors),
            "kinds": dict(Counter(e[2].split(":")[0] for e in stats.errors)),
            "first": stats.errors[:20],
        },
        "rss_mb": rss,
        "rss_flat_after_warmup": flat,
        "rss_after_close": back,
        "rss_samples": sampler.samples,
        "loadavg_end": os.getloadavg(),
        "primed": primed,
    }


def spawn_cluster(replicas: int, env: dict[str, str]):
    """N replicas behind nginx on loopback (deploy/replicas.py's Cluster), stopped afterwards."""
    import tempfile

    from deploy import nginx
    from deploy import replicas as module

    if nginx.find_nginx() is None:
        raise SystemExit("--replicas needs nginx (make nginx)")
    run_dir = Path(tempfile.mkdtemp(prefix="atlas-bench-replicas-"))
    return module.Cluster(replicas=replicas, run_dir=run_dir, env=env, upstream_header=False)
