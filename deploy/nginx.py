"""nginx in front of Streamlit replicas: finding the binary and rendering deploy/nginx.conf.template for given upstreams."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


def base_path(base_url_path: str) -> str:
    """'atlas' or '/atlas/' -> '/atlas/'; '' -> '/'. Same rule as alliance_atlas.renderers.assets.url_prefix."""
    base = base_url_path.strip("/")
    return f"/{base}/" if base else "/"


def find_nginx() -> str | None:
    for candidate in (os.environ.get("ATLAS_NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def render(
    upstreams: list[str],
    *,
    listen: str,
    base_url_path: str = "",
    run_dir: Path,
    max_upload_mb: int = 20,
    workers: int = 1,
    upstream_header: bool = False,
    user: str | None = None,
) -> str:
    """The nginx.conf text for these upstreams ("host:port")."""
    base = base_path(base_url_path)
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    redirect = f"        location = {base.rstrip('/')} {{ return 301 {base}; }}\n" if base != "/" else ""
    header = (
        (
            "        # Which replica answered (for tests and debugging; drop it if you prefer not to show it).\n"
            "        add_header X-Atlas-Upstream $upstream_addr always;"
        )
        if upstream_header
        else ""
    )
    text = TEMPLATE.read_text()
    for key, value in {
        "USER_LINE": f"user {user};" if user else "# (no `user` line: nginx runs as whoever starts it)",
        "WORKERS": str(workers),
        "RUN_DIR": str(run_dir),
        "UPSTREAM_SERVERS": servers,
        "LISTEN": listen,
        "MAX_UPLOAD_MB": str(max_upload_mb),
        "UPSTREAM_HEADER": header,
        "BASE_REDIRECT": redirect,
        "BASE": base,
        "COOKIE_PATH": base,
    }.items():
        text = text.replace(f"@{key}@", value)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines() if "@" in line):
        raise ValueError("unrendered placeholder left in nginx.conf")
    return text
