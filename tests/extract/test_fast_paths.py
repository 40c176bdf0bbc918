"""The extractors' fast paths must answer exactly what the first version did.

Each shortcut here (relative links without urljoin, root-relative links cached by origin, path
and query without urlsplit, the href-quote repair without a case-insensitive scan) exists for
crawl throughput; a URL that differs by one character would split an item's history in the
store. So each is compared with the reference on thousands of generated inputs built from the
characters that matter, and on hand-picked tricky ones.
"""

from __future__ import annotations

import random
import re
from urllib.parse import urlsplit

import pytest

from crawler.extract._html import _abs_url, _abs_url_slow, _fix_hrefs, _origin, parse_html
from crawler.extract.classify import is_detail_url, path_and_query

_FIRST_UNSAFE = re.compile(r"[\s\\\[\]]|/\.\.?(?:/|$)")


def first_version_abs_url(href: str, base_url: str) -> str | None:
    """How the first version resolved links: absolute and root-relative ones as written unless
    urljoin had to tidy them, everything else through urljoin."""
    if href.startswith(("http://", "https://")) and not _FIRST_UNSAFE.search(href):
        return href
    if href.startswith("/") and not href.startswith("//") and not _FIRST_UNSAFE.search(href):
        return _origin(base_url) + href
    return _abs_url_slow(href, base_url)


BASES = [
    "http://h/a/b.html",
    "http://h/a/",
    "http://h",
    "http://h:8080/x/y/z.shtml?q=1#f",
    "https://h/a;p/b",
    "http://h/a//b.html",
    "http://h/a/./b.html",
    "http://h/a/../b/c.html",
    "http://h/%E4%B8%AD/list.html",
    "http://h/a/b.html?",
    "HTTP://H/a/b",
    "http://[::1]/a/b",
]
PIECES = ["http://h2/", "https://h3", "/..", "/.", "./", "", "a", "b.html", "../", ".", "..", "x/", "//",
          "/", "?q=1", "#f", "?", "#", "t20261129_1.html", "a:b", ":", "%20", "~u", "!", "$",
          "&", "'", "(", "*", "+", ",", "=", "@", ";", "中文", " ", "\\", "[", "-", "\t",
          "javascript:", "mailto:x"]  # fmt: skip


def _hrefs(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))) for _ in range(n)]
    return [h for h in out if h]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_link_resolution_equals_the_first_version(seed: int) -> None:
    differ = [
        (href, base)
        for href in _hrefs(seed, 5000)
        for base in BASES
        if _abs_url(href, base) != first_version_abs_url(href, base)
    ]
    assert differ == []


TRICKY = ["/\t/", "/\n/x", "/..#f", "/.?q", "/a?", "/a#", "/a?#b", "./a?#", "/a;p", "/ a",
          "/a/../b", "//h2/x", "./../a", "a//b", "./", ".", "..", "?", "#", "?q", "#f", "/%2e%2e/",
          "http://h2/a/./b", "https://h3?", "x:y", "./a:b", "中文/页.html", "\\a", "[x]"]  # fmt: skip


def test_link_resolution_equals_the_first_version_on_tricky_hrefs() -> None:
    differ = [
        (h, b) for h in TRICKY for b in BASES if _abs_url(h, b) != first_version_abs_url(h, b)
    ]
    assert differ == []


def test_links_keep_an_empty_fragment_or_query_as_they_always_have() -> None:
    # Stored item URLs of real pages end in `#` (ucap-wanzai-county-portal-detail.html):
    # resolving them differently would make every such item new again.
    assert _abs_url("/art/2026/a.shtml#", "http://h/x/") == "http://h/art/2026/a.shtml#"
    assert _abs_url("http://h/a.html?", "http://h/x/") == "http://h/a.html?"


def test_link_resolution_fast_paths_are_taken() -> None:
    # The common forms of list links resolve by concatenation (and still correctly).
    assert _abs_url("./202611/t20261129_1.html", "http://h/xxgk/tzgg/index_1.html") == (
        "http://h/xxgk/tzgg/202611/t20261129_1.html"
    )
    assert _abs_url("t1.html?id=3#top", "http://h/a/b.html?page=2") == "http://h/a/t1.html?id=3#top"
    assert _abs_url("../t1.html", "http://h/a/b/c.html") == "http://h/a/t1.html"
    assert _abs_url("./t1.html", "http://h/a/../b/c.html") == "http://h/b/t1.html"


@pytest.mark.parametrize("seed", [1, 2])
def test_path_and_query_equals_urlsplit(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["http://", "https://", "h", "h:80", "/", "?", "#", "a", "=", "&", " ", "\t", "\n",
              "[", "]", "::1", "中", "%20", ".", "HTTP://", "@", ":", ";", "\x00", "\u3000"]  # fmt: skip
    for _ in range(20000):
        url = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        try:
            parts = urlsplit(url)
            want: tuple[str, str] | None = (parts.path, parts.query)
        except ValueError:
            want = None
        assert path_and_query(url) == want, url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h/xxgk/202611/t20261129_5.html?from=list#top", True),
        ("http://h/art/2026/11/29/art_12_345.html", True),
        ("http://h/col/col123/index.html", False),
        ("http://h/xxgk/t20261129_5.html/", False),
        ("http://h/upload/a.PDF", True),
        ("http://h/downfile.jsp?name=a.docx", True),
        ("http://h/module/view.jsp?wbnewsid=123", True),
        ("http://[bad/t20261129_1.html", False),
        ("http://a\uff0fb/t20261129_1.html", False),  # urlsplit rejects the host (NFKC)
        ("", False),
    ],
)
def test_is_detail_url_after_one_scan(url: str, expected: bool) -> None:
    assert is_detail_url(url) is expected


def test_href_quote_repair_leaves_quotes_that_belong_to_the_value() -> None:
    # The other quote inside a value whose own quote still closes before `>` is not a mismatch.
    html = (
        "<A href=\"javascript:gotoCurrentPage('2')\">下一页</A>"
        "<a href='javascript:go(\"3\")'>3</a>"
        "<a href='./mixed.html\" target=_blank>混</a>"
    )
    fixed = _fix_hrefs(html)
    assert fixed.startswith(html[: -len("<a href='./mixed.html\" target=_blank>混</a>")])
    root = parse_html(html)
    assert root is not None
    assert [a.get("href") for a in root.iter("a")] == [
        "javascript:gotoCurrentPage('2')",
        'javascript:go("3")',
        "./mixed.html",
    ]


def test_href_quote_repair_keeps_other_attributes_and_handles_upper_case() -> None:
    assert _fix_hrefs('<a xhref="./keep.html target=_blank>x</a>') == (
        '<a xhref="./keep.html target=_blank>x</a>'  # not an href attribute: left alone
    )
    # ...but an href that starts inside it is still one.
    assert 'href="b.html" target' in _fix_hrefs("<a xhref='a/href=\"b.html target=_blank>x</a>")
    mixed = '<a href="./a.html">a</a><a hRef="./b.html target=_blank>b</a>'
    assert 'hRef="./b.html" target' in _fix_hrefs(mixed)
    html = (
        '<A HREF="./upper.html target=_blank>上</A>'
        "<a href='./mixed.html\" target=_blank>混</a>"
        "<a href='./single.html'>单</a>"
        '<a href="./fine.html">好</a>'
    )
    fixed = _fix_hrefs(html)
    assert 'HREF="./upper.html" target' in fixed
    assert 'href="./mixed.html" target' in fixed
    assert "href='./single.html'>" in fixed and '<a href="./fine.html">' in fixed
    root = parse_html(html)
    assert root is not None
    assert [(a.get("href"), a.text) for a in root.iter("a")] == [
        ("./upper.html", "上"),
        ("./mixed.html", "混"),
        ("./single.html", "单"),
        ("./fine.html", "好"),
    ]
