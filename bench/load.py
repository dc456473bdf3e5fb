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
import csv
import datetime as dt
import json
import os
import random
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    LOCAL_HOSTS,
    RESULTS,
    ROOT,
    org_ids,
    percentile,
    pid_listening_on,
    spawn_server,
    stamp,
    table,
    tree_cpu_s,
    tree_rss_mb,
)
from stclient import RunError, Session, choice_options, date_range, date_value  # noqa: E402

TARGETS = {"sessions": 20, "think_s": 5, "minutes": 10, "p95_s": 2.0, "errors": 0, "rss_flat_pct": 10}
ACTIONS = [  # (name, weight)
    ("year", 18), ("date", 10), ("alliances", 14), ("regions", 10), ("historic", 8), ("compare", 5),
    ("click", 16), ("ring", 5), ("clear", 5), ("page", 6), ("open_link", 3),
]  # fmt: skip


def installations() -> list[dict]:
    folder = Path(os.environ.get("ATLAS_DATA_DIR") or ROOT / "data")
    with open(folder / "installations.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("lat") and r.get("lon")]
    return [{"id": r["id"], "lat": float(r["lat"]), "lon": float(r["lon"])} for r in rows]


class Stats:
    """Thread-safe collection of rerun latencies and errors."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[tuple[float, str, float]] = []  # (t since start, action, seconds)
        self.errors: list[tuple[float, str, str]] = []  # (t, action, message)
        self.bytes = 0
        self.sessions_opened = 0

    def ok(self, t: float, action: str, seconds: float, nbytes: int) -> None:
        with self.lock:
            self.latencies.append((t, action, seconds))
            self.bytes += nbytes

    def error(self, t: float, action: str, message: str) -> None:
        with self.lock:
            self.errors.append((t, action, message))


class Driver(threading.Thread):
    """One simulated user: its own Session (reconnecting after an error), think time, actions."""

    def __init__(
        self,
        n: int,
        ws_url: str,
        stats: Stats,
        stop_at: float,
        t_start: float,
        think: float,
        jitter: float,
        timeout: float,
        seed: int,
        insts: list[dict],
    ):
        super().__init__(name=f"session-{n}", daemon=True)
        self.ws_url, self.stats, self.stop_at, self.t_start = ws_url, stats, stop_at, t_start
        self.think, self.jitter, self.timeout = think, jitter, timeout
        self.rng = random.Random(seed)
        self.insts = insts
        self.session: Session | None = None

    def now(self) -> float:
        return time.monotonic() - self.t_start

    def run_step(self, action: str, fn) -> bool:
        try:
            res = fn()
        except RunError as exc:
            self.stats.error(self.now(), action, str(exc))
            if self.session is not None:
                self.session.close()
            self.session = None  # the next step reconnects
            return False
        except Exception as exc:  # noqa: BLE001 - a driver bug must not end the run silently
            self.stats.error(self.now(), action, f"driver: {type(exc).__name__}: {exc}")
            return False
        if res is None:
            return True
        action = getattr(res, "action", action)
        for e in res.errors:
            self.stats.error(self.now(), action, e)
        self.stats.ok(self.now(), action, res.seconds, res.bytes)
        return True

    def sleep(self, seconds: float) -> None:
        end = min(time.monotonic() + max(0.0, seconds), self.stop_at)
        while time.monotonic() < end:
            time.sleep(min(0.5, max(0.0, end - time.monotonic())))

    def think_time(self) -> float:
        return self.think * (1 + self.rng.uniform(-self.jitter, self.jitter))

    def open(self, query: str = "") -> None:
        if self.session is not None:
            self.session.close()
        s = Session(self.ws_url, query_string=query, timeout=self.timeout)
        self.session = s
        with self.stats.lock:
            self.stats.sessions_opened += 1

        def first():
            s.connect()
            return s.rerun()

        if not self.run_step("initial" if not query else "open_link", first):
            return
        comp = s.component()
        if comp is not None:  # streamlit-folium reports its value once the map has drawn
            none = json.dumps({"last_object_clicked": None})
            self.run_step("map_report", lambda: s.rerun({comp.id: ("json_value", none)}))

    def act(self, action: str):
        """One user action; returns the RunResult (tagged with the action really done) or None."""
        res = self._act(action)
        if res is not None and not hasattr(res, "action"):
            res.action = action
        return res

    def _act(self, action: str):
        s, rng = self.session, self.rng
        if action == "year":
            w = s.widget("f_year", type="slider") or s.widget(type="slider")
            if w is None:
                return self._fallback()
            return s.rerun({w.id: ("double_array_value", [float(rng.randint(int(w.proto.min), int(w.proto.max)))])})
        if action == "date":
            w = s.widget("f_date", type="date_input") or s.widget("f_date", type="text_input")
            if w is None:
                return self._fallback()
            lo, hi = date_range(w)
            day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            return s.rerun({w.id: date_value(w, day)})
        if action in ("alliances", "regions"):
            w = s.widget(f"f_{action}", type="multiselect") or s.widget(f"f_{action}", type="button_group")
            if w is None:
                return self._fallback()
            opts = choice_options(w, org_ids())
            k = rng.randint(1, min(3, len(opts))) if action == "alliances" else rng.randint(0, min(2, len(opts)))
            return s.rerun({w.id: ("string_array_value", rng.sample(opts, k))})
        if action == "historic":
            w = s.widget("f_historic", type="checkbox")
            if w is None:
                return self._fallback()
            return s.rerun({w.id: ("bool_value", not s.values.get(w.id, ("bool_value", False))[1])})
        if action == "compare":
            w = s.widget("map_compare_year", type="selectbox")
            if w is None or not w.proto.options:
                return self._fallback()
            return s.rerun({w.id: ("string_value", rng.choice(list(w.proto.options)))})
        if action == "click":
            comp = s.component()
            if comp is None or not self.insts:
                return self._fallback()
            inst = rng.choice(self.insts)
            value = {"last_object_clicked": {"lat": inst["lat"], "lng": inst["lon"]}}
            return s.rerun({comp.id: ("json_value", json.dumps(value))})
        if action == "ring":
            # one distance (issue 13): the ring is a toggle, its radius the shared "map_km" setting
            w = s.widget("map_km", type="number_input")
            on = s.widget("map_ring_on", type="checkbox")
            if w is None or on is None or on.proto.disabled:
                return self.act("click")
            kind = "int_value" if w.proto.data_type == w.proto.INT else "double_value"
            km = rng.choice([100, 250, 500, 1000, 1500])
            return s.rerun(
                {w.id: (kind, int(km) if kind == "int_value" else float(km)), on.id: ("bool_value", rng.random() < 0.8)}
            )
        if action == "clear":
            w = s.widget(type="button", label="Clear selection")
            if w is None:
                return self.act("click")
            return s.rerun(triggers=(w.id,))
        if action == "page":
            pages = [p for p in s.pages if p.get("pageScriptHash") and p["pageScriptHash"] != s.page_hash]
            if not pages:  # a single page: nothing to switch to
                return self.act("year")
            # mostly back to the map (the default page), else any other page
            default = [p for p in pages if p.get("isDefault")]
            target = default[0] if default and rng.random() < 0.5 else rng.choice(pages)
            res = s.rerun(page_hash=target["pageScriptHash"])
            res.action = f"page:{target.get('pageName', '?')}"
            return res
        if action == "open_link":
            inst = rng.choice(self.insts) if self.insts else None
            q = {"date": f"{rng.randint(1995, dt.date.today().year - 1)}-06-01"}
            if inst:
                q["select"] = inst["id"]
            self.open(urllib.parse.urlencode(q))
            return None
        raise ValueError(action)

    def _fallback(self):
        """On a page without the map's filters: go back to the default page (a user would)."""
        default = [p for p in self.session.pages if p.get("isDefault") and p.get("pageScriptHash")]
        if not default or default[0]["pageScriptHash"] == self.session.page_hash:
            return None
        res = self.session.rerun(page_hash=default[0]["pageScriptHash"])
        res.action = f"page:{default[0].get('pageName', '?')}"
        return res

    def run(self) -> None:
        self.sleep(self.rng.uniform(0, self.think))  # staggered arrival
        names, weights = zip(*ACTIONS, strict=True)
        while time.monotonic() < self.stop_at:
            if self.session is None:
                self.open()
            else:
                action = self.rng.choices(names, weights)[0]
                self.run_step(action, lambda a=action: self.act(a))
            self.sleep(self.think_time())
        if self.session is not None:
            self.session.close()


class RssSampler(threading.Thread):
    """RSS of the server's process tree, or the sum over several servers (replicas)."""

    def __init__(self, pid: int | list[int] | None, t_start: float, every: float = 5.0):
        super().__init__(name="rss", daemon=True)
        self.pids = [] if pid is None else [pid] if isinstance(pid, int) else list(pid)
        self.t_start, self.every = t_start, every
        self.samples: list[tuple[float, float]] = []
        self.halt = threading.Event()

    def sample(self) -> float | None:
        if not self.pids:
            return None
        each = [tree_rss_mb(p) for p in self.pids]
        mb = None if any(m is None for m in each) else round(sum(each), 1)
        if mb is not None:
            self.samples.append((round(time.monotonic() - self.t_start, 1), mb))
        return mb

    def run(self) -> None:
        while not self.halt.wait(self.every):
            self.sample()


def prime(ws_url: str, timeout: float) -> dict:
    """One session that opens every st.navigation page once, before the load: the first visit
    of a page imports its modules (one-off memory), which must not count as growth."""
    s = Session(ws_url, timeout=timeout)
    out = {"pages": [], "errors": []}
    try:
        s.connect()
        res = s.rerun()
        out["errors"] += res.errors
        for p in list(s.pages):
            if p.get("pageScriptHash"):
                res = s.rerun(page_hash=p["pageScriptHash"])
                out["pages"].append(p.get("pageName"))
                out["errors"] += res.errors
    except RunError as exc:
        out["errors"].append(str(exc))
    finally:
        s.close()
    return out


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


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


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


def spawn_cluster(replicas: int, env: dict[str, str]):
    """N replicas behind nginx on loopback (deploy/replicas.py's Cluster), stopped afterwards."""
    import tempfile

    from deploy import replicas as module

    if module.find_nginx() is None:
        raise SystemExit("--replicas needs nginx (make nginx)")
    run_dir = Path(tempfile.mkdtemp(prefix="atlas-bench-replicas-"))
    return module.Cluster(replicas=replicas, run_dir=run_dir, env=env, upstream_header=False)


def websockets_per_replica(access_log: Path) -> dict[str, int]:
    """How the proxy spread the sessions: closed websocket connections per upstream (nginx logs
    a websocket when it closes; the log format of deploy/nginx.conf.template has upstream=)."""
    counts: Counter = Counter()
    if access_log.is_file():
        for line in access_log.read_text(errors="replace").splitlines():
            if "/_stcore/stream" in line and "upstream=" in line:
                counts[line.split("upstream=", 1)[1].split()[0]] += 1
    return dict(counts)


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
