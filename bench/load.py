"""Load driver: N simulated browser sessions speaking Streamlit's websocket protocol.

Each session connects to ws://127.0.0.1:PORT/_stcore/stream, sends the initial rerun (query
string and page), answers with the map's first report the way streamlit-folium does, then
loops through realistic actions with think time: change the year (slider) or the date (date
input), change alliances or regions, toggle historic installations, compare with another year,
click an installation on the map (the st_folium component's value), draw a range ring, clear
the selection, switch page (st.navigation), and now and then open a shared link (a new
session with ?date=…&select=…). Latency is measured per rerun from sending the BackMsg to the
script_finished ForwardMsg. The server's RSS (process tree) is sampled every 5 s.

    python bench/load.py --spawn --sessions 20 --minutes 10 --think 5
    python bench/load.py --url http://127.0.0.1:8501 [--pid PID] --sessions 5 --minutes 1

Only 127.0.0.1 / localhost URLs are accepted; every loop is bounded by --minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import urllib.parse
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LOCAL_HOSTS, RESULTS, pid_listening_on, spawn_server, stamp  # noqa: E402
from load_report import report, websockets_per_replica  # noqa: E402
from load_run import run_load, spawn_cluster  # noqa: E402


def _check_local(url: str) -> None:
    host = urllib.parse.urlparse(url).hostname or ""
    if host not in LOCAL_HOSTS and not host.startswith("127."):
        raise SystemExit(f"refusing to load {url}: only loopback servers you started may be targeted")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--url", help="base URL of a running app on 127.0.0.1 (default: http://127.0.0.1:8501)")
    where.add_argument("--spawn", action="store_true", help="start the app on a free loopback port, stop it afterwards")
    ap.add_argument(
        "--pid", type=int, help="server pid for RSS (with --url; default: the process listening on the port)"
    )
    ap.add_argument(
        "--replicas",
        type=int,
        default=0,
        metavar="N",
        help="with --spawn: N Streamlit processes behind nginx with sticky sessions (deploy/replicas.py); "
        "every session's websocket goes through the proxy; RSS is the sum over the replicas",
    )
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--think", type=float, default=5.0, help="mean think time between actions, seconds")
    ap.add_argument("--jitter", type=float, default=0.5, help="think time ± this fraction (uniform)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a rerun before counting an error")
    ap.add_argument(
        "--warmup",
        type=float,
        default=None,
        help="seconds before the 'after warm-up' RSS sample (default min(60, 20%% of the run))",
    )
    ap.add_argument(
        "--idle", type=float, default=30.0, help="idle seconds after the sessions close, then the last RSS sample"
    )
    ap.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the spawned server (e.g. MALLOC_ARENA_MAX=2); repeatable",
    )
    ap.add_argument(
        "--no-prime",
        action="store_true",
        help="don't open every page once before the load (first-visit imports then count as growth)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="JSON output (default bench/results/load-<timestamp>.json)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if not (1 <= a.sessions <= 200 and 0 < a.minutes <= 120 and a.think >= 0.1 and 0 <= a.jitter < 1):
        raise SystemExit("need 1 ≤ sessions ≤ 200, 0 < minutes ≤ 120, think ≥ 0.1, 0 ≤ jitter < 1")

    env = dict(kv.split("=", 1) for kv in a.env)
    if a.replicas and not a.spawn:
        raise SystemExit("--replicas needs --spawn")
    prime_urls = None
    with (
        spawn_cluster(a.replicas, env) if a.replicas else spawn_server(env) if a.spawn else nullcontext(None)
    ) as server:
        if a.replicas:
            cluster = server
            base = cluster.url.rstrip("/")
            ws_url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
            pid = [n.proc.pid for n in cluster.nodes]
            prime_urls = [f"ws://{n.addr}/_stcore/stream" for n in cluster.nodes]
        elif server is not None:
            ws_url, pid, base = server.ws_url, server.pid, server.base
        else:
            base = (a.url or "http://127.0.0.1:8501").rstrip("/")
            _check_local(base)
            ws_url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
            pid = a.pid or pid_listening_on(urllib.parse.urlparse(base).port or 80)
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        load_start = os.getloadavg()
        if not a.quiet:
            print(
                f"load: {a.sessions} sessions × {a.minutes:g} min, think {a.think:g} s, against {base} "
                f"(server pid {pid or 'unknown: no RSS'})",
                flush=True,
            )
            if load_start[0] > (os.cpu_count() or 1):
                print(
                    f"warning: the machine is busy before the run (load average {load_start[0]:.1f} on "
                    f"{os.cpu_count()} cores): figures will be pessimistic",
                    flush=True,
                )
        r = run_load(
            ws_url,
            pid,
            a.sessions,
            a.minutes,
            a.think,
            a.jitter,
            a.timeout,
            a.warmup,
            a.idle,
            a.seed,
            a.quiet,
            not a.no_prime,
            prime_urls,
        )
        r["started_utc"] = started
        r["loadavg_start"] = load_start
        r["server_env"] = env
        r["config"]["replicas"] = a.replicas or 1
        r["config"]["behind_proxy"] = bool(a.replicas)
        r["config"]["cores"] = os.cpu_count()
        if a.replicas:
            r["server_log"] = str(server.run_dir)
            r["replicas_dead_at_end"] = server.dead()
            r["websockets_per_replica"] = websockets_per_replica(Path(server.run_dir) / "access.log")
        elif server is not None:
            r["server_log"] = str(server.log)
    out = a.out or RESULTS / f"load-{stamp()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, indent=1, default=str))
    print(report(r))
    print(f"\nwritten: {out}")
    return 0 if r["errors"]["count"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
