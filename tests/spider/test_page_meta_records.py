"""meta-missing's records from the spider's callbacks: which page kinds yield one, what they say,
and which site a page counts for (by URL, whichever site linked it)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from crawler.items import PageMeta
from crawler.spiders.disclosure import DisclosureSpider, new_col

PORTAL = "http://127.0.0.1:9/"
PLATFORM = "http://127.0.0.2:9/"
SHARED = "http://127.0.0.3:9/"
HEAD = (
    '<head><meta name="SiteName" content="某县人民政府"><meta name="SiteDomain" content="">'
    '<meta name="SiteIDCode" content="3408020001">{extra}</head>'
)


def spider(tmp_path: Path) -> DisclosureSpider:
    units = tmp_path / "units.yaml"
    units.write_text(
        "units:\n"
        "  - code: u\n    name: U\n    kind: county\n"
        f"    portal: {PORTAL}\n    disclosure: {PLATFORM}\n"
        "  - code: s\n    name: S\n    kind: county\n"
        f"    portal: {SHARED}\n    disclosure: {SHARED}xxgk/\n",
        encoding="utf-8",
    )
    s = DisclosureSpider(units=str(units), db=str(tmp_path / "none.db"), run_id="1")
    s.settings = Settings()  # a crawl gives every spider its settings (the link-check cap, say)
    return s


def response(url: str, html: str, unit: str = "u", role: str = "portal", **meta) -> HtmlResponse:
    hosts = ["127.0.0.1:9", "127.0.0.2:9", "127.0.0.3:9"]
    meta = {"unit": unit, "role": role, "allowed_hosts": hosts, **meta}
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url, meta=meta))


def metas(records) -> list[PageMeta]:
    return [r for r in records if isinstance(r, PageMeta)]


def test_the_portal_home_page_yields_its_gaps_and_code(tmp_path: Path) -> None:
    s = spider(tmp_path)
    html = HEAD.format(extra="") + "<body></body>"
    (pm,) = metas(s.parse_home(response(PORTAL, html, kind="home")))
    assert (pm.role, pm.kind, pm.url) == ("portal", "home", PORTAL)
    assert (pm.absent, pm.empty, pm.site_id_code) == ("", "SiteDomain", "3408020001")


def test_a_first_list_page_yields_list_gaps_and_a_later_page_none(tmp_path: Path) -> None:
    s = spider(tmp_path)
    s.settings = Settings({"ZWGK_DETAIL_PAGES": "none"})
    s.pending_details = lambda m, url: []  # no store in this test
    col = new_col(PLATFORM + "tzgg/", "通知公告", ["通知公告"])
    html = HEAD.format(extra='<meta name="ColumnName" content="通知公告">') + "<body></body>"
    s.column_history = lambda m, url: (False, False)  # no store in this test
    first = response(col["url"], html, role="disclosure", kind="list", col=col, first=True)
    (pm,) = metas(s.parse_list(first))
    assert (pm.role, pm.kind, pm.absent, pm.empty) == ("disclosure", "list", "ColumnType", "")
    later_url = PLATFORM + "tzgg/index_1.html"
    later = response(later_url, html, role="disclosure", kind="list", col=dict(col, pages=1))
    assert metas(s.parse_list(later)) == []


def test_an_article_counts_for_the_site_it_lives_on(tmp_path: Path) -> None:
    """A portal copy's item on the platform is the platform's page; on a shared host the
    platform's root directory decides."""
    s = spider(tmp_path)
    article = HEAD.format(
        extra='<meta name="ArticleTitle" content="通知"><meta name="PubDate" content="">'
    )
    cases = [
        ("u", "portal", PLATFORM + "tzgg/t1.html", "disclosure"),
        ("u", "disclosure", PORTAL + "news/t2.html", "portal"),
        ("s", "portal", SHARED + "xxgk/tzgg/t3.html", "disclosure"),
        ("s", "disclosure", SHARED + "news/t4.html", "portal"),
    ]
    for unit, linked_by, url, owner in cases:
        (pm,) = metas(s.parse_detail(response(url, article, unit, linked_by, kind="detail")))
        assert (pm.role, pm.kind) == (owner, "detail"), url
        assert (pm.absent, pm.empty) == ("ContentSource", "PubDate")
