"""Availability over a simulated week against the demo farm's flaky site (every 10th request
answers 503): 20 probes a day with `--now`, one attempt each, give exactly 10% failures and a
site-unreachable veto for that unit only; the healthy farm portal stays clear."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from checks.runner import run_checks
from zwgk import clock
from zwgk.cli import main
from zwgk.store import open_db
from zwgk.units import load_units

pytestmark = pytest.mark.farm

START = datetime.fromisoformat("2026-11-20T00:00:00+08:00")
PER_DAY = 20
END = START + timedelta(days=7)


def test_a_week_of_probes_on_the_farm_vetoes_the_flaky_site(demo_farm, tmp_path) -> None:
    units = demo_farm.probe_units_path
    db = tmp_path / "probes.db"
    saved = clock.os.environ.get(clock.ENV)
    try:
        for k in range(1, 7 * PER_DAY + 1):
            when = (START + k * timedelta(days=1) / PER_DAY).isoformat()
            result = CliRunner().invoke(
                main, ["probe", "--units", str(units), "--db", str(db), "--now", when]
            )
            assert result.exit_code == 0, result.output
        store = open_db(db)
        counts = dict(
            (unit, (n, failed))
            for unit, n, failed in store.execute(
                "SELECT unit_id, count(*), sum(ok = 0) FROM probes GROUP BY unit_id"
            )
        )
        healthy = load_units(units)[1].code
        assert counts == {"flaky-county": (140, 14), healthy: (140, 0)}
        clock.set_now(END)
        run_id = store.execute(
            "INSERT INTO runs (kind, started_at, clock_at) VALUES ('run', ?, ?)",
            [clock.iso(END), clock.iso(END)],
        ).lastrowid
        run_checks(store, run_id, load_units(units), None, now=END)
        found = store.execute(
            "SELECT unit_id, severity, summary FROM findings WHERE rule = 'site-unreachable'"
        ).fetchall()
        assert [f[:2] for f in found] == [("flaky-county", "veto")]
        assert "10" in found[0][2]  # the summary states the measured ratio
    finally:
        clock.set_now(saved)
