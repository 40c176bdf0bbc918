"""Availability probes: one visit to every unit's home page, the way the national rule counts.

`site-unreachable` (rules.md) needs a history of at least 20 visits a day over a rolling week, so
each probe is exactly ONE request: no retry, no redirect following, a hard deadline (15 s by
default). A probe is `ok` when the server gives any HTTP answer below 500 other than 404/410: a WAF
challenge (412 `$_ts`, 521 cookie script) still proves the server answers, so it counts as
reachable here and as `crawl-failed` elsewhere. Timeouts, DNS and connection errors, dropped
connections, 5xx, 404 and 410 are failures.

Rows go to `probes` (docs/schema.md) with `probed_at` from the one clock, so `--now` can replay a
week of probes in seconds. The round itself is a `runs` row of kind `probe`.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from zwgk import clock, store
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """One attempt means one request: a 3xx is the answer, not a hop to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


def _opener() -> urllib.request.OpenerDirector:
    # Availability, not certificate hygiene: many government sites serve expired or self-signed
    # certificates, and a browser still reaches them after a warning.
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=tls))


def probe_one(unit: Unit, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Probe:
    """Visit `unit.home` once; never raises for network trouble, it is the measurement."""
    url = unit.home
    probed_at = clock.iso()
    started = time.monotonic()
    status: int | None = None
    error: str | None = None
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            status = response.status
            received = 0
            while received < BODY_SAMPLE_BYTES and time.monotonic() - started <= timeout:
                chunk = response.read1(8192)  # a server dripping its page must not hold us
                if not chunk:
                    break
                received += len(chunk)
    except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx: the server answered
        status = exc.code
        exc.close()
    except TimeoutError:
        error = f"timeout after {timeout:g} s"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            error = f"timeout after {timeout:g} s"
        else:
            error = f"{type(reason).__name__}: {reason}"
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    elapsed = time.monotonic() - started
    if error is None and elapsed > timeout:  # urllib's timeout is per socket operation
        error = f"timeout after {timeout:g} s (answered {status} too slowly)"
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
