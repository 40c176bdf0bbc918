"""One finding per defect: a portal catalog copy of a platform column (checks.mirrors) is judged
once, as the platform column, by the column rules a copy would repeat (stale-column,
blank-column, burst-publishing, backdated-publishing); site roll-ups count each column once.
A copy that alone is stale or blank lags behind the platform: catalog-mismatch reports it."""

from __future__ import annotations

import json

from builders import days_before
from openpyxl import load_workbook

from checks.export import findings as export_findings
from reports.build import write_reports

PLATFORM_PATH = "法定主动公开内容/{name}"
PORTAL_PATH = "信息公开目录/法定主动公开内容/{name}"


def unit_with_portal(b):
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    return portal, platform, b.run()


def pair(b, run, portal, platform, name, category, q_dates, p_dates, *, q_status="ok"):
    """A platform column and its portal copy (same catalog path under 信息公开目录); items with
    the same titles on both sides where dates are shared."""
    q = b.column(platform, name, category, catalog_path=PLATFORM_PATH.format(name=name))
    p = b.column(portal, name, category, catalog_path=PORTAL_PATH.format(name=name))
    titles = [f"{name}信息{d}" for d in q_dates]
    b.crawl(run, q, q_dates, status=q_status, titles=titles)
    b.crawl(run, p, p_dates, titles=[f"{name}信息{d}" for d in p_dates])
    return q, p


def stale_dates(b, age: int) -> list[str]:
    return [days_before(b.now, age), days_before(b.now, age + 20), days_before(b.now, age + 40)]


def evidence(finding) -> dict:
    return json.loads(finding["evidence"])


def test_a_stale_mirrored_column_is_one_finding_one_task_one_report_entry(b, tmp_path):
    portal, platform, run = unit_with_portal(b)
    dates = stale_dates(b, 200)
    q, p = pair(b, run, portal, platform, "通知公告", "notice", dates, dates)
    b.check(run)

    (f,) = b.findings("stale-column")
    assert (f["site_id"], f["column_id"]) == (platform, q)
    ev = evidence(f)
    p_url = b.db.execute("SELECT url FROM columns WHERE column_id = ?", [p]).fetchone()[0]
    assert ev["portal_copies"] == [
        {
            "portal_name": "通知公告",
            "portal_url": p_url,
            "match": "path",
            "newest_item_date": dates[0],
        }
    ]
    assert "门户网站信息公开目录中的同步栏目“通知公告”同样存在此问题" in f["summary"]
    assert [x["rule"] for x in export_findings(b.db)].count("stale-column") == 1

    paths = write_reports(b.db, run, tmp_path / "out")
    book = load_workbook(paths.tasks["u1"])
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    stale = [r for r in rows if r[4] == "栏目不更新"]
    assert len(stale) == 1  # the copy is named in the evidence, labelled for people
    assert f"门户网站栏目：通知公告；门户网站栏目链接：{p_url}" in stale[0][5]
    summary = list(load_workbook(paths.summary)["全部问题"].iter_rows(min_row=3, values_only=True))
    assert [r[4] for r in summary].count("栏目不更新") == 1
    unit_html = paths.units["u1"].read_text(encoding="utf-8")
    open_table = unit_html.split('<section id="open">', 1)[1].split("</section>", 1)[0]
    assert open_table.count("<td>栏目不更新</td>") == 1
    index_html = paths.index.read_text(encoding="utf-8")
    data = index_html.split('id="findings-data">', 1)[1].split("</script>", 1)[0]
    assert [r["rule"] for r in json.loads(data)].count("stale-column") == 1


def test_the_copy_alone_stale_is_a_catalog_mismatch_not_a_second_freshness_finding(b):
    """The platform published the 3 newest items, the portal copy did not follow: no stale
    finding on the copy; catalog-mismatch lists what the portal lacks."""
    portal, platform, run = unit_with_portal(b)
    old = stale_dates(b, 200)
    new = [days_before(b.now, d) for d in (3, 10, 30)]
    pair(b, run, portal, platform, "通知公告", "notice", new + old, old)
    b.check(run)
    assert b.findings("stale-column") == []
    (m,) = b.findings("catalog-mismatch")
    ev = evidence(m)
    assert ev["kind"] == "items"
    assert [i["pub_date"] for i in ev["missing_on_portal"]] == new


def test_the_copy_is_judged_on_its_own_when_the_platform_column_was_not_assessed(b):
    """Boundary: the platform column's crawl failed, so the copy is the only evidence."""
    portal, platform, run = unit_with_portal(b)
    dates = stale_dates(b, 200)
    q, p = pair(b, run, portal, platform, "通知公告", "notice", dates, dates, q_status="failed")
    b.check(run)
    (f,) = b.findings("stale-column")
    assert (f["site_id"], f["column_id"]) == (portal, p)
    assert "portal_copies" not in evidence(f)


def test_a_stale_platform_column_with_a_fresher_copy_names_no_copy(b):
    portal, platform, run = unit_with_portal(b)
    old = stale_dates(b, 200)
    q, p = pair(b, run, portal, platform, "通知公告", "notice", old, [days_before(b.now, 5), *old])
    b.check(run)
    (f,) = b.findings("stale-column")
    assert f["column_id"] == q and "portal_copies" not in evidence(f)
    assert "同步栏目" not in f["summary"]
    (m,) = b.findings("catalog-mismatch")
    assert len(evidence(m)["missing_on_platform"]) == 1


def test_portal_menu_columns_and_unmatched_copies_keep_their_own_findings(b):
    portal, platform, run = unit_with_portal(b)
    dates = stale_dates(b, 30)
    menu = b.column(portal, "工作动态", "news", catalog_path="工作动态", origin="menu")
    b.crawl(run, menu, dates)
    b.crawl(run, b.column(platform, "工作动态", "news", catalog_path="工作动态"), dates)
    only = b.column(
        portal, "专项资金", "periodic", catalog_path=PORTAL_PATH.format(name="专项资金")
    )
    b.crawl(run, only, stale_dates(b, 400))
    b.check(run)
    subjects = sorted((f["site_id"], f["column_name"]) for f in b.findings("stale-column"))
    assert subjects == sorted([(platform, "工作动态"), (portal, "专项资金"), (portal, "工作动态")])


def test_both_blank_is_one_blank_finding_on_the_platform(b):
    portal, platform, run = unit_with_portal(b)
    q, p = pair(b, run, portal, platform, "人事信息", "periodic", [], [])
    b.db.execute("UPDATE column_runs SET status = 'placeholder' WHERE column_id = ?", [p])
    b.check(run)
    (f,) = b.findings("blank-column")
    assert f["column_id"] == q
    (copy,) = evidence(f)["portal_copies"]
    assert copy["portal_name"] == "人事信息" and copy["crawl_status"] == "placeholder"


def test_a_blank_copy_of_a_column_with_items_is_a_catalog_mismatch(b):
    portal, platform, run = unit_with_portal(b)
    dates = [days_before(b.now, d) for d in (5, 40, 90)]
    pair(b, run, portal, platform, "人事信息", "periodic", dates, [])
    b.check(run)
    assert b.findings("blank-column") == []
    (m,) = b.findings("catalog-mismatch")
    assert evidence(m)["missing_on_portal_count"] == 3


def test_site_rollups_count_each_mirrored_column_once(b):
    """Five stale notice columns copied on the portal: the platform is vetoed once; the portal,
    whose catalog only mirrors them, is not vetoed for the same five columns."""
    portal, platform, run = unit_with_portal(b)
    for n in range(5):
        dates = stale_dates(b, 200 + n)
        pair(b, run, portal, platform, f"通知{n}", "notice", dates, dates)
    b.check(run)
    column_findings = [f for f in b.findings("stale-column") if f["column_id"]]
    assert len(column_findings) == 5 and {f["site_id"] for f in column_findings} == {platform}
    (veto,) = [f for f in b.findings("stale-column") if f["column_id"] is None]
    assert veto["site_id"] == platform and evidence(veto)["stale_columns"] == 5
    assert b.verdict(run, platform) == ("不合格", ["stale-column"])
    assert b.verdict(run, portal) == ("合格", [])


def test_a_burst_on_both_copies_is_one_burst_finding(b):
    portal, platform, run = unit_with_portal(b)
    burst = [days_before(b.now, d) for d in (2, 3, 4)] + [days_before(b.now, 120)]
    q, _ = pair(b, run, portal, platform, "政策文件", "notice", burst, burst)
    b.check(run)
    (f,) = b.findings("burst-publishing")
    assert f["column_id"] == q and evidence(f)["portal_copies"][0]["cluster_count"] == 1


def test_the_copy_finding_moves_to_the_platform_when_the_platform_is_assessed_again(b):
    """Day 1 the platform column failed (the copy carried the finding); day 2 both were read:
    the copy's finding resolves and the platform column holds the one open finding."""
    portal, platform, run = unit_with_portal(b)
    dates = stale_dates(b, 200)
    q, p = pair(b, run, portal, platform, "通知公告", "notice", dates, dates, q_status="failed")
    b.check(run)
    assert [f["column_id"] for f in b.findings("stale-column")] == [p]
    run2 = b.run("2026-11-30T08:00:00+08:00")
    b.crawl(run2, q)
    b.crawl(run2, p)
    b.check(run2)
    assert [f["column_id"] for f in b.findings("stale-column")] == [q]
    assert [f["column_id"] for f in b.findings("stale-column", "resolved")] == [p]


def test_backdating_on_both_copies_is_one_finding_and_a_late_copy_alone_is_none(b):
    """Both sides list 3 new items dated well before the previous crawl: one finding, on the
    platform column. A second copy that only now catches up with items the platform listed on
    time is not accused of backdating."""
    b.unit(portal=True)
    portal, platform = b.site(role="portal"), b.site()
    day1, day2 = "2026-11-01T08:00:00+08:00", "2026-11-02T08:00:00+08:00"
    r1 = b.run(day1)
    known = [days_before(day1, d) for d in (5, 40, 90)]
    late = [days_before(day1, d) for d in (10, 12, 20)]
    q = b.column(platform, "政策文件", "notice", catalog_path=PLATFORM_PATH.format(name="政策文件"))
    p = b.column(portal, "政策文件", "notice", catalog_path=PORTAL_PATH.format(name="政策文件"))
    q2 = b.column(platform, "规范性文件", "notice", catalog_path="法定主动公开内容/规范性文件")
    p2 = b.column(portal, "规范性文件", "notice", catalog_path="信息公开目录/规范性文件")
    for col in (q, p):
        b.crawl(r1, col, known)
    b.crawl(r1, q2, known + late)
    b.crawl(r1, p2, known)
    b.check(r1)
    r2 = b.run(day2)
    for col in (q, p, p2):
        b.crawl(r2, col, late)
    b.crawl(r2, q2)
    b.check(r2)
    (f,) = b.findings("backdated-publishing")
    assert f["column_id"] == q
    assert evidence(f)["portal_copies"][0]["backdated_items"] == 3


def test_a_renamed_copy_sharing_its_items_is_one_finding_and_one_rename(b):
    """通知公告 on the portal for 公示公告 on the platform, the same items: catalog-mismatch
    reports the rename, and the stale column is one finding, on the platform column."""
    portal, platform, run = unit_with_portal(b)
    dates = stale_dates(b, 200)
    titles = [f"公告信息{d}" for d in dates]
    q = b.column(platform, "公示公告", "notice", catalog_path=PLATFORM_PATH.format(name="公示公告"))
    p = b.column(portal, "通知公告", "notice", catalog_path=PORTAL_PATH.format(name="通知公告"))
    b.crawl(run, q, dates, titles=titles)
    b.crawl(run, p, dates, titles=titles)
    b.check(run)
    (stale,) = b.findings("stale-column")
    assert stale["column_id"] == q
    assert [c["portal_name"] for c in evidence(stale)["portal_copies"]] == ["通知公告"]
    (renamed,) = b.findings("catalog-mismatch")
    assert evidence(renamed)["kind"] == "renamed"


def test_similar_names_with_different_items_are_a_rename_but_judged_apart(b):
    portal, platform, run = unit_with_portal(b)
    q = b.column(platform, "政策文件", "notice", catalog_path=PLATFORM_PATH.format(name="政策文件"))
    p = b.column(portal, "政策性文件", "notice", catalog_path=PORTAL_PATH.format(name="政策性文件"))
    b.crawl(run, q, stale_dates(b, 200), titles=["甲", "乙", "丙"])
    b.crawl(run, p, stale_dates(b, 300), titles=["丁", "戊", "己"])
    b.check(run)
    assert sorted(f["column_id"] for f in b.findings("stale-column")) == sorted([q, p])
    (renamed,) = b.findings("catalog-mismatch")
    assert evidence(renamed)["kind"] == "renamed" and "名称相似度" in renamed["summary"]
