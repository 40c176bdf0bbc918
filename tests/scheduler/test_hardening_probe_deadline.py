"""`zwgk probe --timeout N` bounds each probe's TOTAL time: a host that drips its status line and
headers a byte a second (each read well inside any per-read timeout) is cut off at the deadline
and recorded as a timeout."""

from __future__ import annotations

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
