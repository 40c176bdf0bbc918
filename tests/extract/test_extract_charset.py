"""decode_html: declared charsets are trusted only when the bytes agree (cms.md §1.4, §7.9)."""

from __future__ import annotations

import pytest

from crawler.extract.charset import decode_html, normalise_encoding

TEXT = (
    "<html><head><title>万载县人民政府</title></head><body>"
    "<p>关于印发2023年政府信息公开工作要点的通知</p>"
    "<p>各乡镇人民政府，县政府各部门：现将工作要点印发给你们，请认真贯彻执行。</p>"
    "<p>镕䶮</p></body></html>"
)
# Without a meta tag: only the header or detection can tell.
PLAIN = TEXT.replace("<p>镕䶮</p>", "")
GBK = PLAIN.encode("gbk")
UTF8 = TEXT.encode("utf-8")


def test_gbk_with_bare_text_html_header_is_detected() -> None:
    text, enc = decode_html(GBK, "text/html")
    assert text == PLAIN
    assert enc == "gb18030"


def test_gbk_without_any_header() -> None:
    assert decode_html(GBK, None) == (PLAIN, "gb18030")


def test_header_that_lies_utf8_over_gbk_bytes_falls_back() -> None:
    text, enc = decode_html(GBK, "text/html; charset=UTF-8")
    assert text == PLAIN
    assert enc == "gb18030"


def test_header_that_lies_gbk_over_utf8_bytes_falls_back() -> None:
    # gb18030 decodes UTF-8 bytes "cleanly" into mojibake; valid UTF-8 must win.
    text, enc = decode_html(UTF8, "text/html; charset=GBK")
    assert text == TEXT
    assert enc == "utf-8"


def test_tomcat_default_latin1_header_does_not_win_over_utf8() -> None:
    assert decode_html(UTF8, "text/html;charset=ISO-8859-1") == (TEXT, "utf-8")


def test_meta_http_equiv_only() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        + PLAIN[6:]
    )
    text, enc = decode_html(page.encode("gbk"), "text/html")
    assert enc == "gb18030"
    assert "政府信息公开工作要点" in text


def test_meta_charset_only_with_characters_outside_gb2312() -> None:
    # A GB2312 label but GB18030-only characters: the superset decodes them.
    page = '<meta charset="gb2312">' + TEXT
    text, enc = decode_html(page.encode("gb18030"), None)
    assert enc == "gb18030"
    assert "镕䶮" in text


def test_header_gbk_is_decoded_as_gb18030() -> None:
    text, enc = decode_html(TEXT.encode("gb18030"), "text/html; charset=gbk")
    assert (text, enc) == (TEXT, "gb18030")


def test_utf8_with_header() -> None:
    assert decode_html(UTF8, "text/html; charset=utf-8") == (TEXT, "utf-8")


def test_utf8_without_header() -> None:
    assert decode_html(UTF8, None) == (TEXT, "utf-8")


def test_quoted_header_charset() -> None:
    assert decode_html(UTF8, 'text/html; charset="utf-8"') == (TEXT, "utf-8")


def test_unknown_header_charset_is_ignored() -> None:
    assert decode_html(UTF8, "text/html; charset=x-made-up") == (TEXT, "utf-8")


def test_utf8_bom() -> None:
    text, enc = decode_html(b"\xef\xbb\xbf" + GBK.decode("gbk").encode("utf-8"), None)
    assert text == PLAIN
    assert enc == "utf-8-sig"


def test_utf16_bom() -> None:
    text, enc = decode_html(PLAIN.encode("utf-16"), None)
    assert text == PLAIN
    assert enc == "utf-16"


@pytest.mark.parametrize("body", [b"", b"\xff\xfe\xfd\x00\x81", bytes(range(256)) * 4])
def test_never_raises(body: bytes) -> None:
    text, enc = decode_html(body, "text/html; charset=utf-8")
    assert isinstance(text, str)
    assert isinstance(enc, str)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("x-gbk", "gb18030"),
        ("UTF8", "utf-8"),
        ("utf-8", "utf-8"),
        ("big5", "big5"),
        ("nonsense", None),
        (None, None),
    ],
)
def test_normalise_encoding(label: str | None, expected: str | None) -> None:
    assert normalise_encoding(label) == expected
