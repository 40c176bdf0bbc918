"""Serve the farm: one ThreadingHTTPServer per site address (127.0.X.Y), all on ONE port.

`serve(dir, seed, now, port)` binds every address (trying ports until all bind), writes
`units.yaml`, `truth-day1.json`, `truth-day2.json` and finally `ready.json` into `dir`, then serves
until SIGTERM. Control on 127.0.0.1: `POST /__farm__/day?n=2`, `GET /__farm__/day`. Every request
is appended to `dir/access.log` (tab-separated: unix time, host, method, path, status), buffered.

`FarmProcess(dir, seed, now)` runs that in a subprocess for tests and `zwgk demo`.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from zwgk.farm import waf
from zwgk.farm.generate import build_city
from zwgk.farm.render import Host
from zwgk.farm.render_links import OFFSITE_IP, OFFSITE_OK

CONTROL_IP = "127.0.0.1"
# An availability-test home page outside the city: every 10th request answers 503, so a week of
# probes (20 a day) measures exactly 10% failures (site-unreachable's veto is at 5%).
FLAKY_IP = "127.0.200.1"
FLAKY_EVERY = 10
FLAKY_HOME = (
    "<html><head><meta charset='utf-8'><title>示例县人民政府</title>"
    "<meta name='SiteName' content='示例县人民政府'></head><body><h1>示例县人民政府</h1></body></html>"
).encode()
PROBE_UNITS = """units:
  - code: flaky-county
    name: 示例县人民政府（可用性测试）
    kind: county
    portal: http://{flaky}:{port}/
    disclosure: http://{flaky}:{port}/xxgk/
  - code: {healthy}
    name: {healthy_name}
    kind: {healthy_kind}
    portal: {healthy_portal}
    disclosure: {healthy_disclosure}
"""


# The farm's configuration (written as config.yaml beside units.yaml; `zwgk demo` and the farm
# tests use it): the operator's grant of off-site link checks, which the off-site plants need.
FARM_CONFIG = """# The demo farm's configuration: off-site link checks granted (broken-link), quickly.
rules:
  broken-link: {offsite_enabled: true, offsite_per_site: 20, offsite_delay_seconds: 0.05}
"""


class Farm:
    """Both days pre-rendered; `day` picks which table answers."""

    def __init__(
        self,
        seed: int,
        now: datetime,
        port: int,
        log_path: Path | None,
        vary: bool = False,
        size: int | None = None,
    ):
        self.day = 1
        self.cities = {d: build_city(seed, now, d, port, vary, size) for d in (1, 2)}
        self.hosts: dict[int, dict[str, Host]] = {d: c.render() for d, c in self.cities.items()}
        self.clock = {d: c.now.timestamp() for d, c in self.cities.items()}
        self.etags: dict[tuple[int, str, str], tuple[str, float]] = {}
        for d in (1, 2):
            for ip, h in self.hosts[d].items():
                for p, body in h.pages.items():
                    tag = '"' + hashlib.md5(body).hexdigest()[:20] + '"'
                    lm = self.clock[d]
                    if d == 2:
                        prev = self.etags.get((1, ip, p))
                        if prev and prev[0] == tag:
                            lm = prev[1]
                    self.etags[(d, ip, p)] = (tag, lm)
        self.flaky_seen: set[tuple[int, str, str]] = set()
        self.flaky_count = 0
        self.lock = threading.Lock()
        self.log: deque[str] = deque()
        self.log_path = log_path

    def note(self, ip: str, method: str, path: str, status: int) -> None:
        self.log.append(f"{time.time():.3f}\t{ip}\t{method}\t{path}\t{status}\n")

    def flush(self) -> None:
        chunk = []
        while self.log:
            chunk.append(self.log.popleft())
        if chunk and self.log_path is not None:
            with open(self.log_path, "a", encoding="utf-8") as fh:
                fh.writelines(chunk)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out together; no 40 ms delayed-ACK stalls
    server_version = "nginx"
    sys_version = ""
    farm: Farm

    def log_message(self, format, *args):  # noqa: A002 - silence the default stderr log
        pass

    def do_GET(self):
        self._handle("GET")

    def do_HEAD(self):
        self._handle("HEAD")

    def do_POST(self):
        self._handle("POST")

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes, method: str) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:  # a 304 never has a body (nor a Content-Length here)
            self.send_header("Content-Length", str(len(body)))
        self._headers_buffer.append(b"\r\n")
        if method != "HEAD" and status != 304:
            self._headers_buffer.append(body)
        self.flush_headers()  # one write: status line, headers and body

    def _handle(self, method: str) -> None:
        farm = self.farm
        ip = self.server.server_address[0]
        parts = urlsplit(self.path)
        path, query = parts.path or "/", parts.query
        body = b""
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            body = self.rfile.read(n)
        status, headers, out = self._route(farm, ip, method, path, query, body)
        farm.note(ip, method, self.path, status)
        self._send(status, headers, out, method)

    def _route(self, farm: Farm, ip: str, method: str, path: str, query: str, body: bytes):
        if ip == CONTROL_IP:
            return self._control(farm, method, path, query)
        if ip == OFFSITE_IP:
            if path == OFFSITE_OK:
                return 200, [("Content-Type", "text/html; charset=utf-8")], FLAKY_HOME
            return 404, [("Content-Type", "text/html")], b"<h1>404 Not Found</h1>"
        if ip == FLAKY_IP:
            with farm.lock:
                farm.flaky_count += 1
                fail = farm.flaky_count % FLAKY_EVERY == 0
            if fail:
                return 503, [("Content-Type", "text/html")], b"<h1>503 Service Unavailable</h1>"
            return 200, [("Content-Type", "text/html; charset=utf-8")], FLAKY_HOME
        day = farm.day
        host = farm.hosts[day].get(ip)
        if host is None:
            return 404, [("Content-Type", "text/plain")], b"no such site"
        blocked = waf.answer(host.block, ip, path, query, self.headers.get("Cookie", ""))
        if blocked is not None:
            return blocked
        if query and f"{path}?{query}" in host.pages:
            path = f"{path}?{query}"  # a static page addressed by its query (list.jspx?pageNo=2)
        page = host.pages.get(path)
        if page is not None and method in ("GET", "HEAD"):
            if host.block == "flaky-503" and path in host.list_paths:
                key = (day, ip, path)
                with farm.lock:
                    first = key not in farm.flaky_seen
                    farm.flaky_seen.add(key)
                if first:
                    return (
                        503,
                        [("Content-Type", "text/html"), ("Retry-After", "1")],
                        b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                    )
            ctype = host.ctypes.get(path, host.html_type())
            tag, lm = farm.etags[(day, ip, path)]
            hdrs = [
                ("Content-Type", ctype),
                ("ETag", tag),
                ("Last-Modified", email.utils.formatdate(lm, usegmt=True)),
            ]
            if self.headers.get("If-None-Match") == tag:
                return 304, hdrs, b""
            ims = self.headers.get("If-Modified-Since")
            if ims and "If-None-Match" not in self.headers:
                try:
                    if email.utils.parsedate_to_datetime(ims).timestamp() >= int(lm):
                        return 304, hdrs, b""
                except (TypeError, ValueError):
                    pass
            return 200, hdrs, page
        for handler in host.dynamic:
            got = handler(method, path, query, body)
            if got is not None:
                st, ctype, data, *extra = got  # extra: more headers (a redirect's Location)
                return st, [("Content-Type", ctype), *(extra[0] if extra else ())], data
        return (
            404,
            [("Content-Type", host.html_type())],
            b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>",
        )

    def _control(self, farm: Farm, method: str, path: str, query: str):
        if path != "/__farm__/day":
            return 404, [("Content-Type", "text/plain")], b"not found"
        if method == "POST":
            try:
                n = int(parse_qs(query).get("n", ["0"])[0])
            except ValueError:
                n = 0
            if n not in (1, 2):
                return 400, [("Content-Type", "application/json")], b'{"error":"n must be 1 or 2"}'
            with farm.lock:
                farm.day = n
                farm.flaky_seen.clear()
        out = json.dumps({"day": farm.day, "now": farm.cities[farm.day].now.isoformat()}).encode()
        return 200, [("Content-Type", "application/json")], out


def bind_all(ips: list[str], port: int, tries: int = 60) -> tuple[int, list[ThreadingHTTPServer]]:
    """Bind every address on one port; with port 0 pick a free one, retrying until all bind."""
    last: OSError | None = None
    for _ in range(tries if port == 0 else 1):
        servers: list[ThreadingHTTPServer] = []
        p = port
        try:
            for ip in ips:
                srv = ThreadingHTTPServer((ip, p), Handler, bind_and_activate=False)
                srv.daemon_threads = True
                srv.allow_reuse_address = True
                srv.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                srv.server_bind()
                srv.server_activate()
                servers.append(srv)
                p = srv.server_address[1]
            return p, servers
        except OSError as exc:
            last = exc
            for s in servers:
                s.server_close()
    raise OSError(f"cannot bind all {len(ips)} farm addresses on one port: {last}")


def serve(
    dirpath: str | Path,
    seed: int,
    now: datetime,
    port: int = 0,
    vary: bool = False,
    size: int | None = None,
) -> None:
    d = Path(dirpath)
    d.mkdir(parents=True, exist_ok=True)
    ready = d / "ready.json"
    ready.unlink(missing_ok=True)
    probe = build_city(seed, now, 1, 8080, vary, size)
    ips = sorted({s.ip for s in probe.sites if s.block != "down"})
    p, servers = bind_all([CONTROL_IP, FLAKY_IP, OFFSITE_IP, *ips], port)
    farm = Farm(seed, now, p, d / "access.log", vary, size)
    (d / "access.log").write_text("")
    Handler.farm = farm
    (d / "units.yaml").write_text(farm.cities[1].units_yaml(), encoding="utf-8")
    (d / "config.yaml").write_text(FARM_CONFIG, encoding="utf-8")
    healthy = farm.cities[1].units[0]
    (d / "probe-units.yaml").write_text(
        PROBE_UNITS.format(
            flaky=FLAKY_IP,
            port=p,
            healthy=healthy.code,
            healthy_name=healthy.name,
            healthy_kind=healthy.kind,
            healthy_portal=healthy.portal.url,
            healthy_disclosure=healthy.disclosure.url,
        ),
        encoding="utf-8",
    )
    for day, city in farm.cities.items():
        (d / f"truth-day{day}.json").write_text(
            json.dumps(city.truth(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    for srv in servers:
        threading.Thread(
            target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        ).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    tmp = d / "ready.json.tmp"
    tmp.write_text(json.dumps({"port": p, "pid": os.getpid(), "hosts": len(ips)}))
    tmp.replace(ready)
    while not stop.wait(0.5):
        farm.flush()
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    farm.flush()


class FarmProcess:
    """Run `python -m zwgk.farm serve` in a subprocess; a context manager for tests and demos."""

    def __init__(
        self,
        dir: str | Path,
        seed: int = 7,
        now: datetime | str = "2026-11-29T08:00:00+08:00",
        port: int = 0,
        timeout: float = 30.0,
        vary: bool = False,
        size: int | None = None,
    ):
        self.vary, self.size = vary, size
        self.dir = Path(dir)
        self.seed = seed
        self.now = now if isinstance(now, str) else now.isoformat()
        self.req_port = port
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.port: int = 0

    @property
    def units_path(self) -> Path:
        return self.dir / "units.yaml"

    @property
    def config_path(self) -> Path:
        return self.dir / "config.yaml"

    @property
    def probe_units_path(self) -> Path:
        """Two units for availability tests: one failing every 10th request, one healthy."""
        return self.dir / "probe-units.yaml"

    def start(self) -> FarmProcess:
        self.dir.mkdir(parents=True, exist_ok=True)
        ready = self.dir / "ready.json"
        ready.unlink(missing_ok=True)
        with open(self.dir / "farm.stderr", "wb") as err:
            self.proc = self._spawn(err)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if ready.exists():
                self.port = json.loads(ready.read_text())["port"]
                return self
            if self.proc.poll() is not None:
                msg = (self.dir / "farm.stderr").read_text(errors="replace")[-2000:]
                raise RuntimeError(
                    f"demo farm exited with {self.proc.returncode} before ready: {msg}"
                )
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"demo farm not ready after {self.timeout:.0f} s (no {ready})")

    def _spawn(self, err) -> subprocess.Popen:
        cmd = [
            sys.executable,
            "-m",
            "zwgk.farm",
            "serve",
            "--seed",
            str(self.seed),
            "--now",
            self.now,
            "--port",
            str(self.req_port),
            "--dir",
            str(self.dir),
            *(["--vary"] if self.vary else []),
            *(["--size", str(self.size)] if self.size else []),
        ]
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)

    def truth(self, day: int = 1) -> dict:
        return json.loads((self.dir / f"truth-day{day}.json").read_text(encoding="utf-8"))

    def set_day(self, n: int) -> dict:
        req = urllib.request.Request(
            f"http://{CONTROL_IP}:{self.port}/__farm__/day?n={n}", method="POST", data=b""
        )
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> FarmProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
