"""Snapshot-style checks of the run report and unit pages built from the fixed store."""

from __future__ import annotations

import json
import re

import pytest
from reports_fixture import STALE_SUMMARY, VETO_SUMMARY, XSS

from reports.build import unit_file, write_reports
from reports.data import ReportError, safe_href
from reports.meta import rule_meta


def text(path) -> str:
    return path.read_text(encoding="utf-8")


def test_index_summary_figures(reports):
    html = text(reports.index)
    assert "监测日期 2026-11-27" in html
    assert "上次监测 2026-11-20" in html
    # 2 合格, 1 不合格, 1 未评估 (not counted) → 66.7%
    assert '<div class="value">66.7%</div>' in html
    assert "合格 2 / 已评估 3 个网站" in html
    assert "未评估 1 个" in html
    by_kind = html[html.index('id="by-kind"') : html.index('id="trend"')]
    assert re.search(r"<td>区县</td>.*?50\.0%", by_kind, re.S)
    assert re.search(r"<td>部门</td>.*?100\.0%", by_kind, re.S)
    assert re.search(r"<td>乡镇（街道）</td>.*?<td class=\"num\">1</td>\s*<td>.*?—", by_kind, re.S)


def test_index_changes_since_previous_run(reports):
    html = text(reports.index)
    assert "新增 <b>2</b> · 已整改 <b>1</b>" in html
    assert "持续未整改 2 个" in html


def test_index_veto_reasons_and_unassessed(reports):
    html = text(reports.index)
    failed = html[html.index('id="failed"') : html.index('id="by-rule"')]
    assert f'<td class="reason">{rule_meta("homepage-stale").title_zh}</td>' in failed
    assert VETO_SUMMARY in failed
    assert "迎江区人民政府" in failed
    assert "未评估网站（1）" in failed
    assert '<span class="tag v-未评估">未评估</span>' in failed
    assert "龙狮桥乡人民政府" in failed


def test_index_counts_by_rule(reports):
    html = text(reports.index)
    by_rule = html[html.index('id="by-rule"') : html.index('id="findings"')]
    rows = re.findall(r'<tr data-rule="([a-z-]+)">', by_rule)
    assert sorted(rows) == ["broken-link", "crawl-failed", "homepage-stale", "stale-column"]
    # resolved blank-column and the waived broken-link are not open
    assert "blank-column" not in by_rule
    assert re.search(r'data-rule="broken-link">.*?<td>提醒</td><td class="num">1</td>', by_rule)


def test_index_embeds_open_findings_as_json(reports):
    html = text(reports.index)
    m = re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', html, re.S)
    assert m
    rows = json.loads(m.group(1))
    assert {(r["unit"], r["rule"]) for r in rows} == {
        ("yingjiang", "homepage-stale"),
        ("yingjiang", "stale-column"),
        ("jyj", "broken-link"),
        ("longshi", "crawl-failed"),
    }
    stale = next(r for r in rows if r["rule"] == "stale-column")
    assert stale["summary"] == STALE_SUMMARY  # the data is intact, only the markup is encoded
    assert stale["column_href"] is None  # javascript: is never a link
    assert "<script>" not in m.group(1)


def test_trend_chart_is_inline_svg_with_both_runs(reports):
    html = text(reports.index)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "2026-11-20 合格率 75.0%" in svg
    assert "2026-11-27 合格率 66.7%" in svg
    assert "<polyline" in svg


def test_no_network_references(reports):
    for path in [reports.index, *reports.units.values()]:
        html = text(path)
        assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"https?:", html)
        assert "default-src 'none'" in html


@pytest.mark.parametrize("page", ["index", "yingjiang"])
def test_script_in_scraped_title_is_escaped(reports, page):
    html = text(reports.index if page == "index" else reports.units[page])
    assert XSS not in html
    assert "alert(1)" not in html.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "").replace(
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", ""
    ).replace("javascript:alert(1)", "")
    assert 'href="javascript:' not in html


def test_unit_page_holds_only_its_unit(reports):
    html = text(reports.units["yingjiang"])
    assert "<h1>迎江区人民政府</h1>" in html
    assert VETO_SUMMARY in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关于开展检查的通知" in html
    for other in (
        "市教育局",
        "龙狮桥乡",
        "工作动态栏目页",
        "412防护页面",
        "jyj.example",
        "longshi.",
    ):
        assert other not in html
    jyj = text(reports.units["jyj"])
    assert "工作动态栏目页有1个链接无法访问" in jyj
    assert "迎江" not in jyj and VETO_SUMMARY not in jyj


def test_unit_page_history_and_closed(reports):
    jyj = text(reports.units["jyj"])
    history = jyj[jyj.index('id="verdict-history"') : jyj.index('id="events"')]
    assert re.search(r"2026-11-27</td>.*?v-合格", history, re.S)
    blank = rule_meta("blank-column").title_zh
    assert re.search(rf"2026-11-20</td>.*?v-不合格.*?<td>{blank}</td>", history, re.S)
    events = jyj[jyj.index('id="events"') : jyj.index('id="closed"')]
    assert "已整改" in events and "豁免" in events
    closed = jyj[jyj.index('id="closed"') :]
    assert "豁免理由：外部单位已撤销，链接保留说明" in closed
    assert "人事信息栏目无任何信息（开天窗）" in closed


def test_evidence_links_only_for_http(reports):
    html = text(reports.units["yingjiang"])
    assert 'href="http://www.yingjiang.example.gov.cn/xxgk/tzgg/1.html"' in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://a.gov.cn/x", True),
        ("HTTPS://a.gov.cn/", True),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("//evil.example/", False),
        ('http://a.gov.cn/"onmouseover=alert(1)', False),
        ("http:///nohost", False),
        (None, False),
    ],
)
def test_safe_href(url, ok):
    assert (safe_href(url) is not None) is ok


@pytest.mark.parametrize("code", ["../etc", "a/b", "A", "x y", "", "甲"])
def test_unit_paths_refuse_codes_outside_the_pattern(tmp_path, code):
    with pytest.raises(ReportError, match="a-z0-9-"):
        unit_file(tmp_path, code, ".html")


def test_unknown_run_is_an_error(store, tmp_path):
    with pytest.raises(ReportError, match="run 9"):
        write_reports(store, 9, tmp_path / "out")


def test_a_unit_dropped_from_the_units_file_leaves_the_reports(store, tmp_path):
    first = write_reports(store, 2, tmp_path / "before")
    dropped = sorted(first.units)[0]
    store.execute("UPDATE units SET active = 0 WHERE unit_id = ?", [dropped])
    after = write_reports(store, 2, tmp_path / "after")
    assert dropped in first.units and dropped not in after.units
    assert dropped not in after.tasks
    assert f"units/{dropped}.html" not in text(after.index)
