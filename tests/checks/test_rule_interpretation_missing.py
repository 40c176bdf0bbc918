"""interpretation-missing: what reads as a policy and as its 解读, 《》 and 文号 matching, the
working-day window and its boundaries, one finding per policy per unit, options."""

from __future__ import annotations

import json

import pytest

from checks.config import load_rule_config
from checks.rules.interpretation_missing import (
    doc_keys,
    interpretation_names,
    name_key,
    names_match,
    policy_name,
    same_doc,
)
from zwgk.errors import ConfigError

RULE = "interpretation-missing"
POLICY = "关于印发《示例市统计数据质量管理办法》的通知"
DOC = "示统规〔2026〕1号"
# 2026-11-02 is a Monday: the 5-working-day window ends Monday 2026-11-09
PUB, LAST_DAY, DAY_LATE = "2026-11-02", "2026-11-05", "2026-11-06"  # 3 working days


@pytest.mark.parametrize(
    ("title", "name"),
    [
        (POLICY, "示例市统计数据质量管理办法"),
        ("关于印发〈示例市X管理办法〉的通知", "示例市X管理办法"),
        ("示例市人民政府关于进一步加强养老服务的实施意见", "进一步加强养老服务的实施意见"),
        ("示例市城市道路临时占用管理办法（试行）", "示例市城市道路临时占用管理办法"),
        (
            "关于印发示例市秸秆综合利用实施方案的通知（示政办〔2026〕3号）",
            "示例市秸秆综合利用实施方案",
        ),
        ("关于调整城乡居民最低生活保障标准的通知", "调整城乡居民最低生活保障标准"),
        ("关于修订《示例市X暂行规定》的决定", "示例市X暂行规定"),
        # a 文号 inside the title is part of its name; only a trailing one is dropped
        (
            "关于贯彻落实国办发〔2026〕3号文件精神的实施意见",
            "贯彻落实国办发〔2026〕3号文件精神的实施意见",
        ),
        # a 工作通知 is not a policy, with or without a 文号
        ("关于做好2026年度高温津贴发放工作的通知", None),
        ("关于印发《2026年政务公开工作要点》的通知", None),
        # 转发, drafts, 公告, the 解读 itself, repeal lists, reports
        ("关于转发《安徽省X管理办法》的通知", None),
        ("关于《示例市X办法（征求意见稿）》公开征求意见的公告", None),
        ("关于《示例市统计数据质量管理办法》的解读", None),
        ("关于废止《示例市X办法》的决定", None),
        ("示例市X办法实施情况的报告", None),
        ("市统计局召开统计工作推进会", None),
    ],
)
def test_what_reads_as_a_policy(title, name):
    assert policy_name(title) == name


@pytest.mark.parametrize(
    ("interp", "matches"),
    [
        ("关于《示例市统计数据质量管理办法》的解读", True),
        ("《统计数据质量管理办法》政策解读", True),  # issuer left out
        ("一图读懂《示例市统计数据质量管理办法》", True),
        ("图解：示例市统计数据质量管理办法", True),
        ("《关于印发〈示例市统计数据质量管理办法〉的通知》解读", True),
        ("关于《示例市统计数据质量管理办法实施细则》的解读", False),  # another document
        ("关于《示例市统计数据管理办法》的解读", False),
        ("《管理办法》解读", False),  # too short to name one policy
    ],
)
def test_interpretation_named_by_its_policy(interp, matches):
    key = name_key(policy_name(POLICY))
    keys = [name_key(n) for n in interpretation_names(interp)]
    assert names_match(key, keys) is matches


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("示统规〔2026〕1号", "关于示统规[2026]1号文件的解读", True),
        ("示统规〔2026〕1号", "《示例市X办法》（示统规（2026）01号）政策解读", True),
        ("示统规〔2026〕1 号", "示统规【2026】1号", True),
        ("示统规〔2026〕1号", "示统规〔2026〕11号", False),
        ("示统规〔2026〕1号", "示统规〔2025〕1号", False),
        ("示统规〔2026〕1号", "示财规〔2026〕1号", False),
        ("示政〔2026〕1号", "宜政〔2026〕1号", False),
        ("示政〔2026〕1号", "政〔2026〕1号", False),  # one character names no 机关
    ],
)
def test_doc_numbers(a, b, same):
    assert same_doc(doc_keys(a), doc_keys(b)) is same


def policy_site(
    b,
    *,
    title: str = POLICY,
    doc: str | None = DOC,
    pub: str = PUB,
    column: str = "规范性文件",
    interps: list[tuple[str, str | None]] = (),
    interp_column: str = "政策解读",
):
    """One unit: a policy column with one policy, and a 解读 column with `interps` (title, date)."""
    b.unit()
    site = b.site()
    run = b.run()
    col = b.column(site, column, "notice")
    b.crawl(run, col, [pub], titles=[title], doc_nos=[doc], urls=["http://u1.test/zc/p1.html"])
    jd = b.column(site, interp_column, "notice")
    b.crawl(run, jd, [d for _, d in interps], titles=[t for t, _ in interps])
    return run, col


def evidence(f) -> dict:
    return json.loads(f["evidence"])


def test_policy_without_interpretation_fires_with_evidence(b):
    run, col = policy_site(b)
    b.check(run)
    (f,) = b.findings(RULE)
    assert f["column_id"] == col and f["severity"] == "deduct"
    assert f["summary"] == (
        f"政策文件“{POLICY}”（{DOC}，2026年11月2日发布）3个工作日内（2026年11月5日前）未见政策解读"
    )
    ev = evidence(f)
    assert ev["policy_url"] == "http://u1.test/zc/p1.html" and ev["policy_date"] == PUB
    assert ev["policy_doc_no"] == DOC and ev["deadline"] == LAST_DAY
    assert ev["window_working_days"] == 3 and ev["tried_interpretations"] == []


@pytest.mark.parametrize(
    ("interp", "day", "fires"),
    [
        ("关于《示例市统计数据质量管理办法》的解读", PUB, False),  # the same day
        ("关于《示例市统计数据质量管理办法》的解读", LAST_DAY, False),  # the window's last day
        ("关于《示例市统计数据质量管理办法》的解读", DAY_LATE, True),  # one working day late
        ("示统规〔2026〕1号文件解读", LAST_DAY, False),  # by 文号 alone
        ("示统规〔2026〕2号文件解读", LAST_DAY, True),  # another document's 文号
        ("关于《示例市统计数据质量管理办法》的解读", "2026-10-30", False),  # 3 days before
        ("关于《示例市统计数据质量管理办法》的解读", "2026-10-01", True),  # an old version's
        ("关于《示例市统计数据质量管理办法》的解读", None, False),  # undated: not shown late
    ],
)
def test_window_and_matching(b, interp, day, fires):
    run, _ = policy_site(b, interps=[(interp, day)])
    b.check(run)
    assert bool(b.findings(RULE)) is fires


def test_late_interpretation_is_named_in_the_evidence(b):
    late = "关于《示例市统计数据质量管理办法》的解读"
    other = "《示例市统计数据报送办法》政策解读"
    run, _ = policy_site(b, interps=[(late, DAY_LATE), (other, PUB)])
    b.check(run)
    (f,) = b.findings(RULE)
    assert f["summary"].endswith(f"；对应解读“{late}”2026年11月6日发布，晚于期限1个工作日")
    tried = evidence(f)["tried_interpretations"]
    assert [t["interp_title"] for t in tried] == [late, other]
    assert tried[1]["why_not"].startswith("名称与文号均不对应（名称相似度")


@pytest.mark.parametrize(
    ("listed", "fires"),
    [
        ("关于印发《示例市统计数据质量管理办法》的通知", True),  # the policy again, not a 解读
        ("《示例市统计数据质量管理办法》起草说明", False),
        ("示例市统计数据质量管理办法", False),  # a bare name in a 解读 column: its 解读
    ],
)
def test_what_an_interpretation_column_holds(b, listed, fires):
    run, _ = policy_site(b, interps=[(listed, PUB)])
    b.check(run)
    assert bool(b.findings(RULE)) is fires


def test_interpretation_found_by_title_in_any_column(b):
    b.unit(portal=True)
    platform, portal = b.site(), b.site(role="portal")
    run = b.run()
    col = b.column(platform, "政策文件", "notice")
    b.crawl(run, col, [PUB], titles=[POLICY], doc_nos=[DOC])
    news = b.column(portal, "要闻动态", "news", origin="menu")
    b.crawl(run, news, [LAST_DAY], titles=["一图读懂《示例市统计数据质量管理办法》"])
    b.check(run)
    assert b.findings(RULE) == []


@pytest.mark.parametrize(
    ("column", "title", "doc", "judged"),
    [
        ("通知公告", POLICY, DOC, True),  # reads as a policy and has a 文号
        ("通知公告", POLICY, None, False),  # outside a policy column a 文号 is needed
        ("通知公告", POLICY + "（示统规〔2026〕1号）", None, True),  # the 文号 in the title
        ("政策文件", POLICY, None, True),  # a policy column vouches for the document
        ("规范性文件", "关于做好统计执法检查工作的通知", DOC, False),  # a 工作通知
        ("规范性文件", "关于转发《安徽省统计管理办法》的通知", DOC, False),
    ],
)
def test_what_is_judged(b, column, title, doc, judged):
    run, _ = policy_site(b, title=title, doc=doc, column=column)
    b.check(run)
    assert bool(b.findings(RULE)) is judged


@pytest.mark.parametrize(
    ("now", "judged"),
    [
        # policy of Friday 2026-11-20: its window's last working day is Wednesday 2026-11-25
        ("2026-11-25T20:00:00+08:00", False),  # the last day itself: a 解读 may still come
        ("2026-11-26T08:00:00+08:00", True),
    ],
)
def test_too_new_to_judge(b, now, judged):
    b.now = now
    run, _ = policy_site(b, pub="2026-11-20")
    b.check(run)
    assert bool(b.findings(RULE)) is judged


def test_lookback_and_an_open_finding_that_ages_out(b):
    config = {"rules": {RULE: {"lookback_days": 30}}}
    b.unit()
    site = b.site()
    run = b.run("2026-11-29T08:00:00+08:00")
    col = b.column(site, "规范性文件", "notice")
    b.crawl(
        run, col, ["2026-10-01", "2026-11-02"], titles=[POLICY, "关于印发《示例市X办法》的通知"]
    )
    b.check(run, config=config)
    (f,) = b.findings(RULE)  # the policy of 10-01 is older than the lookback
    assert evidence(f)["policy_date"] == "2026-11-02"
    run2 = b.run("2026-12-20T08:00:00+08:00")  # now 48 days old: still judged while open
    b.crawl(run2, col)
    b.check(run2, config=config)
    assert [x["finding_id"] for x in b.findings(RULE)] == [f["finding_id"]]
    run3 = b.run("2026-12-21T08:00:00+08:00")  # the 解读, at last, dated in time: resolves
    jd = b.column(site, "政策解读", "notice")
    b.crawl(run3, col)
    b.crawl(run3, jd, ["2026-11-03"], titles=["关于《示例市X办法》的解读"])
    b.check(run3, config=config)
    assert b.findings(RULE) == [] and len(b.findings(RULE, status="resolved")) == 1


def test_one_finding_per_policy_per_unit(b):
    """The platform's two policy columns and the portal's copy list the same policy: one
    finding, on the platform's first policy column."""
    b.unit(portal=True)
    platform, portal = b.site(), b.site(role="portal")
    run = b.run()
    url = "http://u1.test/xxgk/zc/p1.html"
    gf = b.column(platform, "规范性文件", "notice", catalog_path="政策文件/规范性文件")
    zc = b.column(platform, "政策文件", "notice", catalog_path="政策文件/政策文件")
    copy = b.column(portal, "规范性文件", "notice", catalog_path="信息公开目录/政策文件/规范性文件")
    for c in (gf, zc, copy):
        b.crawl(run, c, [PUB], titles=[POLICY], doc_nos=[DOC], urls=[url])
    tz = b.column(platform, "通知公告", "notice")  # the same title and date at another URL
    b.crawl(run, tz, [PUB], titles=[POLICY], doc_nos=[DOC])
    b.check(run)
    (f,) = b.findings(RULE)
    assert f["column_id"] == gf


def test_unit_with_an_unread_interpretation_column_is_not_judged(b):
    b.unit()
    site = b.site()
    run = b.run(sites={site: "partial"})
    col = b.column(site, "规范性文件", "notice")
    b.crawl(run, col, [PUB], titles=[POLICY], doc_nos=[DOC])
    jd = b.column(site, "政策解读", "notice")
    b.column_run(run, jd, "partial", error="page 2: 500")
    b.check(run)
    assert b.findings(RULE) == []


@pytest.mark.parametrize(
    ("config", "fires"),
    [
        ({"units": {"u1": {"rules": {RULE: {"window_working_days": 6}}}}}, False),
        ({"units": {"u1": {"rules": {RULE: {"enabled": False}}}}}, False),
        ({"rules": {RULE: {"tolerance_days": 0}}}, True),  # 解读 one day before: too early
    ],
)
def test_options_per_unit(b, config, fires):
    late = ("关于《示例市统计数据质量管理办法》的解读", DAY_LATE)
    early = ("关于《示例市统计数据质量管理办法》的解读", "2026-11-01")
    interps = [early] if "rules" in config else [late]
    run, _ = policy_site(b, interps=interps)
    b.check(run, config=config)
    assert bool(b.findings(RULE)) is fires


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("window_working_days", 0),
        ("window_working_days", 4000),
        ("window_working_days", 2.5),
        ("lookback_days", 0),
        ("tolerance_days", -1),
        ("unknown_days", 3),
    ],
)
def test_option_ranges(option, value):
    with pytest.raises(ConfigError, match=option):
        load_rule_config({"rules": {RULE: {option: value}}}, "config.yaml")


def test_reports_and_task_list_show_the_evidence(b, tmp_path):
    from openpyxl import load_workbook

    from reports.build import write_reports

    late = "关于《示例市统计数据质量管理办法》的解读"
    run, _ = policy_site(b, interps=[(late, DAY_LATE)])
    b.check(run)
    paths = write_reports(b.db, run, tmp_path)
    html = (tmp_path / "units" / "u1.html").read_text(encoding="utf-8")
    assert "政策文件未解读" in html
    assert 'href="http://u1.test/zc/p1.html"' in html  # the policy, one click away
    assert "未采信原因：2026年11月6日发布，晚于期限1个工作日" in html
    ws = load_workbook(paths.tasks["u1"]).active
    (row,) = [r for r in ws.iter_rows(values_only=True) if r[4] == "政策文件未解读"]
    assert "证据：解读期限（最后一个工作日）：2026-11-05；政策文件发布日期：2026-11-02" in row[5]
    assert f"文号：{DOC}；政策文件：{POLICY}；政策文件链接：http://u1.test/zc/p1.html" in row[5]
    assert "解读时限（工作日）：3" in row[5]


# -- related links: matching by link, one-way links ----------------------------------------
P_URL, J_URL = "http://u1.test/zc/p1.html", "http://u1.test/jd/j1.html"
UNNAMED = "市统计局有关负责同志就新规答记者问"  # a 解读 that names no policy


def linked_site(b, interp: str, day: str | None, policy_links, interp_links):
    """policy_site with one 解读 at J_URL; `None` links: that page's detail was not read."""
    b.unit()
    site = b.site()
    run = b.run()
    col = b.column(site, "规范性文件", "notice")
    b.crawl(run, col, [PUB], titles=[POLICY], doc_nos=[DOC], urls=[P_URL])
    jd = b.column(site, "政策解读", "notice")
    b.crawl(run, jd, [day], titles=[interp], urls=[J_URL])
    if policy_links is not None:
        b.related(site, P_URL, policy_links)
    if interp_links is not None:
        b.related(site, J_URL, interp_links)
    return run


NAMED = "关于《示例市统计数据质量管理办法》的解读"


@pytest.mark.parametrize(
    ("interp", "policy_links", "interp_links", "kind"),
    [
        (NAMED, [J_URL], [P_URL], None),  # two-way: good
        (NAMED, [J_URL], [], "one-way link"),  # the policy links it, no link back: bad
        (NAMED, [], [P_URL], "one-way link"),  # the 解读 links back only: bad
        (NAMED, [], [], None),  # neither links: no related links between them to judge
        (NAMED, [J_URL], None, None),  # the 解读's detail not read: not assessed
        (NAMED, None, [P_URL], None),  # the policy's detail not read: not assessed
        (NAMED, [J_URL + "#top"], ["http://U1.test/zc/p1.html"], None),  # same pages
        (UNNAMED, [J_URL], [P_URL], None),  # matched by link alone, both ways
        (UNNAMED, [J_URL], [], "one-way link"),  # matched by link alone, one way
        (UNNAMED, [], [], "missing"),  # no name, no 文号, no link: not its 解读
        (UNNAMED, ["http://u1.test/jd/other.html"], [], "missing"),  # links another page
    ],
)
def test_links_match_and_one_way(b, interp, policy_links, interp_links, kind):
    run = linked_site(b, interp, LAST_DAY, policy_links, interp_links)
    b.check(run)
    found = b.findings(RULE)
    if kind is None:
        assert found == []
        return
    (f,) = found
    ev = evidence(f)
    assert ev.get("kind", "missing") == kind
    if kind == "one-way link":
        assert ev["policy_url"] == P_URL and ev["interp_url"] == J_URL
        assert ev["policy_links_interp"] is bool(policy_links)
        assert ev["interp_links_policy"] is bool(interp_links)
        assert f["summary"].startswith(f"政策文件“{POLICY}”（2026年11月2日发布）与其解读")
        assert "未相互链接" in f["summary"]


def test_a_late_interpretation_linked_one_way_is_late_not_one_way(b):
    run = linked_site(b, NAMED, DAY_LATE, [J_URL], [])
    b.check(run)
    (f,) = b.findings(RULE)
    assert "kind" not in evidence(f) and "晚于期限1个工作日" in f["summary"]


def test_one_two_way_interpretation_is_enough(b):
    run = linked_site(b, NAMED, LAST_DAY, [J_URL], [P_URL])
    site = b.site()
    jd = b.column(site, "政策解读2", "notice")
    b.crawl(run, jd, [PUB], titles=["一图读懂《示例市统计数据质量管理办法》"], urls=[J_URL + "2"])
    b.related(site, J_URL + "2", [])
    b.check(run)
    assert b.findings(RULE) == []
