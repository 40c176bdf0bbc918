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


# -- title cues from the configuration (news_title_cues, document_title_cues) -----------------
EVENT = "{k}号：本局举行主题党日"  # "举行" is no shipped news cue; "主题党日" no substance cue


def event_unit(b, code: str, events: int, docs: int, run: int | None = None):
    """A unit publishing `events` 举行 items and `docs` notices in a column named 信息发布 (a name
    that gives no class), all in the last 90 days (in `run`, else a new run)."""
    b.unit(code)
    run = run or b.run()
    site = b.site(code)
    col = b.column(site, "信息发布", "notice")
    b.crawl(
        run,
        col,
        [days_before(b.now, k % 80) for k in range(events + docs)],
        titles=[EVENT.format(k=k) for k in range(events)] + [DOC.format(k=k) for k in range(docs)],
    )
    return run


def test_shipped_cues_are_the_configured_defaults():
    from checks.config import shipped_defaults
    from checks.recent import Cues, default_cues

    o = shipped_defaults()["news-padding"]
    assert "召开" in o["news_title_cues"] and "通知" in o["document_title_cues"]["document"]
    assert Cues.of(o) == default_cues()
    assert list(o["document_title_cues"]) == ["enforcement", "result", "data", "plan", "document"]


def test_news_title_cues_from_the_configuration_classify_and_fire(b):
    """Shipped cues: 举行 items in a notice column are documents (quiet). A configured news cue
    makes them news (fires); for one unit only when set under its code."""
    run = event_unit(b, "u1", 40, 10)
    b.check(run)
    assert b.findings("news-padding") == []
    news = [*shipped_news_cues(), "举行"]
    b.check(run, config={"rules": {"news-padding": {"news_title_cues": news}}})
    (f,) = b.findings("news-padding")
    assert json.loads(f["evidence"])["class_counts"] == ["动态信息 40", "文件通知 10"]


def test_a_units_own_cues_replace_the_shipped_ones_for_it_alone(b):
    b.unit("u1")
    b.unit("u2")
    run = b.run()
    event_unit(b, "u1", 40, 10, run)
    event_unit(b, "u2", 40, 10, run)
    config = {"units": {"u2": {"rules": {"news-padding": {"news_title_cues": ["举行"]}}}}}
    b.check(run, config=config)
    assert [f["unit_id"] for f in b.findings("news-padding")] == ["u2"]


@pytest.mark.parametrize(("events", "fires"), [(35, False), (36, True)])
def test_configured_cues_keep_the_share_boundary(b, events, fires):
    run = event_unit(b, "u1", events, 50 - events)
    b.check(run, config={"rules": {"news-padding": {"news_title_cues": ["举行"]}}})
    assert bool(b.findings("news-padding")) is fires


def test_document_title_cues_decide_a_class_and_a_class_left_out_has_none(b):
    """document_title_cues replaces the shipped mapping: with `document` cues that lack 通知,
    the notices fall back to their column (a notice column: still documents); with a `data`
    cue 兑现, they read as data, visible in the evidence."""
    run = padding_unit(b, 40, 10)
    b.check(run, config={"rules": {"news-padding": {"document_title_cues": {"data": ["兑现"]}}}})
    (f,) = b.findings("news-padding")
    assert json.loads(f["evidence"])["class_counts"] == ["动态信息 40", "数据统计 10"]


@pytest.mark.parametrize(
    ("opts", "words"),
    [
        ({"news_title_cues": "召开"}, ["news_title_cues", "list"]),
        ({"news_title_cues": ["召开", ""]}, ["1-40 characters"]),
        ({"news_title_cues": ["x" * 41]}, ["1-40 characters"]),
        ({"document_title_cues": {"news": ["召开"]}}, ["unknown class 'news'", "enforcement"]),
        ({"document_title_cues": {"data": "统计"}}, ["data: must be a list"]),
        ({"document_title_cues": ["统计"]}, ["should be a dict"]),
    ],
)
def test_bad_cue_options_are_errors_naming_the_option(opts, words):
    from checks.config import load_rule_config
    from zwgk.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        load_rule_config({"rules": {"news-padding": opts}}, "conf.yaml")
    for w in words:
        assert w in str(err.value)


def shipped_news_cues() -> list[str]:
    from checks.config import shipped_defaults

    return list(shipped_defaults()["news-padding"]["news_title_cues"])
