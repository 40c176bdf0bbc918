"""`zwgk probe`: one attempt per home page, stored in `probes` with the clock's time."""

from __future__ import annotations

import json
import time

from zwgk.store import open_db

NOW = "2026-11-29T08:00:00+08:00"


def rows(db_path):
    db = open_db(db_path)
    cur = db.execute("SELECT unit_id, url, probed_at, ok, status, error, elapsed_ms FROM probes")
    return {r[0]: dict(zip([d[0] for d in cur.description], r, strict=True)) for r in cur}


def test_each_answer_is_classified_and_stored(server, make_units, zwgk, tmp_path):
    homes = {
        name: server.url(f"/{name}/") for name in ("ok", "missing", "gone", "down", "waf", "moved")
    }
    homes["refused"] = "http://127.0.0.1:9/"  # discard port: nothing listens
    units = make_units(homes)
    db = tmp_path / "zwgk.db"

    result = zwgk("probe", "--units", units, "--db", db, "--now", NOW)

    assert result.exit_code == 0, result.output
    assert "7 home pages, 3 reachable, 4 failed" in result.output
    got = rows(db)
    assert {u: (r["ok"], r["status"]) for u, r in got.items()} == {
        "ok": (1, 200),
        "waf": (1, 412),  # a WAF challenge still proves the server answers
        "moved": (1, 302),  # the answer itself: one request, redirects not followed
        "missing": (0, 404),
        "gone": (0, 410),
        "down": (0, 503),
        "refused": (0, None),
    }
    assert "ConnectionRefused" in got["refused"]["error"]
    assert {r["probed_at"] for r in got.values()} == {NOW}
    assert all(r["url"] == homes[u] and r["elapsed_ms"] >= 0 for u, r in got.items())
    # one attempt each: no retry, no redirect hop
    assert server.hits == {f"/{n}/": 1 for n in ("ok", "missing", "gone", "down", "waf", "moved")}

    run = (
        open_db(db)
        .execute("SELECT kind, status, units_total, pages_fetched, failures, stats FROM runs")
        .fetchall()
    )
    assert [r[:5] for r in run] == [("probe", "completed", 7, 7, 4)]
    assert json.loads(run[0][5])["failed"] == 4


def test_a_slow_home_page_times_out_and_probes_run_concurrently(server, make_units, zwgk, tmp_path):
    units = make_units(
        {
            "slow": server.url("/slow/"),
            "slow2": server.url("/slow/"),
            "drip": server.url("/drip/"),
            "ok": server.url("/ok/"),
        }
    )
    db = tmp_path / "zwgk.db"
    started = time.monotonic()
    result = zwgk("probe", "--units", units, "--db", db, "--timeout", "0.5", "--now", NOW)
    elapsed = time.monotonic() - started

    assert result.exit_code == 0, result.output
    got = rows(db)
    assert got["slow"]["ok"] == got["slow2"]["ok"] == 0
    assert got["slow"]["error"] == "timeout after 0.5 s"
    assert got["ok"]["ok"] == 1
    assert got["drip"]["ok"] == 0 and got["drip"]["status"] == 200
    assert got["drip"]["error"] == "timeout after 0.5 s (answered 200 too slowly)"
    assert elapsed < 1.5, "two 0.5 s timeouts in sequence would be slower: probes are concurrent"


def test_a_bad_units_file_is_exit_2_before_any_request(server, zwgk, tmp_path):
    units = tmp_path / "units.yaml"
    units.write_text(
        f"units:\n  - code: Bad Code\n    name: x\n    kind: county\n"
        f"    disclosure: {server.url('/ok/')}\n",
        encoding="utf-8",
    )
    db = tmp_path / "zwgk.db"
    result = zwgk("probe", "--units", units, "--db", db)

    assert result.exit_code == 2
    assert "units.yaml" in result.output and "code" in result.output
    assert not server.hits
    assert not db.exists() or not open_db(db).execute("SELECT count(*) FROM probes").fetchone()[0]
