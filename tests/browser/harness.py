"""Shared browser-test machinery: start Streamlit on a free loopback port, drive Chromium.

Debian's /usr/bin/chromium is used when present (CI, root); otherwise Playwright's own
download (`playwright install chromium`, on a laptop). Every request that leaves
127.0.0.1/localhost is blocked and recorded, so a test can fail on it.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from deploy.servers import CHROMIUM_ARGS, LOCAL_HOSTS, app_server, free_port, wait_healthy

__all__ = ["CHROMIUM_ARGS", "LOCAL_HOSTS", "ROOT", "free_port", "streamlit_server", "wait_healthy"]

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def streamlit_server(
    data_dir: Path | None = None, extra_env: dict[str, str] | None = None, started: list | None = None
):
    """Run the app; yield its base URL; stop it afterwards. ``started``, if given, receives the
    server's Popen (e.g. to read its memory in /proc)."""
    env = ({"ATLAS_DATA_DIR": str(data_dir)} if data_dir is not None else {}) | (extra_env or {})
    with app_server(env, ROOT / "build" if (ROOT / "build").is_dir() else None, timeout=60) as (base, proc, _log):
        if started is not None:
            started.append(proc)
        yield base


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
