from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from zwgk import clock, migrations, store
from zwgk.errors import ZwgkError


def test_migrations_apply_once_and_record(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "s.db")
    names = [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [name for name, _ in migrations.MIGRATIONS]
    assert migrations.apply(db) == []  # idempotent
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"items_column_date", "items_first_run", "column_runs_column"} <= indexes


def test_m008_gives_existing_sections_external_0(tmp_path: Path, monkeypatch) -> None:
    """A store from before m008 keeps its sections, each not external; only 0/1 is accepted."""
    import sqlite_utils

    names = [n for n, _ in migrations.MIGRATIONS]
    before = migrations.MIGRATIONS[: names.index("m008_section_external")]
    db = sqlite_utils.Database(tmp_path / "s.db")
    monkeypatch.setattr(migrations, "MIGRATIONS", before)
    migrations.apply(db)
    db.execute("INSERT INTO runs (run_id, started_at, clock_at) VALUES (1, 'x', 'x')")
    db.execute(
        "INSERT INTO sections (run_id, site_id, section, name, url, status, ok)"
        " VALUES (1, 1, 'request', '依申请公开', 'http://127.0.0.1/ysqgk/', 200, 1)"
    )
    monkeypatch.undo()
    # m008 and whatever came after it (later migrations must not break this upgrade either)
    assert migrations.apply(db) == names[names.index("m008_section_external") :]
    assert db.execute("SELECT section, external FROM sections").fetchall() == [("request", 0)]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO sections (run_id, site_id, section, name, url, ok, external)"
            " VALUES (1, 1, 'guide', 'g', 'http://127.0.0.1/zn/', 1, 2)"
        )


def test_item_natural_key_prevents_duplicates(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "s.db")
    db.execute(
        "INSERT INTO units (unit_id, name, kind, disclosure, updated_at)"
        " VALUES ('u', 'U', 'county', 'http://127.0.0.1/', 'x')"
    )
    db.execute(
        "INSERT INTO sites (unit_id, role, url, host, first_seen_at, last_seen_at) VALUES ('u', 'disclosure', 'http://127.0.0.1/', '127.0.0.1', 'x', 'x')"
    )
    db.execute(
        "INSERT INTO columns (site_id, unit_id, url, name, first_seen_at, last_seen_at) VALUES (1, 'u', 'http://127.0.0.1/a/', 'A', 'x', 'x')"
    )
    row = (1, "http://127.0.0.1/a/1.html", "t", "x", "x", 1, 1)
    sql = "INSERT INTO items (column_id, url, title, first_seen_at, last_seen_at, first_run_id, last_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
    db.execute(sql, row)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(sql, row)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ZwgkError, match="not a usable SQLite store"):
        store.open_db(bad)


def test_clock_is_settable_and_inherited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.ENV, raising=False)
    clock.set_now("2026-03-01T10:00:00")
    assert clock.now() == datetime.fromisoformat("2026-03-01T10:00:00+08:00")
    assert clock.iso() == "2026-03-01T10:00:00+08:00"
    clock.set_now("2026-03-01T00:30:00+00:00")  # other offsets are converted to CST
    assert clock.today().isoformat() == "2026-03-01"
    assert clock.iso().endswith("+08:00")
    clock.set_now(None)
    with pytest.raises(clock.ClockError, match="ISO 8601"):
        clock.set_now("yesterday")


def test_units_dropped_from_the_file_become_inactive(tmp_path: Path) -> None:
    from zwgk.units import Unit

    db = store.open_db(tmp_path / "s.db")
    a = Unit(code="a", name="A", kind="county", disclosure="http://127.0.0.1/a/")
    b = Unit(code="b", name="B", kind="township", disclosure="http://127.0.0.1/b/")
    store.sync_units(db, [a, b])
    store.sync_units(db, [a])
    assert dict(db.execute("SELECT unit_id, active FROM units").fetchall()) == {"a": 1, "b": 0}
    store.sync_units(db, [a, b])
    assert dict(db.execute("SELECT unit_id, active FROM units").fetchall()) == {"a": 1, "b": 1}


def test_cross_column_detail_lookup_uses_the_url_index(tmp_path: Path) -> None:
    # Without items_url (m006) the lookup probes every column of the site for every row of a
    # list page: a daily cost that grows with the catalog, not with the page.
    from crawler.pipelines import copy_details_sql

    db = store.open_db(tmp_path / "s.db")
    plan = " ".join(
        str(row[-1])
        for row in db.execute("EXPLAIN QUERY PLAN " + copy_details_sql(3), [1, "a", "b", "c", 2])
    )
    assert "USING INDEX items_url (url=?)" in plan


def test_m009_page_meta_accepts_the_three_page_kinds_only(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "s.db")
    db.execute("INSERT INTO runs (run_id, started_at, clock_at) VALUES (1, 'x', 'x')")
    db.execute(
        "INSERT INTO units (unit_id, name, kind, disclosure, updated_at)"
        " VALUES ('u', 'U', 'county', 'http://127.0.0.1/', 'x')"
    )
    db.execute(
        "INSERT INTO sites (site_id, unit_id, role, url, host, first_seen_at, last_seen_at)"
        " VALUES (1, 'u', 'disclosure', 'http://127.0.0.1/', '127.0.0.1', 'x', 'x')"
    )
    db.execute("INSERT INTO page_meta VALUES (1, 1, 'home', '', 'checked', 1, '[]')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO page_meta VALUES (1, 1, 'catalog', '', 'checked', 1, '[]')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO page_meta VALUES (1, 1, 'home', 'SiteName', 'missing', 1, '[]')")
