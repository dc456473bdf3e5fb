"""Start and stop Streamlit servers on loopback: the one helper used by deploy, bench and tests.

Everything started here runs in its own process group on 127.0.0.1 and is stopped by group.
No fixed sleeps: readiness is polled on ``/_stcore/health``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str, timeout: float = 2) -> bool:
    """True when ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return bool(r.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_healthy(
    base: str,
    proc: subprocess.Popen | None = None,
    timeout: float = 90,
    *,
    url: str | None = None,
    what: str = "streamlit",
) -> None:
    """Poll ``base``/_stcore/health (or ``url``) until it answers 200; fail fast if ``proc`` exits."""
    target = url or base.rstrip("/") + "/_stcore/health"
    deadline = time.monotonic() + timeout
    while not healthy(target):
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become healthy at {target} in {timeout:.0f} s")
        time.sleep(0.05)


def streamlit_cmd(
    port: int, *, python: str = sys.executable, app: str | Path = ROOT / "app.py", extra: tuple[str, ...] = ()
) -> list[str]:
    """The command line that serves ``app`` on 127.0.0.1:``port``, headless, without usage stats."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]


def start(
    cmd: list[str],
    *,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    log: IO[str] | int | None = subprocess.DEVNULL,
) -> subprocess.Popen:
    """Start ``cmd`` in a new process group (so :func:`terminate` stops it and its children)."""
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def terminate(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, SIGKILL it if it has not gone after 10 s."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextmanager
def app_server(
    env: dict[str, str] | None = None, log_dir: Path | None = None, timeout: float = 90
) -> Iterator[tuple[str, subprocess.Popen, Path | None]]:
    """Serve the app on a free loopback port; yield (base URL, process, log file); stop it afterwards.
    ``env`` is added to this process's environment; output goes to ``log_dir``/streamlit-<port>.log."""
    port = free_port()
    log_path = log_dir / f"streamlit-{port}.log" if log_dir else None
    with open(log_path or os.devnull, "w") as log:
        proc = start(streamlit_cmd(port), env=dict(os.environ) | (env or {}), log=log)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, proc, timeout)
            yield base, proc, log_path
        finally:
            terminate(proc)
