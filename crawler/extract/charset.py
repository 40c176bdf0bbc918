"""Turn response bytes into text when servers misstate the encoding.

County sites still serve GB2312/GBK, often with a bare `text/html` header or one that claims
UTF-8, and Tomcat-style defaults announce ISO-8859-1 for everything (cms.md §1.4, §4). A wrong
decode silently produces mojibake titles and kills every keyword match downstream, so each
declared charset is only trusted when the bytes agree with it.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = ["decode_html", "normalise_encoding"]

_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
# Both `<meta charset="gbk">` and `<meta http-equiv=Content-Type content="text/html; charset=gbk">`.
_META_CHARSET_RE = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)

# GB18030 is a strict superset of GB2312 and GBK: decoding with it never loses the rarer
# characters (names of places and people) that GBK-declared pages really contain.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "unicode": "utf-8",
    "utf8": "utf-8",
}

# Encodings that decode nearly any byte string without an error, so "decodes cleanly" says
# nothing about them: they only win when the bytes are not also valid, non-ASCII UTF-8.
_PERMISSIVE = {"latin-1", "iso8859-1", "cp1252", "ascii", "gb18030", "big5", "cp949", "shift_jis"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def normalise_encoding(name: str | None) -> str | None:
    """Canonical Python codec name for a declared charset, GB family folded into gb18030;
    None when Python does not know the label."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        canonical = codecs.lookup(label).name
    except LookupError:
        return None
    return _ALIASES.get(canonical, canonical)


def _is_utf8_with_non_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _try(body: bytes, encoding: str | None) -> str | None:
    """Decode strictly; refuse a permissive codec when the bytes are real UTF-8 (a lying
    `charset=gbk` or `iso-8859-1` on a UTF-8 page would otherwise 'decode cleanly')."""
    if encoding is None:
        return None
    if encoding in _PERMISSIVE and encoding != "ascii" and _is_utf8_with_non_ascii(body):
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return `(text, encoding)`; never raises.

    Order: HTTP header charset (if the bytes decode cleanly), `<meta>` charset in the first
    4 KB, byte-order mark, strict UTF-8, then charset-normalizer detection; last resort UTF-8
    with replacement characters.
    """
    try:
        return _decode(body or b"", content_type)
    except Exception:  # a crawler must never die on one odd page
        return (body or b"").decode("utf-8", errors="replace"), "utf-8"


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    if not body:
        return "", "utf-8"
    if content_type:
        m = _HEADER_CHARSET_RE.search(content_type)
        if m:
            enc = normalise_encoding(m.group(1))
            text = _try(body, enc)
            if text is not None and enc is not None:
                return text, enc
    m = _META_CHARSET_RE.search(body[:4096])
    if m:
        enc = normalise_encoding(m.group(1).decode("ascii", "ignore"))
        text = _try(body, enc)
        if text is not None and enc is not None:
            return text, enc
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body.decode(enc, errors="replace"), enc
    text = _try(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = charset_normalizer.from_bytes(body).best()
    enc = normalise_encoding(best.encoding) if best is not None else None
    if enc is None:
        enc = "gb18030"  # mainland government sites: the likeliest non-UTF-8 encoding
    try:
        return body.decode(enc, errors="replace"), enc
    except LookupError:
        return body.decode("utf-8", errors="replace"), "utf-8"
