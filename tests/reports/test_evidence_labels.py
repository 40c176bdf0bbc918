"""Evidence in the supervisor's words (#16 item 3): every field labelled in Chinese, and a list
shown whole or with "另有N条" linking to the finding's evidence page, which shows it all."""

from __future__ import annotations

import re
import sqlite3

from reports.data import LIST_SHOWN, VALUES_SHOWN, evidence_parts

RAW_KEY = re.compile(r"[a-z]+_[a-z_]+|[a-z]+\.[a-z]+|^[a-z]+$")


def test_every_demo_finding_reads_in_chinese(crawled) -> None:
    with sqlite3.connect(crawled.db) as conn:
        rows = conn.execute("SELECT rule, evidence FROM findings").fetchall()
    assert len({r for r, _ in rows}) >= 10
    for rule, evidence in rows:
        for p in evidence_parts(evidence, limit=None):
            assert not RAW_KEY.search(p["label"]), (rule, p["label"])


def test_coded_values_read_in_chinese_too(crawled) -> None:
    """A category, a unit kind or how a portal copy was matched is a code in the store; the
    supervisor reads its name. Free text that happens to equal a code's key is left alone."""
    parts = evidence_parts({"category": "news", "match": "path", "portal_copy": {"match": "items"}})
    assert [p["text"] for p in parts] == ["动态要闻类", "路径相同", "信息条目相同（栏目已改名）"]
    assert evidence_parts({"crawl_status": "placeholder"})[0]["text"] == "显示“暂无信息”"
    assert evidence_parts({"newest_item_title": "news"})[0]["text"] == "news"
    folded = evidence_parts(
        {
            "newest_item_date": "2026-11-14",
            "portal_copies": [{"portal_name": "工作动态", "newest_item_date": "2026-11-10"}],
        }
    )
    assert [p["label"] for p in folded] == [
        "最新信息日期",
        "门户网站栏目",
        "门户网站栏目最新信息日期",
    ]
    with sqlite3.connect(crawled.db) as conn:
        rows = conn.execute("SELECT rule, evidence FROM findings").fetchall()
    codes = {"news", "notice", "periodic", "static", "path", "url", "news_notice", "similar name"}
    codes |= {"placeholder", "capped", "partial", "blocked", "failed"}
    for rule, evidence in rows:
        for p in evidence_parts(evidence, limit=None):
            assert p["text"] not in codes, (rule, p["label"], p["text"])


def test_lists_are_whole_or_say_how_many_more() -> None:
    items = [{"title": f"信息{i}", "url": f"http://u1.test/{i}.html"} for i in range(7)]
    four = evidence_parts({"count": 4, "items": items[:4]})
    assert sum(p["label"] == "标题" for p in four) == 4
    assert not any(p.get("more") for p in four)
    seven = evidence_parts({"count": 7, "items": items}, more_href="evidence/u1/3.html")
    assert sum(p["label"] == "标题" for p in seven) == LIST_SHOWN
    (more,) = [p for p in seven if p.get("more")]
    assert more["text"] == f"另有{7 - LIST_SHOWN}条" and more["label"] == "信息"
    assert more["more_href"] == "evidence/u1/3.html"
    whole = evidence_parts({"count": 7, "items": items}, limit=None)
    assert sum(p["label"] == "标题" for p in whole) == 7
    dates = evidence_parts({"dates": [f"2026-11-{d:02d}" for d in range(1, 14)]})
    assert dates[0]["text"].endswith(f"（另有{13 - VALUES_SHOWN}条）")
    assert evidence_parts({"dates": ["2026-11-01", "2026-11-02"]})[0]["text"] == (
        "2026-11-01、2026-11-02"
    )
