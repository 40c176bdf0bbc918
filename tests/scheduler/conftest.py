"""Fixtures for the scheduler and probe tests: a loopback HTTP server whose paths answer in known
ways, units files pointing at it, and the CLI run in-process with the clock put back afterwards."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from zwgk.cli import main

WAF_STUB = b"<html><script>$_ts=window['$_ts'];</script></html>"


class Handler(BaseHTTPRequestHandler):
    """Paths: /ok/ 200, /missing/ 404, /gone/ 410, /down/ 503, /waf/ 412 stub, /moved/ 302,
    /slow/ answers after 2 s, /drip/
    sends its body a byte at a time, /flaky/ fails every 10th request (503 and dropped, alternately)."""

    server: LoopbackServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path
        n = self.server.count(path)
        if path == "/flaky/" and n % 10 == 0:
            if n % 20 == 10:
                return self.answer(503, b"busy")
            self.close_connection = True  # dropped: no status line at all
            return None
        if path == "/slow/":
            time.sleep(2)
        if path == "/drip/":  # headers at once, then the page a byte every 0.1 s
            self.send_response(200)
            self.send_header("Content-Length", "30")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return None
        status = {"/missing/": 404, "/gone/": 410, "/down/": 503, "/waf/": 412, "/moved/": 302}.get(
            path, 200
        )
        return self.answer(status, WAF_STUB if status == 412 else "<p>首页</p>".encode())

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/ok/")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, path: str) -> int:
        with self._lock:
            self.hits[path] += 1
            return self.hits[path]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


def serve() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    yield from serve()


@pytest.fixture(scope="module")
def module_server() -> Iterator[LoopbackServer]:
    """One server for a module whose tests share an expensive history (the probe week)."""
    yield from serve()


def write_units(folder: Path, homes: dict[str, str]) -> Path:
    """A units file with one county per code; its URL is the portal (the probe target)."""
    units = [
        {
            "code": code,
            "name": f"{code}区人民政府",
            "kind": "county",
            "portal": url,
            "disclosure": url + "xxgk/",
        }
        for code, url in homes.items()
    ]
    path = folder / "units.yaml"
    path.write_text(yaml.safe_dump({"units": units}, allow_unicode=True), encoding="utf-8")
    return path


def invoke(*args: object) -> Result:
    """Run the `zwgk` CLI in-process (exit codes and output as a user would see them)."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def make_units(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    return lambda homes: write_units(tmp_path, homes)


@pytest.fixture(scope="module")
def cli() -> Callable[..., Result]:
    return invoke


@pytest.fixture(scope="module")
def units_writer() -> Callable[[Path, dict[str, str]], Path]:
    return write_units


@pytest.fixture
def zwgk() -> Callable[..., Result]:
    return invoke
