"""Run N Streamlit replicas of Alliance Atlas behind nginx on this machine, or render the config.

    python deploy/replicas.py run    [--replicas 2] [--base-url-path atlas] [--port 0] [--duration SECONDS]
    python deploy/replicas.py render --upstream 10.0.0.5:8501 --upstream 10.0.0.6:8501 \
                                     [--base-url-path atlas] [--listen 80] [--run-dir /var/lib/atlas-nginx]

`run` starts the replicas on free 127.0.0.1 ports, renders deploy/nginx.conf.template into
build/replicas/<pid>/, starts nginx as the current user on a free 127.0.0.1 port (pid, logs and temp
files in that folder), waits until every replica and the proxy answer /_stcore/health, prints the
URL, and stops everything on Ctrl-C, SIGTERM, after --duration, or when a process dies.
`render` only prints a config for real hosts. The test tests/deploy/test_replicas.py uses `Cluster`.
"""

from __future__ import annotations

import argparse
import getpass
import grp
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script (python deploy/replicas.py): make `deploy` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deploy.nginx import base_path, find_nginx, render  # noqa: E402
from deploy.servers import free_port, start, streamlit_cmd, terminate, wait_healthy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Replica:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def addr(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """Context manager: N replicas + nginx on loopback. `url` is the proxy's app URL (with base path)."""

    replicas: int = 2
    base_url_path: str = ""
    port: int = 0
    python: str = sys.executable
    app_dir: Path = ROOT
    run_dir: Path | None = None
    max_upload_mb: int = 20
    env: dict[str, str] = field(default_factory=dict)
    upstream_header: bool = True
    startup_timeout: float = 90

    def __post_init__(self) -> None:
        self.nodes: list[Replica] = []
        self.nginx: subprocess.Popen | None = None
        self.run_dir = Path(self.run_dir or ROOT / "build" / "replicas" / str(os.getpid()))
        self.port = self.port or free_port()
        self.base = base_path(self.base_url_path)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + self.base

    def replica_health(self, node: Replica) -> str:
        return f"http://{node.addr}{self.base}_stcore/health"

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        nginx = find_nginx()
        if nginx is None:
            raise FileNotFoundError("nginx is not installed (Debian: apt-get install -y nginx)")
        assert self.run_dir is not None
        for sub in ("tmp/client_body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (self.run_dir / sub).mkdir(parents=True, exist_ok=True)
        env = dict(os.environ) | self.env
        for _ in range(self.replicas):
            port = free_port()
            log = self.run_dir / f"streamlit-{port}.log"
            cmd = streamlit_cmd(
                port,
                python=self.python,
                app="app.py",
                extra=(
                    "--server.baseUrlPath",
                    self.base_url_path.strip("/"),
                    "--server.maxUploadSize",
                    str(self.max_upload_mb),
                ),
            )
            with open(log, "w") as out:
                proc = start(cmd, cwd=self.app_dir, env=env, log=out)
            self.nodes.append(Replica(port, proc, log))
        user = None
        if os.geteuid() == 0:  # master as root would hand workers to `nobody`, who cannot write run_dir
            user = f"{getpass.getuser()} {grp.getgrgid(os.getegid()).gr_name}"
        conf = self.run_dir / "nginx.conf"
        conf.write_text(
            render(
                [n.addr for n in self.nodes],
                listen=f"127.0.0.1:{self.port}",
                base_url_path=self.base_url_path,
                run_dir=self.run_dir,
                max_upload_mb=self.max_upload_mb,
                upstream_header=self.upstream_header,
                user=user,
            )
        )
        base_cmd = [nginx, "-p", str(self.run_dir), "-c", str(conf), "-e", str(self.run_dir / "error.log")]
        check = subprocess.run([*base_cmd, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        deadline = time.monotonic() + self.startup_timeout
        for node in self.nodes:
            wait_healthy(
                "",
                node.proc,
                deadline - time.monotonic(),
                url=self.replica_health(node),
                what=f"replica {node.addr} (log: {node.log})",
            )
        self.nginx = subprocess.Popen(
            [*base_cmd, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(self.run_dir / "nginx.stderr").open("w"),  # noqa: SIM115 - open while nginx runs
            start_new_session=True,
        )
        wait_healthy(
            "",
            self.nginx,
            deadline - time.monotonic(),
            url=self.url + "_stcore/health",
            what=f"nginx (log: {self.run_dir}/error.log)",
        )

    def stop_replica(self, index: int) -> Replica:
        node = self.nodes[index]
        terminate(node.proc)
        return node

    def stop(self) -> None:
        if self.nginx is not None:
            terminate(self.nginx)  # SIGTERM: fast shutdown of master and workers
            self.nginx = None
        for node in self.nodes:
            terminate(node.proc)

    def dead(self) -> list[str]:
        out = [f"replica {n.addr}" for n in self.nodes if n.proc.poll() is not None]
        if self.nginx is not None and self.nginx.poll() is not None:
            out.append("nginx")
        return out


def _run(args: argparse.Namespace) -> int:
    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    # SIGINT too: a shell starts background jobs with SIGINT ignored, and Python keeps that.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    cluster = Cluster(
        replicas=args.replicas,
        base_url_path=args.base_url_path,
        port=args.port,
        run_dir=Path(args.run_dir) if args.run_dir else None,
        max_upload_mb=args.max_upload_mb,
        upstream_header=not args.no_upstream_header,
    )
    try:
        with cluster:
            print(
                f"Alliance Atlas: {len(cluster.nodes)} replicas ({', '.join(n.addr for n in cluster.nodes)}) "
                f"behind nginx at {cluster.url}",
                flush=True,
            )
            print(f"logs and nginx.conf: {cluster.run_dir}   (Ctrl-C stops everything)", flush=True)
            end = time.monotonic() + args.duration if args.duration else None
            while end is None or time.monotonic() < end:
                if dead := cluster.dead():
                    print(f"stopped: {', '.join(dead)} exited", file=sys.stderr)
                    return 1
                time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping replicas and nginx", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start replicas + nginx on 127.0.0.1 until Ctrl-C")
    run.add_argument("--replicas", type=int, default=int(os.environ.get("ATLAS_REPLICAS", 2)))
    run.add_argument("--base-url-path", default=os.environ.get("STREAMLIT_SERVER_BASE_URL_PATH", ""))
    run.add_argument("--port", type=int, default=0, help="proxy port (0: a free one)")
    run.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: until Ctrl-C)")
    run.add_argument("--run-dir", default=None, help="nginx prefix/logs (default build/replicas/<pid>)")
    run.add_argument("--max-upload-mb", type=int, default=20)
    run.add_argument("--no-upstream-header", action="store_true", help="do not add X-Atlas-Upstream")
    ren = sub.add_parser("render", help="print nginx.conf for real hosts")
    ren.add_argument("--upstream", action="append", required=True, help="host:port of a replica (repeat)")
    ren.add_argument("--listen", default="80")
    ren.add_argument("--base-url-path", default="")
    ren.add_argument("--run-dir", default="/var/lib/alliance-atlas-nginx")
    ren.add_argument("--max-upload-mb", type=int, default=20)
    ren.add_argument("--workers", default="auto")
    ren.add_argument("--user", default=None, help="nginx `user` line, e.g. 'www-data' when started as root")
    ren.add_argument("--upstream-header", action="store_true", help="add X-Atlas-Upstream (debugging)")
    args = parser.parse_args(argv)
    if args.command == "render":
        sys.stdout.write(
            render(
                args.upstream,
                listen=args.listen,
                base_url_path=args.base_url_path,
                run_dir=Path(args.run_dir),
                max_upload_mb=args.max_upload_mb,
                workers=args.workers,
                upstream_header=args.upstream_header,
                user=args.user,
            )
        )
        return 0
    return _run(args)


if __name__ == "__main__":
    raise SystemExit(main())
