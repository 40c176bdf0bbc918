"""The national `<meta>` block and the 公开目录表头 (索引号, 文号, 发布机构, dates) of detail pages.

Two facts are kept apart on purpose: the visible 发布日期 and the meta `PubDate`. Migrations
re-stamp `PubDate` (a real county page says PubDate 2022-04-24 while showing 发布日期 2017-05-15),
and the back-dating and freshness rules need the date a reader sees, while `meta-missing` needs
the meta. Labels are matched on the page's text segments (the text between tags), which is
indifferent to the markup around them: `<td><b>…</b>`, gov.cn tables, Ucap `<dl><dd>`, spans.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

from crawler.extract.dates import parse_date
from crawler.extract.types import Detail

__all__ = [
    "RECORDED_META",
    "STANDARD_META_NAMES",
    "extract_detail",
    "extract_meta",
    "meta_gaps",
    "strip_invisible",
    "text_segments",
]

#: The 政府网站 standard meta names (rules.md `meta-missing`), spelled canonically: a page that
#: writes `sitename` still has the tag, and checks should find it under `SiteName`.
STANDARD_META_NAMES = (
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnDescription",
    "ColumnKeywords",
    "ColumnType",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Description",
)
_CANONICAL = {n.lower(): n for n in STANDARD_META_NAMES}

#: Per page kind, the metas the crawl records as absent or empty for `meta-missing`: those
#: 《政府网站发展指引》(国办发〔2017〕47号) and the GB/T 政府网站网页设计规范 metadata list require of
#: a 首页, a 栏目页 and a 文章页 and the national inspections score. The rule's options may judge
#: fewer (checks/defaults.yaml lists these same names); judging more needs them recorded here.
#: SiteIDCode's value is recorded on every kind of page besides (the same on every page).
RECORDED_META: dict[str, tuple[str, ...]] = {
    "home": ("SiteName", "SiteDomain", "SiteIDCode"),
    "list": ("ColumnName", "ColumnType"),
    "detail": ("ArticleTitle", "PubDate", "ContentSource"),
}


def meta_gaps(tags: dict[str, str], kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(absent, empty): the recorded metas of `kind` that the page lacks, or has with no content.

    `tags` is `extract_meta`'s answer (canonical names, duplicates merged keeping the first
    non-empty value), so `<meta name="sitename">` and a Site block written twice count as present.
    """
    names = RECORDED_META[kind]
    absent = tuple(n for n in names if n not in tags)
    empty = tuple(n for n in names if n in tags and not tags[n])
    return absent, empty


_OTHER_PUB_META = ("firstpublishedtime", "publishdate", "pubdate_show", "dc.date")

_HEAD_END = re.compile(r"</head\s*>", re.I)
_META_TAG = re.compile(r"<meta\b([^<>]*)>", re.I)
_ATTR = re.compile(r"""([^\s=/"'<>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _attrs(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        key = m.group(1).lower()
        if key not in out:
            value = m.group(2) if m.group(2) is not None else m.group(3)
            out[key] = value if value is not None else m.group(4)
    return out


def extract_meta(html: str) -> dict[str, str]:
    """All `<meta name=… content=…>` pairs of the head, in page order.

    Attribute order does not matter; duplicated names keep the first non-empty value (the Ucap
    templates repeat the Site* block, sometimes empty the first time); a name that is only ever
    empty maps to "". Regex over the head only: detail pages run to 150 KB and this runs on
    every page of every crawl.
    """
    if not html:
        return {}
    end = _HEAD_END.search(html)
    head = html[: end.start()] if end else html
    head = strip_invisible(head)  # commented-out or script-written metas do not count
    out: dict[str, str] = {}
    for tag in _META_TAG.finditer(head):
        attrs = _attrs(tag.group(1))
        name = attrs.get("name")
        if not name:
            continue
        name = name.strip()
        key = _CANONICAL.get(name.lower(), name)
        value = htmllib.unescape(attrs.get("content", "")).strip()
        if key not in out or (not out[key] and value):
            out[key] = value
    return out


# ---------------------------------------------------------------- text segments

_BLOCK_OPEN = re.compile(r"<(script|style|noscript|textarea|template)\b|<!--", re.I)
_BLOCK_CLOSE = {
    name: re.compile(rf"</{name}\s*>", re.I)
    for name in ("script", "style", "noscript", "textarea", "template")
}
_TAG = re.compile(r"<[^<>]*>")  # `[^<>]` keeps a stray `<` from scanning the whole page
_WS = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")


def _clean(text: str) -> str:
    return _WS.sub(" ", htmllib.unescape(text)).strip()


def strip_invisible(html: str) -> str:
    """Remove scripts, styles, comments and similar blocks, in one linear pass.

    A lazy `<script.*?</script>` regex restarts at every unclosed `<script` and goes quadratic
    on broken pages; like a browser, an unclosed block here swallows the rest of the page.
    """
    out: list[str] = []
    pos = 0
    while True:
        m = _BLOCK_OPEN.search(html, pos)
        if m is None:
            out.append(html[pos:])
            break
        out.append(html[pos : m.start()])
        out.append(" ")
        if m.group(1):
            close = _BLOCK_CLOSE[m.group(1).lower()].search(html, m.end())
            end = close.end() if close else -1
        else:
            found = html.find("-->", m.end())
            end = found + 3 if found >= 0 else -1
        if end < 0:
            break
        pos = end
    return "".join(out)


def text_segments(html: str) -> list[str]:
    """The non-empty text runs between tags, entities decoded, NBSP/U+3000 folded to spaces.

    Every tag boundary splits, so a label (`<b>索 引 号：</b>`) and its value (the tail, the next
    `<td>`, the `<div class="display-block">`) become neighbouring segments whatever the markup.
    """
    body = strip_invisible(html)
    segments = []
    for piece in _TAG.split(body):
        if piece and not piece.isspace():
            cleaned = _clean(piece)
            if cleaned:
                segments.append(cleaned)
    return segments


# ---------------------------------------------------------------- labels


def _label(*words: str) -> str:
    """`索引号` → `索\\s*引\\s*号`: sites pad labels with ASCII spaces, U+3000 or &nbsp;."""
    return "|".join(r"\s*".join(map(re.escape, w)) for w in words)


#: Label words per Detail field, longest first inside each group. Configuration may extend them.
LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号",),
    # 双公示 records (行政处罚/行政许可) name the decision's number 决定书文号, some templates
    # 文书决定号; a 文号 inside the longer label has no boundary before it, so they are listed whole.
    "doc_no": (
        "行政处罚决定书文号",
        "行政许可决定书文号",
        "行政处罚文书决定号",
        "处罚决定书文号",
        "许可决定书文号",
        "发文字号",
        "发文文号",
        "文件编号",
        "决定书文号",
        "文号",
    ),
    "publisher": ("公开责任部门", "发布机构", "发文机关", "发文单位", "发布单位", "责任部门"),
    "written_date": ("成文日期", "生成日期", "发文日期", "印发日期", "成文时间"),
    "pub_date": ("发布日期", "发布时间", "公开日期"),
    "title": ("文件名称", "信息名称", "标题", "名称"),
}
# Other labels of the 表头 and article bar: a value stops where one of them starts.
_OTHER_LABELS = (
    "主题分类",
    "体裁分类",
    "服务对象",
    "公开方式",
    "公开时限",
    "公开范围",
    "有效性",
    "时效",
    "信息来源",
    "来源",
    "访问量",
    "浏览次数",
    "点击数",
    "作者",
    "字号",
    "关键词",
    "主题词",
)
_ALL_LABELS = tuple(w for ws in LABELS.values() for w in ws) + _OTHER_LABELS

_BOUNDARY = r"(?:^|(?<=[\s|｜丨/，,;；【\[(（]))"
#: What ends a label: a colon, or the closing bracket of a bracketed label (`【文　号】 …`,
#: `[发布机构]`), which some templates print instead of one.
_COLON = r"(?P<colon>[:：]|[】\]]\s*[:：]?)?"
_LABEL_RE = {
    field: re.compile(_BOUNDARY + r"(?:" + _label(*words) + r")\s*" + _COLON)
    for field, words in LABELS.items()
}
# `来源：` alone (not 信息来源 or 资料来源: the boundary before the label keeps those out).
_LABEL_RE["source"] = re.compile(_BOUNDARY + _label("来源") + r"\s*" + _COLON)
# `日期：` alone (not 成文日期 or 生成日期, same boundary), the article bar of pages that write no
# 发布日期 (`日期：2021/09/06  来源：…`). Only as a fallback, and only with its colon.
_LABEL_RE["pub_date_bare"] = re.compile(_BOUNDARY + _label("日期") + r"\s*(?P<colon>[:：])")
#: The 公开目录表头 labels: a page showing any of them has said who publishes it (or that
#: nobody is named), so its 来源 line is left to mean a content source.
_TABLE_HEAD = re.compile(
    _BOUNDARY
    + r"(?:"
    + _label(*LABELS["index_no"], *LABELS["doc_no"], *LABELS["publisher"])
    + r")\s*(?:[:：]|[】\]]|$)"
)
#: A 来源 value that names a government body (…局, …委员会, …管委会, …人民政府), not a
#: newspaper, site or outlet (山西日报, 本站, 中国政府网, 县融媒体中心).
_ORGAN = re.compile(
    r"^[\u4e00-\u9fff（）()、·]{2,40}?(?:人民政府|政府|委员会|管委会|党工委|工委|办公室|办公厅"
    r"|办事处|厅|局|委|办|部|署|院|中心|站|所|处|科|队|街道|镇|乡)$"
)
_NOT_ORGAN = re.compile(r"报|网|电视|广播|媒体|新闻|记者|本站|本网|转载|编辑")
_ANY_KNOWN_LABEL = re.compile(r"(?:" + _label(*_ALL_LABELS) + r")\s*[:：]")
_IS_LABEL_ONLY = re.compile(r"^(?:" + _label(*_ALL_LABELS) + r")\s*[:：]?\s*$")
_GENERIC_LABEL_START = re.compile(r"^[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){0,6}\s*[:：]")
_GENERIC_NEXT_LABEL = re.compile(r"\s+[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){0,6}\s*[:：]")
_PLACEHOLDERS = {"", "无", "暂无", "/", "-", "—", "--", "——", "空", "null", "none", "n/a"}


def _cut(value: str) -> str:
    """Stop a value where the next label on the same line begins (`2026-01-22 来源：…`)."""
    m = _ANY_KNOWN_LABEL.search(value)
    if m and m.start() > 0:
        value = value[: m.start()]
    m = _GENERIC_NEXT_LABEL.search(value)
    if m:
        value = value[: m.start()]
    return value.strip(" |｜丨;；,，")


def _label_values(segments: list[str], field: str) -> list[str]:
    """Values written after the field's label, in page order (first is likeliest)."""
    pattern = _LABEL_RE[field]
    values: list[str] = []
    for i, seg in enumerate(segments):
        if len(seg) > 200 and "：" not in seg[:200] and ":" not in seg[:200]:
            continue
        for m in pattern.finditer(seg):
            rest = seg[m.end() :]
            if not m.group("colon"):
                # A bare label only counts as a whole cell (`<td>索引号</td><td>…</td>`) or when
                # the colon sits in the next tag (`<b>索 引 号</b>：…`); inside prose it is a word.
                if rest.strip() and not rest.lstrip().startswith((":", "：")):
                    continue
                rest = rest.lstrip().lstrip(":：")
            value = _cut(rest)
            if not value:
                value = _next_value(segments, i + 1)
            if value and value.lower() not in _PLACEHOLDERS:
                values.append(value)
            break
    return values


def _next_value(segments: list[str], start: int) -> str:
    for seg in segments[start : start + 3]:
        seg = seg.lstrip(":： ")
        if not seg:
            continue
        if _IS_LABEL_ONLY.match(seg) or _GENERIC_LABEL_START.match(seg):
            return ""  # the field is empty and the next label follows
        return _cut(seg)
    return ""


# ---------------------------------------------------------------- field shapes

_INDEX_NO_RE = re.compile(r"[0-9A-Za-z]{6,20}\s*/\s*\d{4}\s*-\s*\d{3,10}")
# Bounded bodies: an unclosed tag must not make the search scan the rest of the page each time.
_UCAPTITLE = re.compile(r"<ucaptitle[^>]*>(.{0,2000}?)</ucaptitle\s*>", re.I | re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.{0,2000}?)</h1\s*>", re.I | re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.{0,2000}?)</title\s*>", re.I | re.S)
_TITLE_SPLIT = re.compile(r"\s*(?:\||｜|_|——|—|\s-\s|-{2,}|－)\s*")
_SITE_SUFFIXES = ("人民政府", "政府网", "门户网站", "网站", "政府网站", "人民政府网", "政务网")


def _index_no(values: list[str]) -> str | None:
    for value in values:
        m = _INDEX_NO_RE.search(value)
        if m:
            return re.sub(r"\s+", "", m.group(0))
    for value in values:
        token = value.split(" ")[0]
        if 4 <= len(token) <= 60:
            return token
    return None


def _doc_no(values: list[str]) -> str | None:
    """文号 as written, minus whitespace: `浙人社发〔2025〕52 号` has a typing slip, not a different
    number, and catalog comparisons must see one 文号. Bracket styles are kept as the page has them."""
    for value in values:
        compact = re.sub(r"\s+", "", value)
        if 2 <= len(compact) <= 60:
            return compact
    return None


def _first_date(values: list[str], today: date) -> date | None:
    for value in values:
        found = parse_date(value, today)
        if found is not None:
            return found
    return None


def _strip_tags(fragment: str) -> str:
    return _clean(_TAG.sub(" ", fragment))


def _title_from_title_tag(raw: str, site_name: str) -> str | None:
    text = _strip_tags(raw)
    if not text:
        return None
    parts = [p for p in _TITLE_SPLIT.split(text) if p]
    kept = [
        p for p in parts if p != site_name and not (len(parts) > 1 and p.endswith(_SITE_SUFFIXES))
    ]
    return max(kept or parts, key=len) if (kept or parts) else None


def _title(html: str, meta: dict[str, str], labels: list[str]) -> str | None:
    if meta.get("ArticleTitle"):
        return meta["ArticleTitle"]
    m = _UCAPTITLE.search(html)
    if m and _strip_tags(m.group(1)):
        return _strip_tags(m.group(1))
    for value in labels:
        if len(value) >= 4:
            return value
    # Site banners are also <h1> (the Ucap xxgk page has two before the article's): the
    # article's own heading is the longest one.
    h1s = [t for t in (_strip_tags(h) for h in _H1.findall(html)) if t]
    if h1s:
        return max(h1s, key=len)
    m = _TITLE.search(html)
    if m:
        return _title_from_title_tag(m.group(1), meta.get("SiteName", ""))
    return None


def _source_publisher(segments: list[str]) -> list[str]:
    """A `来源：` line as the publisher, on pages that show no 表头 at all (no 索引号, 文号 or
    发布机构 label): there the 来源 line is the only place the page names its publishing body
    (Pingtan's TRS template prints 来源：平潭综合实验区党工委管委会 and nothing else). Only a
    government body counts: news pages name an outlet there (来源：山西日报), others the site."""
    if any(_TABLE_HEAD.search(seg) for seg in segments if len(seg) <= 200):
        return []
    return [
        v for v in _label_values(segments, "source") if _ORGAN.match(v) and not _NOT_ORGAN.search(v)
    ][:1]


#: A publication time printed without a label in the line under the heading
#: (`<h1>…</h1><p><a>站名</a> <span>2018-04-19 17:32:17</span> <span>来源：…</span>`): a numeric
#: date, with or without the time, alone between tags.
_BARE_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
#: What else stands in that line (来源：…, 作者：…, 浏览次数…): the date is read only beside one.
_INFO_LABEL = re.compile(r"^(?:来\s*源|作\s*者|浏\s*览|点\s*击|阅\s*读|字\s*号|编\s*辑)")


def _bare_date_under_title(segments: list[str], title: str | None, today: date) -> date | None:
    """The unlabelled date of the info line: within the four text runs after the heading and
    right beside another info-line entry (来源, 作者, 浏览…). Only asked when the page shows no
    labelled date and no date meta; a date in the body (a signature's) is not the publication."""
    if not title:
        return None
    for i, seg in enumerate(segments):
        if seg == title:
            for k in range(i + 1, min(i + 5, len(segments))):
                near = segments[max(i + 1, k - 1) : k + 2]
                if _BARE_DATE.match(segments[k]) and any(_INFO_LABEL.match(x) for x in near):
                    return parse_date(segments[k], today)
    return None


#: A link and the date printed right after it, with nothing but tags between
#: (`<a href="javascript:;" title="…">标题</a><span>2026-03-17</span>`): a dated list row.
_DATED_LINK = re.compile(
    r"<a\b([^<>]*)>([^<]{4,400})</a>((?:\s*<(?!/?a\b)[^<>]*>)*)\s*"
    r"(\d{4}-\d{1,2}-\d{1,2})\s*<",
    re.I,
)
_TITLE_ATTR = re.compile(r"""\btitle\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def _own_row_date(html: str, title: str | None, today: date) -> date | None:
    """The date of the page's own row in a dated list on the page: some pages print no date of
    their own but list the document among its siblings (国家公共资源交易平台's project page:
    tabs of 采购公告 / 中标公告 / 采购合同, this document's row highlighted, each row dated with
    its publication). The row is a link whose text (or title attribute) is the page's title,
    followed by a bare date with only tags between. Only asked when nothing else dates the page."""
    if not title or len(title) < 8:
        return None
    for m in _DATED_LINK.finditer(strip_invisible(html)):
        attr = _TITLE_ATTR.search(m.group(1))
        names = {_clean(m.group(2))} | ({_clean(attr.group(2))} if attr else set())
        if title in names:
            return parse_date(m.group(4), today)
    return None


def extract_detail(html: str, url: str, today: date) -> Detail:
    """Facts of an article page: title, visible and meta publication dates, 索引号, 文号,
    publishing body, written date, plus the meta block.

    `pub_date` is the visible 发布日期/发布时间 when the page shows one, else the meta PubDate;
    `meta_pub_date` is always the meta's. `url` is accepted for callers' symmetry with the other
    extractors and for family-specific fallbacks; no fact is taken from it here (URL dates have
    their own `date_source`).
    """
    del url  # documented above: detail facts come from the page itself
    meta = extract_meta(html)
    segments = text_segments(html)
    visible_pub = _first_date(_label_values(segments, "pub_date"), today) or _first_date(
        _label_values(segments, "pub_date_bare"), today
    )
    meta_pub = parse_date(meta.get("PubDate", ""), today)
    if meta_pub is None:
        # TRS sites of the State Council and many provinces: `firstpublishedtime` (first
        # publication; `lastmodifiedtime` would be a re-edit, never a publication date).
        lowered = {k.lower(): v for k, v in meta.items()}
        for name in _OTHER_PUB_META:
            meta_pub = parse_date(lowered.get(name, ""), today)
            if meta_pub is not None:
                break
    publisher_values = _label_values(segments, "publisher") or _source_publisher(segments)
    title = _title(html, meta, _label_values(segments, "title"))
    if visible_pub is None and meta_pub is None:
        visible_pub = _bare_date_under_title(segments, title, today) or _own_row_date(
            html, title, today
        )
    return Detail(
        title=title,
        pub_date=visible_pub or meta_pub,
        meta_pub_date=meta_pub,
        index_no=_index_no(_label_values(segments, "index_no")),
        doc_no=_doc_no(_label_values(segments, "doc_no")),
        publisher=publisher_values[0] if publisher_values else None,
        written_date=_first_date(_label_values(segments, "written_date"), today),
        meta=meta,
    )
