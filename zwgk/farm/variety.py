"""The varied farm: each site's template, list markup, pager, catalog labels, dates and charset
drawn per seed from a catalogue of patterns seen on real government sites.

The seed-7 demo city (generate.UNITS) keeps its fixed table; `build_city(..., vary=True)` builds
a small city whose unit specs come from `draw()` instead, so a crawler cannot be tuned to one
layout per unit. The draw is deck-based: every dimension is a shuffled deck of its patterns,
refilled when empty, so a city with enough sites shows every pattern of a dimension before
repeating one (variety is guaranteed, not merely likely), yet the order differs per seed.

Pattern names are `dimension:name`. `PENDING` holds patterns the renderers can produce but that
today's crawler does not read yet; they stay in the catalogue and out of every draw.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

CATALOGUE: dict[str, tuple[str, ...]] = {
    # the disclosure platform's CMS family (the portal is always a TRS site)
    "platform": ("trs", "trs_one_host", "hanweb", "gkmlpt", "ucap"),
    # TRS list-page pagers: createPageHTML forms, plain links, and links without a usable href
    "pager": (
        "shared",  # createPageHTML(n, i, "index", "html") + /js/createPageHTML.js
        "inline",  # the function inlined in the page, //WCM置标
        "container",  # createPageHTML('page_div', n, i+1, 'index', 'html', total)
        "countPage",  # var countPage = n; document.write(...)
        "rendered",  # numbered <a href> links with 首页/尾页
        "next_link",  # only a 下一页 <a href>
        "text_total",  # bare text 共N页 plus a 下一页 link
        "goto_onclick",  # <a href="javascript:void(0)" onclick="gotoPage(2)">, URL rule in script
        "hash_onclick",  # <a href="#" onclick="gotoPage(2);return false;">
        "hidden_total",  # <input type="hidden" id="totalPage" value="5">, URL rule in script
        "jspx_pageno",  # jeecms list.jspx?pageNo=2
        "jspx_page",  # list.jspx?page=2
    ),
    # TRS list markup
    "trs_list": (
        "ul",
        "anchor",  # date inside the <a>, cont_line spacer rows
        "table",  # OLD UPPERCASE TABLE with GroupBlankLine
        "xxgk",  # 名称|索引号|发布机构|发布日期 table
        "split_ul",  # one <ul> per 5 items inside one list div
        "tr_onclick",  # <tr onclick="window.open('…')"> rows without <a>
        "li_data_href",  # <li data-href="…"> rows without <a>
    ),
    # a hidden <li style="display:none">暂无信息</li> template row in non-empty ul lists
    "template_row": ("none", "hidden_nodata"),
    # Hanweb datastore record markup and dataproxy location
    "hanweb_list": ("li_span", "li_b", "li_i_trunc", "tr"),
    "hanweb_proxy": ("web", "jslib", "jpage"),
    "date": ("iso", "bracket", "chinese", "md", "slash", "none"),
    "charset": ("utf-8", "utf-8-bare", "gbk", "gbk-bare"),
    "catalog_label": ("plain", "br", "space"),
    # the HTML 信息公开目录: nested <ul><li> tree, or <h3> branches over <dl><dt>group</dt><dd>
    "catalog_form": ("ul_tree", "dl"),
    # header menus (办事服务/互动交流/走进XX) and footer links (网站声明/联系我们) on every page
    "chrome": ("plain", "menus"),
    # the portal's 政府信息公开 catalog: none, its own page of copies, an in-page menu of copies
    # under an unlinked heading, a page of deep links into the platform, an iframe of it
    "mirror": ("none", "page", "menu", "links", "iframe"),
    # a page or menu copy that differs from the platform in every catalog-mismatch way
    "mirror_defects": ("none", "planted"),
}

# Drawn-but-unread patterns wait here until the crawler's extractors learn them (what today's
# crawler does with each, seen on varied cities). None wait now: catalog_form:dl and
# chrome:menus left once headings labelled the run of lists after them and catalogs stopped at
# the site header (see git log).
PENDING: set[str] = set()

PROXY = {
    "web": "/module/web/jpage/dataproxy.jsp",
    "jslib": "/module/jslib/jquery/jpage/dataproxy.jsp",
    "jpage": "/module/jpage/dataproxy.jsp",
}
# which date forms each list family can show (md needs a TRS list; ucap URLs carry no day)
DATE_OK = {
    "trs": CATALOGUE["date"],
    "hanweb": ("iso", "bracket", "chinese", "slash", "none"),
    "ucap": ("iso", "bracket", "chinese", "slash"),
}
CHARSET_OK = {"trs": CATALOGUE["charset"], "ucap": CATALOGUE["charset"]}
CHARSET = {  # name -> (charset, <meta> charset)
    "utf-8": ("utf-8", "utf-8"),
    "utf-8-bare": ("utf-8", None),
    "gbk": ("gbk", "gb2312"),
    "gbk-bare": ("gbk", None),
}
IDENTITY = ("code", "name", "short", "kind", "site_code", "parent", "org", "fmt", "prefix")
SIZE = 5
PER_PAGE = (6, 8, 10)


def enabled(dim: str) -> tuple[str, ...]:
    return tuple(p for p in CATALOGUE[dim] if f"{dim}:{p}" not in PENDING)


class Deck:
    """Per-dimension shuffled decks: each pattern once before any repeats."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.decks: dict[str, list[str]] = {}
        self.drawn: list[str] = []  # "dim:name" in draw order

    def pick(self, dim: str, allowed: Iterable[str] | None = None) -> str:
        ok = [p for p in (allowed or CATALOGUE[dim]) if p in enabled(dim)]
        deck = self.decks.get(dim)
        if not deck:
            deck = self.decks[dim] = self.rng.sample(enabled(dim), len(enabled(dim)))
        hit = next((p for p in deck if p in ok), None)
        if hit is None:
            hit = self.rng.choice(ok)  # nothing fitting left in this round: any fitting one
        else:
            deck.remove(hit)
        self.drawn.append(f"{dim}:{hit}")
        return hit


def _trs(deck: Deck, extra: dict) -> dict:
    pager = deck.pick("pager")
    spec: dict = {"cms": "trs", "ext": deck.rng.choice(("html", "shtml", "htm")), "pager": pager}
    if pager.startswith("jspx"):
        spec.update(ext="jspx", page_name="list", detail_ext="html")
    spec["layouts"] = [deck.pick("trs_list") for _ in range(2)]
    spec["forms"] = [deck.pick("date", DATE_OK["trs"]) for _ in range(2)]
    spec["template_row"] = deck.pick("template_row")
    spec["chrome"] = deck.pick("chrome")
    spec["labels"] = deck.pick("catalog_label")
    spec["catalog_form"] = deck.pick("catalog_form")
    return spec | extra


def _charset(deck: Deck, spec: dict, family: str) -> None:
    if family in CHARSET_OK:
        spec["charset"], spec["meta_charset"] = CHARSET[deck.pick("charset", CHARSET_OK[family])]


def _unit(deck: Deck, base: dict) -> dict:
    rng = deck.rng
    spec = {k: base[k] for k in IDENTITY if k in base}
    per_page = rng.choice(PER_PAGE)
    spec["p"] = _trs(deck, {"per_page": per_page})
    _charset(deck, spec["p"], "trs")
    family = deck.pick("platform")
    d: dict
    if family in ("trs", "trs_one_host"):
        d = _trs(deck, {"per_page": per_page, "small": True})
        if family == "trs_one_host":
            spec["one_host"] = True  # the platform inherits the portal's charset
        else:
            _charset(deck, d, "trs")
    elif family == "hanweb":
        style = deck.pick("hanweb_list")
        d = {
            "cms": "hanweb",
            "style": style,
            "styles": [style],
            "dataproxy": PROXY[deck.pick("hanweb_proxy")],
            "forms": [deck.pick("date", DATE_OK["hanweb"]) for _ in range(2)],
            "labels": deck.pick("catalog_label"),
            "catalog_form": deck.pick("catalog_form"),
            "chrome": deck.pick("chrome"),
            "small": True,
            "per_page": per_page,
        }
    elif family == "ucap":
        d = {
            "cms": "ucap",
            "ucap_site": "dgqzf",
            "forms": [deck.pick("date", DATE_OK["ucap"]) for _ in range(2)],
            "labels": deck.pick("catalog_label"),
            "catalog_form": deck.pick("catalog_form"),
            "chrome": deck.pick("chrome"),
            "small": True,
            "per_page": per_page,
        }
        _charset(deck, d, "ucap")
    else:
        d = {"cms": "gkmlpt", "sid": spec["site_code"], "small": True, "per_page": per_page}
    spec["d"] = d
    mirror = deck.pick("mirror")
    if mirror != "none":
        spec["mirror"] = mirror
        if mirror in ("page", "menu"):
            spec["mirror_defects"] = deck.pick("mirror_defects") == "planted"
    return spec


def draw(seed: int, size: int = SIZE) -> list[dict]:
    """Unit specs (generate.UNITS form) for a varied city of `size` units; each spec carries the
    patterns it drew under "drawn"."""
    from zwgk.farm.generate import UNITS

    healthy = [u for u in UNITS if _healthy(u)]
    if not 1 <= size <= len(healthy):
        raise ValueError(f"size must be 1..{len(healthy)}")
    deck = Deck(random.Random(f"vary:{seed}"))
    out = []
    for base in healthy[:size]:
        start = len(deck.drawn)
        spec = _unit(deck, base)
        spec["drawn"] = deck.drawn[start:]
        if spec.get("parent") not in {u["code"] for u in healthy[:size]}:
            spec.pop("parent", None)
        out.append(spec)
    return out


def _healthy(u: dict) -> bool:
    """Identities reused for varied units: ones the demo serves without WAF or outage."""
    return u["p"] != "down" and not u["d"].get("block") and not u["p"].get("block")
