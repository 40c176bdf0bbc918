"""End to end: a home page that fails 10% of visits, probed 20 times a day for a simulated week
with `--now`, gives a 10% failure ratio in `probes` and a site-unreachable veto (>= 5%)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from zwgk import clock
from zwgk.store import open_db
from zwgk.units import load_units

START = datetime.fromisoformat("2026-11-23T00:00:00+08:00")
PER_DAY = 20  # the national minimum; 140 probes a week, so every 10th failing is exactly 10%
STEP = timedelta(days=1) / PER_DAY
END = START + 7 * timedelta(days=1)


@pytest.fixture(scope="module")
def week(module_server, cli, units_writer, tmp_path_factory):
    """A week of probe rounds; flaky fails every 10th request, healthy never does."""
    folder = tmp_path_factory.mktemp("week")
    units = units_writer(
        folder, {"flaky": module_server.url("/flaky/"), "healthy": module_server.url("/ok/")}
    )
    db = folder / "zwgk.db"
    saved = clock.os.environ.get(clock.ENV)
    try:
        for k in range(1, 7 * PER_DAY + 1):  # (START, END]: the rule's rolling window
            when = (START + k * STEP).isoformat()
            result = cli("probe", "--units", units, "--db", db, "--now", when)
            assert result.exit_code == 0, result.output
    finally:
        clock.set_now(saved)
    return units, db


def test_a_week_of_probes_stores_the_failure_ratio(week, module_server):
    _, db_path = week
    db = open_db(db_path)
    ratio = {
        unit: (attempts, failures)
        for unit, attempts, failures in db.execute(
            "SELECT unit_id, count(*), sum(ok = 0) FROM probes"
            " WHERE probed_at > ? AND probed_at <= ? GROUP BY unit_id",
            [clock.iso(START), clock.iso(END)],
        )
    }
    assert ratio == {"flaky": (140, 14), "healthy": (140, 0)}
    assert module_server.hits["/flaky/"] == 140  # one attempt a probe: no retry hides failures
    per_day = [
        db.execute(
            "SELECT count(*) FROM probes WHERE unit_id = 'flaky' AND probed_at > ?"
            " AND probed_at <= ?",
            [clock.iso(START + timedelta(days=d)), clock.iso(START + timedelta(days=d + 1))],
        ).fetchone()[0]
        for d in range(7)
    ]
    assert per_day == [PER_DAY] * 7
    kinds = db.execute(
        "SELECT status, error IS NOT NULL, count(*) FROM probes"
        " WHERE unit_id = 'flaky' AND ok = 0 GROUP BY 1, 2"
    ).fetchall()
    assert sorted(kinds, key=str) == sorted([(503, 0, 7), (None, 1, 7)], key=str)


def test_site_unreachable_vetoes_the_flaky_site_only(week):
    from checks import runner

    units_path, db_path = week
    db = open_db(db_path)
    clock.set_now(END)
    run_id = db.execute(
        "INSERT INTO runs (kind, started_at, clock_at) VALUES ('run', ?, ?)",
        [clock.iso(END), clock.iso(END)],
    ).lastrowid

    result = runner.run_checks(db, run_id, load_units(units_path), None, now=END)

    assert result.probes["flaky"].state == "unreachable"
    assert result.probes["healthy"].state == "ok"
    found = db.execute(
        "SELECT unit_id, severity, status, summary FROM findings WHERE rule = 'site-unreachable'"
    ).fetchall()
    assert [f[:3] for f in found] == [("flaky", "veto", "open")]
    assert "疑似关停" not in found[0][3]  # 10% is far from the 80% shutdown note
