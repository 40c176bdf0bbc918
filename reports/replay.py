"""Archived pages replayed offline, scripts disabled, under a banner naming the original URL and
the capture time ("as seen on 2026-11-29 08:00").

Archived HTML is untrusted. The replay removes every <script> (and the other elements that run
or load code: iframe, frame, object, embed, applet, base, link, meta http-equiv), every on*
attribute and every javascript:/vbscript:/data: URL; and its first <head> element is a
Content-Security-Policy `default-src 'none'; script-src 'none'; …` meta, so a browser would run
no script and load nothing (not even the live site's images) should anything slip through.
Links are made absolute to the original page and open without a referrer.
"""

from __future__ import annotations

import contextlib
import re
from html import escape
from typing import Any

import lxml.html
from lxml import etree

from crawler.extract.charset import decode_html

CSP = (
    "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; "
    "base-uri 'none'; form-action 'none'; style-src 'unsafe-inline'; img-src data:"
)
DROP_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link",
    "portal", "noscript", "template", "animate", "set", "handler", "listener",
}  # fmt: skip
URL_ATTRS = {
    "href", "src", "action", "formaction", "background", "poster", "data", "codebase",
    "cite", "longdesc", "usemap", "srcset", "xlink:href", "{http://www.w3.org/1999/xlink}href",
    "dynsrc", "lowsrc", "ping", "manifest",
}  # fmt: skip
BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|livescript|mocha)\s*:", re.I)
# control characters and whitespace a browser ignores inside a scheme ("java\tscript:")
_SCHEME_NOISE = re.compile(r"[\x00-\x20]+")


def decode(body: bytes, headers: list[tuple[str, str]]) -> str:
    """The page's text as the crawl read it (crawler.extract.charset: header, <meta>, sniffing)."""
    content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
    return decode_html(body, content_type)[0]


def _unsafe_url(value: str) -> bool:
    return bool(BAD_SCHEME.match(_SCHEME_NOISE.sub("", value)))


def sanitize(html: str, base_url: str) -> etree._Element:
    """The page as an lxml document with nothing that runs."""
    try:
        doc = lxml.html.document_fromstring(html or "<p></p>")
    except (etree.ParserError, ValueError):
        doc = lxml.html.document_fromstring("<p></p>")
    for el in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
    for el in list(doc.iter()):
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag in DROP_TAGS or (tag == "meta" and el.get("http-equiv") is not None):
            parent = el.getparent()
            if parent is not None:
                el.drop_tree()
            continue
        for name in list(el.attrib):
            low = name.lower()
            if (
                low.startswith("on")
                or low in ("formaction", "srcdoc", "nonce")
                or low in URL_ATTRS
                and _unsafe_url(el.attrib[name])
                or low == "style"
                and re.search(r"expression\s*\(|javascript:", el.attrib[name], re.I)
            ):
                del el.attrib[name]
        if tag == "a" and el.get("href"):
            el.set("rel", "noopener noreferrer nofollow")
        if tag == "form":
            el.attrib.pop("action", None)
    with contextlib.suppress(ValueError):
        doc.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    return doc


def banner_html(url: str, captured: str, status: Any, sha256: str, note: str = "") -> str:
    when = captured[:16].replace("T", " ")
    return (
        '<div id="zwgk-evidence-banner" style="all:initial;display:block;position:sticky;top:0;'
        "z-index:2147483647;background:#a4161a;color:#fff;padding:8px 14px;font:13px/1.6 "
        "'Noto Sans CJK SC','Microsoft YaHei',sans-serif;word-break:break-all\">"
        f"<b>证据存档 · as seen on {escape(when)}</b>（抓取时间 {escape(captured)}）<br>"
        f"原始地址：{escape(url)}<br>"
        f"HTTP {escape(str(status or ''))} · SHA-256 {escape(sha256)} · 脚本已禁用，外部资源未加载"
        + (f"<br>{escape(note)}" if note else "")
        + "</div>"
    )


def replay(body: bytes, headers: list[tuple[str, str]], url: str, banner: str) -> str:
    """The archived page as one self-contained HTML document, scripts disabled."""
    doc = sanitize(decode(body, headers), url)
    head = doc.find("head")
    if head is None:
        head = etree.Element("head")
        doc.insert(0, head)
    for meta in list(head.iter("meta")):
        if meta.get("charset") is not None:
            meta.drop_tree()
    head.insert(0, etree.Element("meta", {"name": "referrer", "content": "no-referrer"}))
    head.insert(0, etree.Element("meta", {"http-equiv": "Content-Security-Policy", "content": CSP}))
    head.insert(0, etree.Element("meta", {"charset": "utf-8"}))
    body_el = doc.find("body")
    if body_el is None:
        body_el = etree.SubElement(doc, "body")
    lead, body_el.text = body_el.text, None
    parts = lxml.html.fragments_fromstring(banner)
    for i, el in enumerate(parts):
        body_el.insert(i, el)
    parts[-1].tail = (lead or "") + (parts[-1].tail or "")
    return "<!DOCTYPE html>\n" + lxml.html.tostring(doc, encoding="unicode")
