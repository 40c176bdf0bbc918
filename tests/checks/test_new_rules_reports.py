"""The unit rules (low-volume, news-padding) reach the run report and the task list with
evidence a supervisor can read: Chinese labels, the counts, the peers and the sample."""

from __future__ import annotations

from openpyxl import load_workbook
from test_rule_low_volume import volume_city

from reports.build import write_reports
from zwgk import store


def test_low_volume_and_news_padding_in_reports_and_task_list(b, tmp_path):
    run, _ = volume_city(b, {"d1": 40, "d2": 40, "d3": 44, "d4": 5})
    # the builder syncs one unit at a time (the last one stays active): sync them all, as a
    # units file would
    store.sync_units(b.db, list(b.units.values()))
    b.check(run)
    assert {"low-volume", "news-padding"} <= {f["rule"] for f in b.findings()}
    paths = write_reports(b.db, run, tmp_path / "out", None)
    html = (tmp_path / "out" / "units" / "d4.html").read_text(encoding="utf-8")
    assert "信息发布量偏少" in html and "同类单位发布量中位数：40" in html
    assert "同类单位发布量：d3单位 44、d1单位 40、d2单位 40、d4单位 5" in html
    wb = load_workbook(paths.tasks["d4"])
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    describe = next(c for c in cells if isinstance(c, str) and c.startswith("近90天发布信息5条"))
    assert "发布信息条数：5" in describe and "判定阈值（条）：10" in describe
    # every unit here publishes only 工作动态: news-padding with its classification shown
    d1 = (tmp_path / "out" / "units" / "d1.html").read_text(encoding="utf-8")
    assert "以动态信息充数" in d1 and "分类统计：动态信息 40" in d1
    assert "动态信息来源栏目：工作动态 40" in d1


def test_missing_policy_column_and_configured_window_in_the_task_list(b, tmp_path):
    from builders import days_before

    b.unit("c1", "county")
    run = b.run()
    col = b.column(b.site("c1"), "社保参保情况", "periodic")
    b.crawl(run, col, [days_before(b.now, 40)])
    b.check(run)
    paths = write_reports(b.db, run, tmp_path / "out", None)
    wb = load_workbook(paths.tasks["c1"])
    text = "\n".join(
        c for row in wb.active.iter_rows(values_only=True) for c in row if isinstance(c, str)
    )
    assert "缺少重点领域栏目" in text
    assert "缺少的栏目：重点工程建设、土地征收、棚户区改造、扶贫、公共服务、公共监管" in text
    assert "更新时限依据：按栏目“社保参保情况”每月更新的要求" in text
