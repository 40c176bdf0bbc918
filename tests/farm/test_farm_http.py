"""HTTP behaviour of the farm: encodings, WAF answers, flaky 503, pagers, dataproxy, ETag, log."""

from __future__ import annotations

import base64
import re
import socket
import time

import pytest
from farm_reader import decode, fetch, trs_pages

from zwgk.farm.render_hanweb import PROXY_PATHS


def site_of(truth, **kw) -> dict:
    return next(s for s in truth["sites"] if all(s[k] == v for k, v in kw.items()))


def test_gbk_sites_have_no_charset_in_the_header(truth1):
    gbk = [s for s in truth1["sites"] if s["charset"] == "gbk"]
    metas = set()
    for s in gbk:
        st, h, body = fetch(s["url"])
        assert st == 200
        assert h["Content-Type"] == "text/html"
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gbk")
        assert "信息公开" in text or "首页" in text
        m = re.search(r"charset=([\w-]+)", text[:600])
        metas.add(m[1] if m else None)
    assert metas == {"gb2312", None}  # one says gb2312, one says nothing at all


def test_gbk_list_pages_and_details_too(truth1, served):
    s = site_of(truth1, unit="daguan", role="disclosure")
    col = next(c for c in truth1["columns"] if c["site"] == s["url"] and c["items"])
    st, h, body = fetch(col["column_url"])
    assert h["Content-Type"] == "text/html" and "charset" not in h["Content-Type"]
    assert col["items"][0]["title"] in body.decode("gbk")
    st, h, body = fetch(col["items"][0]["url"])
    assert (
        st == 200
        and "<ucaptitle>" in body.decode("gbk")
        and 'class="IndexNo"' in body.decode("gbk")
    )


def test_ruishu_412_and_200_stubs(truth1):
    for block, status in (("ruishu", 412), ("ruishu-200", 200)):
        s = site_of(truth1, block=block)
        for path in ("", "index.html", "fdzdgknr/gzdt/gzdt/index.html"):
            st, h, body = fetch(s["url"] + path)
            assert st == status
            assert "$_ts" in body.decode() and "r='m'" in body.decode()
            cookie = h["Set-Cookie"].split("=", 1)[0]
            assert cookie.endswith("S")
        # even with the cookie it never lets a non-JS client through
        st, _, body = fetch(s["url"], headers={"Cookie": h["Set-Cookie"].split(";")[0]})
        assert st == status and "$_ts" in body.decode()


def test_jsl_521_handshake_never_completes(truth1):
    s = site_of(truth1, block="jsl")
    st, h, body = fetch(s["url"])
    assert st == 521 and "document.cookie=" in body.decode() and "location.href" in body.decode()
    jar = h["Set-Cookie"].split(";")[0]
    assert jar.startswith("__jsluid_h=")
    st, h, body = fetch(s["url"], headers={"Cookie": jar})
    assert st == 521 and "go({" in body.decode() and "__jsl_clearance" in body.decode()
    st, _, _ = fetch(s["url"], headers={"Cookie": jar + "; __jsl_clearance=1764000000.1|0|abc"})
    assert st == 521


def test_wzws_redirects_to_wzwsrel(truth1):
    s = site_of(truth1, block="wzws")
    st, h, _ = fetch(s["url"] + "index.html")
    assert st == 302
    loc = h["Location"]
    assert loc.startswith("/WZWSREL")
    enc = loc[len("/WZWSREL") :]
    assert base64.b64decode(enc + "=" * (-len(enc) % 4)).decode() == "/index.html"
    st, _, body = fetch(s["url"].rstrip("/") + loc)
    assert st == 200 and "wzwsquestion" in body.decode()


def test_down_portal_refuses_connections(truth1):
    s = site_of(truth1, block="down")
    host, port = s["url"].split("//")[1].rstrip("/").split(":")
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection((host, int(port)), timeout=2),
    ):
        pass


def test_flaky_site_answers_503_once_per_list_page(truth1, farm_proc):
    s = site_of(truth1, block="flaky-503", role="disclosure")
    col = next(c for c in truth1["columns"] if c["site"] == s["url"] and len(c["items"]) > 20)
    _, _, _, urls = trs_pages(col["column_url"])  # (fetch retries the 503)
    last = urls[-1]
    # page 1 was consumed above; a fresh day resets the state: first 503, then 200
    farm_proc.set_day(1)
    st, _, _ = fetch(last, retry_503=False)
    assert st == 503
    st, _, _ = fetch(last, retry_503=False)
    assert st == 200
    st, _, _ = fetch(col["items"][0]["url"], retry_503=False)  # details are never flaky
    assert st == 200


def test_trs_pager_counts_equal_served_pages(truth1):
    trs = {
        s["url"] for s in truth1["sites"] if s["cms"] == "trs" and s["block"] in (None, "flaky-503")
    }
    forms = set()
    multi = 0
    for c in truth1["columns"]:
        if c["site"] not in trs or not c["assessable"]:
            continue
        count, name, ext, urls = trs_pages(c["column_url"])
        per_page_ok = all(fetch(u)[0] == 200 for u in urls)
        base = c["column_url"].rsplit("/", 1)[0] + "/"
        assert per_page_ok and fetch(f"{base}{name}_{count}.{ext}")[0] == 404, c["column_url"]
        html = decode(*reversed(fetch(c["column_url"])[1:]))
        forms.add(
            "inline"
            if "//WCM置标" in html
            else "countPage"
            if "var countPage" in html
            else "container"
            if "'page_div'" in html
            else "shared"
        )
        multi += 3 <= count <= 8
        forms.add(ext)
    assert {"inline", "countPage", "container", "shared", "html", "shtml", "htm"} <= forms
    assert multi >= 3


def test_multi_page_detail(truth1):
    c = next(
        c
        for c in truth1["columns"]
        if c["unit"] == "yingjiang"
        and c["column_name"] == "工作动态"
        and c["section"] == "fdzdgknr"
    )
    u = c["items"][1]["url"]
    st, _, body = fetch(u)
    assert st == 200 and "createPageHTML(3, 0," in body.decode()
    assert fetch(u.replace(".html", "_1.html"))[0] == 200
    assert fetch(u.replace(".html", "_2.html"))[0] == 200
    assert fetch(u.replace(".html", "_3.html"))[0] == 404


def test_dataproxy_works_at_exactly_one_path_and_in_both_styles(truth1):
    hanweb = [
        s
        for s in truth1["sites"]
        if s["cms"] == "hanweb" and s["block"] is None and s["role"] == "disclosure"
    ]
    used, webnames = set(), set()
    for s in hanweb:
        col = max(
            (c for c in truth1["columns"] if c["site"] == s["url"]), key=lambda c: len(c["items"])
        )
        html = fetch(col["column_url"])[2].decode()
        colid = re.search(r"columnid:(\d+)", html)[1]
        base = s["url"].split("/", 3)[:3]
        root = "/".join(base)
        ok = [p for p in PROXY_PATHS if fetch(f"{root}{p}?page=2&columnid={colid}")[0] == 200]
        assert len(ok) == 1, s
        used.add(ok[0])
        per = int(re.search(r"perPage:(\d+)", html)[1])
        st, h, body = fetch(
            f"{root}{ok[0]}?startrecord=1&endrecord={3 * per}&perpage={per}",
            data=f"col=1&appid=1&webid=1&path=/&columnid={colid}&permissiontype=0".encode(),
        )
        xml = body.decode()
        assert st == 200 and "<datastore>" in xml
        assert xml.count("<record>") == min(3 * per, len(col["items"]))
        assert re.search(r"<totalrecord>(\d+)</totalrecord>", xml)[1] == str(len(col["items"]))
        # the first page is only inside the XML island, never in the DOM
        assert '<script type="text/xml"><datastore>' in html
        webnames.add("double" if "webname=%25E" in html else "single")
    assert len(used) == 3
    assert webnames == {"double", "single"}


def test_hanweb_xxgk_search(truth1):
    s = next(s for s in truth1["sites"] if s["cms"] == "hanweb" and s["block"] is None)
    col = max(
        (c for c in truth1["columns"] if c["site"] == s["url"]), key=lambda c: len(c["items"])
    )
    colid = re.search(r"col(\d+)", col["column_url"])[1]
    root = "/".join(s["url"].split("/", 3)[:3])
    st, _, body = fetch(
        f"{root}/module/xxgk/search.jsp", data=f"infotypeId={colid}&currpage=2".encode()
    )
    html = body.decode()
    assert st == 200 and "tr_main_value_odd" in html and "bt_link" in html and "第2/" in html


def test_gkmlpt_tree_and_api(truth1):
    s = site_of(truth1, cms="gkmlpt")
    html = fetch(s["url"])[2].decode()
    assert "window._CONFIG = {" in html and '"TREE"' in html and '"SID"' in html
    col = max(
        (c for c in truth1["columns"] if c["site"] == s["url"]), key=lambda c: len(c["items"])
    )
    n = -(-len(col["items"]) // 10)
    assert 3 <= n <= 8
    assert col["column_url"] == f"{s['url']}#{col['column_url'].rsplit('#', 1)[1]}"
    assert fetch(col["api_url"].replace("page=1", f"page={n}"))[0] == 200
    assert fetch(col["api_url"].replace("page=1", f"page={n + 1}"))[0] == 404


def test_etag_and_last_modified_give_304(truth1):
    s = site_of(truth1, unit="yingjiang", role="disclosure")
    st, h, _ = fetch(s["url"])
    assert st == 200
    assert fetch(s["url"], headers={"If-None-Match": h["ETag"]})[0] == 304
    assert fetch(s["url"], headers={"If-Modified-Since": h["Last-Modified"]})[0] == 304
    assert fetch(s["url"], headers={"If-None-Match": '"other"'})[0] == 200


def test_meta_block_and_pubdate_disagreement(truth1):
    c = next(
        c
        for c in truth1["columns"]
        if c["unit"] == "daguan" and c["column_name"] == "规划计划" and c["section"] == "fdzdgknr"
    )
    body = fetch(c["column_url"])[2].decode("gbk")
    assert body.count('name="SiteIDCode"') == 2  # duplicated block
    assert 'name="ColumnName" content="规划计划"' in body and 'name="ColumnType"' in body
    it = c["items"][0]
    html = fetch(it["url"])[2].decode("gbk")
    pub = re.search(r'name="PubDate" content="([^"]+)"', html)[1]
    d = it["date"]
    assert f"{d[:4]}年{d[5:7]}月{d[8:10]}日" in html and not pub.startswith(d)
    assert re.search(r'<meta name="SiteIDCode" content="\d{10}">', html)


def test_index_numbers_in_three_formats(truth1):
    nos = {i["index_no"] for c in truth1["columns"] for i in c["items"] if i["index_no"]}
    assert any(re.fullmatch(r"\d{9}/\d{4}-\d{5}", n) for n in nos)
    assert any(re.fullmatch(r"[0-9A-Z]{18}/\d{4}-\d{5}", n) for n in nos)
    assert any(re.fullmatch(r"[0-9A-Z]{10}/\d{4}-\d{7}", n) for n in nos)
    docs = {i["doc_no"] for c in truth1["columns"] for i in c["items"] if i["doc_no"]}
    assert any("〔" in d for d in docs) and any(" 号" in d for d in docs)


def test_big_noisy_pages(truth1):
    c = next(c for c in truth1["columns"] if c["unit"] == "tjj" and c["column_name"] == "统计信息")
    assert len(fetch(c["items"][0]["url"])[2]) > 100 * 1024


def test_dates_in_many_forms_are_served(truth1):
    forms = {
        "bracket": r"\[ \d{4}-\d{2}-\d{2} \]",
        "chinese": r"\d{4}年\d{2}月\d{2}日",
        "md": r"<span class=\"date\">\d{2}-\d{2}</span>",
        "slash": r"\d{4}/\d{1,2}/\d{1,2}<",
    }
    pages = [
        decode(*reversed(fetch(c["column_url"])[1:]))
        for c in truth1["columns"]
        if c["assessable"]
        and c["items"]
        and c["section"] != "mirror"
        and "gkmlpt" not in c["column_url"]
    ]
    for name, rx in forms.items():
        assert any(re.search(rx, p) for p in pages), name
    undated = [p for p in pages if re.search(r'href="\./t\d+\.html"', p)]
    assert undated  # neither list nor URL has a date


def test_access_log_is_written(farm_proc):
    fetch(f"http://127.0.2.2:{farm_proc.port}/index.html")
    time.sleep(1.2)
    lines = (farm_proc.dir / "access.log").read_text().splitlines()
    assert lines and all(len(x.split("\t")) == 5 for x in lines[-20:])
    assert any("\t127.0.2.2\tGET\t/index.html\t200" in x for x in lines)
