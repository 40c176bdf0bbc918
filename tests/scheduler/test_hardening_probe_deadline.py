"""`zwgk probe --timeout N` bounds each probe's TOTAL time, every network wait in it: a host that
drips its status line and headers (or its TLS handshake) a byte at a time, each read well inside
any per-read timeout, and a name lookup that never answers are cut off at the deadline and
recorded as timeouts."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler

from tests.conftest import loopback_site
from zwgk.store import open_db

NOW = "2026-11-29T08:00:00+08:00"


class Drip(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 60
        for byte in head:  # one header byte a second: 70 s for the headers alone
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return  # the prober hung up, as it should
            time.sleep(1)


def test_a_dripping_host_is_cut_off_at_the_deadline(make_units, zwgk, tmp_path) -> None:
    with loopback_site(Drip) as site:
        units = make_units({"drip": f"{site}/"})
        db = tmp_path / "zwgk.db"
        started = time.monotonic()
        result = zwgk("probe", "--units", units, "--db", db, "--timeout", "2", "--now", NOW)
        elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert elapsed < 5, f"the probe took {elapsed:.1f} s with --timeout 2"
    ok, status, error, ms = (
        open_db(db).execute("SELECT ok, status, error, elapsed_ms FROM probes").fetchone()
    )
    assert (ok, status) == (0, None)
    assert error == "timeout after 2 s"
    assert 1900 <= ms < 4000


class Dot(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_a_hanging_name_lookup_is_inside_the_deadline(
    make_units, zwgk, tmp_path, monkeypatch
) -> None:
    """A resolver that never answers (a dead DNS server, a stuck NSS module) is cut off at
    --timeout like a dripping host, and the other units' probes are not held up by it. The
    resolver is a fake: only loopback is ever contacted."""
    release = threading.Event()
    asked: list[str] = []
    real = socket.getaddrinfo

    def hanging(host, *args, **kwargs):
        if host == "dns-hangs.test":
            asked.append(host)
            release.wait(120)  # longer than the test may take: only the deadline ends the probe
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    try:
        with loopback_site(Dot) as site:
            units = make_units({"hangs": "http://dns-hangs.test/", "fine": f"{site}/"})
            db = tmp_path / "zwgk.db"
            started = time.monotonic()
            result = zwgk("probe", "--units", units, "--db", db, "--timeout", "1", "--now", NOW)
            elapsed = time.monotonic() - started
    finally:
        release.set()
    assert result.exit_code == 0, result.output
    assert asked == ["dns-hangs.test"]
    assert elapsed < 10, f"the probe round took {elapsed:.1f} s with --timeout 1"
    rows = {
        r[0]: r[1:]
        for r in open_db(db).execute("SELECT unit_id, ok, status, error, elapsed_ms FROM probes")
    }
    assert rows["fine"][:3] == (1, 200, None)
    ok, status, error, ms = rows["hangs"]
    assert (ok, status) == (0, None)
    assert error == "timeout after 1 s (looking up dns-hangs.test)"
    assert 900 <= ms < 5000


class TlsDrip(socketserver.BaseRequestHandler):
    """Accepts TCP and drips the start of a TLS record a byte every 0.2 s: each read is well
    inside any per-read timeout, the handshake never completes. (CPython already bounds a whole
    handshake by the socket's timeout; this pins that the probe's own handshake, now run by hand
    after the socket is watched, stays inside the deadline.)"""

    stop = threading.Event()

    def handle(self) -> None:
        record = b"\x16\x03\x01\x40\x00" + b"\x02" * 0x4000  # a 16 KiB ServerHello, never sent
        for byte in record:
            if self.stop.wait(0.2):
                return
            try:
                self.request.sendall(bytes([byte]))
            except OSError:
                return  # the prober hung up, as it should


def test_a_dripping_tls_handshake_is_inside_the_deadline(make_units, zwgk, tmp_path) -> None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), TlsDrip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        units = make_units({"tls": f"https://127.0.0.1:{server.server_address[1]}/"})
        db = tmp_path / "zwgk.db"
        started = time.monotonic()
        result = zwgk("probe", "--units", units, "--db", db, "--timeout", "1", "--now", NOW)
        elapsed = time.monotonic() - started
    finally:
        TlsDrip.stop.set()
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert elapsed < 10, f"the probe took {elapsed:.1f} s with --timeout 1"
    ok, status, error = open_db(db).execute("SELECT ok, status, error FROM probes").fetchone()
    assert (ok, status, error) == (0, None, "timeout after 1 s")
