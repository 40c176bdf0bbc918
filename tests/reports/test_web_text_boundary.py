"""Text from the web is sanitised at one boundary (the store pipeline) and the report stage
survives what it holds: every unit's page and workbook is written without the invisible or
reordering characters, formula-looking titles stay text, and one unit's failing file is recorded
without stopping the others (issue 13)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from scrapy.settings import Settings

import reports.tasks
from crawler.extract.types import ListItem
from crawler.items import ColumnDone, ColumnRecord, ListRecord, PageRecord, Records
from crawler.pipelines import StorePipeline
from zwgk import clock, store
from zwgk.config import load_config
from zwgk.outcomes import record_site_outcomes
from zwgk.runner import run_checks, write_reports
from zwgk.text import clean
from zwgk.units import load_units

NOW = "2026-11-29T08:00:00+08:00"
CODES = ("aa", "bb", "cc")
# Every kind of character the boundary removes, in the middle of real text.
DIRTY = "\ufeff通知\ufffe公告\uffff\U0010fffe\ufdd0\u202e\u2066\u200b\u200d\u2060\x00\x07\x9f\ud800"
FORMULA = '=HYPERLINK("http://evil.example/","点击")'
BAD = [chr(c) for c in (0xFFFE, 0xFFFF, 0x10FFFE, 0xFDD0, 0x202E, 0x2066, 0x200B, 0x200D)]
BAD += [chr(c) for c in (0x2060, 0xFEFF, 0x00, 0x07, 0x9F, 0xD800)]


def test_clean_removes_each_kind_and_keeps_text() -> None:
    assert clean(DIRTY) == "通知公告"
    assert clean("第一行\r\n第二行\t完") == "第一行 第二行 完"
    assert clean("第一行\r\n第二行\r第三行\t完", single_line=False) == "第一行\n第二行\n第三行\t完"
    plain = "关于开展2026年度政府信息公开工作检查的通知"
    assert clean(plain) is plain
    assert clean("中\u3000文 (C) ①") == "中\u3000文 (C) ①"  # not every non-printable goes


def site(code: str) -> str:
    return f"http://127.0.0.1:9/{code}/xxgk/"


def crawl_into_store(tmp_path: Path) -> tuple[sqlite3.Connection, int, list]:
    """Three units, each with one stale notice column whose name and newest title carry DIRTY
    (unit bb's look like a formula), stored through the real StorePipeline."""
    clock.set_now(NOW)
    units_file = tmp_path / "units.yaml"
    units_file.write_text(
        "units:\n"
        + "".join(
            f"  - {{code: {c}, name: {c}单位, kind: county, disclosure: '{site(c)}'}}\n"
            for c in CODES
        ),
        encoding="utf-8",
    )
    units = load_units(units_file)
    db = store.open_db(tmp_path / "z.db")
    store.sync_units(db, units)
    run_id = store.start_run(db, units_total=len(units))
    spider = SimpleNamespace(run_id=run_id, db_path=str(tmp_path / "z.db"))
    pipe = StorePipeline.from_crawler(SimpleNamespace(settings=Settings(), spider=spider))
    pipe.open_spider()
    for code in CODES:
        col = site(code) + "tzgg/"
        name = FORMULA + DIRTY if code == "bb" else DIRTY
        title = FORMULA + DIRTY if code == "bb" else f"关于{DIRTY}检查的通知"
        item = ListItem(title=title, url=col + "1.html", date=date(2026, 1, 5))
        item.date_source = "list"
        pipe.process_item(
            Records(
                [
                    PageRecord(code, "disclosure", site(code), "root", 200, 1000, 5),
                    ColumnRecord(
                        code, "disclosure", col, name, f"首页>{name}", "notice", "name", None
                    ),
                    ListRecord(code, "disclosure", col, [item], first_page=True),
                    ColumnDone(code, "disclosure", col, "ok", 1, 1),
                ]
            )
        )
    pipe.close_spider()
    record_site_outcomes(db, run_id)
    errors: list[str] = []
    run_checks(db, run_id, units, None, errors)
    assert not errors
    store.finish_run(db, run_id, "completed", exit_code=0)
    return db, run_id, units


def stored_text(tmp_path: Path) -> list[str]:
    conn = sqlite3.connect(tmp_path / "z.db")
    rows = conn.execute("SELECT name, catalog_path FROM columns").fetchall()
    rows += conn.execute("SELECT title, url FROM items").fetchall()
    return [text for row in rows for text in row]


def workbook_text(path: Path) -> list[tuple[str, str]]:
    ws = load_workbook(path).active
    return [(c.value, c.data_type) for row in ws.iter_rows() for c in row if c.value is not None]


def test_dirty_records_reach_every_report_clean(tmp_path: Path) -> None:
    db, run_id, _ = crawl_into_store(tmp_path)
    texts = stored_text(tmp_path)
    assert "通知公告" in texts and FORMULA + "通知公告" in texts
    assert not any(ch in t for t in texts for ch in BAD)
    errors: list[str] = []
    out = tmp_path / "out"
    write_reports(db, run_id, out, load_config(None), errors)
    assert errors == []
    for code in CODES:
        html = (out / "units" / f"{code}.html").read_text(encoding="utf-8")
        assert "通知公告" in html, code  # the cleaned column name is in the unit's page
        cells = workbook_text(out / "tasks" / f"{code}.xlsx")
        joined = "\n".join(str(v) for v, _ in cells)
        assert "通知公告" in joined, code
        assert not any(ch in joined for ch in BAD), code
        assert not any(ch in html for ch in BAD), code
    assert not any(ch in (out / "index.html").read_text(encoding="utf-8") for ch in BAD)


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    values = [FORMULA, "+86 0556", "-1", "@SUM(A1)", "\t=1+1", "\r=1", "普通"]
    reports.tasks.write_unit_workbook(path, "标题", [{"values": values}])
    ws = load_workbook(path).active
    row = list(ws[3])[1 : 1 + len(values)]  # row 3: first data row (title, header); skip 序号
    assert [c.value for c in row] == values
    assert all(c.data_type == "s" for c in row)
    assert [c.quotePrefix for c in row] == [True] * 6 + [False]


def test_formula_title_from_the_web_is_text_in_the_workbook(tmp_path: Path) -> None:
    db, run_id, _ = crawl_into_store(tmp_path)
    write_reports(db, run_id, tmp_path / "out", load_config(None), [])
    ws = load_workbook(tmp_path / "out" / "tasks" / "bb.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c for c in cells if c.value.startswith(FORMULA)]  # 栏目/URL, 问题描述
    assert len(formulas) >= 2 and all(c.data_type == "s" and c.quotePrefix for c in formulas)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_one_units_failing_writer_is_recorded_and_the_others_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, run_id, _ = crawl_into_store(tmp_path)
    real = reports.tasks.write_unit_workbook

    def flaky(path: Path, title: str, rows: list) -> None:
        if path.stem == "bb":
            raise OSError("disk full")
        real(path, title, rows)

    monkeypatch.setattr(reports.tasks, "write_unit_workbook", flaky)
    errors: list[str] = []
    out = tmp_path / "out"
    write_reports(db, run_id, out, load_config(None), errors)
    assert errors == ["report tasks/bb.xlsx failed: OSError: disk full"]
    for code in CODES:
        assert (out / "units" / f"{code}.html").exists()
    assert (out / "tasks" / "aa.xlsx").exists() and (out / "tasks" / "cc.xlsx").exists()
    assert not (out / "tasks" / "bb.xlsx").exists()
    assert (out / "tasks" / "_summary.xlsx").exists() and (out / "index.html").exists()


def test_a_run_records_the_failed_report_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through `run_once`: the failure is in the runs table and the summary, the exit is 1."""
    import zwgk.runner as runner
    from zwgk.crawl import CrawlOutcome

    db, _, _ = crawl_into_store(tmp_path)
    real = reports.tasks.write_unit_workbook

    def flaky(path: Path, title: str, rows: list) -> None:
        if path.stem == "aa":
            raise ValueError("odd data")
        real(path, title, rows)

    def fake_crawl(units_path, db_path, run_id, crawl, log, on_tick=None):
        return CrawlOutcome(exit_code=0, seconds=0.1, log_path=log, timed_out=False)

    monkeypatch.setattr(reports.tasks, "write_unit_workbook", flaky)
    monkeypatch.setattr(runner, "run_crawl", fake_crawl)
    result = runner.run_once(tmp_path / "units.yaml", tmp_path / "z.db", None, tmp_path / "o2")
    assert result.exit_code == 1
    status, error = (
        sqlite3.connect(tmp_path / "z.db")
        .execute("SELECT status, error FROM runs WHERE run_id = ?", [result.run_id])
        .fetchone()
    )
    assert status == "failed" and "report tasks/aa.xlsx failed: ValueError: odd data" in error
    assert (tmp_path / "o2" / "tasks" / "bb.xlsx").exists()
