"""季度测评 scores pinned on a hand-built store (tests/reports/scores_fixture.py).

Worked out by hand with the shipped table (100 points; stale-column 2, missing-request-section
10, blank-column 2 capped at the 栏目建设 indicator's 20, interpretation-missing 2, meta-missing 3;
bonuses no_findings 2 and all_rectified 2):

2026Q3 (one run): yingjiang 100-2-2 = 96 (a stale column still open at the quarter's end);
daguan 100-10 = 90; yixiu no findings 100+2 = 102; jyj eleven blank columns 22 → 20: 80 (the
waived broken link counts for nothing); tjj a blank column fixed in August 100-2+2 = 100; wjw
未评估 (no score).
2026Q4: yingjiang 100-2+2 = 100 (its stale column fixed in November); daguan 100-10 = 90 (its
missing section fixed, but an open crawl-failed finding, which deducts nothing, costs the bonus);
yixiu 100-4 = 96 and 不合格 (a homepage-stale veto, which deducts nothing); jyj 100-20+2 = 82 (fixed in October, still in the quarter); wjw and tjj
100-3 = 97, sharing rank 1 (tjj's blank column, back only in January, is no Q4 problem).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from scores_fixture import AFTER_Q4, XSS, build_scores_store

from checks.scoring import load_scoring_table
from reports.periods import date_range, quarter_period
from reports.scores import most_improved, scores, worst
from reports.scores_export import display_width
from zwgk import clock
from zwgk.cli import main

Q4_EXPECTED = [  # unit, score, verdict, rank, rank_of, previous score, change, bonuses
    ("yingjiang", 100.0, "合格", 1, 3, 96.0, 4.0, ["all_rectified"]),
    ("daguan", 90.0, "合格", 2, 3, 90.0, 0.0, []),
    ("yixiu", 96.0, "不合格", 3, 3, 102.0, -6.0, []),
    ("tjj", 97.0, "合格", 1, 3, 100.0, -3.0, []),
    ("wjw", 97.0, "合格", 1, 3, None, None, []),
    ("jyj", 82.0, "合格", 3, 3, 80.0, 2.0, ["all_rectified"]),
]


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv(clock.ENV, AFTER_Q4)
    return build_scores_store(tmp_path / "zwgk.db")


def _pinned(result):
    return [
        (
            u["unit"],
            u["score"],
            u["verdict"],
            u["rank"],
            u["rank_of"],
            u["previous_score"],
            u["change"],
            [b["bonus"] for b in u["bonuses"]],
        )
        for u in result.units
    ]


def test_quarter_scores_ranks_and_changes_are_pinned(db):
    result = scores(db, quarter_period("2026Q4"), load_scoring_table(None))
    assert _pinned(result) == Q4_EXPECTED
    assert result.previous.period.label == "2026Q3"
    q3 = {u["unit"]: (u["score"], u["rank"]) for u in result.previous.units}
    assert q3 == {
        "yingjiang": (96.0, 2),
        "daguan": (90.0, 3),
        "yixiu": (102.0, 1),
        "jyj": (80.0, 2),
        "tjj": (100.0, 1),
        "wjw": (None, None),
    }
    assert [u["unit"] for u in most_improved(result)] == ["yingjiang", "jyj"]  # not daguan's 0
    assert [u["unit"] for u in worst(result, 3)] == ["yixiu", "jyj", "daguan"]


def test_deductions_name_their_findings_and_caps_bite(db):
    units = {
        u["unit"]: u for u in scores(db, quarter_period("2026Q4"), load_scoring_table(None)).units
    }
    columns = next(i for i in units["jyj"]["indicators"] if i["indicator"] == "columns")
    assert (columns["points"], columns["deducted"], columns["score"]) == (20.0, 20.0, 0.0)
    assert len(columns["deductions"]) == 11  # every finding listed, though the cap bit
    assert {d["rule"] for d in columns["deductions"]} == {"blank-column"}
    yixiu = units["yixiu"]
    assert [(v["rule"], v["summary"]) for v in yixiu["vetoes"]] == [
        ("homepage-stale", f"首页超过14天未更新{XSS}")
    ]
    interp = next(i for i in yixiu["indicators"] if i["indicator"] == "interpretation")
    assert [(d["summary"], d["points"]) for d in interp["deductions"]] == [
        ("政策一缺少解读", 2.0),
        ("政策二缺少解读", 2.0),
    ]
    timeliness = next(i for i in yixiu["indicators"] if i["indicator"] == "timeliness")
    assert timeliness["deducted"] == 0  # the veto finding deducts nothing
    # crawl-failed is in no indicator: daguan's only Q4 deduction is its missing section
    deducted = [d["rule"] for i in units["daguan"]["indicators"] for d in i["deductions"]]
    assert deducted == ["missing-request-section"]


def test_a_date_range_compares_with_the_range_before_it(db):
    result = scores(db, date_range(date(2026, 10, 1), date(2026, 12, 31)), load_scoring_table(None))
    assert result.period.label == "2026-10-01..2026-12-31"
    assert result.previous.period.label == "2026-07-01..2026-09-30"
    assert _pinned(result) == Q4_EXPECTED


def test_ended_periods_keep_their_scores_until_rescored(db):
    shipped = load_scoring_table(None)
    scores(db, quarter_period("2026Q4"), shipped)
    heavier = load_scoring_table(
        {
            "version": "2027",
            "indicators": {
                "all": {"title": "全部", "points": 100, "deductions": {"interpretation-missing": 5}}
            },
        }
    )
    kept = scores(db, quarter_period("2026Q4"), heavier)
    assert _pinned(kept) == Q4_EXPECTED
    assert kept.table_version == shipped.version
    assert any("pass --rescore" in n and shipped.version in n for n in kept.notes)

    redone = scores(db, quarter_period("2026Q4"), heavier, rescore=True)
    assert redone.table_version == heavier.version == f"2027@{heavier.hash}"
    assert any(n.startswith("re-scored 2026Q4") for n in redone.notes)
    by_unit = {u["unit"]: u for u in redone.units}
    assert by_unit["yixiu"]["score"] == 90.0  # 100 - 2 × 5
    assert by_unit["yixiu"]["previous_score"] == 102.0  # Q3 re-scored too: still no findings
    stored = db.execute("SELECT DISTINCT period, table_version FROM scores ORDER BY 1").fetchall()
    assert stored == [("2026Q3", heavier.version), ("2026Q4", heavier.version)]


def test_a_running_quarter_is_scored_afresh(db, monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-12-25T08:00:00+08:00")
    scores(db, quarter_period("2026Q4"), load_scoring_table(None))
    assert db.execute("SELECT DISTINCT final FROM scores WHERE period = '2026Q4'").fetchall() == [
        (0,)
    ]
    other = load_scoring_table({"bonuses": {}})
    result = scores(db, quarter_period("2026Q4"), other)
    assert {u["unit"]: u["score"] for u in result.units}["yingjiang"] == 98.0  # no bonus
    assert result.table_version == other.version
    # only the quarter before, which has ended, kept its scores (and says so)
    assert [n.split()[0] for n in result.notes] == ["2026Q3"]


def _cli(*args: str) -> str:
    done = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.stdout


def test_cli_json_and_csv_shapes(db, tmp_path):
    path = str(tmp_path / "zwgk.db")
    rows = json.loads(_cli("scores", "--db", path, "--quarter", "2026Q4"))
    assert [r["unit"] for r in rows] == [e[0] for e in Q4_EXPECTED]
    assert set(rows[0]) == {
        "period", "start", "end", "unit", "unit_name", "kind", "kind_zh", "score", "full_marks",
        "verdict", "rank", "rank_of", "previous_period", "previous_score", "previous_rank",
        "change", "indicators", "vetoes", "bonuses", "table_version", "computed_at",
    }  # fmt: skip
    assert set(rows[0]["indicators"][0]) == {
        "indicator", "title", "points", "deducted", "score", "deductions",
    }  # fmt: skip
    assert rows[2]["unit_name"] == f"宜秀区人民政府{XSS}"  # JSON carries text as it is

    table = list(csv.reader(io.StringIO(_cli("scores", "--db", path, "--format", "csv", "--quarter", "2026Q4"))))  # fmt: skip
    head = table[0]
    assert head[:13] == [
        "period", "start", "end", "unit", "unit_name", "kind", "score", "full_marks", "verdict",
        "rank", "rank_of", "previous_score", "change",
    ]  # fmt: skip
    assert head[-3:] == ["veto_rules", "bonus", "table_version"]
    assert "deducted_columns" in head
    got = {r[3]: dict(zip(head, r, strict=True)) for r in table[1:]}
    assert got["jyj"]["score"] == "82" and got["jyj"]["deducted_columns"] == "20"
    assert got["yixiu"]["veto_rules"] == "homepage-stale" and got["yixiu"]["change"] == "-6"
    assert got["tjj"]["change"] == "-3"
    assert got["wjw"]["change"] == "" and got["tjj"]["rank"] == got["wjw"]["rank"] == "1"

    lines = _cli("scores", "--db", path, "--format", "table", "--quarter", "2026Q4").splitlines()
    assert lines[0].startswith("2026Q4 (2026-10-01 – 2026-12-31), table ")
    assert lines[1].split() == ["kind", "rank", "score", "change", "verdict", "unit"]
    assert lines[2].split()[:6] == ["county", "1/3", "100", "+4", "合格", "yingjiang"]
    # The unit column starts under its header whether the verdict is 合格 or 不合格.
    col = lines[1].index("unit")
    for line, (unit, *_) in zip(lines[2:], Q4_EXPECTED, strict=True):
        assert display_width(line[: line.index(f" {unit} ") + 1]) == col, line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2026Q5"], "YYYYQn"),
        (["--quarter", "2026Q1"], "no completed monitoring run in 2026Q1"),
        (["--from", "2026-12-01"], "--from and --to go together"),
        (["--from", "2026-12-01", "--to", "2026-11-01"], "is before --from"),
        (["--from", "2026-13-01", "--to", "2026-12-01"], "is not a date"),
        (["--quarter", "2026Q4", "--from", "2026-10-01", "--to", "2026-10-02"], "not both"),
    ],
)
def test_cli_bad_periods_exit_2(db, tmp_path, args, message):
    done = CliRunner().invoke(main, ["scores", "--db", str(tmp_path / "zwgk.db"), *args])
    assert done.exit_code == 2
    assert message in done.output


def test_cli_bad_table_names_file_and_key(db, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        "scoring:\n  indicators:\n    t: {title: T, points: 10, deductions: {no-such-rule: 1}}\n",
        encoding="utf-8",
    )
    done = CliRunner().invoke(
        main, ["scores", "--db", str(tmp_path / "zwgk.db"), "--config", str(config)]
    )
    assert done.exit_code == 2
    assert (
        f"{config}: scoring: indicators: t: deductions: no-such-rule: unknown rule" in done.output
    )


def test_quarterly_docx_reads_back_with_scores_ranks_and_changes(db, tmp_path):
    import docx

    from reports.quarterly import write_quarterly

    notes: list[str] = []
    html, docx_path = write_quarterly(db, "2026Q4", tmp_path / "out", notes=notes)
    doc = docx.Document(str(docx_path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "二、测评得分与排名" in text and "三、存在的主要问题" in text and "四、工作要求" in text
    assert "对6个单位进行测评，满分100分" in text
    assert "平均得分93.67分，最高100分，最低82分；1个单位因单项否决为不合格" in text
    assert (
        "迎江区人民政府（96分→100分，提高4分）、市教育局（80分→82分，提高2分），予以通报表扬"
        in text
    )
    # named for criticism: 不合格 first, then below the average (93.67)
    assert f"宜秀区人民政府{XSS}（区县，96分，不合格（单项否决：首页不更新））、市教育局（部门，82分）、大观区人民政府（区县，90分），予以通报批评" in text  # fmt: skip
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    county, department, chart = tables
    assert county == [
        ["排名", "单位", "得分", "较上季度", "结论"],
        ["1", "迎江区人民政府", "100", "+4", "合格"],
        ["2", "大观区人民政府", "90", "0", "合格"],
        ["3", f"宜秀区人民政府{XSS}", "96", "-6", "不合格（单项否决：首页不更新）"],
    ]
    assert department[1:] == [
        ["1", "市统计局", "97", "-3", "合格"],
        ["1", "市卫生健康委员会", "97", "—", "合格"],
        ["3", "市教育局", "82", "+2", "合格"],
    ]
    assert [row[:2] for row in chart[1:]] == [
        ["60分以下", "0"], ["60–70分", "0"], ["70–80分", "0"],
        ["80–90分", "1"], ["90–100分", "4"], ["100分及以上", "1"],
    ]  # fmt: skip
    page = html.read_text(encoding="utf-8")
    assert XSS not in page and "宜秀区人民政府&lt;script&gt;" in page
    assert page.count("<svg") == 1 and page.count("<rect") == 6
    assert "<td>市统计局</td><td>97</td><td>-3</td>" in page
    assert notes == []


def test_report_with_a_bad_table_exits_2_before_writing(db, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("scoring:\n  indicators:\n    t: {title: T, points: -1}\n", encoding="utf-8")
    out = tmp_path / "q"
    done = CliRunner().invoke(
        main,
        ["report", "--db", str(tmp_path / "zwgk.db"), "--quarter", "2026Q4", "--out", str(out),
         "--config", str(config)],
    )  # fmt: skip
    assert done.exit_code == 2
    assert f"{config}: scoring: indicators: t: points: must be a number above 0" in done.output
    assert not out.exists()
