"""One simulated browser session of the load run (its actions and think time), the server's RSS sampler, the priming run."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, org_ids, tree_rss_mb  # noqa: E402
from stclient import RunError, Session  # noqa: E402
from stwidgets import choice_options, date_range, date_value  # noqa: E402

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
