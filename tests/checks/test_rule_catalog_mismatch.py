"""catalog-mismatch: exact mirror (control), one side only, renamed, different items."""

from __future__ import annotations

import json

import pytest

D = ["2026-11-20", "2026-11-10", "2026-10-30", "2026-10-01"]
T = [
    "关于开展安全检查的通知",
    "关于印发工作方案的通知",
    "2026年第三季度财政收支情况",
    "人事任免公告",
]


def mirrored(b, *, portal_cols=None, platform_cols=None, portal_status="ok", run_items=True):
    """platform_cols / portal_cols: {catalog_path: (titles, dates, urls)}."""
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    run = b.run(sites={portal: portal_status, platform: "ok"})
    default = {
        "法定主动公开内容/通知公告": (T, D, None),
        "法定主动公开内容/人事信息": (T[3:], D[3:], None),
    }
    for site, spec, prefix in (
        (platform, platform_cols or default, ""),
        (portal, portal_cols or default, "信息公开目录/"),
    ):
        for path, (titles, dates, urls) in spec.items():
            col = b.column(site, path.split("/")[-1], "notice", catalog_path=prefix + path)
            if run_items:
                b.crawl(
                    run, col, list(dates), titles=list(titles), urls=list(urls) if urls else None
                )
    b.check(run)
    return b.findings("catalog-mismatch")


def kinds(found):
    return sorted(json.loads(f["evidence"])["kind"] for f in found)


def test_exact_mirror_is_quiet(b):
    assert mirrored(b) == []


def test_names_differing_only_by_punctuation_and_government_match(b):
    spec_platform = {"法定主动公开内容/政府文件": (T, D, None)}
    spec_portal = {"法定主动公开内容/文件 ": (T, D, None)}
    assert mirrored(b, portal_cols=spec_portal, platform_cols=spec_platform) == []


def test_portal_only_and_platform_only(b):
    found = mirrored(
        b,
        portal_cols={
            "法定主动公开内容/通知公告": (T, D, None),
            "法定主动公开内容/财政资金/专项资金": (["专项资金分配表"], ["2026-05-01"], None),
        },
        platform_cols={
            "法定主动公开内容/通知公告": (T, D, None),
            "法定主动公开内容/重大项目": (["项目批复"], ["2026-06-01"], None),
        },
    )
    assert kinds(found) == ["platform-only", "portal-only"]
    by_kind = {json.loads(f["evidence"])["kind"]: f for f in found}
    assert "专项资金" in by_kind["portal-only"]["summary"]
    assert by_kind["platform-only"]["site_id"] == b.site(role="portal")


def test_renamed_by_shared_items(b):
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/通知公告": (T, D, None)},
        platform_cols={"法定主动公开内容/公示公告": (T, D, None)},
    )
    (f,) = found
    ev = json.loads(f["evidence"])
    assert ev["kind"] == "renamed" and ev["portal_name"] == "通知公告"
    assert ev["platform_name"] == "公示公告" and ev["portal_url"] and ev["platform_url"]


def test_renamed_by_similar_name(b):
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/规划计划信息": (["规划A"], ["2026-01-01"], None)},
        platform_cols={"法定主动公开内容/规划计划": (["规划B"], ["2026-02-01"], None)},
    )
    assert kinds(found) == ["renamed"]


def test_same_column_different_items(b):
    portal_titles = [T[0], T[2], "另一条门户独有信息"]
    portal_dates = [D[0], D[2], "2026-10-15"]
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/政策文件": (portal_titles, portal_dates, None)},
        platform_cols={"法定主动公开内容/政策文件": (T, D, None)},
    )
    (f,) = found
    ev = json.loads(f["evidence"])
    assert ev["kind"] == "items"
    assert [i["title"] for i in ev["missing_on_portal"]] == [
        T[1]
    ]  # T[3] is before the portal's range
    assert [i["title"] for i in ev["missing_on_platform"]] == ["另一条门户独有信息"]
    assert "平台有1条门户未显示，门户有1条平台没有" in f["summary"]


def test_items_match_by_doc_number_or_url(b):
    urls = [f"http://u1.test/xxgk/t{i}.html" for i in range(4)]
    retitled = ["（标题不同）" + t for t in T]
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/政策文件": (retitled, D, urls)},
        platform_cols={"法定主动公开内容/政策文件": (T, D, urls)},
    )
    assert found == []


def test_evidence_lists_are_capped(b):
    many = [f"信息{i}" for i in range(30)]
    dates = [f"2026-10-{i + 1:02d}" for i in range(30)]
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/政策文件": (["门户" + t for t in many], dates, None)},
        platform_cols={"法定主动公开内容/政策文件": (many, dates, None)},
    )
    (f,) = found
    ev = json.loads(f["evidence"])
    assert ev["kind"] == "items"
    assert len(ev["missing_on_portal"]) == 10 and ev["missing_on_portal_count"] == 30


@pytest.mark.parametrize("status", ["blocked", "down"])
def test_not_compared_when_a_side_was_not_assessed(b, status):
    found = mirrored(
        b,
        portal_status=status,
        portal_cols={"法定主动公开内容/专项资金": (["x"], ["2026-01-01"], None)},
    )
    assert found == []


def test_no_portal_catalog_no_comparison(b):
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    run = b.run()
    b.crawl(run, b.column(platform, "通知公告", "notice"), D)
    b.crawl(run, b.column(portal, "首页", is_home=1, catalog_path=""), D)
    b.check(run)
    assert b.findings("catalog-mismatch") == []


def test_portal_menu_columns_are_not_catalog_columns(b):
    """工作动态 linked from the portal's home page menus is not part of its 政府信息公开 catalog."""
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    run = b.run(sites={portal: "ok", platform: "ok"})
    for site in (portal, platform):
        col = b.column(site, "通知公告", "notice", catalog_path="法定主动公开内容/通知公告")
        b.crawl(run, col, list(D), titles=list(T))
    menu = b.column(portal, "工作动态", "news", catalog_path="工作动态", origin="menu")
    b.crawl(run, menu, ["2026-11-25"], titles=["门户要闻"])
    b.check(run)
    assert b.findings("catalog-mismatch") == []


def test_a_portal_with_only_menu_columns_is_not_compared(b):
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    run = b.run(sites={portal: "ok", platform: "ok"})
    col = b.column(platform, "通知公告", "notice", catalog_path="法定主动公开内容/通知公告")
    b.crawl(run, col, list(D), titles=list(T))
    menu = b.column(portal, "工作动态", "news", catalog_path="工作动态", origin="menu")
    b.crawl(run, menu, ["2026-11-25"], titles=["门户要闻"])
    b.check(run)
    assert b.findings("catalog-mismatch") == []


# -- the compared window: the later of the two sides' oldest dates up to the run's date -------
# Ten platform items, newest first, ending a few days before the run (DEFAULT_NOW 2026-11-29).
LAG_DATES = [f"2026-11-{d:02d}" for d in (27, 24, 21, 18, 15, 12, 9, 6, 3, 1)]
LAG_TITLES = [f"第{n}号通知" for n in range(10, 0, -1)]


def _items(found):
    (f,) = found
    ev = json.loads(f["evidence"])
    assert ev["kind"] == "items"
    return ev


def test_portal_copy_missing_the_newest_items_is_listed(b):
    """The commonest real mismatch: the copy stopped syncing and lacks the 3 newest items."""
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/通知公告": (LAG_TITLES[3:], LAG_DATES[3:], None)},
        platform_cols={"法定主动公开内容/通知公告": (LAG_TITLES, LAG_DATES, None)},
    )
    ev = _items(found)
    assert [i["title"] for i in ev["missing_on_portal"]] == LAG_TITLES[:3]
    assert [i["pub_date"] for i in ev["missing_on_portal"]] == LAG_DATES[:3]
    assert ev["missing_on_portal_count"] == 3 and ev["missing_on_platform"] == []
    assert "平台有3条门户未显示，门户有0条平台没有" in found[0]["summary"]


def test_portal_copy_showing_the_same_items_is_quiet(b):
    same = {"法定主动公开内容/通知公告": (LAG_TITLES, LAG_DATES, None)}
    assert mirrored(b, portal_cols=same, platform_cols=same) == []


def test_portal_copy_whose_older_pages_were_not_crawled_is_quiet_before_its_oldest_item(b):
    """The portal list showed its first page only (5 newest): older platform items are not
    compared, newer ones all match."""
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/通知公告": (LAG_TITLES[:5], LAG_DATES[:5], None)},
        platform_cols={"法定主动公开内容/通知公告": (LAG_TITLES, LAG_DATES, None)},
    )
    assert found == []


def test_older_pages_not_crawled_and_newest_missing(b):
    """Boundary: the window starts at the portal's oldest item (included) and still reaches the
    newest platform items."""
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/通知公告": (LAG_TITLES[2:6], LAG_DATES[2:6], None)},
        platform_cols={"法定主动公开内容/通知公告": (LAG_TITLES, LAG_DATES, None)},
    )
    ev = _items(found)
    assert [i["title"] for i in ev["missing_on_portal"]] == LAG_TITLES[:2]


def test_items_dated_after_the_run_are_not_compared(b):
    """A platform item dated after the run's date (a typo, or a scheduled page) is not one the
    portal could be expected to show yet; an item dated on the run's day is."""
    titles = ["明年的通知", "今天的通知", *LAG_TITLES]
    dates = ["2027-01-05", "2026-11-29", *LAG_DATES]
    found = mirrored(
        b,
        portal_cols={"法定主动公开内容/通知公告": (LAG_TITLES, LAG_DATES, None)},
        platform_cols={"法定主动公开内容/通知公告": (titles, dates, None)},
    )
    ev = _items(found)
    assert [i["title"] for i in ev["missing_on_portal"]] == ["今天的通知"]


def test_empty_portal_copy_of_a_platform_column_with_items(b):
    """A portal copy that shows nothing (暂无信息) while the platform column has items lacks
    all of them: the window starts at the platform's oldest item."""
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    run = b.run()
    q = b.column(platform, "通知公告", "notice", catalog_path="法定主动公开内容/通知公告")
    b.crawl(run, q, LAG_DATES, titles=LAG_TITLES)
    p = b.column(
        portal, "通知公告", "notice", catalog_path="信息公开目录/法定主动公开内容/通知公告"
    )
    b.crawl(run, p, [], status="placeholder")
    b.check(run)
    ev = _items(b.findings("catalog-mismatch"))
    assert ev["missing_on_portal_count"] == 10 and len(ev["missing_on_portal"]) == 10


def test_portal_copy_with_dateless_items_only_is_not_compared(b):
    """Dateless items cannot be placed in the window: no claim that the portal lacks items."""
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    run = b.run()
    q = b.column(platform, "通知公告", "notice", catalog_path="法定主动公开内容/通知公告")
    b.crawl(run, q, LAG_DATES, titles=LAG_TITLES)
    p = b.column(
        portal, "通知公告", "notice", catalog_path="信息公开目录/法定主动公开内容/通知公告"
    )
    b.crawl(run, p, [None, None], titles=LAG_TITLES[:2])
    b.check(run)
    assert b.findings("catalog-mismatch") == []
