"""Recognise anti-crawl challenges so they are reported as `crawl-failed`, not as content.

A 瑞数 stub answered with status 200 parses as an empty list page; treated as content it would
raise false 空白栏目 / 栏目不更新 findings against a unit whose site is fine. So fingerprints
that are unambiguous (`$_ts` + `r='m'`, `__jsl_clearance`, `/WZWSREL`) fire on any status, while
text-only signals (验证码, 访问过于频繁, 非法访问) fire only on tiny pages: real articles mention
those words too. Fingerprints: the challenge pages tests/extract/test_extract_waf.py replays.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crawler.extract.meta import strip_invisible

__all__ = ["TINY_TEXT_CHARS", "classify_block", "visible_text"]

#: A challenge page shows at most a sentence or two. Real list/detail pages show far more.
TINY_TEXT_CHARS = 400
#: Only this much of the body is inspected: stubs are small and real pages need no full scan.
_SCAN_BYTES = 96 * 1024
#: The first look at whether a page is tiny: enough for a real page's header and menus.
_PREFIX_CHARS = 4096

_RUISHU_TS = re.compile(r"\$_ts\s*(?:=|\.|\[)")
_RUISHU_SCRIPT = re.compile(r"""<script[^<>]*\br\s*=\s*["']?m\b""", re.I)
_JSL_BODY = re.compile(r"__jsl_clearance|go\(\s*\{\s*[\"']bts[\"']", re.I)
_JS_COOKIE = re.compile(r"document\.cookie\s*=", re.I)
_WZWS_URL = re.compile(r"/wzwsrel|wzwschallenge", re.I)
_WZWS_BODY = re.compile(r"wzwsquestion|wzwsmethod|wzwsparams|wzwschallenge", re.I)

_RATE_TEXT = re.compile(
    r"频繁|请求过多|访问过快|访问次数过多|too many|rate limit",
    re.I,
)
_CAPTCHA_TEXT = re.compile(r"验证码|captcha|人机验证|滑动验证|安全验证", re.I)
# A challenge may show only an image and an input whose placeholder says 验证码.
_CAPTCHA_INPUT = re.compile(r"<input[^<>]*(?:captcha|verifycode|验证码)", re.I)
_REJECT_TEXT = re.compile(
    r"不合法的参数|参数不合法|非法访问|非法请求|访问被拒绝|拒绝访问|请求被拒绝|请求被拦截|"
    r"访问被阻断|已被拦截|访问受限|禁止访问|access denied|request rejected",
    re.I,
)

#: Every alternative of the three text signals (and the captcha input) contains one of these.
_SIGNAL_WORDS_CJK = re.compile("频繁|过多|过快|验证|合法|非法|拒绝|拦截|阻断|受限|禁止")
_SIGNAL_WORDS_ASCII = ("many", "limit", "captcha", "verifycode", "denied", "rejected")

_TAG = re.compile(r"<[^<>]*>")  # `[^<>]` keeps a stray `<` from scanning the whole page


def _as_text(body: bytes | str) -> str:
    if isinstance(body, str):
        return body[:_SCAN_BYTES]
    chunk = body[:_SCAN_BYTES]
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return chunk.decode("gb18030")
    except UnicodeDecodeError:
        return chunk.decode("utf-8", errors="replace")


def visible_text(html: str) -> str:
    """Text a reader would see (scripts, styles and comments removed, whitespace collapsed)."""
    # str.split() splits on what `\s` matches (nbsp and U+3000 included), faster than a regex.
    return " ".join(_TAG.sub(" ", strip_invisible(html)).split())


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name) or headers.get(name.title()) or ""
    return value if isinstance(value, str) else str(value)


def _prefix_shows_plenty(text: str) -> bool:
    """True when the page's first few kilobytes already show more than a stub would. A prefix
    cut after a `>` shows no more than the whole page (an unclosed script swallows the rest),
    so most real pages are settled without reading them to the end."""
    if len(text) <= TINY_TEXT_CHARS:
        return False
    cut = text.rfind(">", 0, _PREFIX_CHARS)
    if cut <= 0:
        return False
    shown = visible_text(text[: cut + 1])
    # +2: whitespace collapsed across the cut can shorten the whole page's text by one. A stray
    # `<` left in the prefix's text could pair with a `>` further on and hide that text as a
    # tag in the whole page, so such a prefix proves nothing.
    return len(shown) > TINY_TEXT_CHARS + 2 and "<" not in shown


def _is_tiny(text: str) -> bool:
    """True when the page shows at most TINY_TEXT_CHARS characters."""
    if len(text) <= TINY_TEXT_CHARS:
        return True
    return not _prefix_shows_plenty(text) and len(visible_text(text)) <= TINY_TEXT_CHARS


def classify_block(
    status: int, headers: Mapping[str, str], body: bytes | str, url: str
) -> str | None:
    """Return `ruishu`, `jsl`, `wzws`, `rate-limit`, `captcha` or `ua-reject` when the response
    is an anti-crawl challenge, else None (normal pages and ordinary 404s included)."""
    text = _as_text(body)
    # Every fingerprint below needs an ASCII keyword: finding none in the lower-cased bytes
    # spares the case-insensitive scans, which cost more than parsing an ordinary page.
    low = body[:_SCAN_BYTES].lower().decode("latin-1") if isinstance(body, bytes) else text.lower()
    cookies = _header(headers, "set-cookie")
    location = _header(headers, "location")

    # 瑞数: the `$_ts` seed script plus `r='m'` loader scripts; status 412, 202 or even 200.
    # Pages served after the challenge keep the injected scripts, so a 200 only counts as the
    # stub when it shows (next to) nothing.
    if (
        "$_ts" in low
        and _RUISHU_TS.search(text)
        and (status in (202, 412) or (_RUISHU_SCRIPT.search(text) and _is_tiny(text)))
    ):
        return "ruishu"
    if status == 412 and _RUISHU_SCRIPT.search(text):
        return "ruishu"

    # 加速乐: 521 with a cookie-setting script or its cookies; the second step is a go({...}) page.
    if ("jsl" in low or "bts" in low) and _JSL_BODY.search(text):
        return "jsl"
    if status == 521 and (
        _JS_COOKIE.search(text) or "__jsluid" in cookies or "__jsl_clearance" in cookies
    ):
        return "jsl"

    # 网站卫士: redirect to /WZWSREL…, challenge script, or its challenge cookie on a stub.
    if (
        _WZWS_URL.search(location)
        or _WZWS_URL.search(url)
        or ("wzws" in low and _WZWS_BODY.search(text))
    ):
        return "wzws"

    if status == 429:
        return "rate-limit"

    if "wzws_cid" in cookies and (
        300 <= status < 400 or ("cookie" in low and _JS_COOKIE.search(text) and _is_tiny(text))
    ):
        return "wzws"
    # The text signals only count on a stub. A page whose start shows plenty is none; nor is a
    # page without any of the signals' words (a tag or script between two characters leaves a
    # space in the visible text), which spares reading the rest of most pages.
    if len(text) > _PREFIX_CHARS * 4 and _prefix_shows_plenty(text):
        return None  # a long page: its start settles it sooner than a scan of all of it
    if not (_SIGNAL_WORDS_CJK.search(text) or any(word in low for word in _SIGNAL_WORDS_ASCII)):
        return None
    shown = visible_text(text)
    if len(shown) > TINY_TEXT_CHARS:
        return None
    if _RATE_TEXT.search(shown):
        return "rate-limit"
    if _CAPTCHA_TEXT.search(shown) or _CAPTCHA_INPUT.search(text):
        return "captcha"
    if _REJECT_TEXT.search(shown):
        return "ua-reject"
    return None
