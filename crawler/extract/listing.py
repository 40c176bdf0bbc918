"""The dated entries of a column list page, whatever the template.

How the main list is found: every link is assigned to its *row* (nearest li / tr / p, a dl for
dt+dd pairs, or the largest single-link ancestor for div rows) and rows are grouped by their
parent (the *container*). A container scores one point per row whose link looks like a detail
page (classify.is_detail_url) or whose text carries a date, five when that link also lies under
the list page's own directory (so a short last page beats a long "latest news" side box);
containers inside header / footer / nav / side / friend-link boxes count a quarter. The best container wins, together with same-tag,
same-class siblings (lists split into several `<ul>`s or one `<table>` per row). Navigation,
pager and footer links therefore never become items, while entries pointing to other columns
inside the list stay. Hanweb pages carry the list only in a `<datastore>` island, read first.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from urllib.parse import urljoin

from lxml import etree

from crawler.extract._html import (
    HtmlElement,
    abs_url,
    clean,
    has_dateish,
    is_detail,
    is_pager_text,
    own_text,
    parse_html,
    pick_anchor,
    row_item,
    row_of,
    table_columns,
)
from crawler.extract.dates import parse_date
from crawler.extract.hanweb import parse_datastore, records
from crawler.extract.jspager import SERIES_LIMIT
from crawler.extract.pagination import pagination_from
from crawler.extract.rowlinks import promote_row_links
from crawler.extract.types import ListItem, ListPage, Pagination

__all__ = ["extract_list", "is_placeholder_text", "main_list"]

PLACEHOLDERS = (
    "暂无信息",
    "暂无内容",
    "本栏目暂无",
    "暂无数据",
    "没有记录",
    "暂无记录",
    "暂无相关信息",
    "暂无文章",
    "暂无相关内容",
    "没有相关信息",
    "无相关记录",
)
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:foot|footer|header|nav|navbar|menu|yqlj|friend|"
    r"bottom|copyright|banner|crumb|breadcrumb|position|location|side|sidebar)(?:$|[\s_-])|"
    r"footer|navbar|leftnav|subnav|topnav|mainnav|yqlj|friendlink|sidebar",
    re.I,
)
_CHROME_TAGS = {"nav", "header", "footer"}
_DATASTORE = re.compile(r"<datastore\b.*?</datastore>", re.I | re.S)
_DIGIT = re.compile(r"\d")
#: Hanweb writes the tag in lower case, some templates DataStore: looked for as written, since
#: html.lower() on a whole CJK page costs more than the rest of the check.
_DATASTORE_SPELLINGS = ("datastore", "DATASTORE", "DataStore", "dataStore", "Datastore")


def is_placeholder_text(text: str) -> bool:
    """True when `text` carries one of the 'this column is empty' phrases."""
    return any(p in text for p in PLACEHOLDERS)


def _chrome_weight(container: HtmlElement) -> float:
    """1.0 for content areas, 0.25 inside header/footer/nav/friend-link boxes."""
    e: HtmlElement | None = container
    while e is not None and e.tag not in ("body", "html"):
        if e.tag in _CHROME_TAGS:
            return 0.25
        label = (e.get("class") or "") + " " + (e.get("id") or "")
        if label.strip() and _CHROME.search(label):
            return 0.25
        e = e.getparent()
    return 1.0


def _row_text(row: HtmlElement, a: HtmlElement) -> str:
    if row is a:
        parts = [own_text(a), a.tail or ""]
        sib = a.getnext()
        if sib is not None and isinstance(sib.tag, str) and sib.tag != "a":
            parts.append(sib.text_content())
        return " ".join(parts)
    return row.text_content()


def main_list(root: HtmlElement, base_url: str, today: date) -> list[ListItem]:
    """Items of the page's main list container (see module doc); [] when there is none."""
    page_dir = urljoin(base_url, ".")
    urls: dict[HtmlElement, str] = {}  # each href is resolved once per page
    rows: dict[HtmlElement, list[HtmlElement]] = {}
    containers: dict[HtmlElement, list[HtmlElement]] = {}
    for a in root.iter("a"):
        url = abs_url(a.get("href"), base_url)
        if url is None:
            continue
        urls[a] = url
        row = row_of(a)
        got = rows.get(row)
        if got is None:
            rows[row] = [a]
            parent = row.getparent()
            if parent is not None:
                containers.setdefault(parent, []).append(row)
        else:
            got.append(a)

    strong: dict[HtmlElement, HtmlElement] = {}  # row -> title anchor
    scores: dict[HtmlElement, float] = {}
    for cont, crow in containers.items():
        # A row scores through a detail link or a date in its text, and its text is in the
        # container's (a bare-anchor row's spaced-out pieces only add spaces the date pattern
        # allows): a menu or footer with neither, most links of a page, is passed over without
        # choosing its rows' title links.
        if not any(is_detail(urls[a]) for row in crow for a in rows[row]):
            text = cont.text_content()
            if not (_DIGIT.search(text) and has_dateish(text)):
                continue
        score = 0.0
        for row in crow:
            a = pick_anchor(rows[row], base_url, urls)
            if a is None:
                continue
            strong[row] = a
            url = urls[a]
            if is_detail(url) or has_dateish(_row_text(row, a)):
                # Entries stored under the column's own directory outweigh a side box of
                # "latest news" from other columns when the main list is short.
                score += 5.0 if url.startswith(page_dir) else 1.0
        if score:
            scores[cont] = score * _chrome_weight(cont)
    if not scores:
        return []
    # A list written one wrapper per entry (`<tr><td><div class=x><dl>` per row) is many
    # one-row containers: such a container competes with its whole family's score.
    families: dict[HtmlElement, list[HtmlElement]] = {}
    effective: dict[HtmlElement, float] = {}
    for cont, score in scores.items():
        if len(containers[cont]) != 1:
            effective[cont] = score
            continue
        fam = families.get(cont)
        if fam is None:
            fam = _kin(cont, scores)
            for member in fam:
                families.setdefault(member, fam)
        effective[cont] = sum(scores[m] for m in fam if len(containers[m]) == 1)
    best = max(scores, key=lambda c: effective[c])
    chosen = families.get(best) or _kin(best, scores)

    items: list[ListItem] = []
    seen: set[str] = set()
    for cont in chosen:
        cols = None
        table = cont if cont.tag == "table" else None
        if table is None and cont.tag in ("tbody", "thead"):
            table = cont.getparent()
        if table is not None and table.tag == "table":
            cols = table_columns(table)
        for row in containers[cont]:
            a = strong.get(row)
            if a is None:
                continue
            title = clean(own_text(a))
            if title and is_pager_text(title) and not a.get("title"):
                continue
            item = row_item(row, a, base_url, today, cols, urls[a])
            if item is None or item.url in seen:
                continue
            seen.add(item.url)
            items.append(item)
    return items


def _kin(best: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """`best` with the scored containers that continue its list, in page order: same-tag,
    same-class siblings, else the cousins `_split_blocks` finds."""
    chosen = [best]
    parent = best.getparent()
    if parent is not None:
        for sib in parent:
            if (
                sib is not best
                and sib in scores
                and sib.tag == best.tag
                and sib.get("class") == best.get("class")
            ):
                chosen.append(sib)
        order = {e: i for i, e in enumerate(parent)}
        chosen.sort(key=lambda e: order.get(e, 0))
        if len(chosen) == 1:
            chosen = _split_blocks(best, scores) or chosen
    return chosen


def _split_blocks(best: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """One list written as several wrapper blocks (`<div ms-visible=…><ul>` per five entries,
    tab panes, v-show groups): the best container's cousins that sit at the same place in
    sibling wrappers of the same kind. [] when there are none."""
    wrapper = best.getparent()
    for _ in range(2):
        if wrapper is None or wrapper.getparent() is None:
            return []
        box = wrapper.getparent()
        kin = [
            w
            for w in box
            if isinstance(w.tag, str)
            and w.tag == wrapper.tag
            and w.get("class") == wrapper.get("class")
        ]
        if len(kin) > 1:
            found = []
            for w in kin:
                for c in w.iter(best.tag):
                    if c in scores and c.get("class") == best.get("class"):
                        found.append(c)
                        break
            if len(found) > 1 and best in found:
                return found
        wrapper = box
    return []


def _pick_datastore(html: str) -> str | None:
    """The datastore block of the column's list: the one inside the jpage unit's div when
    several islands exist (side boxes reuse the widget), else the one with most records."""
    blocks = _DATASTORE.findall(html)
    if not blocks:
        return None
    if len(blocks) == 1:
        return blocks[0]
    unit = re.search(r"""\$\(\s*['"]#(\w+)['"]\s*\)\s*\.jpage""", html)
    if unit:
        pos = html.find(f'id="{unit[1]}"')
        if pos < 0:
            pos = html.find(f"id='{unit[1]}'")
        if pos >= 0:
            m = _DATASTORE.search(html, pos)
            if m:
                return m[0]
    return max(blocks, key=lambda b: len(records(b)))


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _visible_text(root: HtmlElement) -> str:
    texts = root.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::template)]"
    )
    # A hidden 暂无信息 template row (shown by script only when the list is empty) says nothing.
    hidden = {
        e
        for e in root.xpath("//body//*[@style or @hidden]")
        if e.get("hidden") is not None or _HIDDEN.search(e.get("style") or "")
    }
    if not hidden:
        return "".join(texts)
    out = []
    for t in texts:
        e = t.getparent()
        if t.is_tail:
            e = e.getparent()
        while e is not None and e not in hidden:
            e = e.getparent()
        if e is None:
            out.append(t)
    return "".join(out)


_LIST_BOXES = {"ul", "ol", "dl", "tbody", "table", "div"}


def _commented_list(root: HtmlElement, base_url: str, today: date) -> list[ListItem]:
    """Rows a CMS wrote into a comment inside an otherwise empty list box, for a page script to
    show (开普云 政府信息公开 columns keep page 1's rows and their createPageHTML call in
    `<ul class="…list"><!-- <li>…</li> … --></ul>`). Read only when the page shows no other
    list: a box that already holds links keeps its commented-out leftovers out of the items."""
    for c in root.iter(etree.Comment):
        box, text = c.getparent(), c.text or ""
        if box is None or box.tag not in _LIST_BOXES or "href" not in text:
            continue
        if next(box.iter("a"), None) is not None:
            continue
        tag = box.tag
        fragment = f"<{tag}>{text}</{tag}>"
        if tag == "tbody":
            fragment = f"<table>{fragment}</table>"
        inner = parse_html(f"<html><body>{fragment}</body></html>")
        if inner is None:
            continue
        items = main_list(inner, base_url, today)
        if len(items) >= 2:
            return items
    return []


_ARTICLE_LIST = re.compile(r"\barticleList\s*:\s*\[")
_CHANNEL_SELF = re.compile(r"\bchannelsTagSelf\s*=\s*\{")
_PER_PAGE = re.compile(r"""\bperPage\s*:\s*['"]?(\d+)""")
_UNIT_ID = re.compile(r"""\bunitid\s*:\s*['"]?(\w+)""")


def _raw_json(html: str, start: int) -> object:
    try:
        return json.JSONDecoder().raw_decode(html, start)[0]
    except ValueError:
        return None


def _pc_url(urls: object) -> str | None:
    """The `pc` entry of an article's `urls` (a JSON object, often itself JSON-encoded)."""
    if isinstance(urls, str):
        try:
            urls = json.loads(urls)
        except ValueError:
            return urls if urls.startswith(("/", "http")) else None
    return urls.get("pc") if isinstance(urls, dict) else None


def _script_data_list(html: str, base_url: str, today: date) -> tuple[list[ListItem], Pagination]:
    """A list drawn in the browser from inline data (江西 集约化 pages: `var listData =
    {articleList: [{title, pubDate, urls: '{"pc": …}'}…]}` rendered by a handlebars template,
    `perPage` rows a page through `loadPageData(params, unitid)`). Page 1 is the first `perPage`
    entries; the pager counts the column's `articleCount` (channelsTagSelf) and addresses page N
    as `?uid={unitid}&pageNum=N` on the column's own URL, the jpage convention its pager keeps."""
    m = _ARTICLE_LIST.search(html)
    data = _raw_json(html, m.end() - 1) if m else None
    if not isinstance(data, list):
        return [], Pagination()
    per = _PER_PAGE.search(html)
    per_page = int(per[1]) if per and int(per[1]) > 0 else len(data)
    items: list[ListItem] = []
    seen: set[str] = set()
    for art in data[:per_page]:
        if not isinstance(art, dict):
            continue
        title = clean(str(art.get("title") or ""))
        url = abs_url(_pc_url(art.get("urls")) or art.get("url"), base_url)
        if not title or url is None or url in seen:
            continue
        seen.add(url)
        when = parse_date(str(art.get("pubDate") or ""), today)
        items.append(
            ListItem(title=title, url=url, date=when, date_source="json" if when else None)
        )
    pagination = Pagination()
    me = _CHANNEL_SELF.search(html)
    channel = _raw_json(html, me.end() - 1) if me else None
    if items and isinstance(channel, dict) and isinstance(channel.get("articleCount"), int):
        count = max(1, math.ceil(channel["articleCount"] / per_page))
        own = abs_url(_pc_url(channel.get("urls")), base_url)
        unit = _UNIT_ID.search(html)
        urls = []
        if own and unit and count > 1:
            own = own.split("?", 1)[0]
            limit = min(count, SERIES_LIMIT + 1)
            urls = [f"{own}?uid={unit[1]}&pageNum={k}" for k in range(2, limit + 1)]
        pagination = Pagination(page_count=count, urls=urls)
    return items, pagination


def extract_list(html: str, base_url: str, today: date) -> ListPage:
    """The entries, pagination and blank-column flag of one list page."""
    html = html or ""
    root = parse_html(html)
    if root is not None and ("onclick" in html or "data-" in html or "javascript:" in html):
        # before the pager is read too: pager links can be `href="#" onclick="location.href=…"`
        promote_row_links(root)
    pagination = pagination_from(html, base_url, root)
    items: list[ListItem] = []
    store = _pick_datastore(html) if any(s in html for s in _DATASTORE_SPELLINGS) else None
    if store is not None:
        items, _, _ = parse_datastore(store, base_url, today)
    if not items and root is not None:
        items = main_list(root, base_url, today)
        # A blank column whose page still shows a box of other columns' news: the 暂无信息
        # notice is the list, the box is decoration.
        if (
            items
            and not any(i.url.startswith(urljoin(base_url, ".")) for i in items)
            and is_placeholder_text(_visible_text(root))
        ):
            items = []
        if not items and "<!--" in html:
            items = _commented_list(root, base_url, today)
        if not items and "articleList" in html:
            items, drawn = _script_data_list(html, base_url, today)
            if items and pagination.page_count is None and not pagination.urls:
                pagination = drawn
    placeholder = False
    if not items:
        text = _visible_text(root) if root is not None else ""
        if store is not None:
            text += " ".join(records(store))
        placeholder = is_placeholder_text(text) or (
            pagination.hanweb is not None and pagination.hanweb.total_records == 0
        )
    return ListPage(items=items, pagination=pagination, placeholder=placeholder)
