"""整改交办清单 workbooks read back with openpyxl: headers, rows, print setup, deadlines."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from reports_fixture import STALE_SUMMARY, VETO_SUMMARY, XSS

from reports.build import write_reports
from reports.data import ReportError, working_days_after
from reports.meta import rule_meta
from reports.tasks import HEADERS, write_unit_workbook

HEADER_ROW = (
    "序号", "责任单位", "网站名称/标识码", "栏目/URL", "问题类型", "问题描述",
    "发现时间", "整改要求", "完成时限", "整改情况", "复查结果",
)  # fmt: skip


def rows(path, sheet=None):
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    return ws, list(ws.iter_rows(values_only=True))


def test_unit_workbook_header_and_exact_rows(reports):
    ws, data = rows(reports.tasks["yingjiang"])
    assert data[0][0] == "迎江区人民政府政府网站问题整改交办清单（2026-11-27）"
    assert data[1] == HEADER_ROW
    veto, stale = rule_meta("homepage-stale"), rule_meta("stale-column")
    site = "迎江区人民政府（政府信息公开平台）\n3408020001"
    assert data[2:] == [
        (
            1, "迎江区人民政府", site, "http://www.yingjiang.example.gov.cn/xxgk/",
            f"{veto.title_zh}（单项否决）",
            f"{VETO_SUMMARY}\n证据：最新信息日期：2026-11-01；要求更新周期（天）：14"
            "\n发现时间：2026-11-27 08:00",
            "2026-11-27 08:00", veto.fix, datetime(2026, 12, 4), None, None,
        ),
        (
            2, "迎江区人民政府", site, f"通知公告{XSS}\njavascript:alert(1)", stale.title_zh,
            f"{STALE_SUMMARY}\n证据：最新信息日期：2026-03-01；最新信息标题：{XSS}关于开展检查的通知；"
            "最新信息链接：http://www.yingjiang.example.gov.cn/xxgk/tzgg/1.html；要求更新周期（天）：183"
            "\n发现时间：2026-11-20 08:00",
            "2026-11-20 08:00", stale.fix, datetime(2026, 12, 4), None, None,
        ),
    ]  # fmt: skip
    assert ws.cell(4, 4).data_type == "s"  # markup and javascript: stay plain text


def test_unit_workbook_holds_only_its_unit(reports):
    _, data = rows(reports.tasks["jyj"])
    # only the open broken-link: the resolved and the waived findings are not tasks
    assert [r[1] for r in data[2:]] == ["市教育局"]
    assert "dead.html" in data[2][5]
    _, data = rows(reports.tasks["longshi"])
    assert len(data) == 3 and data[2][1] == "龙狮桥乡人民政府"


def test_unit_workbook_is_printable(reports):
    ws, _ = rows(reports.tasks["yingjiang"])
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.column_dimensions["F"].width == 48
    assert ws.cell(3, 6).alignment.wrap_text
    assert ws.cell(2, 1).font.bold


def test_summary_workbook(reports):
    wb = load_workbook(reports.summary)
    assert wb.sheetnames == ["全部问题", "按单位统计"]
    all_rows = list(wb["全部问题"].iter_rows(values_only=True))
    assert all_rows[1] == HEADER_ROW
    assert [(r[0], r[1]) for r in all_rows[2:]] == [
        (1, "市教育局"), (2, "龙狮桥乡人民政府"), (3, "迎江区人民政府"), (4, "迎江区人民政府"),
    ]  # fmt: skip
    counts = list(wb["按单位统计"].iter_rows(values_only=True))
    assert counts[1] == (
        "单位代码",
        "责任单位",
        "单位类型",
        "问题总数",
        "单项否决",
        "扣分",
        "提醒",
        "最早完成时限",
    )
    assert counts[2:] == [
        ("jyj", "市教育局", "部门", 1, 0, 0, 1, datetime(2026, 12, 4)),
        ("longshi", "龙狮桥乡人民政府", "乡镇（街道）", 1, 0, 0, 1, datetime(2026, 12, 11)),
        ("yingjiang", "迎江区人民政府", "区县", 2, 1, 1, 0, datetime(2026, 12, 4)),
    ]
    assert wb["按单位统计"].freeze_panes == "A3"


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 27), 10, date(2026, 12, 11)),  # Friday + 10 → two weekends skipped
        (date(2026, 11, 27), 5, date(2026, 12, 4)),
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 → Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday
        (date(2026, 11, 23), 4, date(2026, 11, 27)),  # inside one week
    ],
)
def test_working_days_skip_weekends(start, days, due):
    assert working_days_after(start, days) == due


def test_deadlines_are_configurable(store, tmp_path):
    config = {"reports": {"deadline_working_days": 3, "veto_deadline_working_days": 1}}
    paths = write_reports(store, 2, tmp_path / "out", config)
    _, data = rows(paths.tasks["yingjiang"])
    # counted from detection: the veto found 11-27, the stale column found 11-20 (not run 2)
    assert [r[8] for r in data[2:]] == [datetime(2026, 11, 30), datetime(2026, 11, 25)]


def test_deadlines_stay_put_and_a_supervisors_date_wins(store, tmp_path):
    """A finding still open a run later keeps its 完成时限 (it falls overdue instead), and the
    date a supervisor set in the review workspace is the one the unit's workbook shows."""
    store.execute(
        "INSERT INTO finding_reviews (finding_id, deadline, updated_at) VALUES (1, '2026-12-31', ?)",
        ["2026-11-28T09:00:00+08:00"],
    )
    store.conn.commit()
    paths = write_reports(store, 2, tmp_path / "out")
    _, data = rows(paths.tasks["yingjiang"])
    # the stale column, found in run 1 (11-20): 10 working days from then, not from run 2
    assert [r[8] for r in data[2:]] == [datetime(2026, 12, 31), datetime(2026, 12, 4)]


@pytest.mark.parametrize("bad", [0, -1, "10", 2.5, True])
def test_bad_deadline_config_names_the_key(store, tmp_path, bad):
    with pytest.raises(ReportError, match="reports: deadline_working_days"):
        write_reports(store, 2, tmp_path / "o", {"reports": {"deadline_working_days": bad}})


def test_scraped_text_never_becomes_a_formula(tmp_path):
    path = tmp_path / "t.xlsx"
    write_unit_workbook(
        path, "t", [{"values": ['=HYPERLINK("http://127.0.0.1/x")\x0b', *[""] * 9]}]
    )
    ws, data = rows(path)
    assert data[2][1] == '=HYPERLINK("http://127.0.0.1/x")'
    assert ws.cell(3, 2).data_type == "s"
    assert len(HEADERS) == 11
