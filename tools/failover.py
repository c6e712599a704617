"""Kill a replica under load behind nginx, restart it, and count what the clients saw.

    python -m tools.failover [--rate 60] [--before 4] [--after 4] [--json]

Starts two replicas (`python server.py --workers 1`, each in its own session, on free
ports of 127.0.0.1) and nginx with deploy/crisisgraph.nginx.conf (its ports and paths
substituted, its per-client rate raised: every request here comes from one address).
Steady GET traffic (a plain query and a persisted one, `--rate` requests/s from a few
threads) runs through nginx while replica A is killed with SIGKILL (the whole process
group: the arbiter and its worker, as a crashed machine would lose them), then
restarted. Passes if no GET failed and replica A answered requests through nginx again
once its /healthz was back. Prints requests sent, failed, and latency percentiles overall
and from the kill until A was back. Exits 0 with "skipped: <reason>" when nginx is not
installed (`apt-get install nginx`; .ci/run installs it). Loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tools.live_server import DIRECT, ROOT, free_port

CONFIG = ROOT / "deploy" / "crisisgraph.nginx.conf"
THREADS = 4
READY_TIMEOUT = 120.0
BACK_TIMEOUT = 30.0  # seconds for the restarted replica to take traffic again
PLAIN = "/graphql?query=" + quote("query Titles { events(first: 5) { nodes { title } } }")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def persisted_target() -> str:
    from web.persisted import load_documents

    documents = load_documents(ROOT / "queries")
    return f"/graphql?id={sorted(documents)[0]}"


@dataclass
class Replica:
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        output = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "server.py", "--port", str(self.port), "--workers", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole, as a machine is
        )
        output.close()

    def kill(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def healthy(self) -> bool:
        try:
            with DIRECT.open(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.healthy():
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"replica on {self.port} exited; see {self.log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"replica on {self.port} not healthy after {timeout:.0f} s")
            time.sleep(0.1)  # waiting for a subprocess

    def graphql_requests(self) -> float:
        """GraphQL requests this replica answered (its /metrics, counted since it started)."""
        with DIRECT.open(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as response:
            text = response.read().decode()
        pattern = r'^crisisgraph_http_requests_total\{[^}]*route="/graphql"[^}]*\} (\S+)$'
        return sum(float(m) for m in re.findall(pattern, text, re.MULTILINE))


def render_config(front: int, replicas: list[int], folder: Path) -> Path:
    """deploy/crisisgraph.nginx.conf with these ports and paths, in a whole nginx.conf."""
    site = CONFIG.read_text()
    site = site.replace("listen 8080;", f"listen 127.0.0.1:{front};")
    for default, port in zip(("127.0.0.1:8001", "127.0.0.1:8002"), replicas, strict=True):
        site = site.replace(f"server {default} ", f"server 127.0.0.1:{port} ")
    site = site.replace("/var/cache/nginx/crisisgraph", str(folder / "cache"))
    site = site.replace("rate=20r/s", "rate=10000r/s")  # every client here is 127.0.0.1
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main.write_text(
        f"worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{\n    access_log off;\n{temp}\n    include {folder / 'site.conf'};\n}}\n"
    )
    return main


@dataclass
class Traffic:
    """Paced GET requests through the front, from a few threads, each result recorded."""

    port: int
    rate: float
    targets: tuple[str, ...]
    results: list[tuple[float, float, str]] = field(default_factory=list)  # (sent, ms, error)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, index: int) -> None:
        interval = THREADS / self.rate
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        n = index
        next_at = time.monotonic()
        while not self._stop.is_set():
            target = self.targets[n % len(self.targets)]
            n += 1
            sent = time.monotonic()
            error = ""
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200 or b'"errors"' in body:
                    error = f"{response.status} {body[:120]!r}"
            except (OSError, http.client.HTTPException) as failure:
                error = f"{type(failure).__name__}: {failure}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            with self._lock:
                self.results.append((sent, (time.monotonic() - sent) * 1000, error))
            next_at += interval
            self._stop.wait(max(next_at - time.monotonic(), 0.0))
        connection.close()

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        threads = [threading.Thread(target=self.run, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            self._stop.set()
            for thread in threads:
                thread.join()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)] if ordered else 0.0


def failover(rate: float, before: float, after: float) -> dict[str, object]:
    nginx = nginx_binary()
    if nginx is None:
        return {"skipped": "nginx is not installed (apt-get install nginx)"}
    from data.repository import Repository
    from index.lifecycle import ensure_index
    from settings import data_dir_from_env

    with tempfile.TemporaryDirectory(prefix="crisisgraph-failover-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)  # nginx's workers (not root) read and write under it
        index_dir = folder / "index"
        ensure_index(Repository.load(data_dir_from_env()), index_dir).close()  # built once
        env = {
            **os.environ,
            "CRISISGRAPH_INDEX_DIR": str(index_dir),
            "CRISISGRAPH_TRUSTED_PROXIES": "127.0.0.1",
            "CRISISGRAPH_ACCESS_LOG": "false",
        }
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # each replica counts its own
        a, b = (Replica(free_port(), env, folder / f"replica-{n}.log") for n in "ab")
        front = free_port()
        config = render_config(front, [a.port, b.port], folder)
        nginx_command = [nginx, "-p", str(folder), "-e", str(folder / "error.log"), "-c"]
        with contextlib.ExitStack() as stack:
            for replica in (a, b):
                replica.start()
                stack.callback(replica.stop)
            a.wait_healthy(READY_TIMEOUT)
            b.wait_healthy(READY_TIMEOUT)
            subprocess.run([*nginx_command, str(config), "-t", "-q"], check=True)
            proxy = subprocess.Popen([*nginx_command, str(config), "-g", "daemon off;"])
            stack.callback(_stop_nginx, proxy)
            _wait_listening(front)
            traffic = Traffic(front, rate, (PLAIN, persisted_target()))
            with traffic.running():
                time.sleep(before)  # steady load on both replicas
                killed_at = time.monotonic()
                a.kill()
                time.sleep(1.0)  # traffic now runs on B alone
                a.start()
                a.wait_healthy(READY_TIMEOUT)
                back_at = time.monotonic()
                took = _wait_for_traffic(a, BACK_TIMEOUT)
                time.sleep(after)
            stopped_at = time.monotonic()
            served_again = a.graphql_requests()
    results = traffic.results
    during = [ms for sent, ms, _ in results if killed_at <= sent <= back_at]
    errors = [error for _, _, error in results if error]
    return {
        "sent": len(results),
        "failed": len(errors),
        "errors": sorted(set(errors))[:5],
        "seconds": round(stopped_at - (killed_at - before), 1),
        "p50_ms": round(percentile([ms for _, ms, _ in results], 0.50), 1),
        "p99_ms": round(percentile([ms for _, ms, _ in results], 0.99), 1),
        "during_kill": len(during),
        "during_kill_p99_ms": round(percentile(during, 0.99), 1),
        "during_kill_max_ms": round(max(during, default=0.0), 1),
        "restart_to_healthy_s": round(back_at - killed_at - 1.0, 1),
        "healthy_to_traffic_s": round(took, 1),
        "restarted_replica_requests": served_again,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _wait_for_traffic(replica: Replica, timeout: float) -> float:
    """Seconds until `replica` has answered a GraphQL request through the front."""
    started = time.monotonic()
    while replica.graphql_requests() == 0:
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the restarted replica took no traffic within {timeout:.0f} s")
        time.sleep(0.2)  # polling its metrics
    return time.monotonic() - started


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            with DIRECT.open(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # waiting for nginx to bind


def _stop_nginx(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGQUIT)  # graceful
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.failover", description=__doc__)
    parser.add_argument("--rate", type=float, default=60.0, help="GET requests per second")
    parser.add_argument("--before", type=float, default=4.0, help="seconds of load before")
    parser.add_argument("--after", type=float, default=4.0, help="seconds of load after")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = failover(args.rate, args.before, args.after)
    if "skipped" in report:
        print(f"failover: skipped: {report['skipped']}")
        return 0
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>28}: {value}")
    ok = report["failed"] == 0 and float(str(report["restarted_replica_requests"])) > 0
    print("failover: " + ("PASSED" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
