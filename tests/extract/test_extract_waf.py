"""classify_block: challenges are `crawl-failed`, never empty or stale columns (cms.md §4, §7.10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.waf import classify_block, visible_text

URL = "http://www.example.gov.cn/zwgk/tzgg/index.html"

RUISHU = (
    "<!DOCTYPE html><html><head>"
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    '<meta id="9DhefwqGPrzGxEp9hPaoag" '
    'content="dbe5Jk0YKQ0Q2rxr8Bc0LyAq.yCK7TYzXrX6LFg1kPqTZ7MYIg_3RmoA6VxQn2vM_lrNv" r="m">'
    "<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
    '$_ts.nsd=28391;$_ts.cd="qhrlrrAlqGWlcqAlqGq";</script>'
    '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js"'
    " r='m'></script></head><body></body></html>"
)
JSL_STEP1 = (
    "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')"
    "+('a')+('n')+('c')+('e')+('_')+('s')+('=')+(-~[]+'')+(3+4+'')+'.'+(2+'');"
    "location.href=location.pathname+location.search</script>"
)
JSL_STEP2 = (
    '<script>var _0x1=...;;go({"bts":["1720000000.123|0|Ab","Cd%3D"],'
    '"chars":"abcdefghijk","ct":"5e8c1b","ha":"sha1","is":true,"tn":"__jsl_clearance_s",'
    '"vt":"3600","wt":"1500"})</script>'
)
WZWS_BODY = (
    "<html><head><script>var wzwstemplate='KSQoPz8/Pz8/Pz8/';var wzwsquestion='MTIzNDU2';"
    "var wzwsfactor='8372';var wzwsmethod='post';var wzwsparams='cGFyYW1z';"
    "function wzwschallenge(){}</script></head><body></body></html>"
)
UA_REJECT = "<html><body><h3>您的请求含有不合法的参数，已被网站管理员设置拦截！</h3></body></html>"
ILLEGAL = "<html><head><title>提示</title></head><body>非法访问！</body></html>"
DENIED = "<html><body><div>访问被拒绝，请联系网站管理员</div></body></html>"
RATE_CN = "<html><body>您的访问过于频繁，请稍后再试。</body></html>"
RATE_EN = "<html><body><h1>Too Many Requests</h1></body></html>"
CAPTCHA = (
    "<html><body><form><p>请输入验证码后继续访问</p><img src='/captcha.jpg'>"
    "<input name='code'></form></body></html>"
)
CAPTCHA_IMAGE_ONLY = (
    "<html><body><form><img src='/verify.jpg'>"
    "<input type='text' name='verifycode' placeholder='请输入'></form></body></html>"
)
NGINX_404 = (
    "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1>"
    "</center><hr><center>nginx</center></body></html>"
)
GOV_404 = "<html><body><p>对不起，您访问的页面不存在或已被删除！</p></body></html>"
LIST_PAGE = (
    "<html><head><title>通知公告</title></head><body><ul>"
    + "".join(
        f"<li><a href='./202609/t202609{d:02d}_4000{d}.html'>关于开展第{d}批政府信息公开"
        f"工作检查的通知</a><span>2026-09-{d:02d}</span></li>"
        for d in range(1, 21)
    )
    + "</ul></body></html>"
)
BIG_WITH_CAPTCHA_WORD = (
    "<html><body><div class='TRS_Editor'>"
    + "<p>网上办事大厅登录时需输入短信验证码，访问被拒绝时请检查网络，请勿频繁提交。</p>" * 40
    + "</div></body></html>"
)


def _bytes(s: str) -> bytes:
    return s.encode("utf-8")


@pytest.mark.parametrize(
    ("status", "headers", "body", "url", "expected"),
    [
        # 瑞数: 412, 202, and a stub served with 200 still counts
        (412, {"set-cookie": "NfBCSins2OywO=abc; path=/"}, RUISHU, URL, "ruishu"),
        (202, {}, RUISHU, URL, "ruishu"),
        (200, {"content-type": "text/html"}, RUISHU, URL, "ruishu"),
        (200, {}, _bytes(RUISHU), URL, "ruishu"),
        (412, {}, "<script r='m' src='/a/b.js'></script>", URL, "ruishu"),
        # 加速乐
        (521, {"set-cookie": "__jsluid_h=0123abcd; max-age=31536000"}, JSL_STEP1, URL, "jsl"),
        (521, {}, JSL_STEP1, URL, "jsl"),
        (521, {"set-cookie": "__jsluid_s=77; path=/"}, "", URL, "jsl"),
        (521, {}, JSL_STEP2, URL, "jsl"),
        (200, {}, JSL_STEP2, URL, "jsl"),
        # 网站卫士
        (
            302,
            {"location": "/WZWSREL3p3Z2svdHpnZy9pbmRleC5odG1s", "set-cookie": "wzws_cid=9a"},
            "",
            URL,
            "wzws",
        ),
        (200, {}, "<html></html>", "http://x.gov.cn/WZWSRELL3p3Z2s=?wzwschallenge=V1p", "wzws"),
        (200, {}, WZWS_BODY, URL, "wzws"),
        (200, {}, _bytes(WZWS_BODY), URL, "wzws"),
        (
            200,
            {"set-cookie": "wzws_cid=abcdef; path=/"},
            "<script>document.cookie='wzws_cid=abcdef';location.reload()</script>",
            URL,
            "wzws",
        ),
        # rate limits
        (429, {"retry-after": "60"}, "", URL, "rate-limit"),
        (429, {}, LIST_PAGE, URL, "rate-limit"),
        (403, {}, RATE_CN, URL, "rate-limit"),
        (503, {}, RATE_EN, URL, "rate-limit"),
        (503, {}, RATE_CN.encode("gbk"), URL, "rate-limit"),
        # captcha pages
        (200, {}, CAPTCHA, URL, "captcha"),
        (403, {}, CAPTCHA, URL, "captcha"),
        (200, {}, CAPTCHA_IMAGE_ONLY, URL, "captcha"),
        # UA / parameter rejection pages
        (200, {}, UA_REJECT, URL, "ua-reject"),
        (403, {}, ILLEGAL, URL, "ua-reject"),
        (403, {}, DENIED.encode("gbk"), URL, "ua-reject"),
        (400, {}, "<html><body>Access Denied</body></html>", URL, "ua-reject"),
    ],
)
def test_blocked(
    status: int, headers: dict[str, str], body: str | bytes, url: str, expected: str
) -> None:
    assert classify_block(status, headers, body, url) == expected


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (200, {"content-type": "text/html; charset=utf-8"}, LIST_PAGE),
        (200, {}, _bytes(LIST_PAGE)),
        (404, {}, NGINX_404),
        (404, {}, GOV_404),
        (500, {}, "<html><body>Internal Server Error</body></html>"),
        (200, {}, BIG_WITH_CAPTCHA_WORD),
        (200, {"set-cookie": "wzws_sessionid=gWZiMjc5; path=/"}, LIST_PAGE),  # 安徽 normal page
        (200, {"set-cookie": "wzws_cid=abc"}, LIST_PAGE),  # passed challenge, real content
        # a real page served after the 瑞数 challenge keeps the injected scripts
        (
            200,
            {},
            LIST_PAGE.replace(
                "<head>", "<head>" + RUISHU[RUISHU.index("<script") : RUISHU.index("</head>")]
            ),
        ),
        (301, {"location": "http://www.example.gov.cn/zwgk/"}, ""),
        (200, {}, ""),
        (403, {}, "<html><head><title>403 Forbidden</title></head><body>403</body></html>"),
    ],
)
def test_not_blocked(status: int, headers: dict[str, str], body: str | bytes) -> None:
    assert classify_block(status, headers, body, URL) is None


def _real_pages_dir() -> Path:
    """The real-page corpus (tests/real_pages/pages, sources in SOURCES.md)."""
    return Path(__file__).resolve().parents[1] / "real_pages" / "pages"


REAL_PAGES = ("ucap-wanzai-county-portal-detail.html", "ucap-wanzai-county-xxgk-detail.html")


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_detail_pages_are_content(name: str) -> None:
    body = (_real_pages_dir() / name).read_bytes()
    assert classify_block(200, {"content-type": "text/html"}, body, URL) is None


def test_visible_text_drops_scripts_and_tags() -> None:
    assert visible_text("<p>a <b>b</b></p><script>var x='<p>no</p>';</script>\n c") == "a b c"


# A challenge whose first kilobytes are all script (invisible): the prefix shows nothing, so the
# whole page decides. And a real page whose head is long: the prefix is not enough to call it
# tiny, the rest of the page shows plenty.
SCRIPT_HEAVY_CAPTCHA = (
    "<html><head><script>" + "var k='x';" * 800 + "</script></head>"
    "<body><p>请输入验证码后继续访问</p><input name='verifycode'></body></html>"
)
LONG_HEAD_REAL_PAGE = (
    "<html><head><script>"
    + "var k='x';" * 800
    + "</script></head><body><ul>"
    + "".join(f"<li><a href='./t{i}.html'>关于第{i}号事项的通知公告</a></li>" for i in range(60))
    + "</ul><p>如需帮助，请输入验证码查询办件进度。</p></body></html>"
)


def test_tiny_is_decided_by_the_whole_page_when_the_prefix_shows_little() -> None:
    assert len(SCRIPT_HEAVY_CAPTCHA) > 8000
    assert classify_block(200, {}, SCRIPT_HEAVY_CAPTCHA, URL) == "captcha"
    assert classify_block(200, {}, SCRIPT_HEAVY_CAPTCHA.encode(), URL) == "captcha"
    assert classify_block(200, {}, LONG_HEAD_REAL_PAGE, URL) is None


def test_keyword_gates_do_not_hide_upper_case_fingerprints() -> None:
    # The fingerprints are case-insensitive; the cheap pre-checks run on lower-cased bytes.
    assert classify_block(200, {}, b"<script>GO({'BTS':['1|0|Ab']})</script>", URL) == "jsl"
    assert classify_block(200, {}, "<div>WZWSQUESTION</div>", URL) == "wzws"
    stub = "<script>Document.Cookie='wzws_cid=1';location.reload()</script>"
    assert classify_block(200, {"set-cookie": "wzws_cid=1"}, stub, URL) == "wzws"


def test_a_stray_lt_in_the_prefix_does_not_hide_a_stub() -> None:
    # The stray `<` pairs with a `>` after the script in the whole page, hiding the text in
    # between as a tag; cut at 4 KB, the prefix would show it all and look like a real page.
    page = (
        "<html><body><p>< " + "说明文字" * 120 + "<script>" + "var a=1;" * 600 + "</script>"
        " 1 > 0 </p><p>访问过于频繁，请稍后再试</p></body></html>"
    )
    assert page.find("</script>") > 4096
    assert classify_block(403, {}, page, URL) == "rate-limit"
