"""The quarterly 通报 draft: figures in the .docx and HTML, quarter strings validated."""

from __future__ import annotations

from datetime import date

import docx
import pytest
from reports_fixture import XSS

from reports.quarterly import parse_quarter, write_quarterly
from zwgk.errors import ZwgkError


def test_bulletin_docx_has_the_figures(store, tmp_path):
    html, docx_path = write_quarterly(store, "2026Q4", tmp_path)
    assert (html.name, docx_path.name) == ("bulletin-2026Q4.html", "bulletin-2026Q4.docx")
    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert "关于2026年第4季度政府网站与政务公开监测情况的通报" in text
    for part in ("一、总体情况", "二、测评得分与排名", "三、存在的主要问题", "四、工作要求"):
        assert part in text
    assert "共开展自动监测2次" in text
    assert "检查单位3个、网站4个" in text
    # latest assessed verdict per site in the quarter: 3 合格, 1 不合格
    assert "总体合格率75.0%" in text
    assert "区县：合格1个、不合格1个、未评估0个，合格率50.0%" in text
    assert "不合格单位：迎江区人民政府" in text
    # waived and crawl-failed are not named problems; resolved in the quarter still are
    assert "本季度共发现问题4个，截至目前仍有3个未整改" in text
    assert "412防护页面" not in text
    assert "市教育局（1个）：如人事信息栏目无任何信息（开天窗）" in text
    assert "10个工作日内" in text and "5个工作日内" in text


def test_bulletin_html_escapes_scraped_text(store, tmp_path):
    html, _ = write_quarterly(store, "2026q4", tmp_path)
    page = html.read_text(encoding="utf-8")
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<td>75.0%</td>" not in page and "<th>75.0%</th>" in page


@pytest.mark.parametrize("bad", ["2026Q5", "2026Q0", "Q4 2026", "2026-Q4", "26Q4", "", "2026Q4x"])
def test_bad_quarter_names_the_valid_form(store, tmp_path, bad):
    with pytest.raises(ZwgkError, match="YYYYQn"):
        write_quarterly(store, bad, tmp_path)


def test_quarter_without_runs_is_an_error(store, tmp_path):
    with pytest.raises(ZwgkError, match="no completed monitoring run in 2026Q1"):
        write_quarterly(store, "2026Q1", tmp_path)


@pytest.mark.parametrize(
    ("q", "start", "end"),
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026Q4", date(2026, 10, 1), date(2027, 1, 1)),
    ],
)
def test_parse_quarter(q, start, end):
    assert parse_quarter(q) == (q, start, end)
