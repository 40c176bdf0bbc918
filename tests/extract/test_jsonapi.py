"""gkmlpt-like JSON platform: inline config tree, site id, API URLs and replies (cms.md §3)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crawler.extract.jsonapi import api_url, config_site_id, find_config_tree, parse_api
from crawler.extract.types import NavLink

PAGE = """<html><head><script>
window._CONFIG = {
  SID: '755325',
  SITE_NAME: "某区人民政府",
  TREE: [
    {id: 1, name: '法定主动公开内容', parent: 0, children: [
      {id: 11, name: "机构职能", parent: 1, children: []},
      {id: 12, name: '财政信息', parent: 1, children: [
        {id: 121, name: '财政预决算', parent: 12},
        {id: 122, name: "政府采购", parent: 12, children: [],},
      ]},
    ]},
    {"id": 2, "name": "政府信息公开年报", "parent": 0, "children": []}
  ],
  DETAIL: null
};
</script></head><body><div id="app"></div></body></html>"""


def test_find_config_tree_builds_catalog_paths():
    base = "http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/index"
    root = "http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/index#"
    assert find_config_tree(PAGE, base) == [
        NavLink("法定主动公开内容", root + "1", ("法定主动公开内容",)),
        NavLink("机构职能", root + "11", ("法定主动公开内容", "机构职能")),
        NavLink("财政信息", root + "12", ("法定主动公开内容", "财政信息")),
        NavLink("财政预决算", root + "121", ("法定主动公开内容", "财政信息", "财政预决算")),
        NavLink("政府采购", root + "122", ("法定主动公开内容", "财政信息", "政府采购")),
        NavLink("政府信息公开年报", root + "2", ("政府信息公开年报",)),
    ]


def test_find_config_tree_strict_json_and_missing():
    html = '<script>window._CONFIG = {"SID":"2","TREE":[{"id":5,"name":"通知公告","children":[]}]};</script>'
    assert find_config_tree(html, "http://www.gd.gov.cn/gkmlpt/index#5") == [
        NavLink("通知公告", "http://www.gd.gov.cn/gkmlpt/index#5", ("通知公告",))
    ]
    assert find_config_tree("<html>no config</html>", "http://a.gov.cn/gkmlpt/index") == []
    assert (
        find_config_tree("<script>window._CONFIG={TREE:[{id:1,</script>", "http://127.0.0.1/") == []
    )


@pytest.mark.parametrize(
    "html,sid",
    [
        (PAGE, "755325"),
        ('<script>window._CONFIG = {"SID": "2", "TREE": []}</script>', "2"),
        ("<script>window._CONFIG = {SID:769033,TREE:[]}</script>", "769033"),
        ("<html></html>", None),
    ],
)
def test_config_site_id(html, sid):
    assert config_site_id(html) == sid


@pytest.mark.parametrize(
    "base,expected",
    [
        ("http://www.gd.gov.cn/gkmlpt/index", "http://www.gd.gov.cn/gkmlpt/api/all/5?page=2&sid=2"),
        (
            "http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/index#5",
            "http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/api/all/5?page=2&sid=2",
        ),
        ("http://im.dg.gov.cn/", "http://im.dg.gov.cn/gkmlpt/api/all/5?page=2&sid=2"),
    ],
)
def test_api_url(base, expected):
    assert api_url(base, 5, 2, "2") == expected


REPLY = {
    "classify": {"id": 12, "name": "财政信息", "parent": 1, "post_count": "23"},
    "articles": [
        {
            "id": 2001,
            "title": " 2026年区级部门预算公开 ",
            "date": 1783353600,
            "publisher": "区财政局",
            "classify_main_name": "财政信息",
            "url": "http://www.szlh.gov.cn/gkmlpt/content/11/11234/post_2001.html",
            "identifier": "11441200MB2C91453G/2026-00271",
        },
        {
            "id": 2000,
            "title": "政府采购意向公开",
            "date": None,
            "publisher": "",
            "url": "/gkmlpt/content/11/11230/post_2000.html",
            "identifier": "",
        },
    ],
    "total": 23,
}


def test_parse_api():
    items, info = parse_api(
        json.dumps(REPLY, ensure_ascii=False), "http://www.szlh.gov.cn/gkmlpt/index"
    )
    assert [(i.title, i.url, i.date, i.date_source, i.index_no, i.publisher) for i in items] == [
        (
            "2026年区级部门预算公开",
            "http://www.szlh.gov.cn/gkmlpt/content/11/11234/post_2001.html",
            date(2026, 7, 7),  # 1783353600 is 2026-07-07 00:00 Beijing time
            "json",
            "11441200MB2C91453G/2026-00271",
            "区财政局",
        ),
        (
            "政府采购意向公开",
            "http://www.szlh.gov.cn/gkmlpt/content/11/11230/post_2000.html",
            None,
            None,
            None,
            None,
        ),
    ]
    assert info == {"id": 12, "name": "财政信息", "parent": 1, "post_count": 23, "total": 23}


@pytest.mark.parametrize("text", ["", "<html>404</html>", "[]", '{"articles": null}'])
def test_parse_api_bad_replies(text):
    assert parse_api(text, "http://a.gov.cn/gkmlpt/index") == ([], {})
