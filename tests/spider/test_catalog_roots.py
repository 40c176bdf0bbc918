"""Which portal catalog entries are the unit's other site (skipped: crawled as a site of its own)
and which are catalog entries pointing into it."""

from __future__ import annotations

from crawler.spiders.catalog_walk import CatalogWalk
from zwgk.units import Unit

GKMLPT = Unit(
    code="u",
    name="某区人民政府",
    kind="county",
    portal="http://www.example.gov.cn/",
    disclosure="http://xxgk.example.gov.cn/gkmlpt/index",
)


def test_the_platform_root_is_the_other_site() -> None:
    assert CatalogWalk.other_site_root(GKMLPT, "portal", "http://xxgk.example.gov.cn/gkmlpt/index")
    assert CatalogWalk.other_site_root(GKMLPT, "disclosure", "http://www.example.gov.cn/index.html")


def test_a_json_platform_column_linked_by_fragment_is_not_its_root() -> None:
    # the portal's in-page catalog menu links 政府信息公开指南 as index#2001: an entry, not the root
    for url in (
        "http://xxgk.example.gov.cn/gkmlpt/index#2001",
        "http://XXGK.example.gov.cn/gkmlpt/index#2015",
    ):
        assert not CatalogWalk.other_site_root(GKMLPT, "portal", url)
    assert not CatalogWalk.other_site_root(
        GKMLPT, "portal", "http://xxgk.example.gov.cn/gkmlpt/zcwj"
    )


def test_a_unit_without_a_portal_has_no_other_root() -> None:
    alone = Unit(code="d", name="某局", kind="department", disclosure="http://a.gov.cn/xxgk/")
    assert not CatalogWalk.other_site_root(alone, "disclosure", "http://a.gov.cn/xxgk/")
