"""Name what a link or page is: statutory section, column category, CMS family, detail or not.

Section and column names vary from site to site (信息公开指南 / 政府信息公开指南, 年报 / 年度报告),
so matching is by meaning: names are normalised (政府, spaces and punctuation removed) and tested
against keyword tables, with URL path keywords from a 31-province survey as the fallback
(rules.md end, cms.md §3.1). The tables are module constants so configuration can replace them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = [
    "CATEGORY_KEYWORDS",
    "SECTION_NAME_KEYWORDS",
    "SECTION_PATH_KEYWORDS",
    "classify_category",
    "classify_section",
    "cms_family",
    "is_detail_url",
    "normalise_name",
]


@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """`政府信息公开指南` and ` 信息公开 指南：` both become `信息公开指南`.

    NFKC folds full-width letters and digits; every Unicode punctuation, symbol and separator is
    dropped (full- and half-width alike); 政府 is removed because sites add or omit it freely;
    ASCII is lower-cased. Cached: every classification normalises the whole keyword table.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).replace("政府", "")
    kept = [ch for ch in text if unicodedata.category(ch)[0] not in "PSZC"]
    return "".join(kept).lower()


# ---------------------------------------------------------------- statutory sections

#: First-level sections required by 国办公开办函〔2019〕61号, checked in this order on the
#: normalised name. 依申请 comes first because 依申请公开指南 also contains 指南, and 年报 before
#: 指南/制度 because 年度报告 names never mean the other two.
SECTION_NAME_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("request", ("依申请", "申请公开", "公开申请", "申请指南", "申请表", "在线申请", "申请须知")),
    ("annual", ("年报", "年度报告", "公开工作报告")),
    ("guide", ("公开指南",)),
    ("system", ("公开制度", "公开规定", "公开工作制度")),
    ("fdzdgknr", ("法定主动公开", "主动公开内容", "主动公开目录", "主动公开")),
)
#: Exact normalised names that are too short for substring matching.
SECTION_EXACT_NAMES: dict[str, str] = {"指南": "guide", "制度": "system"}
#: Path tokens (prefix match on `/`-, `_`-, `.`-separated tokens), same precedence as above.
SECTION_PATH_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("request", ("ysqgk", "ysqxxgk", "ysqgkzn")),
    ("annual", ("zfxxgknb", "xxgknb", "gknb", "ndbg")),
    ("guide", ("zfxxgkzn", "xxgkzn", "gkzn")),
    ("system", ("zfxxgkzd", "xxgkzd", "gkzd")),
    ("fdzdgknr", ("fdzdgknr",)),
)

#: The name of a portal's 政府信息公开 catalog (a link to its page, or the heading over a menu).
PORTAL_CATALOG_NAMES = re.compile(
    r"^(?:政府)?信息公开(?:目录|平台|专栏)?$|^政务公开(?:目录|专栏)?$"
)

_PATH_TOKEN = re.compile(r"[^a-z0-9]+")


def classify_section(name: str, url: str) -> str | None:
    """`guide`, `system`, `fdzdgknr`, `annual`, `request` or None.

    The link name decides when it says anything (a 依申请公开 page can sit under `/zfxxgkzn/`);
    the URL path keywords decide otherwise.
    """
    norm = normalise_name(name)
    if norm in SECTION_EXACT_NAMES:
        return SECTION_EXACT_NAMES[norm]
    for section, keywords in SECTION_NAME_KEYWORDS:
        if any(k in norm for k in keywords):
            return section
    try:
        path = urlsplit(url or "").path.lower()
    except ValueError:
        return None
    tokens = [t for t in _PATH_TOKEN.split(path) if t]
    for section, keywords in SECTION_PATH_KEYWORDS:
        if any(t.startswith(k) for t in tokens for k in keywords):
            return section
    return None


# ---------------------------------------------------------------- column categories

#: Column category → name keywords (rules.md "Column categories"; freshness windows: news 14
#: days, notice 183, periodic 365, static none). The longest matching keyword wins, ties go to
#: the category listed first, so 财政预决算 is periodic and 专题 beats the generic 动态.
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "static": (
        "信息公开指南",
        "公开指南",
        "信息公开制度",
        "公开制度",
        "机构概况",
        "单位概况",
        "部门概况",
        "专题",
    ),
    "periodic": (
        "人事信息",
        "人事任免",
        "规划计划",
        "发展规划",
        "统计信息",
        "统计数据",
        "统计公报",
        "统计",
        "财政信息",
        "财政预决算",
        "预决算",
        "预算",
        "决算",
        "重大项目",
        "领导信息",
        "领导之窗",
        "机构职能",
        "规划",
        # 重点领域 and money columns inspectors expect at least yearly
        "财政资金",
        "专项资金",
        "财政",
        "征地补偿",
        "征收",
        "政府采购",
        "收费",
    ),
    "notice": (
        "通知公告",
        "公示公告",
        "政策文件",
        "规范性文件",
        "公告公示",
        "公告",
        "公示",
        "通知",
    ),
    "news": (
        "工作动态",
        "部门动态",
        "本地要闻",
        "乡镇动态",
        "区县动态",
        "工作进展",
        "政务动态",
        "要闻",
        "动态",
        "新闻",
    ),
}
_LIST_SPLIT = re.compile(r"[,，、;；/|｜>›»\s]+")


def _category_of(name: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """Longest keyword found in the normalised name; `name` may be a comma list, of which the
    most specific (last) piece that classifies wins: `信息公开，政策文件` is a notice column."""
    pieces = [p for p in _LIST_SPLIT.split(name) if p] or [name]
    for piece in reversed(pieces):
        norm = normalise_name(piece)
        best: tuple[int, int, str] | None = None
        for rank, (category, keywords) in enumerate(table.items()):
            for k in keywords:
                kn = normalise_name(k)
                if kn and kn in norm:
                    cand = (len(kn), -rank, category)
                    if best is None or cand > best:
                        best = cand
        if best is not None:
            return best[2]
    return None


def classify_category(
    name: str,
    column_type: str | None = None,
    column_name: str | None = None,
    *,
    table: dict[str, tuple[str, ...]] | None = None,
) -> str | None:
    """`news`, `notice`, `periodic`, `static` or None when nothing matches (configuration then
    decides). The page's own ColumnType, then ColumnName meta beat the link text: the meta is
    what the site says the column is, the link text is often abbreviated."""
    table = table or CATEGORY_KEYWORDS
    for candidate in (column_type, column_name, name):
        if candidate:
            found = _category_of(candidate, table)
            if found is not None:
                return found
    return None


# ---------------------------------------------------------------- CMS family

#: (family, html fingerprints, url regex) in precedence order: the specific platforms first,
#: TRS last because migrated bodies on other platforms can still carry `TRS_Editor` markup.
_FAMILY_HTML: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gkmlpt", ("_CONFIG.TREE", "_CONFIG.DETAIL", "nfw-cms-attachment", "gkmlfront_session")),
    (
        "ucap",
        ("<ucaptitle", "<ucapcontent", "UCAP-CONTENT", "manuscriptId", "template,templategroup"),
    ),
    (
        "hanweb",
        (
            "dataproxy.jsp",
            "<datastore>",
            "i_columnid",
            "i_articleid",
            "ZJEG_RSS",
            "/module/xxgk/",
            "jpage(",
        ),
    ),
    ("trs", ("TRS_Editor", "trs_editor_view", "createPageHTML", "WCM置标", "/was5/web/search")),
)
_FAMILY_URL: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gkmlpt", re.compile(r"/gkmlpt/", re.I)),
    ("ucap", re.compile(r"/\d{6}/[0-9a-f]{32}\.shtml$", re.I)),
    ("hanweb", re.compile(r"/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_|/col/col\d+/", re.I)),
    ("trs", re.compile(r"/t\d{8}_\d+(?:_\d+)?\.s?html?$", re.I)),
)


def cms_family(html: str, url: str) -> str:
    """`trs`, `hanweb`, `ucap`, `gkmlpt` or `other`, from page fingerprints (cms.md §1-§3),
    then from URL shapes; the family picks the list and pagination extractor."""
    head = html or ""
    for family, needles in _FAMILY_HTML:
        if any(n in head for n in needles):
            return family
    path = _path(url)
    for family, pattern in _FAMILY_URL:
        if pattern.search(path):
            return family
    return "other"


# ---------------------------------------------------------------- detail URLs

_ATTACHMENT_EXT = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".wps",
    ".et",
    ".ofd",
    ".zip",
    ".rar",
    ".7z",
    ".ppt",
    ".pptx",
    ".txt",
    ".csv",
)
_DETAIL_PATH: tuple[re.Pattern[str], ...] = (
    re.compile(r"/t\d{8}_\d+(?:_\d+)?\.s?html?$"),  # TRS dated
    re.compile(r"/t\d{6,}\.s?html?$"),  # TRS without date (Guangxi)
    re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.s?html?$"),  # Hanweb
    re.compile(r"/art/\d{4}/art_[0-9a-f]{32}\.s?html?$"),  # Hanweb newer
    re.compile(r"/\d{6}/[0-9a-f]{32}\.s?html?$"),  # Ucap
    re.compile(r"/\d{8}/[0-9a-f]{32}\.s?html?$"),  # Shanghai
    re.compile(r"/m?post_\d+\.s?html?$"),  # gkmlpt, Shenzhen /content/post_
    re.compile(r"/public/\d+/\d+\.s?html?$"),  # 安徽 public
    re.compile(r"/info/\d+/\d+\.htm$"),  # 博达 VSB
)


def _path(url: str) -> str:
    try:
        return urlsplit(url or "").path
    except ValueError:
        return ""


def _has_attachment_ext(names: Iterable[str]) -> bool:
    return any(n.lower().endswith(_ATTACHMENT_EXT) for n in names)


#: Every article form above ends in a page suffix: one scan of the path instead of nine.
_ANY_DETAIL_PATH = re.compile("|".join(f"(?:{p.pattern})" for p in _DETAIL_PATH))
_PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".shtm")


def path_and_query(url: str) -> tuple[str, str] | None:
    """`urlsplit(url)`'s path and query (None when it raises), without its cost for the plain
    absolute URLs the extractors produce: every list row asks this of its link."""
    if (
        url.startswith(("http://", "https://"))
        and url.isprintable()
        and " " not in url
        and "[" not in url
        and "]" not in url
    ):
        rest = url[url.index("://") + 3 :].partition("#")[0]
        cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
        if rest[:cut].isascii():  # urlsplit vets non-ASCII hosts (NFKC), which may raise
            path, _, query = rest[cut:].partition("?")
            return path, query
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    return parts.path, parts.query


@lru_cache(maxsize=65536)
def is_detail_url(url: str) -> bool:
    """True for article pages and attachments, the leaves a list links to (not list pages,
    pagers or columns), so the spider knows what to fetch for detail facts."""
    split = path_and_query(url or "")
    if split is None:
        return False
    path, query = split[0].lower(), split[1]
    if path.endswith(_PAGE_SUFFIXES) and _ANY_DETAIL_PATH.search(path):
        return True
    if path.endswith(_ATTACHMENT_EXT):
        return True
    if "downfile" in path:
        query_values: Sequence[str] = [kv.partition("=")[2] for kv in query.split("&")]
        if _has_attachment_ext(query_values):
            return True
    return "wbnewsid=" in query.lower()
