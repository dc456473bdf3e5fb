"""Shared bench machinery: start the app on a free loopback port, read a process tree's RSS.

Only 127.0.0.1 is ever contacted. Everything started here is stopped by process group.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
sys.path.insert(0, str(ROOT))

# the same browser flags, loopback test, port picking and server start as deploy/ and the tests
from deploy.servers import CHROMIUM_ARGS, LOCAL_HOSTS, app_server, free_port, wait_healthy  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LOCAL_HOSTS", "RESULTS", "ROOT", "Server", "free_port", "wait_healthy"]


class Server:
    """A spawned app: base URL, pid, log file, and the time it took to become healthy."""

    def __init__(self, base: str, proc: subprocess.Popen, log: Path, started: float, healthy: float):
        self.base, self.proc, self.log = base, proc, log
        self.pid = proc.pid
        self.started, self.healthy_s = started, healthy

    @property
    def ws_url(self) -> str:
        return self.base.replace("http://", "ws://", 1) + "/_stcore/stream"


@contextmanager
def spawn_server(extra_env: dict[str, str] | None = None):
    """Run `streamlit run app.py` on a free 127.0.0.1 port; yield a Server; stop it afterwards."""
    started = time.perf_counter()
    with app_server(extra_env, Path(tempfile.gettempdir())) as (base, proc, log):
        yield Server(base, proc, log, started, time.perf_counter() - started)


# --- memory ----------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    out += [int(x) for x in fh.read().split()]
            except OSError:
                continue
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0


def tree_rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` and all its descendants, in MB (None if it is gone)."""
    total, seen = 0, False
    for p in tree(pid):
        kb = rss_kb(p)
        if kb is not None:
            total += kb
            seen = True
    return round(total / 1024, 1) if seen else None


def tree_cpu_s(pid: int) -> float | None:
    """CPU time (user + system) used so far by ``pid`` and its descendants, in seconds."""
    tick, total, seen = os.sysconf("SC_CLK_TCK"), 0, False
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        seen = True
    return total / tick if seen else None


def pid_listening_on(port: int) -> int | None:
    """The pid of the local process listening on port (found via /proc), if visible."""
    inodes = set()
    for table_path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table_path) as fh:
                next(fh)
                for line in fh:
                    parts = line.split()
                    local, state, inode = parts[1], parts[3], parts[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(inode)
        except OSError:
            continue
    if not inodes:
        return None
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = str(Path(f"/proc/{pid}/fd/{fd}").readlink())
                except OSError:
                    continue
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


# --- figures ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """Percentile with linear interpolation between ranks (q in 0..100); None for no values."""
    if not values:
        return None
    xs = sorted(values)
    if len(xs) == 1:
        return xs[0]
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def table(rows: list[tuple], headers: tuple) -> str:
    rows = [tuple("" if c is None else str(c) for c in r) for r in rows]
    widths = [max([len(str(h))] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    out = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(out)


def stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime())


def org_ids() -> list[str]:
    """The organization ids in the order the app lists them (data/organizations.csv)."""
    rows = (ROOT / "data" / "organizations.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split(",", 1)[0] for line in rows if line.strip()]


def verdict(ok: bool | None) -> str:
    """A figure against its target: PASS, FAIL, or n/a when it was not measured."""
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")
