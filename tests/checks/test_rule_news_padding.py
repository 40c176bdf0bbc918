"""news-padding: the share of recent items that are news, the classification and its evidence."""

from __future__ import annotations

import json

import pytest
from builders import days_before

from checks.recent import classify

NEWS = "{k}号：本局召开安全生产工作推进会"
DOC = "关于做好第{k}批惠企政策兑现工作的通知"


def padding_unit(b, news: int, docs: int, *, code: str = "u1", news_column: str = "工作动态"):
    """One unit: `news` items in a news column and `docs` in 通知公告, all in the last 90 days."""
    b.unit(code)
    run = b.run()
    site = b.site(code)
    n = b.column(site, news_column, "news")
    b.crawl(
        run,
        n,
        [days_before(b.now, k % 80) for k in range(news)],
        titles=[NEWS.format(k=k) for k in range(news)],
    )
    if docs:
        d = b.column(site, "通知公告", "notice")
        b.crawl(
            run,
            d,
            [days_before(b.now, k % 80) for k in range(docs)],
            titles=[DOC.format(k=k) for k in range(docs)],
        )
    return run


@pytest.mark.parametrize(
    ("news", "docs", "fires"),
    [(35, 15, False), (36, 14, True), (70, 30, False), (71, 29, True), (10, 0, False)],
)
def test_threshold_is_strictly_above_the_share(b, news, docs, fires):
    # 35/50 = 0.70 is not over 0.7; 36/50 = 0.72 is; 10 items are under min_items (20)
    run = padding_unit(b, news, docs)
    b.check(run)
    assert bool(b.findings("news-padding")) is fires


def test_summary_and_evidence_show_the_classification(b):
    run = padding_unit(b, 40, 5)
    b.check(run)
    (f,) = b.findings("news-padding")
    assert f["severity"] == "warn" and f["column_id"] is None and f["site_id"] == b.site()
    assert (
        f["summary"]
        == "近90天发布信息45条，其中动态信息40条，占88.9%（超过70%）；其余为文件通知5条"
    )
    ev = json.loads(f["evidence"])
    assert ev["class_counts"] == ["动态信息 40", "文件通知 5"]
    assert ev["news_count"] == 40 and ev["item_count"] == 45 and ev["news_share"] == 0.8889
    assert ev["news_columns"] == ["工作动态 40"]
    assert len(ev["news_sample"]) == 5 and "推进会" in ev["news_sample"][0]
    assert len(ev["other_sample"]) == 5 and ev["other_sample"][0].startswith("【文件通知】")


def test_a_document_posted_in_the_news_column_is_not_news(b):
    """Title cues come first: 通知 in 工作动态 counts as a document."""
    b.unit()
    run = b.run()
    col = b.column(b.site(), "工作动态", "news")
    titles = [NEWS.format(k=k) for k in range(30)] + [DOC.format(k=k) for k in range(15)]
    b.crawl(run, col, [days_before(b.now, k % 80) for k in range(45)], titles=titles)
    b.check(run)
    assert b.findings("news-padding") == []  # 30/45 = 0.67


def test_old_items_and_dateless_items_are_outside_the_window(b):
    run = padding_unit(b, 15, 10)
    col = b.column(b.site(), "部门动态", "news")
    b.crawl(
        run,
        col,
        [days_before(b.now, 120)] * 30 + [None] * 30,
        titles=[NEWS.format(k=100 + k) for k in range(60)],
    )
    b.check(run)
    assert b.findings("news-padding") == []  # 15 / 25 recent


def test_news_counts_once_across_portal_and_platform(b):
    """The same article listed on the portal and the platform is one item."""
    b.unit(portal=True)
    run = b.run()
    urls = [f"http://u1.test/art/{k}.html" for k in range(20)]
    dates = [days_before(b.now, k) for k in range(20)]
    titles = [NEWS.format(k=k) for k in range(20)]
    for site in (b.site(), b.site("u1", "portal")):
        col = b.column(site, "工作动态", "news", origin="menu")
        b.crawl(run, col, dates, urls=urls, titles=titles)
    d = b.column(b.site(), "通知公告", "notice")
    b.crawl(run, d, dates[:10], titles=[DOC.format(k=k) for k in range(10)])
    b.check(run)
    assert b.findings("news-padding") == []  # 20/30 = 0.67, not 40/50 = 0.8


def test_blocked_site_is_not_judged(b):
    b.unit(portal=True)
    run = b.run(sites={b.site(): "ok", b.site("u1", "portal"): "blocked"})
    col = b.column(b.site(), "工作动态", "news")
    b.crawl(run, col, [days_before(b.now, k) for k in range(40)])
    b.check(run)
    assert b.findings("news-padding") == []


def test_per_unit_threshold_and_disable(b):
    run = padding_unit(b, 30, 20)  # 0.6
    b.check(run, config={"units": {"u1": {"rules": {"news-padding": {"news_share_ratio": 0.5}}}}})
    assert len(b.findings("news-padding")) == 1


@pytest.mark.parametrize(
    ("title", "column", "category", "cls"),
    [
        ("市统计局召开安全生产工作推进会", "工作动态", "news", "news"),  # the unit's name is no cue
        ("关于2026年统计数据发布的通知", "工作动态", "news", "data"),
        ("市市场监管局行政处罚决定书", "工作动态", "news", "enforcement"),
        ("2026年度双随机抽查结果", "部门动态", "news", "enforcement"),
        ("关于拟录用人员名单的公示", "通知公告", "notice", "result"),
        ("关于印发《农村危房改造实施方案》的通知", "政策文件", "notice", "plan"),
        ("图片新闻", "首页", None, "news"),
        ("领导到社区走访", "领导活动", None, "news"),
        ("张三同志", "领导信息", "periodic", "other"),
        ("某某", "统计信息", "periodic", "data"),
        ("某某", "通知公告", "notice", "document"),
    ],
)
def test_classification(title, column, category, cls):
    assert classify(title, column, category) == cls
