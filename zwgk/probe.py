"""Availability probes: one visit to every unit's home page, the way the national rule counts.

`site-unreachable` (rules.md) needs a history of at least 20 visits a day over a rolling week, so
each probe is exactly ONE request: no retry, no redirect following, and a hard deadline on the
whole visit, name lookup to last byte read (15 s by default). A probe is `ok` when the server
gives any HTTP answer below 500 other than 404/410: a WAF challenge (412 `$_ts`, 521 cookie
script) still proves the server answers, so it counts as reachable here and as `crawl-failed`
elsewhere. Timeouts, DNS and connection errors, dropped
connections, 5xx, 404 and 410 are failures.

Rows go to `probes` (docs/schema.md) with `probed_at` from the one clock, so `--now` can replay a
week of probes in seconds. The round itself is a `runs` row of kind `probe`.
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from zwgk import clock, store
from zwgk.storelock import probe_lock
from zwgk.units import Unit, load_units

DEFAULT_TIMEOUT_SECONDS = 15.0
DEFAULT_WORKERS = 16
USER_AGENT = "zwgk-monitor/0.1 (+availability probe)"
FAILING_STATUSES = frozenset({404, 410})
BODY_SAMPLE_BYTES = 64 * 1024  # read a little of the body: a server that stalls mid-page fails


@dataclass(frozen=True, slots=True)
class Probe:
    unit_id: str
    url: str
    probed_at: str
    ok: bool
    status: int | None
    elapsed_ms: int
    error: str | None


def is_reachable(status: int) -> bool:
    """The verdict for an HTTP answer (a probe without an answer is never reachable)."""
    return status < 500 and status not in FAILING_STATUSES


@functools.cache
def _tls() -> ssl.SSLContext:
    # Availability, not certificate hygiene: many government sites serve expired or self-signed
    # certificates, and a browser still reaches them after a warning. One context serves every
    # probe (wrapping sockets with it is thread-safe), so the CA store is read once.
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE
    return tls


class DeadlineExpired(TimeoutError):
    """The probe's total deadline passed during `phase` (a name lookup, a connection)."""

    def __init__(self, phase: str) -> None:
        super().__init__(phase)
        self.phase = phase


class _Deadline:
    """A total deadline for one probe, over every network wait in it: the name lookup, the TCP
    connection (each address tried), the TLS handshake, the request and the answer. Socket
    timeouts bound each read, not the whole answer: a server dripping one byte a second would
    hold a probe forever. When the deadline passes, a timer shuts the watched socket down, which
    ends any blocking read at once; the waits before there is a socket are bounded by
    `remaining()`."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.fired = False
        self.sock: socket.socket | None = None
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.fire)
        self.timer.daemon = True

    def remaining(self, phase: str) -> float:
        """Seconds left for `phase`; raises DeadlineExpired when none are."""
        left = self.ends - time.monotonic()
        if left <= 0 or self.fired:
            raise DeadlineExpired(phase)
        return left

    def watch(self, sock: socket.socket) -> None:
        """The socket the probe now waits on (it replaces the one watched before)."""
        with self.lock:
            self.sock = sock
            if self.fired:  # the deadline passed while connecting
                self._shutdown()

    def fire(self) -> None:
        with self.lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self.sock is not None:
            with suppress(OSError):
                # The plain socket's shutdown even on a TLS socket: SSLSocket.shutdown drops its
                # SSL object first, which would race with the read it is meant to end.
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)

    def __enter__(self) -> _Deadline:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def _resolve(host: str, port: int, deadline: _Deadline) -> list[tuple]:
    """getaddrinfo, waited for no longer than the deadline. The C resolver takes no timeout (a
    dead DNS server holds it for timeout x attempts x servers of resolv.conf, a stuck NSS module
    for ever), so the lookup runs in a daemon thread; one still running at the deadline is
    abandoned: it ends on its own and, being a daemon, never holds up the process's exit."""
    answer: list[tuple] = []
    failure: list[Exception] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            answer.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except Exception as exc:  # gaierror (or UnicodeError): re-raised in the probe's thread
            failure.append(exc)
        finally:
            done.set()

    phase = f"looking up {host}"
    threading.Thread(target=lookup, name=f"probe lookup {host}", daemon=True).start()
    if not done.wait(deadline.remaining(phase)):
        raise DeadlineExpired(phase)
    if failure:
        raise failure[0]
    return answer


def _open_socket(
    conn: http.client.HTTPConnection, deadline: _Deadline, timeout: float
) -> socket.socket:
    """Connect `conn`'s host and port (as http.client parsed them) inside the deadline, with TLS
    for an HTTPS connection; the returned socket is what `conn` then uses."""
    last: OSError | None = None
    for family, kind, proto, _, address in _resolve(conn.host, conn.port, deadline):
        sock = socket.socket(family, kind, proto)
        try:
            deadline.watch(sock)
            sock.settimeout(deadline.remaining(f"connecting to {conn.host}"))
            sock.connect(address)
        except DeadlineExpired:
            sock.close()
            raise
        except OSError as exc:  # refused, unreachable, or this address timed out: try the next
            sock.close()
            last = exc
            continue
        sock.settimeout(timeout)  # each read; the timer bounds the whole answer
        if isinstance(conn, http.client.HTTPSConnection):
            # No handshake inside wrap_socket: it would run before the TLS socket is watched.
            tls = _tls().wrap_socket(sock, server_hostname=conn.host, do_handshake_on_connect=False)
            try:
                deadline.watch(tls)
                tls.do_handshake()
            except BaseException:
                tls.close()
                raise
            return tls
        return sock
    if deadline.fired:
        raise DeadlineExpired(f"connecting to {conn.host}")
    raise last or OSError(f"no address for {conn.host}")


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.netloc, timeout=timeout, context=_tls()), target
    return http.client.HTTPConnection(parts.netloc, timeout=timeout), target


def probe_one(unit: Unit, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Probe:
    """Visit `unit.home` once (one request: a 3xx is the answer, not a hop to follow); never
    raises for network trouble, it is the measurement. `timeout` bounds the whole probe, name
    lookup and connection included."""
    url = unit.home
    probed_at = clock.iso()
    started = time.monotonic()
    status: int | None = None
    error: str | None = None
    # The connection object only parses the URL and writes the request: the socket under it is
    # opened here, inside the deadline, so http.client never connects (or resolves) by itself.
    conn, target = _connection(url, timeout)
    try:
        with _Deadline(timeout) as deadline:
            try:
                conn.sock = _open_socket(conn, deadline, timeout)
                conn.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
                response = conn.getresponse()
                status = response.status
                received = 0
                while received < BODY_SAMPLE_BYTES:
                    chunk = response.read1(8192)  # a server stalling mid-page fails
                    if not chunk:
                        break
                    received += len(chunk)
            except DeadlineExpired as exc:
                error = f"timeout after {timeout:g} s ({exc.phase})"
            except TimeoutError:
                error = f"timeout after {timeout:g} s"
            except (http.client.HTTPException, ConnectionError, OSError) as exc:
                if not deadline.fired:
                    error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    finally:
        conn.close()
    elapsed = time.monotonic() - started
    if error is None and (deadline.fired or elapsed > timeout):
        error = f"timeout after {timeout:g} s" + (
            f" (answered {status} too slowly)" if status is not None else ""
        )
    ok = error is None and status is not None and is_reachable(status)
    return Probe(unit.code, url, probed_at, ok, status, round(elapsed * 1000), error)


def probe_all(
    units: Sequence[Unit],
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    workers: int = DEFAULT_WORKERS,
) -> list[Probe]:
    """Probe every unit concurrently (threads); results in the units' order."""
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(units)))) as pool:
        return list(pool.map(lambda u: probe_one(u, timeout), units))


def probe_round(
    units_path: Path,
    db_path: Path,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    workers: int = DEFAULT_WORKERS,
) -> tuple[int, list[Probe]]:
    """One recorded round: validate the units file first, probe, store; returns (run_id, probes)."""
    units = load_units(units_path)  # a bad units file fails before any request (ZwgkError)
    with probe_lock(db_path):  # one probe round per store at a time; exit 2 when held
        return _probe_round(units, db_path, timeout, workers)


def _probe_round(
    units: Sequence[Unit], db_path: Path, timeout: float, workers: int
) -> tuple[int, list[Probe]]:
    db = store.open_db(db_path)
    store.sync_units(db, units)
    run_id = store.start_run(db, "probe", units_total=len(units))
    try:
        probes = probe_all(units, timeout, workers)
    except BaseException as exc:
        store.finish_run(db, run_id, "failed", exit_code=1, error=f"{type(exc).__name__}: {exc}")
        raise
    failed = sum(not p.ok for p in probes)
    with db.conn:
        db["probes"].insert_all({**asdict(p), "ok": int(p.ok)} for p in probes)
    store.finish_run(
        db,
        run_id,
        "completed",
        exit_code=0,
        stats={"probes": len(probes), "failed": failed, "timeout_seconds": timeout},
    )
    # A probe round fetches one page per unit; show that in the runs table's own columns.
    db.execute(
        "UPDATE runs SET pages_fetched = ?, failures = ? WHERE run_id = ?",
        [len(probes), failed, run_id],
    )
    return run_id, probes
