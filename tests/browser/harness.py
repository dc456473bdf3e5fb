"""Shared browser-test machinery: start Streamlit on a free loopback port, drive Chromium.

Debian's /usr/bin/chromium is used when present (CI, root); otherwise Playwright's own
download (`playwright install chromium`, on a laptop). Every request that leaves
127.0.0.1/localhost is blocked and recorded, so a test can fail on it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen | None = None, timeout: float = 90) -> None:
    """Poll /_stcore/health until it answers 200 (never a fixed sleep); fail fast if the
    process exits."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f} s")
        time.sleep(0.05)


@contextmanager
def streamlit_server(data_dir: Path | None = None, extra_env: dict[str, str] | None = None,
                     started: list | None = None):
    """Run the app; yield its base URL; stop it (by process group) afterwards. ``started``, if
    given, receives the server's Popen (e.g. to read its memory in /proc)."""
    port = free_port()
    env = dict(os.environ)
    if data_dir is not None:
        env["ATLAS_DATA_DIR"] = str(data_dir)
    env |= extra_env or {}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    log = open(ROOT / "build" / f"streamlit-{port}.log", "w") if (ROOT / "build").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if started is not None:
        started.append(proc)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, timeout=60)
        yield base
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)


def chromium_path() -> str | None:
    """Debian's Chromium if installed, else None (Playwright's own browser)."""
    for candidate in (os.environ.get("ATLAS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file"):
        return True
    return parsed.hostname in LOCAL_HOSTS


class OffsiteGuard:
    """Route handler that aborts and records every request leaving loopback."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def __call__(self, route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


class ConsoleErrors:
    """Collects console.error messages and uncaught errors of the pages it watches; check() fails on any.
    The one tolerated message: Streamlit's client probing ``<page>/_stcore/health`` and
    ``<page>/_stcore/host-config`` when a sub-page URL is opened directly (a 404 of a probe, not of the app)."""

    _PROBES = ("/_stcore/health", "/_stcore/host-config")

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if "404" in msg.text and where.endswith(self._PROBES) and urlparse(where).path.count("/") > 2:
            return
        self.errors.append(f"console.error: {msg.text[:300]} ({where[-80:]})")

    def check(self) -> None:
        assert not self.errors, "errors in the browser console:\n" + "\n".join(self.errors[:10])
