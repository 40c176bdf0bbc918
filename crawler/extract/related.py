"""Related links of a detail page: the anchors of its 相关链接 / 相关文件 / 政策解读 / 相关解读 /
原文链接 / 附件 block, as (URL, link text) pairs.

`interpretation-missing` uses them to match a policy with its 解读 by link and to see whether the
two pages link each other. A block is a label that stands as its own text run (`<div
class="xgjd"><span>相关解读</span>`) or ends in a colon (`相关解读：<a …>`), never inside an
anchor (a navigation menu's 政策解读 link is no block). Its anchors are those that follow the
label until the page's prose resumes (more than `_MAX_GAP` characters of text between anchors),
a paging or toolbar word (上一篇, 打印 …), or `MAX_LINKS` links. Only http(s) URLs are kept,
resolved against the page's URL, on any host, but no site's home page (a footer of 友情链接
labelled 相关链接 lists them on every page: a real Pingtan page); link text is folded to single spaces and cut to
`MAX_TEXT` characters.
"""

from __future__ import annotations

import html as htmllib
import re
from urllib.parse import urljoin, urlsplit

from crawler.extract.meta import strip_invisible

__all__ = ["MAX_LINKS", "MAX_TEXT", "RELATED_LABELS", "extract_related_links"]

MAX_LINKS = 20  # per page: a 附件 list of hundreds of files is not what the rule needs
MAX_TEXT = 200
RELATED_LABELS = ("相关链接", "相关文件", "政策解读", "相关解读", "原文链接", "附件", "解读链接")
_MAX_GAP = 40  # characters of text between two anchors that end a block
_STOP_WORDS = ("上一篇", "下一篇", "打印", "关闭", "分享", "返回顶部", "【字体")

_LABEL = re.compile(
    r">\s*[【\[]?\s*(?:" + "|".join(RELATED_LABELS) + r")\s*[】\]]?\s*(?:[:：]\s*)?(?=<)"
    r"|(?:" + "|".join(RELATED_LABELS) + r")\s*[:：]"
)
_ANCHOR = re.compile(r"<a\b([^<>]*)>(.*?)</a\s*>", re.I | re.S)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+))""", re.I)
_TAG = re.compile(r"<[^<>]*>")
_WS = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOW = 6000  # characters after a label searched for its anchors


def _text(fragment: str) -> str:
    s = htmllib.unescape(_TAG.sub(" ", fragment))
    return _CONTROL.sub("", _WS.sub(" ", s)).strip()[:MAX_TEXT]


def _inside_anchor(html: str, pos: int) -> bool:
    opened = max(html.rfind("<a ", 0, pos), html.rfind("<a>", 0, pos), html.rfind("<A ", 0, pos))
    closed = max(html.rfind("</a>", 0, pos), html.rfind("</A>", 0, pos))
    return opened > closed


def extract_related_links(html: str, url: str) -> list[tuple[str, str]]:
    """The page's related links, in page order, each URL once, at most `MAX_LINKS`."""
    body = strip_invisible(html)
    out: list[tuple[str, str]] = []
    seen: set[str] = {url.split("#", 1)[0]}
    pos = 0
    while len(out) < MAX_LINKS:
        m = _LABEL.search(body, pos)
        if m is None:
            break
        pos = m.end()
        if _inside_anchor(body, m.start() + 1):
            continue
        window = body[pos : pos + _WINDOW]
        at = 0
        for a in _ANCHOR.finditer(window):
            gap = _text(window[at : a.start()])
            if len(gap) > _MAX_GAP or any(w in gap for w in _STOP_WORDS):
                break
            at = a.end()
            text = _text(a.group(2))
            if any(w in text for w in _STOP_WORDS):
                break
            h = _HREF.search(a.group(1))
            if h is None:
                continue
            raw = htmllib.unescape(next(g for g in h.groups() if g is not None)).strip()
            target = urljoin(url, raw).split("#", 1)[0]
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or target in seen:
                continue
            if parts.path in ("", "/") and not parts.query:
                continue  # a site's home page: a 友情链接 footer, never a related document
            seen.add(target)
            out.append((_CONTROL.sub("", target)[:2000], text))
            if len(out) >= MAX_LINKS:
                break
        pos = max(pos, pos + at)
    return out
