"""The run's mirror map (checks.mirrors): portal catalog copies matched to platform columns by
URL, catalog path or a unique name, written once per run to zc_mirrors."""

from __future__ import annotations

from checks.config import coerce
from checks.context import Context
from checks.mirrors import catalog_path_key, mirror_map
from zwgk import clock


def context(b, run: int) -> Context:
    ctx = Context(
        db=b.db,
        run_id=run,
        now=clock.parse(b.now),
        config=coerce(None, list(b.units)),
        units=list(b.units.values()),
    )
    ctx.prepare()
    return ctx


def two_sites(b):
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    return portal, platform, b.run()


def mirrors(ctx) -> list[tuple[int, int, str, str]]:
    mirror_map(ctx)
    return [
        tuple(r)
        for r in ctx.db.execute(
            "SELECT portal_column_id, platform_column_id, unit_id, how FROM zc_mirrors"
            " ORDER BY portal_column_id"
        ).fetchall()
    ]


def test_matched_by_url_then_path_then_unique_name(b):
    portal, platform, run = two_sites(b)
    q_link = b.column(platform, "政策解读", catalog_path="法定主动公开内容/政策解读")
    q_path = b.column(platform, "通知公告", catalog_path="法定主动公开内容/通知公告")
    q_name = b.column(platform, "人事信息", catalog_path="法定主动公开内容/人事/人事信息")
    url = b.db.execute("SELECT url FROM columns WHERE column_id = ?", [q_link]).fetchone()[0]
    p_link = b.column(portal, "解读", url=url, catalog_path="信息公开目录/解读", origin="link")
    p_path = b.column(portal, "通知公告", catalog_path="信息公开目录/法定主动公开内容/通知公告")
    p_name = b.column(portal, "人事信息", catalog_path="信息公开目录/人事信息")
    for col in (q_link, q_path, q_name, p_link, p_path, p_name):
        b.crawl(run, col, ["2026-11-20"])
    ctx = context(b, run)
    assert mirrors(ctx) == [
        (p_link, q_link, "u1", "url"),
        (p_path, q_path, "u1", "path"),
        (p_name, q_name, "u1", "name"),
    ]
    ctx.cleanup()


def test_an_ambiguous_name_menus_and_home_are_not_mirrors(b):
    portal, platform, run = two_sites(b)
    for parent in ("区政府", "区财政局"):
        b.crawl(
            run, b.column(platform, "通知公告", catalog_path=f"{parent}/通知公告"), ["2026-11-20"]
        )
    b.crawl(run, b.column(portal, "通知公告", catalog_path="信息公开目录/其他/通知公告"), [])
    b.crawl(run, b.column(platform, "工作动态", catalog_path="工作动态"), ["2026-11-20"])
    b.crawl(run, b.column(portal, "工作动态", catalog_path="工作动态", origin="menu"), [])
    b.crawl(run, b.column(portal, "首页", is_home=1, catalog_path=""), [])
    b.crawl(run, b.column(platform, "首页", is_home=1, catalog_path=""), [])
    ctx = context(b, run)
    assert mirrors(ctx) == []
    cat = mirror_map(ctx).units["u1"]
    assert [c["name"] for c in cat.portal_left] == ["通知公告"]
    assert len(cat.platform_left) == 3
    ctx.cleanup()


def test_computed_once_per_run_and_dropped_with_the_context(b):
    portal, platform, run = two_sites(b)
    b.crawl(run, b.column(platform, "通知公告"), ["2026-11-20"])
    b.crawl(run, b.column(portal, "通知公告"), ["2026-11-20"])
    ctx = context(b, run)
    first = mirror_map(ctx)
    assert mirror_map(ctx) is first and len(first.pairs()) == 1
    ctx.cleanup()
    assert ctx.cache == {}
    assert not b.db.execute("SELECT 1 FROM sqlite_temp_master WHERE name = 'zc_mirrors'").fetchall()


def test_a_unit_without_a_portal_catalog_has_no_map_entry(b):
    b.unit(portal=True)
    platform = b.site()
    run = b.run()
    b.crawl(run, b.column(platform, "通知公告"), ["2026-11-20"])
    ctx = context(b, run)
    assert mirror_map(ctx).units == {} and mirrors(ctx) == []
    ctx.cleanup()


def test_catalog_path_key_drops_generic_roots() -> None:
    assert catalog_path_key("信息公开目录/法定主动公开内容/通知公告", "x") == (
        "法定主动公开内容",
        "通知公告",
    )
    assert catalog_path_key("首页/政府信息公开", "政府 文件") == ("文件",)
